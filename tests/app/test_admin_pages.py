"""Admin pages through AppTest: users, channel credentials, audit log, data protection."""

from app.services import accounts, audit_log, auth, secrets
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

SECRET = "tok-THIS-MUST-NEVER-SHOW-9c1e"


def _page(c, path, lang="en", role="admin"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(path).run()
    assert not at.exception
    return at


def test_adding_a_user_shows_the_password_once(demo_app):
    at = _page(demo_app, "app/pages/users.py")
    at.text_input[0].input("new.writer@example.com")
    at.text_input[1].input("New Writer")
    at.selectbox[0].select("content")
    at.button[0].click()
    at.run()
    assert "One-time password for new.writer@example.com" in at.success[0].value
    password = at.code[0].value
    assert auth.sign_in(demo_app, "new.writer@example.com", password).actor.must_change_password
    at.run()  # the next run shows it no more
    assert password not in visible_text(at) and not at.code


def test_changing_a_role_and_the_last_admin_rule(demo_app):
    at = _page(demo_app, "app/pages/users.py", "zh-CN")
    at.selectbox[1].select("admin@demo.festa.test")
    at.run()
    at.selectbox[2].select("analyst")
    at.button[1].click()  # save role
    at.run()
    assert at.error[0].value == "不能移除最后一个有效管理员。"
    at.selectbox[1].select("analyst@demo.festa.test")
    at.run()
    at.selectbox[2].select("marketer")
    at.button[1].click()
    at.run()
    roles = {u.email: u.role for u in accounts.list_users(demo_app, Actor.system())}
    assert roles["analyst@demo.festa.test"] == "marketer"


def test_credentials_are_saved_encrypted_and_never_shown(demo_app):
    at = _page(demo_app, "app/pages/credentials.py")
    assert at.dataframe[0].value.iloc[0]["Status"] == "Not set"
    at.text_input[1].input(f"  {SECRET}  ")  # first value field, a paste with spaces
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Stored, encrypted" in at.dataframe[0].value.iloc[0]["Status"]
    assert SECRET not in visible_text(at)
    first = secrets.statuses(demo_app, Actor.system())[0]
    assert secrets.credentials_for(demo_app, first.account_id) == {"access_token": SECRET}


def test_audit_log_filters_and_exports(demo_app):
    auth.sign_in(demo_app, "nobody@example.com", "whatever it is")
    at = _page(demo_app, "app/pages/audit_log.py")
    at.selectbox[0].select("authn_login_fail")
    at.run()
    table = at.dataframe[0].value
    assert set(table["Action"]) == {"authn_login_fail"} and "nobody@example.com" in set(table["Actor"])
    at.button[0].click()
    at.run()
    assert at.download_button[0].label == "Download CSV"
    exported = audit_log.events(demo_app, Actor.system(), audit_log.AuditFilter(action="audit_exported"))
    assert exported[0].actor == "admin@demo.festa.test"


def test_retention_is_set_on_the_data_protection_page(demo_app):
    at = _page(demo_app, "app/pages/data_protection.py")
    at.number_input[0].set_value(365)
    at.button[0].click()
    at.run()
    assert "365 days" in visible_text(at)


def test_erasing_a_customer_on_the_data_protection_page(demo_app):
    from app.services.demo import DEMO_CUSTOMERS
    from campaigns.privacy import customer_hash

    with demo_app.uow() as uow:
        ws = uow.workspaces.by_slug("demo")
        who = next(p for p in DEMO_CUSTOMERS if uow.orders.count_for(ws.id, customer_hash(ws.salt, p)))
        theirs = uow.orders.count_for(ws.id, customer_hash(ws.salt, who))
    at = _page(demo_app, "app/pages/data_protection.py")
    at.text_input[0].input(who)
    at.button[1].click()  # without the confirmation: nothing happens
    at.run()
    assert at.error[0].value == "Enter the identifier and tick the confirmation."
    at.text_input[0].input(who)
    at.checkbox[1].check()
    at.button[1].click()
    at.run()
    assert at.success[0].value == f"{theirs} records deleted."

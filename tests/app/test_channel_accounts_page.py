"""Channel accounts (admin) through AppTest: the table, adding, settings, testing the connection."""

import pytest

from app.services import channel_accounts
from app.services.auth import AccessDenied, Actor
from tests.app.conftest import run_app, token_for, visible_text

PAGE = "app/pages/channel_accounts.py"


def _page(c, lang="en", role="admin"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _accounts(c):
    return {a.name: a for a in channel_accounts.accounts(c, Actor.system())}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_table_lists_every_account(demo_app, lang):
    at = _page(demo_app, lang)
    assert "⟦" not in visible_text(at)
    table = at.dataframe[0].value
    assert len(table) == len(_accounts(demo_app)) and "Festa 官方微博" in set(table.iloc[:, 0])
    if lang == "en":
        assert set(table["Status"]) == {"✅ OK"} and set(table["Max per hour"]) == {"no limit"}


def test_an_admin_adds_an_account(demo_app):
    at = _page(demo_app)
    at.text_input(key="chan_new_name").input("Festa Mastodon")
    at.selectbox(key="chan_new_connector").select("sandbox")
    at.selectbox(key="chan_new_channel").select("telegram")
    at.text_input(key="chan_new_zone").input("Europe/Berlin")
    at.button[0].click()
    at.run()
    assert not at.exception and not at.error
    assert "Festa Mastodon" in at.success[0].value
    added = _accounts(demo_app)["Festa Mastodon"]
    assert (added.connector, added.channel, added.timezone) == ("sandbox", "telegram", "Europe/Berlin")
    assert "Festa Mastodon" in set(at.dataframe[0].value["Account"])


def test_a_bad_zone_and_a_taken_name_are_explained(demo_app):
    at = _page(demo_app, "zh-CN")
    at.text_input(key="chan_new_name").input("Festa 官方微博")
    at.text_input(key="chan_new_zone").input("Mars/Olympus")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Mars/Olympus 不是 IANA 时区" in at.error[0].value
    at.text_input(key="chan_new_zone").input("Asia/Shanghai")
    at.button[0].click()
    at.run()
    assert "已有名为 Festa 官方微博 的账号" in at.error[0].value
    assert len(_accounts(demo_app)) == len(at.dataframe[0].value)


def test_settings_are_saved_and_out_of_range_refused(demo_app):
    at = _page(demo_app)
    acct = _accounts(demo_app)["@festa_shop"]
    at.selectbox(key="chan_account").select(acct.id)
    at.run()
    at.text_input(key=f"chan_hour_{acct.id}").input("0")
    _submit(at)
    assert "Max per hour: must be between 1 and 10000." in at.error[0].value
    at.text_input(key=f"chan_zone_{acct.id}").input("America/New_York")
    at.text_input(key=f"chan_hour_{acct.id}").input("five")
    _submit(at)
    assert "Max per hour: must be a whole number, or empty." in at.error[0].value
    at.text_input(key=f"chan_hour_{acct.id}").input("5")
    at.text_input(key=f"chan_day_{acct.id}").input("40")
    at.text_input(key=f"chan_late_{acct.id}").input(" 90 ")
    _submit(at)
    assert not at.exception and not at.error and "@festa_shop" in at.success[0].value
    saved = _accounts(demo_app)["@festa_shop"]
    assert (saved.timezone, saved.max_per_hour, saved.max_per_day, saved.max_lateness_minutes) == (
        "America/New_York",
        5,
        40,
        90,
    )
    at.text_input(key=f"chan_hour_{acct.id}").input("")  # empty: no limit again
    _submit(at)
    assert _accounts(demo_app)["@festa_shop"].max_per_hour is None


def _submit(at):
    [save] = [b for b in at.button if b.label == "Save settings"]
    save.click()
    at.run()


def test_testing_a_sandbox_connection_succeeds(demo_app):
    at = _page(demo_app)
    acct = _accounts(demo_app)["Festa Deals"]
    at.selectbox(key="chan_account").select(acct.id)
    at.run()
    at.button(key=f"chan_test_{acct.id}").click()
    at.run()
    assert not at.exception
    assert at.success[0].icon == "✅"
    assert at.success[0].value.startswith("Festa Deals: connection works (the platform answered)")
    assert any("credentials" in p.label.lower() for p in at.get("page_link"))


def test_non_admins_are_refused_by_the_service(demo_app):
    for role in ("manager", "content", "analyst", "marketer"):
        email, _ = demo_app.demo_accounts[role]
        actor = Actor(None, email, role, role)
        with pytest.raises(AccessDenied):
            channel_accounts.add_account(demo_app, actor, "sneaky", "sandbox", "x", "UTC")
    assert "sneaky" not in _accounts(demo_app)

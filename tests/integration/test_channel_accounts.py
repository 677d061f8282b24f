"""Channel accounts service on SQLite and PostgreSQL: validation, settings, connection tests, audit."""

import pytest

from app.services import audit_log, channel_accounts, secrets
from app.services.auth import Actor
from app.services.channel_accounts import AccountRejected

SYSTEM = Actor.system()


def _codes(err: pytest.ExceptionInfo) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in err.value.problems}


def _by_name(c) -> dict:
    return {a.name: a for a in channel_accounts.accounts(c, SYSTEM)}


def _audit(c, action: str) -> list:
    return audit_log.events(c, SYSTEM, audit_log.AuditFilter(action=action))


def test_adding_an_account_lists_it_with_its_credential_fields(demo):
    aid = channel_accounts.add_account(demo, SYSTEM, "  @festa_mastodon ", "mastodon", "x", "Europe/Berlin")
    acct = _by_name(demo)["@festa_mastodon"]
    assert acct.id == aid and (acct.connector, acct.channel, acct.timezone) == ("mastodon", "x", "Europe/Berlin")
    assert acct.fields and not acct.needs_reauth and acct.max_per_hour is None
    [event] = _audit(demo, "channel_account_added")
    assert (event.entity, event.detail, event.result) == ("@festa_mastodon", "mastodon", "success")


@pytest.mark.parametrize(
    ("name", "connector", "channel", "zone", "expected"),
    [
        ("new", "sandbox", "x", "Mars/Olympus", {("timezone", "unknown_zone")}),
        ("new", "carrier_pigeon", "x", "UTC", {("connector", "unknown")}),
        ("new", "sandbox", "myspace", "UTC", {("channel", "unknown")}),
        ("   ", "sandbox", "x", "UTC", {("name", "required")}),
        ("n" * 201, "sandbox", "x", "UTC", {("name", "too_long")}),
        (
            "",
            "nope",
            "nope",
            "nowhere",
            {("name", "required"), ("connector", "unknown"), ("channel", "unknown"), ("timezone", "unknown_zone")},
        ),
    ],
)
def test_bad_accounts_are_refused_with_every_problem(demo, name, connector, channel, zone, expected):
    before = len(_by_name(demo))
    with pytest.raises(AccountRejected) as err:
        channel_accounts.add_account(demo, SYSTEM, name, connector, channel, zone)
    assert _codes(err) == expected
    assert len(_by_name(demo)) == before and not _audit(demo, "channel_account_added")


def test_a_taken_name_is_refused(demo):
    with pytest.raises(AccountRejected) as err:
        channel_accounts.add_account(demo, SYSTEM, " Festa Deals ", "sandbox", "telegram", "UTC")
    assert _codes(err) == {("name", "taken")} and err.value.problems[0].params["name"] == "Festa Deals"


def test_settings_are_saved_and_audited(demo):
    acct = _by_name(demo)["@festa_shop"]
    channel_accounts.update_settings(
        demo, SYSTEM, acct.id, timezone="America/New_York", max_per_hour=5, max_per_day=40, max_lateness_minutes=90
    )
    saved = _by_name(demo)["@festa_shop"]
    assert (saved.timezone, saved.max_per_hour, saved.max_per_day, saved.max_lateness_minutes) == (
        "America/New_York",
        5,
        40,
        90,
    )
    channel_accounts.update_settings(
        demo, SYSTEM, acct.id, timezone="UTC", max_per_hour=None, max_per_day=None, max_lateness_minutes=None
    )
    cleared = _by_name(demo)["@festa_shop"]
    assert (cleared.max_per_hour, cleared.max_per_day, cleared.max_lateness_minutes) == (None, None, None)
    events = _audit(demo, "channel_account_settings")
    assert len(events) == 2 and {e.entity for e in events} == {"@festa_shop"}


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        ({"max_per_hour": 0}, "max_per_hour"),
        ({"max_per_hour": 10_001}, "max_per_hour"),
        ({"max_per_day": -1}, "max_per_day"),
        ({"max_per_day": 100_001}, "max_per_day"),
        ({"max_lateness_minutes": 0}, "max_lateness_minutes"),
        ({"max_lateness_minutes": 7 * 24 * 60 + 1}, "max_lateness_minutes"),
    ],
)
def test_limits_out_of_range_are_refused(demo, limits, field):
    acct = _by_name(demo)["@festa_shop"]
    values = {"max_per_hour": None, "max_per_day": None, "max_lateness_minutes": None, **limits}
    with pytest.raises(AccountRejected) as err:
        channel_accounts.update_settings(demo, SYSTEM, acct.id, timezone="UTC", **values)
    assert _codes(err) == {(field, "out_of_range")}
    assert _by_name(demo)["@festa_shop"].timezone == acct.timezone and not _audit(demo, "channel_account_settings")


def test_the_edges_of_the_ranges_are_allowed(demo):
    acct = _by_name(demo)["@festa_shop"]
    channel_accounts.update_settings(
        demo, SYSTEM, acct.id, timezone="UTC", max_per_hour=10_000, max_per_day=1, max_lateness_minutes=7 * 24 * 60
    )
    assert _by_name(demo)["@festa_shop"].max_per_hour == 10_000


def test_settings_refuse_a_bad_zone_and_a_missing_account(demo):
    acct = _by_name(demo)["@festa_shop"]
    none = {"max_per_hour": None, "max_per_day": None, "max_lateness_minutes": None}
    with pytest.raises(AccountRejected) as err:
        channel_accounts.update_settings(demo, SYSTEM, acct.id, timezone="Asia/Peking", **none)
    assert _codes(err) == {("timezone", "unknown_zone")}
    with pytest.raises(AccountRejected) as err:
        channel_accounts.update_settings(demo, SYSTEM, 999_999, timezone="UTC", **none)
    assert _codes(err) == {("account", "no_such_account")}


def test_a_sandbox_account_connects(demo):
    acct = _by_name(demo)["Festa Deals"]
    result = channel_accounts.test_connection(demo, SYSTEM, acct.id)
    assert result.ok and result.outcome == "sent"
    [event] = _audit(demo, "channel_connection_test")
    assert (event.entity, event.result, event.detail) == ("Festa Deals", "success", "sent")


def test_an_x_account_without_credentials_is_a_config_problem(demo):
    aid = channel_accounts.add_account(demo, SYSTEM, "@festa_x", "x", "x", "UTC")
    result = channel_accounts.test_connection(demo, SYSTEM, aid)
    assert not result.ok and result.outcome == "config" and result.message
    [event] = _audit(demo, "channel_connection_test")
    assert (event.entity, event.result, event.detail) == ("@festa_x", "failure", "config")


def test_testing_a_missing_account_is_refused(demo):
    with pytest.raises(AccountRejected) as err:
        channel_accounts.test_connection(demo, SYSTEM, 999_999)
    assert _codes(err) == {("account", "no_such_account")}


def test_a_connector_that_blows_up_does_not_take_the_page_down(demo):
    acct = _by_name(demo)["Festa Deals"]

    def broken(name, creds):
        raise RuntimeError("boom")

    result = channel_accounts.test_connection(demo, SYSTEM, acct.id, connect=broken)
    assert not result.ok and result.outcome == "unknown" and result.message == "RuntimeError"


def test_setting_credentials_clears_needs_reauth(demo):
    acct = _by_name(demo)["@festa_shop"]
    with demo.uow(write=True) as uow:
        row = uow.channel_accounts.get(acct.id)
        row.needs_reauth, row.status_detail = True, "401: token revoked"
    flagged = _by_name(demo)["@festa_shop"]
    assert flagged.needs_reauth and flagged.status_detail == "401: token revoked"
    secrets.set_credentials(demo, SYSTEM, acct.id, {"access_token": "new-token"})
    fixed = _by_name(demo)["@festa_shop"]
    assert not fixed.needs_reauth and fixed.status_detail is None

"""The pure rules of KOL deals: the status flow, deal checks, money in the campaign's currency, codes and links,
and checking submitted copy against the brief."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns import kol_deals as kd

START = datetime(2026, 11, 17, 16, tzinfo=UTC)
END = datetime(2026, 12, 14, 15, 59, 59, tzinfo=UTC)


def test_the_flow_moves_forward_one_step_and_changes_requested_go_back_to_agreed():
    for a, b in zip(kd.FLOW, kd.FLOW[1:], strict=False):
        assert kd.transition_problem(a, b) is None
    assert kd.transition_problem("submitted", "agreed") is None
    assert kd.transition_problem("invited", "paid").code == "not_allowed"
    assert kd.transition_problem("published", "cancelled").code == "not_allowed"  # out there: too late to cancel
    assert kd.transition_problem("paid", "verified").code == "not_allowed"
    assert kd.transition_problem("invited", "nonsense").code == "unknown_status"


def _deal(*items, currency="CNY", rate=None, **brief):
    return kd.DealDraft(currency, tuple(items), kd.Brief(**brief), rate)


def _item(due=START + timedelta(days=1), fee=100, **kw):
    return kd.DeliverableDraft(kw.pop("kind", "short_video"), kw.pop("platform", "douyin"), due, fee, **kw)


def test_deliverables_are_checked_at_their_own_field():
    _, problems = kd.check(
        _deal(
            _item(),
            _item(due=END + timedelta(seconds=1)),
            _item(kind="tweetstorm", platform="myspace", usage_days=0, exclusivity_days=-1),
            _item(due=datetime(2026, 11, 20)),
        ),
        START,
        END,
        "CNY",
    )
    assert {(p.field, p.code) for p in problems} == {
        ("deliverables.1.due_at", "due_outside_campaign"),
        ("deliverables.2.kind", "unknown_deliverable"),
        ("deliverables.2.platform", "unknown_platform"),
        ("deliverables.2.usage_days", "days_out_of_range"),
        ("deliverables.2.exclusivity_days", "days_out_of_range"),
        ("deliverables.3.due_at", "naive_time"),
    }
    assert {p.code for p in kd.check(_deal(), START, END, "CNY")[1]} == {"none"}
    edges = _deal(_item(due=START), _item(due=END))
    assert kd.check(edges, START, END, "CNY")[1] == []  # both ends of the campaign are inside it


def test_a_rate_is_needed_only_for_another_currency_and_dropped_for_the_same():
    assert [p.code for p in kd.check(_deal(_item(), currency="usd"), START, END, "CNY")[1]] == ["rate_needed"]
    assert [p.code for p in kd.check(_deal(_item(), currency="USD", rate=Decimal(0)), START, END, "CNY")[1]] == [
        "rate_out_of_range"
    ]
    clean, problems = kd.check(_deal(_item(), currency="cny", rate=Decimal(7)), START, END, "CNY")
    assert problems == [] and clean.currency == "CNY" and clean.fx_rate is None
    assert [p.code for p in kd.check(_deal(_item(), currency="XYZ"), START, END, "CNY")[1]][0] == "unknown_currency"


def test_money_converts_between_minor_units_of_different_exponents_half_up():
    assert kd.in_campaign_currency(100_000, "USD", Decimal("7.1"), "CNY") == 710_000
    assert kd.in_campaign_currency(33, "USD", Decimal("7.1"), "CNY") == 234  # $0.33 × 7.1 = ¥2.343 → 234 fen
    assert kd.in_campaign_currency(10_000, "JPY", Decimal("0.0475"), "CNY") == 47_500  # ¥10,000 → 475.00 yuan
    assert kd.in_campaign_currency(100, "CNY", Decimal("21.05"), "JPY") == 21  # 1 yuan → 21 yen
    assert kd.in_campaign_currency(5, "CNY", None, "CNY") == 5
    with pytest.raises(ValueError):
        kd.in_campaign_currency(5, "USD", None, "CNY")


@given(st.integers(0, 10**12), st.decimals(Decimal("0.0001"), Decimal(1000), places=4))
def test_conversion_is_within_half_a_minor_unit(amount, rate):
    got = kd.in_campaign_currency(amount, "USD", rate, "CNY")
    assert abs(Decimal(got) - Decimal(amount) * rate) <= Decimal("0.5")


def test_brief_lists_are_cleaned_and_links_must_be_web_addresses():
    problems = []
    b = kd.clean_brief(
        kd.Brief(hashtags=(" 双12 ", "＃双12", "#种草", ""), must_say=("满300减50", "满300减50"), links=("ftp://x",)),
        problems,
    )
    assert b.hashtags == ("#双12", "#种草") and b.must_say == ("满300减50",)
    assert [(p.field, p.code) for p in problems] == [("links", "not_a_url")]


def test_codes_are_cleaned_checked_and_suggested_from_the_handle():
    assert kd.clean_code(" mei-d12 ") == "MEID12" and kd.clean_code("ＭＥＩ＿１") == "MEI1"
    assert kd.code_problem("MEID12") is None
    assert kd.code_problem("ABC").code == "bad_code" and kd.code_problem("美妆123").code == "bad_code"
    rng = random.Random(1)
    code = kd.suggest_code("xiaomei_zhongcao", rng)
    assert code.startswith("XIAOMEIZ") and len(code) == 13 and set(code[8:]) <= set(kd.CODE_SYMBOLS)
    assert kd.code_problem(code) is None
    assert kd.suggest_code("小美", rng).startswith("KOL")
    assert kd.suggest_code("小美", rng) != kd.suggest_code("小美", rng)


def test_the_tracking_link_tags_the_landing_page_for_the_partner():
    link = kd.tracking_link("https://shop.example.com/p?id=1#top", "d12-2026", "douyin", "MEI12")
    assert link == (
        "https://shop.example.com/p?id=1&utm_source=douyin&utm_medium=kol&utm_campaign=d12-2026&utm_content=MEI12#top"
    )
    assert kd.tracking_link("", "d12", "douyin", "X") == ""


def test_submitted_copy_is_checked_against_the_brief():
    brief = kd.Brief(must_say=("满300减50", "正品"), must_not_say=("最低价",), hashtags=("#双12",))
    got = kd.check_content("全网最低价！满３００减５０ #双12", brief)
    assert got.missing_must_say == ("正品",) and got.said_must_not == ("最低价",) and got.missing_hashtags == ()
    assert not got.ok
    assert kd.check_content("正品 满300减50 #双12", brief).ok


def test_overdue_means_past_due_without_a_url_in_a_deal_still_expecting_content():
    now = START + timedelta(days=3)
    due = START + timedelta(days=2)
    assert kd.overdue(due, False, "agreed", now)
    assert not kd.overdue(due, True, "approved", now)
    assert not kd.overdue(due, False, "cancelled", now)
    assert not kd.overdue(now + timedelta(hours=1), False, "agreed", now)


def test_rates_typed_by_people():
    assert kd.parse_rate(" 7,1 ") == Decimal("7.1") and kd.parse_rate("") is None
    for bad in ("abc", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            kd.parse_rate(bad)

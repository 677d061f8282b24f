import pytest

from app.services import kol_results, kol_roster
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text


def _page(c, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/kol_roster.py").run()
    assert not at.exception
    return at


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


@pytest.mark.parametrize(
    "lang, title, tier", [("en", "KOL roster and discovery", "Mega"), ("zh-CN", "达人库与筛选", "头部")]
)
def test_the_demo_roster_shows_in_both_languages(demo_app, lang, title, tier):
    at = _page(demo_app, lang=lang)
    text = visible_text(at)
    assert title in text and "阿强说数码" in text and tier in text and "⟦" not in text


def test_filters_narrow_the_table(demo_app):
    at = _page(demo_app)
    _by_label(at.selectbox, "Category").select("美食").run()
    assert not at.exception
    names = list(at.dataframe[0].value["Partner"])
    assert names == ["美食家老王"]


def test_a_marketer_adds_a_partner_through_the_form(demo_app):
    at = _page(demo_app)
    _by_label(at.text_input, "Name").input("新达人 Nina")
    _by_label(at.text_input, "Categories (comma-separated)").input("美妆, 护肤")
    _by_label(at.selectbox, "Platform").select("bilibili")  # the first account's platform
    _by_label(at.text_input, "Handle").input("@Nina_B")
    _by_label(at.number_input, "Followers").set_value(150_000)
    _by_label(at.number_input, "Typical views").set_value(40_000)
    _by_label(at.number_input, "Engagement rate (%)").set_value(4.5)
    _by_label(at.selectbox, "Engagement rate variant").select("views")
    _by_label(at.number_input, "Short video").set_value(20_000)
    _by_label(at.button, "Save partner").click().run()
    assert not at.exception and "“新达人 Nina” saved." in [s.value for s in at.success]
    nina = next(v for v in kol_roster.roster(demo_app, Actor.system()).partners if v.draft.name == "新达人 Nina")
    assert nina.tier == "macro" and nina.draft.accounts[0].handle == "nina_b"
    assert nina.draft.rate_card == {"short_video": 2_000_000} and nina.engagements == 1_800


def test_a_duplicate_handle_is_named_and_nothing_is_saved(demo_app):
    at = _page(demo_app, lang="zh-CN")
    _by_label(at.text_input, "名称").input("冒名")
    _by_label(at.selectbox, "平台").select("douyin")
    _by_label(at.text_input, "账号名").input("aqiang_tech")
    _by_label(at.button, "保存达人").click().run()
    errors = [e.value for e in at.error]
    assert any("账号 1 · 账号名" in e and "阿强说数码" in e for e in errors)
    assert len(kol_roster.roster(demo_app, Actor.system()).partners) == 4


def test_the_shortlist_is_shown_with_its_method(demo_app):
    at = _page(demo_app)
    _by_label(at.number_input, "Budget (CNY)").set_value(150_000)
    _by_label(at.button, "Shortlist").click().run()
    assert not at.exception
    (ok,) = [s.value for s in at.success]
    assert ok.startswith("Method: 0/1 knapsack, dynamic programming over the budget in steps of CN¥100.00.")
    assert "Engagements per unit of money" in visible_text(at)
    _by_label(at.radio, "Method").set_value("greedy")
    _by_label(at.button, "Shortlist").click().run()
    assert [s.value for s in at.success][0].startswith("Method: greedy")


def test_an_analyst_reads_but_cannot_change(demo_app):
    at = _page(demo_app, role="analyst")
    assert "阿强说数码" in visible_text(at) and not at.form
    assert "Your role may only read the roster." in [i.value for i in at.info]


def test_a_shortlisted_partner_not_yet_in_the_campaign_is_invited_on_the_deals_page(demo_app):
    at = _page(demo_app)
    _by_label(at.selectbox, "Campaign").select(2).run()  # the running 双12, where 老王 has no deal yet
    _by_label(at.number_input, "Budget (CNY)").set_value(40_000)
    _by_label(at.button, "Shortlist").click().run()
    assert not at.exception
    _by_label(at.selectbox, "Whom to invite (not yet in the campaign)").select(4)
    _by_label(at.button, "Invite to the campaign →").click().run()
    assert not at.exception, at.exception
    assert _by_label(at.selectbox, "Partner").value == 4 and _by_label(at.selectbox, "Campaign").value == 2


def test_partners_sort_by_their_cost_per_engagement_in_past_deals(demo_app):
    at = _page(demo_app)
    _by_label(at.selectbox, "Sort by").select("past_cpe").run()
    assert not at.exception
    table = at.dataframe[0].value
    past = kol_results.past_cpe(demo_app, Actor.system())
    names = {v.id: v.draft.name for v in kol_roster.roster(demo_app, Actor.system()).partners}
    expected = [names[i] for i in sorted(past, key=lambda i: (past[i] is None, past[i] or 0, i))]
    assert list(table["Partner"]) == expected and all(past.values())  # every demo partner has a paid Double 11
    assert "CPE in past deals" in table.columns


def test_the_content_role_sees_the_roster_without_past_deal_costs(demo_app):
    at = _page(demo_app, role="content")
    assert "CPE in past deals" not in at.dataframe[0].value.columns
    assert "Cost per engagement in past deals (lowest first)" not in _by_label(at.selectbox, "Sort by").options
    assert "Cost per engagement (lowest first)" in _by_label(at.selectbox, "Sort by").options

from dataclasses import replace
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.services import budgets, campaign_detail, festivals, planning
from app.services.auth import Actor
from campaigns.calendar import Windows
from campaigns.planning import BudgetLine
from data.models import MetricDaily

SYSTEM = Actor.system()


def _plan(c, cid):
    return next(k.plan for k in planning.campaigns(c, SYSTEM) if k.id == cid)


def _partner(c):
    return next(iter(campaign_detail.choices(c, SYSTEM).partners))


def test_owner_segments_lines_and_targets_are_kept(demo):
    cid = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "D11 2027", 1_000_000)
    plan = _plan(demo, cid)
    assert sum(x.amount_minor for x in plan.budget_lines) == 1_000_000  # the template's channel split
    owner = next(iter(campaign_detail.choices(demo, SYSTEM).people))
    partner = _partner(demo)
    phases = tuple(replace(p, targets={"gmv": 2_500_000, "roi": Decimal("3.5")}) for p in plan.phases)
    edited = replace(
        plan,
        owner_id=owner,
        segments=("vip", "lapsed", "学生党"),
        budget_lines=(BudgetLine("douyin", None, 600_000), BudgetLine("kol", partner, 400_000)),
        targets={"gmv": 10_000_000, "exposure": 5_000_000, "roi": Decimal("4")},
        phases=phases,
    )
    planning.save(demo, SYSTEM, cid, edited)
    assert _plan(demo, cid) == edited
    assert campaign_detail.detail(demo, SYSTEM, cid).owner is not None


def test_a_budget_split_that_does_not_add_up_saves_nothing(demo):
    cid = planning.create_from_template(demo, SYSTEM, "day_618", 2027, "618 2027", 1_000_000)
    before = _plan(demo, cid)
    bad = replace(before, budget_lines=(BudgetLine("douyin", None, 900_000),), segments=("vip",))
    with pytest.raises(planning.PlanRejected) as err:
        planning.save(demo, SYSTEM, cid, bad)
    assert [(p.field, p.code) for p in err.value.problems] == [("budget_lines", "split_mismatch")]
    assert _plan(demo, cid) == before


def test_committed_money_over_the_plan_is_a_warning(demo):
    cid = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "D11 2027", 1_000_000)
    partner = _partner(demo)
    plan = _plan(demo, cid)
    planning.save(
        demo,
        SYSTEM,
        cid,
        replace(plan, budget_lines=(BudgetLine("douyin", None, 700_000), BudgetLine("kol", partner, 300_000))),
    )
    fee = budgets.commit(demo, SYSTEM, cid, "kol", partner, date(2027, 11, 5), 350_000, "达人 fee")
    budgets.commit(demo, SYSTEM, cid, "douyin", None, date(2027, 10, 25), 100_000)
    with demo.uow(write=True) as uow:
        ws = uow.workspaces.current()
        zero = dict.fromkeys(("impressions", "engagements", "clicks", "conversions", "revenue_minor"), 0)
        day = {"workspace_id": ws.id, "campaign_id": cid, "channel": "douyin", "day": date(2027, 11, 11), **zero}
        uow.metrics.bulk_insert(
            [
                {**day, "partner_id": None, "spend_minor": 80_000, "currency": "CNY"},
                {**day, "partner_id": partner, "spend_minor": 20_000, "currency": "CNY"},
            ]
        )
    view = budgets.view(demo, SYSTEM, cid)
    rows = {r.key: (r.planned, r.committed, r.actual) for r in view.lines}
    assert rows == {"douyin": (700_000, 100_000, 80_000), f"kol:{partner}": (300_000, 350_000, 20_000)}
    phases = [(r.key, r.committed, r.actual) for r in view.phases]
    assert phases == [("phase:0", 100_000, 0), ("phase:1", 0, 0), ("phase:2", 350_000, 100_000), ("phase:3", 0, 0)]
    assert [r.key for r in view.warnings] == [f"kol:{partner}"]
    assert (view.total.planned, view.total.committed, view.total.actual) == (1_000_000, 450_000, 100_000)
    budgets.uncommit(demo, SYSTEM, cid, fee)
    assert budgets.view(demo, SYSTEM, cid).warnings == []


def test_bad_commitments_are_refused(demo):
    cid = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "D11 2027", 1_000)
    for args, code in [
        (("fax", None, 1), "unknown_channel"),
        (("douyin", _partner(demo), 1), "partner_needs_kol"),
        (("douyin", None, 0), "not_positive"),
        (("kol", 999_999, 1), "no_such_partner"),
    ]:
        channel, partner, amount = args
        with pytest.raises(planning.PlanRejected) as err:
            budgets.commit(demo, SYSTEM, cid, channel, partner, date(2027, 11, 1), amount)
        assert code in [p.code for p in err.value.problems]
    assert budgets.view(demo, SYSTEM, cid).commitments == []
    with pytest.raises(planning.PlanRejected):
        budgets.uncommit(demo, SYSTEM, cid, 12345)


def test_a_saved_template_builds_next_years_campaign(demo):
    cid = planning.create_from_template(demo, SYSTEM, "spring_festival", 2026, "年货节 2026", 1_000_000)
    tid = planning.save_as_template(demo, SYSTEM, cid, "我们的年货节")
    key = f"user:{tid}"
    assert key in [t.key for t in planning.template_choices(demo, SYSTEM)]
    with pytest.raises(planning.PlanRejected) as err:
        planning.save_as_template(demo, SYSTEM, cid, "我们的年货节")
    assert err.value.problems[0].code == "taken"
    new = planning.create_from_template(demo, SYSTEM, key, 2027, "年货节 2027", 2_000_000)
    old, nxt = _plan(demo, cid), _plan(demo, new)
    assert [(p.kind, p.budget_minor * 2) for p in old.phases] == [(p.kind, p.budget_minor) for p in nxt.phases]
    assert nxt.phases[0].starts_at.astimezone(ZoneInfo("Asia/Shanghai")).date() == date(
        2027, 1, 7
    )  # 30 days before 春节 2027-02-06
    planning.remove_template(demo, SYSTEM, key)
    with pytest.raises(planning.PlanRejected):
        planning.create_from_template(demo, SYSTEM, key, 2027, "gone", 1)
    with pytest.raises(planning.PlanRejected):
        planning.remove_template(demo, SYSTEM, "double_11")


def test_the_year_view_shows_clashing_campaigns(demo):
    a = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "A", 1_000)
    b = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "B", 1_000)
    view = festivals.year_view(demo, SYSTEM, 2027)
    clash = next(k for k in view.clashes if {k.a, k.b} == {a, b})
    assert clash.is_budget_clash and "douyin" in clash.shared  # both plan Douyin money in the same weeks


def test_the_workspaces_presale_windows_move_the_calendar(demo):
    festivals.set_windows(demo, SYSTEM, Windows(presale_double_11=(10, 24)))
    view = festivals.year_view(demo, SYSTEM, 2027)
    presale = next(f for f in view.festivals if f.key == "double_11_presale")
    assert (presale.start, presale.end) == (date(2027, 10, 24), date(2027, 10, 31))
    with pytest.raises(festivals.WindowsRejected) as err:
        festivals.set_windows(demo, SYSTEM, Windows(presale_618=(6, 31), nianhuo_days_before=(5, 10)))
    assert err.value.problems == [("presale_618", "no_such_date"), ("nianhuo_days_before", "bad_range")]
    with pytest.raises(festivals.WindowsRejected) as err:  # 29 Feb: the calendar of 2027 would have no such day
        festivals.set_windows(demo, SYSTEM, Windows(presale_618=(2, 29)))
    assert err.value.problems == [("presale_618", "no_such_date")]
    assert festivals.year_view(demo, SYSTEM, 2027).windows.presale_double_11 == (10, 24)


def test_the_detail_gathers_posts_and_results(demo):
    running = next(k for k in planning.campaigns(demo, SYSTEM) if k.status == "finished")
    d = campaign_detail.detail(demo, SYSTEM, running.id)
    with demo.uow() as uow:
        spend = sum(r.spend_minor for r in uow.session.query(MetricDaily).filter_by(campaign_id=running.id))
        paid = sum(p.amount_minor for _, p in uow.deals.payments_in(running.id))  # KOL fees paid on the deals
    assert d.results.spend_minor == spend > 0 and paid > 0 and d.budget.total.actual == spend + paid
    assert sum(t.spend_minor for t in d.by_channel.values()) == spend


def test_a_template_name_longer_than_the_column_is_refused(demo):
    cid = planning.create_from_template(demo, SYSTEM, "day_618", 2027, "618 2027", 1_000)
    with pytest.raises(planning.PlanRejected) as err:
        planning.save_as_template(demo, SYSTEM, cid, "模" * 201)
    assert [(p.field, p.code) for p in err.value.problems] == [("template_name", "too_long")]
    with pytest.raises(planning.PlanRejected) as err:
        planning.save(demo, SYSTEM, cid, replace(_plan(demo, cid), name="x" * 201))
    assert [(p.field, p.code) for p in err.value.problems] == [("name", "too_long")]

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaigns import templates
from campaigns.planning import BudgetLine, PhaseKind, PhasePlan, validate
from campaigns.promotions.money import allocate

SH = ZoneInfo("Asia/Shanghai")


def test_allocation_always_adds_up():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(50_000_000, [Decimal("0.15"), Decimal("0.25"), Decimal("0.45"), Decimal("0.15")]) == [
        7_500_000,
        12_500_000,
        22_500_000,
        7_500_000,
    ]
    for total in (0, 1, 7, 99_999):
        assert sum(allocate(total, [3, 5, 7])) == total
    with pytest.raises(ValueError):
        allocate(-1, [1])
    with pytest.raises(ValueError):
        allocate(10, [0, 0])


def test_double_11_template_lays_out_the_phases_around_the_day():
    plan = templates.from_template(templates.TEMPLATES["double_11"], 2027, "双11 2027", 50_000_000, "CNY")
    days = [(p.kind, p.starts_at.date(), p.ends_at.date()) for p in plan.phases]
    assert days == [
        ("warm_up", date(2027, 10, 20), date(2027, 10, 31)),
        ("launch", date(2027, 11, 1), date(2027, 11, 3)),
        ("peak", date(2027, 11, 4), date(2027, 11, 11)),
        ("encore", date(2027, 11, 12), date(2027, 11, 13)),
    ]
    assert plan.starts_at == datetime(2027, 10, 20, 0, 0, tzinfo=SH)
    assert plan.ends_at == datetime(2027, 11, 13, 23, 59, 59, tzinfo=SH)
    assert sum(p.budget_minor for p in plan.phases) == 50_000_000
    assert validate(plan) == []


def test_black_friday_template_follows_thanksgiving_in_new_york():
    plan = templates.from_template(templates.TEMPLATES["black_friday"], 2026, "BF", 1_000_001, "USD")
    assert plan.timezone == "America/New_York"
    assert [p.starts_at.date() for p in plan.phases][1] == date(2026, 11, 27)
    assert sum(p.budget_minor for p in plan.phases) == 1_000_001 and validate(plan) == []


def test_copying_a_spring_festival_plan_follows_the_lunar_date():
    plan = templates.from_template(templates.TEMPLATES["spring_festival"], 2026, "年货节 2026", 30_000_000, "CNY")
    nxt = templates.copy_to_year(plan, 2027, "年货节 2027")
    moved = (date(2027, 2, 6) - date(2026, 2, 17)).days  # 春节 2026-02-17 -> 2027-02-06
    assert nxt.name == "年货节 2027"
    assert [p.starts_at.date() for p in nxt.phases] == [p.starts_at.date() + timedelta(days=moved) for p in plan.phases]
    assert nxt.phases[0].starts_at.timetz() == plan.phases[0].starts_at.timetz()
    assert validate(nxt) == []


def test_copying_keeps_wall_clock_times_across_a_dst_change():
    plan = templates.from_template(templates.TEMPLATES["black_friday"], 2026, "BF", 100, "USD")
    nxt = templates.copy_to_year(plan, 2027)
    ny = ZoneInfo("America/New_York")
    assert [p.starts_at.astimezone(ny).time() for p in nxt.phases] == [
        p.starts_at.astimezone(ny).time() for p in plan.phases
    ]


def test_a_plan_says_what_is_wrong_at_each_field():
    plan = templates.from_template(templates.TEMPLATES["day_618"], 2027, "618", 10_000, "CNY")
    bad = replace(
        plan,
        name=" ",
        budget_minor=10_001,
        phases=(
            replace(plan.phases[0], ends_at=plan.phases[0].starts_at - timedelta(hours=1)),
            replace(plan.phases[1], starts_at=plan.starts_at - timedelta(days=3)),
            replace(plan.phases[2], budget_minor=-5),
            replace(plan.phases[3], starts_at=plan.phases[2].ends_at - timedelta(days=1)),
        ),
    )
    found = {(p.field, p.code) for p in validate(bad)}
    assert {
        ("name", "required"),
        ("phases.0.ends_at", "end_before_start"),
        ("phases.1", "outside_window"),
        ("phases.2.budget", "negative"),
        ("phases.3", "overlaps"),
        ("phases", "split_mismatch"),
    } <= found
    assert ("ends_at", "end_before_start") in {
        (p.field, p.code) for p in validate(replace(plan, ends_at=plan.starts_at - timedelta(days=1)))
    }


def test_moving_a_time_across_a_dst_change_keeps_the_wall_clock():
    berlin = ZoneInfo("Europe/Berlin")
    before = datetime(2026, 3, 28, 9, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 CET, as read back from the database
    after = templates._move(before, 2, berlin)  # 2026-03-29 is the change to summer time
    assert after.astimezone(berlin).hour == 10 and after.astimezone(ZoneInfo("UTC")).hour == 8


def test_copying_to_a_year_without_the_festival_says_so():
    plan = templates.from_template(templates.TEMPLATES["double_11"], 2026, "x", 100, "CNY")
    with pytest.raises(ValueError, match="year_out_of_range"):
        templates.copy_to_year(plan, 2100)


def _codes(plan):
    return {(p.field, p.code) for p in validate(plan)}


def test_templates_split_the_budget_over_channels_too():
    plan = templates.from_template(templates.TEMPLATES["double_11"], 2027, "双11", 1_000_001, "CNY")
    assert [(x.channel, x.partner_id) for x in plan.budget_lines] == [
        ("douyin", None),
        ("xiaohongshu", None),
        ("weibo", None),
        ("wechat", None),
        ("kol", None),
    ]
    assert sum(x.amount_minor for x in plan.budget_lines) == 1_000_001


def test_budget_lines_must_add_up_and_not_repeat():
    plan = templates.from_template(templates.TEMPLATES["double_11"], 2027, "双11", 1_000_000, "CNY")
    lines = (BudgetLine("douyin", None, 600_000), BudgetLine("kol", 4, 300_000), BudgetLine("kol", 4, 50_000))
    assert _codes(replace(plan, budget_lines=lines)) == {
        ("budget_lines.1", "duplicate_line"),
        ("budget_lines.2", "duplicate_line"),
        ("budget_lines", "split_mismatch"),
    }
    bad = (BudgetLine("fax", None, 1_000_001), BudgetLine("weibo", 3, -1))
    assert _codes(replace(plan, budget_lines=bad)) == {
        ("budget_lines.0.channel", "unknown_channel"),
        ("budget_lines.1.channel", "partner_needs_kol"),
        ("budget_lines.1.amount", "negative"),
    }


def test_targets_are_never_negative_and_phase_targets_add_up_to_the_total():
    plan = templates.from_template(templates.TEMPLATES["day_618"], 2027, "618", 100, "CNY")
    phases = tuple(replace(p, targets={"gmv": 1_000, "roi": Decimal("3")}) for p in plan.phases)
    ok = replace(plan, phases=phases, targets={"gmv": 4_000, "roi": Decimal("2.5"), "clicks": 10})
    assert validate(ok) == []  # ROI is a ratio, not a sum; clicks only in total is fine
    off = replace(ok, targets={"gmv": 5_000})
    assert [(p.field, p.code, p.params) for p in validate(off)] == [
        ("targets.gmv", "target_split_mismatch", {"split": 4_000, "total": 5_000})
    ]
    neg = replace(ok, targets={"exposure": -1}, phases=(replace(phases[0], targets={"roi": Decimal("-0.1")}),))
    assert {("targets.exposure", "negative"), ("phases.0.targets.roi", "negative")} <= _codes(neg)
    assert ("targets.likes", "unknown_target") in _codes(replace(ok, targets={"likes": 1}))


def test_a_blank_segment_name_is_refused():
    plan = templates.from_template(templates.TEMPLATES["day_618"], 2027, "618", 100, "CNY")
    assert _codes(replace(plan, segments=("vip", " "))) == {("segments", "required")}
    assert validate(replace(plan, segments=("vip", "lapsed", "学生党"))) == []


def test_a_campaign_saved_as_a_template_lays_out_the_same_shape_next_year():
    plan = templates.from_template(templates.TEMPLATES["spring_festival"], 2026, "年货节", 1_000_000, "CNY")
    extra = PhasePlan(
        PhaseKind.CUSTOM,
        "元宵返场",
        plan.phases[-1].ends_at + timedelta(seconds=1),
        plan.phases[-1].ends_at + timedelta(days=3),
        0,
    )
    plan = replace(
        plan,
        phases=(*plan.phases, extra),
        ends_at=extra.ends_at,
        budget_lines=(BudgetLine("douyin", None, 600_000), BudgetLine("kol", 5, 400_000)),
    )
    assert validate(plan) == []
    mine = templates.to_template(plan, "user:1", "我们的年货节")
    assert [(p.first, p.last, p.name) for p in mine.phases] == [
        (-30, -21, None),
        (-20, -15, None),
        (-14, -10, None),
        (7, 14, None),
        (15, 17, "元宵返场"),
    ]
    nxt = templates.from_template(mine, 2027, "年货节 2027", 2_000_000, "CNY")
    assert nxt.phases[0].starts_at.date() == date(2027, 2, 6) - timedelta(days=30)  # 春节 2027-02-06
    assert [p.budget_minor for p in nxt.phases] == [300_000, 600_000, 800_000, 300_000, 0]
    assert [(x.channel, x.amount_minor) for x in nxt.budget_lines] == [("douyin", 1_200_000), ("kol", 800_000)]
    assert nxt.phases[-1].name == "元宵返场" and validate(nxt) == []


def test_only_a_festival_campaign_with_phases_becomes_a_template():
    plan = templates.from_template(templates.TEMPLATES["day_618"], 2027, "618", 100, "CNY")
    with pytest.raises(ValueError):
        templates.to_template(replace(plan, festival_key=None), "user:1", "x")
    with pytest.raises(ValueError):
        templates.to_template(replace(plan, phases=()), "user:1", "x")


def test_results_are_read_against_targets_with_roi_as_profit_over_spend():
    from campaigns.metrics import Totals
    from campaigns.planning import results_for_targets

    got = results_for_targets(Totals(impressions=10, clicks=4, conversions=2, revenue_minor=500, spend_minor=200))
    assert got == {"exposure": 10, "clicks": 4, "conversions": 2, "gmv": 500, "roi": Decimal("1.5")}
    assert results_for_targets(Totals())["roi"] is None  # no spend: ROI undefined, not 0

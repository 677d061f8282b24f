from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaigns import templates
from campaigns.planning import validate
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

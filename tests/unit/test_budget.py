from dataclasses import replace
from datetime import date, datetime

from campaigns import budget, templates
from campaigns.budget import Spend, Window
from campaigns.planning import BudgetLine

PLAN = templates.from_template(templates.TEMPLATES["double_11"], 2027, "双11 2027", 1_000_000, "CNY")


def test_budget_lines_compare_planned_committed_and_actual():
    lines = (
        BudgetLine("douyin", None, 300_000),
        BudgetLine("kol", 7, 200_000),
        BudgetLine("kol", None, 100_000),
        BudgetLine("weibo", None, 400_000),
    )
    committed = [
        Spend("douyin", 7, date(2027, 11, 1), 250_000),  # partner 7's fee: their own line
        Spend("douyin", 8, date(2027, 11, 1), 60_000),  # a partner without a line: the KOL pool
        Spend("weibo", None, date(2027, 11, 2), 100_000),
        Spend("x", None, date(2027, 11, 2), 5_000),  # no line for X
    ]
    actual = [Spend("douyin", None, date(2027, 11, 3), 120_000), Spend("douyin", 7, date(2027, 11, 3), 90_000)]
    rows = {r.key: r for r in budget.by_line(lines, committed, actual)}
    assert list(rows) == ["douyin", "kol:7", "kol", "weibo", "unplanned"]
    assert (rows["kol:7"].planned, rows["kol:7"].committed, rows["kol:7"].actual) == (200_000, 250_000, 90_000)
    assert rows["kol:7"].over_committed and rows["kol:7"].remaining == -50_000
    assert rows["kol"].committed == 60_000 and not rows["kol"].over_committed
    assert (rows["douyin"].committed, rows["douyin"].actual) == (0, 120_000)
    assert rows["unplanned"] == budget.BudgetRow("unplanned", 0, 5_000, 0) and rows["unplanned"].over_committed
    assert sum(r.planned for r in rows.values()) == 1_000_000


def test_two_lines_on_one_key_add_up():
    rows = budget.by_line((BudgetLine("kol", None, 300), BudgetLine("kol", None, 200)), [], [])
    assert [(r.key, r.planned) for r in rows] == [("kol", 500)]


def test_without_a_pool_partner_money_counts_against_the_channel():
    rows = budget.by_line((BudgetLine("douyin", None, 10),), [Spend("douyin", 3, date(2027, 11, 1), 4)], [])
    assert [(r.key, r.committed) for r in rows] == [("douyin", 4)]


def test_phases_take_the_money_of_their_days_in_the_campaigns_zone():
    # warm-up 20-31 Oct, launch 1-3 Nov, peak 4-11 Nov, encore 12-13 Nov (Asia/Shanghai)
    committed = [Spend("douyin", None, date(2027, 10, 31), 10), Spend("douyin", None, date(2027, 11, 1), 20)]
    actual = [Spend("weibo", None, date(2027, 11, 13), 5), Spend("weibo", None, date(2027, 11, 14), 7)]
    rows = budget.by_phase(PLAN.phases, PLAN.timezone, committed, actual)
    assert [(r.key, r.committed, r.actual) for r in rows] == [
        ("phase:0", 10, 0),
        ("phase:1", 20, 0),
        ("phase:2", 0, 0),
        ("phase:3", 0, 5),
        ("unplanned", 0, 7),
    ]
    assert [r.planned for r in rows] == [150_000, 250_000, 450_000, 150_000, 0]


def _w(i, first, last, *lines):
    return Window(i, f"c{i}", datetime(2027, 11, first), datetime(2027, 11, last, 23, 59, 59), tuple(lines))


def test_overlapping_campaigns_clash_on_shared_channels_and_partners():
    a = _w(1, 1, 11, BudgetLine("douyin", None, 5), BudgetLine("kol", 9, 5), BudgetLine("x", None, 0))
    b = _w(2, 10, 20, BudgetLine("kol", 9, 1), BudgetLine("x", None, 3))
    c = _w(3, 12, 15, BudgetLine("douyin", None, 1))
    d = _w(4, 21, 22, BudgetLine("douyin", None, 1))
    found = budget.clashes([d, c, b, a])
    assert [(k.a, k.b, k.shared) for k in found] == [(1, 2, ("kol:9",)), (2, 3, ())]
    assert found[0].is_budget_clash and not found[1].is_budget_clash  # an x line of 0 is no claim on X
    assert (found[0].first, found[0].last) == (datetime(2027, 11, 10), datetime(2027, 11, 11, 23, 59, 59))


def test_campaigns_touching_at_an_inclusive_end_overlap():
    a = _w(1, 1, 10)
    b = replace(_w(2, 11, 12), starts_at=a.ends_at)
    assert [(k.a, k.b) for k in budget.clashes([a, b])] == [(1, 2)]

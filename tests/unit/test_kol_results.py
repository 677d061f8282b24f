"""What each KOL partner brought in (campaigns.kol_results): a deal's cost and figures in one currency, KPIs as
ratios of sums, the leaderboard, and "would we book them again" with its reasons; hypothesis properties for the
sums, the ordering and the verdict."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns import kol_results as kr
from campaigns.metrics import Totals

PROPERTY = settings(database=None, deadline=None, max_examples=80)  # no .hypothesis folder in the tree
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
DUE = NOW - timedelta(days=3)
M = Decimal("0.4")


def _deal(pid=1, status="paid", currency="CNY", camp="CNY", rate=None, fees=(100_000,), pays=(), **kw):
    return kr.Deal(1, 10, pid, status, currency, camp, rate, tuple(fees), tuple(pays), **kw)


def _fig(imp=0, eng=0, clicks=0, orders=0, revenue=0, spend=0):
    return Totals(
        impressions=imp, engagements=eng, clicks=clicks, orders=orders, conversions=orders, revenue_minor=revenue,
        spend_minor=spend,
    )  # fmt: skip


def test_a_deal_costs_its_fees_and_its_kpis_are_ratios_of_its_sums():
    d = _deal(fees=(60_000, 40_000), pays=(30_000,))
    r = kr.deal_result(d, {"CNY": _fig(200_000, 5_000, 1_000, 20, 500_000, spend=999_999)}, "CNY", NOW)
    assert (r.committed_minor, r.paid_minor, r.cost_minor) == (100_000, 30_000, 100_000)  # imported spend ignored
    k = kr.kpis(r, M, 5_000)
    assert k.cpm == Decimal(500) and k.cpe == Decimal(20) and k.cost_per_order == Decimal(5_000)
    assert k.roas == Decimal(5) and k.roi == Decimal(1)  # (500,000 × 0.4 − 100,000) ÷ 100,000
    assert k.emv_minor == 1_000_000  # 200,000 impressions × ¥50 ÷ 1,000


def test_an_invited_deal_commits_nothing_and_a_cancelled_one_costs_what_was_paid():
    invited = kr.deal_result(_deal(status="invited"), {}, "CNY", NOW)
    assert (invited.committed_minor, invited.cost_minor) == (0, 0)
    cancelled = kr.deal_result(_deal(status="cancelled", pays=(25_000,)), {}, "CNY", NOW)
    assert (cancelled.committed_minor, cancelled.paid_minor, cancelled.cost_minor) == (0, 25_000, 25_000)


def test_a_deal_in_another_currency_converts_by_its_rate_each_amount_half_up():
    d = _deal(currency="USD", rate=Decimal("7.1"), fees=(10_001, 10_001), pays=(5_000,))
    r = kr.deal_result(d, {"CNY": _fig(1_000, revenue=300_000), "USD": _fig(revenue=10_000)}, "CNY", NOW)
    assert r.committed_minor == 2 * 71_007  # 100.01 × 7.1 = 710.071 → 710.07, per deliverable like the budget
    assert r.paid_minor == 35_500 and r.totals.revenue_minor == 300_000 + 71_000
    # the other way: the workspace counts in USD, the campaign's CNY revenue converts back through the rate
    back = kr.deal_result(d, {"CNY": _fig(revenue=71_000)}, "USD", NOW)
    assert back.committed_minor == 20_002 and back.totals.revenue_minor == 10_000


def test_money_that_cannot_be_converted_is_left_out_and_counted():
    r = kr.deal_result(_deal(), {"CNY": _fig(1_000, revenue=10_000), "EUR": _fig(500, revenue=7_000)}, "CNY", NOW)
    assert r.totals.impressions == 1_500 and r.totals.revenue_minor == 10_000 and r.revenue_left_out == {"EUR": 7_000}
    # a CNY campaign's deal seen in USD without any rate: left out whole, counted, its counts not mixed in
    whole = kr.deal_result(_deal(), {"CNY": _fig(1_000, revenue=10_000)}, "USD", NOW)
    assert whole.deals_left_out == 1 and whole.fees_left_out == {"CNY": 100_000}
    assert whole.revenue_left_out == {"CNY": 10_000} and whole.totals == Totals() and not whole.has_figures


def test_figures_without_a_deal_have_no_cost_and_no_roi():
    r = kr.figures_only(3, {"CNY": _fig(1_000, 50, revenue=9_000)}, "CNY")
    k = kr.kpis(r, M, 5_000)
    assert r.has_figures and r.deals == 0 and k.roi is None and k.cpe is None and k.cpm is None


def test_figures_without_a_deal_stay_apart_from_a_partners_deals():
    deal = kr.deal_result(_deal(), {"CNY": _fig(1_000, 100)}, "CNY", NOW)
    other = kr.figures_only(1, {"CNY": _fig(9_000, 900, revenue=5_000)}, "CNY")
    for total in (deal + other, other + deal):
        assert total.totals.impressions == 1_000 and total.no_deal.impressions == 9_000 and total.has_figures
        assert kr.kpis(total, M, 0).cpe == Decimal(1_000)  # 100,000 ÷ 100: the figures that came with the cost
    only_elsewhere = kr.deal_result(_deal(), {}, "CNY", NOW) + other
    assert not only_elsewhere.has_figures and kr.kpis(only_elsewhere, M, 0).roi is None


def test_a_partner_without_figures_shows_no_ratios():
    k = kr.kpis(kr.deal_result(_deal(), {}, "CNY", NOW), M, 5_000)
    assert k.roi is None and k.roas is None and k.cpe is None and k.cost_minor == 100_000


def test_delivery_counts_on_time_late_missing_and_pending():
    items = [(DUE, DUE), (DUE, DUE + timedelta(minutes=1)), (DUE, None), (NOW + timedelta(days=1), None)]
    assert kr.delivery(items, NOW) == kr.Delivery(on_time=1, late=1, missing=1, pending=1)


def test_change_requests_are_submitted_back_to_agreed():
    steps = [(None, "invited"), ("invited", "agreed"), ("agreed", "submitted"), ("submitted", "agreed"),
             ("agreed", "submitted"), (None, None), ("submitted", "approved")]  # fmt: skip
    assert kr.change_requests(steps) == 1


def test_the_leaderboard_puts_roi_first_then_revenue_and_no_figures_last():
    def res(pid, revenue, cost, figures=True):
        return kr.Result(pid, "CNY", _fig(1, revenue=revenue, spend=cost), deals=1, has_figures=figures)

    rows = [res(1, 0, 0, False), res(2, 100, 0), res(3, 300, 100), res(4, 600, 200), res(5, 1_000, 100)]
    order = [r.partner_id for r in kr.leaderboard(rows, Decimal(1))]
    assert order == [5, 4, 3, 2, 1]  # ROI 9, then 2 and 2 by revenue, then no cost, then no figures


def _verdict(roi_revenue, cpe_eng=100, median=Decimal(1000), compared=3, delivered=(), changes=0, deals=1):
    d = _deal(fees=(100_000,), deliverables=tuple(delivered), change_requests=changes)
    r = kr.deal_result(d, {"CNY": _fig(10_000, cpe_eng, revenue=roi_revenue)}, "CNY", NOW)
    return kr.verdict(kr.kpis(r, Decimal(1), 0), r, median, compared)


def test_the_verdict_states_its_reasons():
    v = _verdict(150_000, delivered=[(DUE, DUE)])
    assert v.answer == kr.YES
    assert [(x.check, x.outcome) for x in v.reasons] == [("roi", "good"), ("cpe", "good"), ("delivery", "good"),
                                                         ("changes", "good")]  # fmt: skip
    assert v.reasons[0].params == {"roi": Decimal("0.5"), "threshold": Decimal(0)}
    assert _verdict(150_000, delivered=[(DUE, None)]).answer == kr.MAYBE  # broke even, but a post is missing
    assert _verdict(50_000).answer == kr.MAYBE  # lost money, nothing else wrong
    lost = _verdict(50_000, cpe_eng=10, changes=2)  # lost money, dear engagement and two rounds of changes
    assert lost.answer == kr.NO and {x.check for x in lost.reasons if x.outcome == "bad"} == {"roi", "cpe", "changes"}
    none = _verdict(0, cpe_eng=0)  # no engagements: CPE unknown, not bad
    assert none.reasons[1].outcome == "unknown" and none.answer == kr.MAYBE
    unknown = _verdict(150_000, compared=1)
    assert unknown.reasons[1].outcome == "unknown" and unknown.answer == kr.YES


def test_not_enough_data_without_figures_or_without_a_cost():
    r = kr.deal_result(_deal(), {}, "CNY", NOW)
    assert kr.verdict(kr.kpis(r, M, 0), r, None, 0).answer == kr.NOT_ENOUGH
    f = kr.figures_only(2, {"CNY": _fig(10, revenue=5)}, "CNY")
    assert kr.verdict(kr.kpis(f, M, 0), f, None, 0).answer == kr.NOT_ENOUGH


def test_the_roi_threshold_is_a_rule():
    r = kr.deal_result(_deal(), {"CNY": _fig(10, 10, revenue=110_000)}, "CNY", NOW)
    k = kr.kpis(r, Decimal(1), 0)  # ROI 10 %
    assert kr.verdict(k, r, None, 0).answer == kr.YES
    assert kr.verdict(k, r, None, 0, kr.Rules(roi_at_least=Decimal("0.2"))).answer == kr.MAYBE


@pytest.mark.parametrize(
    "values, expected",
    [([], None), ([None], None), ([Decimal(3)], Decimal(3)), ([Decimal(1), None, Decimal(4)], Decimal("2.5"))],
)
def test_median(values, expected):
    assert kr.median(values) == expected


# --- properties ---------------------------------------------------------------------------------------------------

counts = st.integers(0, 10**7)
figures = st.builds(_fig, counts, counts, counts, st.integers(0, 10**5), st.integers(0, 10**9))
deals = st.builds(
    lambda pid, status, fees, pays, fig: (_deal(pid, status, fees=fees, pays=pays), {"CNY": fig}),
    st.integers(1, 4),
    st.sampled_from(["invited", "agreed", "published", "paid", "cancelled"]),
    st.lists(st.integers(0, 10**8), min_size=1, max_size=4).map(tuple),
    st.lists(st.integers(1, 10**8), max_size=3).map(tuple),
    figures,
)
margins = st.decimals(Decimal(0), Decimal(1), places=2)


@PROPERTY
@given(st.lists(deals, min_size=1, max_size=12), margins)
def test_a_partners_kpis_are_the_ratios_of_the_sums_of_their_deals(items, margin):
    results = [kr.deal_result(d, f, "CNY", NOW) for d, f in items]
    for pid, total in kr.per_partner(results).items():
        mine = [r for r in results if r.partner_id == pid]
        cost = sum(r.cost_minor for r in mine)
        eng = sum(r.totals.engagements for r in mine)
        revenue = sum(r.totals.revenue_minor for r in mine)
        k = kr.kpis(total, margin, 0)
        assert k.cost_minor == cost and k.revenue_minor == revenue and total.deals == len(mine)
        assert k.cpe == (None if eng == 0 or cost == 0 else Decimal(cost) / Decimal(eng))
        if k.roi is not None:
            assert k.roi == (Decimal(revenue) * margin - cost) / Decimal(cost)


@PROPERTY
@given(st.lists(deals, min_size=1, max_size=12), margins, st.randoms(use_true_random=False))
def test_the_leaderboard_is_ordered_and_does_not_depend_on_the_input_order(items, margin, rnd):
    rows = list(kr.per_partner(kr.deal_result(d, f, "CNY", NOW) for d, f in items).values())
    board = kr.leaderboard(rows, margin)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert [r.partner_id for r in kr.leaderboard(shuffled, margin)] == [r.partner_id for r in board]
    seen_without = False
    last_roi = None
    for r in board:
        k = kr.kpis(r, margin, 0)
        if not r.has_figures:
            seen_without = True
        else:
            assert not seen_without, "a partner with figures after one without"
        if k.roi is not None:
            assert last_roi is None or k.roi <= last_roi
            last_roi = k.roi


@PROPERTY
@given(st.lists(st.tuples(deals, st.booleans()), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_summing_per_partner_does_not_depend_on_the_order(items, rnd):
    results = [kr.figures_only(d.partner_id, f, "CNY") if bare else kr.deal_result(d, f, "CNY", NOW)
               for (d, f), bare in items]  # fmt: skip
    shuffled = list(results)
    rnd.shuffle(shuffled)
    assert kr.per_partner(shuffled) == {pid: r for pid, r in kr.per_partner(results).items()}
    for r in kr.per_partner(results).values():
        assert r.deals == 0 or r.totals.spend_minor == sum(
            x.cost_minor for x in results if x.partner_id == r.partner_id
        )


RANK = {kr.NO: 0, kr.MAYBE: 1, kr.YES: 2}


@PROPERTY
@given(deals, st.integers(0, 10**9), st.integers(0, 10**9), st.decimals(0, 10**4, places=2), st.integers(0, 5))
def test_more_revenue_never_makes_the_verdict_worse(item, low, extra, median_cpe, compared):
    d, f = item
    answers = []
    for revenue in (low, low + extra):
        fig = {"CNY": Totals(**{**kr._as_dict(f["CNY"]), "revenue_minor": revenue})}
        r = kr.deal_result(d, fig, "CNY", NOW)
        answers.append(kr.verdict(kr.kpis(r, M, 0), r, median_cpe, compared).answer)
    if kr.NOT_ENOUGH in answers:
        assert answers[0] == answers[1] == kr.NOT_ENOUGH  # the same figures and cost, whatever the revenue
    else:
        assert RANK[answers[1]] >= RANK[answers[0]]


@PROPERTY
@given(
    st.integers(0, 10**12), st.decimals(Decimal("0.0001"), Decimal(10**5), places=4), st.sampled_from(["JPY", "USD"])
)
def test_conversion_through_the_rate_and_back_stays_within_rounding(amount, rate, other):
    known = {"CNY": Decimal(1), other: rate}
    there = kr.convert(amount, "CNY", other, known)
    assert kr.convert(amount, "CNY", "CNY", known) == amount and kr.convert(amount, "EUR", "CNY", known) is None
    back = kr.convert(there, other, "CNY", known)
    # one rounding each way: the error is at most half a unit of ``other`` in CNY, plus half a fen
    unit = Decimal(1).scaleb(-(2 if other == "USD" else 0)) * rate * 100  # one minor unit of ``other`` in fen
    assert abs(back - amount) <= unit / 2 + Decimal("0.5")


@PROPERTY
@given(st.lists(st.one_of(st.none(), st.decimals(0, 10**6, places=3)), max_size=20))
def test_the_median_lies_between_the_least_and_the_most(values):
    m = kr.median(values)
    xs = [v for v in values if v is not None]
    assert (m is None) == (not xs)
    if xs:
        assert min(xs) <= m <= max(xs)
        assert sum(v <= m for v in xs) * 2 >= len(xs) and sum(v >= m for v in xs) * 2 >= len(xs)

"""KPIs against the straightforward recomputation (hypothesis): every KPI is the sum of its numerator over the
sum of its denominator (x its scale), exactly, whatever rows and in whatever order; undefined when the
denominator sums to 0; never the mean of per-row ratios."""

from dataclasses import fields
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns import metrics
from campaigns.metrics import KPIS, Totals

PROPERTY = settings(database=None, deadline=None, max_examples=60)  # no .hypothesis folder in the tree

# The named function behind each KPI key, so the table and the functions cannot drift apart.
FUNCTIONS = {
    "ctr": metrics.ctr,
    "engagement_rate": metrics.engagement_rate,
    "cvr": metrics.conversion_rate,
    "order_rate": metrics.order_rate,
    "cpm": metrics.cpm,
    "cpc": metrics.cpc,
    "cpa": metrics.cpa,
    "cost_per_order": metrics.cost_per_order,
    "cpe": metrics.cpe,
    "aov": metrics.aov,
    "roas": metrics.roas,
}

counts = st.one_of(st.just(0), st.integers(0, 50), st.integers(0, 10**9))
# fractional conversions as platforms write them ("0.37", data-driven attribution), up to 6 places
conversions = st.one_of(
    st.just(0),
    st.integers(0, 500),
    st.builds(lambda n, places: n / 10**places, st.integers(0, 10**8), st.integers(0, 6)),
)
rows = st.builds(
    Totals,
    impressions=counts,
    engagements=counts,
    clicks=counts,
    conversions=conversions,
    revenue_minor=counts,
    spend_minor=counts,
    orders=counts,
    video_views=counts,
    sessions=counts,
)
row_lists = st.lists(rows, max_size=12)


def exact(value: int | float) -> Decimal:
    """A cell as the platform wrote it: floats by their shortest repr ("0.37"), never their binary expansion."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def recomputed(key: str, rows: list[Totals]) -> Decimal | None:
    kpi = KPIS[key]
    numerator = sum((exact(getattr(r, kpi.numerator)) for r in rows), Decimal(0))
    denominator = sum((exact(getattr(r, kpi.denominator)) for r in rows), Decimal(0))
    if denominator == 0:
        return None
    return numerator / denominator * kpi.scale


def test_every_kpi_has_a_named_function_and_additive_parts():
    assert set(KPIS) == set(FUNCTIONS)
    names = {f.name for f in fields(Totals)}
    for kpi in KPIS.values():
        assert kpi.numerator in names and kpi.denominator in names
    assert "reach" not in names  # reach is never summed, so it is no Totals field


@PROPERTY
@given(row_lists)
def test_every_kpi_is_the_ratio_of_sums(rows):
    total = Totals.of(rows)
    for key in KPIS:
        expected = recomputed(key, rows)
        assert metrics.value(key, total) == expected, key
        assert FUNCTIONS[key](total) == expected, key


@PROPERTY
@given(row_lists)
def test_a_kpi_is_none_exactly_when_its_denominator_sums_to_zero(rows):
    total = Totals.of(rows)
    for key, kpi in KPIS.items():
        zero = sum(exact(getattr(r, kpi.denominator)) for r in rows) == 0
        assert (metrics.value(key, total) is None) == zero, key
        assert (FUNCTIONS[key](total) is None) == zero, key


def test_a_zero_denominator_is_none_not_zero_even_with_a_numerator():
    t = Totals(clicks=5, engagements=3, conversions=2, revenue_minor=900, orders=0, spend_minor=0)
    assert metrics.ctr(t) is None and metrics.engagement_rate(t) is None  # no impressions
    assert metrics.aov(t) is None and metrics.roas(t) is None and metrics.roi(t) is None


@pytest.mark.parametrize("key", sorted(KPIS))
def test_a_kpi_is_not_the_mean_of_per_row_ratios(key):
    kpi = KPIS[key]
    big = Totals(**{kpi.numerator: 1, kpi.denominator: 1})
    small = Totals(**{kpi.numerator: 1, kpi.denominator: 3})
    per_row = [metrics.value(key, big), metrics.value(key, small)]
    mean_of_ratios = sum(per_row) / 2
    total = metrics.value(key, Totals.of([big, small]))
    assert total == Decimal(2) / Decimal(4) * kpi.scale
    assert total != mean_of_ratios
    assert total != sum(per_row)


@PROPERTY
@given(st.sampled_from(sorted(KPIS)), st.integers(0, 10**6), st.integers(1, 10**6), st.integers(0, 10**6), st.data())
def test_the_mean_of_ratios_is_wrong_whenever_rows_differ(key, num_a, den_a, num_b, data):
    """Not a coincidence of one example: for any two rows whose denominators differ and whose ratios differ,
    the KPI is not the mean of their ratios (it weighs each row by its denominator)."""
    kpi = KPIS[key]
    den_b = data.draw(st.integers(1, 10**6).filter(lambda d: d != den_a))
    a = Totals(**{kpi.numerator: num_a, kpi.denominator: den_a})
    b = Totals(**{kpi.numerator: num_b, kpi.denominator: den_b})
    ra, rb = metrics.value(key, a), metrics.value(key, b)
    if ra == rb:
        return
    total = metrics.value(key, a + b)
    assert total == Decimal(num_a + num_b) / Decimal(den_a + den_b) * kpi.scale
    assert total != (ra + rb) / 2


@PROPERTY
@given(row_lists, st.randoms(use_true_random=False))
def test_totals_do_not_depend_on_the_order_of_rows(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert Totals.of(shuffled) == Totals.of(rows)
    # nor on how they were grouped first
    cut = rnd.randint(0, len(rows))
    assert Totals.of(rows[:cut]) + Totals.of(rows[cut:]) == Totals.of(rows)


@PROPERTY
@given(row_lists)
def test_totals_are_field_by_field_sums(rows):
    total = Totals.of(rows)
    for f in fields(Totals):
        assert exact(getattr(total, f.name)) == sum((exact(getattr(r, f.name)) for r in rows), Decimal(0)), f.name


margins = st.one_of(st.just(Decimal(1)), st.decimals(min_value=0, max_value=1, places=2), st.integers(0, 1))


@PROPERTY
@given(row_lists, margins)
def test_roi_is_margin_revenue_less_spend_over_spend(rows, margin):
    t = Totals.of(rows)
    revenue, spend = Decimal(t.revenue_minor), Decimal(t.spend_minor)
    if spend == 0:
        assert metrics.roi(t, margin) is None
    else:
        assert metrics.roi(t, margin) == (revenue * Decimal(margin) - spend) / spend


def test_roi_default_margin_and_roas_are_not_the_same_number():
    t = Totals(revenue_minor=30_000, spend_minor=10_000)
    assert metrics.roas(t) == 3
    assert metrics.roi(t) == 2
    assert metrics.roi(t, Decimal("0.4")) == Decimal("0.2")  # 30000 x 0.4 - 10000 = 2000
    assert metrics.roi(Totals(revenue_minor=10_000, spend_minor=20_000), Decimal("0.5")) == Decimal("-0.75")


@pytest.mark.parametrize(
    ("impressions", "cpm_minor", "expected"),
    [
        (1, 500, 1),  # 0.5 -> 1
        (3, 500, 2),  # 1.5 -> 2
        (5, 500, 3),  # 2.5 -> 3 (half even would give 2)
        (1, 499, 0),  # 0.499 -> 0
        (7, 1500, 11),  # 10.5 -> 11
        (1_000, 2_000, 2_000),
        (0, 2_000, 0),
        (123_456_789, 500, 61_728_395),  # 61728394.5 -> 61728395
    ],
)
def test_emv_rounds_half_up(impressions, cpm_minor, expected):
    assert metrics.emv(impressions, cpm_minor) == expected


@PROPERTY
@given(st.integers(0, 10**12), st.integers(0, 10**6))
def test_emv_is_impressions_times_cpm_over_1000_rounded_half_up(impressions, cpm_minor):
    whole, rest = divmod(impressions * cpm_minor, 1000)
    assert metrics.emv(impressions, cpm_minor) == whole + (1 if rest >= 500 else 0)

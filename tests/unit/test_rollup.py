"""Folding grouped sums into Totals: a platform's own conversions and revenue never reach the campaign's
figures but stay in that platform's; any grouping adds up to the same grand total; festival days line up."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns import metrics
from campaigns.facts import FIRST_PARTY, SOURCES
from campaigns.metrics import Totals
from campaigns.rollup import aligned, campaign_totals, fold, source_totals

PROPERTY = settings(database=None, deadline=None, max_examples=60)  # no .hypothesis folder in the tree
PLATFORMS = [s for s in SOURCES if s not in FIRST_PARTY]
count = st.integers(0, 10**7)

grouped_rows = st.fixed_dictionaries(
    {
        "source": st.sampled_from(SOURCES),
        "campaign_id": st.sampled_from([1, 2, 3, None]),
        "channel": st.sampled_from(["x", "meta", "shop", "weibo"]),
        "day": st.dates(date(2026, 10, 1), date(2026, 11, 30)),
        "impressions": count,
        "engagements": count,
        "clicks": count,
        "conversions": st.builds(lambda n, p: n / 10**p, st.integers(0, 10**7), st.integers(0, 6)),
        "revenue_minor": count,
        "spend_minor": count,
        "orders": count,
        "video_views": count,
        "sessions": count,
    }
)


def row(source: str, **measures) -> dict:
    base = dict.fromkeys(
        (
            "impressions",
            "engagements",
            "clicks",
            "conversions",
            "revenue_minor",
            "spend_minor",
            "orders",
            "video_views",
            "sessions",
        ),
        0,
    )
    return {"source": source, **base, **measures}


def test_platform_conversions_and_revenue_stay_with_the_platform():
    meta = row("meta", impressions=10_000, clicks=200, conversions=12.5, revenue_minor=90_000, spend_minor=30_000)
    shop = row("orders", orders=7, revenue_minor=21_000, clicks=0)
    campaign = Totals.of(campaign_totals(r) for r in (meta, shop))
    assert campaign.conversions == 7 and campaign.orders == 7
    assert campaign.revenue_minor == 21_000  # the shop's revenue only, not Meta's conversion value
    assert campaign.spend_minor == 30_000 and campaign.impressions == 10_000 and campaign.clicks == 200
    assert metrics.roas(campaign) == Decimal(21_000) / Decimal(30_000)
    meta_own = source_totals(meta)
    assert meta_own.conversions == 12.5 and meta_own.revenue_minor == 90_000
    assert metrics.roas(meta_own) == 3  # Meta's ROAS, from Meta's own figures


@PROPERTY
@given(st.lists(grouped_rows, max_size=20))
def test_platform_conversions_never_reach_campaign_totals(rows):
    platform = [r for r in rows if r["source"] in PLATFORMS]
    first_party = [r for r in rows if r["source"] in FIRST_PARTY]
    campaign = Totals.of(campaign_totals(r) for r in rows)
    assert campaign.revenue_minor == sum(r["revenue_minor"] for r in first_party)
    assert campaign.orders == sum(r["orders"] for r in first_party)
    assert campaign.conversions == sum(r["orders"] for r in first_party)
    for r in platform:
        t = campaign_totals(r)
        assert t.conversions == 0 and t.revenue_minor == 0 and t.orders == 0
    # what every source reports adds up across sources
    for name in ("impressions", "engagements", "clicks", "spend_minor", "video_views", "sessions"):
        assert getattr(campaign, name) == sum(r[name] for r in rows), name


@PROPERTY
@given(grouped_rows)
def test_source_totals_keep_what_the_source_reports(r):
    t = source_totals(r)
    assert t.revenue_minor == r["revenue_minor"] and t.orders == r["orders"]
    if r["source"] in FIRST_PARTY:
        assert t.conversions == r["orders"]  # the shop's conversions are its orders
    else:
        assert t.conversions == round(r["conversions"], 6)
    for name in ("impressions", "engagements", "clicks", "spend_minor", "video_views", "sessions"):
        assert getattr(t, name) == r[name]


KEYS = {
    "source": lambda r: r["source"],
    "campaign": lambda r: r["campaign_id"],
    "channel": lambda r: r["channel"],
    "day": lambda r: r["day"],
    "week": lambda r: r["day"].isocalendar()[:2],
    "source x day": lambda r: (r["source"], r["day"]),
    "all": lambda r: "all",
}


@PROPERTY
@given(st.lists(grouped_rows, max_size=20), st.sampled_from(sorted(KEYS)), st.sampled_from(sorted(KEYS)))
def test_any_grouping_folds_to_the_same_grand_total(rows, by, other):
    for as_totals in (campaign_totals, source_totals):
        grand = Totals.of(as_totals(r) for r in rows)
        assert Totals.of(fold(rows, KEYS[by], as_totals).values()) == grand
        assert Totals.of(fold(rows, KEYS[other], as_totals).values()) == grand
        assert Totals.of(fold(list(reversed(rows)), KEYS[by], as_totals).values()) == grand


def test_fold_keeps_the_order_keys_first_appear_and_defaults_to_campaign_totals():
    rows = [row("meta", clicks=1, revenue_minor=5), row("orders", clicks=2, orders=1), row("meta", clicks=4)]
    out = fold(rows, lambda r: r["source"])
    assert list(out) == ["meta", "orders"]
    assert out["meta"] == Totals(clicks=5)  # Meta's revenue is not the campaign's
    assert out["orders"] == Totals(clicks=2, orders=1, conversions=1)
    assert fold([], lambda r: r["source"]) == {}


FESTIVAL = date(2026, 11, 11)


@PROPERTY
@given(
    st.dictionaries(st.integers(-40, 40), st.integers(1, 10**6), max_size=30),
    st.integers(0, 30),
    st.integers(0, 30),
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_aligned_days_run_from_minus_before_to_after_with_the_festival_at_zero(offsets, before, after, anchor):
    days = {anchor + timedelta(days=d): Totals(clicks=c) for d, c in offsets.items()}
    out = aligned(days, anchor, before, after)
    assert list(out) == list(range(-before, after + 1))
    for d, t in out.items():
        assert t == days.get(anchor + timedelta(days=d), Totals())  # empty days are zero, not missing
    if 0 in offsets:
        assert out[0] == Totals(clicks=offsets[0])


def test_this_year_and_last_year_line_up_day_for_day():
    last_year = {date(2025, 11, 10): Totals(clicks=3), date(2025, 11, 11): Totals(clicks=9)}
    this_year = {date(2026, 11, 11): Totals(clicks=12), date(2026, 11, 12): Totals(clicks=4)}
    a = aligned(last_year, date(2025, 11, 11), 1, 1)
    b = aligned(this_year, FESTIVAL, 1, 1)
    assert list(a) == list(b) == [-1, 0, 1]
    assert [a[d].clicks for d in a] == [3, 9, 0]
    assert [b[d].clicks for d in b] == [0, 12, 4]

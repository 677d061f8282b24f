from decimal import Decimal

from campaigns import metrics
from campaigns.metrics import Totals


def test_ctr_is_a_ratio_of_sums_not_a_mean_of_ratios():
    big = Totals(impressions=100_000, clicks=1_000)  # 1 %
    small = Totals(impressions=100, clicks=10)  # 10 %
    total = Totals.of([big, small])
    assert metrics.ctr(total) == Decimal(1010) / Decimal(100_100)
    assert metrics.ctr(total) != (metrics.ctr(big) + metrics.ctr(small)) / 2


def test_roi_roas_and_conversion_rate():
    t = Totals(clicks=200, conversions=10, revenue_minor=30_000, spend_minor=10_000)
    assert metrics.roas(t) == Decimal(3)
    assert metrics.roi(t) == Decimal(2)
    assert metrics.conversion_rate(t) == Decimal("0.05")


def test_undefined_ratios_are_none_not_zero():
    t = Totals()
    assert metrics.ctr(t) is None
    assert metrics.roi(t) is None
    assert metrics.engagement_rate(t) is None

"""KPI formulas. Every KPI is a ratio of sums, recomputed at whatever grain is shown, never a sum or mean of
ratios; reach is never summed. ``KPIS`` names each one's numerator and denominator, so the console can show
its definition and tests can recompute it the straightforward way.

Revenue and orders that count for the campaign are first-party (the shop's orders, the workspace's own
sheets); conversions and conversion value a platform reports are kept per source with their attribution and
never added across platforms — ROAS per source uses that source's own figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

CONVERSION_PLACES = 6  # fractional conversions (data-driven attribution) as the readers keep them


@dataclass(frozen=True)
class Totals:
    """Additive counts over any set of metric rows. Money in minor units."""

    impressions: int = 0
    engagements: int = 0
    clicks: int = 0
    conversions: float = 0  # may be fractional (data-driven attribution)
    revenue_minor: int = 0
    spend_minor: int = 0
    orders: int = 0
    video_views: int = 0
    sessions: int = 0

    def __add__(self, other: Totals) -> Totals:
        sums = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        if isinstance(sums["conversions"], float):
            # Readers keep fractional conversions to 6 places; rounding each float sum there keeps totals exact
            # and independent of the order rows are added in (0.1 + 0.2 + 0.3 is 0.6, not 0.6000000000000001).
            sums["conversions"] = round(sums["conversions"], CONVERSION_PLACES)
        return Totals(**sums)

    @staticmethod
    def of(rows: Iterable[Totals]) -> Totals:
        total = Totals()
        for row in rows:
            total = total + row
        return total


def _dec(value: int | float) -> Decimal:
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _ratio(numerator: int | float, denominator: int | float) -> Decimal | None:
    """``None`` when the denominator is zero: an undefined ratio is not 0."""
    if denominator == 0:
        return None
    return _dec(numerator) / _dec(denominator)


def ctr(t: Totals) -> Decimal | None:
    """Click-through rate: clicks / impressions."""
    return _ratio(t.clicks, t.impressions)


def engagement_rate(t: Totals) -> Decimal | None:
    """Engagements / impressions (the impression-based variant, ERI)."""
    return _ratio(t.engagements, t.impressions)


def conversion_rate(t: Totals) -> Decimal | None:
    """Conversions / clicks."""
    return _ratio(t.conversions, t.clicks)


def order_rate(t: Totals) -> Decimal | None:
    """Orders / clicks."""
    return _ratio(t.orders, t.clicks)


def cpm(t: Totals) -> Decimal | None:
    """Spend per 1,000 impressions, in minor units."""
    r = _ratio(t.spend_minor, t.impressions)
    return None if r is None else r * 1000


def cpc(t: Totals) -> Decimal | None:
    """Spend / clicks, in minor units."""
    return _ratio(t.spend_minor, t.clicks)


def cpa(t: Totals) -> Decimal | None:
    """Spend / conversions, in minor units."""
    return _ratio(t.spend_minor, t.conversions)


def cost_per_order(t: Totals) -> Decimal | None:
    return _ratio(t.spend_minor, t.orders)


def cpe(t: Totals) -> Decimal | None:
    """Spend / engagements, in minor units."""
    return _ratio(t.spend_minor, t.engagements)


def aov(t: Totals) -> Decimal | None:
    """Average order value: revenue / orders, in minor units."""
    return _ratio(t.revenue_minor, t.orders)


def roas(t: Totals) -> Decimal | None:
    """Revenue / spend. What Chinese platforms label "ROI" (支付ROI) is this."""
    return _ratio(t.revenue_minor, t.spend_minor)


def roi(t: Totals, margin: Decimal | int = 1) -> Decimal | None:
    """(Revenue x gross margin - spend) / spend; with the default margin 1, (revenue - spend) / spend."""
    if t.spend_minor == 0:
        return None
    return (_dec(t.revenue_minor) * Decimal(margin) - _dec(t.spend_minor)) / _dec(t.spend_minor)


def emv(impressions: int, cpm_minor: int) -> int:
    """Earned media value: impressions x the benchmark CPM / 1000, in minor units (rounded half up). The CPM
    is an assumption the person sees and sets; EMV is not revenue."""
    return int((Decimal(impressions) * Decimal(cpm_minor) / 1000).to_integral_value(rounding="ROUND_HALF_UP"))


@dataclass(frozen=True)
class Kpi:
    key: str
    numerator: str  # a Totals field
    denominator: str
    scale: int = 1  # CPM: x 1000
    kind: str = "ratio"  # ratio (shown as %), money (minor units), times (ROAS x)


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        Kpi("ctr", "clicks", "impressions"),
        Kpi("engagement_rate", "engagements", "impressions"),
        Kpi("cvr", "conversions", "clicks"),
        Kpi("order_rate", "orders", "clicks"),
        Kpi("cpm", "spend_minor", "impressions", 1000, "money"),
        Kpi("cpc", "spend_minor", "clicks", 1, "money"),
        Kpi("cpa", "spend_minor", "conversions", 1, "money"),
        Kpi("cost_per_order", "spend_minor", "orders", 1, "money"),
        Kpi("cpe", "spend_minor", "engagements", 1, "money"),
        Kpi("aov", "revenue_minor", "orders", 1, "money"),
        Kpi("roas", "revenue_minor", "spend_minor", 1, "times"),
    )
}


def value(key: str, t: Totals) -> Decimal | None:
    k = KPIS[key]
    r = _ratio(getattr(t, k.numerator), getattr(t, k.denominator))
    return None if r is None else r * k.scale

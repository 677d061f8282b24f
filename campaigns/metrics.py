"""KPI formulas. Ratios are always ratios of sums; reach is never summed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Totals:
    """Additive counts over any set of metric rows. Money in minor units."""

    impressions: int = 0
    engagements: int = 0
    clicks: int = 0
    conversions: int = 0
    revenue_minor: int = 0
    spend_minor: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.impressions + other.impressions,
            self.engagements + other.engagements,
            self.clicks + other.clicks,
            self.conversions + other.conversions,
            self.revenue_minor + other.revenue_minor,
            self.spend_minor + other.spend_minor,
        )

    @staticmethod
    def of(rows: Iterable[Totals]) -> Totals:
        total = Totals()
        for row in rows:
            total = total + row
        return total


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    """``None`` when the denominator is zero: an undefined ratio is not 0."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def ctr(t: Totals) -> Decimal | None:
    """Click-through rate: clicks / impressions."""
    return _ratio(t.clicks, t.impressions)


def engagement_rate(t: Totals) -> Decimal | None:
    """Engagements / impressions (the impression-based variant)."""
    return _ratio(t.engagements, t.impressions)


def conversion_rate(t: Totals) -> Decimal | None:
    """Conversions / clicks."""
    return _ratio(t.conversions, t.clicks)


def roas(t: Totals) -> Decimal | None:
    """Revenue / spend."""
    return _ratio(t.revenue_minor, t.spend_minor)


def roi(t: Totals) -> Decimal | None:
    """(Revenue - spend) / spend."""
    return _ratio(t.revenue_minor - t.spend_minor, t.spend_minor)

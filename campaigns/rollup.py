"""Folding grouped sums (one dict per group and source, as the rollup returns them) into ``Totals``.

For the campaign, conversions are its first-party orders and revenue its first-party revenue
(campaigns.facts.FIRST_PARTY); a platform's own conversions and conversion value count only in that
platform's ``by_source`` figures, where ROAS is the platform's ROAS. Impressions, engagements, clicks, video
views, sessions and spend add up across every source.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, timedelta

from campaigns.facts import FIRST_PARTY
from campaigns.metrics import Totals


def campaign_totals(row: dict) -> Totals:
    first_party = row["source"] in FIRST_PARTY
    return Totals(
        impressions=int(row["impressions"]),
        engagements=int(row["engagements"]),
        clicks=int(row["clicks"]),
        conversions=int(row["orders"]) if first_party else 0,
        revenue_minor=int(row["revenue_minor"]) if first_party else 0,
        spend_minor=int(row["spend_minor"]),
        orders=int(row["orders"]) if first_party else 0,
        video_views=int(row["video_views"]),
        sessions=int(row["sessions"]),
    )


def source_totals(row: dict) -> Totals:
    """A source's figures as that source reports them (orders for the shop's own files)."""
    first_party = row["source"] in FIRST_PARTY
    return Totals(
        impressions=int(row["impressions"]),
        engagements=int(row["engagements"]),
        clicks=int(row["clicks"]),
        conversions=int(row["orders"]) if first_party else round(float(row["conversions"]), 6),
        revenue_minor=int(row["revenue_minor"]),
        spend_minor=int(row["spend_minor"]),
        orders=int(row["orders"]),
        video_views=int(row["video_views"]),
        sessions=int(row["sessions"]),
    )


def fold(
    rows: Iterable[dict], key: Callable[[dict], Hashable], as_totals: Callable[[dict], Totals] = campaign_totals
) -> dict[Hashable, Totals]:
    """Totals per ``key(row)``, in the order keys first appear."""
    out: dict[Hashable, Totals] = {}
    for row in rows:
        k = key(row)
        out[k] = out.get(k, Totals()) + as_totals(row)
    return out


def aligned(days: dict[date, Totals], anchor: date, before: int, after: int) -> dict[int, Totals]:
    """Daily totals keyed by days from ``anchor`` (the festival's day): -before .. +after, empty days as zero,
    so this year and last year line up day for day."""
    return {d: days.get(anchor + timedelta(days=d), Totals()) for d in range(-before, after + 1)}

"""What the dashboards and `python -m app report` show: a campaign's (or every campaign's) figures from the
rollup, in its own currency, as ratios of sums at each grain, against its targets, and against the same
festival last year aligned by days to the festival."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.bootstrap import Container
from app.services.auth import Actor, requires
from campaigns import calendar, metrics, rollup
from campaigns.access import Permission
from campaigns.metrics import Totals
from campaigns.planning import Target
from campaigns.promotions.money import exponent

DEFAULT_MARGIN = Decimal("0.4")  # gross margin for ROI when the person has not set one
DEFAULT_EMV_CPM = Decimal(50)  # per 1,000 impressions, in the report's currency: an assumption, shown and editable


@dataclass(frozen=True)
class Filters:
    campaign_ids: tuple[int, ...] = ()  # () = every campaign
    day_from: date | None = None
    day_to: date | None = None
    channels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass
class Report:
    currency: str
    totals: Totals
    kpis: dict[str, Decimal | None]
    roi: Decimal | None
    margin: Decimal
    emv_minor: int
    emv_cpm_minor: int
    by_day: dict[date, Totals] = field(default_factory=dict)
    by_channel: dict[str, Totals] = field(default_factory=dict)
    by_source: dict[str, Totals] = field(default_factory=dict)  # as each platform reports (its own conversions)
    attributions: dict[str, list[str]] = field(default_factory=dict)
    by_account: dict[int | None, Totals] = field(default_factory=dict)
    by_partner: dict[int | None, Totals] = field(default_factory=dict)
    by_post: dict[int | None, Totals] = field(default_factory=dict)
    by_campaign: dict[int, Totals] = field(default_factory=dict)
    names: dict[str, dict] = field(default_factory=dict)  # account / partner / post / campaign id -> label
    other_currencies: dict[str, int] = field(default_factory=dict)  # spend left out, per currency
    targets: dict[str, tuple[object, object]] = field(default_factory=dict)  # target -> (planned, actual)
    phases: list[tuple[str, date, date]] = field(default_factory=list)  # (kind, first day, last day)

    @property
    def empty(self) -> bool:
        return not self.by_day


def kpis(t: Totals) -> dict[str, Decimal | None]:
    return {k: metrics.value(k, t) for k in metrics.KPIS}


def _ws(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise LookupError("no workspace")
    return ws


@requires(Permission.VIEW_DASHBOARDS)
def report(
    c: Container,
    actor: Actor,
    filters: Filters = Filters(),
    margin: Decimal = DEFAULT_MARGIN,
    emv_cpm: Decimal = DEFAULT_EMV_CPM,
) -> Report:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:  # a fresh installation: nothing to show yet
            return Report(c.settings.currency, Totals(), kpis(Totals()), None, margin, 0, 0)
        camps = {k.id: k for k in uow.campaigns.all(ws.id)}
        ids = [i for i in filters.campaign_ids if i in camps] if filters.campaign_ids else list(camps)
        currency = camps[ids[0]].currency if len(ids) == 1 else ws.currency
        args = dict(
            campaign_ids=ids,
            day_from=filters.day_from,
            day_to=filters.day_to,
            channels=filters.channels,
            sources=filters.sources,
        )

        def rows(*group):
            return [r for r in uow.measure.sums(ws.id, (*group, "source", "currency"), **args)]

        emv_cpm_minor = int((Decimal(emv_cpm) * 10 ** exponent(currency)).to_integral_value())
        rep = Report(currency, Totals(), {}, None, margin, 0, emv_cpm_minor)
        mine = _money_in(currency, rollup.campaign_totals)
        for r in rows():
            if r["currency"] not in (currency, "") and r["spend_minor"]:
                other = str(r["currency"])
                rep.other_currencies[other] = rep.other_currencies.get(other, 0) + int(r["spend_minor"])
        rep.by_day = dict(sorted(rollup.fold(rows("day"), lambda r: r["day"], mine).items()))
        rep.totals = Totals.of(rep.by_day.values())
        for dim, attr in (
            ("channel", "by_channel"),
            ("account_id", "by_account"),
            ("partner_id", "by_partner"),
            ("post_id", "by_post"),
            ("campaign_id", "by_campaign"),
        ):
            setattr(rep, attr, rollup.fold(rows(dim), lambda r, d=dim: r[d], mine))
        rep.by_source = rollup.fold(rows(), lambda r: r["source"], _money_in(currency, rollup.source_totals))
        rep.attributions = uow.measure.attributions(ws.id, ids)
        rep.kpis = kpis(rep.totals)
        rep.roi = metrics.roi(rep.totals, margin)
        rep.emv_minor = metrics.emv(rep.totals.impressions, emv_cpm_minor)
        rep.names = _names(uow, ws.id, camps)
        if len(ids) == 1:
            k = camps[ids[0]]
            rep.targets = _targets(k.targets or {}, rep.totals)
            tz = ZoneInfo(k.timezone)
            rep.phases = [
                (p.kind, p.starts_at.astimezone(tz).date(), p.ends_at.astimezone(tz).date())
                for p in uow.campaigns.phases([k.id])
            ]
    return rep


def _money_in(currency: str, as_totals):
    """Totals of a row, its money counted only when it is in ``currency`` (counts always count)."""

    def totals(row: dict) -> Totals:
        t = as_totals(row)
        if row["currency"] in (currency, ""):
            return t
        return replace(t, spend_minor=0, revenue_minor=0)

    return totals


def _names(uow, ws_id: int, camps) -> dict[str, dict]:
    return {
        "account_id": {a.id: a.name for a in uow.channel_accounts.all(ws_id)},
        "partner_id": {p.id: p.name for p in uow.partners.all(ws_id)},
        "campaign_id": {k.id: k.name for k in camps.values()},
    }


def _targets(targets: dict, t: Totals) -> dict[str, tuple[object, object]]:
    """(planned, actual) per target set. The ROI target is the plan's: (revenue - spend) / spend, without the
    gross margin the headline ROI applies (campaigns.planning.Target.ROI)."""
    actual = {
        Target.EXPOSURE: t.impressions,
        Target.CLICKS: t.clicks,
        Target.CONVERSIONS: t.orders,
        Target.GMV: t.revenue_minor,
        Target.ROI: metrics.roi(t),
    }
    return {str(k): (targets[str(k)], actual[k]) for k in Target if str(k) in targets}


@requires(Permission.VIEW_DASHBOARDS)
def campaigns_with_figures(c: Container, actor: Actor) -> list[int]:
    """Campaigns that have figures, the most recent figures first (the dashboard opens on the first)."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return []
        rows = uow.measure.sums(ws.id, ("campaign_id",))
        last = uow.measure.last_days(ws.id)
    return sorted((r["campaign_id"] for r in rows), key=lambda cid: last.get(cid), reverse=True)


@functools.lru_cache(maxsize=512)
def _festival_day(key: str, year: int, region: str) -> date | None:
    """The festival's day in a year (the lunar calendar is costly to lay out: computed once per year)."""
    try:
        return calendar.find_in(key, year, (region,)).end
    except (KeyError, ValueError):
        return None


@dataclass
class YearOverYear:
    festival: str
    this_year: dict[int, Totals]
    last_year: dict[int, Totals] | None
    last_campaign: str | None


@requires(Permission.VIEW_DASHBOARDS)
def year_over_year(c: Container, actor: Actor, campaign_id: int) -> YearOverYear | None:
    """This campaign's daily figures beside last year's campaign for the same festival, both keyed by days from
    their festival's day. None when the campaign has no festival."""
    with c.uow() as uow:
        ws = _ws(uow)
        camps = uow.campaigns.all(ws.id)
        k = next((x for x in camps if x.id == campaign_id), None)
        if k is None or not k.festival_key:
            return None
        tz = ZoneInfo(k.timezone)

        def window(x) -> tuple[date, date]:
            return x.starts_at.astimezone(tz).date(), x.ends_at.astimezone(tz).date()

        def anchor(x) -> date | None:
            """The festival's day that falls in the campaign's window, else the nearest one."""
            first, last = window(x)
            days = []
            for y in range(first.year - 1, last.year + 2):
                day = _festival_day(x.festival_key, y, x.festival_region)
                if day is not None:
                    days.append(day)
            inside = [d for d in days if first <= d <= last]
            near = sorted(days, key=lambda d: min(abs((d - first).days), abs((d - last).days)))
            return (inside or near or [None])[0]

        def daily(cid: int, currency: str) -> dict[date, Totals]:
            rows = uow.measure.sums(ws.id, ("day", "source", "currency"), campaign_ids=[cid])
            return rollup.fold(rows, lambda r: r["day"], _money_in(currency, rollup.campaign_totals))

        this_anchor = anchor(k)
        if this_anchor is None:
            return None
        first, last = window(k)
        before, after = max(0, (this_anchor - first).days), max(0, (last - this_anchor).days)
        this = rollup.aligned(daily(k.id, k.currency), this_anchor, before, after)
        earlier = [
            (x, a)
            for x in sorted(camps, key=lambda x: x.ends_at, reverse=True)
            if x.id != k.id and x.festival_key == k.festival_key
            for a in [anchor(x)]
            if a is not None and a.year == this_anchor.year - 1
        ]
        if not earlier:
            return YearOverYear(k.festival_key, this, None, None)
        prev, prev_anchor = earlier[0]
        last_year = rollup.aligned(daily(prev.id, k.currency), prev_anchor, before, after)
        return YearOverYear(k.festival_key, this, last_year, prev.name)

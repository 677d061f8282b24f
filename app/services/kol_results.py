"""What each KOL partner brought in: a campaign's (or every campaign's) results per partner — cost from the deals,
figures from the imported rows that name the partner — the leaderboard, and "would we book them again". Reading
needs VIEW_DASHBOARDS. The arithmetic and the rules are ``campaigns.kol_results``.

A campaign's board is in the campaign's currency; the board across campaigns in the workspace's, each deal
converted by its own rate (what cannot be converted is left out and counted). Declined deals are not counted;
partners with figures but no deal in a campaign are shown without a cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from app.bootstrap import Container
from app.services.auth import Actor, requires
from app.services.measure import DEFAULT_EMV_CPM, DEFAULT_MARGIN
from campaigns import kol_results as kr
from campaigns import rollup
from campaigns.access import Permission
from campaigns.kol_deals import Status
from campaigns.metrics import Totals
from campaigns.promotions.money import exponent
from data.models_deals import KolDealEvent


@dataclass(frozen=True)
class Row:
    """One partner on a board: summed figures, KPIs and the verdict with its reasons."""

    partner_id: int
    name: str
    result: kr.Result
    kpis: kr.Kpis
    verdict: kr.Verdict


@dataclass(frozen=True)
class Board:
    currency: str
    margin: Decimal
    emv_cpm_minor: int  # the benchmark CPM, minor units of ``currency`` per 1,000 impressions
    rules: kr.Rules
    rows: list[Row]  # leaderboard order
    median_cpe: Decimal | None  # of the partners compared (minor units per engagement)
    campaign_id: int | None = None  # None: every campaign
    revenue_left_out: dict[str, int] = field(default_factory=dict)  # per currency, not convertible
    fees_left_out: dict[str, int] = field(default_factory=dict)
    deals_left_out: int = 0

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class HistoryRow:
    """One of a partner's deals, in its campaign's currency."""

    deal_id: int
    campaign_id: int
    campaign: str
    status: str
    deal_currency: str
    fee_minor: int  # the deliverables' fees, in the deal's currency
    currency: str  # the campaign's: every figure below
    result: kr.Result
    kpis: kr.Kpis


def _ws(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise LookupError("no workspace")
    return ws


def _cpm_minor(emv_cpm: Decimal, currency: str) -> int:
    return int((Decimal(emv_cpm) * 10 ** exponent(currency)).to_integral_value())


def _load(uow, ws_id: int, campaign_ids: Sequence[int] | None, partner_ids: Sequence[int] | None = None):
    """(deals as kol_results.Deal, figures per (campaign, partner) and currency) of the campaigns asked."""
    camps = {k.id: k for k in uow.campaigns.all(ws_id)}
    rows = [
        d
        for d in uow.deals.deals(ws_id, campaign_ids, partner_ids)
        if d.status != Status.DECLINED and d.campaign_id in camps
    ]
    ids = [d.id for d in rows]
    items = uow.deals.deliverables(ids)
    paid = uow.deals.payments(ids)
    changes = _change_requests(uow, ids)
    deals = [
        kr.Deal(
            d.id,
            d.campaign_id,
            d.partner_id,
            d.status,
            d.currency,
            camps[d.campaign_id].currency,
            d.fx_rate,
            tuple(x.fee_minor for x in items[d.id]),
            tuple(p.amount_minor for p in paid[d.id]),
            tuple((x.due_at, x.published_at) for x in items[d.id]),
            changes.get(d.id, 0),
        )
        for d in rows
    ]
    if partner_ids is not None:  # one partner's history: only the campaigns of their deals
        campaign_ids = sorted({d.campaign_id for d in rows})
    group = ("campaign_id", "partner_id", "source", "currency")
    sums = uow.measure.sums(ws_id, group, campaign_ids=campaign_ids) if campaign_ids != [] else []
    figures: dict[tuple[int, int], dict[str, Totals]] = {}
    for r in sums:
        if r["partner_id"] is None or r["campaign_id"] is None:
            continue
        if partner_ids is not None and r["partner_id"] not in partner_ids:
            continue
        per = figures.setdefault((r["campaign_id"], r["partner_id"]), {})
        cur = str(r["currency"] or "")
        per[cur] = per.get(cur, Totals()) + rollup.campaign_totals(r)
    return camps, deals, figures


def _change_requests(uow, deal_ids: list[int]) -> dict[int, int]:
    """Submitted → agreed transitions per deal, in one query."""
    if not deal_ids:
        return {}
    e = KolDealEvent
    q = (
        select(e.deal_id, func.count())
        .where(e.deal_id.in_(deal_ids), e.from_status == Status.SUBMITTED.value, e.to_status == Status.AGREED.value)
        .group_by(e.deal_id)
    )
    return {deal_id: n for deal_id, n in uow.session.execute(q).all()}


def _results(deals, figures, currency_of, now) -> list[kr.Result]:
    """One result per deal, and one per (campaign, partner) with figures but no deal."""
    out = []
    with_deal = set()
    for d in deals:
        with_deal.add((d.campaign_id, d.partner_id))
        out.append(kr.deal_result(d, figures.get((d.campaign_id, d.partner_id), {}), currency_of(d.campaign_id), now))
    for (cid, pid), f in figures.items():
        if (cid, pid) not in with_deal:
            out.append(kr.figures_only(pid, f, currency_of(cid)))
    return out


def _board(results, names, currency, margin, emv_cpm, rules, campaign_id=None) -> Board:
    cpm_minor = _cpm_minor(emv_cpm, currency)
    partners = kr.per_partner(results)
    ks = {pid: kr.kpis(r, margin, cpm_minor) for pid, r in partners.items()}
    cpes = [k.cpe for k in ks.values() if k.cpe is not None]
    mid = kr.median(cpes)
    rows = [
        Row(
            r.partner_id,
            names.get(r.partner_id, ""),
            r,
            ks[r.partner_id],
            kr.verdict(ks[r.partner_id], r, mid, len(cpes), rules),
        )
        for r in kr.leaderboard(partners.values(), margin, lambda pid: names.get(pid, ""))
    ]
    total = kr.Result(0, currency)
    for r in partners.values():
        total = total + r
    return Board(
        currency,
        margin,
        cpm_minor,
        rules,
        rows,
        mid,
        campaign_id,
        total.revenue_left_out,
        total.fees_left_out,
        total.deals_left_out,
    )


@requires(Permission.VIEW_DASHBOARDS)
def campaign_board(
    c: Container,
    actor: Actor,
    campaign_id: int,
    margin: Decimal = DEFAULT_MARGIN,
    emv_cpm: Decimal = DEFAULT_EMV_CPM,
    rules: kr.Rules = kr.Rules(),
) -> Board:
    """The campaign's partners in its currency, leaderboard order; the CPE median is of its partners.
    ``emv_cpm`` in major units of the campaign's currency."""
    with c.uow() as uow:
        ws = _ws(uow)
        camps, deals, figures = _load(uow, ws.id, [campaign_id])
        if campaign_id not in camps:
            raise LookupError("no such campaign")
        currency = camps[campaign_id].currency
        names = {p.id: p.name for p in uow.partners.all(ws.id)}
    results = _results(deals, figures, lambda _cid: currency, c.clock())
    return _board(results, names, currency, margin, emv_cpm, rules, campaign_id)


@requires(Permission.VIEW_DASHBOARDS)
def across(
    c: Container,
    actor: Actor,
    margin: Decimal = DEFAULT_MARGIN,
    emv_cpm: Decimal = DEFAULT_EMV_CPM,
    rules: kr.Rules = kr.Rules(),
) -> Board:
    """Every campaign, summed per partner in the workspace's currency; the CPE median is of every partner shown.
    ``emv_cpm`` in major units of the workspace's currency."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return Board(c.settings.currency, margin, 0, rules, [], None)
        _, deals, figures = _load(uow, ws.id, None)
        names = {p.id: p.name for p in uow.partners.all(ws.id)}
        currency = ws.currency
    results = _results(deals, figures, lambda _cid: currency, c.clock())
    return _board(results, names, currency, margin, emv_cpm, rules)


@requires(Permission.VIEW_DASHBOARDS)
def partner_history(
    c: Container,
    actor: Actor,
    partner_id: int,
    margin: Decimal = DEFAULT_MARGIN,
    emv_cpm: Decimal = DEFAULT_EMV_CPM,
) -> list[HistoryRow]:
    """The partner's deals, latest campaign first, each in its campaign's currency: fee, paid, KPIs, on time."""
    now = c.clock()
    with c.uow() as uow:
        ws = _ws(uow)
        camps, deals, figures = _load(uow, ws.id, None, [partner_id])
    out = []
    for d in deals:
        k = camps[d.campaign_id]
        r = kr.deal_result(d, figures.get((d.campaign_id, d.partner_id), {}), k.currency, now)
        out.append(
            HistoryRow(
                d.deal_id,
                k.id,
                k.name,
                d.status,
                d.currency,
                sum(d.fees),
                k.currency,
                r,
                kr.kpis(r, margin, _cpm_minor(emv_cpm, k.currency)),
            )
        )
    out.sort(key=lambda h: (camps[h.campaign_id].starts_at, h.deal_id), reverse=True)
    return out


@requires(Permission.VIEW_DASHBOARDS)
def past_cpe(c: Container, actor: Actor) -> dict[int, Decimal | None]:
    """Cost per engagement from past deals, per partner of the workspace: every campaign's deals summed in the
    workspace's currency (minor units per engagement; deals that cannot be converted left out). None for a
    partner without a deal that has both a cost and engagements."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return {}
        everyone = [p.id for p in uow.partners.all(ws.id)]
        _, deals, figures = _load(uow, ws.id, None)
        currency = ws.currency
    now = c.clock()
    results = [kr.deal_result(d, figures.get((d.campaign_id, d.partner_id), {}), currency, now) for d in deals]
    per = kr.per_partner(results)
    out: dict[int, Decimal | None] = {}
    for pid in everyone:
        r = per.get(pid)
        out[pid] = None if r is None or not r.has_figures else kr.kpis(r, DEFAULT_MARGIN, 0).cpe
    return out

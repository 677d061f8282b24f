"""What each KOL partner brought in, and whether to book them again. Pure: stored facts in, figures out.

**Cost.** A deal costs its deliverables' fees (*committed*, from agreed on: ``kol_deals.COMMITTED``) and what
was paid (*actual*), each converted to the figures' currency one amount at a time, half up — the way the budget
view converts them. The KPIs use the committed fees; a deal that never reached agreed (invited, or cancelled
before) costs what was paid. Spend imported on the partner's rows is not added: the deal is the cost. Declined
deals are left out by the caller.

**KPIs** are ratios of the sums over the deal's (or the partner's deals') imported rows: CPM = cost ÷
impressions × 1,000, CPE = cost ÷ engagements, cost per order = cost ÷ orders, ROAS = revenue ÷ cost,
ROI = (revenue × gross margin − cost) ÷ cost, EMV = impressions × the benchmark CPM ÷ 1,000 (an assumption the
person sees and sets; EMV is not revenue). Revenue and orders are first-party (``campaigns.rollup``). Without
a cost (figures but no deal, or a deal that commits nothing yet) the cost ratios are not shown, not 0.

**Currencies.** Every figure is in one currency. A deal knows one rate: campaign currency per unit of the deal's
(``fx_rate``); its fees, payments and revenue convert through it, both ways. Revenue in a currency the deal's
rate cannot reach is left out and counted per currency (``Result.revenue_left_out``); a deal whose fees cannot be
converted is left out whole — its counts too, so no ratio mixes in figures without their cost — and counted
(``deals_left_out``, ``fees_left_out``).

**Leaderboard**: highest ROI first, then most revenue; partners with figures but no cost next (by revenue);
partners without figures last ("no figures yet").

**Would we book them again** — four checks, each good, bad or unknown, and stated with its figures:

- ROI ≥ the threshold (default 0: at least broke even) — unknown without figures or without a cost;
- CPE ≤ the median CPE of the partners compared (the campaign's, or everyone's across campaigns) — unknown
  without a CPE or with fewer than two partners to compare;
- deliverables published on time (published ≤ due) — bad when any was late or is missing past its due time,
  good when at least one was on time and none late or missing, unknown while nothing is due;
- change requests (content sent back: submitted → agreed) — bad when more than ``max_changes_per_deal`` per deal.

The answer: ROI unknown → *not enough data*; ROI good → *yes* when no other check is bad, else *maybe*;
ROI bad → *maybe* when no other check is bad, else *no*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from campaigns import metrics
from campaigns.kol_deals import COMMITTED, Status
from campaigns.metrics import Totals
from campaigns.promotions.money import exponent

YES, MAYBE, NO, NOT_ENOUGH = "yes", "maybe", "no", "not_enough_data"
GOOD, BAD, UNKNOWN = "good", "bad", "unknown"
ANSWERS = (YES, MAYBE, NO, NOT_ENOUGH)
CHECKS = ("roi", "cpe", "delivery", "changes")


@dataclass(frozen=True)
class Deal:
    """One deal as stored, with what the metrics need of it."""

    deal_id: int
    campaign_id: int
    partner_id: int
    status: str  # campaigns.kol_deals.Status
    currency: str  # the deal's
    campaign_currency: str
    fx_rate: Decimal | None  # campaign currency per unit of the deal's; None when the two are the same
    fees: tuple[int, ...] = ()  # each deliverable's fee, minor units of the deal's currency
    payments: tuple[int, ...] = ()  # each payment, minor units of the deal's currency
    deliverables: tuple[tuple[datetime, datetime | None], ...] = ()  # (due, published) per deliverable
    change_requests: int = 0


def change_requests(transitions: Iterable[tuple[str | None, str | None]]) -> int:
    """How many times submitted content was sent back (submitted → agreed), from (from, to) status pairs."""
    return sum(1 for was, to in transitions if was == Status.SUBMITTED and to == Status.AGREED)


@dataclass(frozen=True)
class Delivery:
    on_time: int = 0  # published at or before its due time
    late: int = 0  # published after its due time
    missing: int = 0  # past its due time, not published
    pending: int = 0  # not yet due, not published

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def delivery(items: Iterable[tuple[datetime, datetime | None]], now: datetime) -> Delivery:
    on_time = late = missing = pending = 0
    for due, published in items:
        if published is not None:
            on_time, late = (on_time + 1, late) if published <= due else (on_time, late + 1)
        elif due < now:
            missing += 1
        else:
            pending += 1
    return Delivery(on_time, late, missing, pending)


def rates(deal: Deal) -> dict[str, Decimal]:
    """What one major unit of each currency the deal knows is worth in the campaign's currency."""
    out = {deal.campaign_currency: Decimal(1)}
    if deal.currency != deal.campaign_currency and deal.fx_rate:
        out[deal.currency] = Decimal(deal.fx_rate)
    return out


def convert(amount_minor: int, frm: str, to: str, known: Mapping[str, Decimal]) -> int | None:
    """``amount_minor`` of ``frm`` in minor units of ``to`` through ``known`` (value of each in one common
    currency), rounded half up; None when either currency is not known."""
    if frm == to:
        return amount_minor
    if frm not in known or to not in known:
        return None
    major = Decimal(amount_minor).scaleb(-exponent(frm)) * known[frm] / known[to]
    return int(major.scaleb(exponent(to)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Result:
    """Figures of one deal, or of one partner (the sum of their deals), in ``currency``. ``totals.spend_minor``
    is the cost the KPIs use.

    Figures from campaigns where the partner had no deal have no cost: once a partner has a deal, such figures
    move to ``no_deal`` (shown apart), so every ratio is over rows that come with their cost."""

    partner_id: int
    currency: str
    totals: Totals = field(default_factory=Totals)
    committed_minor: int = 0
    paid_minor: int = 0
    deals: int = 0  # deals counted (not those left out)
    has_figures: bool = False  # imported rows name the partner among those in ``totals``
    delivery: Delivery = field(default_factory=Delivery)
    change_requests: int = 0
    revenue_left_out: dict[str, int] = field(default_factory=dict)  # revenue not convertible, per currency
    fees_left_out: dict[str, int] = field(default_factory=dict)  # fees of the deals left out, per currency
    deals_left_out: int = 0
    no_deal: Totals = field(default_factory=Totals)  # figures without a deal, kept out of the ratios

    @property
    def cost_minor(self) -> int:
        return self.totals.spend_minor

    def __add__(self, other: Result) -> Result:
        costed = bool(self.deals or other.deals)

        def part(r: Result) -> tuple[Totals, Totals, bool]:
            if costed and not r.deals:  # figures without a cost beside a partner's deals: kept apart
                return Totals(), r.totals + r.no_deal, False
            return r.totals, r.no_deal, r.has_figures

        mine, theirs = part(self), part(other)
        return Result(
            self.partner_id,
            self.currency,
            mine[0] + theirs[0],
            self.committed_minor + other.committed_minor,
            self.paid_minor + other.paid_minor,
            self.deals + other.deals,
            mine[2] or theirs[2],
            self.delivery + other.delivery,
            self.change_requests + other.change_requests,
            _merged(self.revenue_left_out, other.revenue_left_out),
            _merged(self.fees_left_out, other.fees_left_out),
            self.deals_left_out + other.deals_left_out,
            mine[1] + theirs[1],
        )


def _merged(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _counted(figures: Mapping[str, Totals], to: str, known: Mapping[str, Decimal]) -> tuple[Totals, dict[str, int]]:
    """The figures' counts and revenue in ``to`` (spend dropped); revenue that cannot be converted, per currency.
    Rows without a currency carry counts only."""
    total, left = Totals(), {}
    for currency, t in figures.items():
        revenue = convert(t.revenue_minor, currency, to, known) if currency else 0
        if revenue is None:
            left[currency] = left.get(currency, 0) + t.revenue_minor
            revenue = 0
        total = total + Totals(
            impressions=t.impressions,
            engagements=t.engagements,
            clicks=t.clicks,
            conversions=t.conversions,
            revenue_minor=revenue,
            orders=t.orders,
            video_views=t.video_views,
            sessions=t.sessions,
        )
    return total, left


def deal_result(deal: Deal, figures: Mapping[str, Totals], to: str, now: datetime) -> Result:
    """One deal's figures in ``to``. ``figures``: the deal's partner's imported sums in the deal's campaign, per
    currency ("" for rows without money), as ``rollup.campaign_totals`` makes them."""
    known = rates(deal)
    fees = [convert(x, deal.currency, to, known) for x in deal.fees]
    paid = [convert(x, deal.currency, to, known) for x in deal.payments]
    # only work the partner agreed to counts for or against them (not invitations, not cancelled deals)
    done = delivery(deal.deliverables, now) if Status(deal.status) in COMMITTED else Delivery()
    if None in fees or None in paid:  # the deal's money cannot reach ``to``: left out whole, and counted
        revenue: dict[str, int] = {}
        for currency, t in figures.items():
            if currency and t.revenue_minor:
                revenue[currency] = revenue.get(currency, 0) + t.revenue_minor
        return Result(
            deal.partner_id,
            to,
            delivery=done,
            change_requests=deal.change_requests,
            revenue_left_out=revenue,
            fees_left_out={deal.currency: sum(deal.fees)},
            deals_left_out=1,
        )
    committed = sum(fees) if Status(deal.status) in COMMITTED else 0
    paid_minor = sum(paid)
    cost = committed if Status(deal.status) in COMMITTED else paid_minor
    counts, left = _counted(figures, to, known)
    return Result(
        deal.partner_id,
        to,
        Totals(**{**_as_dict(counts), "spend_minor": cost}),
        committed,
        paid_minor,
        1,
        bool(figures),
        done,
        deal.change_requests,
        left,
    )


def figures_only(partner_id: int, figures: Mapping[str, Totals], to: str) -> Result:
    """A partner's imported figures without a deal (no cost known): money only in ``to``."""
    counts, left = _counted(figures, to, {to: Decimal(1)})
    return Result(partner_id, to, counts, has_figures=bool(figures), revenue_left_out=left)


def _as_dict(t: Totals) -> dict:
    return {f.name: getattr(t, f.name) for f in fields(t)}


def per_partner(results: Iterable[Result]) -> dict[int, Result]:
    """Results summed per partner, in the order partners first appear."""
    out: dict[int, Result] = {}
    for r in results:
        out[r.partner_id] = out[r.partner_id] + r if r.partner_id in out else r
    return out


@dataclass(frozen=True)
class Kpis:
    impressions: int
    engagements: int
    clicks: int
    orders: int
    revenue_minor: int
    cost_minor: int
    cpm: Decimal | None  # minor units per 1,000 impressions
    cpe: Decimal | None  # minor units per engagement
    cost_per_order: Decimal | None
    roi: Decimal | None
    roas: Decimal | None
    emv_minor: int


def kpis(r: Result, margin: Decimal, emv_cpm_minor: int) -> Kpis:
    """The KPIs of a result as ratios of its sums. Without a cost (no deal, or one that commits nothing yet) the
    cost ratios are None, not 0; without figures ROI and ROAS are None, not −100 % and 0."""
    t = r.totals
    cost = t.spend_minor > 0
    figures = r.has_figures
    return Kpis(
        t.impressions,
        t.engagements,
        t.clicks,
        t.orders,
        t.revenue_minor,
        t.spend_minor,
        metrics.cpm(t) if cost else None,
        metrics.cpe(t) if cost else None,
        metrics.cost_per_order(t) if cost else None,
        metrics.roi(t, margin) if figures else None,
        metrics.roas(t) if figures else None,
        metrics.emv(t.impressions, emv_cpm_minor),
    )


def leaderboard(results: Iterable[Result], margin: Decimal, name: Callable[[int], str] = str) -> list[Result]:
    """Highest ROI first, then most revenue; partners with figures but no ROI (no cost) next, by revenue;
    partners without figures last. Ties by name, then id."""

    def key(r: Result):
        roi = metrics.roi(r.totals, margin) if r.has_figures else None
        group = 0 if roi is not None else 1 if r.has_figures else 2
        return (group, -(roi or 0), -r.totals.revenue_minor, name(r.partner_id), r.partner_id)

    return sorted(results, key=key)


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The median of the values that are not None; None when there are none."""
    xs = sorted(v for v in values if v is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


@dataclass(frozen=True)
class Rules:
    roi_at_least: Decimal = Decimal(0)  # 0: the partner at least broke even
    max_changes_per_deal: int = 1


@dataclass(frozen=True)
class Reason:
    check: str  # one of CHECKS
    outcome: str  # good / bad / unknown
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    answer: str  # one of ANSWERS
    reasons: tuple[Reason, ...]


def verdict(k: Kpis, r: Result, median_cpe: Decimal | None, compared: int, rules: Rules = Rules()) -> Verdict:
    """Would we book them again? ``compared``: how many partners have a CPE in the median."""
    if k.roi is None:
        roi = Reason("roi", UNKNOWN, {"threshold": rules.roi_at_least})
    else:
        roi = Reason(
            "roi", GOOD if k.roi >= rules.roi_at_least else BAD, {"roi": k.roi, "threshold": rules.roi_at_least}
        )
    if k.cpe is None or median_cpe is None or compared < 2:
        cpe = Reason("cpe", UNKNOWN, {"cpe": k.cpe, "median": median_cpe, "partners": compared})
    else:
        outcome = GOOD if k.cpe <= median_cpe else BAD
        cpe = Reason("cpe", outcome, {"cpe": k.cpe, "median": median_cpe, "partners": compared})
    d = r.delivery
    counts = {"on_time": d.on_time, "late": d.late, "missing": d.missing, "pending": d.pending}
    done = BAD if d.late or d.missing else GOOD if d.on_time else UNKNOWN
    on_time = Reason("delivery", done, counts)
    allowed = rules.max_changes_per_deal * r.deals
    changed = UNKNOWN if not r.deals else BAD if r.change_requests > allowed else GOOD
    changes = Reason("changes", changed, {"n": r.change_requests, "deals": r.deals, "max": rules.max_changes_per_deal})
    reasons = (roi, cpe, on_time, changes)
    bad_others = sum(x.outcome == BAD for x in reasons[1:])
    if roi.outcome == UNKNOWN:
        answer = NOT_ENOUGH
    elif roi.outcome == GOOD:
        answer = MAYBE if bad_others else YES
    else:
        answer = NO if bad_others else MAYBE
    return Verdict(answer, reasons)

"""The one pipeline every quote runs: item → shop → platform → shipping → settlement (deposit, points).

Within a stage offers are tried by priority (higher first), then key. Each offer measures its
thresholds on its basis (list prices, or the amounts its stage received) and takes its discount from
what earlier offers of the stage left (sequential) or from the stage's base (parallel), never more
than a line has left. Exclusivity: an offer that may not stand beside one already applied loses if
that one ranks higher; if it ranks higher itself, the pipeline runs again without the other one, and
gives it back if it then fails on its own (threshold, budget)."""

from __future__ import annotations

from dataclasses import dataclass, field

from campaigns.promotions.benefits import entry_threshold, estimate, merchandise, next_level
from campaigns.promotions.book import Entry, OfferBook
from campaigns.promotions.cart import NO_USAGE, Context, Line
from campaigns.promotions.checks import Refusal
from campaigns.promotions.explain import Applied, Hint, Reason, Rejected
from campaigns.promotions.money import split
from campaigns.promotions.rules import (
    STAGES,
    Basis,
    BudgetMode,
    Deposit,
    FreeShipping,
    Gift,
    Offer,
    Points,
    Stacking,
    may_combine,
)


@dataclass
class Outcome:
    rem: list[int]  # what each line costs after every stage
    shipping_left: int
    applied: list[Applied] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    restart: dict[str, Offer] = field(default_factory=dict)  # offer key -> the exclusive offer that displaces it


@dataclass
class _State:
    orig: list[int]
    qty: list[int]
    rem: list[int]
    ship: int
    points: int
    taken: list[Offer] = field(default_factory=list)
    any_exclusive: bool = False


def run(
    book: OfferBook, lines: list[Line], shipping: int, ctx: Context, hits: list[list[int]], refusals: list
) -> Outcome:
    """Price ``lines`` (in canonical order) through every stage; ``refusals`` come from `checks.precheck`."""
    banned: dict[str, Offer] = {}  # displaced offer key -> the exclusive offer that displaced it
    settled: dict[str, Refusal] = {}  # displacers that failed even alone, with their own reason
    n = len(book.entries)
    for _ in range((n + 1) ** 2 + 1):  # ≤ n settlements, and between two of them ≤ n bans
        out = _once(book, lines, shipping, ctx, hits, refusals, banned, settled)
        if out.restart:
            banned.update(out.restart)
            continue
        # A displacer that did not apply after all (threshold, budget, a senior exclusive) gives back what it
        # displaced, and keeps the reason it failed for.
        won = {a.offer for a in out.applied}
        losers = [k for k, winner in banned.items() if winner.key not in won]
        if not losers:
            return out
        failed = {banned[k].key for k in losers}
        settled.update((r.offer, (r.code, r.params)) for r in out.rejected if r.offer in failed)
        for k in losers:
            del banned[k]
    raise RuntimeError("exclusive offers did not settle")  # unreachable: see the bound above


def _once(book, lines, shipping, ctx, hits, refusals, banned, settled) -> Outcome:
    orig = [line.unit_minor * line.quantity for line in lines]
    st = _State(orig, [line.quantity for line in lines], orig[:], shipping, ctx.shopper.points)
    out = Outcome(st.rem, shipping)
    for stage in STAGES:
        entries = book.by_stage[stage]
        if not entries:
            continue
        parallel = book.stacking[stage] == Stacking.PARALLEL
        stage_rem, stage_ship = st.rem[:], st.ship
        for e in entries:
            o = e.offer
            refusal: Refusal | None = refusals[e.index] or settled.get(o.key)
            if refusal is None and o.key in banned:
                winner = banned[o.key]
                refusal = Reason.EXCLUDED_BY_EXCLUSIVE, {"other": winner.name, "other_key": winner.key}
            if refusal is None:
                refusal = _try(e, stage, hits[e.index], stage_rem, stage_ship, parallel, st, ctx, lines, out)
            if refusal is not None:
                out.rejected.append(Rejected(o.key, o.name, stage, refusal[0], refusal[1]))
            if out.restart:
                out.restart = _displaced_by(out.restart[o.key], book, refusals, settled)
                return out
    out.shipping_left = st.ship
    return out


def _restart(winner: Offer, out: Outcome) -> None:
    out.restart = {winner.key: winner}  # `_once` widens this to every offer the winner outranks and excludes
    return None


def _displaced_by(winner: Offer, book: OfferBook, refusals: list, settled: dict) -> dict[str, Offer]:
    """Every offer still in play that ``winner`` outranks and may not stand beside: one rerun, not one each."""
    return {
        e.offer.key: winner
        for stage in STAGES
        for e in book.by_stage[stage]
        if refusals[e.index] is None
        and e.offer.key not in settled
        and e.offer.rank > winner.rank
        and not may_combine(winner, e.offer)
    }


def _try(e: Entry, stage, idx, stage_rem, stage_ship, parallel, st: _State, ctx, lines, out) -> Refusal | None:
    """Apply one offer that passed the price-independent checks, or say why it does not apply."""
    o, b = e.offer, e.offer.benefit
    displacing = False  # it outranks applied offers it may not stand beside
    if o.exclusive or st.any_exclusive:
        clash = [t for t in st.taken if not may_combine(o, t)]
        senior = [t for t in clash if t.rank < o.rank]
        if senior:
            return Reason.EXCLUDED_BY_EXCLUSIVE, {"other": senior[0].name, "other_key": senior[0].key}
        displacing = bool(clash)
    threshold = max(o.min_spend_minor, entry_threshold(b))
    if o.basis == Basis.ORIGINAL:
        measured = sum(st.orig[i] for i in idx)
    else:
        measured = sum(stage_rem[i] for i in idx)
    base = stage_rem if parallel else st.rem
    if measured < threshold:
        if displacing and sum(st.orig[i] for i in idx) >= threshold:  # it might reach it without them
            return _restart(o, out)
        missing = threshold - measured
        base_sum = sum(base[i] for i in idx) + missing
        gain = estimate(b, e.ratio, o.rounding, base_sum, threshold, stage_ship if parallel else st.ship)
        if gain and not displacing:
            out.hints.append(Hint(o.key, o.name, missing, gain))
        return Reason.BELOW_THRESHOLD, {"threshold": threshold, "amount": measured, "missing": missing}
    if isinstance(b, FreeShipping):
        wanted = stage_ship if parallel else st.ship
        amount = min(wanted if b.max_minor is None else min(b.max_minor, wanted), st.ship)
        shares: list[int] = []
        detail: dict = {}
    else:
        if isinstance(b, Points) and st.points < b.points:
            return Reason.NOT_ENOUGH_POINTS, {"balance": st.points, "points": b.points}
        shares, detail = merchandise(b, e.ratio, o.rounding, o.ties, idx, base, st.rem, st.qty, measured, st.points)
        amount = sum(shares)
    gift_value = b.value_minor * b.quantity if isinstance(b, Gift) else 0
    if amount == 0 and not isinstance(b, Gift | Deposit):
        return _restart(o, out) if displacing else (Reason.NOTHING_TO_DISCOUNT, {})
    cost, partial = amount + gift_value, False
    if o.budget_minor is not None:
        spent = ctx.usage.get(o.key, NO_USAGE).spent_minor
        room = o.budget_minor - spent
        if cost > room:
            if isinstance(b, Points):  # whole packs of points only
                room -= room % b.value_minor
            # Without the offers it displaces its cost could only grow: a refusal now stands.
            if o.budget_mode != BudgetMode.PARTIAL_FILL or room <= 0 or gift_value:
                return Reason.BUDGET_EXHAUSTED, {"budget": o.budget_minor, "spent": spent, "needed": cost}
            shares = split(room, shares, o.ties) if shares else []
            amount, cost, partial = room, room, True
            if isinstance(b, Points):
                detail = {"points_used": room // b.value_minor * b.points}
    if displacing:
        return _restart(o, out)
    if isinstance(b, FreeShipping):
        st.ship -= amount
    else:
        for i, s in zip(idx, shares, strict=True):
            st.rem[i] -= s
    if isinstance(b, Points):
        st.points -= detail["points_used"]
    st.taken.append(o)
    st.any_exclusive = st.any_exclusive or o.exclusive
    keyed = tuple((lines[i].key, s) for i, s in zip(idx, shares, strict=False) if s)  # none for shipping
    out.applied.append(Applied(o.key, o.name, stage, o.kind, amount, cost, keyed, detail, partial))
    ahead = next_level(b, measured)
    if ahead is not None:
        out.hints.append(Hint(o.key, o.name, ahead[0] - measured, ahead[1]))
    return None

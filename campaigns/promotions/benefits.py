"""The arithmetic of each rule kind on merchandise lines, in integer minor units.

Every function gets the positions of the offer's lines (``idx``), the amounts the discount is taken
from (``base``: what is left in sequential stacking, the stage's base in parallel) and what is left of
each line (``rem``), and returns one share per position: never more than the line has left, adding up
to the offer's amount exactly."""

from __future__ import annotations

from functools import cmp_to_key

from campaigns.promotions.money import Rounding, TieBreak, divide, split
from campaigns.promotions.rules import (
    AmountOff,
    BuyGet,
    Deposit,
    EveryStep,
    FixedPrice,
    FreeShipping,
    Gift,
    PercentOff,
    Points,
    Tiers,
)


def spread(total: int, idx: list[int], rem: list[int], ties: TieBreak) -> list[int]:
    """``total`` (capped at what the lines have left) over the lines by largest remainder of what they have left."""
    weights = [rem[i] for i in idx]
    left = sum(weights)
    if total > left:
        total = left
    if total <= 0:
        return [0] * len(idx)
    return split(total, weights, ties)


def tier_off(b: Tiers, measured: int) -> int:
    """The best tier reached (tiers never add up)."""
    best = 0
    for t in b.tiers:
        if measured >= t.threshold_minor and t.off_minor > best:
            best = t.off_minor
    return best


def step_off(b: EveryStep, measured: int) -> int:
    off = measured // b.step_minor * b.off_minor
    return off if b.cap_minor is None or off < b.cap_minor else b.cap_minor


def entry_threshold(benefit: object) -> int:
    """The least measured amount at which the kind gives anything (first tier, one step)."""
    if isinstance(benefit, Tiers):
        return min(t.threshold_minor for t in benefit.tiers)
    if isinstance(benefit, EveryStep):
        return benefit.step_minor
    return 0


def next_level(benefit: object, measured: int) -> tuple[int, int] | None:
    """For tiers and steps already reached: (amount to reach the next level, its total discount)."""
    if isinstance(benefit, Tiers):
        now = tier_off(benefit, measured)
        ahead = [t for t in benefit.tiers if t.threshold_minor > measured and t.off_minor > now]
        if ahead:
            t = min(ahead, key=lambda t: t.threshold_minor)
            return t.threshold_minor, t.off_minor
    elif isinstance(benefit, EveryStep):
        if benefit.cap_minor is None or step_off(benefit, measured) < benefit.cap_minor:
            target = (measured // benefit.step_minor + 1) * benefit.step_minor
            return target, step_off(benefit, target)
    return None


def _per_line(idx: list[int], base: list[int], rem: list[int], wanted) -> list[int]:
    out = []
    for i in idx:
        s = wanted(i)
        if s > base[i]:
            s = base[i]
        if s > rem[i]:
            s = rem[i]
        out.append(s if s > 0 else 0)
    return out


def _cheapest_free(b: BuyGet, idx, base, rem, qty, rounding: Rounding) -> list[int]:
    units = sum(qty[i] for i in idx)
    free = units // (b.buy + b.get) * b.get
    if b.max_free is not None and free > b.max_free:
        free = b.max_free
    # Cheapest unit first (exact: compare base_a/qty_a with base_b/qty_b by cross-multiplying), then position.
    order = sorted(idx, key=cmp_to_key(lambda a, c: (base[a] * qty[c] - base[c] * qty[a]) or (a - c)))
    share = dict.fromkeys(idx, 0)
    for i in order:
        if free <= 0:
            break
        n = min(free, qty[i])
        s = base[i] if n == qty[i] else divide(base[i] * n, qty[i], rounding)
        share[i] = min(s, rem[i])
        free -= n
    return [share[i] for i in idx]


def merchandise(
    benefit: object,
    pct: tuple[int, int] | None,
    rounding: Rounding,
    ties: TieBreak,
    idx: list[int],
    base: list[int],
    rem: list[int],
    qty: list[int],
    measured: int,
    points: int,
) -> tuple[list[int], dict]:
    """Shares per line and the kind's detail (gift, deposit, points used)."""
    b = benefit
    if isinstance(b, PercentOff):
        return spread(divide(sum(base[i] for i in idx) * pct[0], pct[1], rounding), idx, rem, ties), {}
    if isinstance(b, AmountOff):
        if b.per_unit:
            return _per_line(idx, base, rem, lambda i: b.amount_minor * qty[i]), {}
        return spread(min(b.amount_minor, sum(base[i] for i in idx)), idx, rem, ties), {}
    if isinstance(b, FixedPrice):
        return _per_line(idx, base, rem, lambda i: base[i] - b.price_minor * qty[i]), {}
    if isinstance(b, Tiers):
        return spread(tier_off(b, measured), idx, rem, ties), {}
    if isinstance(b, EveryStep):
        return spread(step_off(b, measured), idx, rem, ties), {}
    if isinstance(b, BuyGet):
        return _cheapest_free(b, idx, base, rem, qty, rounding), {}
    if isinstance(b, Gift):
        return [0] * len(idx), {"product": b.product, "quantity": b.quantity, "value_minor": b.value_minor}
    if isinstance(b, Deposit):
        units = sum(qty[i] for i in idx)
        swell = b.worth_minor - b.deposit_minor
        return _per_line(idx, base, rem, lambda i: swell * qty[i]), {"deposit_minor": b.deposit_minor * units}
    if isinstance(b, Points):
        cap = min(divide(sum(base[i] for i in idx) * pct[0], pct[1], Rounding.DOWN), sum(rem[i] for i in idx))
        packs = min(points // b.points, cap // b.value_minor)
        return spread(packs * b.value_minor, idx, rem, ties), {"points_used": packs * b.points}
    raise TypeError(f"not a merchandise benefit: {type(b).__name__}")


def estimate(
    benefit: object, pct: tuple[int, int] | None, rounding: Rounding, base_sum: int, measured: int, shipping: int
) -> int | None:
    """What the offer would give once ``measured`` (and ``base_sum``) reach the given amounts, for hints;
    None where the kind's result depends on more than a total."""
    b = benefit
    if isinstance(b, PercentOff):
        return divide(base_sum * pct[0], pct[1], rounding)
    if isinstance(b, AmountOff) and not b.per_unit:
        return min(b.amount_minor, base_sum)
    if isinstance(b, Tiers):
        return tier_off(b, measured)
    if isinstance(b, EveryStep):
        return step_off(b, measured)
    if isinstance(b, Gift):
        return b.value_minor * b.quantity
    if isinstance(b, FreeShipping):
        return shipping if b.max_minor is None else min(shipping, b.max_minor)
    return None

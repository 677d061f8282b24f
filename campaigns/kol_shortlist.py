"""Shortlisting KOL partners within a budget, maximising expected engagements.

Each candidate has one fee (from its rate card, for the chosen deliverable, in the budget's currency) and
expected engagements (``campaigns.kol.expected_engagements``). Two methods, the result says which:

- ``greedy``: by engagements per unit of money, best first, taking each that still fits (exact fees). Fast
  and often good, but not always best;
- ``knapsack``: exact 0/1 knapsack by dynamic programming over the budget counted in ``unit`` steps (fees
  rounded **up** to a step, the budget **down**, so the pick never costs more than the budget). It is the
  best pick at that resolution; a finer unit is closer to exact and slower.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Method(StrEnum):
    GREEDY = "greedy"
    KNAPSACK = "knapsack"


MAX_CELLS = 20_000_000  # candidates × budget steps the knapsack may fill; a coarser unit is chosen past it


@dataclass(frozen=True)
class Candidate:
    partner_id: int
    name: str
    fee_minor: int
    engagements: int


@dataclass(frozen=True)
class Result:
    method: Method
    budget_minor: int
    unit_minor: int  # the knapsack's step (1 for greedy: exact fees)
    picked: tuple[Candidate, ...]

    @property
    def fee_minor(self) -> int:
        return sum(c.fee_minor for c in self.picked)

    @property
    def engagements(self) -> int:
        return sum(c.engagements for c in self.picked)


def greedy(candidates: list[Candidate], budget_minor: int) -> Result:
    """Best engagements per money first (free ones first of all; ties: more engagements, then the id)."""

    def key(c: Candidate):
        per = float("inf") if c.fee_minor == 0 else c.engagements / c.fee_minor
        return (-per, -c.engagements, c.partner_id)

    left, picked = budget_minor, []
    for c in sorted(candidates, key=key):
        if c.fee_minor <= left and c.engagements > 0:
            picked.append(c)
            left -= c.fee_minor
    return Result(Method.GREEDY, budget_minor, 1, tuple(picked))


def knapsack(candidates: list[Candidate], budget_minor: int, unit_minor: int) -> Result:
    """The most engagements whose fees, each rounded up to ``unit_minor``, fit the budget rounded down."""
    if unit_minor <= 0:
        raise ValueError("unit must be positive")
    items = [c for c in candidates if c.engagements > 0 and c.fee_minor <= budget_minor]
    while len(items) * (budget_minor // unit_minor + 1) > MAX_CELLS:
        unit_minor *= 10
    steps = budget_minor // unit_minor
    best = np.zeros(steps + 1, dtype=np.int64)  # best[b]: most engagements within b steps
    took = np.zeros((len(items), steps + 1), dtype=bool)
    for i, c in enumerate(items):
        w = -(-c.fee_minor // unit_minor)  # rounded up
        if w > steps:
            continue
        if w == 0:
            took[i, :] = True
            best = best + c.engagements
            continue
        with_it = best[: steps + 1 - w] + c.engagements
        better = with_it > best[w:]
        took[i, w:] = better
        best[w:] = np.where(better, with_it, best[w:])
    picked, b = [], steps
    for i in range(len(items) - 1, -1, -1):
        if took[i, b]:
            picked.append(items[i])
            b -= -(-items[i].fee_minor // unit_minor)
    return Result(Method.KNAPSACK, budget_minor, unit_minor, tuple(reversed(picked)))


def shortlist(candidates: list[Candidate], budget_minor: int, method: Method | str, unit_minor: int) -> Result:
    if Method(method) == Method.GREEDY:
        return greedy(candidates, budget_minor)
    return knapsack(candidates, budget_minor, unit_minor)

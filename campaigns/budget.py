"""The budget view: planned vs committed vs actual per channel line and per phase; and the
campaigns that clash (overlapping windows that draw on the same channel or KOL partner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations
from zoneinfo import ZoneInfo

from campaigns.planning import KOL, BudgetLine, PhasePlan

UNPLANNED = "unplanned"  # money committed or spent where no line (or no phase) planned any


@dataclass(frozen=True)
class Spend:
    """Money committed (a KOL fee, a promotion's cost estimate, booked ad spend) or spent (imported
    metrics), on a day, for a channel and optionally a KOL partner."""

    channel: str
    partner_id: int | None
    day: date  # in the campaign's zone
    amount_minor: int


@dataclass(frozen=True)
class BudgetRow:
    key: str  # "<channel>", "kol:<partner id>", "phase:<index>" or UNPLANNED
    planned: int
    committed: int
    actual: int

    @property
    def over_committed(self) -> bool:
        return self.committed > self.planned

    @property
    def remaining(self) -> int:
        """Planned money not yet committed; negative when over-committed."""
        return self.planned - self.committed


def line_key(channel: str, partner_id: int | None) -> str:
    return f"{KOL}:{partner_id}" if partner_id is not None else channel


def by_line(lines: tuple[BudgetLine, ...], committed: list[Spend], actual: list[Spend]) -> list[BudgetRow]:
    """One row per budget line, in the lines' order, and an UNPLANNED row for money that no line
    covers. A partner's spend counts against that partner's line, else the KOL pool, else its channel."""
    planned: dict[str, int] = {}
    for x in lines:  # two lines on one key (a removed partner's line becomes a pool line) add up
        planned[line_key(x.channel, x.partner_id)] = planned.get(line_key(x.channel, x.partner_id), 0) + x.amount_minor

    def key_of(s: Spend) -> str:
        if s.partner_id is not None and line_key(KOL, s.partner_id) in planned:
            return line_key(KOL, s.partner_id)
        if s.partner_id is not None and KOL in planned:
            return KOL
        return s.channel if s.channel in planned else UNPLANNED

    return _rows(planned, committed, actual, key_of)


def by_phase(phases: tuple[PhasePlan, ...], tz: str, committed: list[Spend], actual: list[Spend]) -> list[BudgetRow]:
    """One row per phase ("phase:<i>"), and an UNPLANNED row for money on days outside every phase."""
    zone = ZoneInfo(tz)
    spans = [(p.starts_at.astimezone(zone).date(), p.ends_at.astimezone(zone).date()) for p in phases]
    planned = {f"phase:{i}": p.budget_minor for i, p in enumerate(phases)}

    def key_of(s: Spend) -> str:
        return next((f"phase:{i}" for i, (a, b) in enumerate(spans) if a <= s.day <= b), UNPLANNED)

    return _rows(planned, committed, actual, key_of)


def _rows(planned: dict[str, int], committed: list[Spend], actual: list[Spend], key_of) -> list[BudgetRow]:
    com = dict.fromkeys(planned, 0)
    act = dict.fromkeys(planned, 0)
    for bucket, spends in ((com, committed), (act, actual)):
        for s in spends:
            k = key_of(s)
            bucket[k] = bucket.get(k, 0) + s.amount_minor
    keys = list(planned) + ([UNPLANNED] if com.get(UNPLANNED) or act.get(UNPLANNED) else [])
    return [BudgetRow(k, planned.get(k, 0), com.get(k, 0), act.get(k, 0)) for k in keys]


@dataclass(frozen=True)
class Window:
    """A campaign as the clash check sees it."""

    id: int
    name: str
    starts_at: datetime
    ends_at: datetime  # inclusive
    lines: tuple[BudgetLine, ...]


@dataclass(frozen=True)
class Clash:
    a: int
    b: int
    first: datetime  # the shared stretch, inclusive
    last: datetime
    shared: tuple[str, ...]  # line keys both campaigns put money on; empty: the windows only overlap

    @property
    def is_budget_clash(self) -> bool:
        return bool(self.shared)


def clashes(windows: list[Window]) -> list[Clash]:
    """Every pair of campaigns whose windows overlap; a budget clash when both also plan money on
    the same channel or KOL partner during that time."""
    out = []
    for x, y in combinations(sorted(windows, key=lambda w: (w.starts_at, w.id)), 2):
        first, last = max(x.starts_at, y.starts_at), min(x.ends_at, y.ends_at)
        if first > last:
            continue
        keys = {line_key(lx.channel, lx.partner_id) for lx in x.lines if lx.amount_minor > 0}
        shared = sorted(keys & {line_key(ly.channel, ly.partner_id) for ly in y.lines if ly.amount_minor > 0})
        out.append(Clash(x.id, y.id, first, last, tuple(shared)))
    return out

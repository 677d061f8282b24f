"""Local time ⇄ UTC for schedules, and recurring schedules that keep their wall-clock time.

A person schedules "20:00 in Shanghai"; Festa stores the UTC instant and the IANA zone. A local time that does not
exist (the hour skipped when clocks go forward) or exists twice (the hour repeated when they go back) is never
guessed: ``to_utc`` raises ``ScheduleTimeError`` with the code and the change's local bounds, and a recurring series
lists such occurrences apart, so the UI can say so. ``datetime.astimezone`` silently maps a skipped time to some
instant (cpython #83861); this module asks zoneinfo for both folds and compares them instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Frequency = Literal["daily", "weekly"]
MAX_INTERVAL = 52
MAX_COUNT = 366


class ScheduleTimeError(ValueError):
    """``code``: unknown_zone, nonexistent_time, ambiguous_time, or a recurrence rule's bad_frequency,
    bad_interval, bad_count, until_and_count, until_before_start, bad_limit. ``params``: strings (zone, ISO
    local times) and numbers, for the UI's catalog."""

    def __init__(self, code: str, params: Mapping[str, str | int] | None = None) -> None:
        self.code, self.params = code, dict(params or {})
        detail = ", ".join(f"{key}={value}" for key, value in self.params.items())
        super().__init__(f"{code}: {detail}" if detail else code)


def zone_info(zone: str) -> ZoneInfo:
    """The IANA zone, or ``ScheduleTimeError("unknown_zone")`` (also for "", paths and other non-keys)."""
    try:
        if not isinstance(zone, str) or not zone.strip():
            raise ValueError(zone)
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ScheduleTimeError("unknown_zone", {"zone": str(zone)}) from None


def _naive(local: datetime, name: str = "local") -> None:
    if not isinstance(local, datetime) or local.tzinfo is not None:
        raise ValueError(f"{name} must be a naive datetime (wall-clock time in the schedule's zone)")


def _transition(lo: datetime, hi: datetime, tz: tzinfo) -> datetime:
    """The first UTC instant in (lo, hi] whose offset differs from lo's; lo and hi straddle one change."""
    before = lo.astimezone(tz).utcoffset()
    lo, hi = lo.replace(microsecond=0), hi.replace(microsecond=0)
    while hi - lo > timedelta(seconds=1):  # transitions fall on whole seconds
        mid = (lo + (hi - lo) // 2).replace(microsecond=0)
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi


def classify(local: datetime, zone: str) -> tuple[str, dict[str, str]] | None:
    """None when ``local`` names exactly one instant in ``zone``; else ("nonexistent_time" | "ambiguous_time",
    params): the zone, the local time, and the change's local span (``gap_start``/``gap_end`` — the first valid
    time after the gap — or ``fold_start``/``fold_end``), plus ``suggested`` (the time shifted past the gap) or
    ``earlier_utc``/``later_utc`` (the two instants), all ISO strings."""
    _naive(local)
    tz = zone_info(zone)
    first = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second:
        return None
    lo, hi = min(first, second), max(first, second)
    change = _transition(lo, hi, tz)
    off_before, off_after = lo.astimezone(tz).utcoffset(), change.astimezone(tz).utcoffset()
    start = (change + min(off_before, off_after)).replace(tzinfo=None)
    end = (change + max(off_before, off_after)).replace(tzinfo=None)
    params = {"zone": zone, "local": local.isoformat()}
    if off_after > off_before:  # clocks went forward: [start, end) never happens
        shifted = local + (off_after - off_before)
        gap = {"gap_start": start.isoformat(), "gap_end": end.isoformat(), "suggested": shifted.isoformat()}
        return "nonexistent_time", {**params, **gap}
    fold = {"fold_start": start.isoformat(), "fold_end": end.isoformat()}
    return "ambiguous_time", {**params, **fold, "earlier_utc": lo.isoformat(), "later_utc": hi.isoformat()}


def to_utc(local: datetime, zone: str, *, fold: int | None = None) -> datetime:
    """The aware UTC instant of a naive wall-clock time in ``zone``.

    Raises ``ScheduleTimeError`` for an unknown zone, a time in a gap (``nonexistent_time``) and a time in a fold
    (``ambiguous_time``) — unless ``fold`` is given (0: the first, 1: the second), which is how a person's answer
    to "which 02:30?" comes back. ``local.fold`` is ignored: a naive time from a form carries no such choice."""
    problem = classify(local, zone)
    if problem is not None:
        code, params = problem
        if not (code == "ambiguous_time" and fold in (0, 1)):
            raise ScheduleTimeError(code, params)
    return local.replace(tzinfo=zone_info(zone), fold=fold or 0).astimezone(UTC)


def to_local(utc: datetime, zone: str) -> datetime:
    """An aware instant as an aware time in ``zone`` (its ``fold`` says which of a repeated hour it is)."""
    if not isinstance(utc, datetime) or utc.tzinfo is None or utc.utcoffset() is None:
        raise ValueError("utc must be an aware datetime")
    return utc.astimezone(zone_info(zone))


# --- recurrence --------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Recurrence:
    """Every ``interval`` days or weeks at the first occurrence's wall-clock time, ending on ``until`` (a local
    date, inclusive) or after ``count`` occurrences — one or neither (then ``occurrences``' limit ends it)."""

    frequency: Frequency
    interval: int = 1
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if self.frequency not in ("daily", "weekly"):
            raise ScheduleTimeError("bad_frequency", {"frequency": str(self.frequency)})
        if isinstance(self.interval, bool) or not isinstance(self.interval, int):
            raise ScheduleTimeError("bad_interval", {"min": 1, "max": MAX_INTERVAL})
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise ScheduleTimeError("bad_interval", {"value": self.interval, "min": 1, "max": MAX_INTERVAL})
        if self.count is not None and self.until is not None:
            raise ScheduleTimeError("until_and_count")
        if self.count is not None:
            if isinstance(self.count, bool) or not isinstance(self.count, int):
                raise ScheduleTimeError("bad_count", {"min": 1, "max": MAX_COUNT})
            if not 1 <= self.count <= MAX_COUNT:
                raise ScheduleTimeError("bad_count", {"value": self.count, "min": 1, "max": MAX_COUNT})
        if self.until is not None and (isinstance(self.until, datetime) or not isinstance(self.until, date)):
            raise ValueError("until must be a date (inclusive), not a datetime")

    @property
    def step(self) -> timedelta:
        return timedelta(days=self.interval * (7 if self.frequency == "weekly" else 1))


@dataclass(frozen=True, slots=True)
class Refused:
    """An occurrence left out because its wall-clock time falls into a clock change: ``index`` its place in the
    series (0 = first), ``code`` nonexistent_time or ambiguous_time, ``params`` as ``ScheduleTimeError``'s."""

    index: int
    local: datetime
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


class Occurrences(NamedTuple):
    utc: list[datetime]  # aware UTC, in order
    refused: list[Refused]  # in order; never silently dropped, never doubled
    truncated: bool  # the rule would go on past ``limit``


def occurrences(first_local: datetime, zone: str, rule: Recurrence, limit: int = MAX_COUNT) -> Occurrences:
    """The series of a recurring schedule: each occurrence at ``first_local``'s wall-clock time, whatever the
    clocks do. ``count`` counts places in the series, refused ones included: 5 occurrences with one in a gap are
    4 times and 1 refusal, not 5 times shifted."""
    _naive(first_local, "first_local")
    zone_info(zone)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ScheduleTimeError("bad_limit", {"min": 1})
    if rule.until is not None and rule.until < first_local.date():
        raise ScheduleTimeError(
            "until_before_start", {"until": rule.until.isoformat(), "first": first_local.date().isoformat()}
        )
    wanted = rule.count
    times: list[datetime] = []
    refused: list[Refused] = []
    index = 0
    while True:
        local = first_local + index * rule.step
        if (wanted is not None and index >= wanted) or (rule.until is not None and local.date() > rule.until):
            return Occurrences(times, refused, truncated=False)
        if index >= limit:
            return Occurrences(times, refused, truncated=True)
        problem = classify(local, zone)
        if problem is None:
            times.append(to_utc(local, zone))
        else:
            refused.append(Refused(index, local, problem[0], problem[1]))
        index += 1

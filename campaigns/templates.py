"""Campaign templates: phases laid out around a festival's date, with default budget splits,
and moving a plan to another year's date of the same festival (lunar ones included)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaigns import calendar
from campaigns.planning import CampaignPlan, Objective, PhaseKind, PhasePlan
from campaigns.promotions.money import allocate

D = Decimal


@dataclass(frozen=True)
class PhaseTemplate:
    kind: PhaseKind
    first: int  # days from the festival day (negative: before), inclusive
    last: int  # inclusive
    share: Decimal  # of the campaign budget


@dataclass(frozen=True)
class Template:
    key: str
    festival_key: str
    region: str
    objective: Objective
    phases: tuple[PhaseTemplate, ...]


P, K = PhaseTemplate, PhaseKind
TEMPLATES = {
    # 双11: presale 20-31 Oct, 开门红 1-3 Nov, the run-up and the day 4-11 Nov, 返场 12-13 Nov
    "double_11": Template(
        "double_11",
        "double_11",
        "CN",
        Objective.GMV,
        (
            P(K.WARM_UP, -22, -11, D("0.15")),
            P(K.LAUNCH, -10, -8, D("0.25")),
            P(K.PEAK, -7, 0, D("0.45")),
            P(K.ENCORE, 1, 2, D("0.15")),
        ),
    ),
    # 618: presale 20-31 May, 开门红 1-3 Jun, 4-18 Jun, 返场 19-20 Jun
    "day_618": Template(
        "day_618",
        "day_618",
        "CN",
        Objective.GMV,
        (
            P(K.WARM_UP, -29, -18, D("0.15")),
            P(K.LAUNCH, -17, -15, D("0.25")),
            P(K.PEAK, -14, 0, D("0.45")),
            P(K.ENCORE, 1, 2, D("0.15")),
        ),
    ),
    # 春节: 年货节 before couriers stop (about ten days before), 返场 after the holiday week
    "spring_festival": Template(
        "spring_festival",
        "spring_festival",
        "CN",
        Objective.GMV,
        (
            P(K.WARM_UP, -30, -21, D("0.15")),
            P(K.LAUNCH, -20, -15, D("0.30")),
            P(K.PEAK, -14, -10, D("0.40")),
            P(K.ENCORE, 7, 14, D("0.15")),
        ),
    ),
    # Black Friday: the week before, the day, the weekend to Cyber Monday, the rest of that week
    "black_friday": Template(
        "black_friday",
        "black_friday",
        "US",
        Objective.GMV,
        (
            P(K.WARM_UP, -7, -1, D("0.20")),
            P(K.LAUNCH, 0, 0, D("0.30")),
            P(K.PEAK, 1, 3, D("0.35")),
            P(K.ENCORE, 4, 7, D("0.15")),
        ),
    ),
}


def festival_day(key: str, region: str, year: int) -> tuple[date, str]:
    """The festival's own day (the last day of its window) and its zone. Raises ValueError with a
    code (``year_out_of_range``, ``festival_not_in_year``) for the field that chose the year."""
    if not calendar.FIRST_YEAR <= year <= calendar.LAST_YEAR:
        raise ValueError("year_out_of_range")
    try:
        f = calendar.find_in(key, year, (region,))
    except KeyError:
        raise ValueError("festival_not_in_year") from None
    return f.end, f.timezone


def from_template(template: Template, year: int, name: str, budget_minor: int, currency: str) -> CampaignPlan:
    day, zone = festival_day(template.festival_key, template.region, year)
    tz = ZoneInfo(zone)
    splits = allocate(budget_minor, [p.share for p in template.phases])
    phases = tuple(
        PhasePlan(
            kind=p.kind,
            name=str(p.kind),
            starts_at=datetime.combine(day + timedelta(days=p.first), time.min, tz),
            ends_at=datetime.combine(day + timedelta(days=p.last), time(23, 59, 59), tz),
            budget_minor=share,
        )
        for p, share in zip(template.phases, splits, strict=True)
    )
    return CampaignPlan(
        name=name,
        festival_key=template.festival_key,
        festival_region=template.region,
        objective=template.objective,
        timezone=zone,
        starts_at=phases[0].starts_at,
        ends_at=phases[-1].ends_at,
        currency=currency,
        budget_minor=budget_minor,
        phases=phases,
    )


def _move(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The same wall-clock time ``days`` later in ``tz`` (DST-safe: not a fixed 24 h per day)."""
    local = moment.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tz)


def copy_to_year(plan: CampaignPlan, year: int, name: str | None = None) -> CampaignPlan:
    """The plan moved to ``year``: every date shifts by as many days as the festival moved."""
    if not plan.festival_key:
        raise ValueError("a plan without a festival cannot follow it to another year")
    tz = ZoneInfo(plan.timezone)
    old_year = plan.ends_at.astimezone(tz).year
    old, _ = festival_day(plan.festival_key, plan.festival_region, _festival_year(plan, old_year))
    new, _ = festival_day(plan.festival_key, plan.festival_region, year)
    days = (new - old).days
    return replace(
        plan,
        name=name or plan.name,
        starts_at=_move(plan.starts_at, days, tz),
        ends_at=_move(plan.ends_at, days, tz),
        phases=tuple(
            replace(p, starts_at=_move(p.starts_at, days, tz), ends_at=_move(p.ends_at, days, tz)) for p in plan.phases
        ),
    )


def _festival_year(plan: CampaignPlan, year: int) -> int:
    """The year whose festival the plan is built around: the one nearest the plan's window."""
    tz = ZoneInfo(plan.timezone)
    middle = (plan.starts_at + (plan.ends_at - plan.starts_at) / 2).astimezone(tz).date()
    candidates = [y for y in (year - 1, year, year + 1) if calendar.FIRST_YEAR <= y <= calendar.LAST_YEAR]
    return min(
        candidates, key=lambda y: abs((festival_day(plan.festival_key, plan.festival_region, y)[0] - middle).days)
    )

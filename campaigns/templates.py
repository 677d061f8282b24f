"""Campaign templates: phases laid out around a festival's date, with default budget splits,
and moving a plan to another year's date of the same festival (lunar ones included)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaigns import calendar
from campaigns.planning import KOL, BudgetLine, CampaignPlan, Objective, PhaseKind, PhasePlan
from campaigns.promotions.money import allocate

D = Decimal


@dataclass(frozen=True)
class PhaseTemplate:
    kind: PhaseKind
    first: int  # days from the festival day (negative: before), inclusive
    last: int  # inclusive
    share: Decimal  # of the campaign budget
    name: str | None = None  # a custom phase's own name; None: named after its kind


@dataclass(frozen=True)
class Template:
    key: str
    festival_key: str
    region: str
    objective: Objective
    phases: tuple[PhaseTemplate, ...]
    channels: tuple[tuple[str, Decimal], ...] = ()  # budget split over channels (no KOL partners)
    name: str | None = None  # a saved template's name; built-in ones are named after their festival


# Default channel splits: Chinese festivals lean on Douyin, Xiaohongshu and KOLs; Black Friday on X and e-mail.
CN_SPLIT = (
    ("douyin", D("0.30")),
    ("xiaohongshu", D("0.20")),
    ("weibo", D("0.10")),
    ("wechat", D("0.10")),
    (KOL, D("0.30")),
)
US_SPLIT = (("x", D("0.30")), ("email", D("0.20")), (KOL, D("0.30")), ("other", D("0.20")))


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
        CN_SPLIT,
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
        CN_SPLIT,
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
        CN_SPLIT,
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
        US_SPLIT,
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
            name=p.name or str(p.kind),
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
        budget_lines=_lines(template, budget_minor),
    )


def _lines(template: Template, budget_minor: int) -> tuple[BudgetLine, ...]:
    """Channel lines from the template's split; the KOL share is a pool until partners are chosen."""
    if not template.channels:
        return ()
    amounts = allocate(budget_minor, [share for _, share in template.channels])
    return tuple(BudgetLine(ch, None, amount) for (ch, _), amount in zip(template.channels, amounts, strict=True))


def to_template(plan: CampaignPlan, key: str, name: str) -> Template:
    """A campaign's shape as a template: phases as whole days around its festival's day, each
    phase's and each channel's share of the budget (partners' lines fold into one KOL share)."""
    if not plan.festival_key or not plan.phases:
        raise ValueError("needs_festival_and_phases")
    tz = ZoneInfo(plan.timezone)
    day, _ = festival_day(plan.festival_key, plan.festival_region, _festival_year(plan, plan.ends_at.year))
    budget = plan.budget_minor

    def share(amount: int, count: int) -> Decimal:
        return (D(amount) / D(budget)).quantize(D("0.0001")) if budget else (D(1) / D(count)).quantize(D("0.0001"))

    phases = tuple(
        PhaseTemplate(
            p.kind,
            (p.starts_at.astimezone(tz).date() - day).days,
            (p.ends_at.astimezone(tz).date() - day).days,
            share(p.budget_minor, len(plan.phases)),
            p.name if p.kind == PhaseKind.CUSTOM else None,
        )
        for p in plan.phases
    )
    channels: dict[str, int] = {}
    for line in plan.budget_lines:
        channels[line.channel] = channels.get(line.channel, 0) + line.amount_minor
    return Template(
        key,
        plan.festival_key,
        plan.festival_region,
        plan.objective,
        phases,
        tuple((ch, share(amount, len(channels))) for ch, amount in channels.items()),
        name,
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


def phases_to_json(template: Template) -> list[dict]:
    return [
        {"kind": str(p.kind), "first": p.first, "last": p.last, "share": str(p.share), "name": p.name}
        for p in template.phases
    ]


def channels_to_json(template: Template) -> list[list]:
    return [[ch, str(share)] for ch, share in template.channels]


def from_json(key: str, name: str, festival_key: str, region: str, objective: str, phases: list, channels: list):
    """A saved template back from its stored JSON."""
    return Template(
        key,
        festival_key,
        region,
        Objective(objective),
        tuple(PhaseTemplate(PhaseKind(p["kind"]), p["first"], p["last"], D(p["share"]), p["name"]) for p in phases),
        tuple((ch, D(share)) for ch, share in channels),
        name,
    )

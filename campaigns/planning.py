"""Campaigns as planned: statuses, objectives, phases, and the checks a plan must pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from campaigns import metrics
from campaigns.metrics import Totals
from campaigns.publishing import Channel


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"
    ARCHIVED = "archived"


class Objective(StrEnum):
    GMV = "gmv"
    NEW_CUSTOMERS = "new_customers"
    AWARENESS = "awareness"
    CLEARANCE = "clearance"


class PhaseKind(StrEnum):
    WARM_UP = "warm_up"  # 预热
    LAUNCH = "launch"  # 开门红
    PEAK = "peak"  # 高潮
    ENCORE = "encore"  # 返场
    CUSTOM = "custom"


class Segment(StrEnum):
    """The named audiences every workspace has; any other non-empty name is a custom segment."""

    NEW = "new"
    ACTIVE = "active"
    LAPSED = "lapsed"
    VIP = "vip"


class Target(StrEnum):
    EXPOSURE = "exposure"
    CLICKS = "clicks"
    CONVERSIONS = "conversions"
    GMV = "gmv"  # minor units of the campaign's currency
    ROI = "roi"  # (revenue - spend) / spend, as campaigns.metrics.roi; not additive across phases


NAME_MAX = 200  # campaign and template names (the columns' length)
PHASE_NAME_MAX = 100
TARGETS = frozenset(str(t) for t in Target)
ADDITIVE = (Target.EXPOSURE, Target.CLICKS, Target.CONVERSIONS, Target.GMV)
KOL = "kol"  # the budget channel of lines that name a KOL partner
OTHER = "other"
PROMOTION = "promotion"  # what offers give away (discounts, gifts), from the Promote cost estimate
BUDGET_CHANNELS = (*(str(c) for c in Channel), KOL, PROMOTION, OTHER)

Targets = dict[str, int | Decimal]  # Target -> value; absent: no target set


@dataclass(frozen=True)
class PhasePlan:
    kind: PhaseKind
    name: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware, inclusive
    budget_minor: int
    targets: Targets = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetLine:
    """Part of the campaign budget set aside for a channel, for one KOL partner (channel ``kol``
    with ``partner_id``), or for KOL partners not chosen yet (``kol`` without a partner: the pool)."""

    channel: str
    partner_id: int | None
    amount_minor: int


@dataclass(frozen=True)
class CampaignPlan:
    """A campaign as a planner edits it, before it is stored."""

    name: str
    festival_key: str | None
    festival_region: str
    objective: Objective
    timezone: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware, inclusive
    currency: str
    budget_minor: int
    phases: tuple[PhasePlan, ...] = ()
    owner_id: int | None = None
    segments: tuple[str, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    targets: Targets = field(default_factory=dict)


def results_for_targets(t: Totals) -> dict[str, int | Decimal | None]:
    """What the results say for each target: exposure is impressions, GMV is revenue."""
    return {
        Target.EXPOSURE: t.impressions,
        Target.CLICKS: t.clicks,
        Target.CONVERSIONS: t.conversions,
        Target.GMV: t.revenue_minor,
        Target.ROI: metrics.roi(t),
    }


@dataclass(frozen=True)
class Problem:
    """A message for one field: ``field`` names it (e.g. ``phases.1.ends_at``), ``code`` is the
    catalog key under ``plan_error.``."""

    field: str
    code: str
    params: dict = field(default_factory=dict)


def validate(plan: CampaignPlan) -> list[Problem]:
    """Everything wrong with a plan, each at its field; an empty list means it may be saved."""
    out: list[Problem] = []
    if not plan.name.strip():
        out.append(Problem("name", "required"))
    elif len(plan.name.strip()) > NAME_MAX:
        out.append(Problem("name", "too_long", {"max": NAME_MAX}))
    if plan.ends_at < plan.starts_at:
        out.append(Problem("ends_at", "end_before_start"))
    if plan.budget_minor < 0:
        out.append(Problem("budget", "negative"))
    for i, p in enumerate(plan.phases):
        if p.ends_at < p.starts_at:
            out.append(Problem(f"phases.{i}.ends_at", "end_before_start"))
        elif p.starts_at < plan.starts_at or p.ends_at > plan.ends_at:
            out.append(Problem(f"phases.{i}", "outside_window"))
        if p.budget_minor < 0:
            out.append(Problem(f"phases.{i}.budget", "negative"))
        if len(p.name) > PHASE_NAME_MAX:
            out.append(Problem(f"phases.{i}.name", "too_long", {"max": PHASE_NAME_MAX}))
    ordered = sorted(enumerate(plan.phases), key=lambda ip: ip[1].starts_at)
    for (i, a), (j, b) in pairwise(ordered):
        if b.starts_at <= a.ends_at:
            out.append(Problem(f"phases.{j}", "overlaps", {"other": i + 1}))
    split = sum(p.budget_minor for p in plan.phases)
    if plan.phases and split != plan.budget_minor:
        out.append(Problem("phases", "split_mismatch", {"split": split, "budget": plan.budget_minor}))
    out += _lines(plan)
    out += _targets(plan)
    if any(not s.strip() for s in plan.segments):
        out.append(Problem("segments", "required"))
    return out


def _lines(plan: CampaignPlan) -> list[Problem]:
    out: list[Problem] = []
    for i, line in enumerate(plan.budget_lines):
        if line.channel not in BUDGET_CHANNELS:
            out.append(Problem(f"budget_lines.{i}.channel", "unknown_channel", {"channel": line.channel}))
        if line.partner_id is not None and line.channel != KOL:
            out.append(Problem(f"budget_lines.{i}.channel", "partner_needs_kol"))
        if line.amount_minor < 0:
            out.append(Problem(f"budget_lines.{i}.amount", "negative"))
    seen = Counter((line.channel, line.partner_id) for line in plan.budget_lines)
    for i, line in enumerate(plan.budget_lines):
        if seen[(line.channel, line.partner_id)] > 1:
            out.append(Problem(f"budget_lines.{i}", "duplicate_line"))
    split = sum(line.amount_minor for line in plan.budget_lines)
    if plan.budget_lines and split != plan.budget_minor:
        out.append(Problem("budget_lines", "split_mismatch", {"split": split, "budget": plan.budget_minor}))
    return out


def _targets(plan: CampaignPlan) -> list[Problem]:
    """Targets are never negative; where the total and every phase set an additive target, the
    phases add up to the total."""
    out: list[Problem] = []
    for where, targets in [("targets", plan.targets)] + [
        (f"phases.{i}.targets", p.targets) for i, p in enumerate(plan.phases)
    ]:
        for key, value in targets.items():
            if key not in TARGETS:
                out.append(Problem(f"{where}.{key}", "unknown_target"))
            elif value < 0:
                out.append(Problem(f"{where}.{key}", "negative"))
    for key in ADDITIVE:
        parts = [p.targets.get(key) for p in plan.phases]
        total = plan.targets.get(key)
        if total is not None and parts and None not in parts and sum(parts) != total:
            out.append(Problem(f"targets.{key}", "target_split_mismatch", {"split": sum(parts), "total": total}))
    return out

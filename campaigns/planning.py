"""Campaigns as planned: statuses, objectives, phases, and the checks a plan must pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import pairwise


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


@dataclass(frozen=True)
class PhasePlan:
    kind: PhaseKind
    name: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware, inclusive
    budget_minor: int


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
    ordered = sorted(enumerate(plan.phases), key=lambda ip: ip[1].starts_at)
    for (_, a), (j, b) in pairwise(ordered):
        if b.starts_at <= a.ends_at:
            out.append(Problem(f"phases.{j}", "overlaps", {"other": a.name}))
    split = sum(p.budget_minor for p in plan.phases)
    if plan.phases and split != plan.budget_minor:
        out.append(Problem("phases", "split_mismatch", {"split": split, "budget": plan.budget_minor}))
    return out

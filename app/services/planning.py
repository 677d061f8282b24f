"""Campaigns: create from a template, edit phases and budgets, copy to another year, status."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import templates
from campaigns.access import Permission
from campaigns.planning import CampaignPlan, CampaignStatus, Objective, PhaseKind, PhasePlan, Problem, validate
from data.models import Campaign, CampaignPhase

# status -> the statuses it may move to
TRANSITIONS = {
    CampaignStatus.DRAFT: {CampaignStatus.PLANNED, CampaignStatus.ARCHIVED},
    CampaignStatus.PLANNED: {CampaignStatus.DRAFT, CampaignStatus.RUNNING, CampaignStatus.ARCHIVED},
    CampaignStatus.RUNNING: {CampaignStatus.FINISHED},
    CampaignStatus.FINISHED: {CampaignStatus.ARCHIVED},
    CampaignStatus.ARCHIVED: set(),
}


class PlanRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    name: str
    status: str
    festival_key: str | None
    plan: CampaignPlan


def _plan(k: Campaign, phases: list[CampaignPhase]) -> CampaignPlan:
    return CampaignPlan(
        name=k.name,
        festival_key=k.festival_key,
        festival_region=k.festival_region,
        objective=Objective(k.objective),
        timezone=k.timezone,
        starts_at=k.starts_at,
        ends_at=k.ends_at,
        currency=k.currency,
        budget_minor=k.budget_minor,
        phases=tuple(
            PhasePlan(PhaseKind(p.kind), p.name, p.starts_at, p.ends_at, p.budget_minor)
            for p in sorted(phases, key=lambda p: p.starts_at)
        ),
    )


@requires(Permission.VIEW_OVERVIEW)
def campaigns(c: Container, actor: Actor) -> list[CampaignSummary]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.campaigns.all(ws.id) if ws else []
        phases = uow.campaigns.phases(k.id for k in rows)
    return [
        CampaignSummary(k.id, k.name, k.status, k.festival_key, _plan(k, [p for p in phases if p.campaign_id == k.id]))
        for k in rows
    ]


def _campaign(uow, campaign_id: int) -> Campaign:
    k = uow.campaigns.get(campaign_id)
    if k is None:
        raise PlanRejected([Problem("campaign", "no_such_campaign")])
    return k


def _check(plan: CampaignPlan) -> None:
    problems = validate(plan)
    if problems:
        raise PlanRejected(problems)


def _fields(plan: CampaignPlan) -> dict:
    """The campaign's own columns, as the plan sets them."""
    return {
        "name": plan.name.strip(),
        "festival_key": plan.festival_key,
        "festival_region": plan.festival_region,
        "objective": plan.objective,
        "timezone": plan.timezone,
        "currency": plan.currency,
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
        "budget_minor": plan.budget_minor,
    }


def _write(uow, campaign: Campaign, plan: CampaignPlan) -> None:
    """Campaign fields and phases from ``plan``; the old phases are replaced in the same transaction."""
    for name, value in _fields(plan).items():
        setattr(campaign, name, value)
    uow.campaigns.replace_phases(
        campaign.id,
        [
            CampaignPhase(
                campaign_id=campaign.id,
                kind=p.kind,
                name=p.name,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                budget_minor=p.budget_minor,
            )
            for p in plan.phases
        ],
    )


def _create(c: Container, actor: Actor, plan: CampaignPlan, action: str) -> int:
    _check(plan)
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        if ws is None:
            raise PlanRejected([Problem("workspace", "no_workspace")])
        k = uow.campaigns.add(Campaign(workspace_id=ws.id, status=CampaignStatus.DRAFT, **_fields(plan)))
        _write(uow, k, plan)
        audit.record_in(uow, c, actor.who, action, entity=plan.name, source=actor.source)
        return k.id


@requires(Permission.EDIT_CAMPAIGNS)
def create_from_template(c: Container, actor: Actor, key: str, year: int, name: str, budget_minor: int) -> int:
    if key not in templates.TEMPLATES:
        raise PlanRejected([Problem("template", "unknown_template")])
    if budget_minor < 0:
        raise PlanRejected([Problem("budget", "negative")])
    try:
        plan = templates.from_template(templates.TEMPLATES[key], year, name, budget_minor, c.settings.currency)
    except ValueError as err:
        raise PlanRejected([Problem("year", str(err))]) from None
    return _create(c, actor, plan, "campaign_created")


@requires(Permission.EDIT_CAMPAIGNS)
def save(c: Container, actor: Actor, campaign_id: int, plan: CampaignPlan) -> None:
    """Store an edited plan, or store nothing and say what is wrong at each field."""
    _check(plan)
    with c.uow(write=True) as uow:
        k = _campaign(uow, campaign_id)
        _write(uow, k, plan)
        audit.record_in(uow, c, actor.who, "campaign_edited", entity=plan.name, source=actor.source)


@requires(Permission.EDIT_CAMPAIGNS)
def copy_to_year(c: Container, actor: Actor, campaign_id: int, year: int) -> int:
    with c.uow() as uow:
        k = _campaign(uow, campaign_id)
        plan = _plan(k, uow.campaigns.phases([k.id]))
    try:
        moved = templates.copy_to_year(plan, year, _renamed(plan.name, year))
    except ValueError as err:
        raise PlanRejected([Problem("year", str(err))]) from None
    return _create(c, actor, replace(moved, budget_minor=plan.budget_minor), "campaign_copied")


def _renamed(name: str, year: int) -> str:
    """'双11 2026 · Double 11' copied to 2027 becomes '双11 2027 · Double 11'."""
    words = name.split()
    years = [i for i, w in enumerate(words) if w.isdigit() and len(w) == 4]
    if years:
        words[years[0]] = str(year)
        return " ".join(words)
    return f"{name} {year}"


@requires(Permission.EDIT_CAMPAIGNS)
def set_status(c: Container, actor: Actor, campaign_id: int, status: str) -> None:
    with c.uow(write=True) as uow:
        k = _campaign(uow, campaign_id)
        if CampaignStatus(status) not in TRANSITIONS[CampaignStatus(k.status)]:
            raise PlanRejected([Problem("status", "bad_transition", {"from": k.status, "to": status})])
        old, k.status = k.status, CampaignStatus(status)
        audit.record_in(
            uow, c, actor.who, "campaign_status", entity=k.name, detail=f"{old} -> {status}", source=actor.source
        )

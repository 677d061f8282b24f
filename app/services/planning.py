"""Campaigns: create from a template, edit phases and budgets, copy to another year, status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import templates
from campaigns.access import Permission
from campaigns.planning import (
    NAME_MAX,
    BudgetLine,
    CampaignPlan,
    CampaignStatus,
    Objective,
    PhaseKind,
    PhasePlan,
    Problem,
    Target,
    Targets,
    validate,
)
from data.models import Campaign, CampaignBudget, CampaignPhase, CampaignTemplate

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


def targets_in(stored: dict) -> Targets:
    """Targets as stored (JSON: ROI as the text of a decimal) back to numbers."""
    return {k: Decimal(v) if k == Target.ROI else int(v) for k, v in stored.items()}


def targets_out(targets: Targets) -> dict:
    return {k: str(v) if k == Target.ROI else int(v) for k, v in sorted(targets.items())}


def plan_of(k: Campaign, phases: list[CampaignPhase], lines: list[CampaignBudget]) -> CampaignPlan:
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
            PhasePlan(PhaseKind(p.kind), p.name, p.starts_at, p.ends_at, p.budget_minor, targets_in(p.targets))
            for p in sorted(phases, key=lambda p: p.starts_at)
        ),
        owner_id=k.owner_id,
        segments=tuple(k.segments),
        budget_lines=tuple(BudgetLine(x.channel, x.partner_id, x.amount_minor) for x in lines),
        targets=targets_in(k.targets),
    )


def load(uow, campaign_id: int) -> tuple[Campaign, CampaignPlan]:
    """The campaign and its plan, or PlanRejected when there is none."""
    k = _campaign(uow, campaign_id)
    return k, plan_of(k, uow.campaigns.phases([k.id]), uow.budgets.lines([k.id]))


@requires(Permission.VIEW_OVERVIEW)
def campaigns(c: Container, actor: Actor) -> list[CampaignSummary]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.campaigns.all(ws.id) if ws else []
        phases = uow.campaigns.phases(k.id for k in rows)
        lines = uow.budgets.lines(k.id for k in rows)
    return [
        CampaignSummary(
            k.id,
            k.name,
            k.status,
            k.festival_key,
            plan_of(k, [p for p in phases if p.campaign_id == k.id], [x for x in lines if x.campaign_id == k.id]),
        )
        for k in rows
    ]


def _campaign(uow, campaign_id: int) -> Campaign:
    k = uow.campaigns.get(campaign_id)
    if k is None:
        raise PlanRejected([Problem("campaign", "no_such_campaign")])
    return k


def check(plan: CampaignPlan) -> None:
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
        "owner_id": plan.owner_id,
        "segments": list(dict.fromkeys(s.strip() for s in plan.segments)),
        "targets": targets_out(plan.targets),
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
                targets=targets_out(p.targets),
            )
            for p in plan.phases
        ],
    )
    uow.budgets.replace_lines(
        campaign.id,
        [CampaignBudget(campaign_id=campaign.id, **vars(x)) for x in plan.budget_lines],
    )


def _create(c: Container, actor: Actor, plan: CampaignPlan, action: str) -> int:
    check(plan)
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        if ws is None:
            raise PlanRejected([Problem("workspace", "no_workspace")])
        k = uow.campaigns.add(Campaign(workspace_id=ws.id, status=CampaignStatus.DRAFT, **_fields(plan)))
        _write(uow, k, plan)
        audit.record_in(uow, c, actor.who, action, entity=plan.name, source=actor.source)
        return k.id


USER_TEMPLATE = "user:"  # keys of saved templates: "user:<id>"


def _template(uow, key: str) -> templates.Template:
    if key in templates.TEMPLATES:
        return templates.TEMPLATES[key]
    ws = uow.workspaces.current()
    row = uow.templates.get(int(key.removeprefix(USER_TEMPLATE))) if key.removeprefix(USER_TEMPLATE).isdigit() else None
    if row is None or ws is None or row.workspace_id != ws.id:
        raise PlanRejected([Problem("template", "unknown_template")])
    return templates.from_json(key, row.name, row.festival_key, row.region, row.objective, row.phases, row.channels)


@requires(Permission.VIEW_OVERVIEW)
def template_choices(c: Container, actor: Actor) -> list[templates.Template]:
    """The built-in templates, then the workspace's saved ones (``name`` set)."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.templates.all(ws.id) if ws else []
        saved = [_template(uow, f"{USER_TEMPLATE}{row.id}") for row in rows]
    return list(templates.TEMPLATES.values()) + saved


@requires(Permission.EDIT_CAMPAIGNS)
def create_from_template(c: Container, actor: Actor, key: str, year: int, name: str, budget_minor: int) -> int:
    if budget_minor < 0:
        raise PlanRejected([Problem("budget", "negative")])
    with c.uow() as uow:
        template = _template(uow, key)
    try:
        plan = templates.from_template(template, year, name, budget_minor, c.settings.currency)
    except ValueError as err:
        raise PlanRejected([Problem("year", str(err))]) from None
    return _create(c, actor, replace(plan, owner_id=actor.user_id), "campaign_created")


@requires(Permission.EDIT_CAMPAIGNS)
def save_as_template(c: Container, actor: Actor, campaign_id: int, name: str) -> int:
    """The campaign's shape (phases around its festival day, budget shares) as a template."""
    name = name.strip()
    if not name:
        raise PlanRejected([Problem("template_name", "required")])
    if len(name) > NAME_MAX:
        raise PlanRejected([Problem("template_name", "too_long", {"max": NAME_MAX})])
    with c.uow(write=True) as uow:
        k, plan = load(uow, campaign_id)
        if uow.templates.named(k.workspace_id, name):
            raise PlanRejected([Problem("template_name", "taken", {"name": name})])
        try:
            shape = templates.to_template(plan, "", name)
        except ValueError as err:
            raise PlanRejected([Problem("template_name", str(err))]) from None
        row = uow.templates.add(
            CampaignTemplate(
                workspace_id=k.workspace_id,
                name=name,
                festival_key=shape.festival_key,
                region=shape.region,
                objective=shape.objective,
                phases=templates.phases_to_json(shape),
                channels=templates.channels_to_json(shape),
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        audit.record_in(uow, c, actor.who, "template_saved", entity=name, detail=k.name, source=actor.source)
        return row.id


@requires(Permission.EDIT_CAMPAIGNS)
def remove_template(c: Container, actor: Actor, key: str) -> None:
    with c.uow(write=True) as uow:
        template = _template(uow, key)
        if key in templates.TEMPLATES:
            raise PlanRejected([Problem("template", "built_in")])
        uow.templates.remove(int(key.removeprefix(USER_TEMPLATE)))
        audit.record_in(uow, c, actor.who, "template_removed", entity=template.name, source=actor.source)


@requires(Permission.EDIT_CAMPAIGNS)
def save(c: Container, actor: Actor, campaign_id: int, plan: CampaignPlan) -> None:
    """Store an edited plan, or store nothing and say what is wrong at each field."""
    check(plan)
    with c.uow(write=True) as uow:
        k = _campaign(uow, campaign_id)
        if plan.owner_id is not None and plan.owner_id != k.owner_id:
            owner = uow.users.get(plan.owner_id)
            if owner is None or not owner.active:
                raise PlanRejected([Problem("owner", "inactive_owner")])
        if plan.currency != k.currency and uow.deals.deals(k.workspace_id, [k.id]):  # their rates are to this one
            raise PlanRejected([Problem("currency", "has_kol_deals", {"currency": k.currency})])
        _write(uow, k, plan)
        audit.record_in(uow, c, actor.who, "campaign_edited", entity=plan.name, source=actor.source)


@requires(Permission.EDIT_CAMPAIGNS)
def copy_to_year(c: Container, actor: Actor, campaign_id: int, year: int) -> int:
    with c.uow() as uow:
        _, plan = load(uow, campaign_id)
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

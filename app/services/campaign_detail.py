"""One campaign gathered in one place: its plan, owner, posts, budget and results; and the
choices its editor offers (owners, KOL partners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services import budgets
from app.services.auth import Actor, requires
from app.services.planning import load
from campaigns.access import Permission
from campaigns.metrics import Totals
from campaigns.planning import CampaignPlan


@dataclass(frozen=True)
class PostLine:
    title: str
    channel: str
    account: str
    state: str
    scheduled_at: datetime | None
    published_at: datetime | None


@dataclass(frozen=True)
class CampaignDetail:
    id: int
    status: str
    plan: CampaignPlan
    owner: str | None
    partners: dict[int, str]  # the workspace's KOL partners by id, for naming budget lines
    posts: list[PostLine]
    results: Totals
    by_channel: dict[str, Totals]
    budget: budgets.BudgetView


@dataclass(frozen=True)
class Choices:
    people: dict[int, str]  # who may own a campaign: active accounts by display name (no e-mails)
    partners: dict[int, str]


@requires(Permission.VIEW_OVERVIEW)
def choices(c: Container, actor: Actor) -> Choices:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        people = {u.id: u.display_name for u in uow.users.active()}
        partners = {p.id: f"{p.name} · {p.platform} @{p.handle}" for p in uow.partners.all(ws.id)} if ws else {}
    return Choices(people, partners)


@requires(Permission.VIEW_OVERVIEW)
def detail(c: Container, actor: Actor, campaign_id: int) -> CampaignDetail:
    with c.uow() as uow:
        k, plan = load(uow, campaign_id)
        owner = uow.users.get(k.owner_id) if k.owner_id else None
        posts = [
            PostLine(p.title, a.channel, a.name, p.state, p.scheduled_at, p.published_at)
            for p, a in uow.posts.of_campaign(k.id)
        ]
        results = uow.metrics.totals(k.id)
        by_channel = uow.metrics.totals_by_channel(k.id)
        partners = {p.id: p.name for p in uow.partners.all(k.workspace_id)}
        money = budgets.view_in(uow, k, plan)
    return CampaignDetail(
        k.id,
        k.status,
        plan,
        owner.display_name if owner else None,
        partners,
        posts,
        results,
        by_channel,
        money,
    )

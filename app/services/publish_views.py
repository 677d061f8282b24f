"""What the publishing pages show: the calendar, one post with its history and attempts, the
dispatcher's health, the sandbox outbox, and media uploads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.bootstrap import Container
from app.services import workers
from app.services.auth import Actor, requires
from app.services.posts import PostRejected, _problem
from campaigns import compose
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.publishing import NEEDS_PERSON, PostState
from data.models_publish import MediaAsset

MAX_UPLOAD = 50 * 1024 * 1024  # Festa's own cap per file; channels have smaller ones (campaigns.compose)


@dataclass(frozen=True)
class PostView:
    id: int
    state: str
    account: str
    account_id: int
    channel: str
    connector: str
    campaign: str | None
    title: str
    body: str
    link: str | None
    scheduled_at: datetime | None
    timezone: str
    revision: int
    approved: bool
    author_id: int | None
    assignee: str | None
    last_error: str | None
    external_url: str | None
    group_key: str | None


def _view(post, acct, campaign: str | None = None) -> PostView:
    return PostView(
        post.id,
        post.state,
        acct.name,
        acct.id,
        acct.channel,
        acct.connector,
        campaign,
        post.title,
        post.body,
        post.link,
        post.scheduled_at,
        post.timezone,
        post.revision,
        post.approved_revision is not None and post.approved_revision == post.revision,
        post.author_id,
        post.assignee,
        post.last_error,
        post.external_url,
        post.group_key,
    )


@requires(Permission.VIEW_OVERVIEW)
def calendar(
    c: Container,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    campaign_id: int | None = None,
    channels: tuple[str, ...] = (),
    states: tuple[str, ...] = (),
) -> list[PostView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.publishing.between(ws.id, start, end, campaign_id=campaign_id, channels=channels, states=states)
    return [_view(p, a, k) for p, a, k in rows]


@requires(Permission.VIEW_OVERVIEW)
def unscheduled(c: Container, actor: Actor) -> list[PostView]:
    """Drafts and posts in review or approved that have no time yet."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.publishing.in_states(ws.id, ("draft", "in_review", "approved"), untimed=True)
    return [_view(p, a, k) for p, a, k in rows]


@requires(Permission.VIEW_OVERVIEW)
def review_queue(c: Container, actor: Actor) -> list[PostView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.publishing.in_states(ws.id, ("in_review",))
    return [_view(p, a, k) for p, a, k in rows]


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    kind: str
    revision: int
    body: str


@dataclass(frozen=True)
class Attempt:
    attempt: int
    revision: int
    worker: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    message: str | None


@dataclass(frozen=True)
class PostDetail:
    post: PostView
    history: list[Event]
    attempts: list[Attempt]
    media: list[str]


@requires(Permission.VIEW_OVERVIEW)
def detail(c: Container, actor: Actor, post_id: int) -> PostDetail:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        post = uow.publishing.post(post_id)
        if post is None or post.workspace_id != ws.id:
            raise _problem("post", "no_such_post", post=str(post_id))
        acct = uow.channel_accounts.get(post.channel_account_id)
        campaign = uow.campaigns.get(post.campaign_id) if post.campaign_id else None
        history = [Event(e.at, e.actor, e.kind, e.revision, e.body) for e in uow.publishing.history(post_id)]
        attempts = [
            Attempt(a.attempt, a.revision, a.worker, a.started_at, a.finished_at, a.outcome, a.message)
            for a in uow.publishing.attempts(post_id)
        ]
        media = [m.filename for m in uow.publishing.media_of(post_id)]
    return PostDetail(_view(post, acct, campaign.name if campaign else None), history, attempts, media)


@dataclass(frozen=True)
class Health:
    workers: list[workers.WorkerInfo]
    by_state: dict[str, int]
    overdue: int  # queued posts whose time has passed (the worker is behind, or stopped)
    needs_person: list[PostView]  # failed, unknown, missed, handed off — newest first
    accounts_needing_reauth: list[tuple[str, str]]
    paused_accounts: list[tuple[str, datetime]]
    app_cooldowns: list[tuple[str, datetime, str]]


@requires(Permission.VIEW_OVERVIEW)
def health(c: Container, actor: Actor) -> Health:
    now = c.clock()
    with c.uow() as uow:
        ws = uow.workspaces.current()
        accounts = uow.channel_accounts.all(ws.id)
        rows = uow.publishing.needing_a_person(ws.id, [s.value for s in NEEDS_PERSON])
        result = Health(
            workers=[],
            by_state=uow.publishing.by_state(ws.id),
            overdue=uow.publishing.late_queue(ws.id, now - timedelta(minutes=1)),
            needs_person=[_view(p, a) for p, a in rows],
            accounts_needing_reauth=[(a.name, a.status_detail or "") for a in accounts if a.needs_reauth],
            paused_accounts=[(a.name, a.paused_until) for a in accounts if a.paused_until and a.paused_until > now],
            app_cooldowns=[(x.connector, x.until, x.message) for x in uow.publishing.cooldowns(now)],
        )
    return Health(**{**result.__dict__, "workers": workers.workers(c)})


@requires(Permission.VIEW_OVERVIEW)
def phases(c: Container, actor: Actor, campaign_id: int) -> dict[int, str]:
    """The phases a post may be linked to: id -> name, in time order."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        k = uow.campaigns.get(campaign_id)
        if k is None or k.workspace_id != ws.id:
            return {}
        return {p.id: p.name for p in sorted(uow.campaigns.phases([campaign_id]), key=lambda p: p.starts_at)}


@requires(Permission.VIEW_OVERVIEW)
def outbox(c: Container, actor: Actor) -> list[PostView]:
    """What the sandbox connector "published": the demo's stand-in for a real channel."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.publishing.sent_to_sandbox(ws.id)
    return [_view(p, a) for p, a in rows]


@requires(Permission.COMPOSE_POSTS)
def add_media(c: Container, actor: Actor, filename: str, content_type: str, data: bytes) -> int:
    """Store an upload once (by content hash). Its bytes must be what its type says."""
    if not data:
        raise _problem("media", "media_empty", index=0)
    if len(data) > MAX_UPLOAD:
        raise _problem("media", "media_too_big", index=0, limit=MAX_UPLOAD)
    claimed = compose.normalise_type(content_type)
    if compose.sniff_type(data) is None:
        raise _problem("media", "media_type", index=0)
    if problems := compose.check_content([(filename, claimed, data)]):
        raise PostRejected([Problem("media", p.code, dict(p.params)) for p in problems])
    digest = hashlib.sha256(data).hexdigest()
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        found = uow.publishing.media_by_hash(ws.id, digest)
        if found is not None:
            return found.id
        asset = MediaAsset(
            workspace_id=ws.id,
            sha256=digest,
            filename=filename[:255] or "upload",
            content_type=claimed,
            size=len(data),
            data=data,
            created_by=actor.email[:254],
            created_at=c.clock(),
        )
        uow.session.add(asset)
        uow.session.flush()
        return asset.id


def states() -> list[str]:
    return [s.value for s in PostState]

"""Posts as people handle them: compose one post for several accounts (a variant per channel), then
draft → in review → approved → scheduled, with comments; an edit lapses the approval; every step is
kept in the post's history and the audit log. The dispatcher (app.services.dispatch) takes it from there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from app.services.offer_exchange import slug
from campaigns import compose
from campaigns import publishing as pb
from campaigns import schedule_time as st
from campaigns.access import Permission, may_approve
from campaigns.planning import Problem
from campaigns.publishing import Action, EventKind, PostState
from data.models import Post
from data.models_publish import PostEvent, PostMedia

MAX_COMMENT = 2000
MAX_SERIES = 60  # occurrences one recurring post may create at once


class PostRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{x.field}: {x.code}" for x in problems))
        self.problems = problems


@dataclass(frozen=True)
class Draft:
    """What the composer fills in. ``variants`` maps an account id to its own text (else ``body``)."""

    body: str
    account_ids: tuple[int, ...]
    title: str = ""
    link: str = ""
    variants: dict[int, str] = field(default_factory=dict)
    campaign_id: int | None = None
    phase_id: int | None = None
    local_time: datetime | None = None  # naive, in ``timezone``
    timezone: str = "Asia/Shanghai"
    fold: int | None = None  # which of two equal local times (DST fold), when the person chose
    media_ids: tuple[int, ...] = ()
    assignee: str = ""  # for hand-offs (manual channels)
    recurrence: st.Recurrence | None = None


def _problem(fieldname: str, code: str, **params) -> PostRejected:
    return PostRejected([Problem(fieldname, code, params)])


def _time(local: datetime | None, zone: str, fold: int | None = None) -> datetime | None:
    if local is None:
        return None
    try:
        return st.to_utc(local.replace(tzinfo=None, second=0, microsecond=0), zone, fold=fold)
    except st.ScheduleTimeError as err:
        raise _problem("local_time", err.code, **err.params) from None


def _series(draft: Draft) -> tuple[list[datetime | None], str | None]:
    if draft.recurrence is None or draft.local_time is None:
        return [_time(draft.local_time, draft.timezone, draft.fold)], None
    try:
        got = st.occurrences(
            draft.local_time.replace(second=0, microsecond=0), draft.timezone, draft.recurrence, limit=MAX_SERIES
        )
    except st.ScheduleTimeError as err:
        raise _problem("recurrence", err.code, **err.params) from None
    if got.truncated:
        raise _problem("recurrence", "too_many_occurrences", limit=MAX_SERIES)
    if got.refused:
        r = got.refused[0]
        raise _problem("recurrence", r.code, count=len(got.refused), **r.params)
    return list(got.utc), str(uuid.uuid4())


def _not_past(when: datetime | None, now: datetime) -> None:
    if when is not None and when < now - timedelta(minutes=1):
        raise _problem("local_time", "in_past")


def _check_content(uow, ws_id: int, draft: Draft, accounts: dict, media: list, campaign=None) -> list[Problem]:
    """Each account's text as it goes out (UTM-tagged, with the link where its connector appends it)."""
    problems = []
    items = [(m.filename, m.content_type, m.size) for m in media]
    for aid in draft.account_ids:
        acct = accounts[aid]
        body, link = _tagged(draft.variants.get(aid, draft.body), draft.link.strip(), campaign, acct.channel)
        for p in compose.check_text(acct.channel, body, draft.title, has_media=bool(media), link=link):
            problems.append(Problem(f"variant.{aid}", p.code, {**p.params, "account": acct.name}))
        for p in compose.check_media(acct.channel, items):
            problems.append(Problem(f"media.{aid}", p.code, {**p.params, "account": acct.name}))
        if acct.connector == "manual" and not (draft.assignee.strip() or acct.credentials):
            problems.append(Problem("assignee", "required", {"account": acct.name}))
    return problems


# what the post table holds (data.models.Post); checked after UTM tagging, which lengthens text and link
MAX_TITLE, MAX_BODY, MAX_LINK, MAX_ASSIGNEE = 200, 10_000, 2_000, 200


def _fits(title: str, body: str, link: str | None, assignee: str | None, where: str = "body") -> list[Problem]:
    problems = []
    for name, value, limit in (
        ("title", title, MAX_TITLE),
        (where, body, MAX_BODY),
        ("link", link or "", MAX_LINK),
        ("assignee", assignee or "", MAX_ASSIGNEE),
    ):
        if len(value) > limit:
            problems.append(Problem(name, "too_long", {"length": len(value), "max": limit}))
    if link and not link.lower().startswith(("https://", "http://")):
        problems.append(Problem("link", "not_a_link"))
    return problems


def _tagged(text: str, link: str, campaign, channel: str) -> tuple[str, str | None]:
    if campaign is None:
        return text, link or None
    utm = compose.utm_for(slug(campaign.name), channel)
    return compose.tag_text(text, utm), (compose.tag_link(link, utm) if link else None)


def _event(uow, c: Container, actor: Actor, post: Post, kind: EventKind, body: str = "") -> None:
    uow.session.add(
        PostEvent(
            post_id=post.id,
            at=c.clock(),
            actor=actor.email[:254],
            kind=kind,
            revision=post.revision,
            body=body[:MAX_COMMENT],
        )
    )


@requires(Permission.COMPOSE_POSTS)
def compose_posts(c: Container, actor: Actor, draft: Draft) -> list[int]:
    """One draft per account (and per occurrence of a recurring post). All or nothing."""
    if not draft.account_ids:
        raise _problem("accounts", "required")
    if not draft.body.strip() and not draft.variants and not draft.media_ids:
        raise _problem("body", "empty")
    try:
        st.zone_info(draft.timezone)
    except st.ScheduleTimeError as err:
        raise _problem("timezone", err.code, **err.params) from None
    if draft.local_time is not None and draft.local_time.tzinfo is not None:
        raise _problem("local_time", "not_local")
    times, series = _series(draft)
    now = c.clock()
    _not_past(times[0], now)
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        accounts = {a.id: a for a in uow.channel_accounts.all(ws.id)}
        missing = [a for a in draft.account_ids if a not in accounts]
        if missing:
            raise _problem("accounts", "no_such_account", account=str(missing[0]))
        campaign = _campaign_and_phase(uow, ws.id, draft.campaign_id, draft.phase_id)
        media = uow.publishing.media(ws.id, draft.media_ids)
        if len(media) != len(set(draft.media_ids)):
            raise _problem("media", "no_such_media")
        problems = _check_content(uow, ws.id, draft, accounts, media, campaign)
        if problems:
            raise PostRejected(problems)
        group, ids = str(uuid.uuid4()), []
        for when in times:
            for aid in draft.account_ids:
                acct = accounts[aid]
                body, link = _tagged(draft.variants.get(aid, draft.body), draft.link.strip(), campaign, acct.channel)
                if problems := _fits(draft.title.strip(), body, link, draft.assignee.strip(), f"variant.{aid}"):
                    raise PostRejected(problems)
                post = Post(
                    workspace_id=ws.id,
                    campaign_id=draft.campaign_id,
                    phase_id=draft.phase_id,
                    channel_account_id=aid,
                    group_key=group,
                    series_key=series,
                    title=draft.title.strip(),
                    body=body,
                    link=link,
                    state=PostState.DRAFT,
                    timezone=draft.timezone,
                    scheduled_at=when,
                    author_id=actor.user_id,
                    assignee=draft.assignee.strip() or None,
                    created_at=now,
                    updated_at=now,
                )
                uow.session.add(post)
                uow.session.flush()
                for pos, m in enumerate(media):
                    uow.session.add(PostMedia(post_id=post.id, position=pos, media_id=m.id))
                _event(uow, c, actor, post, EventKind.CREATED)
                ids.append(post.id)
        audit.record_in(
            uow,
            c,
            actor.who,
            "post_composed",
            entity=f"posts {ids[0]}–{ids[-1]}",
            detail=f"{len(ids)} drafts",
            source=actor.source,
        )
    return ids


def _campaign_and_phase(uow, ws_id: int, campaign_id: int | None, phase_id: int | None):
    if campaign_id is None:
        if phase_id is not None:
            raise _problem("phase", "needs_campaign")
        return None
    campaign = uow.campaigns.get(campaign_id)
    if campaign is None or campaign.workspace_id != ws_id:
        raise _problem("campaign", "no_such_campaign", campaign=str(campaign_id))
    if phase_id is not None and phase_id not in {p.id for p in uow.campaigns.phases([campaign_id])}:
        raise _problem("phase", "not_in_campaign")
    return campaign


def _post(uow, ws_id: int, post_id: int, revision: int | None = None, lock: bool = True) -> Post:
    post = uow.publishing.post(post_id, lock=lock)
    if post is None or post.workspace_id != ws_id:
        raise _problem("post", "no_such_post", post=str(post_id))
    if revision is not None and post.revision != revision:
        raise _problem("post", "changed_meanwhile", post=str(post_id))
    return post


def _must(uow, post: Post, action: Action) -> None:
    if not pb.allowed(post.state, action):
        raise _problem("post", "not_now", state=post.state, action=str(action))
    if pb.waits_while_in_doubt(post.state, action) and uow.publishing.in_doubt([post.id]):
        raise _problem("post", "not_now", state=PostState.UNKNOWN, action=str(action))  # it may be out already


@requires(Permission.COMPOSE_POSTS)
def edit(
    c: Container,
    actor: Actor,
    post_id: int,
    revision: int,
    *,
    body: str,
    title: str = "",
    link: str = "",
    assignee: str | None = None,
) -> int:
    """Change the text. Approved content goes back to review (the approval lapses). Returns the new revision."""
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        post = _post(uow, ws.id, post_id, revision)
        _must(uow, post, Action.EDIT)
        acct = uow.channel_accounts.get(post.channel_account_id)
        media = uow.publishing.media_of(post.id)
        campaign = uow.campaigns.get(post.campaign_id) if post.campaign_id else None
        body, tagged = _tagged(body, link.strip(), campaign, acct.channel)
        problems = [
            Problem("body", p.code, dict(p.params))
            for p in compose.check_text(acct.channel, body, title, has_media=bool(media), link=tagged)
        ]
        if problems:
            raise PostRejected(problems)
        who = post.assignee if assignee is None else assignee.strip()
        problems = _fits(title.strip(), body, tagged, who)
        if acct.connector == "manual" and not (who or acct.credentials):
            problems.append(Problem("assignee", "required", {"account": acct.name}))
        if problems:
            raise PostRejected(problems)
        had_approval = post.approved_revision is not None
        new_state = pb.after_edit(post.state, post.revision, post.approved_revision)
        post.body, post.title, post.link = body, title.strip(), tagged
        if assignee is not None:
            post.assignee = assignee.strip() or None
        post.revision += 1
        post.state, post.updated_at, post.last_error = new_state, c.clock(), None
        post.approved_revision = post.approved_by = None
        _event(uow, c, actor, post, EventKind.EDITED)
        if had_approval:
            _event(uow, c, actor, post, EventKind.APPROVAL_LAPSED)
        return post.revision


def _step(
    c: Container,
    actor: Actor,
    post_id: int,
    revision: int | None,
    action: Action,
    change,
    kind: EventKind,
    comment: str = "",
    audit_action: str | None = None,
) -> PostState:
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        post = _post(uow, ws.id, post_id, revision)
        _must(uow, post, action)
        note = change(uow, post)
        post.updated_at = c.clock()
        _event(uow, c, actor, post, kind, note or comment.strip())
        if audit_action:
            audit.record_in(
                uow,
                c,
                actor.who,
                audit_action,
                entity=f"post {post.id}",
                detail=f"revision {post.revision}",
                source=actor.source,
            )
        return PostState(post.state)


@requires(Permission.COMPOSE_POSTS)
def submit(c: Container, actor: Actor, post_id: int, revision: int | None = None) -> PostState:
    def change(uow, post):
        post.state = PostState.IN_REVIEW

    return _step(c, actor, post_id, revision, Action.SUBMIT, change, EventKind.SUBMITTED)


@requires(Permission.APPROVE_POSTS)
def approve(c: Container, actor: Actor, post_id: int, revision: int, comment: str = "") -> PostState:
    """Approves exactly the revision the approver saw; nobody approves their own post (four eyes)."""

    def change(uow, post):
        if not may_approve(actor.role, actor.user_id or 0, post.author_id or -1):
            raise _problem("post", "own_post")
        post.state, post.approved_revision, post.approved_by = PostState.APPROVED, post.revision, actor.user_id

    return _step(c, actor, post_id, revision, Action.APPROVE, change, EventKind.APPROVED, comment, "post_approved")


@requires(Permission.APPROVE_POSTS)
def request_changes(c: Container, actor: Actor, post_id: int, revision: int, comment: str) -> PostState:
    if not comment.strip():
        raise _problem("comment", "required")

    def change(uow, post):
        post.state = PostState.DRAFT

    return _step(
        c,
        actor,
        post_id,
        revision,
        Action.REQUEST_CHANGES,
        change,
        EventKind.CHANGES_REQUESTED,
        comment,
        "post_changes_requested",
    )


@requires(Permission.COMPOSE_POSTS)
def schedule(c: Container, actor: Actor, post_id: int) -> PostState:
    """Put an approved post in the dispatcher's queue at its time."""

    def change(uow, post):
        if not pb.approval_holds(post.revision, post.approved_revision):
            raise _problem("post", "not_approved")
        if post.scheduled_at is None:
            raise _problem("local_time", "required")
        post.state, post.run_at = PostState.SCHEDULED, post.scheduled_at

    return _step(c, actor, post_id, None, Action.SCHEDULE, change, EventKind.SCHEDULED, audit_action="post_scheduled")


@requires(Permission.COMPOSE_POSTS)
def unschedule(c: Container, actor: Actor, post_id: int) -> PostState:
    def change(uow, post):
        post.state, post.run_at = PostState.APPROVED, None

    return _step(c, actor, post_id, None, Action.UNSCHEDULE, change, EventKind.UNSCHEDULED)


@requires(Permission.COMPOSE_POSTS)
def move(
    c: Container, actor: Actor, post_id: int, local_time: datetime, timezone: str, fold: int | None = None
) -> PostState:
    """Another slot on the calendar. The text is unchanged, so an approval holds."""
    when = _time(local_time, timezone, fold)
    _not_past(when, c.clock())

    def change(uow, post):
        old = post.scheduled_at
        post.scheduled_at, post.timezone = when, timezone
        if post.state in (PostState.SCHEDULED, PostState.RETRY_WAIT, PostState.MISSED):
            post.state, post.run_at = PostState.SCHEDULED, when
        post.last_error = None
        return f"{old:%Y-%m-%d %H:%M} UTC → {when:%Y-%m-%d %H:%M} UTC" if old else ""

    return _step(c, actor, post_id, None, Action.MOVE, change, EventKind.MOVED, audit_action="post_moved")


@requires(Permission.COMPOSE_POSTS)
def cancel(c: Container, actor: Actor, post_id: int, comment: str = "") -> PostState:
    def change(uow, post):
        post.state, post.run_at = PostState.CANCELLED, None

    return _step(c, actor, post_id, None, Action.CANCEL, change, EventKind.CANCELLED, comment, "post_cancelled")


@requires(Permission.COMPOSE_POSTS)
def retry(c: Container, actor: Actor, post_id: int) -> PostState:
    """A failed, missed or waiting post goes out now, if its approval still holds (else back to review)."""

    def change(uow, post):
        post.state = pb.on_retry(post.revision, post.approved_revision)
        post.run_at, post.last_error = c.clock(), None
        if post.state is PostState.SCHEDULED and (post.scheduled_at is None or post.scheduled_at < c.clock()):
            post.scheduled_at = post.scheduled_at or c.clock()

    return _step(c, actor, post_id, None, Action.RETRY, change, EventKind.RETRIED, audit_action="post_retried")


@requires(Permission.COMPOSE_POSTS)
def resolve(c: Container, actor: Actor, post_id: int, went_out: bool, url: str = "", comment: str = "") -> PostState:
    """A person says what happened to an unknown or handed-off post. "It did not go out" puts it back in the
    queue now (the person has checked the platform); "it went out" marks it sent with its URL."""
    url = url.strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise _problem("url", "not_a_link")
    action = Action.RESOLVE_SENT if went_out else Action.RESOLVE_NOT_SENT

    def change(uow, post):
        if went_out:
            post.state, post.published_at, post.external_url = PostState.SENT, c.clock(), url or post.external_url
        else:
            post.state, post.run_at = PostState.SCHEDULED, c.clock()
        post.last_error = None

    note = f"{'went out' if went_out else 'did not go out'} {url} {comment}".strip()
    return _step(c, actor, post_id, None, action, change, EventKind.RESOLVED, note, "post_resolved")


@requires(Permission.VIEW_OVERVIEW)
def comment(c: Container, actor: Actor, post_id: int, body: str) -> None:
    body = body.strip()
    if not body:
        raise _problem("comment", "required")
    if len(body) > MAX_COMMENT:
        raise _problem("comment", "too_long", limit=MAX_COMMENT)
    with c.uow(write=True) as uow:
        post = _post(uow, uow.workspaces.current().id, post_id, lock=False)
        _event(uow, c, actor, post, EventKind.COMMENT, body)

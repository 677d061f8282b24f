"""Posts in bulk from a CSV file (campaigns.post_csv), and posts out as CSV for a date range.

An import is all or nothing: every row is read and checked first — the file (campaigns.post_csv.parse), then
against the workspace (account, campaign and phase by name) and the channel's rules (the same checks
``posts.compose_posts`` makes: text length per channel, hand-off assignee) — and only a file without a single
problem is saved, every row a draft, in one transaction, audited once as ``posts_imported``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from app.bootstrap import Container
from app.services import audit, posts
from app.services.auth import Actor, requires
from campaigns import post_csv
from campaigns import schedule_time as st
from campaigns.access import Permission
from campaigns.post_csv import CsvProblem, PostRow
from campaigns.publishing import EventKind, PostState
from data.models import Post

MAX_LINK = 2000  # Post.link
MAX_BODY = 10000  # Post.body


@dataclass(frozen=True)
class ImportResult:
    """``created``: the new draft ids (empty on a dry run or when anything is wrong); ``problems``: every one
    found, each at its file, row and column; ``rows``: the rows as read, for a preview."""

    created: list[int] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)
    rows: list[PostRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def template() -> bytes:
    """The file to fill in: the columns and one example row (no data of the workspace, so no role needed)."""
    return post_csv.template()


def columns() -> tuple[str, ...]:
    return post_csv.TEMPLATE


def _by_name(items, name: str):
    """The one item called exactly ``name`` (then the one whose name matches ignoring case), or a code."""
    exact = [x for x in items if x.name == name]
    if len(exact) == 1:
        return exact[0], None
    if len(exact) > 1:
        return None, "ambiguous"
    folded = [x for x in items if x.name.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0], None
    return None, "ambiguous" if folded else "not_found"


def _column_of(problem_field: str, code: str) -> str | None:
    if problem_field.startswith("media."):
        return None  # e.g. media_required: the channel needs a picture or video, which a CSV cannot carry
    if problem_field == "assignee":
        return "assignee"
    return "title" if code.startswith("title") else "body"


def _prepare(uow, ws_id: int, file: str, rows: list[PostRow]):
    """Each row's draft parts, resolved in the workspace and checked as compose_posts checks them."""
    accounts = uow.channel_accounts.all(ws_id)
    campaigns = uow.campaigns.all(ws_id)
    by_id = {a.id: a for a in accounts}
    phases: dict[int, list] = {}
    if campaigns:
        for ph in uow.campaigns.phases([k.id for k in campaigns]):
            phases.setdefault(ph.campaign_id, []).append(ph)
    problems: list[CsvProblem] = []
    ready = []
    for row in rows:
        found: list[CsvProblem] = []

        def bad(column: str | None, code: str, found=found, row=row, **params) -> None:
            found.append(CsvProblem(file, row.row, column, code, params))

        acct, code = _by_name(accounts, row.account)
        if acct is None:
            bad("account", f"account_{code}", account=row.account)
        campaign = phase = None
        if row.campaign:
            campaign, code = _by_name(campaigns, row.campaign)
            if campaign is None:
                bad("campaign", f"campaign_{code}", campaign=row.campaign)
            elif row.phase:
                phase, code = _by_name(phases.get(campaign.id, []), row.phase)
                if phase is None:
                    bad("phase", f"phase_{code}", phase=row.phase, campaign=campaign.name)
        if acct is not None:
            draft = posts.Draft(
                body=row.body,
                account_ids=(acct.id,),
                title=row.title,
                link=row.link,
                campaign_id=campaign.id if campaign else None,
                phase_id=phase.id if phase else None,
                local_time=row.local,
                timezone=row.timezone or acct.timezone,
                assignee=row.assignee,
            )
            for p in posts._check_content(uow, ws_id, draft, by_id, [], campaign):
                bad(_column_of(p.field, p.code), p.code, **p.params)
            if not found:
                body, link = posts._tagged(row.body, row.link, campaign, acct.channel)
                if len(body) > MAX_BODY:
                    bad("body", "too_long", length=len(body), max=MAX_BODY)
                if link and len(link) > MAX_LINK:
                    bad("link", "too_long", length=len(link), max=MAX_LINK)
                ready.append((row, draft, acct, body, link))
        problems += found
    return ready, problems


@requires(Permission.COMPOSE_POSTS)
def import_posts(c: Container, actor: Actor, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Every row of the file as a draft post, or nothing: any problem in any row and no row is saved.
    ``dry_run`` checks everything and saves nothing (the page's preview)."""
    parsed = post_csv.parse(data, filename)
    if not parsed.rows and parsed.problems:
        return ImportResult([], parsed.problems, [])
    file = parsed.problems[0].file if parsed.problems else str(filename or "posts.csv")[:200]
    with c.uow(write=not dry_run) as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return ImportResult([], [CsvProblem(file, None, None, "no_workspace")], parsed.rows)
        ready, problems = _prepare(uow, ws.id, file, parsed.rows)
        problems = sorted([*parsed.problems, *problems], key=lambda p: (p.row or 0, p.column or ""))
        if problems or dry_run:
            return ImportResult([], problems, parsed.rows)
        now, ids = c.clock(), []
        for row, draft, acct, body, link in ready:
            post = Post(
                workspace_id=ws.id,
                campaign_id=draft.campaign_id,
                phase_id=draft.phase_id,
                channel_account_id=acct.id,
                group_key=str(uuid.uuid4()),
                title=row.title,
                body=body,
                link=link,
                state=PostState.DRAFT,
                timezone=draft.timezone,
                scheduled_at=row.utc,
                author_id=actor.user_id,
                assignee=row.assignee or None,
                created_at=now,
                updated_at=now,
            )
            uow.session.add(post)
            uow.session.flush()
            posts._event(uow, c, actor, post, EventKind.CREATED, f"{file} row {row.row}")
            ids.append(post.id)
        audit.record_in(
            uow,
            c,
            actor.who,
            "posts_imported",
            entity=file,
            detail=f"{len(ids)} drafts, posts {ids[0]}–{ids[-1]}",
            source=actor.source,
        )
    return ImportResult(ids, [], parsed.rows)


@requires(Permission.VIEW_OVERVIEW)
def export_posts(c: Container, actor: Actor, start: datetime, end: datetime, campaign_id: int | None = None) -> bytes:
    """The posts scheduled in [start, end) (aware datetimes) as CSV in the template's columns plus id and
    state, times local to each post's zone, every cell spreadsheet-safe. The file imports back as new drafts."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return post_csv.export([])
        found = uow.publishing.between(ws.id, start, end, campaign_id=campaign_id)
        camp_ids = sorted({p.campaign_id for p, _a, _k in found if p.campaign_id})
        phase_names = {ph.id: ph.name for ph in uow.campaigns.phases(camp_ids)} if camp_ids else {}
    rows = []
    for p, acct, campaign in found:
        local = st.to_local(p.scheduled_at, p.timezone).replace(tzinfo=None) if p.scheduled_at else None
        rows.append(
            {
                "account": acct.name,
                "scheduled_local": local,
                "timezone": p.timezone,
                "title": p.title,
                "body": p.body,
                "link": p.link or "",
                "campaign": campaign or "",
                "phase": phase_names.get(p.phase_id, "") if p.phase_id else "",
                "assignee": p.assignee or "",
                "id": p.id,
                "state": p.state,
            }
        )
    return post_csv.export(rows)

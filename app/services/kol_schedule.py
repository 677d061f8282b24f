"""KOL deliverables where the owned posts are: on the publishing calendar (beside the posts, not movable there:
a deliverable moves on its deal) and on the reminder surfaces of hand-offs. A deliverable due within 48 hours or
overdue, in a deal that still expects content, reminds the deal's owner (matched to a Festa user by e-mail or
display name like a hand-off's assignee) on the Overview; Publishing health lists them per owner. Marking one
published is done on the deal (``kol_deals``), not here. The rules are ``campaigns.kol_schedule``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services.auth import Actor, requires
from campaigns import kol_deals as kd
from campaigns.access import Permission
from campaigns.kol_schedule import REMIND_AHEAD, reminds
from campaigns.publishing import is_assignee
from data.kol_schedule_repos import KolScheduleRepo

LIMIT = 500  # reminders read at most; the calendar reads one week or month


@dataclass(frozen=True)
class DeliverableView:
    id: int
    deal_id: int
    campaign_id: int
    campaign: str
    partner: str
    kind: str  # campaigns.kol.Deliverable
    platform: str  # campaigns.kol.Platform
    due_at: datetime
    status: str  # the deal's, campaigns.kol_deals.Status
    owner: str  # the deal's owner: who is reminded
    published_url: str
    overdue: bool


@dataclass(frozen=True)
class Reminder:
    item: DeliverableView
    owner: str  # the deal's owner as written; "" when nobody is named
    user: str | None  # the display name of the Festa user it matches, if any


def _view(x, deal, partner: str, campaign: str, now: datetime) -> DeliverableView:
    return DeliverableView(
        x.id,
        deal.id,
        deal.campaign_id,
        campaign,
        partner,
        x.kind,
        x.platform,
        x.due_at,
        deal.status,
        (deal.owner or "").strip(),
        x.published_url,
        kd.overdue(x.due_at, bool(x.published_url), deal.status, now),
    )


@requires(Permission.VIEW_OVERVIEW)
def deliverables_between(
    c: Container, actor: Actor, start: datetime, end: datetime, campaign_ids: Sequence[int] | None = None
) -> list[DeliverableView]:
    """Deliverables due in [start, end), by due time, of the given campaigns (every campaign when None)."""
    now = c.clock()
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return []
        rows = uow.deals.due_between(ws.id, start, end)
    wanted = None if campaign_ids is None else set(campaign_ids)
    return [_view(*r, now) for r in rows if wanted is None or r[1].campaign_id in wanted]


@requires(Permission.VIEW_OVERVIEW)
def reminders(c: Container, actor: Actor) -> list[Reminder]:
    """Every deliverable that reminds its owner now (due within 48 hours or overdue, deal still open, nothing
    published), most pressing first: the overdue ones, then by due time."""
    now = c.clock()
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return []
        rows = KolScheduleRepo(uow.session).unpublished_due_by(
            ws.id, now + REMIND_AHEAD, [s.value for s in kd.OPEN], LIMIT
        )
        users = [(u.email, u.display_name) for u in uow.users.all() if u.active]
    out = []
    for row in rows:
        v = _view(*row, now)
        if not reminds(v.due_at, bool(v.published_url), v.status, now):
            continue
        user = next((name for email, name in users if v.owner and is_assignee(v.owner, email, name)), None)
        out.append(Reminder(v, v.owner, user))
    return out


@requires(Permission.VIEW_OVERVIEW)
def mine(c: Container, actor: Actor) -> list[Reminder]:
    """The deliverables reminding the signed-in person: the deals they own."""
    return [r for r in reminders(c, actor) if r.owner and is_assignee(r.owner, actor.email, actor.name)]

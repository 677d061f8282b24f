"""Hand-offs (manual channels: Douyin, Xiaohongshu, KOL partners): who each waiting post is for, matched to a
Festa user by e-mail or display name, so the Overview can remind that person and Publishing health can list them
per assignee. Marking one published is ``posts.resolve(went_out=True, url=...)``."""

from __future__ import annotations

from dataclasses import dataclass

from app.bootstrap import Container
from app.services import secrets
from app.services.auth import Actor, requires
from app.services.publish_views import PostView, _view
from campaigns.access import Permission
from campaigns.publishing import PostState, is_assignee

LIMIT = 500


@dataclass(frozen=True)
class HandOff:
    post: PostView
    assignee: str  # the post's assignee, else its account's default one; "" when neither is known
    user: str | None  # the display name of the Festa user it matches, if any


def _default_assignee(c: Container, acct) -> str:
    try:
        return (secrets.open_credentials(c, acct.credentials, acct.name).get("assignee") or "").strip()
    except secrets.CredentialsUnreadable:
        return ""


@requires(Permission.VIEW_OVERVIEW)
def waiting(c: Container, actor: Actor) -> list[HandOff]:
    """Every post waiting to be posted by hand, oldest first."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return []
        rows = uow.publishing.needing_a_person(ws.id, [PostState.HANDED_OFF.value], limit=LIMIT)
        users = [(u.email, u.display_name) for u in uow.users.all() if u.active]
    defaults: dict[int, str] = {}
    out = []
    for post, acct in rows:
        who = (post.assignee or "").strip()
        if not who:
            if acct.id not in defaults:
                defaults[acct.id] = _default_assignee(c, acct)
            who = defaults[acct.id]
        user = next((name for email, name in users if is_assignee(who, email, name)), None)
        out.append(HandOff(_view(post, acct), who, user))
    return sorted(out, key=lambda h: (h.post.scheduled_at is None, h.post.scheduled_at, h.post.id))


@requires(Permission.VIEW_OVERVIEW)
def mine(c: Container, actor: Actor) -> list[HandOff]:
    """The hand-offs waiting for the signed-in person."""
    return [h for h in waiting(c, actor) if is_assignee(h.assignee, actor.email, actor.name)]

"""What a post's history says about sending it again: when a person last said "send it now" (Retry, "It did
not go out"), and whether its current revision may already be out (an unknown answer no person settled)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from campaigns.publishing import EventKind
from data.models import Post
from data.models_publish import DispatchAttempt, PostEvent

DOUBTFUL = "unknown"  # and no outcome at all: the worker stopped mid-send
SETTLING = ("sent", "handed_off", "rejected")  # answers about the post itself; 429, 401, unreachable, held are not


def _person_events(s: Session, ids: list[int]) -> dict[tuple[int, str], datetime]:
    """(post id, kind) -> the latest Retry or "resolved" by a person (not a worker's replay)."""
    q = (
        select(PostEvent.post_id, PostEvent.kind, func.max(PostEvent.at))
        .where(
            PostEvent.post_id.in_(ids),
            PostEvent.kind.in_((EventKind.RETRIED.value, EventKind.RESOLVED.value)),
            ~PostEvent.actor.startswith("worker:"),
        )
        .group_by(PostEvent.post_id, PostEvent.kind)
    )
    return {(pid, kind): at for pid, kind, at in s.execute(q).all()} if ids else {}


def restarted(s: Session, post_ids: Iterable[int]) -> dict[int, datetime]:
    """Post id -> when a person last sent it again (Retry, or "It did not go out"): lateness counts from there."""
    out: dict[int, datetime] = {}
    for (pid, _), at in _person_events(s, list(post_ids)).items():
        out[pid] = max(at, out.get(pid, at))
    return out


def in_doubt(s: Session, post_ids: Iterable[int]) -> set[int]:
    """Posts whose current revision may already be out: the last attempt that said anything about the post
    answered unknown (or never answered), after a person last settled it ("It did not go out")."""
    ids = list(post_ids)
    if not ids:
        return set()
    q = (
        select(DispatchAttempt.post_id, DispatchAttempt.outcome, DispatchAttempt.started_at)
        .join(Post, (Post.id == DispatchAttempt.post_id) & (Post.revision == DispatchAttempt.revision))
        .where(
            DispatchAttempt.post_id.in_(ids),
            or_(DispatchAttempt.outcome.is_(None), DispatchAttempt.outcome.in_((DOUBTFUL, *SETTLING))),
        )
        .order_by(DispatchAttempt.post_id, DispatchAttempt.attempt)
    )
    events, last = _person_events(s, ids), {}
    for pid, outcome, started in s.execute(q).all():
        settled = events.get((pid, EventKind.RESOLVED.value))
        if settled is None or started > settled:
            last[pid] = outcome
    return {pid for pid, outcome in last.items() if outcome in (None, DOUBTFUL)}

"""Post states, the review flow and who may move a post where (see ARCHITECTURE.md, "The dispatcher")."""

from __future__ import annotations

import re
from enum import StrEnum


class PostState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    HANDED_OFF = "handed_off"  # a person must post it by hand and mark it published (manual channels)
    RETRY_WAIT = "retry_wait"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Channel(StrEnum):
    X = "x"
    WEIBO = "weibo"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    TELEGRAM = "telegram"
    EMAIL = "email"
    CHAT_BOT = "chat_bot"


class Action(StrEnum):
    """What a person does to a post. The dispatcher's own moves are in ``campaigns.dispatch``."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    MOVE = "move"
    CANCEL = "cancel"
    RETRY = "retry"
    RESOLVE_SENT = "resolve_sent"  # a person confirms it went out (an unknown or handed-off post)
    RESOLVE_NOT_SENT = "resolve_not_sent"  # a person confirms it did not: it may be sent again


class EventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    COMMENT = "comment"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    APPROVAL_LAPSED = "approval_lapsed"
    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"
    RETRIED = "retried"
    RESOLVED = "resolved"
    SENT = "sent"
    HANDED_OFF = "handed_off"
    RATE_LIMITED = "rate_limited"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"
    MISSED = "missed"
    LEASE_LOST = "lease_lost"


S = PostState
EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.RETRY_WAIT, S.FAILED, S.MISSED})
# The dispatcher holds these; a person waits for its outcome (ARCHITECTURE.md: "sending" is not cancellable).
IN_FLIGHT = frozenset({S.CLAIMED, S.SENDING})
FINAL = frozenset({S.SENT, S.CANCELLED})
QUEUED = frozenset({S.SCHEDULED, S.RETRY_WAIT})  # what the dispatcher picks up when due
NEEDS_PERSON = frozenset({S.FAILED, S.UNKNOWN, S.MISSED, S.HANDED_OFF})

# state -> actions a person may take there
ALLOWED: dict[PostState, frozenset[Action]] = {
    S.DRAFT: frozenset({Action.EDIT, Action.SUBMIT, Action.MOVE, Action.CANCEL}),
    S.IN_REVIEW: frozenset({Action.EDIT, Action.APPROVE, Action.REQUEST_CHANGES, Action.MOVE, Action.CANCEL}),
    S.APPROVED: frozenset({Action.EDIT, Action.SCHEDULE, Action.MOVE, Action.CANCEL}),
    S.SCHEDULED: frozenset({Action.EDIT, Action.UNSCHEDULE, Action.MOVE, Action.CANCEL}),
    S.RETRY_WAIT: frozenset({Action.EDIT, Action.MOVE, Action.CANCEL, Action.RETRY}),
    S.FAILED: frozenset({Action.EDIT, Action.RETRY, Action.CANCEL}),
    S.MISSED: frozenset({Action.EDIT, Action.RETRY, Action.MOVE, Action.CANCEL}),
    S.UNKNOWN: frozenset({Action.RESOLVE_SENT, Action.RESOLVE_NOT_SENT}),
    S.HANDED_OFF: frozenset({Action.RESOLVE_SENT, Action.RESOLVE_NOT_SENT}),
    S.CLAIMED: frozenset(),
    S.SENDING: frozenset(),
    S.SENT: frozenset(),
    S.CANCELLED: frozenset(),
}


def allowed(state: str, action: Action) -> bool:
    try:
        return action in ALLOWED[PostState(state)]
    except ValueError:
        return False


def waits_while_in_doubt(state: str, action: Action) -> bool:
    """Whether ``action`` must wait while the post's current revision may already be out (an unknown answer,
    replayed with the same idempotency key): an edit makes a new revision, hence a new key; another time (move,
    unschedule) may fall outside the platform's memory of the key; cancelling the replay hides a post that may
    be out. A failed or missed post may still be cancelled."""
    if action in (Action.EDIT, Action.MOVE, Action.UNSCHEDULE):
        return True
    return action is Action.CANCEL and state in QUEUED


def approval_holds(revision: int, approved_revision: int | None) -> bool:
    """An approval is for the text that was approved: any edit after it lapses it."""
    return approved_revision is not None and approved_revision == revision


def after_edit(state: str, revision: int, approved_revision: int | None) -> PostState:
    """Where an edited post goes: content that was approved goes back to review."""
    st = PostState(state)
    if st is S.DRAFT:
        return S.DRAFT
    if approved_revision is not None:  # it had been approved (scheduled, failed, missed ...): review again
        return S.IN_REVIEW
    return st if st is S.IN_REVIEW else S.DRAFT


def on_retry(revision: int, approved_revision: int | None) -> PostState:
    """A failed or missed post goes back to the queue only if its approval still holds."""
    return S.SCHEDULED if approval_holds(revision, approved_revision) else S.IN_REVIEW


_EMAIL = re.compile(r"[^\s<>()·,;]+@[^\s<>()·,;]+")


def is_assignee(assignee: str, email: str, name: str) -> bool:
    """Whether a hand-off's assignee names this person: their e-mail or display name (any case), or their
    e-mail inside a longer text ("小林 · lin@shop.cn", "Lin <lin@shop.cn>")."""
    who, email = assignee.strip().casefold(), email.strip().casefold()
    if who and who in {email, name.strip().casefold()} - {""}:
        return True
    return bool(email) and email in {m.casefold() for m in _EMAIL.findall(assignee)}

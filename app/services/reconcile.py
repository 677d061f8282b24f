"""Settle outcomes the platform can tell about.

- Unknown outcomes: a connector whose platform remembers idempotency keys (``replay_window``, counted from the
  first attempt of the revision) gets the same post again with the same key, which cannot publish it twice; never
  past the post's lateness. Every other unknown post waits for a person (Publishing health).
- Asynchronous publishing (WeChat: a publish *job* counts as sent): connectors with ``status(platform_id)`` are
  asked what became of the job; published keeps the post sent with its URL, refused makes it failed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from app.bootstrap import Container
from app.services import secrets
from campaigns import dispatch as d
from campaigns.publishing import EventKind, PostState
from connectors import registry
from connectors.base import Outcome

log = logging.getLogger("festa.dispatch")
MAX_TRIES = 3  # unknown answers of one revision (replays included); then a person decides
CONFIRM_FOR = timedelta(days=3)  # how long a publish job is asked about; WeChat's audit takes minutes to hours
CONFIRM_BATCH = 50


def replay_window(connector: str):
    entry = registry.CONNECTORS.get(connector)
    return getattr(entry[0], "replay_window", None) if entry else None


def replay_unknown(c: Container, worker_id: str) -> int:
    now, replayed = c.clock(), 0
    with c.uow(write=True) as uow:
        for u in uow.publishing.unknown_attempts():
            window = replay_window(u.connector)
            if window is None or u.tries >= MAX_TRIES:
                continue
            if u.first_started is not None and now - u.first_started > window:
                continue  # no first_started: every attempt was held, none reached the platform
            due = d.late_since(u.scheduled_at or u.first_started or now, u.restarted_at)
            if d.is_missed(due, now, d.max_lateness(u.channel, u.max_lateness_minutes)):
                continue  # too late to go out now: a person decides
            if uow.publishing.requeue_unknown(u.post_id, now):
                uow.dispatch.event(
                    u.post_id,
                    now,
                    f"worker:{worker_id}"[:254],
                    EventKind.RETRIED,
                    u.revision,
                    f"sent again with the same idempotency key: {u.connector} cannot publish it twice",
                )
                replayed += 1
    if replayed:
        log.info("%d unknown posts sent again with their idempotency keys", replayed)
    return replayed


def asynchronous() -> list[str]:
    """Connectors whose "sent" is a job the platform finishes later."""
    return [name for name, (cls, _) in registry.CONNECTORS.items() if callable(getattr(cls, "status", None))]


def confirm_jobs(c: Container, worker_id: str, connect: Callable = registry.build) -> int:
    """Ask about publish jobs still open; returns how many were settled (published or refused)."""
    now, actor = c.clock(), f"worker:{worker_id}"[:254]
    with c.uow() as uow:
        open_jobs = uow.publishing.open_jobs(asynchronous(), now - CONFIRM_FOR, CONFIRM_BATCH)
    connectors, settled = {}, 0
    for post, acct in open_jobs:
        try:
            if acct.id not in connectors:
                connectors[acct.id] = connect(acct.connector, secrets.open_credentials(c, acct.credentials, acct.name))
            result = connectors[acct.id].status(post.external_id)
        except Exception as exc:  # a bad account must not stop the others; asked again next time
            log.warning("post %s: cannot ask %s about its job (%s)", post.id, acct.connector, type(exc).__name__)
            continue
        if result.outcome not in (Outcome.SENT, Outcome.REJECTED):
            continue  # still publishing, or the platform could not be asked: next time
        sent = result.outcome is Outcome.SENT
        with c.uow(write=True) as uow:
            if sent:
                done = uow.publishing.settle_job(post.id, external_url=result.url or post.external_url)
            else:
                why = f"{acct.connector} did not publish it: {result.message}"[:1000]
                done = uow.publishing.settle_job(
                    post.id, state=PostState.FAILED, last_error=why, published_at=None, updated_at=now
                )
            if done:
                kind = EventKind.RESOLVED if sent else EventKind.FAILED
                body = f"{acct.connector} published it: {result.url or result.message}" if sent else result.message
                uow.dispatch.event(post.id, now, actor, kind, post.revision, body)
                settled += 1
    return settled

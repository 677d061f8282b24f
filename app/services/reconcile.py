"""Settle unknown outcomes where the platform can tell: a connector whose platform remembers idempotency
keys (``replay_window``) gets the same post again with the same key, which cannot publish it twice.
Every other unknown post waits for a person (Publishing health → "It went out" / "It did not")."""

from __future__ import annotations

import logging

from app.bootstrap import Container
from campaigns.publishing import EventKind
from connectors import registry

log = logging.getLogger("festa.dispatch")
MAX_TRIES = 3  # attempts of one revision, replays included; then a person decides


def replay_window(connector: str):
    entry = registry.CONNECTORS.get(connector)
    return getattr(entry[0], "replay_window", None) if entry else None


def replay_unknown(c: Container, worker_id: str) -> int:
    now, replayed = c.clock(), 0
    with c.uow(write=True) as uow:
        for post_id, revision, connector, started, tries in uow.publishing.unknown_attempts():
            window = replay_window(connector)
            if window is None or tries >= MAX_TRIES or now - started > window:
                continue
            if uow.publishing.requeue_unknown(post_id, now):
                uow.dispatch.event(
                    post_id,
                    now,
                    f"worker:{worker_id}"[:254],
                    EventKind.RETRIED,
                    revision,
                    f"sent again with the same idempotency key: {connector} cannot publish it twice",
                )
                replayed += 1
    if replayed:
        log.info("%d unknown posts sent again with their idempotency keys", replayed)
    return replayed

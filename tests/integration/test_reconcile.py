"""Unknown outcomes settled by replaying with the same idempotency key, only where the platform
remembers keys; everything else waits for a person."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from app.services import reconcile
from app.services.dispatch import Dispatcher
from campaigns.dispatch import idempotency_key
from data.models import Post
from data.models_publish import DispatchAttempt
from tests.conftest import NOW, Clock
from tests.integration import publishing_kit as kit


@pytest.fixture
def c(container):
    c = replace(container, clock=Clock())
    c.ws = kit.workspace(c)
    return c


def unknown(c, connector: str, started_ago, tries: int = 1, history=None, at=NOW, **account) -> int:
    """An unknown post whose attempts started ``started_ago`` (``tries`` of them), or as ``history`` says:
    (how long ago, outcome) per attempt, oldest first."""
    history = history or [(started_ago, "unknown")] * tries
    acct = kit.account(c, c.ws, name=f"{connector}-{started_ago}-{history}", connector=connector, **account)
    [pid] = kit.scheduled(c, c.ws, acct, at=at)
    with c.uow(write=True) as uow:
        uow.session.execute(update(Post).where(Post.id == pid).values(state="unknown", attempt=len(history)))
        for n, (ago, outcome) in enumerate(history, 1):
            uow.session.execute(
                insert(DispatchAttempt).values(
                    post_id=pid,
                    attempt=n,
                    revision=1,
                    idempotency_key=idempotency_key(pid, acct, 1),
                    worker="w",
                    started_at=NOW - ago,
                    outcome=outcome,
                )
            )
    return pid


def test_a_sandbox_post_left_unknown_by_a_killed_worker_is_sent_with_its_own_key(c):
    pid = unknown(c, "sandbox", timedelta(minutes=2))
    assert reconcile.replay_unknown(c, "w2") == 1
    fake = kit.Scripted()
    Dispatcher(c, "w2", connect=fake.connect).run_due()
    [sent] = fake.published
    assert kit.post(c, pid).state == "sent" and sent.idempotency_key == kit.attempts(c, pid)[0].idempotency_key
    assert kit.events(c, pid)[-2:] == ["retried", "sent"]


def test_mastodon_is_replayed_only_while_it_remembers_the_key(c):
    # Mastodon keeps a key for an hour from the first request that carried it, not from the latest one
    fresh = unknown(c, "mastodon", None, history=[(timedelta(minutes=30), "unknown"), (timedelta(minutes=5), None)])
    stale = unknown(c, "mastodon", None, history=[(timedelta(minutes=70), "unknown"), (timedelta(minutes=5), None)])
    reconcile.replay_unknown(c, "w")
    assert (kit.post(c, fresh).state, kit.post(c, stale).state) == ("scheduled", "unknown")


def test_held_attempts_were_never_made_so_they_neither_count_nor_start_the_window(c):
    held = timedelta(hours=3), "held"  # recorded for a batch, never sent: the account was rate limited
    pid = unknown(c, "mastodon", None, history=[held, held, (timedelta(minutes=10), "unknown")])
    assert reconcile.replay_unknown(c, "w") == 1 and kit.post(c, pid).state == "scheduled"


def test_a_replay_past_the_posts_lateness_is_left_to_a_person(c):
    # its first attempt waited for a rate limit: 10 min ago, well inside the key's hour, but 70 min late
    late = unknown(c, "mastodon", timedelta(minutes=10), at=NOW - timedelta(minutes=70))
    lenient = unknown(c, "mastodon", timedelta(minutes=10), at=NOW - timedelta(minutes=70), max_lateness_minutes=120)
    assert reconcile.replay_unknown(c, "w") == 1
    assert (kit.post(c, late).state, kit.post(c, lenient).state) == ("unknown", "scheduled")


@pytest.mark.parametrize("connector", ["x", "telegram", "email", "webhook", "wechat", "weibo"])
def test_platforms_without_remembered_keys_leave_it_to_a_person(c, connector):
    pid = unknown(c, connector, timedelta(seconds=30))
    assert reconcile.replay_unknown(c, "w") == 0 and kit.post(c, pid).state == "unknown"


def test_replays_stop_after_three_tries(c):
    pid = unknown(c, "sandbox", timedelta(minutes=1), tries=reconcile.MAX_TRIES)
    assert reconcile.replay_unknown(c, "w") == 0 and kit.post(c, pid).state == "unknown"

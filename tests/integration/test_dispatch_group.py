"""The group-commit path (connectors whose platform remembers idempotency keys: sandbox, Mastodon):
attempts of a batch recorded in one commit before any call, outcomes in one commit after."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from app.services import dispatch, reconcile
from app.services.dispatch import Dispatcher
from connectors.base import Outcome, PublishResult, Scope
from tests.conftest import NOW, Clock
from tests.integration import publishing_kit as kit

WINDOW = timedelta(hours=1)


@pytest.fixture
def pub(container):
    c = replace(container, clock=Clock())
    c.ws = kit.workspace(c)
    c.acct = kit.account(c, c.ws)
    return c


def replayable(answers=()):
    return kit.Scripted(list(answers), replay_window=WINDOW)


def run(c, fake, worker="w1", **kw):
    return Dispatcher(c, worker, connect=fake.connect, rng=random.Random(1), **kw).run_due()


def test_a_batch_is_sent_once_each_with_attempts_and_history(pub):
    ids = kit.scheduled(pub, pub.ws, pub.acct, n=25)
    fake = replayable()
    stats = run(pub, fake, batch=10)
    assert stats.outcomes == {"sent": 25} and len(fake.published) == 25
    assert set(kit.states(pub).values()) == {"sent"}
    for pid in ids[:3]:
        [a] = kit.attempts(pub, pid)
        assert (a.outcome, a.finished_at) == ("sent", NOW) and kit.events(pub, pid) == ["sent"]
        assert kit.post(pub, pid).external_id.startswith("id-")


def test_a_rate_limit_mid_batch_holds_the_rest_of_that_account_only(pub):
    other = kit.account(pub, pub.ws, name="other")
    mine = kit.scheduled(pub, pub.ws, pub.acct, n=4)
    theirs = kit.scheduled(pub, pub.ws, other, n=2)
    reset = NOW + timedelta(minutes=15)
    fake = replayable(
        [
            PublishResult(Outcome.SENT, platform_id="1"),
            PublishResult(Outcome.RATE_LIMITED, retry_at=reset, scope=Scope.ACCOUNT, message="429"),
        ]
    )
    run(pub, fake)
    s = kit.states(pub)
    assert [s[i] for i in mine] == ["sent", "retry_wait", "retry_wait", "retry_wait"]
    assert [s[i] for i in theirs] == ["sent", "sent"] and len(fake.published) == 4
    held = kit.attempts(pub, mine[2])[0]
    assert held.outcome == "held"  # recorded, never made: the platform was not asked
    pub.clock.now = reset + timedelta(minutes=1)
    run(pub, fake)
    assert set(kit.states(pub).values()) == {"sent"} and len(fake.published) == 7


def test_a_revoked_token_mid_batch_holds_the_account(pub):
    mine = kit.scheduled(pub, pub.ws, pub.acct, n=3)
    fake = replayable([PublishResult(Outcome.UNAUTHORIZED, message="revoked")])
    run(pub, fake)
    assert [kit.post(pub, i).state for i in mine] == ["failed", "scheduled", "scheduled"]
    assert len(fake.published) == 1


def test_an_outcome_after_a_lost_lease_is_kept_on_the_attempt_only(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)

    class Slow(kit.Scripted):
        def publish(self, post):
            pub.clock.now += dispatch.SEND_LEASE + timedelta(minutes=1)
            dispatch.reap(pub, "w2", dead_after=timedelta(minutes=1))
            return super().publish(post)

    stats = run(pub, Slow(replay_window=WINDOW))
    assert (kit.post(pub, pid).state, stats.lost_leases) == ("unknown", 1)
    assert kit.attempts(pub, pid)[0].outcome == "sent"
    assert kit.events(pub, pid) == ["unknown", "lease_lost"]


def test_racing_workers_on_the_group_path_send_each_post_once(pub):
    accounts = [kit.account(pub, pub.ws, name=f"a{i}") for i in range(3)]
    ids = [pid for a in accounts for pid in kit.scheduled(pub, pub.ws, a, n=50)]
    fake = replayable()
    errors = []

    def work(i):
        try:
            for _ in range(5):
                Dispatcher(pub, f"w{i}", connect=fake.connect, batch=9).run_due()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [p.idempotency_key for p in fake.published]
    assert errors == [] and len(keys) == len(set(keys)) == len(ids)
    assert set(kit.states(pub).values()) == {"sent"}


def test_accounts_with_their_own_limits_take_the_careful_path(pub):
    limited = kit.account(pub, pub.ws, name="limited", max_per_hour=2)
    ids = kit.scheduled(pub, pub.ws, limited, n=3)
    run(pub, replayable())
    assert [kit.post(pub, i).state for i in ids] == ["sent", "sent", "retry_wait"]


def test_a_slow_batch_extends_its_lease_so_the_sweep_leaves_it_alone(pub):
    ids = kit.scheduled(pub, pub.ws, pub.acct, n=3)

    class Slow(kit.Scripted):
        def publish(self, post):  # each call 100 s: the batch outlasts the lease taken at its start
            pub.clock.now += timedelta(seconds=100)
            dispatch.reap(pub, "w2", dead_after=timedelta(hours=1))  # another worker's sweep meanwhile
            return super().publish(post)

    fake = Slow(replay_window=WINDOW)
    stats = run(pub, fake)
    assert (stats.outcomes, stats.lost_leases, len(fake.published)) == ({"sent": 3}, 0, 3)
    assert all(kit.events(pub, i) == ["sent"] for i in ids)


def test_a_batch_whose_lease_was_swept_stops_calling_the_platform(pub):
    ids = kit.scheduled(pub, pub.ws, pub.acct, n=3)

    class Stalled(kit.Scripted):
        def publish(self, post):  # the first call hangs past the whole lease; the sweep takes the batch
            if not self.published:
                pub.clock.now += dispatch.SEND_LEASE + timedelta(seconds=1)
                dispatch.reap(pub, "w2", dead_after=timedelta(hours=1))
            return super().publish(post)

    fake = Stalled(replay_window=WINDOW)
    stats = run(pub, fake)
    assert len(fake.published) == 1 and stats.lost_leases == 3  # the two others were never sent
    assert [kit.post(pub, i).state for i in ids] == ["unknown"] * 3
    assert [kit.attempts(pub, i)[0].outcome for i in ids] == ["sent", "held", "held"]
    assert all(kit.events(pub, i) == ["unknown"] for i in ids[1:])
    pub.clock.now += timedelta(minutes=1)
    assert reconcile.replay_unknown(pub, "w2") == 3  # each with its own key, which the platform remembers
    run(pub, fake, worker="w2")
    assert set(kit.states(pub).values()) == {"sent"} and len({p.idempotency_key for p in fake.published}) == 3

"""The dispatcher on SQLite and PostgreSQL: on time, once, and every failure left in a state a person
understands (ARCHITECTURE.md, dispatch.md §4 and §8)."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from app.services import dispatch, workers
from app.services.dispatch import Dispatcher
from campaigns.dispatch import MAX_UNAVAILABLE_RETRIES
from connectors.base import Outcome, PublishResult, Scope
from data.models import ChannelAccount
from tests.conftest import NOW, Clock
from tests.integration import publishing_kit as kit


@pytest.fixture
def pub(container):
    c = replace(container, clock=Clock())
    c.ws = kit.workspace(c)
    c.acct = kit.account(c, c.ws)
    return c


def run(c, connector, worker="w1", **kw):
    return Dispatcher(c, worker, connect=connector.connect, rng=random.Random(1), **kw).run_due()


def test_a_due_post_is_sent_once_with_its_attempt_recorded_first(pub):
    [due] = kit.scheduled(pub, pub.ws, pub.acct)
    [later] = kit.scheduled(pub, pub.ws, pub.acct, at=NOW + timedelta(minutes=5))
    fake = kit.Scripted()
    stats = run(pub, fake)
    assert stats.outcomes == {"sent": 1} and len(fake.published) == 1
    p = kit.post(pub, due)
    key = fake.published[0].idempotency_key
    assert (p.state, p.external_id, p.published_at, p.lease_owner) == ("sent", f"id-{key[:8]}", NOW, None)
    [a] = kit.attempts(pub, due)
    assert (a.attempt, a.outcome, a.idempotency_key) == (1, "sent", fake.published[0].idempotency_key)
    assert kit.events(pub, due) == ["sent"]
    assert kit.post(pub, later).state == "scheduled"
    assert run(pub, fake).claimed == 0  # nothing due: nothing sent again
    pub.clock.now += timedelta(minutes=5)
    run(pub, fake)
    assert kit.states(pub) == {due: "sent", later: "sent"} and len(fake.published) == 2


def test_the_idempotency_key_is_the_same_for_every_attempt_of_one_revision(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)
    fake = kit.Scripted([PublishResult(Outcome.UNAVAILABLE, message="connection refused")])
    run(pub, fake)
    assert kit.post(pub, pid).state == "retry_wait"
    pub.clock.now += timedelta(minutes=2)
    run(pub, fake)
    first, second = fake.published
    assert first.idempotency_key == second.idempotency_key and kit.post(pub, pid).state == "sent"


def test_rate_limited_waits_for_the_reset_and_pauses_only_that_account(pub):
    other = kit.account(pub, pub.ws, name="other")
    mine = kit.scheduled(pub, pub.ws, pub.acct, n=3)
    theirs = kit.scheduled(pub, pub.ws, other, n=2)
    reset = NOW + timedelta(minutes=15)
    fake = kit.Scripted([PublishResult(Outcome.RATE_LIMITED, retry_at=reset, scope=Scope.ACCOUNT, message="429")])
    run(pub, fake)
    assert len(fake.published) == 3  # the 429, then the other account's two; the rest of mine waited
    s = kit.states(pub)
    assert [s[i] for i in theirs] == ["sent", "sent"] and [s[i] for i in mine] == ["retry_wait"] * 3
    assert all(reset < kit.post(pub, i).run_at <= reset + timedelta(seconds=31) for i in mine)
    pub.clock.now = reset - timedelta(seconds=1)
    assert run(pub, fake).claimed == 0  # no 429 loop: nothing is tried before the reset
    pub.clock.now = reset + timedelta(minutes=1)
    run(pub, fake)
    assert set(kit.states(pub).values()) == {"sent"} and len(fake.published) == 6


def test_an_app_wide_24_hour_limit_stops_every_account_on_that_connector(pub):
    other = kit.account(pub, pub.ws, name="other")
    elsewhere = kit.account(pub, pub.ws, name="mail", connector="email", channel="email")
    a = kit.scheduled(pub, pub.ws, pub.acct, n=2)
    b = kit.scheduled(pub, pub.ws, other, n=2)
    mail = kit.scheduled(pub, pub.ws, elsewhere)
    reset = NOW + timedelta(hours=20)
    fake = kit.Scripted([PublishResult(Outcome.RATE_LIMITED, retry_at=reset, scope=Scope.APP, message="24h cap")])
    run(pub, fake)
    s = kit.states(pub)
    assert {s[i] for i in a + b} == {"retry_wait"} and s[mail[0]] == "sent"
    pub.clock.now += timedelta(hours=1)
    [new] = kit.scheduled(pub, pub.ws, other, at=pub.clock.now)
    assert run(pub, fake).claimed == 0  # a new post on the capped app waits too
    pub.clock.now = reset + timedelta(minutes=1)
    [fresh] = kit.scheduled(pub, pub.ws, other, at=reset)
    run(pub, fake)
    s = kit.states(pub)
    # 20 and 19 hours after their time: missed, shown rather than sent — waiting for the reset moved only the
    # next try, not the time lateness is counted from
    assert {s[i] for i in [*a, *b, new]} == {"missed"} and s[fresh] == "sent"
    assert len(fake.published) == 3


def test_a_revoked_token_fails_that_post_marks_the_account_and_holds_its_queue(pub):
    other = kit.account(pub, pub.ws, name="other")
    mine = kit.scheduled(pub, pub.ws, pub.acct, n=4)
    theirs = kit.scheduled(pub, pub.ws, other, n=2)
    fake = kit.Scripted(
        [PublishResult(Outcome.SENT, platform_id="1"), PublishResult(Outcome.UNAUTHORIZED, message="token revoked")]
    )
    run(pub, fake)
    s = kit.states(pub)
    assert [s[i] for i in mine] == ["sent", "failed", "scheduled", "scheduled"]
    assert [s[i] for i in theirs] == ["sent", "sent"] and len(fake.published) == 4
    with pub.uow() as uow:
        acct = uow.session.get(ChannelAccount, pub.acct)
    assert acct.needs_reauth and "revoked" in acct.status_detail
    assert run(pub, fake).claimed == 0  # held until someone reconnects the account
    assert "needs to be reconnected" in kit.post(pub, mine[2]).last_error


@pytest.mark.parametrize(
    "answer",
    [
        PublishResult(Outcome.UNKNOWN, message="HTTP 500"),
        PublishResult(Outcome.UNKNOWN, message="read timeout"),
        PublishResult(Outcome.UNKNOWN, message="the answer was not JSON"),
    ],
)
def test_an_unknown_outcome_is_never_retried(pub, answer):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)
    fake = kit.Scripted([answer])
    run(pub, fake)
    pub.clock.now += timedelta(hours=2)
    run(pub, fake)
    p = kit.post(pub, pid)
    assert (p.state, p.last_error, len(fake.published)) == ("unknown", answer.message, 1)
    assert kit.events(pub, pid) == ["unknown"]


def test_a_connector_that_raises_is_unknown_not_retried(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)

    class Boom(kit.Scripted):
        def publish(self, post):
            super().publish(post)
            raise RuntimeError("bug")

    fake = Boom()
    run(pub, fake)
    assert kit.post(pub, pid).state == "unknown" and len(fake.published) == 1


def test_unreachable_platform_backs_off_then_fails(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)
    fake = kit.Scripted([PublishResult(Outcome.UNAVAILABLE, message="refused")] * (MAX_UNAVAILABLE_RETRIES + 1))
    waits = []
    for _ in range(MAX_UNAVAILABLE_RETRIES + 1):
        run(pub, fake)
        p = kit.post(pub, pid)
        if p.state == "retry_wait":
            waits.append(p.run_at - pub.clock.now)
            pub.clock.now = p.run_at
    assert kit.post(pub, pid).state == "failed"
    assert len(fake.published) == MAX_UNAVAILABLE_RETRIES + 1
    assert [w.total_seconds() // 60 for w in waits] == [1, 2, 4, 8, 16]


def test_rejected_and_duplicate_content_fail_without_a_retry(pub):
    ids = kit.scheduled(pub, pub.ws, pub.acct, n=2)
    fake = kit.Scripted(
        [
            PublishResult(Outcome.REJECTED, message="too long"),
            PublishResult(Outcome.REJECTED, duplicate=True, message="duplicate content"),
        ]
    )
    run(pub, fake)
    pub.clock.now += timedelta(hours=1)
    run(pub, fake)
    assert [kit.post(pub, i).state for i in ids] == ["failed", "failed"] and len(fake.published) == 2


def test_a_post_older_than_the_channels_lateness_is_missed_not_sent(pub):
    late = kit.scheduled(pub, pub.ws, pub.acct, at=NOW - timedelta(hours=2))
    fresh = kit.scheduled(pub, pub.ws, pub.acct, at=NOW - timedelta(minutes=30))
    fake = kit.Scripted()
    stats = run(pub, fake)
    assert (stats.missed, kit.post(pub, late[0]).state, kit.post(pub, fresh[0]).state) == (1, "missed", "sent")
    assert kit.attempts(pub, late[0]) == [] and kit.events(pub, late[0]) == ["missed"]


def test_the_accounts_own_hourly_limit_moves_the_rest_to_the_next_free_slot(pub):
    limited = kit.account(pub, pub.ws, name="limited", max_per_hour=2, max_lateness_minutes=90)
    ids = kit.scheduled(pub, pub.ws, limited, n=3)
    fake = kit.Scripted()
    run(pub, fake)
    s = kit.states(pub)
    assert [s[i] for i in ids] == ["sent", "sent", "retry_wait"]
    assert kit.post(pub, ids[2]).run_at == NOW + timedelta(hours=1)
    pub.clock.now += timedelta(hours=1, seconds=1)
    run(pub, fake)
    assert kit.post(pub, ids[2]).state == "sent"


def test_a_claim_whose_worker_died_goes_back_to_the_queue_and_is_sent_once(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)
    workers.beat(pub, "dead", "h", 1)
    with pub.uow(write=True) as uow:  # the worker claimed, then was killed before its attempt
        [claimed] = uow.dispatch.claim("dead", NOW, NOW + dispatch.CLAIM_LEASE, 10)
    pub.clock.now += timedelta(seconds=40)
    swept = dispatch.reap(pub, "w2", dead_after=timedelta(seconds=30))
    assert (swept.requeued, swept.unknown) == (1, 0)
    fake = kit.Scripted()
    run(pub, fake, worker="w2")
    assert kit.post(pub, pid).state == "sent" and len(fake.published) == 1
    with pub.uow(write=True) as uow:  # the dead worker's late T2 is fenced out
        assert not uow.dispatch.start(claimed, "dead", NOW, NOW + dispatch.SEND_LEASE, "k")
    assert [a.attempt for a in kit.attempts(pub, pid)] == [2]


def test_a_lease_lost_mid_publish_is_unknown_and_the_late_answer_is_kept_not_applied(pub):
    [pid] = kit.scheduled(pub, pub.ws, pub.acct)

    class Slow(kit.Scripted):
        def publish(self, post):
            pub.clock.now += dispatch.SEND_LEASE + timedelta(minutes=1)  # the call outlived its lease
            dispatch.reap(pub, "w2", dead_after=timedelta(minutes=1))
            return super().publish(post)

    stats = run(pub, Slow())
    p = kit.post(pub, pid)
    assert (p.state, stats.lost_leases) == ("unknown", 1)
    [a] = kit.attempts(pub, pid)
    assert a.outcome == "sent"  # what the platform said, for the person who resolves it
    assert kit.events(pub, pid) == ["unknown", "lease_lost"]


@pytest.mark.parametrize("workers_n", [2, 4])
def test_racing_workers_send_every_post_exactly_once(pub, workers_n):
    accounts = [kit.account(pub, pub.ws, name=f"a{i}") for i in range(3)]
    ids = [pid for a in accounts for pid in kit.scheduled(pub, pub.ws, a, n=60)]
    fake = kit.Scripted()
    errors = []

    def work(i):
        try:
            for _ in range(5):
                Dispatcher(pub, f"w{i}", connect=fake.connect, batch=7).run_due()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    keys = [p.idempotency_key for p in fake.published]
    assert len(keys) == len(set(keys)) == len(ids)
    assert set(kit.states(pub).values()) == {"sent"}


def test_lateness_counts_from_the_scheduled_time_and_a_persons_retry_restarts_it(pub):
    from app.services import posts
    from app.services.auth import Actor

    [pid] = kit.scheduled(pub, pub.ws, pub.acct)
    fake = kit.Scripted(
        [
            PublishResult(Outcome.RATE_LIMITED, retry_at=NOW + timedelta(minutes=50), scope=Scope.ACCOUNT),
            PublishResult(Outcome.UNAVAILABLE, message="connection refused"),
        ]
    )
    run(pub, fake)  # a 429: the next try after the reset
    pub.clock.now = NOW + timedelta(minutes=51)
    run(pub, fake)  # unreachable: the next try a minute or two on, each retry moving only the next try
    pub.clock.now = NOW + timedelta(minutes=62)
    stats = run(pub, fake)
    assert (stats.missed, kit.post(pub, pid).state, len(fake.published)) == (1, "missed", 2)
    assert "more than 1:00:00 late" in kit.post(pub, pid).last_error
    assert posts.retry(pub, Actor.system(), pid) == "scheduled"  # a person: send it now, late as it is
    run(pub, fake)
    assert kit.post(pub, pid).state == "sent" and len(fake.published) == 3


def test_a_replay_that_comes_too_late_stays_unknown_rather_than_missed(pub):
    from app.services import reconcile

    [pid] = kit.scheduled(pub, pub.ws, pub.acct, at=NOW - timedelta(minutes=50))
    fake = kit.Scripted([PublishResult(Outcome.UNKNOWN, message="504"), PublishResult(Outcome.UNAVAILABLE)])
    run(pub, fake)
    pub.clock.now += timedelta(minutes=1)
    assert reconcile.replay_unknown(pub, "w1") == 1
    run(pub, fake)  # the replay cannot reach the platform: it waits a minute or two, now past the hour
    pub.clock.now += timedelta(minutes=15)
    run(pub, fake)
    p = kit.post(pub, pid)
    assert (p.state, len(fake.published)) == ("unknown", 2)  # not "missed": the first attempt may be out
    assert "may have gone out" in p.last_error and kit.events(pub, pid)[-1] == "unknown"


def test_a_recorded_batch_is_counted_once_when_recording_needed_a_second_try(pub, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from data.dispatch_repos import BulkDispatch

    kit.scheduled(pub, pub.ws, pub.acct, n=3)
    real, calls = BulkDispatch.finish_many, []

    def flaky(self, *args):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE post", {}, Exception("database is locked"))
        return real(self, *args)

    monkeypatch.setattr(BulkDispatch, "finish_many", flaky)
    monkeypatch.setattr(dispatch, "RECORD_RETRIES", (0.01,))
    stats = run(pub, kit.Scripted(replay_window=timedelta(hours=1)))
    assert len(calls) == 2 and stats.outcomes == {"sent": 3} and set(kit.states(pub).values()) == {"sent"}

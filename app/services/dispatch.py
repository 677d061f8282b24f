"""The dispatcher: publish due posts on time and at most once (ARCHITECTURE.md, "The dispatcher").

Per post: T1 claim with a lease (in batches) → T2 record the attempt, state ``sending`` (point of no
return) → call the connector (its own timeout, far shorter than the lease) → T3 write the outcome fenced
by attempt and lease owner. A post is retried only when it surely did not go out; an unknown outcome is
replayed with the same key where the platform remembers keys (app.services.reconcile), else waits for a
person (Health page). Lateness counts from the scheduled time, not from the last retry. Leases of workers
that stopped beating, or that ran out, are swept; a batch extends its lease before a call that could
outlast it (app.worker beats from a thread meanwhile).
Times come from the container's clock (UTC), so every worker should keep its clock in sync (NTP).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError

from app.bootstrap import Container
from app.services import secrets
from campaigns import dispatch as d
from campaigns.publishing import EventKind, PostState
from connectors import registry
from connectors.base import ConfigError, Connector, Media, Outcome, PostRequest, PublishResult
from data.dispatch_repos import Claimed, Work
from data.errors import SetupError

log = logging.getLogger("festa.dispatch")

CLAIM_LEASE = timedelta(minutes=5)  # a claimed batch must be started within this
SEND_LEASE = timedelta(minutes=3)  # > a connector's timeout (20 s) + the media-processing wait (60 s)
LEASE_MARGIN = timedelta(minutes=2)  # a batch extends its lease when less than one long call is left
LEASE_GONE = "not sent: the batch's lease ran out before this post's turn"
BATCH = 20
RECORD_RETRIES = (0.5, 1.0, 2.0)  # seconds between tries to record an outcome the platform gave
Connect = Callable[[str, dict[str, str]], Connector]

_EVENT = {
    PostState.SENT: EventKind.SENT,
    PostState.HANDED_OFF: EventKind.HANDED_OFF,
    PostState.RETRY_WAIT: EventKind.RETRY,
    PostState.FAILED: EventKind.FAILED,
    PostState.UNKNOWN: EventKind.UNKNOWN,
}


def default_connect(name: str, credentials: dict[str, str]) -> Connector:
    return registry.build(name, credentials)


@dataclass
class Stats:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    lost_leases: int = 0
    missed: int = 0
    held: int = 0  # over the account's own posting limit: moved to the next free slot

    def count(self, what: str) -> None:
        self.outcomes[what] = self.outcomes.get(what, 0) + 1


class Dispatcher:
    def __init__(
        self,
        c: Container,
        worker_id: str,
        *,
        connect: Connect = default_connect,
        batch: int = BATCH,
        rng: random.Random | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.should_stop = should_stop
        self.c, self.worker, self.connect, self.batch = c, worker_id, connect, batch
        self.rng = rng or random.Random()
        self._connectors: dict[tuple[int, object], Connector] = {}
        # accounts stopped during this run (revoked token, rate limit): the rest of their batch goes back
        self._blocked: dict[int, tuple[PostState, datetime | None, str]] = {}

    # -- the loop -------------------------------------------------------------------------------
    def run_due(self, max_batches: int | None = None) -> Stats:
        """Send every post that is due now, batch after batch, until none is left."""
        stats, batches = Stats(), 0
        self._blocked.clear()
        while max_batches is None or batches < max_batches:
            now = self.c.clock()
            with self.c.uow(write=True) as uow:
                claimed = uow.dispatch.claim(self.worker, now, now + CLAIM_LEASE, self.batch)
            if not claimed:
                break
            batches += 1
            stats.claimed += len(claimed)
            with self.c.uow() as uow:
                work = uow.dispatch.work([x.post_id for x in claimed])
            group: list[_Ready] = []
            for item in claimed:
                if item.post_id not in work or (ready := self._prepare(item, work[item.post_id], stats)) is None:
                    continue
                if ready.replayable:
                    group.append(ready)
                else:
                    self._send_one(ready, stats)
            self._send_group(group, stats)
            if self.should_stop():
                break
        return stats

    # -- one post -------------------------------------------------------------------------------
    def _prepare(self, item: Claimed, w: Work, stats: Stats) -> _Ready | None:
        """Checks before an attempt; a post that must not be tried now is handed back (None)."""
        post, acct, now = w.post, w.account, self.c.clock()
        if acct.id in self._blocked or acct.connector in self._blocked:
            state, run_at, why = self._blocked.get(acct.id) or self._blocked[acct.connector]
            self._release(item, now, state, EventKind.RATE_LIMITED, why, run_at=run_at)
            stats.held += 1
            return
        lateness = d.max_lateness(acct.channel, acct.max_lateness_minutes)
        due = d.late_since(post.scheduled_at or post.run_at, w.restarted_at)
        if due is not None and d.is_missed(due, now, lateness):
            if w.in_doubt:  # an earlier attempt may be out: "missed" would say it is not
                why = f"not sent again: more than {lateness} late, and an earlier attempt may have gone out"
                self._release(item, now, PostState.UNKNOWN, EventKind.UNKNOWN, why)
            else:
                self._release(item, now, PostState.MISSED, EventKind.MISSED, f"not sent: more than {lateness} late")
            stats.missed += 1
            return
        if (free_at := self._limit(acct, now)) is not None:
            if due is not None and d.is_missed(due, free_at, lateness) and not w.in_doubt:
                why = f"not sent: the account's own posting limit leaves no slot within {lateness} of its time"
                self._release(item, now, PostState.MISSED, EventKind.MISSED, why)
                stats.missed += 1
                return
            self._release(
                item,
                now,
                PostState.RETRY_WAIT,
                EventKind.RATE_LIMITED,
                "the account's own posting limit is reached",
                run_at=free_at,
            )
            stats.held += 1
            return
        key = d.idempotency_key(post.id, acct.id, item.revision)
        try:
            connector = self._connector(acct)
            request = _request(post, w.media, key)
        except (ConfigError, secrets.CredentialsUnreadable, KeyError) as exc:
            self._release(item, now, PostState.FAILED, EventKind.FAILED, _why(exc))
            self._account_problem(acct.id, _why(exc))
            self._blocked[acct.id] = (PostState.SCHEDULED, None, "the account needs to be reconnected")
            stats.count("config")
            return None
        # Group commit only where an attempt recorded but never made is harmless (the platform remembers
        # the key: reconcile replays it) and no per-account limit needs counting post by post.
        replayable = getattr(connector, "replay_window", None) is not None and not (
            acct.max_per_hour or acct.max_per_day
        )
        return _Ready(item, w, connector, request, key, replayable)

    def _send_one(self, r: _Ready, stats: Stats) -> None:
        now = self.c.clock()
        with self.c.uow(write=True) as uow:
            if not uow.dispatch.start(r.item, self.worker, now, now + SEND_LEASE, r.key):
                stats.lost_leases += 1
                log.warning("post %s: lease lost before sending; another worker has it", r.item.post_id)
                return
        self._record(r.item, r.work, self._publish(r), stats)

    def _publish(self, r: _Ready) -> PublishResult:
        try:
            return r.connector.publish(r.request)
        except Exception as exc:  # a connector must not raise; if it does, nobody knows what went out
            log.warning("post %s: connector %s raised %s", r.item.post_id, r.work.account.connector, type(exc).__name__)
            return PublishResult(Outcome.UNKNOWN, message=f"the connector failed: {type(exc).__name__}")

    def _send_group(self, group: list[_Ready], stats: Stats) -> None:
        """T2 for the whole group, the calls, then T3 for the whole group: two commits per batch."""
        if not group:
            return
        now = self.c.clock()
        with self.c.uow(write=True) as uow:
            started = uow.bulk_dispatch.start_many(
                [r.item for r in group], {r.item.post_id: r.key for r in group}, self.worker, now, now + SEND_LEASE
            )
        stats.lost_leases += len(group) - len(started)
        group = [r for r in group if r.item.post_id in started]
        answers: list[tuple[_Ready, PublishResult | None, tuple | None]] = []
        lease_until, mine = now + SEND_LEASE, set(started)
        for r in group:
            acct = r.work.account
            if self.c.clock() + LEASE_MARGIN >= lease_until:  # the next call could outlast the lease: extend it
                lease_until, mine = self._extend([x.item for x in group if x.item.post_id in mine])
            if r.item.post_id not in mine:  # swept meanwhile: another worker may replay it, so not this one
                log.warning("post %s: the batch's lease ran out before its turn; not sent", r.item.post_id)
                answers.append((r, None, (None, None, LEASE_GONE)))
                stats.lost_leases += 1
                continue
            held = self._blocked.get(acct.id) or self._blocked.get(acct.connector)
            if held:
                answers.append((r, None, held))
                continue
            result = self._publish(r)
            answers.append((r, result, None))
            dec = d.decide(result.outcome, self.c.clock(), retry_at=result.retry_at, scope=result.scope, rng=self.rng)
            self._block_after(acct, dec, result)
        for wait in (*RECORD_RETRIES, None):
            try:
                return self._record_group(answers, stats)
            except (OperationalError, SetupError) as exc:
                if wait is None:
                    raise
                log.warning(
                    "could not record %d outcomes (%s); trying again in %s s",
                    len(answers),
                    str(exc).splitlines()[0][:200],
                    wait,
                )
                time.sleep(wait)

    def _extend(self, items: list[Claimed]) -> tuple[datetime, set[int]]:
        until = self.c.clock() + SEND_LEASE
        with self.c.uow(write=True) as uow:
            return until, uow.bulk_dispatch.extend(items, self.worker, until)

    def _record_group(self, answers, stats: Stats) -> None:
        now, rows, events, side, counted = self.c.clock(), [], [], [], []
        with self.c.uow(write=True) as uow:
            for r, result, held in answers:
                item = r.item
                if held is not None:
                    state, run_at, why = held
                    if state is None:  # the lease is gone: only the attempt row is written (never made)
                        rows.append(_row(item, PostState.UNKNOWN, None, why, None, "held", why))
                        continue
                    rows.append(_row(item, state, run_at, why, None, "held", why))
                    events.append((item, EventKind.RATE_LIMITED, why))
                    continue
                retries = 0
                if result.outcome is Outcome.UNAVAILABLE:
                    retries = uow.dispatch.unavailable_retries(item.post_id, item.revision)
                dec = d.decide(
                    result.outcome, now, retries=retries, retry_at=result.retry_at, scope=result.scope, rng=self.rng
                )
                rows.append(
                    _row(
                        item,
                        dec.state,
                        dec.run_at,
                        None if result.went_out else result.message,
                        result if dec.state is PostState.SENT else None,
                        str(result.outcome),
                        result.message,
                        now,
                    )
                )
                if dec.state is PostState.HANDED_OFF:
                    rows[-1]["b_err"] = result.message[:1000]
                events.append((item, _EVENT[dec.state], result.url or result.platform_id or result.message or ""))
                side.append((r.work.account, dec, result))
                counted.append(str(result.outcome))
            lost = uow.bulk_dispatch.finish_many(self.worker, now, rows)
            gone = {r.item.post_id for r, _, held in answers if held and held[0] is None}
            uow.dispatch.events(
                [
                    dict(
                        post_id=item.post_id,
                        at=now,
                        actor=self._actor,
                        revision=item.revision,
                        kind=EventKind.LEASE_LOST if item.post_id in lost else kind,
                        body=(
                            f"attempt {item.attempt} answered after its lease was lost: {body}"
                            if item.post_id in lost
                            else body
                        )[:2000],
                    )
                    for item, kind, body in events
                ]
            )
            for acct, dec, result in side:
                self._persist_block(uow, acct, dec, result)
        for what in counted:  # only once committed: a retried commit must not count twice
            stats.count(what)
        stats.held += sum(1 for _, _, held in answers if held and held[0] is not None)
        stats.lost_leases += len(lost - gone)

    def _block_after(self, acct, dec: d.Decision, result: PublishResult) -> None:
        why = result.message or str(result.outcome)
        if dec.pause_account_until:
            self._blocked[acct.id] = (PostState.RETRY_WAIT, dec.pause_account_until, why)
        if dec.pause_app_until:
            self._blocked[acct.connector] = (PostState.RETRY_WAIT, dec.pause_app_until, why)
        if dec.needs_reauth:
            self._blocked[acct.id] = (PostState.SCHEDULED, None, "the account needs to be reconnected")

    def _persist_block(self, uow, acct, dec: d.Decision, result: PublishResult) -> None:
        if dec.pause_account_until:
            uow.dispatch.pause_account(acct.id, dec.pause_account_until)
        if dec.pause_app_until:
            uow.dispatch.pause_app(acct.connector, dec.pause_app_until, result.message)
        if dec.needs_reauth:
            uow.dispatch.needs_reauth(acct.id, result.message or "the platform refused the credentials")

    def _record(self, item: Claimed, w: Work, result: PublishResult, stats: Stats) -> None:
        """T3. The platform has answered, so the answer is worth a few tries if the database is briefly
        away; if it stays away, the post stays ``sending`` and the reaper hands it to a person."""
        for wait in RECORD_RETRIES:
            try:
                return self._record_once(item, w, result, stats)
            except (OperationalError, SetupError) as exc:
                log.warning(
                    "post %s: could not record %s (%s); trying again in %s s",
                    item.post_id,
                    result.outcome,
                    str(exc).splitlines()[0][:200],
                    wait,
                )
                time.sleep(wait)
        return self._record_once(item, w, result, stats)

    def _record_once(self, item: Claimed, w: Work, result: PublishResult, stats: Stats) -> None:
        now = self.c.clock()
        with self.c.uow(write=True) as uow:
            retries = 0
            if result.outcome is Outcome.UNAVAILABLE:
                retries = uow.dispatch.unavailable_retries(item.post_id, item.revision)
            dec = d.decide(
                result.outcome, now, retries=retries, retry_at=result.retry_at, scope=result.scope, rng=self.rng
            )
            values: dict = {"state": dec.state, "last_error": None if result.went_out else result.message[:1000]}
            if dec.state is PostState.SENT:
                values |= {"published_at": now, "external_id": result.platform_id, "external_url": result.url}
            elif dec.state is PostState.HANDED_OFF:
                values["last_error"] = result.message[:1000]
            if dec.run_at is not None:
                values["run_at"] = dec.run_at
            fenced = uow.dispatch.finish(
                item, self.worker, now, values, result.outcome, result.message, result.platform_id
            )
            if not fenced:
                uow.dispatch.event(
                    item.post_id,
                    now,
                    self._actor,
                    EventKind.LEASE_LOST,
                    item.revision,
                    f"attempt {item.attempt} answered {result.outcome} after its lease was lost",
                )
                log.warning(
                    "post %s: attempt %s answered %s after its lease was lost",
                    item.post_id,
                    item.attempt,
                    result.outcome,
                )
                stats.lost_leases += 1
                return
            body = result.url or result.platform_id or result.message
            uow.dispatch.event(item.post_id, now, self._actor, _EVENT[dec.state], item.revision, body or "")
            self._persist_block(uow, w.account, dec, result)
            self._block_after(w.account, dec, result)
        stats.count(str(result.outcome))

    # -- helpers --------------------------------------------------------------------------------
    @property
    def _actor(self) -> str:
        return f"worker:{self.worker}"[:254]

    def _release(
        self, item: Claimed, now: datetime, state: PostState, kind: EventKind, why: str, run_at: datetime | None = None
    ) -> None:
        values: dict = {"state": state, "last_error": why[:1000], "updated_at": now}
        if run_at is not None:
            values["run_at"] = run_at
        with self.c.uow(write=True) as uow:
            if uow.dispatch.release(item, self.worker, values):
                uow.dispatch.event(item.post_id, now, self._actor, kind, item.revision, why)

    def _limit(self, acct, now: datetime) -> datetime | None:
        if acct.max_per_hour is None and acct.max_per_day is None:
            return None
        with self.c.uow() as uow:
            started = uow.dispatch.started_since(acct.id, now - timedelta(days=1))
        slots = [
            d.next_window_start(now, started, timedelta(hours=1), acct.max_per_hour),
            d.next_window_start(now, started, timedelta(days=1), acct.max_per_day),
        ]
        waits = [s for s in slots if s is not None]
        return max(waits) if waits else None

    def _connector(self, acct) -> Connector:
        key = (acct.id, acct.credentials_updated_at)
        if key not in self._connectors:
            creds = secrets.open_credentials(self.c, acct.credentials, acct.name)
            self._connectors[key] = self.connect(acct.connector, creds)
        return self._connectors[key]

    def _account_problem(self, account_id: int, why: str) -> None:
        with self.c.uow(write=True) as uow:
            uow.dispatch.needs_reauth(account_id, why)


@dataclass(frozen=True)
class _Ready:
    item: Claimed
    work: Work
    connector: Connector
    request: PostRequest
    key: str
    replayable: bool


def _row(
    item: Claimed, state, run_at, err, sent: PublishResult | None, outcome: str, msg: str, now: datetime | None = None
) -> dict:
    return dict(
        b_pid=item.post_id,
        b_att=item.attempt,
        b_state=str(state),
        b_run_at=run_at,
        b_err=(err or "")[:1000] or None,
        b_pub=now if sent else None,
        b_ext_id=sent.platform_id if sent else None,
        b_ext_url=sent.url if sent else None,
        b_outcome=outcome,
        b_msg=(msg or "")[:1000] or None,
    )


def _request(post, media, key: str) -> PostRequest:
    options = {"assignee": post.assignee} if post.assignee else {}
    return PostRequest(
        text=post.body,
        idempotency_key=key,
        title=post.title,
        media=tuple(Media(m.filename, m.content_type, m.data) for m in media),
        link=post.link,
        options=options,
    )


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"no connector named {exc.args[0]!r}"
    return str(exc)[:500]


@dataclass(frozen=True)
class Swept:
    requeued: int
    unknown: int


def reap(c: Container, worker_id: str, dead_after: timedelta) -> Swept:
    """Leases that ran out, or whose worker stopped beating for ``dead_after``."""
    now = c.clock()
    with c.uow(write=True) as uow:
        requeued, unknown = uow.dispatch.reap(now, now - dead_after)
        actor = f"worker:{worker_id}"[:254]
        uow.dispatch.events(
            [
                dict(
                    post_id=p,
                    at=now,
                    actor=actor,
                    kind=EventKind.UNKNOWN,
                    revision=r,
                    body="the worker stopped while sending",
                )
                for p, r in unknown
            ]
        )
    for pid, _ in unknown:
        log.warning("post %s: its worker stopped while sending; it needs a person", pid)
    return Swept(len(requeued), len(unknown))

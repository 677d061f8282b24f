"""The dispatcher's statements: claim due posts with a lease, record an attempt before the platform is
called, write its outcome fenced by attempt and lease owner, and sweep leases whose worker is gone.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``; SQLite serialises writers with ``BEGIN IMMEDIATE``
(every writing unit of work does), so the same UPDATE … RETURNING is safe on both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, false, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaigns.publishing import PostState
from data import doubt
from data.models import ChannelAccount, Post, WorkerHeartbeat
from data.models_publish import AppCooldown, DispatchAttempt, MediaAsset, PostEvent, PostMedia
from data.repositories import _Repo
from data.types import UTCDateTime

S = PostState
QUEUED = (S.SCHEDULED.value, S.RETRY_WAIT.value)
NO_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class Claimed:
    post_id: int
    attempt: int
    revision: int


@dataclass(frozen=True)
class Work:
    """Everything a worker needs to send one claimed post, read in one query."""

    post: Post
    account: ChannelAccount
    media: tuple[MediaAsset, ...]
    restarted_at: datetime | None = None  # a person last sent it again (Retry, "It did not go out")
    in_doubt: bool = False  # an earlier attempt of this revision may have gone out (a replay)


class DispatchRepo(_Repo):
    def _pg(self) -> bool:
        return self.s.get_bind().dialect.name == "postgresql"

    def claim(self, worker: str, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        cooling = select(AppCooldown.connector).where(AppCooldown.until > now)
        due = (
            select(Post.id)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(
                Post.state.in_(QUEUED),
                Post.run_at <= now,
                ChannelAccount.needs_reauth == false(),
                or_(ChannelAccount.paused_until.is_(None), ChannelAccount.paused_until <= now),
                ChannelAccount.connector.not_in(cooling),
            )
            .order_by(Post.run_at, Post.id)
            .limit(limit)
        )
        if self._pg():
            due = due.with_for_update(skip_locked=True, of=Post)
        stmt = (
            update(Post)
            .where(Post.id.in_(due.scalar_subquery()), Post.state.in_(QUEUED))
            .values(state=S.CLAIMED, lease_owner=worker, lease_until=lease_until, attempt=Post.attempt + 1)
            .returning(Post.id, Post.attempt, Post.revision)
            .execution_options(**NO_SYNC)
        )
        return sorted((Claimed(*row) for row in self.s.execute(stmt).all()), key=lambda c: c.post_id)

    def work(self, post_ids: list[int]) -> dict[int, Work]:
        rows = self.s.execute(
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(Post.id.in_(post_ids))
        ).all()
        media: dict[int, list[MediaAsset]] = {}
        if rows:
            q = (
                select(PostMedia.post_id, MediaAsset)
                .join(MediaAsset, PostMedia.media_id == MediaAsset.id)
                .where(PostMedia.post_id.in_(post_ids))
                .order_by(PostMedia.post_id, PostMedia.position)
            )
            for pid, asset in self.s.execute(q).all():
                media.setdefault(pid, []).append(asset)
        # a post on its first try at its own time has no history that matters: skip the reads for it
        again = [p.id for p, _ in rows if p.attempt > 1 or p.run_at != p.scheduled_at]
        since, doubtful = doubt.restarted(self.s, again), doubt.in_doubt(self.s, again)
        return {p.id: Work(p, a, tuple(media.get(p.id, ())), since.get(p.id), p.id in doubtful) for p, a in rows}

    def _fence(self, c: Claimed, worker: str, state: str):
        return and_(Post.id == c.post_id, Post.attempt == c.attempt, Post.lease_owner == worker, Post.state == state)

    def start(self, c: Claimed, worker: str, now: datetime, lease_until: datetime, key: str) -> bool:
        """T2: the point of no return. False when the lease was lost (nothing is recorded then)."""
        done = self.s.execute(
            update(Post)
            .where(self._fence(c, worker, S.CLAIMED))
            .values(state=S.SENDING, lease_until=lease_until)
            .execution_options(**NO_SYNC)
        )
        if done.rowcount != 1:
            return False
        self.s.execute(
            insert(DispatchAttempt).values(
                post_id=c.post_id,
                attempt=c.attempt,
                revision=c.revision,
                idempotency_key=key,
                worker=worker,
                started_at=now,
            )
        )
        return True

    def release(self, c: Claimed, worker: str, values: dict) -> bool:
        """A claimed post handed back without an attempt (missed, over the account's own limit)."""
        done = self.s.execute(
            update(Post)
            .where(self._fence(c, worker, S.CLAIMED))
            .values(lease_owner=None, lease_until=None, **values)
            .execution_options(**NO_SYNC)
        )
        return done.rowcount == 1

    def finish(
        self, c: Claimed, worker: str, now: datetime, values: dict, outcome: str, message: str, external_id: str | None
    ) -> bool:
        """T3: the outcome, fenced by attempt and lease owner. False: the lease was lost meanwhile;
        the attempt row still says what the platform answered, for the person who resolves it."""
        done = self.s.execute(
            update(Post)
            .where(self._fence(c, worker, S.SENDING))
            .values(lease_owner=None, lease_until=None, updated_at=now, **values)
            .execution_options(**NO_SYNC)
        )
        self.s.execute(
            update(DispatchAttempt)
            .where(DispatchAttempt.post_id == c.post_id, DispatchAttempt.attempt == c.attempt)
            .values(finished_at=now, outcome=outcome, message=message[:1000] or None, external_id=external_id)
        )
        return done.rowcount == 1

    def event(self, post_id: int, now: datetime, actor: str, kind: str, revision: int, body: str = "") -> None:
        self.s.execute(
            insert(PostEvent).values(
                post_id=post_id, at=now, actor=actor, kind=kind, revision=revision, body=body[:2000]
            )
        )

    def events(self, rows: list[dict]) -> None:
        if rows:
            self.s.execute(insert(PostEvent), rows)

    def unavailable_retries(self, post_id: int, revision: int) -> int:
        q = select(func.count()).where(
            DispatchAttempt.post_id == post_id,
            DispatchAttempt.revision == revision,
            DispatchAttempt.outcome == "unavailable",
        )
        return int(self.s.execute(q).scalar_one())

    def started_since(self, account_id: int, since: datetime) -> list[datetime]:
        """When this account's attempts started (the account's own posting limits count them)."""
        q = (
            select(DispatchAttempt.started_at)
            .join(Post, DispatchAttempt.post_id == Post.id)
            .where(
                Post.channel_account_id == account_id,
                DispatchAttempt.started_at > since,
                or_(DispatchAttempt.outcome.is_(None), DispatchAttempt.outcome.in_(("sent", "handed_off", "unknown"))),
            )
        )
        return list(self.s.execute(q).scalars())

    def pause_account(self, account_id: int, until: datetime) -> None:
        self.s.execute(
            update(ChannelAccount)
            .where(
                ChannelAccount.id == account_id,
                or_(ChannelAccount.paused_until.is_(None), ChannelAccount.paused_until < until),
            )
            .values(paused_until=until)
        )

    def needs_reauth(self, account_id: int, detail: str) -> None:
        self.s.execute(
            update(ChannelAccount)
            .where(ChannelAccount.id == account_id)
            .values(needs_reauth=True, status_detail=detail[:500])
        )

    def pause_app(self, connector: str, until: datetime, message: str) -> None:
        ins = (pg_insert if self._pg() else sqlite_insert)(AppCooldown).values(
            connector=connector, until=until, message=message[:500]
        )
        self.s.execute(
            ins.on_conflict_do_update(
                index_elements=[AppCooldown.connector], set_={"until": until, "message": message[:500]}
            )
        )

    def cooldowns(self, now: datetime) -> list[AppCooldown]:
        return list(self.s.execute(select(AppCooldown).where(AppCooldown.until > now)).scalars())

    def reap(self, now: datetime, dead_before: datetime) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Leases whose time is up or whose worker stopped beating. A claim without an attempt goes back
        to the queue; a post that was being sent becomes unknown (it may have gone out).
        Returns (requeued, unknown) as (post id, revision) pairs."""
        dead = select(WorkerHeartbeat.worker_id).where(WorkerHeartbeat.beat_at < dead_before)
        gone = or_(Post.lease_until < now, Post.lease_owner.in_(dead))
        requeued = self.s.execute(
            update(Post)
            .where(Post.state == S.CLAIMED, gone)
            .values(state=S.SCHEDULED, lease_owner=None, lease_until=None)
            .returning(Post.id, Post.revision)
            .execution_options(**NO_SYNC)
        ).all()
        unknown = self.s.execute(
            update(Post)
            .where(Post.state == S.SENDING, gone)
            .values(
                state=S.UNKNOWN,
                lease_owner=None,
                lease_until=None,
                updated_at=now,
                last_error="the worker stopped while sending: check the platform, then resolve",
            )
            .returning(Post.id, Post.revision)
            .execution_options(**NO_SYNC)
        ).all()
        return [tuple(r) for r in requeued], [tuple(r) for r in unknown]


class BulkDispatch:
    """T2 and T3 for a whole batch in one statement each (executemany): for connectors whose platform
    remembers idempotency keys, where an attempt recorded but not made is settled by replaying it."""

    def __init__(self, s) -> None:
        self.s = s

    def start_many(
        self, items: list[Claimed], keys: dict[int, str], worker: str, now: datetime, lease_until: datetime
    ) -> set[int]:
        if not items:
            return set()
        expected = {c.post_id: c for c in items}
        rows = self.s.execute(
            update(Post)
            .where(Post.id.in_(list(expected)), Post.lease_owner == worker, Post.state == S.CLAIMED)
            .values(state=S.SENDING, lease_until=lease_until)
            .returning(Post.id, Post.attempt)
            .execution_options(**NO_SYNC)
        ).all()
        ok = {pid for pid, attempt in rows if expected[pid].attempt == attempt}
        if ok:
            self.s.execute(
                insert(DispatchAttempt),
                [
                    dict(
                        post_id=pid,
                        attempt=expected[pid].attempt,
                        revision=expected[pid].revision,
                        idempotency_key=keys[pid],
                        worker=worker,
                        started_at=now,
                    )
                    for pid in sorted(ok)
                ],
            )
        return ok

    def extend(self, items: list[Claimed], worker: str, lease_until: datetime) -> set[int]:
        """A longer lease for the posts of a batch still being sent; returns those still held (the rest were
        swept meanwhile and belong to nobody now)."""
        if not items:
            return set()
        expected = {c.post_id: c.attempt for c in items}
        rows = self.s.execute(
            update(Post)
            .where(Post.id.in_(list(expected)), Post.lease_owner == worker, Post.state == S.SENDING)
            .values(lease_until=lease_until)
            .returning(Post.id, Post.attempt)
            .execution_options(**NO_SYNC)
        ).all()
        return {pid for pid, attempt in rows if expected[pid] == attempt}

    def finish_many(self, worker: str, now: datetime, rows: list[dict]) -> set[int]:
        """Outcomes of a batch, each fenced by attempt and lease owner. Row keys: b_pid, b_att, b_state,
        b_run_at, b_err, b_pub, b_ext_id, b_ext_url, b_outcome, b_msg. Returns the post ids whose lease was lost."""
        if not rows:
            return set()
        conn = self.s.connection()
        result = conn.execute(
            update(Post)
            .where(
                Post.id == bindparam("b_pid"),
                Post.attempt == bindparam("b_att"),
                Post.lease_owner == worker,
                Post.state == S.SENDING,
            )
            .values(
                state=bindparam("b_state"),
                run_at=func.coalesce(bindparam("b_run_at", type_=UTCDateTime()), Post.run_at),
                last_error=bindparam("b_err"),
                published_at=bindparam("b_pub", type_=UTCDateTime()),
                external_id=bindparam("b_ext_id"),
                external_url=bindparam("b_ext_url"),
                lease_owner=None,
                lease_until=None,
                updated_at=now,
            ),
            rows,
        )
        conn.execute(
            update(DispatchAttempt)
            .where(DispatchAttempt.post_id == bindparam("b_pid"), DispatchAttempt.attempt == bindparam("b_att"))
            .values(
                finished_at=now,
                outcome=bindparam("b_outcome"),
                message=bindparam("b_msg"),
                external_id=bindparam("b_ext_id"),
            ),
            rows,
        )
        if conn.dialect.supports_sane_multi_rowcount and result.rowcount == len(rows):
            return set()
        want = {r["b_pid"]: r for r in rows}
        now_rows = self.s.execute(
            select(Post.id, Post.attempt, Post.state, Post.lease_owner).where(Post.id.in_(list(want)))
        ).all()
        return {
            pid
            for pid, att, state, owner in now_rows
            if not (att == want[pid]["b_att"] and state == want[pid]["b_state"] and owner is None)
        }

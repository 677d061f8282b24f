"""Posts as people see them: one post (locked for a change), its media, history and attempts, the
calendar of a date range, and the figures the Health page shows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import case, func, or_, select, update

from data import doubt
from data.models import Campaign, ChannelAccount, Post
from data.models_publish import AppCooldown, DispatchAttempt, MediaAsset, PostEvent, PostMedia
from data.repositories import _Repo

REPLAYING = "its last attempt may have gone out: sent again with the same idempotency key; no edits until it is known"


class Unknown(NamedTuple):
    post_id: int
    revision: int
    connector: str
    channel: str
    max_lateness_minutes: int | None
    scheduled_at: datetime | None
    first_started: datetime | None  # the first attempt of this revision that was made
    tries: int  # attempts of this revision that answered unknown (or never answered)
    restarted_at: datetime | None = None  # a person last sent it again


class PublishingRepo(_Repo):
    def post(self, post_id: int, lock: bool = False) -> Post | None:
        q = select(Post).where(Post.id == post_id)
        if lock and self.s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        return self.s.execute(q).scalars().first()

    def media(self, workspace_id: int, ids: Iterable[int]) -> list[MediaAsset]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        rows = self.s.execute(
            select(MediaAsset).where(MediaAsset.workspace_id == workspace_id, MediaAsset.id.in_(ids))
        ).scalars()
        by_id = {m.id: m for m in rows}
        return [by_id[i] for i in ids if i in by_id]

    def media_of(self, post_id: int) -> list[MediaAsset]:
        q = (
            select(MediaAsset)
            .join(PostMedia, PostMedia.media_id == MediaAsset.id)
            .where(PostMedia.post_id == post_id)
            .order_by(PostMedia.position)
        )
        return list(self.s.execute(q).scalars())

    def media_by_hash(self, workspace_id: int, sha256: str) -> MediaAsset | None:
        q = select(MediaAsset).where(MediaAsset.workspace_id == workspace_id, MediaAsset.sha256 == sha256)
        return self.s.execute(q).scalars().first()

    def between(
        self,
        workspace_id: int,
        start: datetime,
        end: datetime,
        *,
        campaign_id: int | None = None,
        channels: Iterable[str] = (),
        states: Iterable[str] = (),
    ) -> list[tuple[Post, ChannelAccount, str | None]]:
        """Posts whose scheduled time falls in [start, end), with their account and campaign name."""
        q = (
            select(Post, ChannelAccount, Campaign.name)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .outerjoin(Campaign, Post.campaign_id == Campaign.id)
            .where(Post.workspace_id == workspace_id, Post.scheduled_at >= start, Post.scheduled_at < end)
            .order_by(Post.scheduled_at, Post.id)
        )
        if campaign_id is not None:
            q = q.where(Post.campaign_id == campaign_id)
        if channels := list(channels):
            q = q.where(ChannelAccount.channel.in_(channels))
        if states := list(states):
            q = q.where(Post.state.in_(states))
        return [tuple(r) for r in self.s.execute(q).all()]

    def in_states(
        self, workspace_id: int, states: Iterable[str], untimed: bool = False
    ) -> list[tuple[Post, ChannelAccount, str | None]]:
        q = (
            select(Post, ChannelAccount, Campaign.name)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .outerjoin(Campaign, Post.campaign_id == Campaign.id)
            .where(Post.workspace_id == workspace_id, Post.state.in_(list(states)))
            .order_by(Post.updated_at.desc(), Post.id.desc())
            .limit(500)
        )
        if untimed:
            q = q.where(Post.scheduled_at.is_(None))
        return [tuple(r) for r in self.s.execute(q).all()]

    def history(self, post_id: int) -> list[PostEvent]:
        q = select(PostEvent).where(PostEvent.post_id == post_id).order_by(PostEvent.id)
        return list(self.s.execute(q).scalars())

    def attempts(self, post_id: int) -> list[DispatchAttempt]:
        q = select(DispatchAttempt).where(DispatchAttempt.post_id == post_id).order_by(DispatchAttempt.attempt)
        return list(self.s.execute(q).scalars())

    def by_state(self, workspace_id: int) -> dict[str, int]:
        q = select(Post.state, func.count()).where(Post.workspace_id == workspace_id).group_by(Post.state)
        return {s: n for s, n in self.s.execute(q).all()}

    def needing_a_person(self, workspace_id: int, states: Iterable[str], limit: int = 50):
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(Post.workspace_id == workspace_id, Post.state.in_(list(states)))
            .order_by(func.coalesce(Post.updated_at, Post.created_at).desc(), Post.id.desc())
            .limit(limit)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def late_queue(self, workspace_id: int, now: datetime) -> int:
        q = select(func.count()).where(
            Post.workspace_id == workspace_id, Post.state.in_(("scheduled", "retry_wait")), Post.run_at < now
        )
        return int(self.s.execute(q).scalar_one())

    def cooldowns(self, now: datetime) -> list[AppCooldown]:
        return list(self.s.execute(select(AppCooldown).where(AppCooldown.until > now)).scalars())

    def sent_to_sandbox(self, workspace_id: int, limit: int = 100) -> list[tuple[Post, ChannelAccount]]:
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(Post.workspace_id == workspace_id, ChannelAccount.connector == "sandbox", Post.state == "sent")
            .order_by(Post.published_at.desc(), Post.id.desc())
            .limit(limit)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def unknown_attempts(self, limit: int = 500) -> list[Unknown]:
        """Unknown posts with what a replay needs to know (attempts of the current revision; "held" ones were
        recorded but never made, so they neither start the platform's memory of the key nor count as tries)."""
        made = func.coalesce(DispatchAttempt.outcome, "") != "held"
        doubtful = or_(DispatchAttempt.outcome.is_(None), DispatchAttempt.outcome == "unknown")
        q = (
            select(
                Post.id,
                Post.revision,
                ChannelAccount.connector,
                ChannelAccount.channel,
                ChannelAccount.max_lateness_minutes,
                Post.scheduled_at,
                func.min(case((made, DispatchAttempt.started_at))),
                func.sum(case((doubtful, 1), else_=0)),
            )
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .join(DispatchAttempt, (DispatchAttempt.post_id == Post.id) & (DispatchAttempt.revision == Post.revision))
            .where(Post.state == "unknown")
            .group_by(
                Post.id,
                Post.revision,
                ChannelAccount.connector,
                ChannelAccount.channel,
                ChannelAccount.max_lateness_minutes,
                Post.scheduled_at,
            )
            .limit(limit)
        )
        rows = [Unknown(*r) for r in self.s.execute(q).all()]
        since = doubt.restarted(self.s, [r.post_id for r in rows])
        return [r._replace(restarted_at=since.get(r.post_id)) for r in rows]

    def open_jobs(self, connectors: list[str], since: datetime, limit: int) -> list[tuple[Post, ChannelAccount]]:
        """Sent posts on connectors that publish asynchronously whose job nobody has settled yet (no "resolved"
        event), sent since ``since``, oldest first."""
        settled = select(PostEvent.id).where(PostEvent.post_id == Post.id, PostEvent.kind == "resolved").exists()
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(
                Post.state == "sent",
                ChannelAccount.connector.in_(connectors),
                Post.external_id.is_not(None),
                Post.published_at >= since,
                ~settled,
            )
            .order_by(Post.published_at, Post.id)
            .limit(limit)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def settle_job(self, post_id: int, **values) -> bool:
        """What the platform finally did with a sent post's job; only while the post is still sent."""
        done = self.s.execute(
            update(Post)
            .where(Post.id == post_id, Post.state == "sent")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return done.rowcount == 1

    def in_doubt(self, post_ids: Iterable[int]) -> set[int]:
        return doubt.in_doubt(self.s, post_ids)

    def requeue_unknown(self, post_id: int, now: datetime) -> bool:
        done = self.s.execute(
            update(Post)
            .where(Post.id == post_id, Post.state == "unknown")
            .values(state="scheduled", run_at=now, last_error=REPLAYING, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return done.rowcount == 1

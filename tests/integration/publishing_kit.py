"""Builders for publishing tests: a workspace with channel accounts, scheduled posts, a scripted connector."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from campaigns.publishing import PostState
from connectors.base import Outcome, PostRequest, PublishResult
from data.models import ChannelAccount, Post, Workspace
from data.models_publish import DispatchAttempt, PostEvent
from tests.conftest import NOW


def workspace(c, slug: str = "p") -> int:
    with c.uow(write=True) as uow:
        ws = Workspace(slug=slug, name=slug, timezone="Asia/Shanghai", currency="CNY", created_at=NOW, salt="00" * 32)
        uow.workspaces.add(ws)
        uow.session.flush()
        return ws.id


def account(c, ws_id: int, name: str = "sandbox", connector: str = "sandbox", channel: str = "x", **extra) -> int:
    with c.uow(write=True) as uow:
        a = ChannelAccount(
            workspace_id=ws_id, connector=connector, channel=channel, name=name, timezone="Asia/Shanghai", **extra
        )
        uow.session.add(a)
        uow.session.flush()
        return a.id


def scheduled(c, ws_id: int, account_id: int, at: datetime = NOW, n: int = 1, body: str = "hello") -> list[int]:
    """Posts already approved and scheduled (the review flow has its own tests)."""
    rows = [
        dict(
            workspace_id=ws_id,
            channel_account_id=account_id,
            title="",
            body=f"{body} {i}",
            state=PostState.SCHEDULED.value,
            scheduled_at=at,
            run_at=at,
            created_at=NOW,
            revision=1,
            approved_revision=1,
            timezone="Asia/Shanghai",
        )
        for i in range(n)
    ]
    with c.uow(write=True) as uow:
        from sqlalchemy import insert

        ids = uow.session.execute(insert(Post).returning(Post.id), rows).scalars().all()
    return sorted(ids)


def post(c, post_id: int) -> Post:
    with c.uow() as uow:
        return uow.session.get(Post, post_id)


def states(c) -> dict[int, str]:
    with c.uow() as uow:
        return dict(uow.session.execute(select(Post.id, Post.state)).all())


def attempts(c, post_id: int | None = None) -> list[DispatchAttempt]:
    q = select(DispatchAttempt).order_by(DispatchAttempt.post_id, DispatchAttempt.attempt)
    if post_id is not None:
        q = q.where(DispatchAttempt.post_id == post_id)
    with c.uow() as uow:
        return list(uow.session.execute(q).scalars())


def events(c, post_id: int) -> list[str]:
    with c.uow() as uow:
        q = select(PostEvent.kind).where(PostEvent.post_id == post_id).order_by(PostEvent.id)
        return list(uow.session.execute(q).scalars())


@dataclass
class Scripted:
    """A connector that answers from a script (then "sent") and counts what it was asked to publish."""

    answers: list[PublishResult] = field(default_factory=list)
    published: list[PostRequest] = field(default_factory=list)
    name: str = "scripted"
    lock: threading.Lock = field(default_factory=threading.Lock)
    replay_window: timedelta | None = None  # set: the dispatcher records a batch's attempts in one commit

    def publish(self, post: PostRequest) -> PublishResult:
        with self.lock:
            self.published.append(post)
            if self.answers:
                return self.answers.pop(0)
        return PublishResult(Outcome.SENT, platform_id=f"id-{post.idempotency_key[:8]}", url="https://x.test/1")

    def check(self) -> PublishResult:
        return PublishResult(Outcome.SENT)

    def connect(self, name, credentials):
        return self

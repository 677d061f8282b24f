"""Publishing: each attempt to send a post (recorded before the platform is called), the post's
history and comments (who did what), media stored by Festa, and per-app rate-limit cool-downs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.models import _utc


class DispatchAttempt(SQLModel, table=True):
    __tablename__ = "dispatch_attempt"
    __table_args__ = (UniqueConstraint("post_id", "attempt"), Index("ix_dispatch_attempt_started", "started_at"))
    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", ondelete="CASCADE")
    attempt: int
    revision: int
    idempotency_key: str = Field(max_length=64)
    worker: str = Field(max_length=200)
    started_at: datetime = _utc()
    finished_at: datetime | None = _utc(nullable=True)
    outcome: str | None = Field(default=None, max_length=16)  # connectors.base.Outcome, or "lost_lease"
    message: str | None = Field(default=None, max_length=1000)
    external_id: str | None = Field(default=None, max_length=200)


class PostEvent(SQLModel, table=True):
    """A post's history: comments, review steps, dispatch outcomes. Kept with the post."""

    __tablename__ = "post_event"
    __table_args__ = (Index("ix_post_event_post", "post_id", "id"), Index("ix_post_event_kind_at", "kind", "at"))
    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", ondelete="CASCADE")
    at: datetime = _utc()
    actor: str = Field(max_length=254)  # an e-mail, or "worker:<host:pid>"
    kind: str = Field(max_length=24)  # campaigns.publishing.EventKind
    revision: int
    body: str = Field(default="", max_length=2000)


class MediaAsset(SQLModel, table=True):
    """An uploaded picture or video, kept in the database so every worker on every machine can send it."""

    __tablename__ = "media_asset"
    __table_args__ = (UniqueConstraint("workspace_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    sha256: str = Field(max_length=64)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class PostMedia(SQLModel, table=True):
    __tablename__ = "post_media"
    post_id: int = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    media_id: int = Field(foreign_key="media_asset.id", ondelete="RESTRICT", index=True)


class AppCooldown(SQLModel, table=True):
    """A platform app's own rate limit (X's per-app 24-hour cap, WeChat's daily quota): every account
    on the connector waits until ``until``."""

    __tablename__ = "app_cooldown"
    connector: str = Field(primary_key=True, max_length=32)
    until: datetime = _utc()
    message: str = Field(default="", max_length=500)

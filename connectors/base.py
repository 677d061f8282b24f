"""The one small protocol every connector speaks, and the typed outcomes the dispatcher acts on.

A connector is built for one channel account from its decrypted credentials and options, and
publishes one post at a time. It never retries and never waits out a rate limit (the only wait is
for a platform to finish processing uploaded video, bounded to 60 s): it says what happened, and the
dispatcher decides (retry only when the post surely did not go out; send `UNKNOWN` to
reconciliation or a person).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

DEFAULT_TIMEOUT = 20.0  # seconds for one HTTP exchange; shorter than the dispatcher's lease


class Outcome(StrEnum):
    SENT = "sent"  # the platform accepted the post (``platform_id``/``url`` say where)
    HANDED_OFF = "handed_off"  # no posting API: a person was asked to post it (manual connector)
    RATE_LIMITED = "rate_limited"  # not sent; try again at ``retry_at`` (``scope`` account or app)
    UNAUTHORIZED = "unauthorized"  # not sent; credentials revoked or expired: a person must reconnect
    REJECTED = "rejected"  # not sent and sending again will not help (validation, duplicate content)
    UNAVAILABLE = "unavailable"  # not sent: the platform could not be reached (connect error, refused)
    UNKNOWN = "unknown"  # it may or may not have gone out (timeout after sending, 5xx, unreadable answer)


class Scope(StrEnum):
    ACCOUNT = "account"
    APP = "app"


@dataclass(frozen=True, slots=True)
class Media:
    filename: str
    content_type: str  # image/jpeg, image/png, image/gif, video/mp4 ...
    data: bytes


@dataclass(frozen=True, slots=True)
class PostRequest:
    """One post to one account. ``idempotency_key`` is the same for every attempt of the same post:
    connectors pass it to platforms that accept one (Mastodon's ``Idempotency-Key``)."""

    text: str
    idempotency_key: str
    title: str = ""  # e-mail subject, WeChat article title, Feishu/DingTalk card title
    media: tuple[Media, ...] = ()
    reply_to: str | None = None  # the platform id of the post this one answers (threads)
    link: str | None = None  # a link already UTM-tagged by Festa
    options: Mapping[str, str] = field(default_factory=dict)  # per-connector extras (e.g. email "to")


@dataclass(frozen=True, slots=True)
class PublishResult:
    outcome: Outcome
    platform_id: str | None = None
    url: str | None = None
    retry_at: datetime | None = None  # RATE_LIMITED: when the limit resets (aware, UTC)
    scope: Scope | None = None  # RATE_LIMITED: whose limit
    message: str = ""  # for people: the platform's own words, never credentials
    duplicate: bool = False  # REJECTED because the platform already has this content

    @property
    def went_out(self) -> bool:
        return self.outcome in (Outcome.SENT, Outcome.HANDED_OFF)

    @property
    def surely_not_sent(self) -> bool:
        """Safe to try again later: the platform certainly did not publish it."""
        return self.outcome in (Outcome.RATE_LIMITED, Outcome.UNAVAILABLE)


class ConfigError(ValueError):
    """Credentials or options are missing or malformed; ``field`` names the first wrong one."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Connector(Protocol):
    name: str  # registry key: "x", "telegram", "email" ...
    # How long the platform remembers an idempotency key: within it, sending the same post again with
    # the same key cannot publish it twice, so an unknown outcome is settled by replaying it. None: no such
    # guarantee (the post waits for a person). Read from the class by the dispatcher.
    replay_window: timedelta | None

    def publish(self, post: PostRequest) -> PublishResult: ...

    def check(self) -> PublishResult:
        """Test the connection without posting (SENT meaning "works"; UNAUTHORIZED, UNAVAILABLE ...)."""
        ...


def redact(text: str, secrets: Mapping[str, str] | list[str]) -> str:
    """``text`` with every secret value blanked, for messages and logs."""
    values = secrets.values() if isinstance(secrets, Mapping) else secrets
    for value in values:
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text

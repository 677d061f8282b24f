"""Post states of the dispatcher (see ARCHITECTURE.md, "The dispatcher")."""

from __future__ import annotations

from enum import StrEnum


class PostState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    RETRY_WAIT = "retry_wait"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Channel(StrEnum):
    X = "x"
    WEIBO = "weibo"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    TELEGRAM = "telegram"
    EMAIL = "email"
    CHAT_BOT = "chat_bot"

"""Platforms without a posting API (Douyin, Xiaohongshu, KOL partners): the post is handed to a person.

No network. The reminder (the assignee's Overview) and "mark published with its URL" are the console's
(app/services/handoffs.py, posts.resolve).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from connectors.base import DEFAULT_TIMEOUT, Outcome, PostRequest, PublishResult

CREDENTIALS: tuple[str, ...] = ("assignee", "platform")  # who posts it (name or e-mail); where, for messages


class ManualConnector:
    name = "manual"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.assignee = (credentials.get("assignee") or "").strip()
        self.platform = (credentials.get("platform") or "").strip() or "the platform"

    def publish(self, post: PostRequest) -> PublishResult:
        who = (post.options.get("assignee") or "").strip() or self.assignee
        if not who:  # a hand-off to nobody would be a lost post
            return PublishResult(Outcome.REJECTED, message="nobody to hand this post to: set an assignee")
        return PublishResult(
            Outcome.HANDED_OFF,
            message=f"{who} must post this on {self.platform} by hand, then mark it published with its URL",
        )

    def check(self) -> PublishResult:
        who = f"; posts go to {self.assignee}" if self.assignee else "; no default assignee set"
        return PublishResult(Outcome.SENT, message=f"nothing to connect{who}")

"""The embedded default: nothing leaves Festa. A post "sent" here is kept by the dispatcher in the
post row itself and shown in the console's outbox, so the demo works with no accounts.

``credentials["behave"]`` makes it answer like a platform in trouble (``rate_limited``,
``unauthorized``, ``rejected``, ``unavailable``, ``unknown``): for trying the dispatcher's handling
of each outcome by hand and in tests."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope

CREDENTIALS: tuple[str, ...] = ()
BEHAVIOURS = {str(o) for o in Outcome} - {Outcome.HANDED_OFF}


class SandboxConnector:
    name = "sandbox"
    replay_window = timedelta(days=365)  # nothing leaves Festa: the same key always gives the same post id

    def __init__(self, credentials: Mapping[str, str], *, base_url=None, timeout=DEFAULT_TIMEOUT, clock=None):
        self.behave = credentials.get("behave", Outcome.SENT) or Outcome.SENT
        if self.behave not in BEHAVIOURS:
            raise ConfigError("behave", f"one of {', '.join(sorted(BEHAVIOURS))}")
        self.clock = clock or (lambda: datetime.now(UTC))

    def publish(self, post: PostRequest) -> PublishResult:
        outcome = Outcome(self.behave)
        if outcome is Outcome.SENT:
            # the same post (idempotency key) always gets the same id: a repeat is recognisable
            pid = "sandbox-" + hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:16]
            return PublishResult(Outcome.SENT, platform_id=pid, url=f"https://sandbox.festa.local/{pid}")
        if outcome is Outcome.RATE_LIMITED:
            return PublishResult(outcome, retry_at=self.clock() + timedelta(minutes=15), scope=Scope.ACCOUNT)
        return PublishResult(outcome, message=f"sandbox answers {outcome}")

    def check(self) -> PublishResult:
        return PublishResult(Outcome.SENT, message="the sandbox needs no connection")

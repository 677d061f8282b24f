"""What the dispatcher does with each outcome a connector reports: pure decisions, no I/O.

Outcomes are the string values of ``connectors.base.Outcome`` (campaigns imports nothing of the project).
A post is sent again only when it surely did not go out (rate limited, platform unreachable); an
unknown outcome goes to reconciliation or to a person, never to a blind retry.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from campaigns.publishing import Channel, PostState

# How late a post may still go out; older ones are marked missed (a festival greeting a day late is worse
# than none). Per account it can be set in Admin → Channel accounts.
MAX_LATENESS: dict[str, timedelta] = {
    Channel.EMAIL: timedelta(hours=6),
    Channel.DOUYIN: timedelta(hours=12),  # manual hand-offs: a person needs time
    Channel.XIAOHONGSHU: timedelta(hours=12),
}
DEFAULT_MAX_LATENESS = timedelta(hours=1)
MAX_UNAVAILABLE_RETRIES = 5  # platform unreachable: back off 1, 2, 4, 8, 16 min, then fail
BASE_BACKOFF = timedelta(minutes=1)
RATE_LIMIT_JITTER = timedelta(seconds=30)
MAX_COOLDOWN = timedelta(days=2)  # a reset time further out than this is the platform's mistake


def max_lateness(channel: str, minutes: int | None = None) -> timedelta:
    if minutes is not None:
        return timedelta(minutes=minutes)
    return MAX_LATENESS.get(channel, DEFAULT_MAX_LATENESS)


def is_missed(due: datetime, now: datetime, lateness: timedelta) -> bool:
    return now - due > lateness


def late_since(scheduled_at: datetime | None, restarted_at: datetime | None) -> datetime | None:
    """Where lateness is counted from: the scheduled time (retries, rate-limit waits and replays move only the
    next try), or a person's later "send it now" (Retry, "It did not go out"), which restarts the clock."""
    times = [t for t in (scheduled_at, restarted_at) if t is not None]
    return max(times) if times else None


def idempotency_key(post_id: int, account_id: int, revision: int) -> str:
    """The same for every attempt of the same text to the same account (dispatch.md §4)."""
    return hashlib.sha256(f"festa:{post_id}:{account_id}:{revision}".encode()).hexdigest()[:64]


@dataclass(frozen=True)
class Decision:
    state: PostState
    run_at: datetime | None = None  # RETRY_WAIT: when to try again
    pause_account_until: datetime | None = None
    pause_app_until: datetime | None = None
    needs_reauth: bool = False


def decide(
    outcome: str,
    now: datetime,
    *,
    retries: int = 0,
    retry_at: datetime | None = None,
    scope: str | None = None,
    rng: random.Random | None = None,
) -> Decision:
    """The next state for a post after one attempt. ``retries`` counts earlier attempts that surely
    did not go out because the platform was unreachable."""
    rnd = rng or random
    if outcome == "sent":
        return Decision(PostState.SENT)
    if outcome == "handed_off":
        return Decision(PostState.HANDED_OFF)
    if outcome == "rate_limited":
        reset = min(max(retry_at or now + timedelta(minutes=5), now), now + MAX_COOLDOWN)
        at = reset + timedelta(seconds=rnd.uniform(1, RATE_LIMIT_JITTER.total_seconds()))
        if scope == "app":
            return Decision(PostState.RETRY_WAIT, run_at=at, pause_app_until=at)
        return Decision(PostState.RETRY_WAIT, run_at=at, pause_account_until=at)
    if outcome == "unavailable":
        if retries >= MAX_UNAVAILABLE_RETRIES:
            return Decision(PostState.FAILED)
        wait = BASE_BACKOFF * (2**retries)
        return Decision(PostState.RETRY_WAIT, run_at=now + wait + timedelta(seconds=rnd.uniform(0, 5)))
    if outcome == "unauthorized":
        return Decision(PostState.FAILED, needs_reauth=True)
    if outcome == "rejected":
        return Decision(PostState.FAILED)
    return Decision(PostState.UNKNOWN)  # unknown, or anything a connector should not have said


def next_window_start(now: datetime, sent_times: list[datetime], per: timedelta, limit: int | None) -> datetime | None:
    """When an account with ``limit`` posts per ``per`` may post again, or None if it may post now."""
    if limit is None:
        return None
    recent = sorted(t for t in sent_times if t > now - per)
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + per

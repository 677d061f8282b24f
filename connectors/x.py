"""X (Twitter): tweets through tweepy's v2 ``Client.create_tweet``, media through the v1.1 upload (OAuth 1.0a).

tweepy 4.17 has no timeout for ``Client`` (tweepy #2024) and no host setting for it (``https://api.twitter.com``
is written into ``Client.request``; ``API`` always prefixes ``https://``), so both share one ``requests`` session
that sets the timeout and, for tests, rewrites the two X origins to ``base_url``. ``wait_on_rate_limit`` stays off.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import requests
import tweepy
from urllib3.exceptions import NewConnectionError

from campaigns.compose import weighted_length  # X's weighted count; also importable from here
from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
MAX_WEIGHTED = 280
MAX_PICTURES = 4
MEDIA_WAIT = 60.0  # seconds to let X finish processing a video; keep below the dispatcher's lease
_ORIGINS = ("https://api.twitter.com", "https://upload.twitter.com")
_DUPLICATE = "duplicate content"  # 403 "You are not allowed to create a Tweet with duplicate content."
_READ_ONLY = "oauth1 app permissions"  # 403 when the app's tokens were made without write permission


def compose(post: PostRequest) -> str:
    """The text with Festa's tagged link appended when the writer did not already put it in."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n{post.link}".strip()
    return post.text


class _Session(requests.Session):
    """One timeout for every exchange; in tests, X's origins rewritten to a local server."""

    def __init__(self, base_url: str | None, timeout: float) -> None:
        super().__init__()
        self._base, self._timeout = (base_url or "").rstrip("/"), timeout

    def request(self, method, url, *args, **kwargs):
        kwargs["timeout"] = self._timeout
        for origin in _ORIGINS if self._base else ():
            if url.startswith(origin):
                url = self._base + url[len(origin) :]
        return super().request(method, url, *args, **kwargs)


class _MediaFailed(Exception):
    """X took the upload but could not make it postable (processing failed or took too long)."""


def _credentials(credentials: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for key in CREDENTIALS:
        value = str(credentials.get(key) or "").strip()
        if not value:
            raise ConfigError(key, "is required")
        if any(c.isspace() for c in value):
            raise ConfigError(key, "must not contain spaces")
        out[key] = value
    return out


def _transport(exc: BaseException) -> BaseException:
    """The requests error under tweepy's wrapping (``API`` re-raises it as TweepyException)."""
    seen = exc
    while not isinstance(seen, requests.RequestException) and (seen.__cause__ or seen.__context__):
        seen = seen.__cause__ or seen.__context__
    return seen


def _not_connected(exc: BaseException) -> bool:
    """True only when no byte of the request can have reached X: refused, DNS, connect timeout."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if isinstance(exc, requests.ConnectionError) and exc.args else None
    return isinstance(reason, NewConnectionError)


class XConnector:
    name = "x"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._secrets = _credentials(credentials)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep, self._monotonic = time.sleep, time.monotonic  # only for video processing; tests replace them
        session = _Session(base_url, timeout)
        self._client = tweepy.Client(**self._secrets)  # wait_on_rate_limit defaults to False and stays so
        self._client.session = session
        auth = tweepy.OAuth1UserHandler(**self._secrets)
        self._api = tweepy.API(auth, timeout=timeout)
        self._api.session = session

    def publish(self, post: PostRequest) -> PublishResult:
        text = compose(post)
        if (n := weighted_length(text)) > MAX_WEIGHTED:
            return PublishResult(Outcome.REJECTED, message=f"{n} weighted characters; X takes {MAX_WEIGHTED}")
        moving = [m for m in post.media if m.content_type == "image/gif" or not m.content_type.startswith("image/")]
        if len(post.media) > MAX_PICTURES or (moving and len(post.media) > 1):
            return PublishResult(Outcome.REJECTED, message="X takes up to 4 pictures, or 1 GIF or video, per post")
        try:
            media_ids = [self._upload(m) for m in post.media]
        except _MediaFailed as exc:
            return PublishResult(Outcome.REJECTED, message=self._say(f"media: {exc}"))
        except Exception as exc:  # nothing was tweeted yet, whatever the upload's fate
            return self._failure(exc, tweeted=False)
        try:
            answer = self._client.create_tweet(
                text=text or None, media_ids=media_ids or None, in_reply_to_tweet_id=post.reply_to
            )
            tweet_id = str(answer.data["id"])
        except Exception as exc:
            return self._failure(exc, tweeted=None)
        return PublishResult(Outcome.SENT, platform_id=tweet_id, url=f"https://x.com/i/web/status/{tweet_id}")

    def check(self) -> PublishResult:
        try:
            user = self._client.get_me(user_auth=True).data
            url = f"https://x.com/{user.username}"
            return PublishResult(Outcome.SENT, platform_id=str(user.id), url=url, message=f"@{user.username}")
        except Exception as exc:
            return self._failure(exc, tweeted=None)

    def _upload(self, media) -> str:
        file = io.BytesIO(media.data)
        if media.content_type.startswith("image/") and media.content_type != "image/gif":
            return self._api.simple_upload(media.filename, file=file, media_category="tweet_image").media_id_string
        category = "tweet_gif" if media.content_type == "image/gif" else "tweet_video"
        up = self._api.chunked_upload(
            media.filename,
            file=file,
            file_type=media.content_type,
            media_category=category,
            wait_for_async_finalize=False,  # tweepy would sleep without a bound; the loop below has one
        )
        deadline = self._monotonic() + MEDIA_WAIT
        while (info := getattr(up, "processing_info", None)) and info.get("state") in ("pending", "in_progress"):
            if self._monotonic() >= deadline:
                raise _MediaFailed(f"X was still processing {media.filename} after {MEDIA_WAIT:.0f} s; not posted")
            self._sleep(min(float(info.get("check_after_secs", 1)), max(deadline - self._monotonic(), 0)))
            up = self._api.get_media_upload_status(up.media_id_string)
        if info and info.get("state") == "failed":
            raise _MediaFailed(f"{media.filename}: {(info.get('error') or {}).get('message', 'processing failed')}")
        return up.media_id_string

    def _failure(self, exc: Exception, *, tweeted: bool | None) -> PublishResult:
        """Map tweepy's exceptions; ``tweeted=False`` when the tweet itself surely was not created."""
        message = self._say(" ".join(str(exc).split()))
        if isinstance(exc, tweepy.TooManyRequests):
            return self._rate_limited(exc.response, message)
        if isinstance(exc, tweepy.Unauthorized):
            return PublishResult(Outcome.UNAUTHORIZED, message=message)
        if isinstance(exc, tweepy.Forbidden):
            texts = " ".join(map(str, exc.api_messages)).lower()
            if _DUPLICATE in texts or 187 in exc.api_codes:
                return PublishResult(Outcome.REJECTED, message=message, duplicate=True)
            if _READ_ONLY in texts:  # a person must give the app write access and reconnect
                return PublishResult(Outcome.UNAUTHORIZED, message=message)
            return PublishResult(Outcome.REJECTED, message=message)
        if isinstance(exc, tweepy.HTTPException) and not isinstance(exc, tweepy.TwitterServerError):
            return PublishResult(Outcome.REJECTED, message=message)  # 400, 404 and other 4xx
        if _not_connected(_transport(exc)):
            return PublishResult(Outcome.UNAVAILABLE, message=message)
        # 5xx, read timeout, dropped connection, unreadable 2xx: the tweet may exist
        return PublishResult(Outcome.UNAVAILABLE if tweeted is False else Outcome.UNKNOWN, message=message)

    def _rate_limited(self, response, message: str) -> PublishResult:
        """The app's 24-hour window (all accounts), else this user's 24-hour window, else the 15-minute one."""
        headers, now = response.headers, self._clock()

        def reset(window: str) -> datetime | None:
            try:
                return datetime.fromtimestamp(int(headers[f"{window}-reset"]), UTC)
            except (KeyError, ValueError, OverflowError):
                return None

        def spent(window: str) -> bool:
            return headers.get(f"{window}-remaining") == "0"

        try:
            capped = "usage-capped" in str(response.json().get("type", ""))  # the app's monthly product cap
        except (ValueError, AttributeError):
            capped = False
        if spent("x-app-limit-24hour") or capped:
            scope, at = Scope.APP, reset("x-app-limit-24hour") or (now + timedelta(hours=24) if capped else None)
        elif spent("x-user-limit-24hour"):
            scope, at = Scope.ACCOUNT, reset("x-user-limit-24hour")
        else:
            scope, at = Scope.ACCOUNT, None
        at = at or reset("x-rate-limit") or now + timedelta(minutes=15)
        return PublishResult(Outcome.RATE_LIMITED, retry_at=max(at, now), scope=scope, message=message)

    def _say(self, text: str) -> str:
        return redact(text, self._secrets)[:500]

"""Mastodon: ``POST /api/v1/statuses`` with the post's ``Idempotency-Key`` (kept by the server up to 1 hour),
media through ``POST /api/v2/media``. Any Mastodon-API server (Mastodon, GoToSocial, Pleroma ...) works."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import httpx

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Media, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("instance_url", "access_token")
MEDIA_WAIT = 60.0  # seconds to let the server finish a video (202 → 206 ... → 200); keep below the dispatcher's lease


def compose(post: PostRequest) -> str:
    """The text with Festa's tagged link appended when the writer did not already put it in."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n{post.link}".strip()
    return post.text


def _instance(value: str) -> str:
    url = value.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url  # "mastodon.social" is fine
    if not url.startswith("https://") or len(url) <= len("https://") or any(c.isspace() for c in url):
        raise ConfigError("instance_url", "must be the server's https:// address, e.g. https://mastodon.social")
    return url


class _MediaFailed(Exception):
    """The server took the upload but could not make it postable."""


class MastodonConnector:
    name = "mastodon"
    replay_window = timedelta(minutes=55)  # Mastodon keeps an Idempotency-Key for an hour (PR #2419)

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        instance = _instance(str(credentials.get("instance_url") or ""))
        token = str(credentials.get("access_token") or "").strip()
        if not token or any(c.isspace() for c in token):
            raise ConfigError("access_token", "is required (one word, from Preferences → Development)")
        self._secrets = {"access_token": token}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep, self._monotonic = time.sleep, time.monotonic  # only for video processing; tests replace them
        self._http = httpx.Client(
            base_url=(base_url or instance).rstrip("/"), timeout=timeout, headers={"Authorization": f"Bearer {token}"}
        )

    def publish(self, post: PostRequest) -> PublishResult:
        media_ids = []
        for media in post.media:
            try:
                media_ids.append(self._upload(media))
            except _MediaFailed as exc:
                return PublishResult(Outcome.REJECTED, message=self._say(f"media: {exc}"))
            except _Answer as answer:  # nothing posted yet, whatever became of the upload
                return answer.result if answer.result.outcome != Outcome.UNKNOWN else _not_posted(answer.result.message)
            except (KeyError, TypeError):
                return _not_posted("the answer to the upload had no media id")
        body: dict = {"status": compose(post)}
        if media_ids:
            body["media_ids"] = media_ids
        if post.reply_to:
            body["in_reply_to_id"] = post.reply_to
        for key in ("visibility", "language", "spoiler_text"):  # per-connector extras the composer may set
            if post.options.get(key):
                body[key] = post.options[key]
        try:
            key = {"Idempotency-Key": post.idempotency_key}
            status = self._call("POST", "/api/v1/statuses", json=body, headers=key)
            url = status.get("url") or status.get("uri")
            return PublishResult(Outcome.SENT, platform_id=str(status["id"]), url=url)
        except _Answer as answer:
            return answer.result
        except (KeyError, TypeError):
            return PublishResult(Outcome.UNKNOWN, message="the server's answer had no status id")

    def check(self) -> PublishResult:
        try:
            account = self._call("GET", "/api/v1/accounts/verify_credentials")
            return PublishResult(
                Outcome.SENT, platform_id=str(account["id"]), url=account.get("url"), message=f"@{account['acct']}"
            )
        except _Answer as answer:
            return answer.result
        except (KeyError, TypeError):
            return PublishResult(Outcome.UNKNOWN, message="the server's answer had no account")

    def _upload(self, media: Media) -> str:
        files = {"file": (media.filename, media.data, media.content_type)}
        attachment = self._call("POST", "/api/v2/media", files=files)
        media_id, deadline = str(attachment["id"]), self._monotonic() + MEDIA_WAIT
        while attachment.get("url") is None:  # 202: still processing; GET answers 206 until done
            if self._monotonic() >= deadline:
                raise _MediaFailed(f"the server was still processing {media.filename} after {MEDIA_WAIT:.0f} s")
            self._sleep(min(1.0, max(deadline - self._monotonic(), 0)))
            attachment = self._call("GET", f"/api/v1/media/{media_id}")
        return media_id

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """The JSON answer of a 2xx (206 gives ``{}``), or ``_Answer`` carrying the outcome."""
        try:
            response = self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:  # nothing left this machine
            raise _Answer(PublishResult(Outcome.UNAVAILABLE, message=self._say(_describe(exc)))) from exc
        except httpx.HTTPError as exc:  # read timeout, dropped connection: it may have been posted
            raise _Answer(PublishResult(Outcome.UNKNOWN, message=self._say(_describe(exc)))) from exc
        if response.status_code == 206:
            return {}
        try:
            data = response.json()
        except ValueError:
            data = None
        error = data.get("error", "") if isinstance(data, dict) else ""
        status = response.status_code
        message = self._say(f"{status} {error or response.reason_phrase}".strip())
        if 200 <= status < 300:
            if not isinstance(data, dict):
                raise _Answer(PublishResult(Outcome.UNKNOWN, message=f"{status} with an unreadable answer"))
            return data
        if status == 429:
            raise _Answer(self._rate_limited(response, message))
        if status in (401, 403):
            raise _Answer(PublishResult(Outcome.UNAUTHORIZED, message=message))
        if 400 <= status < 500:  # 422 validation, 404 reply target gone, 413 too large ...
            raise _Answer(PublishResult(Outcome.REJECTED, message=message))
        raise _Answer(PublishResult(Outcome.UNKNOWN, message=message))  # 5xx, odd codes

    def _rate_limited(self, response: httpx.Response, message: str) -> PublishResult:
        now = self._clock()
        try:
            at = datetime.fromisoformat(response.headers["X-RateLimit-Reset"])
            at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
        except (KeyError, ValueError):
            at = now + timedelta(minutes=5)  # Mastodon's windows are 5 minutes (30 for media)
        return PublishResult(Outcome.RATE_LIMITED, retry_at=max(at, now), scope=Scope.ACCOUNT, message=message)

    def _say(self, text: str) -> str:
        return redact(text, self._secrets)[:500]


class _Answer(Exception):
    def __init__(self, result: PublishResult) -> None:
        super().__init__(result.message)
        self.result = result


def _not_posted(message: str) -> PublishResult:
    """A media upload that ended in doubt: the status itself surely was not created, so it may be tried again."""
    return PublishResult(Outcome.UNAVAILABLE, message=f"media upload: {message}; not posted")


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

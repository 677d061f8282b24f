"""Sina Weibo: one post through the open API's share endpoint, ``POST https://api.weibo.com/2/statuses/share.json``
(open.weibo.com/wiki/2/statuses/share), form fields ``access_token`` and ``status``, and ``pic`` (multipart) for one
JPEG/GIF/PNG picture under 5 MB. The connection check is ``GET /2/account/get_uid.json``
(open.weibo.com/wiki/2/account/get_uid).

The status must contain a link inside the app's safe domain ("安全域名", set under 我的应用 → 应用信息 →
基本应用信息编辑): the post's tagged ``link`` when it has one, else the account's ``safe_url``. Errors are JSON
``{"error": "...", "error_code": 21327, "request": "/2/statuses/share.json"}`` (open.weibo.com/wiki/Error_code).
Weibo has no idempotency key and no way to look a share up by ours: a doubtful share goes to a person.

The access token travels in the form body (share) or the query string (get_uid), so every message is redacted and
httpx's own request log line is filtered (below).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import httpx

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("access_token", "safe_url")
API = "https://api.weibo.com"
# Since 2016 Weibo's posting endpoints take up to 2,000 characters (its announcement of 2016-01-20; the share wiki
# page still says 140 Chinese characters). Longer statuses are refused here before any call; Weibo's own refusal
# (20012 "Text too long") is REJECTED like any other 2xxxx.
MAX_CHARS = 2000
MAX_PICTURE_BYTES = 5 * 1024 * 1024  # "上传图片大小限制为<5M"
PICTURE_TYPES = ("image/jpeg", "image/gif", "image/png")

UNAUTHORIZED_CODES = frozenset({21314, 21315, 21316, 21317, 21318, 21319, 21327, 21332, 21501})  # token used/expired/
# revoked/rejected, accessor revoked, expired_token, invalid_access_token
RATE_LIMIT_CODES = {10022: Scope.APP, 10023: Scope.ACCOUNT, 10024: Scope.ACCOUNT}  # IP / user / user per API
DUPLICATE_CODES = frozenset({20017, 20019})  # "Repeated weibo text", "Repeat content"
DOUBTFUL_CODES = frozenset({10001, 10002, 10003, 10009, 10010, 10011})  # system error, busy, RPC: may have gone out

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"']+")


class _HideTokens(logging.Filter):
    """httpx logs every request URL at INFO; blank an access token in its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if _TOKEN_IN_URL.search(text):
            record.msg, record.args = _TOKEN_IN_URL.sub(r"\1***", text), ()
        return True


logging.getLogger("httpx").addFilter(_HideTokens())


def compose(post: PostRequest, safe_url: str | None) -> str | None:
    """The status text: the writer's text with the post's link (else ``safe_url``) appended when it is not in
    the text already; ``None`` when there is no link at all, which Weibo refuses for a share."""
    link = post.link or safe_url
    if not link:
        return None
    if link in post.text:
        return post.text
    return f"{post.text}\n{link}".strip()


def _url(value: str) -> str | None:
    url = value.strip()
    if not url:
        return None
    if not re.match(r"^https?://[^/\s]+\S*$", url):
        raise ConfigError("safe_url", "must be an http(s):// address inside the app's safe domain (安全域名)")
    return url


class WeiboConnector:
    name = "weibo"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        token = str(credentials.get("access_token") or "").strip()
        if not token or any(c.isspace() for c in token):
            raise ConfigError("access_token", "is required (one word, from the app's OAuth2 authorisation)")
        self.safe_url = _url(str(credentials.get("safe_url") or ""))
        self._token = token
        self._secrets = {"access_token": token}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._http = httpx.Client(base_url=(base_url or API).rstrip("/"), timeout=timeout)

    def publish(self, post: PostRequest) -> PublishResult:
        status = compose(post, self.safe_url)
        if status is None:
            return PublishResult(
                Outcome.REJECTED,
                message="Weibo shares need a link inside the app's safe domain: give the post a link "
                "or set safe_url for this account",
            )
        if len(status) > MAX_CHARS:
            return PublishResult(
                Outcome.REJECTED, message=f"a Weibo post takes up to {MAX_CHARS} characters with its link"
            )
        data = {"access_token": self._token, "status": status}
        if post.options.get("rip"):  # the real IP of the person who posts, which Weibo asks apps to report
            data["rip"] = post.options["rip"]
        files = None
        if post.media:
            picture = post.media[0]
            if len(post.media) > 1 or picture.content_type not in PICTURE_TYPES:
                return PublishResult(Outcome.REJECTED, message="a Weibo share takes one JPEG, GIF or PNG picture")
            if len(picture.data) >= MAX_PICTURE_BYTES:
                return PublishResult(Outcome.REJECTED, message="a Weibo picture must be smaller than 5 MB")
            files = {"pic": (picture.filename, picture.data, picture.content_type)}
        answer = self._call("POST", "/2/statuses/share.json", data=data, files=files)
        if isinstance(answer, PublishResult):
            return answer
        weibo_id = answer.get("idstr") or (str(answer["id"]) if isinstance(answer.get("id"), int) else None)
        if not weibo_id:
            return PublishResult(Outcome.UNKNOWN, message="Weibo answered without the post's id")
        user = answer.get("user") if isinstance(answer.get("user"), dict) else {}
        uid = user.get("idstr") or (str(user["id"]) if isinstance(user.get("id"), int) else None)
        url = f"https://weibo.com/{uid}/{weibo_id}" if uid else None
        return PublishResult(Outcome.SENT, platform_id=str(weibo_id), url=url)

    def check(self) -> PublishResult:
        """The token works: ``get_uid`` names the account it belongs to."""
        answer = self._call("GET", "/2/account/get_uid.json", params={"access_token": self._token})
        if isinstance(answer, PublishResult):
            return answer
        uid = answer.get("uid")
        if not isinstance(uid, int | str) or not str(uid):
            return PublishResult(Outcome.UNKNOWN, message="Weibo answered without a uid")
        return PublishResult(
            Outcome.SENT, platform_id=str(uid), url=f"https://weibo.com/u/{uid}", message=f"Weibo uid {uid}"
        )

    def _call(self, method: str, path: str, **kwargs) -> dict | PublishResult:
        """The JSON object of a 2xx answer, or the outcome of anything else."""
        try:
            response = self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:  # nothing left this machine
            return PublishResult(Outcome.UNAVAILABLE, message=self._say(_describe(exc)))
        except httpx.HTTPError as exc:  # read timeout, dropped connection: it may have been posted
            return PublishResult(Outcome.UNKNOWN, message=self._say(_describe(exc)))
        try:
            body = response.json()
        except ValueError:
            body = None
        status = response.status_code
        code = _code(body.get("error_code")) if isinstance(body, dict) else None
        if 200 <= status < 300 and code is None:
            if not isinstance(body, dict):
                return PublishResult(Outcome.UNKNOWN, message=f"{status} with an unreadable answer")
            return body
        if code is None:  # a gateway page or an answer without Weibo's error shape
            outcome = Outcome.REJECTED if 400 <= status < 500 else Outcome.UNKNOWN
            return PublishResult(outcome, message=self._say(f"{status} {response.reason_phrase}".strip()))
        message = self._say(f"{code} {body.get('error') or response.reason_phrase}".strip())
        if code in UNAUTHORIZED_CODES:
            return PublishResult(Outcome.UNAUTHORIZED, message=f"{message} (reconnect the Weibo account)")
        if code in RATE_LIMIT_CODES:
            now = self._clock().astimezone(UTC)
            at = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)  # Weibo counts per hour
            return PublishResult(Outcome.RATE_LIMITED, retry_at=at, scope=RATE_LIMIT_CODES[code], message=message)
        if code in DUPLICATE_CODES:
            return PublishResult(Outcome.REJECTED, duplicate=True, message=message)
        if code in DOUBTFUL_CODES or status >= 500:
            return PublishResult(Outcome.UNKNOWN, message=message)
        return PublishResult(Outcome.REJECTED, message=message)  # 2xxxx: bad text, link outside the safe domain ...

    def _say(self, text: str) -> str:
        return _TOKEN_IN_URL.sub(r"\1***", redact(text, self._secrets))[:500]


def _code(value: object) -> int | None:
    """Weibo's ``error_code``: a number, or a numeric string in older answers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

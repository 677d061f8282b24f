"""Chat-group bots (WeCom, DingTalk, Feishu/Lark, Slack) and a generic JSON webhook, over one HTTP core.

The webhook URL is the credential: it never appears in a message. None of these bots takes an
idempotency key, so a timeout or 5xx is UNKNOWN (a person looks at the group), never retried blindly.
None has a read-only endpoint either: ``check()`` only validates the URL unless ``send_test=True``.
Bots take text only; a post with media is REJECTED before anything is sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, quote_plus, urlsplit

import httpx

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("webhook_url", "secret")  # secret: DingTalk/Feishu signing, generic HMAC
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Webhook:
    """The shared core: URL checks, one POST, transport errors, rate limits, redaction."""

    name = ""
    label = ""
    path_hint = ""  # what a well-formed URL looks like, for ConfigError messages
    rate_wait = 60  # seconds to wait on a rate limit that names no reset time

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        url = (credentials.get("webhook_url") or "").strip()
        if not url:
            raise ConfigError("webhook_url", "missing")
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError("webhook_url", "not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise ConfigError("webhook_url", "must use https")
        if not self._well_formed(parts.path, parse_qs(parts.query)):
            raise ConfigError("webhook_url", f"does not look like a {self.label} webhook ({self.path_hint})")
        self.secret = (credentials.get("secret") or "").strip()
        # Every piece of the URL that may grant access (token-like path end, query values), to blank in messages.
        pieces = [parts.path.rsplit("/", 1)[-1]] + [v for values in parse_qs(parts.query).values() for v in values]
        self._secrets = [url, self.secret, parts.query] + [piece for piece in pieces if len(piece) >= 8]
        origin = base_url.rstrip("/") if base_url else f"{parts.scheme}://{parts.netloc}"
        self.url = origin + parts.path + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.clock = clock or _utc_now

    # --- flavour hooks -------------------------------------------------------------------------

    def _well_formed(self, path: str, query: dict[str, list[str]]) -> bool:
        raise NotImplementedError

    def _request(self, post: PostRequest) -> tuple[str, dict[str, str], bytes]:
        """(url, extra headers, body) for one post."""
        raise NotImplementedError

    def _answer(self, response: httpx.Response) -> PublishResult:
        raise NotImplementedError

    # --- the protocol --------------------------------------------------------------------------

    def publish(self, post: PostRequest) -> PublishResult:
        if post.media:
            return PublishResult(Outcome.REJECTED, message=f"{self.label} bots take text only; remove the media")
        url, headers, body = self._request(post)
        headers = {"Content-Type": "application/json; charset=utf-8", **headers}
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
                response = client.post(url, content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # No connection, so nothing was sent.
            return self._result(Outcome.UNAVAILABLE, f"could not reach {self.label}: {type(exc).__name__}")
        except httpx.TimeoutException:
            return self._result(
                Outcome.UNKNOWN,
                f"no answer from {self.label} within {self.timeout:g}s; "
                "the message may have been posted: look before sending it again",
            )
        except httpx.HTTPError as exc:
            return self._result(Outcome.UNKNOWN, f"{self.label} connection failed mid-request: {type(exc).__name__}")
        result = self._answer(response)
        return replace(result, message=self._safe(result.message))

    def check(self, *, send_test: bool = False) -> PublishResult:
        """Bots have no read-only endpoint: by default only the URL is checked and nothing is sent.
        ``send_test=True`` posts a short test message to the group."""
        if send_test:
            stamp = self.clock().strftime("%Y%m%dT%H%M%S")
            return self.publish(
                PostRequest(
                    text="Festa test message: this channel is connected.",
                    idempotency_key=f"festa-check-{stamp}",
                    title="Festa",
                )
            )
        return PublishResult(
            Outcome.SENT,
            message=f"{self.label} webhook URL is well-formed; bots have no read-only "
            "endpoint, so no test message was sent (send one to be sure)",
        )

    # --- helpers -------------------------------------------------------------------------------

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets)[:500]

    def _result(self, outcome: Outcome, message: str) -> PublishResult:
        return PublishResult(outcome, message=self._safe(message))

    def _rate_limited(self, message: str, response: httpx.Response | None = None) -> PublishResult:
        wait = _retry_after(response, self.clock()) if response is not None else None
        retry_at = wait or self.clock() + timedelta(seconds=self.rate_wait)
        return PublishResult(Outcome.RATE_LIMITED, retry_at=retry_at, scope=Scope.ACCOUNT, message=message)

    def _http_failure(self, response: httpx.Response) -> PublishResult | None:
        """What the HTTP status alone says, or None when the body must decide."""
        status, said = response.status_code, response.text.strip()[:200]
        if status == 429:
            return self._rate_limited(f"{self.label} HTTP 429 {said}", response)
        if status >= 500:
            return PublishResult(Outcome.UNKNOWN, message=f"{self.label} HTTP {status} {said}; it may have been posted")
        return None

    def _json_code(self, response: httpx.Response, code_keys: tuple[str, ...], msg_keys: tuple[str, ...]):
        """(code, message) from a JSON answer, or a PublishResult when there is no readable code."""
        failure = self._http_failure(response)
        if failure:
            return failure
        try:
            body = response.json()
            code = next(int(body[k]) for k in code_keys if k in body)
            msg = next((str(body[k]) for k in msg_keys if body.get(k)), "")
        except (ValueError, TypeError, StopIteration, AttributeError):
            if response.status_code in (401, 403, 404, 410):
                return PublishResult(
                    Outcome.UNAUTHORIZED,
                    message=f"{self.label} HTTP {response.status_code}: "
                    "the webhook is gone or refused; create a new one and reconnect",
                )
            if response.is_success:
                return PublishResult(
                    Outcome.UNKNOWN,
                    message=f"{self.label} answered HTTP {response.status_code} "
                    "without a readable code; it may have been posted",
                )
            return PublishResult(Outcome.REJECTED, message=f"{self.label} HTTP {response.status_code}")
        return code, msg


def _retry_after(response: httpx.Response, now: datetime) -> datetime | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value).astimezone(UTC) if value else None
    except (TypeError, ValueError):
        return None


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _plain(post: PostRequest) -> str:
    return "\n\n".join(part for part in (post.title, post.text, post.link) if part)


def _markdown(post: PostRequest, title_format: str) -> str:
    title = title_format.format(post.title) if post.title else ""
    parts = [title, post.text, f"[{post.link}]({post.link})" if post.link else ""]
    return "\n\n".join(part for part in parts if part)


class WeComBot(_Webhook):
    """企业微信 group robot. Docs: developer.work.weixin.qq.com/document/path/91770 (20 messages/minute per
    robot; markdown ≤ 4096 bytes, text ≤ 2048), global codes /document/path/90313; a minute-limit blocks 60 s
    (/document/path/90454)."""

    name, label, path_hint = "wecom", "WeCom", ".../cgi-bin/webhook/send?key=..."

    def _well_formed(self, path, query):
        return path.endswith("/cgi-bin/webhook/send") and bool(query.get("key", [""])[0])

    def _request(self, post):
        if post.options.get("msgtype") == "text":
            payload = {"msgtype": "text", "text": {"content": _plain(post)}}
        else:
            payload = {"msgtype": "markdown", "markdown": {"content": _markdown(post, "**{}**")}}
        return self.url, {}, _json(payload)

    def _answer(self, response):
        got = self._json_code(response, ("errcode",), ("errmsg",))
        if isinstance(got, PublishResult):
            return got
        code, msg = got
        said = f"WeCom {code}: {msg}"
        if code == 0:
            return PublishResult(Outcome.SENT, message=said)
        if code == 45009:  # api freq out of limit
            return self._rate_limited(said)
        if code == 93000:  # invalid webhook url: the robot was removed or the key is wrong
            return PublishResult(Outcome.UNAUTHORIZED, message=said)
        if code == -1:  # system busy, retry later: the platform did not take it
            return PublishResult(Outcome.UNAVAILABLE, message=said)
        return PublishResult(Outcome.REJECTED, message=said)  # 40008 bad msgtype, 44004 empty, 45002 too long ...


class DingTalkBot(_Webhook):
    """钉钉 custom robot, signed-secret mode when ``secret`` (SEC...) is given. Docs:
    open.dingtalk.com/document/robots/custom-robot-access: 20 messages/minute, then 10 minutes of throttling
    (130101 "send too fast"); 310000 covers keyword, signature, timestamp and IP-whitelist failures;
    300001/300005 "token is not exist"."""

    name, label, path_hint = "dingtalk", "DingTalk", ".../robot/send?access_token=..."
    rate_wait = 600

    def _well_formed(self, path, query):
        return path.endswith("/robot/send") and bool(query.get("access_token", [""])[0])

    def _request(self, post):
        if post.options.get("msgtype") == "text":
            payload = {"msgtype": "text", "text": {"content": _plain(post)}}
        else:
            title = post.title or (post.text.strip().splitlines() or ["Festa"])[0][:30]  # shown in notifications
            payload = {"msgtype": "markdown", "markdown": {"title": title, "text": _markdown(post, "#### {}")}}
        url = self.url
        if self.secret:
            timestamp = str(int(self.clock().timestamp() * 1000))
            url += f"&timestamp={timestamp}&sign={quote_plus(dingtalk_sign(self.secret, timestamp))}"
        return url, {}, _json(payload)

    def _answer(self, response):
        got = self._json_code(response, ("errcode",), ("errmsg",))
        if isinstance(got, PublishResult):
            return got
        code, msg = got
        said = f"DingTalk {code}: {msg}"
        if code == 0:
            return PublishResult(Outcome.SENT, message=said)
        if code == 130101:
            return self._rate_limited(said)
        if code == 310000 and "keyword" in msg.lower():
            return PublishResult(Outcome.REJECTED, message=said + " (the text lacks the robot's custom keyword)")
        if code in (310000, 300001, 300005):  # sign/timestamp/IP whitelist, or the token is gone
            return PublishResult(Outcome.UNAUTHORIZED, message=said)
        if code == -1:
            return PublishResult(Outcome.UNAVAILABLE, message=said)
        return PublishResult(Outcome.REJECTED, message=said)


def dingtalk_sign(secret: str, timestamp: str) -> str:
    """base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), before URL-encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class FeishuBot(_Webhook):
    """飞书/Lark custom bot, optional signature check. Docs: open.feishu.cn "自定义机器人使用指南":
    100 requests/minute and 5/second per bot, 11232 when throttled; 19021 sign mismatch or timestamp older
    than an hour; 19022 IP not allowed; 19024 keyword missing; 9499 is a generic "Bad Request" that also
    carries "too many request"."""

    name, label, path_hint = "feishu", "Feishu", ".../open-apis/bot/v2/hook/<token>"

    def _well_formed(self, path, query):
        head, _, token = path.rpartition("/")
        return head.endswith("/open-apis/bot/v2/hook") and bool(token)

    def _request(self, post):
        if post.title:  # a "post" (rich text) message carries a title
            lines = [[{"tag": "text", "text": post.text}]]
            if post.link:
                lines.append([{"tag": "a", "text": post.link, "href": post.link}])
            rich = {"zh_cn": {"title": post.title, "content": lines}}
            payload: dict = {"msg_type": "post", "content": {"post": rich}}
        else:
            payload = {"msg_type": "text", "content": {"text": _plain(post)}}
        if self.secret:
            timestamp = str(int(self.clock().timestamp()))
            payload = {"timestamp": timestamp, "sign": feishu_sign(self.secret, timestamp), **payload}
        return self.url, {}, _json(payload)

    def _answer(self, response):
        got = self._json_code(response, ("code", "StatusCode"), ("msg", "StatusMessage"))
        if isinstance(got, PublishResult):
            return got
        code, msg = got
        said = f"Feishu {code}: {msg}"
        if code == 0:
            return PublishResult(Outcome.SENT, message=said)
        if code == 11232 or (code == 9499 and ("too many" in msg.lower() or "limit" in msg.lower())):
            return self._rate_limited(said)
        if code in (19021, 19022) or (code == 19001 and "token" in msg.lower()):
            return PublishResult(Outcome.UNAUTHORIZED, message=said)
        return PublishResult(Outcome.REJECTED, message=said)


def feishu_sign(secret: str, timestamp: str) -> str:
    """base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")): Feishu signs an empty message."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class SlackWebhook(_Webhook):
    """Slack incoming webhook. Answers ``200 ok``; errors are HTTP statuses with a short body
    (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks): 400 invalid_payload /
    user_not_found, 403 action_prohibited / invalid_token, 404 channel_not_found / no_service,
    410 channel_is_archived, 429 with Retry-After (about one message a second), 500 rollup_error."""

    name, label, path_hint = "slack", "Slack", "https://hooks.slack.com/services/T.../B.../..."

    def _well_formed(self, path, query):
        return path.startswith("/services/") and len(path.strip("/").split("/")) == 4

    def _request(self, post):
        def esc(text: str) -> str:  # Slack's mrkdwn control characters
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        parts = [f"*{esc(post.title)}*" if post.title else "", esc(post.text), f"<{post.link}>" if post.link else ""]
        return self.url, {}, _json({"text": "\n".join(part for part in parts if part)})

    def _answer(self, response):
        failure = self._http_failure(response)
        if failure:
            return failure
        status, said = response.status_code, response.text.strip()[:200]
        message = f"Slack HTTP {status} {said}".strip()
        if response.is_success:
            return PublishResult(Outcome.SENT, message=message)
        if status in (404, 410) or (status == 403 and said != "action_prohibited"):
            return PublishResult(Outcome.UNAUTHORIZED, message=message + ": create a new webhook and reconnect")
        return PublishResult(Outcome.REJECTED, message=message)


class JsonWebhook(_Webhook):
    """Any endpoint: POST ``{"text", "title", "link", "idempotency_key"}`` with an ``Idempotency-Key`` header.
    With a ``secret``, ``X-Festa-Timestamp: <unix s>`` and ``X-Festa-Signature: sha256=<hex>`` where the
    HMAC-SHA256 covers ``f"{timestamp}."`` followed by the exact body bytes. 2xx SENT (``id``/``url`` read from
    a JSON answer), 409 a duplicate, 429 Retry-After, 401/403/404/410 UNAUTHORIZED, other 4xx REJECTED,
    5xx or no answer UNKNOWN."""

    name, label, path_hint = "webhook", "Webhook", "any https URL"

    def _well_formed(self, path, query):
        return True

    def _request(self, post):
        key = post.idempotency_key
        body = _json({"text": post.text, "title": post.title, "link": post.link, "idempotency_key": key})
        headers = {"Idempotency-Key": post.idempotency_key}
        if self.secret:
            timestamp = str(int(self.clock().timestamp()))
            headers["X-Festa-Timestamp"] = timestamp
            headers["X-Festa-Signature"] = "sha256=" + json_webhook_signature(self.secret, timestamp, body)
        return self.url, headers, body

    def _answer(self, response):
        failure = self._http_failure(response)
        if failure:
            return failure
        status, said = response.status_code, response.text.strip()[:200]
        if response.is_success:
            try:
                body = response.json()
            except ValueError:
                body = {}
            body = body if isinstance(body, dict) else {}
            pid, url = body.get("id"), body.get("url")
            return PublishResult(
                Outcome.SENT,
                platform_id=str(pid) if pid is not None else None,
                url=str(url) if url else None,
                message=f"HTTP {status}",
            )
        if status == 409:
            return PublishResult(Outcome.REJECTED, duplicate=True, message=f"HTTP 409 {said}: already received")
        if status in (401, 403, 404, 410):
            return PublishResult(Outcome.UNAUTHORIZED, message=f"HTTP {status} {said}: check the URL and secret")
        return PublishResult(Outcome.REJECTED, message=f"HTTP {status} {said}")


def json_webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``f"{timestamp}."`` + body, as receivers should recompute it."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


FLAVOURS = (WeComBot, DingTalkBot, FeishuBot, SlackWebhook, JsonWebhook)
CONNECTORS: dict[str, type[_Webhook]] = {flavour.name: flavour for flavour in FLAVOURS}

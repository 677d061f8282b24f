"""Telegram: a bot posts to a channel or group through the Bot API (``sendMessage`` / ``sendPhoto``).

The bot token travels in the URL path (``/bot<token>/<method>``), so every message is redacted and httpx's own
request log line is filtered (below). Telegram has no idempotency key: a doubtful send goes to a person.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import httpx

from campaigns.compose import telegram_length  # UTF-16 code units; also importable from here
from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("bot_token", "chat_id")
API = "https://api.telegram.org"
MAX_TEXT, MAX_CAPTION = 4096, 1024  # sendMessage text, sendPhoto caption
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_CHAT = re.compile(r"^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$")
_TOKEN_IN_TEXT = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


class _HideTokens(logging.Filter):
    """httpx logs every request URL at INFO; blank the bot token in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if _TOKEN_IN_TEXT.search(text):
            record.msg, record.args = _TOKEN_IN_TEXT.sub("bot***", text), ()
        return True


logging.getLogger("httpx").addFilter(_HideTokens())


def compose(post: PostRequest) -> str:
    """The text with Festa's tagged link appended when the writer did not already put it in."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n{post.link}".strip()
    return post.text


class TelegramConnector:
    name = "telegram"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        token = str(credentials.get("bot_token") or "").strip()
        if not _TOKEN.match(token):
            raise ConfigError("bot_token", "must look like 123456789:AA… (from @BotFather)")
        self.chat_id = str(credentials.get("chat_id") or "").strip()
        if not _CHAT.match(self.chat_id):
            raise ConfigError("chat_id", "must be @channelname or a numeric chat id such as -1001234567890")
        self._secrets = {"bot_token": token}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._http = httpx.Client(base_url=f"{(base_url or API).rstrip('/')}/bot{token}/", timeout=timeout)

    def publish(self, post: PostRequest) -> PublishResult:
        text = compose(post)
        if post.reply_to and not post.reply_to.isdigit():
            return PublishResult(Outcome.REJECTED, message=f"reply_to {post.reply_to!r} is not a Telegram message id")
        reply = {"reply_parameters": json.dumps({"message_id": int(post.reply_to)})} if post.reply_to else {}
        if not post.media:
            if not text.strip() or telegram_length(text) > MAX_TEXT:
                return PublishResult(Outcome.REJECTED, message=f"text must be 1–{MAX_TEXT} characters")
            answer = self._call("sendMessage", data={"chat_id": self.chat_id, "text": text, **reply})
        else:
            photo = post.media[0]
            if len(post.media) > 1 or not photo.content_type.startswith("image/") or photo.content_type == "image/gif":
                return PublishResult(
                    Outcome.REJECTED, message="this connector sends one photo (JPEG/PNG/WebP) per post"
                )
            if telegram_length(text) > MAX_CAPTION:
                return PublishResult(Outcome.REJECTED, message=f"a photo caption takes up to {MAX_CAPTION} characters")
            files = {"photo": (photo.filename, photo.data, photo.content_type)}
            answer = self._call("sendPhoto", data={"chat_id": self.chat_id, "caption": text, **reply}, files=files)
        if isinstance(answer, PublishResult):
            return answer
        try:
            message_id, chat = str(answer["message_id"]), answer.get("chat") or {}
        except (KeyError, TypeError):
            return PublishResult(Outcome.UNKNOWN, message="Telegram said ok without a message id")
        username = chat.get("username") or (self.chat_id[1:] if self.chat_id.startswith("@") else None)
        url = f"https://t.me/{username}/{message_id}" if username and chat.get("type") != "private" else None
        return PublishResult(Outcome.SENT, platform_id=message_id, url=url)

    def check(self) -> PublishResult:
        """The token works (getMe) and the bot can see the chat (getChat)."""
        me = self._call("getMe")
        if isinstance(me, PublishResult):
            return me
        chat = self._call("getChat", data={"chat_id": self.chat_id})
        if isinstance(chat, PublishResult):
            return chat
        title = chat.get("title") or chat.get("username") or self.chat_id
        return PublishResult(
            Outcome.SENT, platform_id=str(chat.get("id", "")), message=f"@{me.get('username')} → {title}"
        )

    def _call(self, method: str, *, data: dict | None = None, files: dict | None = None) -> dict | PublishResult:
        """``result`` of an ``ok`` answer, or the outcome of anything else."""
        try:
            response = self._http.post(method, data=data, files=files)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:  # nothing left this machine
            return PublishResult(Outcome.UNAVAILABLE, message=self._say(f"{type(exc).__name__}: {exc}"))
        except httpx.HTTPError as exc:  # read timeout, dropped connection: it may have been sent
            return PublishResult(Outcome.UNKNOWN, message=self._say(f"{type(exc).__name__}: {exc}"))
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return PublishResult(Outcome.UNKNOWN, message=f"{response.status_code} with an unreadable answer")
        if body.get("ok") is True and 200 <= response.status_code < 300:
            result = body.get("result")
            return result if isinstance(result, dict) else PublishResult(Outcome.UNKNOWN, message="ok without a result")
        code = body.get("error_code") if isinstance(body.get("error_code"), int) else response.status_code
        message = self._say(f"{code} {body.get('description') or response.reason_phrase}")
        params = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
        if code == 429:
            now = self._clock()
            wait = params.get("retry_after")
            at = now + timedelta(seconds=wait if isinstance(wait, int) and wait >= 0 else 60)
            return PublishResult(Outcome.RATE_LIMITED, retry_at=at, scope=Scope.ACCOUNT, message=message)
        if code in (401, 403):  # token revoked; bot blocked, kicked or not an admin of the channel
            return PublishResult(Outcome.UNAUTHORIZED, message=message)
        if "migrate_to_chat_id" in params:
            message += f" (the group is now chat {params['migrate_to_chat_id']}: update chat_id)"
        if 400 <= code < 500:
            return PublishResult(Outcome.REJECTED, message=message)
        return PublishResult(Outcome.UNKNOWN, message=message)  # 5xx, odd codes

    def _say(self, text: str) -> str:
        return _TOKEN_IN_TEXT.sub("bot***", redact(text, self._secrets))[:500]

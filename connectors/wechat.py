"""WeChat Official Account (公众号): a post becomes a one-article draft that is then submitted for publication.

Documented endpoints (developers.weixin.qq.com/doc/offiaccount, "基础接口", "素材管理", "草稿箱", "发布能力"):

- ``POST /cgi-bin/stable_token`` with JSON ``{"grant_type": "client_credential", "appid", "secret"}`` →
  ``access_token`` (getStableAccessToken: the same token while it is valid, independent of ``/cgi-bin/token``);
- ``POST /cgi-bin/material/add_material?type=image`` (multipart ``media``) → the cover's permanent ``media_id``;
- ``POST /cgi-bin/draft/add`` ``{"articles": [{title, content, thumb_media_id, content_source_url}]}`` → draft
  ``media_id``;
- ``POST /cgi-bin/freepublish/submit`` ``{"media_id"}`` → ``publish_id``: the publication *job* was accepted;
- ``POST /cgi-bin/freepublish/get`` ``{"publish_id"}`` → ``publish_status`` 0 published … 6 banned (``status()``).

WeChat answers errors with HTTP 200 and ``{"errcode": N, "errmsg": "..."}``. Calls after the token carry it in the
query string (``?access_token=``), so every message is redacted and httpx's request log line is filtered (below).

Publishing is asynchronous: ``publish`` returns SENT with ``platform_id`` = the ``publish_id`` once the job is
accepted, and ``status(publish_id)`` tells the dispatcher what became of it. Nothing is public before a successful
``freepublish/submit``, so a failure up to and including ``draft/add`` is "surely not sent" (at worst an unused image
or draft stays behind); from ``freepublish/submit`` on, only WeChat's own refusal proves the article is not out.
Nothing is cached across instances: each operation asks for a token.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Media, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("appid", "secret", "thumb_media_id")
API = "https://api.weixin.qq.com"
MAX_TITLE = 64  # characters the MP editor allows for a title; WeChat answers 45003 beyond its own limit
MAX_CONTENT = 20_000  # draft/add: content "必须少于2万字符, 小于1M"
MAX_CONTENT_BYTES = 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # add_material type=image: 10 MB, bmp/png/jpeg/jpg/gif
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/bmp")
SHANGHAI = ZoneInfo("Asia/Shanghai")

# 40001 invalid credential / token not latest, 40013 invalid appid, 40014 invalid access_token, 40125 invalid
# appsecret, 40164 calling IP not in the whitelist, 40243 AppSecret frozen, 42001 access_token expired
UNAUTHORIZED_CODES = frozenset({40001, 40013, 40014, 40125, 40164, 40243, 42001})
QUOTA_CODE = 45009  # "reach max api daily quota limit": the app's daily quota, reset at midnight Beijing time
BUSY_CODES = frozenset({-1, 45011})  # system busy / minute quota: nothing done before the draft, unknown at submit
PUBLISH_STATUS = {
    2: "the original-content (原创) check failed",
    3: "publishing failed (常规失败)",
    4: "WeChat's audit refused the article (平台审核不通过)",
    5: "the article was published, then deleted by the account (成功后用户删除所有文章)",
    6: "the article was published, then banned by WeChat (成功后系统封禁所有文章)",
}

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"']+")
_APPID = re.compile(r"^wx[0-9A-Za-z]{8,30}$")


class _HideTokens(logging.Filter):
    """httpx logs every request URL at INFO; blank the access token in its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if _TOKEN_IN_URL.search(text):
            record.msg, record.args = _TOKEN_IN_URL.sub(r"\1***", text), ()
        return True


logging.getLogger("httpx").addFilter(_HideTokens())


def article_html(post: PostRequest) -> str:
    """The article body: each non-empty line of the text an escaped paragraph, then the tagged link."""
    parts = [f"<p>{html.escape(line.strip())}</p>" for line in post.text.splitlines() if line.strip()]
    if post.link and post.link not in post.text:
        link = html.escape(post.link, quote=True)
        parts.append(f'<p><a href="{link}">{link}</a></p>')
    return "".join(parts)


def article_title(post: PostRequest) -> str:
    """The post's title, else its first line (shortened to ``MAX_TITLE``)."""
    if post.title.strip():
        return post.title.strip()
    first = next((line.strip() for line in post.text.splitlines() if line.strip()), "")
    return first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 1] + "…"


class WeChatConnector:
    name = "wechat"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.appid = str(credentials.get("appid") or "").strip()
        if not _APPID.match(self.appid):
            raise ConfigError("appid", "must be the account's AppID (wx…, from 设置与开发 → 基本配置)")
        secret = str(credentials.get("secret") or "").strip()
        if not secret or any(c.isspace() for c in secret):
            raise ConfigError("secret", "is required: the AppSecret from 设置与开发 → 基本配置")
        self.thumb_media_id = str(credentials.get("thumb_media_id") or "").strip() or None
        self._secret = secret
        self._hidden = {secret}  # and every access token this instance is given
        self._clock = clock or (lambda: datetime.now(UTC))
        self._http = httpx.Client(base_url=(base_url or API).rstrip("/"), timeout=timeout)

    # --- the connector protocol

    def publish(self, post: PostRequest) -> PublishResult:
        cover, refusal = self._cover(post)
        if refusal:
            return PublishResult(Outcome.REJECTED, message=refusal)
        title, content = article_title(post), article_html(post)
        if not title or not content:
            return PublishResult(Outcome.REJECTED, message="a WeChat article needs a title and some text")
        if len(title) > MAX_TITLE:
            return PublishResult(Outcome.REJECTED, message=f"a WeChat article title takes up to {MAX_TITLE} characters")
        if len(content) >= MAX_CONTENT or len(content.encode()) >= MAX_CONTENT_BYTES:
            return PublishResult(Outcome.REJECTED, message=f"a WeChat article must be under {MAX_CONTENT} characters")
        try:
            token = self._token()
            thumb = self._upload(token, cover) if cover else self.thumb_media_id
            article = {"title": title, "content": content, "thumb_media_id": thumb}
            if post.link:
                article["content_source_url"] = post.link  # "阅读原文"
            for key in ("author", "digest"):  # per-connector extras the composer may set
                if post.options.get(key):
                    article[key] = post.options[key]
            draft = self._call("draft/add", "/cgi-bin/draft/add", token, payload={"articles": [article]})
            draft_id = draft.get("media_id")
            if not isinstance(draft_id, str) or not draft_id:
                return PublishResult(
                    Outcome.UNAVAILABLE, message="draft/add answered without a media_id; not published"
                )
            # From here on the article may go out: only WeChat's refusal proves it did not.
            submit = {"media_id": draft_id}
            job = self._call(
                "freepublish/submit", "/cgi-bin/freepublish/submit", token, payload=submit, draft_id=draft_id
            )
        except _Answer as answer:
            if answer.code == 40007 and not cover and answer.result.message.startswith("draft/add"):
                return PublishResult(Outcome.REJECTED, message=f"{answer.result.message} (check thumb_media_id)")
            return answer.result
        publish_id = job.get("publish_id")
        if not isinstance(publish_id, str | int) or isinstance(publish_id, bool) or not str(publish_id):
            return PublishResult(
                Outcome.UNKNOWN, message=f"freepublish/submit said ok without a publish_id (draft {draft_id})"
            )
        return PublishResult(
            Outcome.SENT,
            platform_id=str(publish_id),
            message=f"publishing is asynchronous: WeChat accepted job {publish_id} for draft {draft_id}; "
            "the article is out once status() says so",
        )

    def check(self) -> PublishResult:
        """The AppID and AppSecret work from this machine's IP: WeChat issues a token."""
        try:
            self._token()
        except _Answer as answer:
            return answer.result
        return PublishResult(Outcome.SENT, platform_id=self.appid, message=f"access token issued for {self.appid}")

    def status(self, publish_id: str) -> PublishResult:
        """What became of a publication job (``freepublish/get``), for reconciliation.

        SENT (with the article's URL) once published; UNKNOWN while publishing, and whenever WeChat could not be
        asked or answered oddly (so the dispatcher asks again, never re-sends); REJECTED when the job failed or the
        article was taken down."""
        try:
            token = self._token()
            job = self._call("freepublish/get", "/cgi-bin/freepublish/get", token, payload={"publish_id": publish_id})
        except _Answer as answer:
            return PublishResult(
                Outcome.UNKNOWN,
                platform_id=publish_id,
                message=f"could not ask WeChat about job {publish_id}: {answer.result.message}",
            )
        state = job.get("publish_status")
        state = None if isinstance(state, bool) else state
        if state == 0:
            detail = job.get("article_detail") if isinstance(job.get("article_detail"), dict) else {}
            items = detail.get("item") if isinstance(detail.get("item"), list) else []
            url = items[0].get("article_url") if items and isinstance(items[0], dict) else None
            article = job.get("article_id")
            return PublishResult(
                Outcome.SENT,
                platform_id=publish_id,
                url=url if isinstance(url, str) and url else None,
                message=f"published (article_id {article})" if article else "published",
            )
        if state == 1:
            return PublishResult(Outcome.UNKNOWN, platform_id=publish_id, message=f"job {publish_id} still publishing")
        if state in PUBLISH_STATUS:
            failed = job.get("fail_idx")
            extra = f" (failed articles: {failed})" if failed else ""
            return PublishResult(
                Outcome.REJECTED, platform_id=publish_id, message=f"{state}: {PUBLISH_STATUS[state]}{extra}"
            )
        return PublishResult(
            Outcome.UNKNOWN, platform_id=publish_id, message=self._say(f"freepublish/get: publish_status {state!r}")
        )

    # --- steps

    def _cover(self, post: PostRequest) -> tuple[Media | None, str]:
        """The picture to upload as the cover (or None to use ``thumb_media_id``), or why the post cannot go."""
        if len(post.media) > 1 or any(m.content_type not in IMAGE_TYPES for m in post.media):
            return None, "a WeChat article takes one cover picture (JPEG, PNG, GIF or BMP)"
        if post.media:
            if len(post.media[0].data) > MAX_IMAGE_BYTES:
                return None, "a WeChat cover picture must be at most 10 MB"
            return post.media[0], ""
        if not self.thumb_media_id:
            return None, (
                "a WeChat article needs a cover: attach a picture to the post, or set thumb_media_id "
                "(the media_id of a permanent image) for this account"
            )
        return None, ""

    def _token(self) -> str:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self._secret}
        answer = self._call("stable_token", "/cgi-bin/stable_token", None, payload=body)
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise _Answer(PublishResult(Outcome.UNAVAILABLE, message="stable_token answered without an access_token"))
        self._hidden.add(token)
        return token

    def _upload(self, token: str, media: Media) -> str:
        files = {"media": (media.filename, media.data, media.content_type)}
        path, image = "/cgi-bin/material/add_material", {"type": "image"}
        answer = self._call("add_material", path, token, params=image, files=files)
        media_id = answer.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise _Answer(PublishResult(Outcome.UNAVAILABLE, message="add_material answered without a media_id"))
        return media_id

    def _call(
        self,
        step: str,
        path: str,
        token: str | None,
        *,
        payload: dict | None = None,
        params: dict | None = None,
        files: dict | None = None,
        draft_id: str | None = None,
    ) -> dict:
        """The JSON answer of a successful call, or ``_Answer`` carrying the outcome. ``draft_id`` is set for
        ``freepublish/submit``, where anything but WeChat's refusal (or no connection at all) leaves it UNKNOWN."""
        query = {**(params or {}), **({"access_token": token} if token else {})}
        content, headers = None, None
        if payload is not None:  # UTF-8 as is: WeChat shows \uXXXX escapes literally in articles
            content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        after = f" (draft {draft_id} stays in the draft box)" if draft_id else ""
        doubt = Outcome.UNKNOWN if draft_id else Outcome.UNAVAILABLE
        not_out = "" if draft_id else "; nothing was published"
        try:
            response = self._http.post(path, params=query, content=content, headers=headers, files=files)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:  # nothing left this machine
            raise _Answer(
                PublishResult(Outcome.UNAVAILABLE, message=self._say(f"{step}: {_describe(exc)}{after}"))
            ) from exc
        except httpx.HTTPError as exc:  # read timeout, dropped connection
            raise _Answer(PublishResult(doubt, message=self._say(f"{step}: {_describe(exc)}{not_out}{after}"))) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        status = response.status_code
        if not 200 <= status < 300:  # WeChat itself answers 200; this is a gateway's page
            what = f"{status} {response.reason_phrase}".strip()
            raise _Answer(PublishResult(doubt, message=self._say(f"{step}: {what}{not_out}{after}")))
        if not isinstance(body, dict):
            raise _Answer(PublishResult(doubt, message=f"{step}: {status} with an unreadable answer{not_out}{after}"))
        code = body.get("errcode", 0)
        if code in (0, None):
            return body
        if not isinstance(code, int) or isinstance(code, bool):
            raise _Answer(PublishResult(doubt, message=self._say(f"{step}: errcode {code!r}{not_out}{after}")))
        message = self._say(f"{step}: {code} {body.get('errmsg') or ''}".strip())
        if code in UNAUTHORIZED_CODES:
            hint = (
                " — add this server's IP address to the IP whitelist (设置与开发 → 基本配置 → IP白名单)"
                if code == 40164
                else " — check the AppID/AppSecret and reconnect"
            )
            raise _Answer(PublishResult(Outcome.UNAUTHORIZED, message=f"{message}{hint}{after}"), code)
        if code == QUOTA_CODE:
            raise _Answer(
                PublishResult(
                    Outcome.RATE_LIMITED, retry_at=self._midnight(), scope=Scope.APP, message=f"{message}{after}"
                ),
                code,
            )
        if code in BUSY_CODES:
            raise _Answer(PublishResult(doubt, message=f"{message}{not_out}{after}"), code)
        raise _Answer(PublishResult(Outcome.REJECTED, message=f"{message}{after}"), code)  # 53503 … and the rest

    def _midnight(self) -> datetime:
        """The next midnight in Beijing time, when WeChat resets daily API quotas (aware, UTC)."""
        tomorrow = self._clock().astimezone(SHANGHAI).date() + timedelta(days=1)
        return datetime.combine(tomorrow, time(0), tzinfo=SHANGHAI).astimezone(UTC)

    def _say(self, text: str) -> str:
        return _TOKEN_IN_URL.sub(r"\1***", redact(text, list(self._hidden)))[:500]


class _Answer(Exception):
    def __init__(self, result: PublishResult, code: int | None = None) -> None:
        super().__init__(result.message)
        self.result, self.code = result, code


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

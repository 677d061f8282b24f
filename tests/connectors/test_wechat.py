"""The WeChat Official Account connector against a local server answering as developers.weixin.qq.com documents
getStableAccessToken, add_material, draft/add, freepublish/submit and freepublish/get (errors: HTTP 200 with
``{"errcode": N, "errmsg": "..."}``)."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import UTC, datetime

import pytest
from werkzeug import Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.wechat import CREDENTIALS, MAX_TITLE, WeChatConnector, article_html, article_title

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
MIDNIGHT = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 2026-11-25 00:00 Asia/Shanghai
APPID = "wx8f1c2a3b4d5e6f70"
SECRET = "3c93e33e087e57b906f5c341aa5223b9"
TOKEN = "81_kGHwLs7Fh0vT5kq9xQeRfesta2026ZzYyXxWwVvUuTtSsRrQqPpOoNnMmLlKkJjIiHhGgFf"
CREDS = {"appid": APPID, "secret": SECRET, "thumb_media_id": "THUMB_kept_in_the_library"}
TOKEN_PATH, MATERIAL, DRAFT = "/cgi-bin/stable_token", "/cgi-bin/material/add_material", "/cgi-bin/draft/add"
SUBMIT, GET = "/cgi-bin/freepublish/submit", "/cgi-bin/freepublish/get"
LINK = "https://festa.shop/mid-autumn?utm_source=wechat&utm_medium=social"
COVER = Media("cover.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64)
PUBLISHED = {
    "publish_id": "2247483670",
    "publish_status": 0,
    "article_id": "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy",
    "article_detail": {"count": 1, "item": [{"idx": 1, "article_url": "https://mp.weixin.qq.com/s/b5O2OUs25HBx"}]},
    "fail_idx": [],
}


def connector(httpserver, creds=CREDS, timeout: float = 5.0, now: datetime = NOW) -> WeChatConnector:
    return WeChatConnector(creds, base_url=httpserver.url_for(""), timeout=timeout, clock=lambda: now)


def post(text: str = "中秋大促今晚开抢\n满300减50 <限时>", **kw) -> PostRequest:
    kw.setdefault("title", "中秋大促")
    return PostRequest(text=text, idempotency_key="post-7-acct-6-rev-1", **kw)


def err(code: int, message: str) -> dict:
    return {"errcode": code, "errmsg": f"{message} rid: 6749e1a3-4b2c1d0e-1f2a3b4c"}


def token_ok(httpserver):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json({"access_token": TOKEN, "expires_in": 7200})


def all_ok(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(MATERIAL, method="POST").respond_with_json(
        {"media_id": "COVER_MEDIA_ID_1", "url": "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0"}
    )
    httpserver.expect_request(DRAFT, method="POST").respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT, method="POST").respond_with_json(
        {"errcode": 0, "errmsg": "ok", "publish_id": "2247483670", "msg_data_id": 2247483671}
    )


def requests_to(httpserver, path: str) -> list:
    """The requests this test sent to ``path`` (a slow handler of another test may still log into the server)."""
    return [req for req, _ in httpserver.log if req.path == path]


def calls(httpserver) -> list:
    return [req.path for req, _ in httpserver.log if req.path.startswith("/cgi-bin/")]


def clean(result):
    assert TOKEN not in result.message and SECRET not in result.message
    return result


@pytest.mark.parametrize(
    "creds, field",
    [
        ({"secret": SECRET}, "appid"),
        ({**CREDS, "appid": "festa"}, "appid"),
        ({**CREDS, "secret": ""}, "secret"),
        ({**CREDS, "secret": "3c93 e33e"}, "secret"),
    ],
)
def test_credentials_are_checked(creds, field):
    assert CREDENTIALS == ("appid", "secret", "thumb_media_id")
    with pytest.raises(ConfigError) as error:
        WeChatConnector(creds)
    assert error.value.field == field and SECRET not in str(error.value)
    assert WeChatConnector({"appid": APPID, "secret": SECRET}).thumb_media_id is None  # optional


def test_article_html_escapes_and_makes_paragraphs():
    body = article_html(post("满300减50 <b>&</b>\n\n  second line  ", link=LINK))
    assert body == (
        "<p>满300减50 &lt;b&gt;&amp;&lt;/b&gt;</p><p>second line</p>"
        '<p><a href="https://festa.shop/mid-autumn?utm_source=wechat&amp;utm_medium=social">'
        "https://festa.shop/mid-autumn?utm_source=wechat&amp;utm_medium=social</a></p>"
    )
    assert article_html(post(f"see {LINK}", link=LINK)).count("festa.shop") == 1  # the link is not repeated
    assert article_title(post("第一行\n第二行", title="")) == "第一行"
    assert article_title(post("长" * 100, title="")) == "长" * (MAX_TITLE - 1) + "…"


def test_publish_uploads_the_cover_saves_a_draft_and_submits_it(httpserver):
    all_ok(httpserver)
    result = clean(connector(httpserver).publish(post(link=LINK, media=(COVER,), options={"author": "Festa"})))
    assert (result.outcome, result.platform_id, result.url) == (Outcome.SENT, "2247483670", None)
    assert "asynchronous" in result.message and "DRAFT_MEDIA_ID_1" in result.message

    token = requests_to(httpserver, TOKEN_PATH)[-1]
    assert json.loads(token.data) == {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}

    upload = requests_to(httpserver, MATERIAL)[-1]
    assert upload.args["type"] == "image" and upload.args["access_token"] == TOKEN
    assert upload.files["media"].filename == "cover.jpg" and upload.files["media"].read() == COVER.data

    draft = requests_to(httpserver, DRAFT)[-1]
    assert draft.args["access_token"] == TOKEN
    assert "中秋大促".encode() in draft.data  # UTF-8 as is, never \\u escapes (WeChat would show them)
    (article,) = json.loads(draft.data)["articles"]
    assert article == {
        "title": "中秋大促",
        "content": article_html(post(link=LINK)),
        "thumb_media_id": "COVER_MEDIA_ID_1",
        "content_source_url": LINK,
        "author": "Festa",
    }
    assert "&lt;限时&gt;" in article["content"]

    submit = requests_to(httpserver, SUBMIT)[-1]
    assert submit.args["access_token"] == TOKEN and json.loads(submit.data) == {"media_id": "DRAFT_MEDIA_ID_1"}


def test_without_a_picture_the_accounts_thumb_is_used(httpserver):
    all_ok(httpserver)
    assert connector(httpserver).publish(post()).outcome == Outcome.SENT
    assert requests_to(httpserver, MATERIAL) == []
    (article,) = json.loads(requests_to(httpserver, DRAFT)[-1].data)["articles"]
    assert article["thumb_media_id"] == "THUMB_kept_in_the_library" and "content_source_url" not in article


def test_no_picture_and_no_thumb_is_refused_before_any_call(httpserver):
    all_ok(httpserver)
    result = connector(httpserver, {"appid": APPID, "secret": SECRET}).publish(post(link=LINK))
    assert result.outcome == Outcome.REJECTED and "cover" in result.message and "thumb_media_id" in result.message
    assert calls(httpserver) == []


def test_other_refusals_make_no_calls(httpserver):
    all_ok(httpserver)
    w = connector(httpserver)
    assert w.publish(post(media=(Media("clip.mp4", "video/mp4", b"\0"),))).outcome == Outcome.REJECTED
    assert w.publish(post(media=(COVER, COVER))).outcome == Outcome.REJECTED
    assert w.publish(post(media=(Media("a.jpg", "image/jpeg", b"\0" * (10 * 1024 * 1024 + 1)),))).outcome == (
        Outcome.REJECTED
    )
    assert w.publish(post(title="标" * (MAX_TITLE + 1))).outcome == Outcome.REJECTED
    assert w.publish(post("", title="")).outcome == Outcome.REJECTED
    assert w.publish(post("字" * 20_000)).outcome == Outcome.REJECTED
    assert calls(httpserver) == []


@pytest.mark.parametrize(
    "code, message, hint",
    [
        (40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist", "IP whitelist"),
        (40125, "invalid appsecret", "AppSecret"),
        (40013, "invalid appid", "AppID"),
        (40001, "invalid credential, access_token is invalid or not latest", "reconnect"),
    ],
)
def test_token_refusals_are_unauthorized(httpserver, code, message, hint):
    httpserver.expect_request(TOKEN_PATH).respond_with_json(err(code, message))
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNAUTHORIZED and str(code) in result.message and hint in result.message
    assert requests_to(httpserver, DRAFT) == []
    assert clean(connector(httpserver).check()).outcome == Outcome.UNAUTHORIZED


@pytest.mark.parametrize("path", [DRAFT, SUBMIT])
@pytest.mark.parametrize("code", [40014, 42001])
def test_expired_or_invalid_tokens_later_are_unauthorized(httpserver, path, code):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json(
        err(code, "access_token expired") if path == DRAFT else {"media_id": "DRAFT_MEDIA_ID_1"}
    )
    httpserver.expect_request(SUBMIT).respond_with_json(err(code, "access_token expired"))
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNAUTHORIZED
    assert ("DRAFT_MEDIA_ID_1" in result.message) == (path == SUBMIT)


def test_daily_quota_waits_for_midnight_in_beijing(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json(err(45009, "reach max api daily quota limit"))
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.scope, result.retry_at) == (Outcome.RATE_LIMITED, Scope.APP, MIDNIGHT)
    assert result.surely_not_sent and requests_to(httpserver, SUBMIT) == []
    late = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # 01:30 on the 25th in Beijing
    result = connector(httpserver, now=late).publish(post())
    assert result.retry_at == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("code", [-1, 45011])
@pytest.mark.parametrize("path", [TOKEN_PATH, MATERIAL, DRAFT])
def test_busy_before_the_submit_is_surely_not_sent(httpserver, code, path):
    answers = {
        TOKEN_PATH: {"access_token": TOKEN, "expires_in": 7200},
        MATERIAL: {"media_id": "COVER_MEDIA_ID_1", "url": "http://mmbiz.qpic.cn/x/0"},
        DRAFT: {"media_id": "DRAFT_MEDIA_ID_1"},
    }
    for p, answer in answers.items():
        httpserver.expect_request(p).respond_with_json(err(code, "system error") if p == path else answer)
    result = clean(connector(httpserver).publish(post(media=(COVER,))))
    assert result.outcome == Outcome.UNAVAILABLE and result.surely_not_sent and str(code) in result.message
    assert requests_to(httpserver, SUBMIT) == []


@pytest.mark.parametrize("code", [-1, 45011])
def test_busy_at_the_submit_is_unknown(httpserver, code):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT).respond_with_json(err(code, "system error"))
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNKNOWN and not result.surely_not_sent and "DRAFT_MEDIA_ID_1" in result.message


@pytest.mark.parametrize(
    "code, message",
    [
        (53503, "该草稿未通过发布检查"),
        (53504, "需前往公众平台官网使用草稿"),
        (53505, "请手动保存成功后再发表"),
        (48001, "api unauthorized"),
    ],
)
def test_a_refused_submit_is_rejected_and_names_the_draft(httpserver, code, message):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT).respond_with_json(err(code, message))
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.REJECTED and not result.surely_not_sent
    assert str(code) in result.message and message in result.message and "DRAFT_MEDIA_ID_1" in result.message


def test_a_refused_draft_is_rejected_and_a_bad_thumb_is_named(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json(err(40007, "invalid media_id"))
    result = connector(httpserver).publish(post())
    assert result.outcome == Outcome.REJECTED and "check thumb_media_id" in result.message
    httpserver.clear()
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json(err(45003, "title size out of limit"))
    assert connector(httpserver).publish(post()).outcome == Outcome.REJECTED
    assert requests_to(httpserver, SUBMIT) == []


def test_tokens_and_secrets_echoed_in_error_bodies_are_redacted(httpserver, caplog):
    httpserver.expect_request(TOKEN_PATH).respond_with_json(err(40125, f"invalid appsecret {SECRET}"))
    assert "***" in clean(connector(httpserver).publish(post())).message
    httpserver.clear()
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT).respond_with_json(
        err(40001, f"invalid credential, access_token is invalid or not latest, access_token={TOKEN}")
    )
    with caplog.at_level(logging.INFO, logger="httpx"):
        result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNAUTHORIZED and "access_token=***" in result.message
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and all(TOKEN not in line for line in lines)
    assert any("access_token=***" in line for line in lines)


def test_gateway_pages_and_malformed_json(httpserver):
    httpserver.expect_request(TOKEN_PATH).respond_with_data('{"access_token": "81_kGH', content_type="text/plain")
    assert connector(httpserver).publish(post()).outcome == Outcome.UNAVAILABLE
    httpserver.clear()
    httpserver.expect_request(TOKEN_PATH).respond_with_data("<html>502 Bad Gateway</html>", status=502)
    assert connector(httpserver).publish(post()).outcome == Outcome.UNAVAILABLE
    httpserver.clear()
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"errcode": 0})  # no media_id
    assert connector(httpserver).publish(post()).outcome == Outcome.UNAVAILABLE
    for answer in ("<html>502 Bad Gateway</html>", '{"errcode":0,"publish_id":"22474'):
        httpserver.clear()
        token_ok(httpserver)
        httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
        httpserver.expect_request(SUBMIT).respond_with_data(answer, status=502 if "html" in answer else 200)
        result = clean(connector(httpserver).publish(post()))
        assert result.outcome == Outcome.UNKNOWN and "DRAFT_MEDIA_ID_1" in result.message
    httpserver.clear()
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT).respond_with_json({"errcode": 0, "errmsg": "ok"})  # no publish_id
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN


def _slow(answer: dict):
    def handler(request):
        time.sleep(0.6)
        return Response(json.dumps(answer), 200, content_type="application/json")

    return handler


def _drain(httpserver, path: str) -> None:
    deadline = time.monotonic() + 5
    while not requests_to(httpserver, path) and time.monotonic() < deadline:  # let the handler finish
        time.sleep(0.05)


def test_timeout_at_the_submit_is_unknown(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(DRAFT).respond_with_json({"media_id": "DRAFT_MEDIA_ID_1"})
    httpserver.expect_request(SUBMIT).respond_with_handler(_slow({"errcode": 0, "publish_id": "2247483670"}))
    result = clean(connector(httpserver, timeout=0.2).publish(post()))
    assert result.outcome == Outcome.UNKNOWN and not result.surely_not_sent and "DRAFT_MEDIA_ID_1" in result.message
    _drain(httpserver, SUBMIT)


@pytest.mark.parametrize("path", [MATERIAL, DRAFT])
def test_timeout_before_the_submit_is_surely_not_sent(httpserver, path):
    token_ok(httpserver)
    if path == MATERIAL:
        httpserver.expect_request(MATERIAL).respond_with_handler(_slow({"media_id": "COVER_MEDIA_ID_1"}))
    else:
        httpserver.expect_request(MATERIAL).respond_with_json({"media_id": "COVER_MEDIA_ID_1"})
        httpserver.expect_request(DRAFT).respond_with_handler(_slow({"media_id": "DRAFT_MEDIA_ID_1"}))
    result = clean(connector(httpserver, timeout=0.2).publish(post(media=(COVER,))))
    assert result.outcome == Outcome.UNAVAILABLE and "nothing was published" in result.message
    _drain(httpserver, path)
    assert requests_to(httpserver, SUBMIT) == [] and (path == DRAFT or requests_to(httpserver, DRAFT) == [])


def test_connection_refused_is_unavailable_but_never_for_status():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    w = WeChatConnector(CREDS, base_url=f"http://127.0.0.1:{port}", timeout=2.0)
    assert clean(w.publish(post())).outcome == Outcome.UNAVAILABLE
    assert clean(w.check()).outcome == Outcome.UNAVAILABLE
    result = clean(w.status("2247483670"))
    assert result.outcome == Outcome.UNKNOWN and not result.surely_not_sent


def test_check_gets_a_token(httpserver):
    token_ok(httpserver)
    result = clean(connector(httpserver).check())
    assert (result.outcome, result.platform_id) == (Outcome.SENT, APPID)
    assert calls(httpserver) == [TOKEN_PATH]


def test_status_of_a_published_job(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(GET, method="POST", json={"publish_id": "2247483670"}).respond_with_json(PUBLISHED)
    result = clean(connector(httpserver).status("2247483670"))
    assert (result.outcome, result.platform_id) == (Outcome.SENT, "2247483670")
    assert result.url == "https://mp.weixin.qq.com/s/b5O2OUs25HBx" and PUBLISHED["article_id"] in result.message
    assert requests_to(httpserver, GET)[-1].args["access_token"] == TOKEN


@pytest.mark.parametrize(
    "answer, outcome, words",
    [
        ({"publish_id": "2247483670", "publish_status": 1, "fail_idx": []}, Outcome.UNKNOWN, "still publishing"),
        ({"publish_id": "2247483670", "publish_status": 2, "fail_idx": [1]}, Outcome.REJECTED, "original"),
        ({"publish_id": "2247483670", "publish_status": 3, "fail_idx": [1]}, Outcome.REJECTED, "failed"),
        ({"publish_id": "2247483670", "publish_status": 4, "fail_idx": [1]}, Outcome.REJECTED, "audit"),
        ({"publish_id": "2247483670", "publish_status": 5, "fail_idx": []}, Outcome.REJECTED, "deleted"),
        ({"publish_id": "2247483670", "publish_status": 6, "fail_idx": []}, Outcome.REJECTED, "banned"),
        ({"publish_id": "2247483670", "publish_status": 9}, Outcome.UNKNOWN, "9"),
        ({"publish_id": "2247483670"}, Outcome.UNKNOWN, "None"),
        ({**PUBLISHED, "article_detail": {"count": 0, "item": []}}, Outcome.SENT, "published"),
        (err(40001, "invalid credential"), Outcome.UNKNOWN, "40001"),  # cannot ask: never "not sent"
        (err(45009, "reach max api daily quota limit"), Outcome.UNKNOWN, "45009"),
        (err(53600, "Article ID 无效"), Outcome.UNKNOWN, "53600"),
    ],
)
def test_status_mapping(httpserver, answer, outcome, words):
    token_ok(httpserver)
    httpserver.expect_request(GET).respond_with_json(answer)
    result = clean(connector(httpserver).status("2247483670"))
    assert result.outcome == outcome and words in result.message and result.platform_id == "2247483670"


def test_status_timeout_is_unknown(httpserver):
    token_ok(httpserver)
    httpserver.expect_request(GET).respond_with_handler(_slow(PUBLISHED))
    result = clean(connector(httpserver, timeout=0.2).status("2247483670"))
    assert result.outcome == Outcome.UNKNOWN and not result.surely_not_sent
    _drain(httpserver, GET)


def test_nothing_is_cached_across_instances(httpserver):
    all_ok(httpserver)
    connector(httpserver).publish(post())
    connector(httpserver).publish(post())
    assert len(requests_to(httpserver, TOKEN_PATH)) == 2

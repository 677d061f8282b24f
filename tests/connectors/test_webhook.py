"""Chat-group bots and the generic webhook against a local HTTP server answering as each platform documents."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Request, Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.webhook import DingTalkBot, FeishuBot, JsonWebhook, SlackWebhook, WeComBot

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "98975521a1b23c02cdd1a9a08c69511ddf5fa9d2ae387813d1c5348fb"
DING_SECRET = "SEC19dd84be8c7f3cf71761974f1ed3ef77c1451906ae8ba18acf56103ee"
FEISHU_TOKEN = "f19a1b2c-3d4e-5f60-7182-93a4b5c6d7e8"
FEISHU_SECRET = "zs0Tq8bXk2LmN4pR6sT8"
SLACK_PATH = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
HOOK_SECRET = "generic-hook-secret-123"

WECOM_URL = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
DING_URL = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"
FEISHU_URL = f"https://open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_TOKEN}"
SLACK_URL = f"https://hooks.slack.com{SLACK_PATH}"
HOOK_URL = "https://hooks.example.com/festa/inbox?token=abcdef123456"
SECRETS = [KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN, FEISHU_SECRET, SLACK_PATH.rsplit("/", 1)[1], HOOK_SECRET]

POST = PostRequest(
    text="双十一 预售开始 & more",
    idempotency_key="post-7-acct-2-r1",
    title="Festa 11.11",
    link="https://shop.example.com/?utm_source=festa",
)


def make(cls, httpserver, url, secret="", **kw):
    creds = {"webhook_url": url, "secret": secret}
    return cls(creds, base_url=httpserver.url_for("/").rstrip("/"), clock=lambda: NOW, **kw)


def body_of(httpserver) -> dict:
    request, _ = httpserver.log[-1]
    return json.loads(request.get_data())


def assert_no_secret(result):
    for secret in SECRETS:
        assert secret not in result.message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- WeCom ---------------------------------------------------------------------------------------


def test_wecom_markdown_sent(httpserver):
    httpserver.expect_request("/cgi-bin/webhook/send", method="POST", query_string={"key": KEY}).respond_with_json(
        {"errcode": 0, "errmsg": "ok"}
    )
    result = make(WeComBot, httpserver, WECOM_URL).publish(POST)
    assert result.outcome is Outcome.SENT
    assert body_of(httpserver) == {
        "msgtype": "markdown",
        "markdown": {"content": f"**Festa 11.11**\n\n{POST.text}\n\n[{POST.link}]({POST.link})"},
    }


def test_wecom_text_when_asked(httpserver):
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json({"errcode": 0, "errmsg": "ok"})
    post = PostRequest(text="hello", idempotency_key="k", options={"msgtype": "text"})
    assert make(WeComBot, httpserver, WECOM_URL).publish(post).outcome is Outcome.SENT
    assert body_of(httpserver) == {"msgtype": "text", "text": {"content": "hello"}}


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ({"errcode": 45009, "errmsg": "api freq out of limit"}, Outcome.RATE_LIMITED),
        ({"errcode": 93000, "errmsg": f"invalid webhook url, hint: key={KEY}"}, Outcome.UNAUTHORIZED),
        ({"errcode": 40008, "errmsg": "invalid message type"}, Outcome.REJECTED),
        ({"errcode": -1, "errmsg": "system busy"}, Outcome.UNAVAILABLE),
    ],
)
def test_wecom_error_codes(httpserver, answer, outcome):
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json(answer)
    result = make(WeComBot, httpserver, WECOM_URL).publish(POST)
    assert result.outcome is outcome
    assert str(answer["errcode"]) in result.message
    assert_no_secret(result)
    if outcome is Outcome.RATE_LIMITED:
        assert result.retry_at == NOW + timedelta(seconds=60) and result.scope is Scope.ACCOUNT


def test_wecom_unreadable_or_5xx_is_unknown(httpserver):
    httpserver.expect_oneshot_request("/cgi-bin/webhook/send").respond_with_data("<html>gateway</html>", status=200)
    httpserver.expect_oneshot_request("/cgi-bin/webhook/send").respond_with_data("upstream error", status=502)
    bot = make(WeComBot, httpserver, WECOM_URL)
    assert bot.publish(POST).outcome is Outcome.UNKNOWN
    assert bot.publish(POST).outcome is Outcome.UNKNOWN


def stalled(httpserver, response: Response):
    """A handler that answers only after ``release()``; ``release`` then waits until the server logged it,
    so the late answer cannot land in a later test's log."""
    gate = threading.Event()

    def handler(request: Request) -> Response:
        gate.wait(5)
        return response

    def release():
        gate.set()
        deadline = time.monotonic() + 5
        while not httpserver.log and time.monotonic() < deadline:
            time.sleep(0.01)

    return handler, release


def test_timeout_is_unknown(httpserver):
    ok = Response(json.dumps({"errcode": 0, "errmsg": "ok"}), content_type="application/json")
    handler, release = stalled(httpserver, ok)
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_handler(handler)
    result = make(WeComBot, httpserver, WECOM_URL, timeout=0.2).publish(POST)
    release()
    assert result.outcome is Outcome.UNKNOWN
    assert "may have been posted" in result.message
    assert_no_secret(result)


def test_connection_refused_is_unavailable():
    bot = WeComBot({"webhook_url": WECOM_URL}, base_url=f"http://127.0.0.1:{free_port()}", timeout=2)
    result = bot.publish(POST)
    assert result.outcome is Outcome.UNAVAILABLE and result.surely_not_sent
    assert_no_secret(result)


def test_media_rejected_without_a_request(httpserver):
    post = PostRequest(text="x", idempotency_key="k", media=(Media("a.png", "image/png", b"\x89PNG"),))
    assert make(WeComBot, httpserver, WECOM_URL).publish(post).outcome is Outcome.REJECTED
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("cls", "url", "field"),
    [
        (WeComBot, "", "webhook_url"),
        (WeComBot, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "webhook_url"),  # no key
        (WeComBot, f"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}", "webhook_url"),  # not https
        (DingTalkBot, "https://oapi.dingtalk.com/robot/send", "webhook_url"),
        (FeishuBot, "https://open.feishu.cn/open-apis/bot/v2/hook/", "webhook_url"),
        (SlackWebhook, "https://hooks.slack.com/services/T0/B0", "webhook_url"),
        (JsonWebhook, "ftp://example.com/hook", "webhook_url"),
    ],
)
def test_malformed_urls_raise_config_error(cls, url, field):
    with pytest.raises(ConfigError) as caught:
        cls({"webhook_url": url})
    assert caught.value.field == field
    assert KEY not in str(caught.value)


def test_check_sends_nothing_unless_asked(httpserver):
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json({"errcode": 0, "errmsg": "ok"})
    bot = make(WeComBot, httpserver, WECOM_URL)
    result = bot.check()
    assert result.outcome is Outcome.SENT and "no test message was sent" in result.message
    assert httpserver.log == []
    assert bot.check(send_test=True).outcome is Outcome.SENT
    assert "Festa test message" in body_of(httpserver)["markdown"]["content"]


# --- DingTalk ------------------------------------------------------------------------------------


def test_dingtalk_signed_request(httpserver):
    httpserver.expect_request("/robot/send", method="POST").respond_with_json({"errcode": 0, "errmsg": "ok"})
    result = make(DingTalkBot, httpserver, DING_URL, secret=DING_SECRET).publish(POST)
    assert result.outcome is Outcome.SENT
    request, _ = httpserver.log[-1]
    timestamp = request.args["timestamp"]
    assert timestamp == str(int(NOW.timestamp() * 1000))  # milliseconds
    expected = hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    assert request.args["sign"] == base64.b64encode(expected).decode()  # werkzeug undoes the URL-encoding
    assert request.args["access_token"] == DING_TOKEN
    body = json.loads(request.get_data())
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "Festa 11.11"
    assert body["markdown"]["text"].startswith("#### Festa 11.11\n\n")


def test_dingtalk_without_secret_is_unsigned(httpserver):
    httpserver.expect_request("/robot/send").respond_with_json({"errcode": 0, "errmsg": "ok"})
    post = PostRequest(text="first line\nsecond", idempotency_key="k", options={"msgtype": "text"})
    assert make(DingTalkBot, httpserver, DING_URL).publish(post).outcome is Outcome.SENT
    request, _ = httpserver.log[-1]
    assert "sign" not in request.args and "timestamp" not in request.args
    assert json.loads(request.get_data()) == {"msgtype": "text", "text": {"content": "first line\nsecond"}}


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ({"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}, Outcome.RATE_LIMITED),
        ({"errcode": 310000, "errmsg": "keywords not in content"}, Outcome.REJECTED),
        ({"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com]"}, Outcome.UNAUTHORIZED),
        ({"errcode": 310000, "errmsg": "ip 203.0.113.9 not in whitelist"}, Outcome.UNAUTHORIZED),
        ({"errcode": 300001, "errmsg": f"token is not exist: {DING_TOKEN}"}, Outcome.UNAUTHORIZED),
        ({"errcode": 40035, "errmsg": "缺少参数 json"}, Outcome.REJECTED),
    ],
)
def test_dingtalk_error_codes(httpserver, answer, outcome):
    httpserver.expect_request("/robot/send").respond_with_json(answer)
    result = make(DingTalkBot, httpserver, DING_URL, secret=DING_SECRET).publish(POST)
    assert result.outcome is outcome
    assert_no_secret(result)
    if outcome is Outcome.RATE_LIMITED:
        assert result.retry_at == NOW + timedelta(minutes=10)  # DingTalk throttles for ten minutes


# --- Feishu / Lark -------------------------------------------------------------------------------


def test_feishu_signed_rich_post(httpserver):
    httpserver.expect_request(f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}", method="POST").respond_with_json(
        {"code": 0, "data": {}, "msg": "success"}
    )
    result = make(FeishuBot, httpserver, FEISHU_URL, secret=FEISHU_SECRET).publish(POST)
    assert result.outcome is Outcome.SENT
    body = body_of(httpserver)
    assert body["timestamp"] == str(int(NOW.timestamp()))  # seconds
    key = f"{body['timestamp']}\n{FEISHU_SECRET}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "post"
    rich = body["content"]["post"]["zh_cn"]
    assert rich["title"] == "Festa 11.11"
    assert rich["content"] == [
        [{"tag": "text", "text": POST.text}],
        [{"tag": "a", "text": POST.link, "href": POST.link}],
    ]


def test_feishu_plain_text_and_old_answer_shape(httpserver):
    httpserver.expect_request(f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}").respond_with_json(
        {"Extra": None, "StatusCode": 0, "StatusMessage": "success"}
    )
    post = PostRequest(text="hello", idempotency_key="k")
    assert make(FeishuBot, httpserver, FEISHU_URL).publish(post).outcome is Outcome.SENT
    assert body_of(httpserver) == {"msg_type": "text", "content": {"text": "hello"}}


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (
            {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]appID[1234]"},
            Outcome.RATE_LIMITED,
        ),
        ({"code": 9499, "msg": "too many request"}, Outcome.RATE_LIMITED),
        ({"code": 9499, "msg": "Bad Request"}, Outcome.REJECTED),
        (
            {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
            Outcome.UNAUTHORIZED,
        ),
        ({"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}, Outcome.UNAUTHORIZED),
        ({"code": 19024, "msg": "Key Words Not Found"}, Outcome.REJECTED),
    ],
)
def test_feishu_error_codes(httpserver, answer, outcome):
    httpserver.expect_request(f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}").respond_with_json(answer, status=200)
    result = make(FeishuBot, httpserver, FEISHU_URL, secret=FEISHU_SECRET).publish(POST)
    assert result.outcome is outcome
    assert_no_secret(result)
    if outcome is Outcome.RATE_LIMITED:
        assert result.retry_at == NOW + timedelta(seconds=60)


def test_feishu_error_in_http_400_body(httpserver):
    httpserver.expect_request(f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}").respond_with_json(
        {"code": 19021, "msg": "sign match fail"}, status=400
    )
    assert make(FeishuBot, httpserver, FEISHU_URL, secret=FEISHU_SECRET).publish(POST).outcome is Outcome.UNAUTHORIZED


# --- Slack ---------------------------------------------------------------------------------------


def test_slack_sent_and_escaped(httpserver):
    httpserver.expect_request(SLACK_PATH, method="POST").respond_with_data("ok", content_type="text/html")
    result = make(SlackWebhook, httpserver, SLACK_URL).publish(POST)
    assert result.outcome is Outcome.SENT
    assert body_of(httpserver) == {"text": f"*Festa 11.11*\n双十一 预售开始 &amp; more\n<{POST.link}>"}


@pytest.mark.parametrize(
    ("status", "said", "outcome"),
    [
        (400, "invalid_payload", Outcome.REJECTED),
        (400, "user_not_found", Outcome.REJECTED),
        (403, "action_prohibited", Outcome.REJECTED),
        (403, "invalid_token", Outcome.UNAUTHORIZED),
        (404, "no_service", Outcome.UNAUTHORIZED),
        (404, "channel_not_found", Outcome.UNAUTHORIZED),
        (410, "channel_is_archived", Outcome.UNAUTHORIZED),
        (500, "rollup_error", Outcome.UNKNOWN),
    ],
)
def test_slack_errors(httpserver, status, said, outcome):
    httpserver.expect_request(SLACK_PATH).respond_with_data(said, status=status)
    result = make(SlackWebhook, httpserver, SLACK_URL).publish(POST)
    assert result.outcome is outcome and said in result.message
    assert_no_secret(result)


def test_slack_rate_limit_reads_retry_after(httpserver):
    httpserver.expect_request(SLACK_PATH).respond_with_data("rate_limited", status=429, headers={"Retry-After": "30"})
    result = make(SlackWebhook, httpserver, SLACK_URL).publish(POST)
    assert result.outcome is Outcome.RATE_LIMITED
    assert result.retry_at == NOW + timedelta(seconds=30) and result.scope is Scope.ACCOUNT


# --- generic JSON webhook ------------------------------------------------------------------------


def test_json_webhook_signed(httpserver):
    httpserver.expect_request("/festa/inbox", method="POST", query_string={"token": "abcdef123456"}).respond_with_json(
        {"id": "msg-42", "url": "https://intranet.example.com/msg/42"}, status=201
    )
    result = make(JsonWebhook, httpserver, HOOK_URL, secret=HOOK_SECRET).publish(POST)
    assert (result.outcome, result.platform_id, result.url) == (
        Outcome.SENT,
        "msg-42",
        "https://intranet.example.com/msg/42",
    )
    request, _ = httpserver.log[-1]
    raw = request.get_data()
    assert json.loads(raw) == {
        "text": POST.text,
        "title": POST.title,
        "link": POST.link,
        "idempotency_key": POST.idempotency_key,
    }
    assert request.headers["Idempotency-Key"] == POST.idempotency_key
    timestamp = request.headers["X-Festa-Timestamp"]
    assert timestamp == str(int(NOW.timestamp()))
    expected = hmac.new(HOOK_SECRET.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    assert request.headers["X-Festa-Signature"] == f"sha256={expected}"


def test_json_webhook_unsigned_has_no_signature(httpserver):
    httpserver.expect_request("/festa/inbox").respond_with_data("", status=204)
    assert make(JsonWebhook, httpserver, HOOK_URL).publish(POST).outcome is Outcome.SENT
    request, _ = httpserver.log[-1]
    assert "X-Festa-Signature" not in request.headers


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(401, Outcome.UNAUTHORIZED), (422, Outcome.REJECTED), (409, Outcome.REJECTED), (503, Outcome.UNKNOWN)],
)
def test_json_webhook_statuses(httpserver, status, outcome):
    httpserver.expect_request("/festa/inbox").respond_with_data(f"echo {HOOK_URL} {HOOK_SECRET}", status=status)
    result = make(JsonWebhook, httpserver, HOOK_URL, secret=HOOK_SECRET).publish(POST)
    assert result.outcome is outcome
    assert result.duplicate is (status == 409)
    assert_no_secret(result)
    assert "abcdef123456" not in result.message


def test_json_webhook_retry_after_date(httpserver):
    later = "Tue, 24 Nov 2026 02:05:00 GMT"
    httpserver.expect_request("/festa/inbox").respond_with_data("slow down", status=429, headers={"Retry-After": later})
    result = make(JsonWebhook, httpserver, HOOK_URL).publish(POST)
    assert result.outcome is Outcome.RATE_LIMITED and result.retry_at == NOW + timedelta(minutes=5)


def test_json_webhook_timeout_is_unknown(httpserver):
    handler, release = stalled(httpserver, Response("", status=204))
    httpserver.expect_request("/festa/inbox").respond_with_handler(handler)
    result = make(JsonWebhook, httpserver, HOOK_URL, secret=HOOK_SECRET, timeout=0.2).publish(POST)
    release()
    assert result.outcome is Outcome.UNKNOWN and not result.surely_not_sent
    assert_no_secret(result)

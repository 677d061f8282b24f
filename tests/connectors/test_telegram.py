"""The Telegram connector against a local server answering as core.telegram.org/bots/api documents."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from werkzeug import Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.telegram import CREDENTIALS, TelegramConnector, telegram_length

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CREDS = {"bot_token": TOKEN, "chat_id": "@festa_news"}
BOT = f"/bot{TOKEN}"
MESSAGE = {
    "message_id": 42,
    "sender_chat": {"id": -1001234567890, "title": "Festa News", "username": "festa_news", "type": "channel"},
    "chat": {"id": -1001234567890, "title": "Festa News", "username": "festa_news", "type": "channel"},
    "date": 1795000000,
    "text": "Mid-Autumn sale starts now",
}
PICTURE = Media("poster.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64)


def connector(httpserver, creds=CREDS, timeout: float = 5.0) -> TelegramConnector:
    return TelegramConnector(creds, base_url=httpserver.url_for(""), timeout=timeout, clock=lambda: NOW)


def post(text: str = "Mid-Autumn sale starts now", **kw) -> PostRequest:
    return PostRequest(text=text, idempotency_key="post-7-acct-4-rev-1", **kw)


def ok(result) -> dict:
    return {"ok": True, "result": result}


def error(code: int, description: str, **parameters) -> dict:
    body = {"ok": False, "error_code": code, "description": description}
    return {**body, "parameters": parameters} if parameters else body


def requests_to(httpserver, path: str) -> list:
    """The requests this test sent to ``path`` (a slow handler of another test may still log into the server)."""
    return [req for req, _ in httpserver.log if req.path == path]


def clean(result):
    assert TOKEN not in result.message and TOKEN.split(":")[1] not in result.message
    return result


@pytest.mark.parametrize(
    "creds, field",
    [
        ({"chat_id": "@festa_news"}, "bot_token"),
        ({**CREDS, "bot_token": "not-a-token"}, "bot_token"),
        ({**CREDS, "chat_id": "festa news"}, "chat_id"),
    ],
)
def test_credentials_are_checked(creds, field):
    assert CREDENTIALS == ("bot_token", "chat_id")
    with pytest.raises(ConfigError) as err:
        TelegramConnector(creds)
    assert err.value.field == field and TOKEN not in str(err.value)


def test_send_message_to_a_public_channel(httpserver):
    httpserver.expect_request(f"{BOT}/sendMessage", method="POST").respond_with_json(ok(MESSAGE))
    result = connector(httpserver).publish(post(reply_to="41", link="https://festa.shop/a?utm_source=telegram"))
    assert (result.outcome, result.platform_id, result.url) == (Outcome.SENT, "42", "https://t.me/festa_news/42")
    form = requests_to(httpserver, f"{BOT}/sendMessage")[-1].form
    assert form["chat_id"] == "@festa_news" and "parse_mode" not in form
    assert form["text"] == "Mid-Autumn sale starts now\nhttps://festa.shop/a?utm_source=telegram"
    assert json.loads(form["reply_parameters"]) == {"message_id": 41}


def test_private_group_has_no_public_url(httpserver):
    group = {**MESSAGE, "chat": {"id": -1001234567891, "title": "Festa team", "type": "supergroup"}}
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_json(ok(group))
    result = connector(httpserver, {**CREDS, "chat_id": "-1001234567891"}).publish(post())
    assert (result.outcome, result.url) == (Outcome.SENT, None)


def test_send_photo_with_caption(httpserver):
    photo = {**MESSAGE, "photo": [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]}
    httpserver.expect_request(f"{BOT}/sendPhoto", method="POST").respond_with_json(ok(photo))
    result = connector(httpserver).publish(post(media=(PICTURE,)))
    assert result.outcome == Outcome.SENT
    sent = requests_to(httpserver, f"{BOT}/sendPhoto")[-1]
    assert sent.form["caption"] == "Mid-Autumn sale starts now" and sent.form["chat_id"] == "@festa_news"
    assert sent.files["photo"].filename == "poster.jpg" and sent.files["photo"].read() == PICTURE.data


def test_limits_are_checked_before_sending(httpserver):
    t = connector(httpserver)
    assert t.publish(post("a" * 4097)).outcome == Outcome.REJECTED
    assert t.publish(post("😀" * 2049)).outcome == Outcome.REJECTED  # 4098 UTF-16 code units
    assert t.publish(post("a" * 1025, media=(PICTURE,))).outcome == Outcome.REJECTED
    assert t.publish(post(media=(PICTURE, PICTURE))).outcome == Outcome.REJECTED
    assert t.publish(post("", media=())).outcome == Outcome.REJECTED
    assert requests_to(httpserver, f"{BOT}/sendMessage") == requests_to(httpserver, f"{BOT}/sendPhoto") == []
    assert telegram_length("节日😀") == 4


def test_429_honours_retry_after(httpserver):
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_json(
        error(429, "Too Many Requests: retry after 35", retry_after=35), status=429, headers={"Retry-After": "35"}
    )
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.scope) == (Outcome.RATE_LIMITED, Scope.ACCOUNT)
    assert result.retry_at == NOW + timedelta(seconds=35) and result.surely_not_sent


@pytest.mark.parametrize(
    "code, description, outcome",
    [
        (401, "Unauthorized", Outcome.UNAUTHORIZED),
        (403, "Forbidden: bot was kicked from the channel chat", Outcome.UNAUTHORIZED),
        (403, "Forbidden: bot is not a member of the channel chat", Outcome.UNAUTHORIZED),
        (400, "Bad Request: chat not found", Outcome.REJECTED),
        (400, "Bad Request: message is too long", Outcome.REJECTED),
        (400, "Bad Request: message to be replied not found", Outcome.REJECTED),
        (500, "Internal Server Error", Outcome.UNKNOWN),
    ],
)
def test_error_answers(httpserver, code, description, outcome):
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_json(error(code, description), status=code)
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == outcome and description in result.message


def test_group_upgraded_to_supergroup_names_the_new_chat(httpserver):
    body = error(400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=-1001234567890)
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_json(body, status=400)
    result = connector(httpserver, {**CREDS, "chat_id": "-4012345678"}).publish(post())
    assert result.outcome == Outcome.REJECTED and "-1001234567890" in result.message


def test_gateway_page_and_malformed_json_are_unknown(httpserver):
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_data("<html>502 Bad Gateway</html>", status=502)
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN
    httpserver.clear()
    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_data('{"ok": true, "result": {"message_id": 4')
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN


def test_read_timeout_is_unknown_and_the_token_stays_out_of_logs(httpserver, caplog):
    def slow(request):
        time.sleep(0.6)
        return Response(json.dumps(ok(MESSAGE)), 200, content_type="application/json")

    httpserver.expect_request(f"{BOT}/sendMessage").respond_with_handler(slow)
    with caplog.at_level(logging.INFO, logger="httpx"):
        assert clean(connector(httpserver, timeout=0.2).publish(post())).outcome == Outcome.UNKNOWN
        httpx.get(httpserver.url_for(f"{BOT}/getMe"), timeout=2)  # any httpx request line is filtered
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]  # the test server's own log is not ours
    assert lines and all(TOKEN not in line and "/bot***/" in line for line in lines)
    deadline = time.monotonic() + 5
    while (
        not requests_to(httpserver, f"{BOT}/sendMessage") and time.monotonic() < deadline
    ):  # let the handler finish before the next test
        time.sleep(0.05)


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = TelegramConnector(CREDS, base_url=f"http://127.0.0.1:{port}", timeout=2.0)
    assert clean(t.publish(post())).outcome == Outcome.UNAVAILABLE
    assert clean(t.check()).outcome == Outcome.UNAVAILABLE


def test_check_calls_get_me_then_get_chat(httpserver):
    me = {"id": 110201543, "is_bot": True, "first_name": "Festa", "username": "festa_bot"}
    httpserver.expect_request(f"{BOT}/getMe").respond_with_json(ok(me))
    httpserver.expect_request(f"{BOT}/getChat").respond_with_json(ok(MESSAGE["chat"]))
    result = connector(httpserver).check()
    assert result.outcome == Outcome.SENT and result.message == "@festa_bot → Festa News"
    httpserver.clear()
    httpserver.expect_request(f"{BOT}/getMe").respond_with_json(error(401, "Unauthorized"), status=401)
    assert clean(connector(httpserver).check()).outcome == Outcome.UNAUTHORIZED

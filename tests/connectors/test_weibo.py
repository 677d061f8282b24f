"""The Weibo connector against a local server answering as open.weibo.com/wiki/2/statuses/share and
open.weibo.com/wiki/Error_code document."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import UTC, datetime

import pytest
from werkzeug import Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.weibo import CREDENTIALS, MAX_CHARS, WeiboConnector, compose

NOW = datetime(2026, 11, 24, 2, 17, 5, tzinfo=UTC)
NEXT_HOUR = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
TOKEN = "2.00Ne3jXDfestaKc1a9e1b7c0Rk8yJE"
CREDS = {"access_token": TOKEN, "safe_url": "https://festa.shop/"}
SHARE = "/2/statuses/share.json"
LINK = "https://festa.shop/mid-autumn?utm_source=weibo&utm_medium=social"
STATUS = {
    "created_at": "Tue Nov 24 10:17:05 +0800 2026",
    "id": 5103254962155278,
    "mid": "5103254962155278",
    "idstr": "5103254962155278",
    "text": "中秋大促今晚开抢 https://t.cn/A6abcdE",
    "source": '<a href="http://app.weibo.com/t/feed/festa" rel="nofollow">Festa</a>',
    "favorited": False,
    "truncated": False,
    "user": {"id": 1404376560, "idstr": "1404376560", "screen_name": "festa", "name": "festa"},
    "reposts_count": 0,
    "comments_count": 0,
}
PICTURE = Media("poster.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64)


def connector(httpserver, creds=CREDS, timeout: float = 5.0) -> WeiboConnector:
    return WeiboConnector(creds, base_url=httpserver.url_for(""), timeout=timeout, clock=lambda: NOW)


def post(text: str = "中秋大促今晚开抢", **kw) -> PostRequest:
    return PostRequest(text=text, idempotency_key="post-7-acct-5-rev-1", **kw)


def error(code: int | str, text: str) -> dict:
    return {"error": text, "error_code": code, "request": SHARE}


def requests_to(httpserver, path: str) -> list:
    """The requests this test sent to ``path`` (a slow handler of another test may still log into the server)."""
    return [req for req, _ in httpserver.log if req.path == path]


def clean(result):
    assert TOKEN not in result.message
    return result


@pytest.mark.parametrize(
    "creds, field",
    [
        ({"safe_url": "https://festa.shop/"}, "access_token"),
        ({**CREDS, "access_token": "2.00 Ne3"}, "access_token"),
        ({**CREDS, "safe_url": "festa.shop"}, "safe_url"),
        ({**CREDS, "safe_url": "ftp://festa.shop/"}, "safe_url"),
    ],
)
def test_credentials_are_checked(creds, field):
    assert CREDENTIALS == ("access_token", "safe_url")
    with pytest.raises(ConfigError) as err:
        WeiboConnector(creds)
    assert err.value.field == field and TOKEN not in str(err.value)
    assert WeiboConnector({"access_token": TOKEN}).safe_url is None  # safe_url is optional


def test_share_with_the_posts_link(httpserver):
    httpserver.expect_request(SHARE, method="POST").respond_with_json(STATUS)
    result = clean(connector(httpserver).publish(post(link=LINK, options={"rip": "211.156.0.1"})))
    assert (result.outcome, result.platform_id) == (Outcome.SENT, "5103254962155278")
    assert result.url == "https://weibo.com/1404376560/5103254962155278"
    form = requests_to(httpserver, SHARE)[-1].form
    assert form["access_token"] == TOKEN and form["rip"] == "211.156.0.1"
    assert form["status"] == f"中秋大促今晚开抢\n{LINK}"


def test_share_falls_back_to_the_safe_url_and_never_repeats_a_link(httpserver):
    httpserver.expect_request(SHARE, method="POST").respond_with_json(STATUS)
    assert connector(httpserver).publish(post()).outcome == Outcome.SENT
    assert requests_to(httpserver, SHARE)[-1].form["status"] == "中秋大促今晚开抢\nhttps://festa.shop/"
    assert connector(httpserver).publish(post(f"抢券 {LINK} 速来", link=LINK)).outcome == Outcome.SENT
    assert requests_to(httpserver, SHARE)[-1].form["status"] == f"抢券 {LINK} 速来"
    assert compose(post("hi"), None) is None


def test_no_link_and_no_safe_url_is_refused_without_calling(httpserver):
    result = connector(httpserver, {"access_token": TOKEN}).publish(post())
    assert result.outcome == Outcome.REJECTED and "safe domain" in result.message and "safe_url" in result.message
    assert [req for req, _ in httpserver.log if req.path.startswith("/2/")] == []


def test_picture_goes_as_multipart_pic(httpserver):
    httpserver.expect_request(SHARE, method="POST").respond_with_json(STATUS)
    assert connector(httpserver).publish(post(link=LINK, media=(PICTURE,))).outcome == Outcome.SENT
    sent = requests_to(httpserver, SHARE)[-1]
    assert sent.files["pic"].filename == "poster.jpg" and sent.files["pic"].read() == PICTURE.data
    assert sent.files["pic"].content_type == "image/jpeg"
    assert sent.form["access_token"] == TOKEN and sent.form["status"].endswith(LINK)


def test_limits_are_checked_before_sending(httpserver):
    w = connector(httpserver)
    assert MAX_CHARS == 2000
    assert w.publish(post("节" * (MAX_CHARS - len("https://festa.shop/")))).outcome == Outcome.REJECTED  # with "\n"
    assert w.publish(post(media=(PICTURE, PICTURE))).outcome == Outcome.REJECTED
    assert w.publish(post(media=(Media("a.webp", "image/webp", b"RIFF"),))).outcome == Outcome.REJECTED
    assert w.publish(post(media=(Media("clip.mp4", "video/mp4", b"\0"),))).outcome == Outcome.REJECTED
    big = Media("big.png", "image/png", b"\x89PNG" + b"\0" * (5 * 1024 * 1024))
    assert "5 MB" in w.publish(post(media=(big,))).message
    assert [req for req, _ in httpserver.log if req.path.startswith("/2/")] == []


@pytest.mark.parametrize(
    "status, code, text",
    [
        (403, 21327, "expired_token"),
        (401, 21332, "invalid_access_token"),
        (403, 21315, "Token expired"),
        (403, 21316, "Token revoked"),
        (403, 21319, "Accessor was revoked"),
        (401, 21501, "Invalid_access_token"),
        (403, "21327", "expired_token"),  # older answers give the code as a string
    ],
)
def test_expired_or_invalid_tokens_are_unauthorized(httpserver, status, code, text):
    httpserver.expect_request(SHARE).respond_with_json(error(code, text), status=status)
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNAUTHORIZED and text in result.message and str(code) in result.message
    assert not result.surely_not_sent


@pytest.mark.parametrize(
    "code, text, scope",
    [
        (10022, "IP requests out of rate limit", Scope.APP),
        (10023, "User requests out of rate limit", Scope.ACCOUNT),
        (10024, "User requests for (statuses/share) out of rate limit", Scope.ACCOUNT),
    ],
)
def test_rate_limits_wait_for_the_next_hour(httpserver, code, text, scope):
    httpserver.expect_request(SHARE).respond_with_json(error(code, text), status=403)
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.scope, result.retry_at) == (Outcome.RATE_LIMITED, scope, NEXT_HOUR)
    assert result.surely_not_sent and text in result.message


@pytest.mark.parametrize("code, text", [(20019, "Repeat content!"), (20017, "Repeated weibo text!")])
def test_repeat_content_is_a_rejected_duplicate(httpserver, code, text):
    httpserver.expect_request(SHARE).respond_with_json(error(code, text), status=400)
    result = connector(httpserver).publish(post())
    assert (result.outcome, result.duplicate) == (Outcome.REJECTED, True) and text in result.message


@pytest.mark.parametrize(
    "status, code, text, outcome",
    [
        (400, 20012, "Text too long, please input text less than 140 characters!", Outcome.REJECTED),
        (400, 20016, "Out of limit!", Outcome.REJECTED),
        (400, 20021, "Contain illegal website!", Outcome.REJECTED),
        (403, 10014, "Insufficient app permissions!", Outcome.REJECTED),
        (400, 10017, "Parameter (status)'s value invalid, expect (link in the safe domain)", Outcome.REJECTED),
        (500, 10001, "System error", Outcome.UNKNOWN),
        (400, 10009, "Too many pending tasks, system is busy", Outcome.UNKNOWN),
        (503, 20101, "Target weibo does not exist!", Outcome.UNKNOWN),  # a 5xx is never proof it did not go out
    ],
)
def test_other_errors(httpserver, status, code, text, outcome):
    httpserver.expect_request(SHARE).respond_with_json(error(code, text), status=status)
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == outcome and not result.duplicate and text[:20] in result.message


def test_a_token_echoed_in_an_error_body_is_redacted(httpserver):
    body = {"error": f"invalid_access_token: {TOKEN}", "error_code": 21332, "request": f"{SHARE}?access_token={TOKEN}"}
    httpserver.expect_request(SHARE).respond_with_json(body, status=401)
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == Outcome.UNAUTHORIZED and "***" in result.message
    httpserver.clear()
    httpserver.expect_request(SHARE).respond_with_json(error(20012, f"Text too long (access_token={TOKEN}x)"), 400)
    assert "access_token=***" in clean(connector(httpserver).publish(post())).message


def test_gateway_page_and_malformed_json_are_unknown(httpserver):
    httpserver.expect_request(SHARE).respond_with_data("<html>502 Bad Gateway</html>", status=502)
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN
    httpserver.clear()
    httpserver.expect_request(SHARE).respond_with_data('{"idstr": "5103254962', content_type="application/json")
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN
    httpserver.clear()
    httpserver.expect_request(SHARE).respond_with_json({"text": "no id here"})
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN
    httpserver.clear()
    httpserver.expect_request(SHARE).respond_with_data("<html>404</html>", status=404)
    assert connector(httpserver).publish(post()).outcome == Outcome.REJECTED


def test_numeric_id_without_idstr_and_user_without_idstr(httpserver):
    answer = {**STATUS, "user": {"id": 1404376560}}
    del answer["idstr"]
    httpserver.expect_request(SHARE).respond_with_json(answer)
    result = connector(httpserver).publish(post())
    assert (result.platform_id, result.url) == ("5103254962155278", "https://weibo.com/1404376560/5103254962155278")


def test_read_timeout_is_unknown(httpserver):
    def slow(request):
        time.sleep(0.6)
        return Response(json.dumps(STATUS), 200, content_type="application/json")

    httpserver.expect_request(SHARE).respond_with_handler(slow)
    result = clean(connector(httpserver, timeout=0.2).publish(post()))
    assert result.outcome == Outcome.UNKNOWN and not result.surely_not_sent
    deadline = time.monotonic() + 5
    while not requests_to(httpserver, SHARE) and time.monotonic() < deadline:  # let the handler finish
        time.sleep(0.05)


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    w = WeiboConnector(CREDS, base_url=f"http://127.0.0.1:{port}", timeout=2.0)
    result = clean(w.publish(post()))
    assert result.outcome == Outcome.UNAVAILABLE and result.surely_not_sent
    assert clean(w.check()).outcome == Outcome.UNAVAILABLE


def test_check_asks_get_uid_and_keeps_the_token_out_of_logs(httpserver, caplog):
    httpserver.expect_request(
        "/2/account/get_uid.json", method="GET", query_string={"access_token": TOKEN}
    ).respond_with_json({"uid": 1404376560})
    with caplog.at_level(logging.INFO, logger="httpx"):
        result = connector(httpserver).check()
    assert (result.outcome, result.platform_id) == (Outcome.SENT, "1404376560")
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and all(TOKEN not in line and "access_token=***" in line for line in lines)
    httpserver.clear()
    httpserver.expect_request("/2/account/get_uid.json").respond_with_json(
        {"error": "expired_token", "error_code": 21327, "request": "/2/account/get_uid.json"}, status=403
    )
    assert clean(connector(httpserver).check()).outcome == Outcome.UNAUTHORIZED
    httpserver.clear()
    httpserver.expect_request("/2/account/get_uid.json").respond_with_json({"name": "festa"})
    assert connector(httpserver).check().outcome == Outcome.UNKNOWN

"""The X connector against a local server answering as X's v2 and v1.1 media APIs document."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.x import CREDENTIALS, MEDIA_WAIT, XConnector, weighted_length

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
CREDS = {
    "consumer_key": "ck-CONSUMERKEY123",
    "consumer_secret": "cs-CONSUMERSECRET456",
    "access_token": "at-1234-ACCESSTOKEN789",
    "access_token_secret": "ats-TOKENSECRET000",
}
TWEET = {"data": {"id": "1445880548472328192", "edit_history_tweet_ids": ["1445880548472328192"], "text": "hi"}}
DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}
PICTURE = Media("poster.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
VIDEO = Media("clip.mp4", "video/mp4", b"\0\0\0\x18ftypmp42" + b"\1" * 2000)


def connector(httpserver, timeout: float = 5.0) -> XConnector:
    return XConnector(CREDS, base_url=httpserver.url_for(""), timeout=timeout, clock=lambda: NOW)


def post(text: str = "Mid-Autumn sale starts now", **kw) -> PostRequest:
    return PostRequest(text=text, idempotency_key="post-7-acct-2-rev-1", **kw)


def requests_to(httpserver, path: str) -> list:
    """The requests this test sent to ``path`` (a slow handler of another test may still log into the server)."""
    return [req for req, _ in httpserver.log if req.path == path]


def clean(result):
    for secret in CREDS.values():
        assert secret not in result.message
    return result


def test_credentials_are_checked():
    assert CREDENTIALS == ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
    with pytest.raises(ConfigError) as err:
        XConnector({**CREDS, "access_token_secret": "  "})
    assert err.value.field == "access_token_secret"


def test_sent_with_oauth1_signed_request(httpserver):
    httpserver.expect_request("/2/tweets", method="POST", json={"text": "hi"}).respond_with_json(TWEET, status=201)
    result = clean(connector(httpserver).publish(post("hi")))
    assert result.outcome == Outcome.SENT and result.platform_id == "1445880548472328192"
    assert result.url == "https://x.com/i/web/status/1445880548472328192"
    auth = requests_to(httpserver, "/2/tweets")[-1].headers["Authorization"]
    assert auth.startswith("OAuth ") and 'oauth_consumer_key="ck-CONSUMERKEY123"' in auth and "oauth_signature" in auth
    assert "CONSUMERSECRET" not in auth and "TOKENSECRET" not in auth


def test_reply_with_picture_uploads_then_tweets(httpserver):
    upload = {"media_id": 710511363345354753, "media_id_string": "710511363345354753", "size": 72,
              "expires_after_secs": 86400, "image": {"image_type": "image/png", "w": 8, "h": 8}}  # fmt: skip
    httpserver.expect_request("/1.1/media/upload.json", method="POST").respond_with_json(upload)
    tweet = {"text": "hi\nhttps://festa.shop/a?utm_source=x", "media": {"media_ids": ["710511363345354753"]},
             "reply": {"in_reply_to_tweet_id": "1445880548472328000"}}  # fmt: skip
    httpserver.expect_request("/2/tweets", method="POST", json=tweet).respond_with_json(TWEET, status=201)
    result = connector(httpserver).publish(
        post("hi", media=(PICTURE,), reply_to="1445880548472328000", link="https://festa.shop/a?utm_source=x")
    )
    assert clean(result).outcome == Outcome.SENT
    sent = requests_to(httpserver, "/1.1/media/upload.json")[-1]
    assert sent.form["media_category"] == "tweet_image" and sent.files["media"].read() == PICTURE.data


def _video_server(httpserver, states):
    """INIT, APPEND, FINALIZE, then one STATUS answer per state in ``states``."""
    answers = iter(states)

    def handle(request):
        command = request.form.get("command") or request.args.get("command")
        body = {"media_id": 710511363345354754, "media_id_string": "710511363345354754", "expires_after_secs": 86400}
        if command == "INIT":
            assert request.form["media_type"] == "video/mp4" and request.form["media_category"] == "tweet_video"
        elif command in ("FINALIZE", "STATUS"):
            state = next(answers)
            body["processing_info"] = {"state": state, "check_after_secs": 5, "progress_percent": 50}
            if state == "failed":
                body["processing_info"]["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"}
        elif command == "APPEND":
            return Response(status=204)
        return Response(json.dumps(body), status=200, content_type="application/json")

    httpserver.expect_request("/1.1/media/upload.json").respond_with_handler(handle)


def test_video_waits_for_processing_then_tweets(httpserver):
    _video_server(httpserver, ["pending", "in_progress", "succeeded"])
    httpserver.expect_request("/2/tweets", method="POST").respond_with_json(TWEET, status=201)
    x = connector(httpserver)
    slept = []
    x._sleep = slept.append
    assert clean(x.publish(post(media=(VIDEO,)))).outcome == Outcome.SENT
    assert slept == [5.0, 5.0]
    assert json.loads(requests_to(httpserver, "/2/tweets")[-1].data)["media"] == {"media_ids": ["710511363345354754"]}


def test_video_that_fails_or_never_finishes_is_rejected_without_tweeting(httpserver):
    _video_server(httpserver, ["failed"])
    result = connector(httpserver).publish(post(media=(VIDEO,)))
    assert result.outcome == Outcome.REJECTED and "Unsupported video" in result.message

    httpserver.clear()
    _video_server(httpserver, ["in_progress"] * 100)
    x, ticks = connector(httpserver), iter(range(0, 1000, 30))
    x._sleep, x._monotonic = (lambda s: None), (lambda: float(next(ticks)))
    result = x.publish(post(media=(VIDEO,)))
    assert result.outcome == Outcome.REJECTED and f"{MEDIA_WAIT:.0f} s" in result.message
    assert requests_to(httpserver, "/2/tweets") == []


RESET = int(NOW.timestamp()) + 900  # epoch seconds, as X sends them


@pytest.mark.parametrize(
    "headers, body, scope, retry_at",
    [
        ({"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(RESET)}, None,
         Scope.ACCOUNT, datetime.fromtimestamp(RESET, UTC)),
        ({"x-rate-limit-remaining": "40", "x-rate-limit-reset": str(RESET), "x-user-limit-24hour-limit": "100",
          "x-user-limit-24hour-remaining": "0", "x-user-limit-24hour-reset": str(RESET + 50_000)}, None,
         Scope.ACCOUNT, datetime.fromtimestamp(RESET + 50_000, UTC)),
        ({"x-rate-limit-reset": str(RESET), "x-app-limit-24hour-limit": "1667", "x-app-limit-24hour-remaining": "0",
          "x-app-limit-24hour-reset": str(RESET + 70_000)}, None,
         Scope.APP, datetime.fromtimestamp(RESET + 70_000, UTC)),
        ({}, {"title": "UsageCapExceeded", "type": "https://api.twitter.com/2/problems/usage-capped",
              "period": "Monthly", "scope": "Product", "detail": "Usage cap exceeded: Monthly product cap"},
         Scope.APP, NOW + timedelta(hours=24)),
        ({}, None, Scope.ACCOUNT, NOW + timedelta(minutes=15)),
    ],
)  # fmt: skip
def test_429_gives_reset_time_and_scope(httpserver, headers, body, scope, retry_at):
    body = body or {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
    httpserver.expect_request("/2/tweets").respond_with_json(body, status=429, headers=headers)
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.scope, result.retry_at) == (Outcome.RATE_LIMITED, scope, retry_at)
    assert result.surely_not_sent


@pytest.mark.parametrize(
    "status, body, outcome, duplicate",
    [
        (401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
         Outcome.UNAUTHORIZED, False),
        (403, DUPLICATE, Outcome.REJECTED, True),
        (403, {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Your client app is not configured"
               " with the appropriate oauth1 app permissions for this endpoint."}, Outcome.UNAUTHORIZED, False),
        (403, {"title": "Client Forbidden", "reason": "client-not-enrolled", "detail": "When authenticating requests to"
               " the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is"
               " attached to a Project.", "type": "https://api.twitter.com/2/problems/client-forbidden"},
         Outcome.REJECTED, False),
        (400, {"errors": [{"parameters": {"reply.in_reply_to_tweet_id": ["x"]}, "message": "The `reply."
               "in_reply_to_tweet_id` query parameter value [x] is not valid"}], "title": "Invalid Request",
               "detail": "One or more parameters to your request was invalid.",
               "type": "https://api.twitter.com/2/problems/invalid-request"}, Outcome.REJECTED, False),
        (500, {"title": "Internal Server Error", "detail": "Internal Server Error", "status": 500}, Outcome.UNKNOWN,
         False),
        (503, {"title": "Service Unavailable", "detail": "Service Unavailable", "status": 503}, Outcome.UNKNOWN,
         False),
    ],
)  # fmt: skip
def test_error_answers(httpserver, status, body, outcome, duplicate):
    httpserver.expect_request("/2/tweets").respond_with_json(body, status=status)
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.duplicate) == (outcome, duplicate)
    assert str(status) in result.message


def test_duplicate_message_names_the_cause(httpserver):
    httpserver.expect_request("/2/tweets").respond_with_json(DUPLICATE, status=403)
    assert "duplicate content" in connector(httpserver).publish(post()).message


def test_malformed_json_in_2xx_is_unknown(httpserver):
    httpserver.expect_request("/2/tweets").respond_with_data('{"data": {"id": "14', status=201,
                                                             content_type="application/json")  # fmt: skip
    assert clean(connector(httpserver).publish(post())).outcome == Outcome.UNKNOWN


def slow(request):
    time.sleep(0.6)
    return Response("{}", status=200, content_type="application/json")


def drain(httpserver, path):
    """Let the sleeping handler finish so its log entry does not land in the next test."""
    deadline = time.monotonic() + 5
    while not requests_to(httpserver, path) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_read_timeout_is_unknown(httpserver):
    httpserver.expect_request("/2/tweets").respond_with_handler(slow)
    assert clean(connector(httpserver, timeout=0.2).publish(post())).outcome == Outcome.UNKNOWN
    drain(httpserver, "/2/tweets")


def test_read_timeout_during_media_upload_is_unavailable(httpserver):
    httpserver.expect_request("/1.1/media/upload.json").respond_with_handler(slow)
    result = connector(httpserver, timeout=0.2).publish(post(media=(PICTURE,)))
    assert clean(result).outcome == Outcome.UNAVAILABLE and result.surely_not_sent
    drain(httpserver, "/1.1/media/upload.json")


def test_media_upload_server_error_is_retry_safe_and_tweets_nothing(httpserver):
    httpserver.expect_request("/1.1/media/upload.json").respond_with_json(
        {"errors": [{"code": 131, "message": "Internal error"}]}, status=500
    )
    result = clean(connector(httpserver).publish(post(media=(PICTURE,))))
    assert result.outcome == Outcome.UNAVAILABLE and "Internal error" in result.message
    assert len(requests_to(httpserver, "/1.1/media/upload.json")) == 1 and requests_to(httpserver, "/2/tweets") == []


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    x = XConnector(CREDS, base_url=f"http://127.0.0.1:{port}", timeout=2.0)
    assert clean(x.publish(post())).outcome == Outcome.UNAVAILABLE
    assert x.check().outcome == Outcome.UNAVAILABLE


def test_too_long_or_too_many_media_rejected_before_any_request(httpserver):
    x = connector(httpserver)
    assert x.publish(post("节" * 141)).outcome == Outcome.REJECTED
    assert x.publish(post(media=(PICTURE,) * 5)).outcome == Outcome.REJECTED
    assert x.publish(post(media=(PICTURE, VIDEO))).outcome == Outcome.REJECTED
    assert requests_to(httpserver, "/2/tweets") == requests_to(httpserver, "/1.1/media/upload.json") == []


def test_check_reads_the_signed_in_user(httpserver):
    me = {"data": {"id": "2244994945", "name": "X Dev", "username": "XDevelopers"}}
    httpserver.expect_request("/2/users/me", method="GET").respond_with_json(me)
    result = connector(httpserver).check()
    assert (result.outcome, result.platform_id, result.message) == (Outcome.SENT, "2244994945", "@XDevelopers")
    httpserver.clear()
    httpserver.expect_request("/2/users/me").respond_with_json({"title": "Unauthorized", "status": 401}, status=401)
    assert clean(connector(httpserver).check()).outcome == Outcome.UNAUTHORIZED


@pytest.mark.parametrize(
    "text, length",
    [
        ("a" * 280, 280),
        ("双十一" * 10, 60),  # CJK weighs 2
        ("see https://festa.shop/a-very/long/path?utm_source=x&utm_medium=social", 4 + 23),  # any URL weighs 23
        ("👍", 2),
        ("👨\u200d👩\u200d👧", 2),  # one ZWJ family sequence
        ("🇨🇳", 2),  # a flag: two regional indicators
        ("“quote” – ok…", 14),  # quotes and dashes weigh 1, the ellipsis 2
        ("e\u0301", 1),  # NFC: é
    ],
)
def test_weighted_length(text, length):
    assert weighted_length(text) == length

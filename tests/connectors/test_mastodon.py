"""The Mastodon connector against a local server answering as docs.joinmastodon.org documents."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Response

from connectors.base import ConfigError, Media, Outcome, PostRequest, Scope
from connectors.mastodon import CREDENTIALS, MEDIA_WAIT, MastodonConnector

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
TOKEN = "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"
CREDS = {"instance_url": "https://mastodon.example", "access_token": TOKEN}
STATUS = {
    "id": "103254962155278888",
    "created_at": "2019-12-05T11:34:47.196Z",
    "uri": "https://mastodon.example/users/festa/statuses/103254962155278888",
    "url": "https://mastodon.example/@festa/103254962155278888",
    "content": "<p>Mid-Autumn sale starts now</p>",
    "visibility": "public",
    "application": {"name": "Festa", "website": None},
    "media_attachments": [],
}
ATTACHMENT = {"id": "22348641", "type": "image", "url": "https://files.example/original/e96382f26c72a29c.jpeg",
              "preview_url": "https://files.example/small/e96382f26c72a29c.jpeg", "description": None}  # fmt: skip
PICTURE = Media("poster.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64)


def connector(httpserver, timeout: float = 5.0) -> MastodonConnector:
    return MastodonConnector(CREDS, base_url=httpserver.url_for(""), timeout=timeout, clock=lambda: NOW)


def post(text: str = "Mid-Autumn sale starts now", **kw) -> PostRequest:
    return PostRequest(text=text, idempotency_key="post-7-acct-3-rev-1", **kw)


def requests_to(httpserver, path: str) -> list:
    """The requests this test sent to ``path`` (a slow handler of another test may still log into the server)."""
    return [req for req, _ in httpserver.log if req.path == path]


def clean(result):
    assert TOKEN not in result.message
    return result


@pytest.mark.parametrize(
    "creds, field",
    [
        ({"access_token": TOKEN}, "instance_url"),
        ({**CREDS, "instance_url": "http://mastodon.example"}, "instance_url"),
        ({**CREDS, "access_token": ""}, "access_token"),
    ],
)
def test_credentials_are_checked(creds, field):
    assert CREDENTIALS == ("instance_url", "access_token")
    with pytest.raises(ConfigError) as err:
        MastodonConnector(creds)
    assert err.value.field == field
    MastodonConnector({**CREDS, "instance_url": "mastodon.example/"})  # a bare host is taken as https


def test_sent_with_bearer_and_idempotency_key(httpserver):
    body = {"status": "Mid-Autumn sale starts now", "in_reply_to_id": "103254962155270000", "visibility": "unlisted"}
    httpserver.expect_request(
        "/api/v1/statuses",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "post-7-acct-3-rev-1"},
        json=body,
    ).respond_with_json(STATUS)
    result = connector(httpserver).publish(post(reply_to="103254962155270000", options={"visibility": "unlisted"}))
    assert clean(result).outcome == Outcome.SENT
    assert result.platform_id == "103254962155278888" and result.url == STATUS["url"]
    httpserver.check_assertions()


def test_picture_is_uploaded_and_attached(httpserver):
    httpserver.expect_request("/api/v2/media", method="POST").respond_with_json(ATTACHMENT)
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_json(STATUS)
    assert connector(httpserver).publish(post(media=(PICTURE,))).outcome == Outcome.SENT
    upload, status = requests_to(httpserver, "/api/v2/media")[-1], requests_to(httpserver, "/api/v1/statuses")[-1]
    assert upload.files["file"].filename == "poster.jpg" and upload.files["file"].read() == PICTURE.data
    assert upload.files["file"].content_type == "image/jpeg"
    assert json.loads(status.data)["media_ids"] == ["22348641"]


def test_video_waits_for_processing(httpserver):
    httpserver.expect_request("/api/v2/media").respond_with_json({**ATTACHMENT, "type": "video", "url": None},
                                                                 status=202)  # fmt: skip
    answers = iter([Response(status=206), Response(json.dumps(ATTACHMENT), 200, content_type="application/json")])
    httpserver.expect_request("/api/v1/media/22348641", method="GET").respond_with_handler(lambda r: next(answers))
    httpserver.expect_request("/api/v1/statuses").respond_with_json(STATUS)
    m = connector(httpserver)
    slept = []
    m._sleep = slept.append
    assert m.publish(post(media=(Media("clip.mp4", "video/mp4", b"\0" * 100),))).outcome == Outcome.SENT
    assert len(slept) == 2


def test_video_still_processing_after_the_wait_is_rejected(httpserver):
    httpserver.expect_request("/api/v2/media").respond_with_json({**ATTACHMENT, "url": None}, status=202)
    httpserver.expect_request("/api/v1/media/22348641").respond_with_data("", status=206)
    m, ticks = connector(httpserver), iter(range(0, 1000, 25))
    m._sleep, m._monotonic = (lambda s: None), (lambda: float(next(ticks)))
    result = m.publish(post(media=(PICTURE,)))
    assert result.outcome == Outcome.REJECTED and f"{MEDIA_WAIT:.0f} s" in result.message
    assert requests_to(httpserver, "/api/v1/statuses") == []


def test_429_reads_the_iso_reset_header(httpserver):
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-24T02:04:30.5Z"}
    httpserver.expect_request("/api/v1/statuses").respond_with_json({"error": "Too many requests"}, 429, headers)
    result = clean(connector(httpserver).publish(post()))
    assert (result.outcome, result.scope) == (Outcome.RATE_LIMITED, Scope.ACCOUNT)
    assert result.retry_at == datetime(2026, 11, 24, 2, 4, 30, 500000, tzinfo=UTC)


def test_429_without_reset_waits_a_window(httpserver):
    httpserver.expect_request("/api/v1/statuses").respond_with_json({"error": "Too many requests"}, 429)
    assert connector(httpserver).publish(post()).retry_at == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    "status, error, outcome",
    [
        (401, "The access token is invalid", Outcome.UNAUTHORIZED),
        (403, "This action is outside the authorized scopes", Outcome.UNAUTHORIZED),
        (422, "Validation failed: Text character limit of 500 exceeded", Outcome.REJECTED),
        (404, "Record not found", Outcome.REJECTED),
        (500, "Internal Server Error", Outcome.UNKNOWN),
        (503, "", Outcome.UNKNOWN),
    ],
)
def test_error_answers(httpserver, status, error, outcome):
    httpserver.expect_request("/api/v1/statuses").respond_with_json({"error": error}, status=status)
    result = clean(connector(httpserver).publish(post()))
    assert result.outcome == outcome and error in result.message and str(status) in result.message


def test_html_error_page_from_a_proxy_is_unknown(httpserver):
    httpserver.expect_request("/api/v1/statuses").respond_with_data("<html>502 Bad Gateway</html>", status=502)
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN


def test_malformed_json_in_200_is_unknown(httpserver):
    httpserver.expect_request("/api/v1/statuses").respond_with_data('{"id": "1032', content_type="application/json")
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN
    httpserver.clear()
    httpserver.expect_request("/api/v1/statuses").respond_with_json({"content": "<p>no id</p>"})
    assert connector(httpserver).publish(post()).outcome == Outcome.UNKNOWN


def test_media_upload_failures_are_retry_safe_or_final(httpserver):
    httpserver.expect_request("/api/v2/media").respond_with_json(
        {"error": "Error processing thumbnail for uploaded media"}, status=500
    )
    result = connector(httpserver).publish(post(media=(PICTURE,)))
    assert result.outcome == Outcome.UNAVAILABLE and result.surely_not_sent
    httpserver.clear()
    httpserver.expect_request("/api/v2/media").respond_with_json(
        {"error": "Validation failed: File content type is invalid, File is invalid"}, status=422
    )
    assert connector(httpserver).publish(post(media=(PICTURE,))).outcome == Outcome.REJECTED
    assert requests_to(httpserver, "/api/v1/statuses") == []


def test_read_timeout_is_unknown(httpserver):
    def slow(request):
        time.sleep(0.6)
        return Response(json.dumps(STATUS), 200, content_type="application/json")

    httpserver.expect_request("/api/v1/statuses").respond_with_handler(slow)
    assert clean(connector(httpserver, timeout=0.2).publish(post())).outcome == Outcome.UNKNOWN
    deadline = time.monotonic() + 5
    while (
        not requests_to(httpserver, "/api/v1/statuses") and time.monotonic() < deadline
    ):  # let the handler finish before the next test
        time.sleep(0.05)


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    m = MastodonConnector(CREDS, base_url=f"http://127.0.0.1:{port}", timeout=2.0)
    assert clean(m.publish(post())).outcome == Outcome.UNAVAILABLE
    assert m.check().outcome == Outcome.UNAVAILABLE


def test_check_verifies_credentials(httpserver):
    account = {"id": "14715", "username": "festa", "acct": "festa", "url": "https://mastodon.example/@festa"}
    httpserver.expect_request(
        "/api/v1/accounts/verify_credentials", method="GET", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json(account)
    result = connector(httpserver).check()
    assert (result.outcome, result.platform_id, result.message) == (Outcome.SENT, "14715", "@festa")
    httpserver.clear()
    httpserver.expect_request("/api/v1/accounts/verify_credentials").respond_with_json(
        {"error": "The access token was revoked"}, status=401
    )
    assert clean(connector(httpserver).check()).outcome == Outcome.UNAUTHORIZED

"""Asynchronous publishing (WeChat): a submitted publish job counts as sent, then the worker asks WeChat what
became of it (``freepublish/get``) against a local server answering as developers.weixin.qq.com documents."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from app.services import reconcile, secrets
from app.services.auth import Actor
from app.services.dispatch import Dispatcher
from connectors import registry
from tests.conftest import NOW, Clock
from tests.integration import publishing_kit as kit

CREDS = {"appid": "wx8f1c2a3b4d5e6f70", "secret": "3c93e33e087e57b906f5c341aa5223b9", "thumb_media_id": "THUMB"}
TOKEN = "81_kGHwLs7Fh0vT5kq9xQeRfesta2026ZzYyXxWwVvUuTtSsRrQqPpOoNnMmLlKkJjIiHhGgFf"
ARTICLE = "https://mp.weixin.qq.com/s/b5O2OUs25HBx"


@pytest.fixture
def httpserver():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def pub(container):
    c = replace(container, clock=Clock())
    c.ws = kit.workspace(c)
    c.acct = kit.account(c, c.ws, name="公众号", connector="wechat", channel="wechat")
    secrets.set_credentials(c, Actor.system(), c.acct, CREDS)
    return c


def wechat(httpserver, jobs: dict[str, int]):
    """WeChat: drafts and submissions accepted (publish_id 1, 2, ...); ``jobs`` maps a publish_id to its status."""
    submitted = []

    def submit(_request):
        submitted.append(str(2247483670 + len(submitted)))
        return Response(json.dumps({"errcode": 0, "errmsg": "ok", "publish_id": submitted[-1]}))

    def get(request):
        job = json.loads(request.data)["publish_id"]
        state = jobs.get(job, 1)
        answer = {"publish_id": job, "publish_status": state}
        if state == 0:
            detail = {"count": 1, "item": [{"idx": 1, "article_url": ARTICLE}]}
            answer |= {"article_id": "b5O2", "article_detail": detail}
        if state == 4:
            answer["fail_idx"] = [1]
        return Response(json.dumps(answer, ensure_ascii=False), content_type="application/json")

    httpserver.expect_request("/cgi-bin/stable_token").respond_with_json({"access_token": TOKEN, "expires_in": 7200})
    httpserver.expect_request("/cgi-bin/draft/add").respond_with_json({"media_id": "DRAFT_1"})
    httpserver.expect_request("/cgi-bin/freepublish/submit").respond_with_handler(submit)
    httpserver.expect_request("/cgi-bin/freepublish/get").respond_with_handler(get)
    return submitted


def connect(c, httpserver):
    return lambda name, creds: registry.build(name, creds, base_url=httpserver.url_for(""), timeout=2, clock=c.clock)


def asked(httpserver) -> list[str]:
    return [json.loads(r.data)["publish_id"] for r, _ in httpserver.log if r.path == "/cgi-bin/freepublish/get"]


def test_published_jobs_keep_their_url_and_refused_ones_fail_with_wechats_reason(pub, httpserver):
    jobs: dict[str, int] = {}
    submitted = wechat(httpserver, jobs)
    out, refused, pending = kit.scheduled(pub, pub.ws, pub.acct, n=3, body="中秋大促")
    Dispatcher(pub, "w1", connect=connect(pub, httpserver)).run_due()
    assert set(kit.states(pub).values()) == {"sent"} and len(submitted) == 3  # a job accepted counts as sent
    jobs.update({submitted[0]: 0, submitted[1]: 4})  # the third is still publishing
    pub.clock.now += timedelta(minutes=5)
    assert reconcile.confirm_jobs(pub, "w1", connect=connect(pub, httpserver)) == 2
    p = kit.post(pub, out)
    assert (p.state, p.external_id, p.external_url) == ("sent", submitted[0], ARTICLE)
    assert kit.events(pub, out) == ["sent", "resolved"]
    p = kit.post(pub, refused)
    assert (p.state, p.published_at) == ("failed", None) and "audit refused" in p.last_error
    assert kit.events(pub, refused) == ["sent", "failed"]
    assert kit.post(pub, pending).state == "sent" and kit.events(pub, pending) == ["sent"]
    assert sorted(asked(httpserver)) == sorted(submitted)
    jobs[submitted[2]] = 0
    assert reconcile.confirm_jobs(pub, "w1", connect=connect(pub, httpserver)) == 1  # settled ones are not asked
    assert asked(httpserver)[3:] == [submitted[2]] and kit.post(pub, pending).external_url == ARTICLE


def test_jobs_are_asked_about_for_three_days_only(pub, httpserver):
    wechat(httpserver, {})
    kit.scheduled(pub, pub.ws, pub.acct)
    Dispatcher(pub, "w1", connect=connect(pub, httpserver)).run_due()
    pub.clock.now = NOW + reconcile.CONFIRM_FOR + timedelta(minutes=1)
    assert reconcile.confirm_jobs(pub, "w1", connect=connect(pub, httpserver)) == 0 and asked(httpserver) == []

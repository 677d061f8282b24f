"""Publishing health through AppTest: workers, the queue, posts that need a person, the outbox."""

import pytest

from app.services import publish_views, workers
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

PAGE = "app/pages/publishing_health.py"


def _page(c, lang="en", role="analyst"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _needing(c, state):
    return next(p for p in publish_views.health(c, Actor.system()).needs_person if p.state == state)


def _state(c, post_id):
    return publish_views.detail(c, Actor.system(), post_id).post.state


def _buttons(at, prefix):
    return {b.key: b for b in at.button if b.key and b.key.startswith(prefix)}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("role", ["analyst", "content"])
def test_the_page_renders_in_both_languages(demo_app, lang, role):
    c = demo_app
    at = _page(c, lang, role)
    text = visible_text(at)
    assert "⟦" not in text
    queue = at.dataframe[0].value
    assert len(queue) == 13  # every state, in a fixed order
    if lang == "en":
        assert at.title[0].value == "Publishing health"
        assert {"Failed", "Outcome unknown", "Missed"} <= set(queue["State"])
        assert "Needs a person" in text
        links = [x for x in at.get("page_link") if x.proto.label == "Open on the review page"]
        health = publish_views.health(c, Actor.system())
        assert len(links) == len(health.needs_person) >= 3 and "post=" in links[0].proto.query_string
        assert len(at.dataframe[-1].value) == len(publish_views.outbox(c, Actor.system())) > 0
    else:
        assert at.title[0].value == "发布状态" and "结果未知" in set(queue["状态"])
    if role == "analyst":  # read only
        assert not _buttons(at, "retry_") and not _buttons(at, "sent_")
    else:
        assert _buttons(at, "retry_") and _buttons(at, "sent_") and _buttons(at, "resend_")


def test_no_worker_heartbeat_warns(demo_app):
    at = _page(demo_app)
    assert "python -m app worker" in at.warning[0].value
    workers.beat(demo_app, "w-1", "host-a", 4242)
    at = _page(demo_app)
    assert not any("python -m app worker" in w.value for w in at.warning)
    assert "host-a" in set(at.dataframe[0].value["Host"])


def test_retry_moves_a_failed_post(demo_app):
    failed = _needing(demo_app, "failed")
    at = _page(demo_app, role="content")
    _buttons(at, "retry_")[f"retry_{failed.id}"].click()
    at.run()
    assert not at.exception and not at.error
    assert _state(demo_app, failed.id) != "failed"
    assert f"#{failed.id}" in at.success[0].value


def test_resolving_an_unknown_post_as_sent_keeps_its_url(demo_app):
    unknown = _needing(demo_app, "unknown")
    at = _page(demo_app, role="content")
    at.text_input(key=f"url_{unknown.id}").input("ftp://nope")
    at.button(key=f"sent_{unknown.id}").click()
    at.run()
    assert "https://" in at.error[0].value and _state(demo_app, unknown.id) == "unknown"
    at.text_input(key=f"url_{unknown.id}").input("https://weibo.com/festa/123")
    at.button(key=f"sent_{unknown.id}").click()
    at.run()
    assert not at.exception and not at.error
    post = publish_views.detail(demo_app, Actor.system(), unknown.id).post
    assert post.state == "sent" and post.external_url == "https://weibo.com/festa/123"


def test_resolving_an_unknown_post_as_not_sent_queues_it_again(demo_app):
    unknown = _needing(demo_app, "unknown")
    at = _page(demo_app, "zh-CN", role="content")
    at.button(key=f"resend_{unknown.id}").click()
    at.run()
    assert not at.exception and not at.error
    assert _state(demo_app, unknown.id) == "scheduled"

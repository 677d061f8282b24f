"""The reminder for hand-offs (manual channels): the assignee sees their waiting posts on the Overview and marks
them published there; Publishing health lists them per assignee."""

from sqlalchemy import update

from app.services import handoffs, publish_views
from app.services.auth import Actor
from data.models import Post
from tests.app.conftest import run_app, token_for, visible_text

HEALTH = "app/pages/publishing_health.py"


def _assign(c, who: str) -> int:
    """Hand the first waiting hand-off to ``who``; returns its id."""
    [first, *_] = handoffs.waiting(c, Actor.system())
    with c.uow(write=True) as uow:
        uow.session.execute(update(Post).where(Post.id == first.post.id).values(assignee=who))
    return first.post.id


def test_the_assignee_sees_their_hand_offs_on_the_overview_and_marks_one_published(demo_app):
    pid = _assign(demo_app, "Demo Content <content@demo.festa.test>")
    at = run_app("en", token_for(demo_app, "content"))
    assert not at.exception
    assert "Waiting for you to post by hand" in visible_text(at)
    assert [b.key for b in at.button if b.key and b.key.startswith("handoff_done_")] == [f"handoff_done_{pid}"]
    at.text_input(key=f"handoff_url_{pid}").input("https://www.douyin.com/video/7312345678901234567")
    at.button(key=f"handoff_done_{pid}").click()
    at.run()
    assert not at.exception and not at.error and f"#{pid}" in at.success[0].value
    post = publish_views.detail(demo_app, Actor.system(), pid).post
    assert (post.state, post.external_url) == ("sent", "https://www.douyin.com/video/7312345678901234567")
    assert "Waiting for you to post by hand" not in visible_text(at)  # nothing else is theirs


def test_someone_else_sees_no_reminder_and_health_lists_hand_offs_per_assignee(demo_app):
    _assign(demo_app, "小林 · lin@agency.example")
    assert [h.user for h in handoffs.waiting(demo_app, Actor.system())] == [None]  # nobody of Festa's: no reminder
    _assign(demo_app, "demo MANAGER")  # by display name, any case
    at = run_app("en", token_for(demo_app, "content"))
    assert not at.exception and "Waiting for you to post by hand" not in visible_text(at)
    at.switch_page(HEALTH).run()
    assert not at.exception and "Hand-offs by assignee" in visible_text(at)
    table = next(df.value for df in at.dataframe if "Assignee" in df.value.columns)
    assert list(zip(table["Assignee"], table["Festa user"], table["Posts"], strict=True)) == [
        ("demo MANAGER", "Demo manager", 1)
    ]

from datetime import datetime, timedelta

from app.services import auth, channel_accounts, posts, publish_views
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _actor(c, role):
    return auth.resume(c, token_for(c, role))


def _composed(c, submit=True):
    """A post by the demo content account, for Weibo, tomorrow at 10:00 Shanghai time."""
    content = _actor(c, "content")
    weibo = next(a.id for a in channel_accounts.accounts(c, SYSTEM) if a.channel == "weibo")
    when = (datetime.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    (pid,) = posts.compose_posts(c, content, posts.Draft("双12 预告", (weibo,), title="Teaser", local_time=when))
    if submit:
        posts.submit(c, content, pid)
    return pid


def _page(c, role, post_id=None, lang="en"):
    at = run_app(lang, token_for(c, role))
    if post_id is not None:
        at.query_params["post"] = str(post_id)
    at.switch_page("app/pages/review.py").run()
    assert not at.exception, at.exception
    return at


def _click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def _labels(at):
    return [b.label for b in at.button]


def _state(c, pid):
    return publish_views.detail(c, SYSTEM, pid).post.state


def test_the_queue_lists_posts_in_review_and_the_address_picks_one(demo_app):
    pid = _composed(demo_app)
    at = _page(demo_app, "manager", pid)
    queue = at.dataframe[0].value
    assert pid in list(queue["#"])
    assert f"review?post={pid}" in list(queue["Review"])
    assert at.selectbox[0].value == pid
    assert "Festa 官方微博 · Weibo · In review · revision 1" in visible_text(at)
    assert "双12 预告" in [x.value for x in at.text]


def test_a_manager_approves_what_content_wrote_and_content_cannot(demo_app):
    pid = _composed(demo_app)
    content = _page(demo_app, "content", pid)
    assert "Approve" not in _labels(content) and "Request changes" not in _labels(content)
    at = _page(demo_app, "manager", pid)
    at.text_area(key=f"review_note_{pid}").input("Looks good")
    _click(at, "Approve")
    assert [s.value for s in at.success] == [f"#{pid} approved.", "Revision 1 is approved."]
    assert _state(demo_app, pid) == "approved"
    assert "Looks good" in list(at.dataframe[-1].value["Comment"])  # the history table
    events = publish_views.detail(demo_app, SYSTEM, pid).history
    assert [e.kind for e in events] == ["created", "submitted", "approved"]
    assert events[-1].body == "Looks good"
    assert "Approved" in visible_text(at)


def test_request_changes_needs_a_comment(demo_app):
    pid = _composed(demo_app)
    at = _page(demo_app, "manager", pid, lang="zh-CN")
    _click(at, "退回修改")
    assert [e.value for e in at.error] == ["意见：必填。"]
    assert _state(demo_app, pid) == "in_review"
    at.text_area(key=f"review_note_{pid}").input("请加上活动链接")
    _click(at, "退回修改")
    assert [s.value for s in at.success] == [f"#{pid} 已退回修改。"]
    assert _state(demo_app, pid) == "draft"


def test_content_schedules_an_approved_post_and_an_edit_lapses_the_approval(demo_app):
    pid = _composed(demo_app)
    posts.approve(demo_app, _actor(demo_app, "manager"), pid, 1)
    at = _page(demo_app, "content", pid)
    assert "Revision 1 is approved." in [s.value for s in at.success]
    _click(at, "Schedule")
    assert _state(demo_app, pid) == "scheduled"
    assert "Unschedule" in _labels(at)
    assert "Saving an edit lapses the approval" in visible_text(at)
    at.text_area(key=f"review_body_{pid}_1").input("双12 预告 · 改")
    _click(at, "Save edit")
    assert [s.value for s in at.success] == [f"#{pid} edited."]
    assert _state(demo_app, pid) == "in_review"
    kinds = [e.kind for e in publish_views.detail(demo_app, SYSTEM, pid).history]
    assert kinds[-2:] == ["edited", "approval_lapsed"]


def test_anyone_comments_and_a_missing_post_is_named(demo_app):
    pid = _composed(demo_app, submit=False)
    at = _page(demo_app, "analyst", pid)
    assert "Submit for review" not in _labels(at)  # analysts read only
    at.text_area(key=f"review_comment_{pid}").input("Numbers look right")
    _click(at, "Comment")
    assert publish_views.detail(demo_app, SYSTEM, pid).history[-1].body == "Numbers look right"
    at = _page(demo_app, "analyst", 999_999)
    assert "There is no post #999999." in [w.value for w in at.warning]

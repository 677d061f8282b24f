from datetime import UTC, date, datetime, time

import pytest

from app.services import auth, channel_accounts, posts, publish_views
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()
PAGE = "app/pages/posts_calendar.py"


def _page(c, role="content", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _run(at):
    at.run()
    assert not at.exception, at.exception
    return at


def _approved_in_new_york(c):
    """An approved e-mail post for Wednesday 10 March 2027, 10:00 in New York (23:00 in Shanghai)."""
    content, manager = (auth.resume(c, token_for(c, r)) for r in ("content", "manager"))
    email = next(a.id for a in channel_accounts.accounts(c, SYSTEM) if a.channel == "email")
    draft = posts.Draft(
        "Spring preview", (email,), title="Spring", local_time=datetime(2027, 3, 10, 10), timezone="America/New_York"
    )
    (pid,) = posts.compose_posts(c, content, draft)
    posts.submit(c, content, pid)
    posts.approve(c, manager, pid, 1)
    return pid


@pytest.mark.parametrize(
    ("lang", "monday", "week", "month"), [("en", "Mon", "Week", "Month"), ("zh-CN", "周一", "周", "月")]
)
def test_week_and_month_render_in_both_languages(demo_app, lang, monday, week, month):
    _approved_in_new_york(demo_app)
    at = run_app(lang, token_for(demo_app, "manager"))
    at.session_state["posts_anchor"] = date(2027, 3, 10)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    grid = at.dataframe[0].value
    assert len(grid.columns) == 7
    wednesday = grid.columns[2]
    assert "Spring" in grid[wednesday][0]  # 10:00 in New York is Wednesday 23:00 in the workspace's Shanghai
    assert at.radio(key="_posts_view").options == [week, month]
    at.radio(key="_posts_view").set_value("month")
    _run(at)
    grid = at.dataframe[0].value
    assert list(grid.columns)[0] == monday and len(grid.columns) == 7
    assert any("1" in str(v) and ("1 posts" in str(v) or "1 篇" in str(v)) for v in grid.to_numpy().ravel())
    assert "Spring" in visible_text(at)


def test_prev_and_next_move_by_a_week(demo_app):
    at = _page(demo_app)
    at.session_state["posts_anchor"] = date(2027, 3, 10)
    _run(at)
    assert "Mar 8, 2027 to Mar 14, 2027" in visible_text(at)
    next(b for b in at.button if b.label == "Next ▶").click()
    _run(at)
    assert "Mar 15, 2027 to Mar 21, 2027" in visible_text(at)


def test_filters_stay_while_visiting_other_pages(demo_app):
    at = _page(demo_app)
    at.multiselect(key="_posts_channels").select("weibo")
    at.radio(key="_posts_view").set_value("month")
    _run(at)
    listed = at.dataframe[1].value
    assert set(listed["Account"]) <= {"Festa 官方微博 · Weibo"}
    at.switch_page("app/pages/review.py").run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.multiselect(key="_posts_channels").value == ["weibo"]
    assert at.radio(key="_posts_view").value == "month"


def test_a_post_moves_and_a_dst_gap_is_refused(demo_app):
    pid = _approved_in_new_york(demo_app)
    at = _page(demo_app)
    at.session_state["posts_anchor"] = date(2027, 3, 10)
    _run(at)
    at.selectbox(key="posts_move_post").select(pid)
    _run(at)
    assert "Time zone: America/New_York" in visible_text(at)
    at.date_input(key=f"posts_move_day_{pid}").set_value(date(2027, 3, 14))
    at.time_input(key=f"posts_move_time_{pid}").set_value(time(2, 30))
    _run(at)
    next(b for b in at.button if b.label == "Move to this time").click()
    _run(at)
    assert "does not exist in America/New_York" in at.error[0].value
    assert publish_views.detail(demo_app, SYSTEM, pid).post.scheduled_at == datetime(2027, 3, 10, 15, tzinfo=UTC)
    at.time_input(key=f"posts_move_time_{pid}").set_value(time(9, 0))
    _run(at)
    next(b for b in at.button if b.label == "Move to this time").click()
    _run(at)
    assert [s.value for s in at.success] == [f"#{pid} moved to 3/14/27, 9:00\u202fAM (America/New_York)."]
    moved = publish_views.detail(demo_app, SYSTEM, pid).post
    assert moved.scheduled_at == datetime(2027, 3, 14, 13, tzinfo=UTC)  # 09:00 EDT
    assert moved.state == "approved"  # the text is unchanged, so the approval holds


def test_unscheduled_drafts_are_listed_with_a_link_to_review(demo_app):
    content = auth.resume(demo_app, token_for(demo_app, "content"))
    weibo = next(a.id for a in channel_accounts.accounts(demo_app, SYSTEM) if a.channel == "weibo")
    (pid,) = posts.compose_posts(demo_app, content, posts.Draft("No time yet", (weibo,), title="Someday"))
    at = _page(demo_app, role="analyst")
    waiting = at.dataframe[-1].value
    assert f"review?post={pid}" in list(waiting["Review page"])
    assert "Posts without a time" in visible_text(at)
    assert "Move to this time" not in [b.label for b in at.button]  # analysts move nothing

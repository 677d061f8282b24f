"""KOL deliverables on the publishing calendar (beside the posts, with the deal's status and an overdue mark; a
switch hides them; the campaign filter applies) and the reminder of a deal's owner on the Overview and Publishing
health."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.services import planning
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text
from tests.integration import kol_schedule_kit as kit

PAGE = "app/pages/posts_calendar.py"
HEALTH = "app/pages/publishing_health.py"
SHANGHAI = ZoneInfo("Asia/Shanghai")  # the demo workspace's zone


def _late_deliverable(c, owner: str = "content@demo.festa.test"):
    """An overdue short video (due an hour ago) of partner 测试达人 in a new campaign; returns (campaign, due)."""
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    k = kit.campaign(c, "KOL 日历测试", start=due - timedelta(days=10))
    kit.deal(c, k, "测试达人", "agreed", owner, ("short_video", "douyin", due, ""))
    return k, due


def _calendar(c, due, lang="en", role="content"):
    at = run_app(lang, token_for(c, role))
    at.session_state["posts_anchor"] = due.astimezone(SHANGHAI).date()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _run(at):
    at.run()
    assert not at.exception, at.exception
    return at


def _grid_cells(at) -> list[str]:
    return [str(v) for v in at.dataframe[0].value.to_numpy().ravel()]


def test_the_week_shows_a_deliverable_with_its_overdue_mark_and_the_switch_hides_it(demo_app):
    k, due = _late_deliverable(demo_app)
    at = _calendar(demo_app, due)
    line = "KOL · 测试达人 · Short video · Douyin (Agreed) ⚠ overdue"
    assert any(cell.endswith(line) for cell in _grid_cells(at))
    table = next(df.value for df in at.dataframe if "Partner" in df.value.columns)
    row = table[table["Partner"] == "测试达人"].iloc[0]
    assert (row["Deal status"], row["Overdue"], row["Campaign"]) == ("Agreed", "⚠ overdue", "KOL 日历测试")
    assert "KOL deliverables are not moved here" in visible_text(at)
    assert all("测试达人" not in label for label in at.selectbox(key="posts_move_post").options or [])

    at.toggle(key="_posts_kol").set_value(False)
    _run(at)
    assert "测试达人" not in visible_text(at)
    assert "KOL deliverables in this period" not in visible_text(at)
    at.toggle(key="_posts_kol").set_value(True)
    _run(at)
    assert "测试达人" in visible_text(at)


def test_the_campaign_filter_applies_to_deliverables(demo_app):
    k, due = _late_deliverable(demo_app)
    at = _calendar(demo_app, due)
    other = next(x.id for x in planning.campaigns(demo_app, Actor.system()) if x.id != k)
    at.selectbox(key="_posts_campaign").select(other)
    _run(at)
    assert "测试达人" not in visible_text(at)
    at.selectbox(key="_posts_campaign").select(k)
    _run(at)
    assert "测试达人" in visible_text(at)


def test_the_month_counts_deliverables_and_marks_an_overdue_day_in_chinese(demo_app):
    _, due = _late_deliverable(demo_app)
    at = _calendar(demo_app, due, lang="zh-CN")
    assert any("达人 · 测试达人 · 短视频 · 抖音（已确认） ⚠ 逾期" in cell for cell in _grid_cells(at))
    at.radio(key="_posts_view").set_value("month")
    _run(at)
    day = due.astimezone(SHANGHAI).day
    assert any(cell.startswith(f"{day} 日") and "达人" in cell and "⚠ 逾期" in cell for cell in _grid_cells(at))
    assert "⟦" not in visible_text(at)


def test_the_owner_is_reminded_on_the_overview_and_nobody_else(demo_app):
    _late_deliverable(demo_app, owner="Demo Content <content@demo.festa.test>")
    at = run_app("en", token_for(demo_app, "content"))
    assert not at.exception, at.exception
    assert "Your KOL deliverables" in visible_text(at)
    table = next(df.value for df in at.dataframe if "Partner" in df.value.columns)
    row = table[table["Partner"] == "测试达人"].iloc[0]
    assert (row["Campaign"], row["Deliverable"], row["Overdue"]) == ("KOL 日历测试", "Short video", "⚠ overdue")

    other = run_app("en", token_for(demo_app, "analyst"))
    assert not other.exception, other.exception
    assert "测试达人" not in visible_text(other)


def test_publishing_health_lists_deliverables_per_owner_with_overdue_ones_flagged(demo_app):
    _late_deliverable(demo_app, owner="demo CONTENT")  # by display name, any case
    at = run_app("en", token_for(demo_app, "analyst"))
    at.switch_page(HEALTH).run()
    assert not at.exception, at.exception
    assert "KOL deliverables by owner" in visible_text(at)
    table = next(df.value for df in at.dataframe if "Owner" in df.value.columns)
    row = table[table["Owner"] == "demo CONTENT"].iloc[0]
    assert (row["Festa user"], row["Deliverables"], row["Overdue"]) == ("Demo content", 1, 1)
    assert row["Which"].startswith("测试达人 · Short video · ") and row["Which"].endswith("⚠ overdue")

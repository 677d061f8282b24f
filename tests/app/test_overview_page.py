from app.services.auth import Actor
from app.services.overview import get_overview
from app.ui import format as fmt
from app.ui.catalog import CATALOG
from tests.app.conftest import run_app, token_for, visible_text


def test_overview_shows_the_demo_workspace_in_chinese_by_default(demo_app):
    at = run_app(token=token_for(demo_app, "manager"))
    assert not at.exception
    assert at.title[0].value == "概览"
    ov = get_overview(demo_app, Actor.system())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["成交额"] == fmt.compact_money(ov.last_finished.revenue, "zh-CN")
    assert metrics["成交额"].startswith("¥") and metrics["成交额"].endswith("万")
    assert metrics["点击率"] == fmt.percent(ov.last_finished.ctr, "zh-CN")
    assert metrics["曝光"].endswith("万")
    text = visible_text(at)
    assert ov.running[0].name in text
    assert ov.next_posts[0].title in text
    assert CATALOG[f"festival.{ov.festivals[0].key}"]["zh-CN"] in text  # the next festival, by its Chinese name
    assert "⟦" not in text


def test_language_switch_changes_every_label(demo_app):
    at = run_app(token=token_for(demo_app, "analyst"))
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    labels = [m.label for m in at.metric]
    assert "Revenue" in labels and "CTR" in labels
    text = visible_text(at)
    soonest = get_overview(demo_app, Actor.system()).festivals[0].key
    assert "Upcoming festivals" in text and CATALOG[f"festival.{soonest}"]["en"] in text and "⟦" not in text


def test_lang_in_the_address_picks_the_language(demo_app):
    at = run_app("en", token_for(demo_app, "content"))
    assert at.title[0].value == "Overview"
    assert at.sidebar.radio[0].value == "en"


def test_an_empty_workspace_explains_how_to_get_demo_data(admin_app):
    at = run_app("en", admin_app.admin_token)
    assert not at.exception
    assert "python -m app seed-demo" in at.info[0].value
    assert "Upcoming festivals" in visible_text(at)


def test_an_unmigrated_database_is_one_clear_message_not_a_traceback(app_env):
    at = run_app("en")
    assert not at.exception
    assert len(at.error) == 1
    assert "Festa cannot start yet" in at.error[0].value
    assert "python -m app migrate" in at.error[0].value
    at = run_app("zh-CN")
    assert at.error[0].value.startswith("Festa 还不能启动：数据库处于迁移版本 —，当前 Festa 需要 ")
    assert "python -m app migrate" in at.error[0].value

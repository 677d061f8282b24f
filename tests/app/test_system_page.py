from app.worker import Worker
from tests.app.conftest import run_app, visible_text


def _system(lang, c):
    at = run_app(lang, c.admin_token)
    at.switch_page("app/pages/system.py").run()
    assert not at.exception
    return at


def test_system_page_shows_checks_and_asks_for_a_worker(admin_app):
    at = _system("en", admin_app)
    assert at.title[0].value == "System status"
    checks = at.dataframe[0].value
    assert list(checks["Check"]) == ["Database", "Migrations", "Secrets", "Worker"]
    assert "Problem" in checks["Status"].iloc[3]
    assert "No worker is running" in at.warning[0].value


def test_system_page_shows_the_worker_heartbeat_and_masks_secrets(admin_app):
    migrated = admin_app
    Worker(migrated).tick()
    at = _system("zh-CN", migrated)
    assert at.title[0].value == "系统状态"
    text = visible_text(at)
    assert migrated.settings.secret_key not in text
    beats = at.dataframe[1].value
    assert len(beats) == 1 and beats.iloc[0]["次数"] == 1
    assert "⟦" not in text

from app.worker import Worker
from tests.app.conftest import run_app, visible_text


def _system(lang):
    at = run_app(lang)
    at.switch_page("app/pages/system.py").run()
    assert not at.exception
    return at


def test_system_page_shows_checks_and_asks_for_a_worker(migrated):
    at = _system("en")
    assert at.title[0].value == "System status"
    checks = at.dataframe[0].value
    assert list(checks["Check"]) == ["Database", "Migrations", "Worker"]
    assert "Problem" in checks["Status"].iloc[2]
    assert "No worker is running" in at.warning[0].value


def test_system_page_shows_the_worker_heartbeat_and_masks_secrets(migrated):
    Worker(migrated).tick()
    at = _system("zh-CN")
    assert at.title[0].value == "系统状态"
    text = visible_text(at)
    assert migrated.settings.secret_key not in text
    beats = at.dataframe[1].value
    assert len(beats) == 1 and beats.iloc[0]["次数"] == 1
    assert "⟦" not in text

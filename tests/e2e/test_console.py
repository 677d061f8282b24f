"""Every page in both languages, in a real browser, with no exception and no untranslated key."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from app.ui.catalog import CATALOG
from tests.e2e.conftest import ARTIFACTS, ROOT, RunningFesta

pytestmark = pytest.mark.e2e
PAGES = [("", "page.overview"), ("system", "page.system")]  # the Overview is the default page, at /


def _open(browser, festa, path, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=lang)
    page = context.new_page()
    page.goto(f"{festa.url}/{path}?lang={lang}")
    return context, page


def _settled(page, title):
    expect(page.locator("h1").first).to_have_text(re.compile(re.escape(title)), timeout=60_000)
    # the script has finished its run, and every table has drawn itself
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=60_000)
    for table in page.locator('[data-testid="stDataFrame"]').all():
        expect(table.locator("canvas").first).to_be_attached(timeout=30_000)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("path, title_key", PAGES)
def test_every_page_renders_in_both_languages(festa, browser, path, title_key, lang):
    context, page = _open(browser, festa, path, lang)
    try:
        _settled(page, CATALOG[title_key][lang])
        body = page.inner_text("body")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        assert "⟦" not in body, "an untranslated catalog key is on the page"
        for _, key in PAGES:  # the navigation speaks the same language
            assert CATALOG[key][lang] in body
        ARTIFACTS.mkdir(exist_ok=True)
        if not path:
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}-{lang}.png"), full_page=True)
    finally:
        context.close()


def test_overview_serves_the_demo_workspace(festa, browser):
    context, page = _open(browser, festa, "", "en")
    try:
        _settled(page, "Overview")
        expect(page.get_by_text("Last finished campaign: 双11")).to_be_visible()
        expect(page.get_by_test_id("stMetricLabel").filter(has_text="Revenue")).to_be_visible()
        expect(page.get_by_text("Running campaigns")).to_be_visible()
        expect(page.get_by_text("Next scheduled posts")).to_be_visible()
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    finally:
        context.close()


def test_the_language_switch_in_the_sidebar(festa, browser):
    context, page = _open(browser, festa, "", "zh-CN")
    try:
        _settled(page, "概览")
        page.get_by_test_id("stSidebar").get_by_text("English").click()
        _settled(page, "Overview")
        expect(page.get_by_test_id("stSidebar").get_by_text("System status")).to_be_visible()
    finally:
        context.close()


def test_the_system_page_shows_the_running_worker(festa, browser):
    context, page = _open(browser, festa, "system", "en")
    try:
        _settled(page, "System status")
        expect(page.get_by_text("Worker heartbeats")).to_be_visible()
        assert page.get_by_text("No worker is running").count() == 0
    finally:
        context.close()


def _counts(env) -> str:
    code = (
        "from app.bootstrap import build_container; from app.config import Settings\n"
        "from sqlalchemy import text\n"
        "c = build_container(Settings.from_env())\n"
        "with c.engine.connect() as conn:\n"
        "    print([conn.execute(text(f'select count(*) from {t}')).scalar()\n"
        "           for t in ('workspace', 'campaign', 'post', 'metric_daily', 'channel_account')])\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True).stdout


def test_ctrl_c_stops_worker_and_console_and_a_second_run_adds_nothing(festa):
    """Runs last in this module: Ctrl-C ends `make run`, the console and the worker."""
    before = _counts(festa.env)
    festa.ctrl_c()
    doctor = subprocess.run(
        [sys.executable, "-m", "app", "doctor"], cwd=ROOT, env=festa.env, capture_output=True, text=True, timeout=60
    )
    assert "no heartbeat" in doctor.stdout  # the worker stopped cleanly and removed its heartbeat
    log = festa.log.read_text()
    assert "Traceback" not in log, log

    again = RunningFesta(festa.log.parent)
    try:
        again.wait_healthy()
        assert "already seeded" in again.log.read_text()
        assert _counts(again.env) == before
    finally:
        assert again.ctrl_c() is not None

"""Measure in a real browser, on the demo workspace: an analyst opens Results on the running campaign (no
figures yet), uploads a Google Ads export on Import data, sees the preview and imports it, and Results shows
the campaign's figures: CTR recomputed from the file's sums, Google's conversions kept apart from the shop's."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from app.config import Settings
from app.ui.catalog import CATALOG
from tests.e2e.conftest import ARTIFACTS, ROOT
from tests.e2e.test_console import _settled, _sign_in

pytestmark = pytest.mark.e2e
LANG = "en"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def t(key: str, **params) -> str:
    return CATALOG[key][LANG].format(**params)


def _running_campaign(festa) -> str:
    engine = create_engine(Settings.from_env(festa.env).database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("select name from campaign where status = 'running'")).scalar_one()
    finally:
        engine.dispose()


def _export(campaign: str) -> str:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    days = [today - timedelta(days=2), today - timedelta(days=1)]
    return (
        "Campaign report\n"
        f'"{days[0]:%B %-d, %Y} - {days[1]:%B %-d, %Y}"\n'
        "Day,Campaign,Clicks,Impr.,CTR,Currency code,Cost,Conversions,Conv. value\n"
        f'{days[0]},{campaign},"1,240",13220,9.38%,CNY,"1,004.40",12.37,"5,120.00"\n'
        f"{days[1]},{campaign},310,4100,7.56%,CNY,316.05,0.5,250.00\n"
        "Total: Account,,1550,17320,8.95%,CNY,1320.45,12.87,5370.00\n"
    )


def _pick(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )


def test_an_imported_export_changes_the_results(festa, browser, tmp_path):
    campaign = _running_campaign(festa)
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale=LANG)
    page = context.new_page()
    try:
        page.goto(f"{festa.url}/?lang={LANG}")
        _sign_in(page, *festa.accounts["analyst"], LANG)
        _settled(page, t("page.overview"))

        page.goto(f"{festa.url}/results?lang={LANG}")
        _settled(page, t("page.results"))
        _pick(page, t("results.campaign"), campaign)
        expect(page.get_by_text(t("results.empty"))).to_be_visible(timeout=30_000)

        page.get_by_role("link", name=t("page.metrics_import"), exact=True).click()
        _settled(page, t("page.metrics_import"))
        export = tmp_path / "Campaign report.csv"
        export.write_text(_export(campaign), encoding="utf-8")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export))
        expect(page.get_by_text(f"{export.name}: read as Google Ads")).to_be_visible(timeout=60_000)
        page.get_by_role("button", name=t("measure.import_button", n=2)).click()
        expect(page.get_by_text("Imported 2 rows")).to_be_visible(timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"measure-import-{LANG}.png"), full_page=True)

        page.get_by_role("link", name=t("page.results"), exact=True).click()
        _settled(page, t("page.results"))
        expect(page.get_by_role("combobox", name=t("results.campaign"), exact=True)).to_have_value(campaign)
        expect(_metric(page, "CTR")).to_contain_text(f"{1550 / 17320:.2%}", timeout=30_000)
        expect(_metric(page, "Spend")).to_contain_text("1.32K")
        # Google's 12.87 conversions and ¥5,370 value stay Google's: the shop's own orders and ROAS are 0
        expect(_metric(page, t("results.orders"))).to_contain_text("0")
        expect(_metric(page, "ROAS")).to_contain_text("0.00")
        expect(page.get_by_text(t("results.by_source_help"))).to_be_visible()
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / f"measure-results-{LANG}.png"), full_page=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"results-{LANG}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()

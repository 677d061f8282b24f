"""KOL partners in a real browser, on the demo workspace, from shortlist to ROI: a marketer shortlists partners
for the running campaign within a budget, invites the one picked who is not in it yet, gives them a personal
coupon code, and moves the deal to published with its URL; an analyst imports the shop's orders carrying that
code; the KOL results page then shows the partner's revenue and ROI against their fee."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.ui.catalog import CATALOG
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_console import _settled, _sign_in
from tests.e2e.test_measure_flow import SCREENSHOTS, _metric, _pick, _running_campaign

pytestmark = pytest.mark.e2e
LANG = "en"
PARTNER = "美食家老王"  # the demo partner with no deal in the running campaign; short video ¥35,000
ORDERS, AMOUNT = 5, 20_000  # five orders of ¥20,000 through the partner's code


def t(key: str, **params) -> str:
    return CATALOG[key][LANG].format(**params)


def _orders_csv() -> str:
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)
    rows = [
        f"KOL-{n},{day}T20:{n:02d}:00+08:00,{AMOUNT}.00,CNY,WANG12,douyin,kol,,WANG12,buyer{n}@example.com"
        for n in range(ORDERS)
    ]
    head = "order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,utm_content,customer_id"
    return "\n".join([head, *rows]) + "\n"


def _apply(page, step: str) -> None:
    page.get_by_text(t(f"deal.move_{step}"), exact=True).click()
    page.get_by_role("button", name=t("deal.apply")).click()
    expect(page.get_by_text(t("deal.moved", name=PARTNER, status=t(f"deal.status_{step}")))).to_be_visible(
        timeout=30_000
    )


def test_from_shortlist_to_roi(festa, browser, tmp_path):
    campaign = _running_campaign(festa)
    ARTIFACTS.mkdir(exist_ok=True)
    marketer = browser.new_context(viewport={"width": 1400, "height": 1100}, locale=LANG)
    analyst = browser.new_context(viewport={"width": 1400, "height": 1100}, locale=LANG)
    try:
        page = marketer.new_page()
        page.goto(f"{festa.url}/?lang={LANG}")
        _sign_in(page, *festa.accounts["marketer"], LANG)
        _settled(page, t("page.overview"))

        # shortlist within ¥40,000 for the running campaign: the best pick is 美食家老王
        page.goto(f"{festa.url}/kol?lang={LANG}")
        _settled(page, t("page.kol_roster"))
        _pick(page, t("kol.campaign"), campaign)
        budget = page.get_by_role("spinbutton", name=t("kol.budget", currency="CNY"))
        expect(budget).to_have_value("114000", timeout=30_000)  # the campaign's KOL lines, once it has rerun
        budget.fill("40000")
        budget.press("Enter")
        expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1)
        page.get_by_role("button", name=t("kol.run")).click()
        expect(page.get_by_text("1 picked, fees CN¥35,000.00", exact=False)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("combobox", name=t("kol.invite_who"), exact=True)).to_have_value(PARTNER)
        page.get_by_role("button", name=t("kol.invite")).click()

        # the deals page opens on the campaign and the partner: a personal coupon code and a landing page
        _settled(page, t("page.kol_deals"))
        expect(page.get_by_role("combobox", name=t("deal.campaign"), exact=True)).to_have_value(campaign)
        page.get_by_role("tab", name=t("deal.tab_new")).click()
        expect(page.get_by_role("combobox", name=t("deal.field_partner"), exact=True)).to_have_value(
            f"{PARTNER} · @laowang_food"
        )
        page.get_by_role("textbox", name=t("deal.field_tracking_code")).fill("wang-12")
        _pick(page, t("deal.field_offer_key"), "每满300减50 · ¥50 off every ¥300")
        page.get_by_role("textbox", name=t("deal.field_landing_url")).fill("https://shop.festa.example/d12")
        page.get_by_role("button", name=t("deal.invite")).click()
        expect(page.get_by_text(t("deal.invited", name=PARTNER))).to_be_visible(timeout=30_000)
        expect(page.get_by_text("utm_content=WANG12", exact=False)).to_be_visible()

        for step in ("agreed", "submitted", "approved"):
            _apply(page, step)
        page.get_by_text(t("deal.move_published"), exact=True).click()
        page.get_by_role("textbox", name=f"{t('deal.deliverable_n', n=1)} · {t('kol.deliv_short_video')}").fill(
            "https://www.douyin.com/video/wang12"
        )
        page.get_by_role("button", name=t("deal.apply")).click()
        expect(page.get_by_text(t("deal.moved", name=PARTNER, status=t("deal.status_published")))).to_be_visible(
            timeout=30_000
        )
        page.screenshot(path=str(ARTIFACTS / f"kol-deal-{LANG}.png"), full_page=True)

        # the analyst imports the shop's orders that carry the partner's code
        other = analyst.new_page()
        other.goto(f"{festa.url}/?lang={LANG}")
        _sign_in(other, *festa.accounts["analyst"], LANG)
        _settled(other, t("page.overview"))
        other.goto(f"{festa.url}/import?lang={LANG}")
        _settled(other, t("page.metrics_import"))
        export = tmp_path / "orders.csv"
        export.write_text(_orders_csv(), encoding="utf-8")
        other.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export))
        other.get_by_role("button", name=t("measure.import_button", n=ORDERS)).click()
        expect(other.get_by_text(f"Imported {ORDERS} rows")).to_be_visible(timeout=60_000)

        # the partner's ROI: revenue ¥100,000 × 40 % margin − fee ¥35,000, over the fee = 14.29 %
        page.goto(f"{festa.url}/kol-results?lang={LANG}")
        _settled(page, t("page.kol_results"))
        _pick(page, t("kolr.campaign"), campaign)
        _pick(page, t("kolr.history_partner"), PARTNER)
        expect(_metric(page, t("metric.revenue"))).to_contain_text("100K", timeout=30_000)
        expect(_metric(page, t("kolr.col_cost"))).to_contain_text("35K")
        expect(_metric(page, t("kpi.roi"))).to_contain_text("14.29%")
        expect(_metric(page, t("results.orders"))).to_contain_text(str(ORDERS))
        page.screenshot(path=str(ARTIFACTS / f"kol-results-{LANG}.png"), full_page=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"kol-results-{LANG}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert other.locator('[data-testid="stException"]').count() == 0
    finally:
        marketer.close()
        analyst.close()

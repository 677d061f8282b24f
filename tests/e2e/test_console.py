"""The console in a real browser: sign-in, every page in both languages (no exception, no
untranslated key), role-based navigation, secrets never shown, sign-out, Ctrl-C."""

import re
import signal
import subprocess
import sys
import urllib.request

import pytest
from playwright.sync_api import expect

from app.ui.catalog import CATALOG
from tests.e2e.conftest import ARTIFACTS, ROOT, RunningFesta

pytestmark = pytest.mark.e2e
# (url path, title key); the Overview is the default page, at /
PAGES = [
    ("", "page.overview"),
    ("account", "page.account"),
    ("calendar", "page.calendar"),
    ("campaigns", "page.campaigns"),
    ("campaign", "page.campaign"),
    ("offers", "page.promotions"),
    ("coupons", "page.coupons"),
    ("group-buy", "page.group_buy"),
    ("presales", "page.presales"),
    ("promotion-cost", "page.estimate"),
    ("compose", "page.compose"),
    ("review", "page.review"),
    ("posts", "page.posts_calendar"),
    ("posts-csv", "page.posts_csv"),
    ("publishing-health", "page.publishing_health"),
    ("kol", "page.kol_roster"),
    ("kol-deals", "page.kol_deals"),
    ("kol-results", "page.kol_results"),
    ("results", "page.results"),
    ("import", "page.metrics_import"),
    ("system", "page.system"),
    ("users", "page.users"),
    ("channel-accounts", "page.channel_accounts"),
    ("credentials", "page.credentials"),
    ("audit", "page.audit"),
    ("data-protection", "page.data_protection"),
]


def _settled(page, title):
    expect(page.locator("h1").first).to_have_text(re.compile(re.escape(title)), timeout=60_000)
    # the script has finished its run, and every table has drawn itself
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=60_000)
    for table in page.locator('[data-testid="stDataFrame"]:visible').all():  # hidden tabs draw nothing
        expect(table.locator("canvas").first).to_be_attached(timeout=30_000)


def _sign_in(page, email, password, lang):
    _settled(page, CATALOG["auth.sign_in"][lang])
    page.get_by_label(CATALOG["auth.email"][lang]).fill(email)
    page.get_by_label(CATALOG["auth.password"][lang], exact=True).fill(password)
    page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()


@pytest.fixture
def session(festa, browser):
    """open(role, lang, path): a new browser session signed in as the demo account of role."""
    contexts = []

    def open_(role, lang, path=""):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=lang)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{festa.url}/?lang={lang}")
        _sign_in(page, *festa.accounts[role], lang)
        _settled(page, CATALOG["page.overview"][lang])
        if path:  # the session cookie carries the sign-in to a new page load
            page.goto(f"{festa.url}/{path}?lang={lang}")
        return page

    open_.accounts = festa.accounts
    open_.festa = festa
    yield open_
    for context in contexts:
        context.close()


def test_seed_printed_one_account_per_role(festa):
    assert set(festa.accounts) == {"admin", "manager", "marketer", "content", "analyst"}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("path, title_key", PAGES)
def test_every_page_renders_in_both_languages(session, path, title_key, lang):
    page = session("admin", lang, path)
    _settled(page, CATALOG[title_key][lang])
    body = page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert "⟦" not in body, "an untranslated catalog key is on the page"
    for _, key in PAGES:  # the navigation speaks the same language
        assert CATALOG[key][lang] in body
    if not path:
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}-{lang}.png"), full_page=True)


def test_overview_serves_the_demo_workspace(session):
    page = session("manager", "en")
    _settled(page, "Overview")
    expect(page.get_by_text("Last finished campaign: 双11")).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="Revenue")).to_be_visible()
    expect(page.get_by_text("Running campaigns")).to_be_visible()
    expect(page.get_by_text("Next scheduled posts")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)


def test_a_double_11_campaign_from_the_template_edited_and_on_the_timeline(session):
    page = session("marketer", "en", "campaigns")
    _settled(page, "Campaigns")
    page.get_by_text("New campaign from a template").click()
    form = page.get_by_test_id("stExpanderDetails").get_by_test_id("stForm")
    year = form.get_by_role("spinbutton", name="Year", exact=True)
    year.fill("2027")
    year.press("Enter")
    form.get_by_label("Name", exact=True).fill("E2E Double 11")
    form.get_by_role("button", name="Create").click()
    _settled(page, "Campaigns")
    expect(page.get_by_text("E2E Double 11").first).to_be_attached()  # a cell of the campaigns table
    # edit two phases in the grid: move ¥5,000 from the launch to the warm-up (the split still adds up)
    page.get_by_role("tab", name="Phases").click()
    grid = page.get_by_role("tabpanel", name="Phases").get_by_test_id("stDataFrame")
    expect(grid.locator("canvas").first).to_be_visible(timeout=30_000)
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + 35 + 17)  # the warm-up's budget cell
    for value in ("80000", "120000"):
        page.keyboard.press("Enter")  # opens the cell's editor
        editor = page.locator("#portal textarea, #portal input").first
        expect(editor).to_be_visible(timeout=10_000)
        editor.fill(value)
        page.keyboard.press("Enter")  # keeps the value and moves down to the next phase
        expect(editor).to_be_hidden()  # the value is in the grid (the form sends it on Save)
    page.wait_for_timeout(1500)  # the grid hands its edits to the form after a short debounce
    page.get_by_role("button", name="Save", exact=True).click()
    _settled(page, "Campaigns")
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Open the campaign's detail and budget").click()
    _settled(page, "Campaign detail")
    expect(page.get_by_text("CN¥80,000.00").first).to_be_attached()  # the warm-up's planned budget
    expect(page.get_by_text("CN¥120,000.00").first).to_be_attached()
    page.goto(page.url.split("?")[0].rsplit("/", 1)[0] + "/calendar?lang=en")
    _settled(page, "Festival calendar")
    calendar_year = page.get_by_role("spinbutton", name="Year").first
    calendar_year.fill("2027")
    calendar_year.press("Enter")
    _settled(page, "Festival calendar")
    expect(page.locator(".js-plotly-plot").get_by_text("E2E Double 11").first).to_be_attached(timeout=30_000)


def test_a_marketer_adds_an_offer_and_the_simulator_applies_it(session):
    page = session("marketer", "en", "offers")
    _settled(page, "Offers")
    page.get_by_text("New offer, or change one (same key)").click()
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Offer key", exact=True).fill("e2e-10-off")  # the first kind: percent off, item stage
    form.get_by_label("Name", exact=True).fill("E2E 9折")
    percent = form.get_by_role("spinbutton", name="Percent off (%)")
    percent.fill("10")
    percent.press("Enter")
    form.get_by_role("button", name="Save offer").click()
    _settled(page, "Offers")
    expect(page.get_by_text("Offer e2e-10-off saved.")).to_be_visible()
    page.get_by_role("button", name="Quote").click()
    _settled(page, "Offers")
    # the sample cart: ¥399 + 3 × ¥29 = ¥486; 10% off is ¥48.60
    expect(page.get_by_text("✓ E2E 9折 (Item): CN¥48.60 off")).to_be_visible()


def test_a_wrong_password_is_refused(festa, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{festa.url}/?lang=en")
    _sign_in(page, festa.accounts["analyst"][0], "not the password", "en")
    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sign-in-en.png"))
    context.close()


def test_the_language_switch_in_the_sidebar(session):
    page = session("analyst", "zh-CN")
    _settled(page, "概览")
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    _settled(page, "Overview")
    expect(page.get_by_test_id("stSidebar").get_by_text("My account")).to_be_visible()


def test_navigation_follows_the_role(session):
    page = session("content", "en")
    _settled(page, "Overview")
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "My account" in nav and "Users" not in nav and "Audit log" not in nav
    page.goto(page.url.split("?")[0].rstrip("/") + "/users?lang=en")  # typing an admin page's address
    _settled(page, "Overview")  # Streamlit falls back to the default page
    expect(page.get_by_text("Page not found")).to_be_visible()


def test_credentials_are_saved_and_never_shown_again(session):
    secret = "tok-BROWSER-SECRET-5f2a"
    page = session("admin", "en", "credentials")
    _settled(page, "Channel credentials")
    page.get_by_label("Value").first.fill(f"  {secret}  ")
    page.get_by_role("button", name="Save encrypted").click()
    _settled(page, "Channel credentials")
    expect(page.get_by_text("Stored, encrypted").first).to_be_attached()
    assert secret not in page.content()
    assert page.get_by_label("Value").first.input_value() == ""
    assert secret not in session.festa.log.read_text()  # nor in what the worker and console logged


def test_a_session_cookie_from_another_installation_is_refused(festa, browser):
    context = browser.new_context()
    forged = "x" * 43 + "." + "0" * 64
    context.add_cookies([{"name": "festa_session", "value": forged, "url": festa.url}])
    page = context.new_page()
    page.goto(f"{festa.url}/users?lang=en")
    _settled(page, "Sign in")
    context.close()
    code = (
        "from app.bootstrap import build_container; from app.config import Settings\n"
        "from sqlalchemy import text\n"
        "with build_container(Settings.from_env()).engine.connect() as conn:\n"
        "    q = \"select count(*) from audit_event where action = 'authn_session_invalid'\"\n"
        "    print(conn.execute(text(q)).scalar())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=festa.env, capture_output=True, text=True)
    assert int(out.stdout.strip()) >= 1, out.stderr


def test_the_system_page_shows_the_running_worker(session):
    page = session("admin", "en", "system")
    _settled(page, "System status")
    expect(page.get_by_text("Worker heartbeats")).to_be_visible()
    assert page.get_by_text("No worker is running").count() == 0


def test_a_reload_keeps_the_session_and_sign_out_ends_it(session):
    page = session("marketer", "en", "account")
    _settled(page, "My account")  # a deep link after sign-in
    page.reload()
    _settled(page, "My account")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    _settled(page, "Sign in")
    page.reload()
    _settled(page, "Sign in")  # the cookie is gone, and the session is revoked on the server


def _counts(env) -> str:
    code = (
        "from app.bootstrap import build_container; from app.config import Settings\\n"
        "from sqlalchemy import text\\n"
        "c = build_container(Settings.from_env())\\n"
        "with c.engine.connect() as conn:\\n"
        "    print([conn.execute(text(f'select count(*) from {t}')).scalar()\\n"
        "           for t in ('workspace', 'campaign', 'post', 'metric_daily', 'channel_account', 'user_account')])\\n"
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
        assert again.demo_accounts() == {}  # passwords are printed once only
        assert _counts(again.env) == before
    finally:
        # make passes the interrupt on (it dies of SIGINT itself); nothing hangs
        assert again.ctrl_c() in (0, 130, -signal.SIGINT)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{again.url}/_stcore/health", timeout=2)  # nothing listens any more

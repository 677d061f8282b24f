"""The main publishing flow in a real browser, on the demo workspace: a content user composes a post for the
sandbox X account a minute or two ahead and submits it; a manager (another browser session) approves it on
Review; the content user schedules it; the running worker sends it into the sandbox outbox, which Publishing
health shows."""

import re
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from app.config import Settings
from app.ui import format as fmt
from app.ui.catalog import CATALOG
from tests.e2e.conftest import ARTIFACTS, ROOT
from tests.e2e.test_console import _settled, _sign_in

pytestmark = pytest.mark.e2e
LANG = "en"
SCREENSHOTS = ROOT / "docs" / "screenshots"  # the README's pictures
ACCOUNT = "@festa_shop"  # the demo's X account, on the sandbox connector
OUTBOX_WAIT = 180  # seconds; the post is due 1-2 minutes after it is composed, the worker ticks every second


def t(key: str, **params) -> str:
    return CATALOG[key][LANG].format(**params)


def _shot(page, name: str, readme: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"publish-{name}-{LANG}.png"), full_page=True)
    if readme:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{LANG}.png"))


def _segments(page, widget, values: dict[str, str]) -> None:
    """Type into the segments (year, month, day / hour, minute) of a date or time field, then commit."""
    for kind, value in values.items():
        widget.locator(f'[role="spinbutton"][data-type="{kind}"]').click()
        page.keyboard.type(value)
    page.keyboard.press("Enter")


def _utc(value) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _post(festa, post_id: int) -> dict:
    """The post's row, straight from the running app's database."""
    engine = create_engine(Settings.from_env(festa.env).database_url)
    try:
        with engine.connect() as conn:
            q = "select state, body, scheduled_at, published_at, external_url from post where id = :id"
            row = dict(conn.execute(text(q), {"id": post_id}).mappings().one())
    finally:
        engine.dispose()
    return {**row, "scheduled_at": _utc(row["scheduled_at"]), "published_at": _utc(row["published_at"])}


@pytest.fixture
def signed_in(festa, browser):
    """open(role, path): a new browser session (its own cookies) signed in as the demo account of role."""
    contexts = []

    def open_(role, path):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=LANG)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{festa.url}/?lang={LANG}")
        _sign_in(page, *festa.accounts[role], LANG)
        _settled(page, t("page.overview"))
        page.goto(f"{festa.url}/{path}?lang={LANG}")
        return page

    yield open_
    for context in contexts:
        context.close()


def test_compose_review_schedule_and_the_worker_sends_it_to_the_sandbox(festa, signed_in):
    started = time.monotonic()
    account = f"{ACCOUNT} · {t('channel.x')}"
    body = f"E2E 双12 预热 · the publishing flow {datetime.now():%H%M%S}"

    # 1. the content user composes the post and submits it for review
    writer = signed_in("content", "compose")
    _settled(writer, t("page.compose"))
    writer.get_by_role("combobox", name=t("compose.accounts")).click()
    writer.get_by_role("option", name=account, exact=True).click()
    writer.keyboard.press("Escape")
    expect(writer.get_by_role("tab", name=account)).to_be_visible(timeout=30_000)  # its preview
    _settled(writer, t("page.compose"))
    zone = writer.get_by_role("combobox", name=t("compose.timezone")).input_value()  # follows the account
    assert zone == "Asia/Shanghai"
    when = (datetime.now(ZoneInfo(zone)) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    date_field = writer.get_by_test_id("stDateInput").filter(has_text=t("compose.date"))
    _segments(writer, date_field, {"year": f"{when:%Y}", "month": f"{when:%m}", "day": f"{when:%d}"})
    expect(date_field.locator('input[type="date"]')).to_have_value(f"{when:%Y-%m-%d}")
    _settled(writer, t("page.compose"))
    time_field = writer.get_by_test_id("stTimeInput").filter(has_text=t("compose.time"))
    _segments(writer, time_field, {"hour": f"{when:%H}", "minute": f"{when:%M}"})
    expect(time_field.locator('input[type="hidden"]')).to_have_value(f"{when:%H:%M}:00")
    _settled(writer, t("page.compose"))
    writer.get_by_label(t("compose.body"), exact=True).fill(body)
    writer.locator("h1").first.click()  # leaving the text area hands its text over
    expect(writer.get_by_role("tabpanel", name=account).get_by_text(body)).to_be_visible(timeout=30_000)
    _settled(writer, t("page.compose"))
    # the README's picture: the text, its count, the time and the preview in one screen
    writer.get_by_test_id("stTextArea").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    _shot(writer, "compose", readme=True)
    writer.get_by_role("button", name=t("compose.save_submit")).click()
    expect(writer.get_by_text(t("compose.submitted", n=1))).to_be_visible(timeout=30_000)
    link = writer.get_by_role("link", name=re.compile(re.escape(t("compose.open_post", post="")) + r"\d+"))
    post_id = int(re.search(r"\d+", link.inner_text()).group())
    _shot(writer, "compose-submitted")
    assert _post(festa, post_id)["state"] == "in_review"

    # 2. a manager, in another browser session, picks the post on Review and approves it
    manager = signed_in("manager", "review")
    _settled(manager, t("page.review"))
    manager.get_by_role("combobox", name=t("review.pick"), exact=True).click()
    manager.keyboard.type(f"#{post_id} ")
    manager.get_by_role("option", name=re.compile(rf"^#{post_id} · ")).click()
    expect(manager.get_by_test_id("stText").get_by_text(body, exact=True)).to_be_visible(timeout=30_000)
    _settled(manager, t("page.review"))
    expect(manager.get_by_text(t("review.when", at=fmt.moment(when, zone, LANG), zone=zone))).to_be_visible()
    _shot(manager, "review-in-review")
    manager.get_by_role("button", name=t("review.approve"), exact=True).click()
    expect(manager.get_by_text(t("review.approved_done", post=post_id))).to_be_visible(timeout=30_000)
    _settled(manager, t("page.review"))
    _shot(manager, "review-approved")
    assert _post(festa, post_id)["state"] == "approved"

    # 3. the content user follows the link to the post on Review and schedules it
    link.click()
    _settled(writer, t("page.review"))
    expect(writer.get_by_test_id("stText").get_by_text(body, exact=True)).to_be_visible(timeout=30_000)
    expect(writer.get_by_text(t("review.approved_revision", revision=1))).to_be_visible()
    writer.get_by_role("button", name=t("review.schedule"), exact=True).click()
    expect(writer.get_by_text(t("review.scheduled_done", post=post_id))).to_be_visible(timeout=30_000)
    _settled(writer, t("page.review"))
    _shot(writer, "review-scheduled")
    row = _post(festa, post_id)
    assert row["state"] in ("scheduled", "claimed", "sending", "sent")  # the worker may already be at it

    # 4. the worker sends it at its time: the sandbox outbox on Publishing health lists it
    writer.goto(f"{festa.url}/publishing-health?lang={LANG}")
    deadline = time.monotonic() + OUTBOX_WAIT
    # a cell of the outbox, the page's last table (a grid draws on a canvas, and keeps a copy of its cells in the DOM)
    outbox_cell = writer.get_by_test_id("stDataFrame").last.get_by_text(body, exact=True)
    while True:
        _settled(writer, t("page.publishing_health"))
        if outbox_cell.count():
            break
        assert time.monotonic() < deadline, f"#{post_id} not in the sandbox outbox after {OUTBOX_WAIT} s: {row}"
        writer.wait_for_timeout(2000)
        writer.reload()
    writer.get_by_role("heading", name=t("health.outbox")).scroll_into_view_if_needed()
    _shot(writer, "publishing-health", readme=True)
    row = _post(festa, post_id)
    assert row["state"] == "sent" and row["body"] == body
    assert row["scheduled_at"] == when.astimezone(UTC)  # the local time, in the account's zone
    assert row["published_at"] >= row["scheduled_at"]  # and not before it

    # and Review says so too
    writer.goto(f"{festa.url}/review?post={post_id}&lang={LANG}")
    _settled(writer, t("page.review"))
    sent = f"{account} · {t('post_state.sent')} · "  # the post's meta line
    expect(writer.get_by_text(re.compile(re.escape(sent)))).to_be_visible()
    print(f"\npublishing flow: #{post_id} sent in {time.monotonic() - started:.0f} s")

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from app.services import channel_accounts, planning, publish_views
from app.services.auth import Actor
from app.services.offer_exchange import slug
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _page(c, role="content", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/compose.py").run()
    assert not at.exception, at.exception
    return at


def _run(at):
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at, label):
    next(b for b in at.button if b.label == label).click()
    return _run(at)


def _accounts(c):
    return {a.channel: a.id for a in channel_accounts.accounts(c, SYSTEM)}


def _all_posts(c):
    now = datetime.now(UTC)
    shown = publish_views.calendar(c, SYSTEM, now - timedelta(days=800), now + timedelta(days=800))
    return {p.id: p for p in shown + publish_views.unscheduled(c, SYSTEM)}


def _fill(at, c, channels, body, title="Flash sale"):
    ids = _accounts(c)
    for ch in channels:
        at.multiselect(key="compose_accounts").select(ids[ch])
    at.text_input(key="compose_title").input(title)
    at.text_area(key="compose_body").input(body)
    return _run(at)


def test_content_composes_tagged_drafts_per_account(demo_app):
    running = next(k for k in planning.campaigns(demo_app, SYSTEM) if k.status == "running")
    at = _page(demo_app)
    _fill(at, demo_app, ["weibo", "x"], "今晚 8 点开抢 https://festa.shop/live", title="Countdown")
    at.selectbox(key="compose_campaign").select(running.id)
    at.text_input(key="compose_link").input("https://festa.shop/sale?ref=a")
    _run(at)
    text = visible_text(at)
    assert "Festa 官方微博 · Weibo (common text): " in text  # the live count, per account
    assert "tagged automatically with the campaign's UTM" in text
    # the preview shows each channel's text as it goes out: X and Weibo append the tagged link on its own line
    previews = [x.value for x in at.text]
    tag = quote(slug(running.name), safe="")  # e.g. 双12-2026, percent-encoded
    for ch in ("weibo", "x"):
        link = f"https://festa.shop/sale?ref=a&utm_source={ch}&utm_medium=social&utm_campaign={tag}"
        assert any(v.startswith("今晚 8 点开抢 https://festa.shop/live?") and v.endswith(f"\n{link}") for v in previews)
    before = set(_all_posts(demo_app))
    _click(at, "Save as draft")
    assert [s.value for s in at.success] == ["Drafts saved: 2."]
    made = [p for i, p in _all_posts(demo_app).items() if i not in before]
    assert sorted(p.channel for p in made) == ["weibo", "x"]
    assert {p.state for p in made} == {"draft"}
    assert all(p.title == "Countdown" and p.campaign == running.name for p in made)
    assert all(f"utm_campaign={tag}" in p.link and f"utm_source={p.channel}" in p.link for p in made)
    assert all(f"https://festa.shop/live?utm_source={p.channel}" in p.body for p in made)  # links in the text too
    assert at.text_area(key="compose_body").value == ""  # the form starts afresh


def test_save_and_submit_puts_the_posts_in_review(demo_app):
    at = _page(demo_app, lang="zh-CN")
    _fill(at, demo_app, ["telegram"], "Deals at 8")
    _click(at, "保存并提交审核")
    assert [s.value for s in at.success] == ["已保存 1 篇并提交审核。"]
    queue = publish_views.review_queue(demo_app, SYSTEM)
    assert [p.body for p in queue if p.channel == "telegram"] == ["Deals at 8"]


def test_over_the_limit_is_shown_live_and_nothing_is_saved(demo_app):
    at = _page(demo_app)
    _fill(at, demo_app, ["x"], "a" * 300)
    assert [w.value for w in at.warning] == ["@festa_shop · X (common text): 300 / 280, 20 over the limit"]
    before = set(_all_posts(demo_app))
    _click(at, "Save as draft")
    assert [e.value for e in at.error] == ["@festa_shop: 300 characters, more than the channel's 280."]
    assert not at.success
    assert set(_all_posts(demo_app)) == before
    # an own text for X fits, and the common text goes to the others
    at.text_area(key="compose_variant_" + str(_accounts(demo_app)["x"])).input("short for X")
    _run(at)
    assert not at.warning


def test_the_live_count_includes_the_link_the_connector_appends(demo_app):
    at = _page(demo_app)
    _fill(at, demo_app, ["x"], "a" * 257)
    assert not at.warning  # 257 alone fits
    at.text_input(key="compose_link").input("https://festa.shop/sale")
    _run(at)  # + the line break + 23 for the link, as X counts it
    assert [w.value for w in at.warning] == ["@festa_shop · X (common text): 281 / 280, 1 over the limit"]


def test_a_time_in_the_dst_gap_is_refused_with_a_suggestion(demo_app):
    at = _page(demo_app)
    _fill(at, demo_app, ["email"], "Spring sale")
    at.selectbox(key="compose_tz").select("America/New_York")
    at.date_input(key="compose_date").set_value(date(2027, 3, 14))
    at.time_input(key="compose_time").set_value(time(2, 30))
    before = set(_all_posts(demo_app))
    _run(at)
    _click(at, "Save as draft")
    (error,) = [e.value for e in at.error]
    assert error.startswith("Time: 3/14/27, 2:30\u202fAM does not exist in America/New_York: the clocks jump from")
    assert "Try 3/14/27, 3:30\u202fAM." in error
    assert set(_all_posts(demo_app)) == before
    _click(at, "Use 3/14/27, 3:30\u202fAM instead")
    assert at.time_input(key="compose_time").value == time(3, 30)
    _click(at, "Save as draft")
    (made,) = [p for i, p in _all_posts(demo_app).items() if i not in before]
    assert made.scheduled_at == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert made.timezone == "America/New_York"


def test_a_repeated_time_asks_which_one(demo_app):
    at = _page(demo_app, lang="zh-CN")
    _fill(at, demo_app, ["email"], "Autumn sale")
    at.selectbox(key="compose_tz").select("America/New_York")
    at.date_input(key="compose_date").set_value(date(2027, 11, 7))
    at.time_input(key="compose_time").set_value(time(1, 30))
    _run(at)
    assert "出现两次" in at.warning[0].value
    at.radio(key="compose_fold").set_value(1)
    before = set(_all_posts(demo_app))
    _click(at, "保存为草稿")
    (made,) = [p for i, p in _all_posts(demo_app).items() if i not in before]
    assert made.scheduled_at == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)  # the second 01:30, EST


def test_a_weekly_repeat_makes_one_draft_per_occurrence(demo_app):
    at = _page(demo_app)
    _fill(at, demo_app, ["email"], "Weekly deals")
    at.checkbox(key="compose_repeat").check()
    _run(at)
    at.selectbox(key="compose_freq").select("weekly")
    at.number_input(key="compose_count").set_value(3)
    _click(at, "Save as draft")
    assert [s.value for s in at.success] == ["Drafts saved: 3."]


def test_a_manager_sees_no_form(demo_app):
    at = _page(demo_app, role="manager")
    assert "Your role does not compose posts" in at.info[0].value
    assert not at.text_area and not at.multiselect
    assert "Save as draft" not in [b.label for b in at.button]

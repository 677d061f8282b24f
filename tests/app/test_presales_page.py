from datetime import UTC, datetime, time, timedelta

from app.services import presales
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text


def _page(c, role="analyst", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/presales.py").run()
    assert not at.exception
    return at


def _click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def _metrics(at):
    return [m.value for m in at.metric]


def test_a_final_paid_in_time_completes_the_order(demo_app):
    at = _page(demo_app)
    assert "Save presale" not in [b.label for b in at.button]  # an analyst only plays
    _click(at, "Play")  # the sample: ¥50 counts as ¥100, a ¥300 unit, paid on the final window's first day
    assert _metrics(at) == ["Completed", "CN¥200.00", "CN¥0.00", "CN¥250.00"]


def test_a_missed_final_forfeits_the_deposit_but_not_before_the_window_ends(demo_app):
    at = _page(demo_app, lang="zh-CN")
    at.selectbox(key="action").select("none")
    _click(at, "模拟")
    assert _metrics(at) == ["定金不退", "¥0.00", "¥0.00", "¥50.00"]
    at.date_input(key="settle_at_day").set_value(at.date_input(key="final_until_day").value)
    at.time_input(key="settle_at").set_value(time(23, 59))  # the window's last minute is still the buyer's
    _click(at, "模拟")
    assert _metrics(at)[0] == "已付定金，待付尾款"


def test_a_late_final_is_refused(demo_app):
    at = _page(demo_app)
    at.date_input(key="act_at_day").set_value(at.date_input(key="settle_at_day").value)
    _click(at, "Play")
    assert "Final payment refused: the final window has ended" in visible_text(at)
    assert _metrics(at)[0] == "Deposit forfeited"


def test_a_cancelled_refundable_deposit_comes_back(demo_app):
    at = _page(demo_app)
    at.selectbox(key="action").select("cancel")
    at.date_input(key="act_at_day").set_value(at.date_input(key="deposit_until_day").value)
    at.checkbox(key="refundable").check()
    _click(at, "Play")
    assert _metrics(at) == ["Deposit refunded", "CN¥0.00", "CN¥50.00", "CN¥0.00"]
    at.checkbox(key="refundable").uncheck()
    _click(at, "Play")
    assert _metrics(at)[0] == "Deposit forfeited"  # 定金不退 by default


def test_a_marketer_saves_a_presale_and_a_bad_one_is_named_at_its_fields(demo_app):
    at = _page(demo_app, role="marketer")
    at.text_input(key="offer_key").input("d11-tea-presale")
    _click(at, "Save presale")
    assert "Presale of d11-tea-presale saved." in [s.value for s in at.success]
    assert "d11-tea-presale" in visible_text(at)
    _click(at, "Save presale")
    assert [e.value for e in at.error] == ["Offer key: this offer has a presale already."]
    at.text_input(key="offer_key").input("other")
    at.number_input(key="worth").set_value(10.0)
    at.date_input(key="final_from_day").set_value(at.date_input(key="deposit_from_day").value)
    _click(at, "Save presale")
    assert [e.value for e in at.error] == [
        "Deposit counts as: cannot be worth less than the deposit.",
        "Final window opens: must come after the deposit window ends.",
    ]
    assert [x.offer_key for x in presales.presales(demo_app, Actor.system())] == ["d11-tea-presale"]


def test_stored_orders_are_listed_by_state(demo_app):
    now = datetime.now(UTC)
    until = now + timedelta(days=1)
    windows = (now - timedelta(hours=1), until, until + timedelta(seconds=1), until + timedelta(days=2))
    presales.define(demo_app, Actor.system(), "d11-swell", 5_000, 10_000, *windows)
    for ref in ("o-1", "o-2"):
        presales.pay_deposit(demo_app, Actor.system(), "d11-swell", ref, f"{ref}@x")
    presales.cancel(demo_app, Actor.system(), "d11-swell", "o-2")
    at = _page(demo_app)
    assert [e.label for e in at.expander] == ["Orders of d11-swell (2)"]
    summary, orders = at.dataframe[-2].value, at.dataframe[-1].value
    assert (summary["Deposit paid, final due"][0], summary["Deposit forfeited"][0]) == (1, 1)
    assert list(zip(orders["Status"], orders["Order"], strict=True)) == [
        ("Deposit paid, final due", "o-1"),
        ("Deposit forfeited", "o-2"),
    ]

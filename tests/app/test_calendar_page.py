import datetime
import json

from app.services import festivals
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text


def _calendar(c, role, lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/calendar.py").run()
    assert not at.exception
    return at


def test_the_calendar_shows_festivals_holidays_and_their_coverage(demo_app):
    at = _calendar(demo_app, "analyst", "zh-CN")
    assert at.title[0].value == "节日日历"
    text = visible_text(at)
    assert "春节" in text and "⟦" not in text
    assert "已收录" in at.caption[0].value
    assert not at.form  # an analyst reads the calendar but adds nothing


def test_a_marketer_adds_a_custom_festival(demo_app):
    at = _calendar(demo_app, "marketer")
    at.number_input[0].set_value(2026).run()
    at.text_input[0].input("Brand day")
    at.date_input[0].set_value(datetime.date(2026, 8, 8))
    at.date_input[1].set_value(datetime.date(2026, 8, 9))
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Brand day" in visible_text(at)
    assert [f.name for f in festivals.year_view(demo_app, Actor.system(), 2026).festivals if f.kind == "custom"] == [
        "Brand day"
    ]


def test_a_custom_festival_ending_before_it_starts_is_refused_at_the_form(demo_app):
    at = _calendar(demo_app, "marketer")
    at.number_input[0].set_value(2026).run()
    at.text_input[0].input("Backwards")
    at.date_input[0].set_value(datetime.date(2026, 8, 9))
    at.date_input[1].set_value(datetime.date(2026, 8, 8))
    at.button[0].click()
    at.run()
    assert at.error[0].value == "The last day is before the first."


def test_clashing_campaigns_are_marked_on_the_timeline(demo_app):
    from app.services import planning

    planning.create_from_template(demo_app, Actor.system(), "double_11", 2027, "A 2027", 1_000)
    planning.create_from_template(demo_app, Actor.system(), "double_11", 2027, "B 2027", 1_000)
    at = _calendar(demo_app, "analyst")
    at.number_input[0].set_value(2027).run()
    clash = [w.value for w in at.warning if w.value.startswith("Budget clash: A 2027 and B 2027")]
    assert clash and "Douyin" in clash[0]
    lanes = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["categoryarray"]
    assert {"⚠️ A 2027", "⚠️ B 2027"} <= set(lanes)  # their lanes carry the mark


def test_a_marketer_moves_the_double_11_presale(demo_app):
    at = _calendar(demo_app, "marketer")
    at.number_input[0].set_value(2027).run()
    at.number_input[4].set_value(24)  # year, 618 month and day, 双11 month and day
    at.button[-2].click().run()
    assert not at.exception and not at.error
    view = festivals.year_view(demo_app, Actor.system(), 2027)
    presale = next(f for f in view.festivals if f.key == "double_11_presale")
    assert presale.start == datetime.date(2027, 10, 24)

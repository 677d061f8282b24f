from datetime import date

import pytest
from sqlalchemy import func, select

from app.services import audit_log, festivals
from app.services.auth import Actor
from data.models import CustomFestival
from tests.conftest import NOW

SYSTEM = Actor.system()


def test_the_year_view_lays_campaigns_over_festivals_and_holidays(demo):
    view = festivals.year_view(demo, SYSTEM, 2026)
    keys = {f.key for f in view.festivals}
    assert {"double_11", "spring_festival", "holiday_national_day", "workday_national_day"} <= keys
    names = {b.name for b in view.campaigns}
    assert any(n.startswith("双11 2026") for n in names) and any(n.startswith("双12 2026") for n in names)
    assert {b.phase for b in view.campaigns} >= {None, "warm_up", "launch", "peak", "encore"}
    assert view.holiday_years[0] <= 2002 and view.timezone == "Asia/Shanghai"


def test_custom_festivals_are_added_checked_and_removed(demo):
    fid = festivals.add_custom(demo, SYSTEM, " 店庆 ", date(2026, 8, 8), date(2026, 8, 10), "Asia/Shanghai", "CN")
    [mine] = [f for f in festivals.year_view(demo, SYSTEM, 2026).festivals if f.kind == "custom"]
    assert (mine.name, mine.start, mine.end, mine.key) == ("店庆", date(2026, 8, 8), date(2026, 8, 10), f"custom_{fid}")
    assert not [f for f in festivals.year_view(demo, SYSTEM, 2027).festivals if f.kind == "custom"]
    festivals.remove_custom(demo, SYSTEM, fid)
    assert not [f for f in festivals.year_view(demo, SYSTEM, 2026).festivals if f.kind == "custom"]
    festivals.add_custom(demo, SYSTEM, "跨年", date(2026, 12, 28), date(2027, 1, 3), "Asia/Shanghai", "CN")
    for year in (2026, 2027):  # a festival across New Year is in both years
        assert [f.name for f in festivals.year_view(demo, SYSTEM, year).festivals if f.kind == "custom"] == ["跨年"]
    actions = [e.action for e in audit_log.events(demo, SYSTEM, audit_log.AuditFilter())]
    assert "festival_added" in actions and "festival_removed" in actions


@pytest.mark.parametrize(
    "name, start, end, tz, code",
    [
        ("", date(2026, 1, 1), date(2026, 1, 1), "UTC", "empty_name"),
        ("x", date(2026, 1, 2), date(2026, 1, 1), "UTC", "end_before_start"),
        ("x", date(2100, 1, 1), date(2100, 1, 2), "UTC", "year_out_of_range"),
        ("x", date(2026, 1, 1), date(2026, 1, 1), "Mars/Olympus", "bad_timezone"),
    ],
)
def test_bad_custom_festivals_are_refused_and_nothing_is_saved(demo, name, start, end, tz, code):
    with pytest.raises(festivals.FestivalRejected) as err:
        festivals.add_custom(demo, SYSTEM, name, start, end, tz, "CN")
    assert err.value.code == code
    with demo.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CustomFestival)).scalar() == 0


def test_a_festival_needs_a_workspace(container):
    with pytest.raises(festivals.FestivalRejected, match="no_workspace"):
        festivals.add_custom(container, SYSTEM, "x", NOW.date(), NOW.date(), "UTC", "CN")

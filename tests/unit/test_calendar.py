from datetime import UTC, date, datetime, timedelta

import pytest
from lunar_python import Solar

from campaigns import calendar


def _day(key, year):
    return calendar.find(key, year).start


@pytest.mark.parametrize(
    "year, spring_festival",
    [
        (1990, date(1990, 1, 27)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (2099, date(2099, 1, 21)),
    ],
)
def test_spring_festival_follows_the_lunar_calendar(year, spring_festival):
    assert _day("spring_festival", year) == spring_festival


def test_lunar_festivals_of_2026():
    assert _day("lantern", 2026) == date(2026, 3, 3)
    assert _day("dragon_boat", 2026) == date(2026, 6, 19)
    assert _day("qixi", 2026) == date(2026, 8, 19)
    assert _day("mid_autumn", 2026) == date(2026, 9, 25)
    assert _day("double_ninth", 2026) == date(2026, 10, 18)


@pytest.mark.parametrize(
    "year, eve, lunar_day",
    [(2024, date(2024, 2, 9), 30), (2026, date(2026, 2, 16), 29), (2025, date(2025, 1, 28), 29)],
)
def test_new_years_eve_is_the_last_day_of_the_lunar_year_even_when_the_12th_month_has_29_days(year, eve, lunar_day):
    assert _day("new_years_eve_lunar", year) == eve
    lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
    assert (lunar.getMonth(), lunar.getDay()) == (12, lunar_day)
    assert eve + timedelta(days=1) == _day("spring_festival", year)


def test_laba_and_xiaonian_are_counted_in_the_gregorian_year_they_fall_in():
    # 腊月 of lunar 2026 starts in January 2027, so 2026 has 腊八 only from lunar 2025.
    assert [f.start for f in calendar.lunar_festivals(2026) if f.key == "laba"] == [date(2026, 1, 26)]
    assert _day("xiaonian", 2026) == date(2026, 2, 10)  # 腊月廿三, the northern convention


def test_western_days_of_2026():
    assert _day("mothers_day", 2026) == date(2026, 5, 10)
    assert _day("fathers_day", 2026) == date(2026, 6, 21)
    assert _day("thanksgiving", 2026) == date(2026, 11, 26)
    assert _day("black_friday", 2026) == date(2026, 11, 27)
    assert _day("cyber_monday", 2026) == date(2026, 11, 30)
    assert calendar.find("black_friday", 2026).timezone == "America/New_York"


def test_618_has_its_sales_window_and_ends_on_the_day():
    f = calendar.find("day_618", 2027)
    assert (f.start, f.end) == (date(2027, 6, 1), date(2027, 6, 18))


def test_window_is_inclusive_at_both_ends_in_the_festival_zone():
    first, last = calendar.find("double_11", 2026).window_utc()
    assert first == datetime(2026, 11, 10, 16, 0, tzinfo=UTC)
    assert last == datetime(2026, 11, 11, 15, 59, 59, 999999, tzinfo=UTC)


def test_festivals_are_sorted_and_every_year_in_range_works():
    for year in (1990, 2000, 2033, 2057, 2099):
        days = calendar.festivals(year)
        assert [f.start for f in days] == sorted(f.start for f in days)
        assert all(f.start.year == year or f.kind == "ecommerce" for f in days)
    with pytest.raises(ValueError, match="outside 1990-2099"):
        calendar.festivals(2100)


def test_upcoming_includes_a_festival_still_running_and_crosses_new_year():
    now = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)  # 11:00 on Double 12 in Shanghai
    keys = [f.key for f in calendar.upcoming(now, days=60)]
    assert keys[0] == "double_12"
    assert "christmas" in keys and "laba" in keys  # 腊八 2027 is 2027-01-15

from datetime import UTC, date, datetime, timedelta

import pytest
from lunar_python import Solar

from campaigns import calendar, holidays


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
    first, last = calendar.find("double_11", 2026).window_utc()  # the sales window, 1-11 November
    assert first == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
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


# Published dates (Hong Kong Observatory / State Council calendars), several in leap-month years:
# 2006 闰七月, 2012 闰四月, 2014 闰九月, 2017 闰六月, 2020 闰四月, 2023 闰二月, 2025 闰六月, 2033 闰十一月.
PUBLISHED = [
    ("spring_festival", date(1990, 1, 27)),
    ("spring_festival", date(1995, 1, 31)),
    ("spring_festival", date(2000, 2, 5)),
    ("spring_festival", date(2001, 1, 24)),
    ("spring_festival", date(2004, 1, 22)),
    ("spring_festival", date(2006, 1, 29)),
    ("spring_festival", date(2009, 1, 26)),
    ("spring_festival", date(2012, 1, 23)),
    ("spring_festival", date(2017, 1, 28)),
    ("spring_festival", date(2020, 1, 25)),
    ("spring_festival", date(2023, 1, 22)),
    ("spring_festival", date(2028, 1, 26)),
    ("spring_festival", date(2030, 2, 3)),
    ("spring_festival", date(2033, 1, 31)),
    ("spring_festival", date(2034, 2, 19)),
    ("spring_festival", date(2050, 1, 23)),
    ("mid_autumn", date(2006, 10, 6)),
    ("mid_autumn", date(2017, 10, 4)),
    ("mid_autumn", date(2019, 9, 13)),
    ("mid_autumn", date(2020, 10, 1)),
    ("mid_autumn", date(2021, 9, 21)),
    ("mid_autumn", date(2022, 9, 10)),
    ("mid_autumn", date(2023, 9, 29)),
    ("mid_autumn", date(2024, 9, 17)),
    ("mid_autumn", date(2025, 10, 6)),
    ("dragon_boat", date(2019, 6, 7)),
    ("dragon_boat", date(2020, 6, 25)),
    ("dragon_boat", date(2021, 6, 14)),
    ("dragon_boat", date(2022, 6, 3)),
    ("dragon_boat", date(2023, 6, 22)),
    ("dragon_boat", date(2024, 6, 10)),
    ("dragon_boat", date(2025, 5, 31)),
    ("double_ninth", date(2014, 10, 2)),
]


@pytest.mark.parametrize("key, published", PUBLISHED, ids=lambda v: str(v))
def test_lunar_festivals_match_published_dates(key, published):
    assert _day(key, published.year) == published


def test_china_public_holidays_and_make_up_working_days():
    def spans(year, key):
        return [(f.start, f.end) for f in calendar.public_holidays(year) if f.key == key]

    assert spans(2024, "holiday_national_day") == [(date(2024, 10, 1), date(2024, 10, 7))]
    assert spans(2024, "workday_national_day") == [(date(2024, 9, 29),) * 2, (date(2024, 10, 12),) * 2]
    assert spans(2025, "holiday_spring_festival") == [(date(2025, 1, 28), date(2025, 2, 4))]
    assert spans(2025, "workday_spring_festival") == [(date(2025, 1, 26),) * 2, (date(2025, 2, 8),) * 2]
    assert spans(2025, "holiday_national_day_mid_autumn") == [(date(2025, 10, 1), date(2025, 10, 8))]


def test_holiday_schedules_are_never_guessed():
    first, last = holidays.covered_years()
    assert first <= 2002 and last >= 2026
    assert calendar.public_holidays(last + 3) == []


def test_uk_mothering_sunday_follows_easter_and_regions_filter():
    assert calendar.find_in("mothering_sunday", 2026, ("UK",)).start == date(2026, 3, 15)
    assert calendar.find_in("mothering_sunday", 2025, ("UK",)).start == date(2025, 3, 30)
    uk = calendar.festivals(2026, ("UK",))
    assert {f.region for f in uk} == {"UK"} and all(f.timezone == "Europe/London" for f in uk)
    with pytest.raises(ValueError, match="unknown region"):
        calendar.festivals(2026, ("FR",))


def test_presale_windows_and_nianhuo_are_configurable():
    default = {f.key: f for f in calendar.ecommerce_festivals(2027)}
    assert (default["day_618_presale"].start, default["day_618_presale"].end) == (date(2027, 5, 20), date(2027, 5, 31))
    assert (default["double_11_presale"].start, default["double_11_presale"].end) == (
        date(2027, 10, 20),
        date(2027, 10, 31),
    )
    moved = {f.key: f for f in calendar.ecommerce_festivals(2027, calendar.Windows(presale_618=(5, 25)))}
    assert moved["day_618_presale"].start == date(2027, 5, 25)
    # 年货节 ends 10 days before 春节 (2027-02-06, 2028-01-26); a year lists the windows that start in it
    nianhuo = [(f.start, f.end) for f in calendar.ecommerce_festivals(2027) if f.key == "nianhuo"]
    assert nianhuo == [(date(2027, 1, 7), date(2027, 1, 27)), (date(2027, 12, 27), date(2028, 1, 16))]


def test_a_window_crossing_new_year_belongs_to_both_years():
    spans = [(f.start, f.end) for f in calendar.ecommerce_festivals(2023) if f.key == "nianhuo"]
    assert spans == [(date(2022, 12, 23), date(2023, 1, 12))]  # 春节 2023-01-22
    running = calendar.upcoming(datetime(2023, 1, 5, 4, 0, tzinfo=UTC), days=30)
    assert [f.key for f in running].count("nianhuo") == 1


@pytest.mark.parametrize(
    "key, published",
    [
        ("laba", date(2022, 12, 30)),
        ("lantern", date(2024, 2, 24)),
        ("qixi", date(2024, 8, 10)),
        ("new_years_eve_lunar", date(2026, 2, 16)),
    ],
)
def test_days_around_new_year_match_published_dates(key, published):
    # a Gregorian year can hold two of them (2022: 腊八 on 10 January and on 30 December)
    assert published in [f.start for f in calendar.lunar_festivals(published.year) if f.key == key]


def test_presale_windows_must_open_before_the_sales():
    with pytest.raises(ValueError, match="presale must open before"):
        calendar.ecommerce_festivals(2027, calendar.Windows(presale_618=(6, 5)))


@pytest.mark.parametrize(
    "name, tz, code",
    [("x" * 201, "UTC", "name_too_long"), ("x", "", "bad_timezone"), ("x", "Mars/Olympus", "bad_timezone")],
)
def test_custom_festivals_are_checked(name, tz, code):
    with pytest.raises(ValueError, match=code):
        calendar.custom("c", name, date(2026, 1, 1), date(2026, 1, 2), tz, "CN")

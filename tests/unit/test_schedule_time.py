"""campaigns/schedule_time.py: local time ⇄ UTC, DST gaps and folds, recurring schedules (dispatch.md §8 rows 12–13)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from campaigns.schedule_time import (
    Recurrence,
    Refused,
    ScheduleTimeError,
    classify,
    occurrences,
    to_local,
    to_utc,
)

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kolkata"]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- to_utc / to_local -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "local, zone, expected",
    [
        (datetime(2025, 11, 11, 20, 0), "Asia/Shanghai", utc(2025, 11, 11, 12, 0)),
        (datetime(2025, 1, 15, 9, 0), "Europe/Berlin", utc(2025, 1, 15, 8, 0)),  # CET +1
        (datetime(2025, 7, 15, 9, 0), "Europe/Berlin", utc(2025, 7, 15, 7, 0)),  # CEST +2
        (datetime(2025, 3, 30, 1, 59, 59), "Europe/Berlin", utc(2025, 3, 30, 0, 59, 59)),  # just before the gap
        (datetime(2025, 3, 30, 3, 0), "Europe/Berlin", utc(2025, 3, 30, 1, 0)),  # the gap's end exists
        (datetime(2025, 11, 28, 0, 0), "America/New_York", utc(2025, 11, 28, 5, 0)),
        (datetime(2025, 7, 1, 12, 0), "Australia/Lord_Howe", utc(2025, 7, 1, 1, 30)),  # +10:30 in winter
        (datetime(2025, 12, 1, 12, 0), "Australia/Lord_Howe", utc(2025, 12, 1, 1, 0)),  # +11:00 in summer
    ],
)
def test_to_utc(local, zone, expected):
    got = to_utc(local, zone)
    assert got == expected and got.tzinfo is UTC


def test_a_time_in_the_spring_gap_is_refused_with_the_gap():
    with pytest.raises(ScheduleTimeError) as caught:
        to_utc(datetime(2025, 3, 30, 2, 30), "Europe/Berlin")
    assert caught.value.code == "nonexistent_time"
    assert caught.value.params == {
        "zone": "Europe/Berlin",
        "local": "2025-03-30T02:30:00",
        "gap_start": "2025-03-30T02:00:00",
        "gap_end": "2025-03-30T03:00:00",
        "suggested": "2025-03-30T03:30:00",
    }
    assert isinstance(caught.value, ValueError)


def test_a_time_in_the_autumn_fold_is_refused_unless_a_person_chose_one():
    local = datetime(2025, 10, 26, 2, 30)
    with pytest.raises(ScheduleTimeError) as caught:
        to_utc(local, "Europe/Berlin")
    assert caught.value.code == "ambiguous_time"
    assert caught.value.params == {
        "zone": "Europe/Berlin",
        "local": "2025-10-26T02:30:00",
        "fold_start": "2025-10-26T02:00:00",
        "fold_end": "2025-10-26T03:00:00",
        "earlier_utc": "2025-10-26T00:30:00+00:00",
        "later_utc": "2025-10-26T01:30:00+00:00",
    }
    assert to_utc(local, "Europe/Berlin", fold=0) == utc(2025, 10, 26, 0, 30)
    assert to_utc(local, "Europe/Berlin", fold=1) == utc(2025, 10, 26, 1, 30)
    assert to_utc(local.replace(fold=1), "Europe/Berlin", fold=0) == utc(2025, 10, 26, 0, 30)  # the argument rules
    with pytest.raises(ScheduleTimeError):
        to_utc(local.replace(fold=1), "Europe/Berlin")  # a fold attribute is not a person's choice


def test_choosing_a_fold_does_not_open_the_gap():
    with pytest.raises(ScheduleTimeError, match="nonexistent_time"):
        to_utc(datetime(2025, 3, 30, 2, 30), "Europe/Berlin", fold=1)
    assert to_utc(datetime(2025, 6, 1, 2, 30), "Europe/Berlin", fold=1) == utc(2025, 6, 1, 0, 30)


def test_lord_howe_moves_half_an_hour():
    gap = classify(datetime(2025, 10, 5, 2, 15), "Australia/Lord_Howe")
    assert gap[0] == "nonexistent_time"
    assert (gap[1]["gap_start"], gap[1]["gap_end"]) == ("2025-10-05T02:00:00", "2025-10-05T02:30:00")
    assert gap[1]["suggested"] == "2025-10-05T02:45:00"
    fold = classify(datetime(2025, 4, 6, 1, 45), "Australia/Lord_Howe")
    assert fold[0] == "ambiguous_time"
    assert (fold[1]["fold_start"], fold[1]["fold_end"]) == ("2025-04-06T01:30:00", "2025-04-06T02:00:00")
    assert classify(datetime(2025, 10, 5, 2, 30), "Australia/Lord_Howe") is None
    assert classify(datetime(2025, 10, 5, 1, 59), "Australia/Lord_Howe") is None


def test_new_york_and_a_zone_without_dst():
    assert classify(datetime(2025, 3, 9, 2, 30), "America/New_York")[0] == "nonexistent_time"
    assert classify(datetime(2025, 11, 2, 1, 30), "America/New_York")[0] == "ambiguous_time"
    assert classify(datetime(2025, 3, 9, 2, 30), "Asia/Shanghai") is None


def test_a_skipped_day_is_a_gap_too():
    # Samoa moved across the date line: 30 December 2011 never happened in Apia
    code, params = classify(datetime(2011, 12, 30, 12, 0), "Pacific/Apia")
    assert code == "nonexistent_time"
    assert (params["gap_start"], params["gap_end"]) == ("2011-12-30T00:00:00", "2011-12-31T00:00:00")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "   ", "../../etc/passwd", "/etc/localtime", "Europe/", None, 8])
def test_unknown_zones(zone):
    with pytest.raises(ScheduleTimeError) as caught:
        to_utc(datetime(2025, 1, 1, 9), zone)
    assert caught.value.code == "unknown_zone"
    with pytest.raises(ScheduleTimeError, match="unknown_zone"):
        to_local(utc(2025, 1, 1), zone)


def test_wrong_kinds_of_time():
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2025, 1, 1, 9, tzinfo=UTC), "Asia/Shanghai")
    with pytest.raises(ValueError, match="naive"):
        to_utc(date(2025, 1, 1), "Asia/Shanghai")
    with pytest.raises(ValueError, match="aware"):
        to_local(datetime(2025, 1, 1, 9), "Asia/Shanghai")


def test_to_local():
    local = to_local(utc(2025, 11, 11, 12, 0), "Asia/Shanghai")
    assert local == datetime(2025, 11, 11, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert local.tzinfo == ZoneInfo("Asia/Shanghai") and local.hour == 20
    assert to_local(datetime(2025, 1, 1, 9, tzinfo=timezone(timedelta(hours=8))), "UTC").hour == 1
    assert to_local(utc(2025, 10, 26, 1, 30), "Europe/Berlin").fold == 1  # the second 02:30


def test_error_text_names_code_and_params():
    error = ScheduleTimeError("bad_interval", {"min": 1, "max": 52})
    assert str(error) == "bad_interval: min=1, max=52" and error.params == {"min": 1, "max": 52}
    assert str(ScheduleTimeError("until_and_count")) == "until_and_count"


# --- properties --------------------------------------------------------------------------------------------------
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2045, 12, 31), timezones=st.just(UTC))
walls = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2045, 12, 31))


@given(instants, st.sampled_from(ZONES))
def test_every_instant_round_trips(instant, zone):
    local = to_local(instant, zone)
    assert to_utc(local.replace(tzinfo=None), zone, fold=local.fold) == instant


@given(walls, st.sampled_from(ZONES))
def test_a_time_outside_changes_round_trips(wall, zone):
    assume(classify(wall, zone) is None)
    assert to_local(to_utc(wall, zone), zone).replace(tzinfo=None) == wall


def _instants_showing(wall: datetime, zone: str) -> set[datetime]:
    """Independent oracle: every offset the zone used within two days, tried one by one."""
    tz = ZoneInfo(zone)
    probe = (wall - timedelta(days=2)).replace(tzinfo=UTC)
    offsets = {(probe + timedelta(minutes=15 * i)).astimezone(tz).utcoffset() for i in range(4 * 24 * 4 + 1)}
    found = set()
    for offset in offsets:
        candidate = (wall - offset).replace(tzinfo=UTC)
        if candidate.astimezone(tz).replace(tzinfo=None) == wall:
            found.add(candidate)
    return found


@given(walls, st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]))
def test_classification_agrees_with_trying_every_offset(wall, zone):
    wall = wall.replace(second=0, microsecond=0)
    found = _instants_showing(wall, zone)
    problem = classify(wall, zone)
    if len(found) == 1:
        assert problem is None and to_utc(wall, zone) in found
    elif not found:
        assert problem[0] == "nonexistent_time"
        assert problem[1]["gap_start"] <= wall.isoformat() < problem[1]["gap_end"]
    else:
        assert problem[0] == "ambiguous_time" and len(found) == 2
        assert {to_utc(wall, zone, fold=0), to_utc(wall, zone, fold=1)} == found


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]), st.integers(2000, 2040))
def test_each_year_has_its_gap_and_its_fold(zone, year):
    """Walk a year hour by hour (Lord Howe: half-hour): exactly one gap day and one fold day."""
    step = timedelta(minutes=30 if zone == "Australia/Lord_Howe" else 60)
    start = datetime(year, 1, 1, 0, 15)
    codes = {}
    at = start
    while at.year == year:
        problem = classify(at, zone)
        if problem:
            codes.setdefault(problem[0], set()).add(at.date())
        at += step
    assert {code: len(days) for code, days in codes.items()} == {"nonexistent_time": 1, "ambiguous_time": 1}


# --- recurrence: validation --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"frequency": "monthly"}, "bad_frequency"),
        ({"frequency": "daily", "interval": 0}, "bad_interval"),
        ({"frequency": "daily", "interval": 53}, "bad_interval"),
        ({"frequency": "daily", "interval": True}, "bad_interval"),
        ({"frequency": "daily", "interval": 1.5}, "bad_interval"),
        ({"frequency": "weekly", "count": 0}, "bad_count"),
        ({"frequency": "weekly", "count": 367}, "bad_count"),
        ({"frequency": "weekly", "count": "3"}, "bad_count"),
        ({"frequency": "weekly", "count": 3, "until": date(2026, 1, 1)}, "until_and_count"),
    ],
)
def test_rules_are_checked(kwargs, code):
    with pytest.raises(ScheduleTimeError) as caught:
        Recurrence(**kwargs)
    assert caught.value.code == code


def test_the_bounds_themselves_are_fine():
    assert Recurrence("daily", interval=52, count=366).step == timedelta(days=52)
    assert Recurrence("weekly", interval=1, count=1).step == timedelta(days=7)
    with pytest.raises(ValueError):
        Recurrence("daily", until=datetime(2026, 1, 1))  # a date, not a datetime


def test_until_must_not_be_before_the_first_date():
    rule = Recurrence("daily", until=date(2025, 11, 10))
    with pytest.raises(ScheduleTimeError) as caught:
        occurrences(datetime(2025, 11, 11, 20), "Asia/Shanghai", rule)
    assert caught.value.code == "until_before_start"
    assert caught.value.params == {"until": "2025-11-10", "first": "2025-11-11"}
    one = occurrences(datetime(2025, 11, 11, 20), "Asia/Shanghai", Recurrence("daily", until=date(2025, 11, 11)))
    assert one.utc == [utc(2025, 11, 11, 12)] and not one.refused


def test_bad_limit_and_unknown_zone():
    with pytest.raises(ScheduleTimeError, match="bad_limit"):
        occurrences(datetime(2025, 1, 1), "UTC", Recurrence("daily", count=2), limit=0)
    with pytest.raises(ScheduleTimeError, match="unknown_zone"):
        occurrences(datetime(2025, 1, 1), "Nowhere/City", Recurrence("daily", count=2))
    with pytest.raises(ValueError, match="naive"):
        occurrences(datetime(2025, 1, 1, tzinfo=UTC), "UTC", Recurrence("daily", count=2))


# --- recurrence: series ------------------------------------------------------------------------------------------
def test_daily_keeps_the_wall_clock_across_the_spring_change():
    series = occurrences(datetime(2025, 3, 28, 9, 0), "Europe/Berlin", Recurrence("daily", count=4))
    assert series.utc == [utc(2025, 3, 28, 8), utc(2025, 3, 29, 8), utc(2025, 3, 30, 7), utc(2025, 3, 31, 7)]
    assert series.refused == [] and not series.truncated


def test_an_occurrence_in_the_gap_is_refused_not_skipped_or_shifted():
    series = occurrences(datetime(2025, 3, 28, 2, 30), "Europe/Berlin", Recurrence("daily", count=5))
    assert series.utc == [utc(2025, 3, 28, 1, 30), utc(2025, 3, 29, 1, 30), utc(2025, 3, 31, 0, 30),
                          utc(2025, 4, 1, 0, 30)]  # fmt: skip
    assert series.refused == [
        Refused(
            2,
            datetime(2025, 3, 30, 2, 30),
            "nonexistent_time",
            {
                "zone": "Europe/Berlin",
                "local": "2025-03-30T02:30:00",
                "gap_start": "2025-03-30T02:00:00",
                "gap_end": "2025-03-30T03:00:00",
                "suggested": "2025-03-30T03:30:00",
            },
        )
    ]


def test_an_occurrence_in_the_fold_is_refused_not_doubled():
    series = occurrences(datetime(2025, 10, 24, 2, 30), "Europe/Berlin", Recurrence("daily", until=date(2025, 10, 28)))
    assert len(series.utc) == 4 and len(set(series.utc)) == 4
    assert [r.local for r in series.refused] == [datetime(2025, 10, 26, 2, 30)]
    assert series.refused[0].code == "ambiguous_time" and series.refused[0].index == 2


def test_a_first_occurrence_in_a_change_is_listed_too():
    series = occurrences(datetime(2025, 3, 30, 2, 30), "Europe/Berlin", Recurrence("weekly", count=2))
    assert series.utc == [utc(2025, 4, 6, 0, 30)]
    assert [(r.index, r.code) for r in series.refused] == [(0, "nonexistent_time")]


def test_weekly_every_other_week_until_a_date_inclusive():
    rule = Recurrence("weekly", interval=2, until=date(2025, 12, 23))
    series = occurrences(datetime(2025, 11, 11, 20, 0), "Asia/Shanghai", rule)
    assert [to_local(t, "Asia/Shanghai").date() for t in series.utc] == [
        date(2025, 11, 11),
        date(2025, 11, 25),
        date(2025, 12, 9),
        date(2025, 12, 23),  # the until day itself
    ]


def test_weekly_in_new_york_across_the_autumn_change():
    series = occurrences(datetime(2025, 10, 20, 18, 0), "America/New_York", Recurrence("weekly", count=3))
    assert series.utc == [utc(2025, 10, 20, 22), utc(2025, 10, 27, 22), utc(2025, 11, 3, 23)]


def test_lord_howe_half_hour_gap_in_a_series():
    series = occurrences(datetime(2025, 10, 3, 2, 15), "Australia/Lord_Howe", Recurrence("daily", count=4))
    assert [r.local for r in series.refused] == [datetime(2025, 10, 5, 2, 15)]
    assert [to_local(t, "Australia/Lord_Howe").time().isoformat() for t in series.utc] == ["02:15:00"] * 3


def test_limit_cuts_and_says_so():
    series = occurrences(datetime(2025, 1, 1, 9), "Asia/Shanghai", Recurrence("daily"), limit=10)
    assert len(series.utc) == 10 and series.truncated
    assert len(occurrences(datetime(2025, 1, 1, 9), "Asia/Shanghai", Recurrence("daily")).utc) == 366
    cut = occurrences(datetime(2025, 1, 1, 9), "Asia/Shanghai", Recurrence("daily", count=20), limit=5)
    assert len(cut.utc) == 5 and cut.truncated
    whole = occurrences(datetime(2025, 1, 1, 9), "Asia/Shanghai", Recurrence("daily", count=5), limit=5)
    assert len(whole.utc) == 5 and not whole.truncated
    far = occurrences(datetime(2025, 1, 1, 9), "Asia/Shanghai", Recurrence("daily", until=date(2030, 1, 1)), limit=7)
    assert len(far.utc) == 7 and far.truncated


def test_the_result_unpacks():
    times, refused, truncated = occurrences(datetime(2025, 1, 1, 9), "UTC", Recurrence("daily", count=2))
    assert times == [utc(2025, 1, 1, 9), utc(2025, 1, 2, 9)] and refused == [] and truncated is False


@given(
    walls,
    st.sampled_from(ZONES),
    st.sampled_from(["daily", "weekly"]),
    st.integers(1, 52),
    st.integers(1, 60),
)
def test_series_properties(first, zone, frequency, interval, count):
    series = occurrences(first, zone, Recurrence(frequency, interval=interval, count=count))
    assert len(series.utc) + len(series.refused) == count  # every place accounted for, once
    assert all(a < b for a, b in zip(series.utc, series.utc[1:], strict=False))  # in order, no doubles
    assert all(t.tzinfo is UTC for t in series.utc)
    walls_seen = [to_local(t, zone).replace(tzinfo=None) for t in series.utc] + [r.local for r in series.refused]
    assert {w.time() for w in walls_seen} == {first.time()}  # the wall clock never moves
    step = timedelta(days=interval * (7 if frequency == "weekly" else 1))
    assert sorted(walls_seen) == [first + i * step for i in range(count)]
    assert all(r.code in ("nonexistent_time", "ambiguous_time") for r in series.refused)

"""Festivals of a year: Chinese lunar days, e-commerce days and Western days.

Lunar dates come from ``lunar_python`` (6tail's calendar, valid well beyond 1990-2099).
Every festival carries its IANA time zone; ``start`` and ``end`` are dates and both
ends are inclusive: a festival on 2026-11-11 runs from 00:00 on the 11th to the end of
that day in its zone.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.easter import easter
from lunar_python import Lunar

from campaigns import holidays

CN_TZ = "Asia/Shanghai"
US_TZ = "America/New_York"
UK_TZ = "Europe/London"
REGIONS = ("CN", "US", "UK")
DEFAULT_REGIONS = ("CN", "US")

FIRST_YEAR = 1990
LAST_YEAR = 2099


@dataclass(frozen=True)
class Festival:
    key: str  # stable identifier, also the catalog key suffix for its name
    kind: str  # "lunar" | "ecommerce" | "western" | "holiday" | "workday" | "custom"
    region: str  # "CN" | "US" | "UK"
    start: date  # inclusive
    end: date  # inclusive
    timezone: str
    name: str | None = None  # a custom festival's own name; built-in ones are named by the catalog

    def window_utc(self) -> tuple[datetime, datetime]:
        """First and last instant of the festival, inclusive, in UTC."""
        zone = ZoneInfo(self.timezone)
        first = datetime.combine(self.start, time.min, zone)
        last = datetime.combine(self.end, time.max, zone)
        utc = ZoneInfo("UTC")
        return first.astimezone(utc), last.astimezone(utc)


# (key, lunar month, lunar day). 小年 follows the northern convention: 腊月二十三.
_LUNAR_DAYS = (
    ("laba", 12, 8),
    ("xiaonian", 12, 23),
    ("spring_festival", 1, 1),
    ("lantern", 1, 15),
    ("dragon_boat", 5, 5),
    ("qixi", 7, 7),
    ("mid_autumn", 8, 15),
    ("double_ninth", 9, 9),
)

# (key, month, day, days before the day that the sales window opens)
_ECOMMERCE_DAYS = (
    ("queen_day", 3, 8, 0),
    ("day_520", 5, 20, 0),
    ("day_618", 6, 18, 17),
    ("day_99", 9, 9, 0),
    ("double_11", 11, 11, 10),
    ("double_12", 12, 12, 0),
)


@dataclass(frozen=True)
class Windows:
    """The e-commerce windows that platforms move from year to year; pass your own to change them.
    Presales end the day before the sales window opens."""

    presale_618: tuple[int, int] = (5, 20)  # (month, day) the 618 presale (deposits) opens
    presale_double_11: tuple[int, int] = (10, 20)  # ... and the 双11 presale
    nianhuo_days_before: tuple[int, int] = (30, 10)  # 年货节: from 30 to 10 days before 春节

    def problems(self) -> list[tuple[str, str]]:
        """(field, code) for every window that cannot be: a date that does not exist, a presale that
        does not open before its sales window, a 年货节 that ends before it starts."""
        out = []
        sales = {key: (m, d, lead) for key, m, d, lead in _ECOMMERCE_DAYS}
        for name, (month, day), (sale_month, sale_day, lead) in (
            ("presale_618", self.presale_618, sales["day_618"]),
            ("presale_double_11", self.presale_double_11, sales["double_11"]),
        ):
            try:
                opens = date(2001, month, day)  # not a leap year: a window must exist every year
            except ValueError:
                out.append((name, "no_such_date"))
                continue
            if opens >= date(2001, sale_month, sale_day) - timedelta(days=lead):
                out.append((name, "presale_after_sales"))
        first, last = self.nianhuo_days_before
        if not 0 <= last <= first <= 90:
            out.append(("nianhuo_days_before", "bad_range"))
        return out


def custom(key: str, name: str, start: date, end: date, timezone: str, region: str) -> Festival:
    """A workspace's own festival, checked like the built-in ones."""
    if not name.strip():
        raise ValueError("empty_name")
    if len(name.strip()) > 200:
        raise ValueError("name_too_long")
    if end < start:
        raise ValueError("end_before_start")
    if not (FIRST_YEAR <= start.year and end.year <= LAST_YEAR):
        raise ValueError("year_out_of_range")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("bad_timezone") from None
    return Festival(key, "custom", region, start, end, timezone, name.strip())


def _lunar_to_solar(lunar_year: int, month: int, day: int) -> date:
    s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (0 = Monday) of a month; n = -1 for the last."""
    days = [d for d in _cal.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[n if n < 0 else n - 1]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")


def lunar_festivals(year: int) -> list[Festival]:
    """Lunar festivals whose Gregorian date falls in ``year``."""
    _check_year(year)
    out: list[Festival] = []
    for lunar_year in (year - 1, year):
        for key, month, day in _LUNAR_DAYS:
            d = _lunar_to_solar(lunar_year, month, day)
            if d.year == year:
                out.append(Festival(key, "lunar", "CN", d, d, CN_TZ))
        # 除夕 is the day before the next Spring Festival, whether 腊月 has 29 or 30 days.
        eve = _lunar_to_solar(lunar_year + 1, 1, 1) - timedelta(days=1)
        if eve.year == year:
            out.append(Festival("new_years_eve_lunar", "lunar", "CN", eve, eve, CN_TZ))
    return out


def ecommerce_festivals(year: int, windows: Windows = Windows()) -> list[Festival]:
    _check_year(year)
    out = []
    for key, month, day, lead in _ECOMMERCE_DAYS:
        d = date(year, month, day)
        out.append(Festival(key, "ecommerce", "CN", d - timedelta(days=lead), d, CN_TZ))
    sales_open = {f.key: f.start for f in out}
    for key, (month, day) in (("day_618", windows.presale_618), ("double_11", windows.presale_double_11)):
        presale = date(year, month, day)
        if presale >= sales_open[key]:
            raise ValueError(f"the {key} presale must open before its sales window ({sales_open[key]})")
        out.append(Festival(f"{key}_presale", "ecommerce", "CN", presale, sales_open[key] - timedelta(days=1), CN_TZ))
    first, last = windows.nianhuo_days_before
    for lunar_year in (year - 2, year - 1, year):  # 年货节 runs up to the Spring Festival of lunar_year + 1
        sf = _lunar_to_solar(lunar_year + 1, 1, 1)
        start, end = sf - timedelta(days=first), sf - timedelta(days=last)
        if start.year <= year <= end.year:  # a year lists every window that overlaps it
            out.append(Festival("nianhuo", "ecommerce", "CN", start, end, CN_TZ))
    return out


def public_holidays(year: int) -> list[Festival]:
    """Days off and make-up working days (调休) of ``year``, where the schedule is published
    (``holidays.covered_years()``); an empty list otherwise."""
    _check_year(year)
    return [
        Festival(p.key, "workday" if p.workday else "holiday", "CN", p.start, p.end, CN_TZ)
        for p in holidays.periods(year)
    ]


def western_festivals(year: int, region: str = "US") -> list[Festival]:
    """Western shopping days of ``region``: "US" or "UK" (Mothering Sunday is three weeks before
    Easter there; Black Friday follows the US Thanksgiving in both)."""
    _check_year(year)
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    days = [
        ("valentines", date(year, 2, 14)),
        ("fathers_day", _nth_weekday(year, 6, 6, 3)),
        ("halloween", date(year, 10, 31)),
        ("black_friday", thanksgiving + timedelta(days=1)),
        ("cyber_monday", thanksgiving + timedelta(days=4)),
        ("christmas", date(year, 12, 25)),
    ]
    if region == "US":
        days += [("mothers_day", _nth_weekday(year, 5, 6, 2)), ("thanksgiving", thanksgiving)]
        zone = US_TZ
    elif region == "UK":
        days += [("mothering_sunday", easter(year) - timedelta(days=21)), ("boxing_day", date(year, 12, 26))]
        zone = UK_TZ
    else:
        raise ValueError(f"no Western calendar for region {region!r}; use US or UK")
    return [Festival(key, "western", region, d, d, zone) for key, d in days]


def festivals(year: int, regions: tuple[str, ...] = DEFAULT_REGIONS, windows: Windows = Windows()) -> list[Festival]:
    """Every built-in festival of ``year`` in ``regions``, ordered by start date (China's public
    holidays, which are days off rather than sales, come with ``year_calendar``)."""
    unknown = set(regions) - set(REGIONS)
    if unknown:
        raise ValueError(f"unknown region {sorted(unknown)}; use {', '.join(REGIONS)}")
    found: list[Festival] = []
    if "CN" in regions:
        found += lunar_festivals(year) + ecommerce_festivals(year, windows)
    for region in ("US", "UK"):
        if region in regions:
            found += western_festivals(year, region)
    return sorted(found, key=lambda f: (f.start, f.key, f.region))


def year_calendar(
    year: int, regions: tuple[str, ...] = DEFAULT_REGIONS, windows: Windows = Windows()
) -> list[Festival]:
    """Festivals plus, for China, public holidays and make-up working days: what a planner needs."""
    found = festivals(year, regions, windows) + (public_holidays(year) if "CN" in regions else [])
    return sorted(found, key=lambda f: (f.start, f.key, f.region))


def upcoming(now: datetime, days: int = 60, extra: tuple[Festival, ...] = ()) -> list[Festival]:
    """Festivals (built-in, plus ``extra`` such as a workspace's own) not yet over at ``now``
    (aware) and starting within ``days`` days."""
    horizon = now + timedelta(days=days)
    found: dict[tuple, Festival] = {}  # a window crossing New Year is listed by both years
    years = range(max(now.year - 1, FIRST_YEAR), min(horizon.year, LAST_YEAR) + 1)
    for f in [*(f for year in years for f in festivals(year)), *extra]:
        first, last = f.window_utc()
        if last >= now and first <= horizon:
            found[(f.key, f.region, f.start)] = f
    return sorted(found.values(), key=lambda f: (f.start, f.key))


def find(key: str, year: int) -> Festival:
    return find_in(key, year, DEFAULT_REGIONS)


def find_in(key: str, year: int, regions: tuple[str, ...]) -> Festival:
    for f in year_calendar(year, regions):
        if f.key == key:
            return f
    raise KeyError(f"no festival {key!r} in {year}")

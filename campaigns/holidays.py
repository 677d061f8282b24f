"""China's public holidays and make-up working days (调休), as the State Council announces them.

The dates come from ``lunar_python``'s holiday table (it is updated as each year's schedule is
published); ``covered_years()`` says which years it knows. Outside those years nothing is listed:
a future year's schedule is not guessed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from lunar_python.util import HolidayUtil

# The table's names -> Festa's keys (catalog: festival.holiday_<key>)
_KEYS = {
    "元旦节": "new_year",
    "春节": "spring_festival",
    "清明节": "qingming",
    "劳动节": "labour_day",
    "端午节": "dragon_boat",
    "中秋节": "mid_autumn",
    "国庆节": "national_day",
    "国庆中秋": "national_day_mid_autumn",
    "抗战胜利日": "victory_day",
}


@dataclass(frozen=True)
class HolidayPeriod:
    key: str  # holiday_<name>: days off; workday_<name>: a make-up working day (调休)
    start: date  # inclusive
    end: date  # inclusive
    workday: bool


def _day(text: str) -> date:
    y, m, d = (int(part) for part in text.split("-"))
    return date(y, m, d)


def periods(year: int) -> list[HolidayPeriod]:
    """Runs of consecutive days off, and each make-up working day, in ``year``."""
    days = sorted(
        ((_day(h.getDay()), _KEYS.get(h.getName(), "other"), h.isWork()) for h in HolidayUtil.getHolidays(year)),
    )
    out: list[HolidayPeriod] = []
    for day, key, work in days:
        prefix = "workday" if work else "holiday"
        last = out[-1] if out else None
        if (
            not work
            and last is not None
            and not last.workday
            and last.key == f"holiday_{key}"
            and (day - last.end).days == 1
        ):
            out[-1] = HolidayPeriod(last.key, last.start, day, False)
        else:
            out.append(HolidayPeriod(f"{prefix}_{key}", day, day, work))
    return out


@functools.cache
def covered_years() -> tuple[int, int]:
    """First and last year with a published schedule in the table."""
    years = [y for y in range(1990, 2100) if HolidayUtil.getHolidays(y)]
    return years[0], years[-1]

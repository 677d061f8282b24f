"""Numbers, money, dates and times formatted by Babel for the chosen language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates as bdates
from babel import numbers as bnumbers

from campaigns.promotions.money import Money

LOCALES = {"zh-CN": "zh_Hans_CN", "en": "en_US"}
NONE = "—"


def _loc(lang: str) -> str:
    return LOCALES[lang]


def money(m: Money, lang: str) -> str:
    return bnumbers.format_currency(m.amount, m.currency, locale=_loc(lang))


def compact_money(m: Money, lang: str) -> str:
    """Short form for headline money: ¥345.39万 / CN¥3.45M."""
    return bnumbers.format_compact_currency(m.amount, m.currency, locale=_loc(lang), fraction_digits=2)


def number(n: int | float | Decimal, lang: str) -> str:
    return bnumbers.format_decimal(n, locale=_loc(lang))


def compact(n: int, lang: str) -> str:
    """Short form for headline figures: 1.2M / 120万."""
    return bnumbers.format_compact_decimal(n, locale=_loc(lang), fraction_digits=1)


def percent(r: Decimal | None, lang: str) -> str:
    if r is None:
        return NONE
    return bnumbers.format_percent(r, format="#,##0.00%", locale=_loc(lang))


def ratio(r: Decimal | None, lang: str) -> str:
    return NONE if r is None else bnumbers.format_decimal(r, format="#,##0.00", locale=_loc(lang))


def day(d: date, lang: str) -> str:
    return bdates.format_date(d, format="medium", locale=_loc(lang))


def moment(dt: datetime, tz: str, lang: str) -> str:
    """A UTC instant shown in the zone it belongs to."""
    return bdates.format_datetime(dt, format="short", tzinfo=ZoneInfo(tz), locale=_loc(lang))


def days_ahead(n: int, lang: str) -> str:
    """ "in 3 days" / "3天后"."""
    return bdates.format_timedelta(
        timedelta(days=n), granularity="day", threshold=400, add_direction=True, locale=_loc(lang)
    )

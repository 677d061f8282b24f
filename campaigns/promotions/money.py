"""Money as integer minor units plus an ISO 4217 currency; rounding modes and exact splits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from math import lcm

from babel.numbers import get_currency_precision, is_currency


def exponent(currency: str) -> int:
    """Digits after the decimal point: CNY 2, USD 2, JPY 0 (from CLDR via Babel)."""
    return get_currency_precision(currency.upper())


def known_currency(currency: str) -> bool:
    """True for an ISO 4217 code CLDR knows (upper case, as stored)."""
    return isinstance(currency, str) and currency.isupper() and is_currency(currency)


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int):
            raise TypeError("Money.minor must be an int of minor units")
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"not an ISO currency code: {self.currency!r}")

    @property
    def amount(self) -> Decimal:
        """The amount in major units, exact."""
        return Decimal(self.minor).scaleb(-exponent(self.currency))


class Rounding(StrEnum):
    """How a fractional minor unit becomes whole: Saleor rounds half up, django-oscar down."""

    HALF_UP = "half_up"
    DOWN = "down"


def divide(numerator: int, denominator: int, rounding: Rounding) -> int:
    """``numerator / denominator`` in whole minor units; both must be non-negative (denominator > 0)."""
    if rounding == Rounding.DOWN:
        return numerator // denominator
    return (2 * numerator + denominator) // (2 * denominator)


def ratio(percent: Decimal | int) -> tuple[int, int]:
    """``percent / 100`` as an exact integer fraction ``(numerator, denominator)``."""
    num, den = Decimal(percent).as_integer_ratio()
    return num, den * 100


def percent_of(amount: int, percent: Decimal | int, rounding: Rounding = Rounding.HALF_UP) -> int:
    """``percent`` % of ``amount`` minor units, rounded once: 3 % of 1750 is 52.5 -> 53 (half up) or 52 (down)."""
    num, den = ratio(percent)
    return divide(amount * num, den, rounding)


class TieBreak(StrEnum):
    """Which part takes the odd minor unit when remainders tie: the first (WooCommerce) or the last (Oscar)."""

    FIRST = "first"
    LAST = "last"


def split(total: int, weights: list[int], ties: TieBreak = TieBreak.FIRST) -> list[int]:
    """Largest remainder over non-negative int weights with a positive sum; no checks (hot path)."""
    whole = sum(weights)
    parts = []
    rems = []
    for w in weights:
        q, r = divmod(total * w, whole)
        parts.append(q)
        rems.append(r)
    short = total - sum(parts)
    if short:
        n = len(weights)
        if ties == TieBreak.FIRST:
            order = sorted(range(n), key=lambda i: (-rems[i], i))
        else:
            order = sorted(range(n), key=lambda i: (-rems[i], -i))
        for i in order[:short]:
            parts[i] += 1
    return parts


def allocate(total: int, weights: list[Decimal | int], ties: TieBreak = TieBreak.FIRST) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights`` by largest remainder: the parts
    always add up to ``total`` exactly, and ties go to the earlier part (or the later, if asked)."""
    if total < 0:
        raise ValueError("cannot allocate a negative amount")
    exact = [Decimal(w).as_integer_ratio() for w in weights]
    if not exact or any(n < 0 for n, _ in exact) or all(n == 0 for n, _ in exact):
        raise ValueError("weights must be non-negative and not all zero")
    common = lcm(*(d for _, d in exact))
    return split(total, [n * (common // d) for n, d in exact], ties)

"""Money as integer minor units plus an ISO 4217 currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_precision


def exponent(currency: str) -> int:
    """Digits after the decimal point: CNY 2, USD 2, JPY 0 (from CLDR via Babel)."""
    return get_currency_precision(currency.upper())


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


def allocate(total: int, weights: list[Decimal | int]) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights`` by largest remainder: the parts
    always add up to ``total`` exactly, and ties go to the earlier part."""
    if total < 0:
        raise ValueError("cannot allocate a negative amount")
    weights = [Decimal(w) for w in weights]
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    whole = sum(weights)
    exact = [Decimal(total) * w / whole for w in weights]
    parts = [int(x) for x in exact]  # floor: all values are non-negative
    short = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts

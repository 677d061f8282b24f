"""What a quote is asked about: the cart, who is buying, when, where, and how far each offer is used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


def _names(value: object) -> frozenset[str]:
    """A set of names; a lone string is one name, not its characters."""
    return frozenset({value} if isinstance(value, str) else value)


@dataclass(frozen=True, slots=True)
class Line:
    """One cart line. ``key`` identifies it within the cart (quotes list lines by key)."""

    key: str
    product: str
    unit_minor: int
    quantity: int
    category: str = ""
    tags: frozenset[str] = frozenset()
    shop: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", _names(self.tags))

    @property
    def amount_minor(self) -> int:
        return self.unit_minor * self.quantity


@dataclass(frozen=True, slots=True)
class Cart:
    currency: str
    lines: tuple[Line, ...]
    shipping_minor: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))


@dataclass(frozen=True, slots=True)
class Shopper:
    id: str = ""
    segments: frozenset[str] = frozenset()
    first_order: bool = False
    points: int = 0  # balance the shopper offers to redeem

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", _names(self.segments))


@dataclass(frozen=True, slots=True)
class Usage:
    """How far an offer is used before this order: the caller reads these from storage."""

    uses: int = 0  # orders that carried it
    customer_uses: int = 0  # of those, this shopper's
    units: int = 0  # scoped units sold under it
    customer_units: int = 0  # of those, to this shopper
    spent_minor: int = 0  # what it has cost so far


NO_USAGE = Usage()


@dataclass(frozen=True, slots=True)
class Context:
    """The moment (aware), the shopper, the sales channel and the usage of each offer by key."""

    at: datetime
    shopper: Shopper = Shopper()
    channel: str = ""
    usage: Mapping[str, Usage] = field(default_factory=dict)

"""Offers as a marketer defines them: what they give (the benefit), to which items, to whom, when,
at which pipeline stage, and how they stack. Plain data; `validate.py` says what is wrong with one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from campaigns.promotions.money import Rounding, TieBreak


class Stage(StrEnum):
    """The pipeline, in order. Merchandise stages reduce line amounts; shipping reduces the shipping fee."""

    ITEM = "item"  # flash price, single-item discount (单品优惠)
    SHOP = "shop"  # shop 满减, shop coupons
    PLATFORM = "platform"  # 跨店满减, platform coupons, 红包
    SHIPPING = "shipping"
    SETTLEMENT = "settlement"  # presale deposit (定金膨胀) and points


STAGES = tuple(Stage)


class Basis(StrEnum):
    """What an offer's thresholds (minimum spend, tiers, steps) are measured on."""

    ORIGINAL = "original"  # list prices
    AFTER_PREVIOUS_STAGES = "after_previous_stages"  # amounts as this offer's stage received them


class Stacking(StrEnum):
    """How offers of one stage combine: each on what earlier ones left, or each on the stage's base."""

    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"


class BudgetMode(StrEnum):
    """At a hard budget: skip the offer (strict), or give what is left of the budget (partial fill)."""

    STRICT = "strict"
    PARTIAL_FILL = "partial_fill"


# Benefits: one dataclass per rule kind. Amounts are minor units of the offer's currency.


@dataclass(frozen=True, slots=True)
class PercentOff:
    """``percent`` % of the scoped amount, rounded once, spread over the lines by largest remainder."""

    percent: Decimal | int


@dataclass(frozen=True, slots=True)
class AmountOff:
    """A fixed amount off the scoped lines together, or off each scoped unit (``per_unit``)."""

    amount_minor: int
    per_unit: bool = False


@dataclass(frozen=True, slots=True)
class FixedPrice:
    """Each scoped unit costs at most ``price_minor`` (a flash price when paired with stock limits)."""

    price_minor: int


@dataclass(frozen=True, slots=True)
class Tier:
    threshold_minor: int
    off_minor: int


@dataclass(frozen=True, slots=True)
class Tiers:
    """满减 tiers: the best tier reached wins; tiers never add up."""

    tiers: tuple[Tier, ...]


@dataclass(frozen=True, slots=True)
class EveryStep:
    """每满 X 减 Y: ``off_minor`` for every whole ``step_minor``, at most ``cap_minor`` (None: 上不封顶)."""

    step_minor: int
    off_minor: int
    cap_minor: int | None = None


@dataclass(frozen=True, slots=True)
class BuyGet:
    """For every ``buy`` + ``get`` scoped units, the ``get`` cheapest are free (at most ``max_free`` units)."""

    buy: int
    get: int
    max_free: int | None = None


@dataclass(frozen=True, slots=True)
class FreeShipping:
    """Waives the shipping fee, or up to ``max_minor`` of it."""

    max_minor: int | None = None


@dataclass(frozen=True, slots=True)
class Gift:
    """Adds ``quantity`` of ``product`` free; its ``value_minor`` each counts against the budget."""

    product: str
    value_minor: int
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class Deposit:
    """Presale 定金膨胀: a ``deposit_minor`` paid per unit counts as ``worth_minor`` at final payment."""

    deposit_minor: int
    worth_minor: int


@dataclass(frozen=True, slots=True)
class Points:
    """Every ``points`` points pay ``value_minor``, for at most ``max_percent`` % of the scoped amount."""

    points: int
    value_minor: int
    max_percent: Decimal | int = 100


Benefit = PercentOff | AmountOff | FixedPrice | Tiers | EveryStep | BuyGet | FreeShipping | Gift | Deposit | Points

# Which kinds each stage takes.
MERCHANDISE = (PercentOff, AmountOff, FixedPrice, Tiers, EveryStep, BuyGet, Gift)
KINDS_BY_STAGE: dict[Stage, tuple[type, ...]] = {
    Stage.ITEM: MERCHANDISE,
    Stage.SHOP: MERCHANDISE,
    Stage.PLATFORM: MERCHANDISE,
    Stage.SHIPPING: (FreeShipping,),
    Stage.SETTLEMENT: (Deposit, Points),
}


def kind_of(benefit: Benefit) -> str:
    """The rule kind's stable name: ``percent_off``, ``every_step`` ..."""
    return _KIND_NAMES.get(type(benefit), "unknown")


_KIND_NAMES = {
    PercentOff: "percent_off",
    AmountOff: "amount_off",
    FixedPrice: "fixed_price",
    Tiers: "tiers",
    EveryStep: "every_step",
    BuyGet: "buy_get",
    FreeShipping: "free_shipping",
    Gift: "gift",
    Deposit: "deposit",
    Points: "points",
}


def _frozen(obj: object, *names: str) -> None:
    """Stores each named field as a frozenset; a lone string is one member, not its characters."""
    for name in names:
        value = getattr(obj, name)
        object.__setattr__(obj, name, frozenset({value} if isinstance(value, str) else value))


@dataclass(frozen=True, slots=True)
class Scope:
    """Which lines an offer touches: those matching any listed product, category or tag (nothing
    listed: every line), within the listed shops (if any), minus the excluded products."""

    products: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    shops: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _frozen(self, "products", "categories", "tags", "shops", "exclude")

    @property
    def everything(self) -> bool:
        return not (self.products or self.categories or self.tags)


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may use an offer: any listed segment, any listed channel (empty: all); first order only."""

    segments: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    first_order_only: bool = False

    def __post_init__(self) -> None:
        _frozen(self, "segments", "channels")


@dataclass(frozen=True, slots=True)
class Window:
    """When an offer is valid: aware datetimes, both ends inclusive; ``timezone`` is the IANA zone it
    was set in (for display and for `Window.local`)."""

    starts_at: datetime
    ends_at: datetime
    timezone: str = "UTC"

    @classmethod
    def local(cls, starts: datetime, ends: datetime, timezone: str) -> Window:
        """A window from wall-clock times in ``timezone``, e.g. 00:00:00 to 23:59:59 on 11-11 in Asia/Shanghai."""
        zone = ZoneInfo(timezone)
        return cls(starts.replace(tzinfo=zone), ends.replace(tzinfo=zone), timezone)

    def contains(self, at: datetime) -> bool:
        return self.starts_at <= at <= self.ends_at

    def overlaps(self, other: Window) -> bool:
        return self.starts_at <= other.ends_at and other.starts_at <= self.ends_at


@dataclass(frozen=True, slots=True)
class Limits:
    """Usage limits (None: unlimited). Counts so far come with each quote (`Usage`)."""

    uses: int | None = None  # orders carrying the offer, all customers
    uses_per_customer: int | None = None
    units_per_order: int | None = None  # scoped units in one order (秒杀 singleLimitCount)
    units_per_customer: int | None = None  # scoped units over all of a customer's orders (totalLimitCount)
    stock: int | None = None  # units the offer may ever sell at its price (秒杀 stock)


@dataclass(frozen=True, slots=True)
class Offer:
    """One promotion rule. ``key`` is its stable id: together with ``priority`` (higher first) it decides
    the order offers are tried in, so the result never depends on how offers were listed or created."""

    key: str
    name: str
    currency: str
    stage: Stage
    benefit: Benefit
    scope: Scope = Scope()
    eligibility: Eligibility = Eligibility()
    window: Window | None = None  # None: always valid
    min_spend_minor: int = 0
    min_quantity: int = 0
    basis: Basis = Basis.AFTER_PREVIOUS_STAGES
    rounding: Rounding = Rounding.HALF_UP
    ties: TieBreak = TieBreak.FIRST
    priority: int = 0
    exclusive: bool = False  # stands alone, except with the offers named in combines_with
    combines_with: frozenset[str] = field(default_factory=frozenset)
    limits: Limits = Limits()
    budget_minor: int | None = None  # hard cap on what the offer may cost in all
    budget_mode: BudgetMode = BudgetMode.STRICT

    def __post_init__(self) -> None:
        _frozen(self, "combines_with")

    @property
    def kind(self) -> str:
        return kind_of(self.benefit)

    @property
    def rank(self) -> tuple[int, str]:
        """Sort key: higher priority first, then key."""
        return (-self.priority, self.key)


def may_combine(a: Offer, b: Offer) -> bool:
    """Two offers may stand together unless one is exclusive and does not name the other."""
    if a.exclusive and b.key not in a.combines_with:
        return False
    return not (b.exclusive and a.key not in b.combines_with)

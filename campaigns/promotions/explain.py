"""How a quote explains itself: offers applied (with amounts per line), offers not applied (a stable
reason code and its parameters, for the UI's catalog to phrase) and upsell hints. Data only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from campaigns.promotions.rules import Stage


class Reason(StrEnum):
    """Why an offer did not apply. Amount parameters are minor units of the cart's currency."""

    INVALID_RULE = "invalid_rule"  # problems: [[field, code], ...]
    CURRENCY_MISMATCH = "currency_mismatch"  # currency
    NOT_IN_WINDOW = "not_in_window"  # starts_at, ends_at (ISO, in the window's zone), timezone
    NOT_ELIGIBLE_CHANNEL = "not_eligible_channel"  # channel, channels
    NOT_ELIGIBLE_SEGMENT = "not_eligible_segment"  # segments
    NOT_FIRST_ORDER = "not_first_order"
    LIMIT_REACHED = "limit_reached"  # limit, used
    CUSTOMER_LIMIT_REACHED = "customer_limit_reached"  # limit, used
    NO_MATCHING_ITEMS = "no_matching_items"
    OVER_ORDER_LIMIT = "over_order_limit"  # limit, quantity
    CUSTOMER_UNITS_LIMIT_REACHED = "customer_units_limit_reached"  # limit, bought, quantity
    OUT_OF_STOCK = "out_of_stock"  # left, quantity
    BELOW_MIN_QUANTITY = "below_min_quantity"  # min_quantity, quantity, missing
    BELOW_THRESHOLD = "below_threshold"  # threshold, amount, missing
    NOT_ENOUGH_POINTS = "not_enough_points"  # balance, points
    NOTHING_TO_DISCOUNT = "nothing_to_discount"
    EXCLUDED_BY_EXCLUSIVE = "excluded_by_exclusive"  # other (name), other_key
    BUDGET_EXHAUSTED = "budget_exhausted"  # budget, spent, needed


@dataclass(frozen=True, slots=True)
class Applied:
    """An offer that applied: ``amount_minor`` off (merchandise or shipping), split per line as
    ``lines`` ((line key, minor), ...) that add up to it exactly; ``cost_minor`` is what counts
    against its budget (the amount plus any gift's value); ``partial`` when the budget cut it."""

    offer: str
    name: str
    stage: Stage
    kind: str
    amount_minor: int
    cost_minor: int
    lines: tuple[tuple[str, int], ...] = ()
    detail: dict = field(default_factory=dict)  # gift: product, quantity, value_minor; points_used; deposit_minor
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Rejected:
    offer: str
    name: str
    stage: Stage
    code: Reason
    params: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hint:
    """Spend ``missing_minor`` more (on the offer's items) and the offer gives ``discount_minor`` in all."""

    offer: str
    name: str
    missing_minor: int
    discount_minor: int

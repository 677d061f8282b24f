"""Presale deposits (定金膨胀) as pure state: a buyer pays a deposit per unit in the deposit window;
at final payment each unit's deposit counts as ``worth_minor``. A final payment missed by the end
of the final window forfeits the deposit. No storage, no clock.

States follow TOP's step_trade_status (FRONT_PAID_FINAL_NOPAID → FRONT_PAID_FINAL_PAID):
DEPOSIT_PAID → COMPLETED (final paid) | FORFEITED (final missed, deposit kept) | REFUNDED (cancelled
before the final window, only where the plan makes the deposit refundable; otherwise a cancellation
forfeits it, as the platforms' 定金不退 does). Every window end is inclusive."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from campaigns.planning import Problem

WINDOW_FIELDS = ("deposit_from", "deposit_until", "final_from", "final_until")


class PresaleState(StrEnum):
    DEPOSIT_PAID = "deposit_paid"
    COMPLETED = "completed"
    FORFEITED = "forfeited"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class Presale:
    """Deposit and worth are per unit; the four moments are aware datetimes, ends inclusive."""

    offer_key: str
    deposit_minor: int
    worth_minor: int
    deposit_from: datetime
    deposit_until: datetime
    final_from: datetime
    final_until: datetime
    deposit_refundable: bool = False  # a cancellation before the final window refunds the deposit


def validate_presale(plan: Presale) -> list[Problem]:
    out: list[Problem] = []
    if not plan.offer_key.strip():
        out.append(Problem("offer_key", "required"))
    if plan.deposit_minor < 1:
        out.append(Problem("deposit_minor", "not_positive"))
    elif plan.worth_minor < plan.deposit_minor:
        out.append(Problem("worth_minor", "below_deposit"))
    naive = [f for f in WINDOW_FIELDS if getattr(plan, f).utcoffset() is None]
    out += [Problem(f, "naive_time") for f in naive]
    if naive:
        return out
    if plan.deposit_until <= plan.deposit_from:
        out.append(Problem("deposit_until", "ends_before_start"))
    if plan.final_from <= plan.deposit_until:
        out.append(Problem("final_from", "before_deposit_ends"))
    if plan.final_until <= plan.final_from:
        out.append(Problem("final_until", "ends_before_start"))
    return out


class PresaleRefused(ValueError):
    """A payment or cancellation that may not happen; ``code`` is a catalog key."""

    def __init__(self, code: str, params: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


@dataclass(frozen=True, slots=True)
class PresaleOrder:
    customer: str
    units: int
    deposit_paid_minor: int
    deposit_paid_at: datetime
    state: PresaleState = PresaleState.DEPOSIT_PAID
    final_paid_minor: int = 0
    final_paid_at: datetime | None = None
    refunded_minor: int = 0
    settled_at: datetime | None = None  # when it left DEPOSIT_PAID

    @property
    def kept_minor(self) -> int:
        """What the shop keeps: deposit and final payment, less any refund."""
        return self.deposit_paid_minor + self.final_paid_minor - self.refunded_minor


def in_deposit_window(plan: Presale, at: datetime) -> bool:
    return plan.deposit_from <= at <= plan.deposit_until


def in_final_window(plan: Presale, at: datetime) -> bool:
    """Whether a final payment at ``at`` is accepted (both ends inclusive)."""
    return plan.final_from <= at <= plan.final_until


def final_due(plan: Presale, unit_price_minor: int, units: int = 1) -> int:
    """Left to pay at final payment: each unit's price less its deposit's worth, never negative."""
    return max(0, unit_price_minor - plan.worth_minor) * units


def pay_deposit(plan: Presale, customer: str, units: int, at: datetime) -> PresaleOrder:
    if units < 1:
        raise PresaleRefused("units_not_positive")
    if not in_deposit_window(plan, at):
        raise PresaleRefused("deposit_closed")
    return PresaleOrder(customer, units, plan.deposit_minor * units, at)


def pay_final(plan: Presale, order: PresaleOrder, unit_price_minor: int, at: datetime) -> PresaleOrder:
    """The final payment, accepted only inside the final window and only once."""
    if order.state != PresaleState.DEPOSIT_PAID:
        raise PresaleRefused("order_closed", {"state": str(order.state)})
    if at < plan.final_from:
        raise PresaleRefused("final_not_open")
    if at > plan.final_until:
        raise PresaleRefused("final_closed")
    due = final_due(plan, unit_price_minor, order.units)
    return replace(order, state=PresaleState.COMPLETED, final_paid_minor=due, final_paid_at=at, settled_at=at)


def cancel(plan: Presale, order: PresaleOrder, at: datetime) -> PresaleOrder:
    """The buyer cancels an unpaid order: refunded before the final window where the plan allows it,
    otherwise the deposit is forfeited."""
    if order.state != PresaleState.DEPOSIT_PAID:
        raise PresaleRefused("order_closed", {"state": str(order.state)})
    if plan.deposit_refundable and at < plan.final_from:
        return replace(order, state=PresaleState.REFUNDED, refunded_minor=order.deposit_paid_minor, settled_at=at)
    return replace(order, state=PresaleState.FORFEITED, settled_at=at)


def settle(plan: Presale, order: PresaleOrder, at: datetime) -> PresaleOrder:
    """Past the final window an unpaid order is forfeited (the deposit is kept); any other order, or
    any moment up to ``final_until`` included, leaves the order as it is."""
    if order.state != PresaleState.DEPOSIT_PAID or at <= plan.final_until:
        return order
    return replace(order, state=PresaleState.FORFEITED, settled_at=at)

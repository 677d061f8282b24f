"""Flash-sale (秒杀) stock: set it up per offer, reserve units for an order atomically, release them
when the order is cancelled.

``reserve`` locks the offer's stock row, checks the per-order and per-user limits, then takes the
units with ``reserved = reserved + n WHERE reserved + n <= stock`` checked by its row count, so
reserved never exceeds stock however many buyers arrive at once. The same order reserving twice
is one reservation; releasing twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from app.services.coupons import MAX_KEY, MAX_ORDER_REF, workspace_of
from campaigns import privacy
from campaigns.access import Permission
from campaigns.promotions import serialize
from campaigns.promotions.codes import InvalidInput, clean_text
from data.models import FlashStock


class StockOutcome(StrEnum):
    RESERVED = "reserved"
    ALREADY_RESERVED = "already_reserved"  # this order already holds units: nothing changed
    SOLD_OUT = "sold_out"
    OVER_USER_LIMIT = "over_user_limit"
    OVER_ORDER_LIMIT = "over_order_limit"
    UNKNOWN_OFFER = "unknown_offer"  # no flash stock set up for the offer
    NOT_IN_WINDOW = "not_in_window"  # the offer's sale window has not opened or has closed
    RELEASED = "released"
    ALREADY_RELEASED = "already_released"
    NOT_RESERVED = "not_reserved"


@dataclass(frozen=True)
class StockView:
    offer_key: str
    stock: int
    reserved: int
    per_user_limit: int | None
    per_order_limit: int | None

    @property
    def left(self) -> int:
        return self.stock - self.reserved


@dataclass(frozen=True)
class ReserveResult:
    outcome: StockOutcome
    units: int = 0  # units this order holds after the call
    left: int | None = None  # units still available; None for an unknown offer

    @property
    def ok(self) -> bool:
        return self.outcome in (StockOutcome.RESERVED, StockOutcome.RELEASED)


def _count(field: str, value, *, optional: bool, minimum: int = 1) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidInput(field, f"a whole number of at least {minimum}, not {value!r}")
    return value


def _view(row: FlashStock, reserved: int | None = None) -> StockView:
    return StockView(
        row.offer_key,
        row.stock,
        row.reserved if reserved is None else reserved,
        row.per_user_limit,
        row.per_order_limit,
    )


@requires(Permission.EDIT_PROMOTIONS)
def set_stock(
    c: Container,
    actor: Actor,
    offer_key: str,
    stock: int,
    per_user_limit: int | None = None,
    per_order_limit: int | None = None,
) -> StockView:
    """Create or change the offer's flash stock and limits. Stock never goes below what is reserved."""
    key = clean_text("offer_key", offer_key, MAX_KEY)
    total = _count("stock", stock, optional=False, minimum=0)
    per_user = _count("per_user_limit", per_user_limit, optional=True)
    per_order = _count("per_order_limit", per_order_limit, optional=True)
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        row = uow.flash.get(ws.id, key, lock=True)
        if row is None:
            row = uow.flash.add(
                FlashStock(
                    workspace_id=ws.id,
                    offer_key=key,
                    stock=total,
                    reserved=0,
                    per_user_limit=per_user,
                    per_order_limit=per_order,
                )
            )
        else:
            if total < row.reserved:
                raise InvalidInput("stock", f"{row.reserved} units are already reserved")
            row.stock, row.per_user_limit, row.per_order_limit = total, per_user, per_order
            uow.session.flush()
        audit.record_in(
            uow,
            c,
            actor.who,
            "flash_stock_set",
            entity=key,
            detail=f"stock {total}, per user {per_user}, per order {per_order}",
            source=actor.source,
        )
        return _view(row)


@requires(Permission.VIEW_OVERVIEW)
def stocks(c: Container, actor: Actor) -> list[StockView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        return [_view(r) for r in (uow.flash.all(ws.id) if ws else [])]


@requires(Permission.EDIT_PROMOTIONS)
def reserve(c: Container, actor: Actor, offer_key: str, order_ref: str, customer: str, units: int = 1) -> ReserveResult:
    """Hold ``units`` of the offer's flash stock for the order ``order_ref`` of ``customer`` (kept only
    as a salted hash); only inside the offer's window when the offer is stored with one."""
    key = clean_text("offer_key", offer_key, MAX_KEY)
    ref = clean_text("order_ref", order_ref, MAX_ORDER_REF)
    n = _count("units", units, optional=False)
    if customer is None or not str(customer).strip():
        raise InvalidInput("customer", "empty")
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        row = uow.flash.get(ws.id, key, lock=True)
        if row is None:
            return ReserveResult(StockOutcome.UNKNOWN_OFFER)
        who = privacy.customer_hash(ws.salt, customer)
        left = row.stock - row.reserved
        held = uow.flash.reservation(row.id, ref)
        if held is not None and held.released_at is None:  # a retry: the order holds its units, window or not
            return ReserveResult(StockOutcome.ALREADY_RESERVED, held.units, left)
        offer = uow.offers.by_key(ws.id, key)
        window = serialize.from_json(offer.body).window if offer is not None else None
        if window is not None and not window.contains(c.clock()):
            return ReserveResult(StockOutcome.NOT_IN_WINDOW, 0, left)
        if row.per_order_limit is not None and n > row.per_order_limit:
            return ReserveResult(StockOutcome.OVER_ORDER_LIMIT, 0, left)
        if row.per_user_limit is not None and uow.flash.customer_units(row.id, who) + n > row.per_user_limit:
            return ReserveResult(StockOutcome.OVER_USER_LIMIT, 0, left)
        if not uow.flash.take(row.id, n):
            return ReserveResult(StockOutcome.SOLD_OUT, 0, left)
        if held is None:
            uow.flash.add_reservation(row.id, ref, who, n, c.clock())
        else:
            uow.flash.reopen_reservation(held.id, who, n, c.clock())
        return ReserveResult(StockOutcome.RESERVED, n, row.stock - uow.flash.reserved_of(row.id))


@requires(Permission.EDIT_PROMOTIONS)
def release(c: Container, actor: Actor, offer_key: str, order_ref: str) -> ReserveResult:
    """The order was cancelled: its units go back to the stock."""
    key = clean_text("offer_key", offer_key, MAX_KEY)
    ref = clean_text("order_ref", order_ref, MAX_ORDER_REF)
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        row = uow.flash.get(ws.id, key, lock=True)
        if row is None:
            return ReserveResult(StockOutcome.UNKNOWN_OFFER)
        left = row.stock - row.reserved
        held = uow.flash.reservation(row.id, ref)
        if held is None:
            return ReserveResult(StockOutcome.NOT_RESERVED, 0, left)
        if held.released_at is not None or not uow.flash.close_reservation(held.id, c.clock()):
            return ReserveResult(StockOutcome.ALREADY_RELEASED, 0, left)
        uow.flash.give_back(row.id, held.units)
        return ReserveResult(StockOutcome.RELEASED, 0, row.stock - uow.flash.reserved_of(row.id))

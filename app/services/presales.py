"""Presale deposits (定金膨胀) kept in the database: the presale of an offer with its deposit and final
windows, deposits taken once per order reference, final payments accepted only inside the final
window, cancellations, and the worker forfeiting deposits whose final payment never came."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from app.services.coupons import MAX_KEY, MAX_ORDER_REF
from campaigns import privacy
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.promotions import presale as p
from data.models_presale import Presale, PresaleOrder


class PresaleRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{x.field}: {x.code}" for x in problems))
        self.problems = problems


class PayOutcome(StrEnum):
    PAID = "paid"  # the deposit is taken
    ALREADY_PAID = "already_paid"  # this order paid this step before: nothing changed
    COMPLETED = "completed"
    REFUNDED = "refunded"
    FORFEITED = "forfeited"
    DEPOSIT_CLOSED = "deposit_closed"
    FINAL_NOT_OPEN = "final_not_open"
    FINAL_CLOSED = "final_closed"
    ORDER_CLOSED = "order_closed"  # forfeited, refunded, or completed before a cancellation
    UNKNOWN_PRESALE = "unknown_presale"
    UNKNOWN_ORDER = "unknown_order"
    REF_CONFLICT = "ref_conflict"  # the order reference is taken by another customer's or units' deposit


@dataclass(frozen=True)
class PayResult:
    outcome: PayOutcome
    state: str | None = None
    deposit_minor: int = 0  # paid for the whole order
    due_minor: int = 0  # the final payment taken (pay_final)
    refunded_minor: int = 0


def _pure(row: Presale) -> p.Presale:
    return p.Presale(
        row.offer_key,
        row.deposit_minor,
        row.worth_minor,
        row.deposit_from,
        row.deposit_until,
        row.final_from,
        row.final_until,
        row.deposit_refundable,
    )


def _order(row: PresaleOrder) -> p.PresaleOrder:
    return p.PresaleOrder(
        row.customer_hash,
        row.units,
        row.deposit_minor,
        row.deposit_paid_at,
        p.PresaleState(row.state),
        row.final_minor or 0,
        row.final_paid_at,
        row.refunded_minor or 0,
        row.settled_at,
    )


def _store(row: PresaleOrder, done: p.PresaleOrder) -> None:
    row.state, row.settled_at = done.state, done.settled_at
    if done.final_paid_at is not None:
        row.final_minor, row.final_paid_at = done.final_paid_minor, done.final_paid_at
    if done.refunded_minor:
        row.refunded_minor = done.refunded_minor


def _result(outcome: PayOutcome, row: PresaleOrder) -> PayResult:
    return PayResult(outcome, row.state, row.deposit_minor, row.final_minor or 0, row.refunded_minor or 0)


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise PresaleRejected([Problem("workspace", "required")])
    return ws


def _text(field: str, value: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise PresaleRejected([Problem(field, "required")])
    if len(text) > limit:
        raise PresaleRejected([Problem(field, "too_long", {"max": limit})])
    return text


def _against_offer(uow, ws_id: int, plan: p.Presale) -> list[Problem]:
    """A stored offer of the same key must be a deposit offer with the same amounts (it prices the cart)."""
    row = uow.offers.by_key(ws_id, plan.offer_key)
    if row is None:
        return []
    if row.kind != "deposit":
        return [Problem("offer_key", "not_a_deposit_offer", {"kind": row.kind})]
    b = row.body.get("benefit", {})
    if (b.get("deposit_minor"), b.get("worth_minor")) != (plan.deposit_minor, plan.worth_minor):
        return [Problem("worth_minor", "differs_from_offer")]
    return []


@requires(Permission.EDIT_PROMOTIONS)
def define(
    c: Container,
    actor: Actor,
    offer_key: str,
    deposit_minor: int,
    worth_minor: int,
    deposit_from: datetime,
    deposit_until: datetime,
    final_from: datetime,
    final_until: datetime,
    deposit_refundable: bool = False,
) -> int:
    """Store the presale of an offer; its windows are aware datetimes with inclusive ends."""
    key = _text("offer_key", offer_key, MAX_KEY)
    plan = p.Presale(
        key, deposit_minor, worth_minor, deposit_from, deposit_until, final_from, final_until, deposit_refundable
    )
    problems = p.validate_presale(plan)
    if problems:
        raise PresaleRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        if uow.presales.get(ws.id, key):
            raise PresaleRejected([Problem("offer_key", "duplicate", {"value": key})])
        problems = _against_offer(uow, ws.id, plan)
        if problems:
            raise PresaleRejected(problems)
        row = uow.presales.add(
            Presale(
                workspace_id=ws.id,
                offer_key=key,
                deposit_minor=deposit_minor,
                worth_minor=worth_minor,
                currency=ws.currency,
                deposit_from=deposit_from,
                deposit_until=deposit_until,
                final_from=final_from,
                final_until=final_until,
                deposit_refundable=deposit_refundable,
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        audit.record_in(uow, c, actor.who, "presale_defined", entity=key, source=actor.source)
        return row.id


@requires(Permission.EDIT_PROMOTIONS)
def pay_deposit(c: Container, actor: Actor, offer_key: str, order_ref: str, customer: str, units: int = 1) -> PayResult:
    """Take the deposit for ``units`` of the order ``order_ref`` of ``customer`` (kept only as a salted
    hash). The same order reference paying again is the same order."""
    key, ref = _text("offer_key", offer_key, MAX_KEY), _text("order_ref", order_ref, MAX_ORDER_REF)
    _text("customer", customer, 1000)
    if not isinstance(units, int) or isinstance(units, bool) or units < 1:
        raise PresaleRejected([Problem("units", "not_positive")])
    now = c.clock()
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        row = uow.presales.get(ws.id, key, lock=True)
        if row is None:
            return PayResult(PayOutcome.UNKNOWN_PRESALE)
        held = uow.presales.order(row.id, ref)
        who = privacy.customer_hash(ws.salt, customer)
        if held is not None:  # a retry is the same customer and units; anything else is another order
            same = held.customer_hash == who and held.units == units
            return _result(PayOutcome.ALREADY_PAID if same else PayOutcome.REF_CONFLICT, held)
        try:
            paid = p.pay_deposit(_pure(row), who, units, now)
        except p.PresaleRefused as err:
            return PayResult(PayOutcome(err.code))
        order = uow.presales.add(
            PresaleOrder(
                presale_id=row.id,
                order_ref=ref,
                customer_hash=who,
                units=units,
                state=paid.state,
                deposit_minor=paid.deposit_paid_minor,
                deposit_paid_at=now,
            )
        )
        return _result(PayOutcome.PAID, order)


def _locked_order(uow, offer_key: str, order_ref: str):
    ws = _workspace(uow)
    row = uow.presales.get(ws.id, _text("offer_key", offer_key, MAX_KEY))
    if row is None:
        return None, None
    return row, uow.presales.order(row.id, _text("order_ref", order_ref, MAX_ORDER_REF), lock=True)


@requires(Permission.EDIT_PROMOTIONS)
def pay_final(c: Container, actor: Actor, offer_key: str, order_ref: str, unit_price_minor: int) -> PayResult:
    """Take the final payment at the unit price of the day; ``due_minor`` is what was charged: each
    unit's price less its deposit's worth, never negative. Accepted only inside the final window."""
    if not isinstance(unit_price_minor, int) or isinstance(unit_price_minor, bool) or unit_price_minor < 0:
        raise PresaleRejected([Problem("unit_price_minor", "negative")])
    now = c.clock()
    with c.uow(write=True) as uow:
        row, order = _locked_order(uow, offer_key, order_ref)
        if row is None:
            return PayResult(PayOutcome.UNKNOWN_PRESALE)
        if order is None:
            return PayResult(PayOutcome.UNKNOWN_ORDER)
        if order.state == p.PresaleState.COMPLETED:
            return _result(PayOutcome.ALREADY_PAID, order)
        try:
            _store(order, p.pay_final(_pure(row), _order(order), unit_price_minor, now))
        except p.PresaleRefused as err:
            return _result(PayOutcome(err.code), order)
        return _result(PayOutcome.COMPLETED, order)


@requires(Permission.EDIT_PROMOTIONS)
def cancel(c: Container, actor: Actor, offer_key: str, order_ref: str) -> PayResult:
    """The buyer cancels before paying the final: the deposit is refunded before the final window if
    the presale allows it, otherwise forfeited."""
    now = c.clock()
    with c.uow(write=True) as uow:
        row, order = _locked_order(uow, offer_key, order_ref)
        if row is None:
            return PayResult(PayOutcome.UNKNOWN_PRESALE)
        if order is None:
            return PayResult(PayOutcome.UNKNOWN_ORDER)
        try:
            _store(order, p.cancel(_pure(row), _order(order), now))
        except p.PresaleRefused as err:
            return _result(PayOutcome(err.code), order)
        audit.record_in(
            uow, c, actor.who, "presale_cancelled", entity=row.offer_key, detail=order.state, source=actor.source
        )
        return _result(PayOutcome(order.state), order)


def settle_expired(c: Container, now: datetime | None = None) -> int:
    """Forfeit the deposit of every order whose final payment was not made by the end of its final
    window (the worker calls this). Returns how many."""
    now = now or c.clock()
    with c.uow(write=True) as uow:
        orders = uow.presales.unpaid_past_window(now)
        plans: dict[int, p.Presale] = {}
        for order in orders:
            if order.presale_id not in plans:
                plans[order.presale_id] = _pure(uow.session.get(Presale, order.presale_id))
            _store(order, p.settle(plans[order.presale_id], _order(order), now))
        if orders:
            who = Actor.system("worker")
            audit.record_in(uow, c, who.who, "presale_forfeited", detail=f"{len(orders)} orders", source="worker")
        return len(orders)


@dataclass(frozen=True)
class OrderView:
    order_ref: str
    state: str
    units: int
    deposit_minor: int
    final_minor: int
    refunded_minor: int
    deposit_paid_at: datetime
    settled_at: datetime | None


@dataclass(frozen=True)
class PresaleView:
    offer_key: str
    deposit_minor: int
    worth_minor: int
    currency: str
    deposit_from: datetime
    deposit_until: datetime
    final_from: datetime
    final_until: datetime
    deposit_refundable: bool
    orders: tuple[OrderView, ...]

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.orders)


@requires(Permission.VIEW_OVERVIEW)
def presales(c: Container, actor: Actor) -> list[PresaleView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        out = []
        for row in uow.presales.all(ws.id) if ws else []:
            orders = tuple(
                OrderView(
                    o.order_ref,
                    o.state,
                    o.units,
                    o.deposit_minor,
                    o.final_minor or 0,
                    o.refunded_minor or 0,
                    o.deposit_paid_at,
                    o.settled_at,
                )
                for o in uow.presales.orders(row.id)
            )
            out.append(
                PresaleView(
                    row.offer_key,
                    row.deposit_minor,
                    row.worth_minor,
                    row.currency,
                    row.deposit_from,
                    row.deposit_until,
                    row.final_from,
                    row.final_until,
                    row.deposit_refundable,
                    orders,
                )
            )
        return out

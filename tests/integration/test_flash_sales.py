"""Flash-sale stock on a real SQLite file and a real PostgreSQL (reference case 12)."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.services import flash_sales
from app.services.auth import Actor
from app.services.flash_sales import StockOutcome
from campaigns.promotions.codes import InvalidInput
from data.models import AuditEvent, FlashReservation, FlashStock, Workspace
from tests.conftest import NOW

SYSTEM = Actor.system()
OFFER = "d11-seckill-tea"


@pytest.fixture
def c(container):
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="w", name="w", timezone="Asia/Shanghai", currency="CNY", created_at=NOW, salt="cd" * 32)
        )
    return container


def _reserved(c, offer=OFFER) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(FlashStock.reserved).where(FlashStock.offer_key == offer)).scalar_one()


def _holding(c) -> int:
    with c.uow() as uow:
        q = select(func.count()).select_from(FlashReservation).where(FlashReservation.released_at.is_(None))
        return uow.session.execute(q).scalar_one()


def _at_once(n: int, fn) -> list:
    gate = threading.Barrier(n)
    out: list = [None] * n
    errors: list = []

    def run(i):
        gate.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    return out


def test_150_concurrent_buyers_for_100_units(c):
    flash_sales.set_stock(c, SYSTEM, OFFER, 100, per_user_limit=2, per_order_limit=2)
    results = _at_once(150, lambda i: flash_sales.reserve(c, SYSTEM, OFFER, f"order-{i}", f"buyer{i}@example.com", 1))
    assert Counter(r.outcome for r in results) == {StockOutcome.RESERVED: 100, StockOutcome.SOLD_OUT: 50}
    assert _reserved(c) == 100 and _holding(c) == 100
    assert min(r.left for r in results) == 0
    (view,) = flash_sales.stocks(c, SYSTEM)
    assert (view.stock, view.reserved, view.left) == (100, 100, 0)


def test_per_order_and_per_user_limits(c):
    flash_sales.set_stock(c, SYSTEM, OFFER, 100, per_user_limit=2, per_order_limit=2)
    over = flash_sales.reserve(c, SYSTEM, OFFER, "o1", "13800138000", 3)
    assert over.outcome is StockOutcome.OVER_ORDER_LIMIT and over.left == 100
    assert flash_sales.reserve(c, SYSTEM, OFFER, "o2", "13800138000", 2).outcome is StockOutcome.RESERVED
    again = flash_sales.reserve(c, SYSTEM, OFFER, "o3", "+86 138-0013-8000", 1)  # the same phone number
    assert again.outcome is StockOutcome.OVER_USER_LIMIT
    assert flash_sales.reserve(c, SYSTEM, OFFER, "o4", "13900139000", 2).outcome is StockOutcome.RESERVED
    assert _reserved(c) == 4
    assert flash_sales.release(c, SYSTEM, OFFER, "o2").outcome is StockOutcome.RELEASED
    assert flash_sales.reserve(c, SYSTEM, OFFER, "o3", "13800138000", 1).outcome is StockOutcome.RESERVED
    assert _reserved(c) == 3


def test_concurrent_orders_of_one_buyer_respect_the_per_user_limit(c):
    flash_sales.set_stock(c, SYSTEM, OFFER, 100, per_user_limit=2)
    results = _at_once(20, lambda i: flash_sales.reserve(c, SYSTEM, OFFER, f"order-{i}", "li.wei@example.com", 1))
    assert Counter(r.outcome for r in results) == {StockOutcome.RESERVED: 2, StockOutcome.OVER_USER_LIMIT: 18}
    assert _reserved(c) == 2


def test_the_same_order_twice_is_one_reservation_and_release_is_idempotent(c):
    flash_sales.set_stock(c, SYSTEM, OFFER, 5)
    first = flash_sales.reserve(c, SYSTEM, OFFER, "o1", "a@example.com", 2)
    assert (first.outcome, first.units, first.left) == (StockOutcome.RESERVED, 2, 3)
    twice = flash_sales.reserve(c, SYSTEM, OFFER, "o1", "a@example.com", 2)
    assert (twice.outcome, twice.units, twice.left) == (StockOutcome.ALREADY_RESERVED, 2, 3)
    released = flash_sales.release(c, SYSTEM, OFFER, "o1")
    assert (released.outcome, released.left) == (StockOutcome.RELEASED, 5)
    assert flash_sales.release(c, SYSTEM, OFFER, "o1").outcome is StockOutcome.ALREADY_RELEASED
    assert flash_sales.release(c, SYSTEM, OFFER, "o9").outcome is StockOutcome.NOT_RESERVED
    assert _reserved(c) == 0  # never below 0
    assert flash_sales.reserve(c, SYSTEM, OFFER, "o1", "a@example.com", 5).outcome is StockOutcome.RESERVED
    assert flash_sales.reserve(c, SYSTEM, OFFER, "o2", "b@example.com", 1).outcome is StockOutcome.SOLD_OUT
    assert _reserved(c) == 5 and _holding(c) == 1


def test_stock_setup_and_bad_input(c):
    view = flash_sales.set_stock(c, SYSTEM, OFFER, 10, per_order_limit=3)
    assert (view.stock, view.reserved, view.per_user_limit, view.per_order_limit) == (10, 0, None, 3)
    flash_sales.reserve(c, SYSTEM, OFFER, "o1", "a@example.com", 3)
    view = flash_sales.set_stock(c, SYSTEM, OFFER, 20, per_user_limit=4)
    assert (view.stock, view.reserved, view.left, view.per_order_limit) == (20, 3, 17, None)
    unknown = flash_sales.reserve(c, SYSTEM, "no-such-offer", "o2", "a@example.com", 1)
    assert unknown.outcome is StockOutcome.UNKNOWN_OFFER and unknown.left is None
    assert flash_sales.release(c, SYSTEM, "no-such-offer", "o2").outcome is StockOutcome.UNKNOWN_OFFER
    cases = [
        (lambda: flash_sales.reserve(c, SYSTEM, OFFER, "o3", "a@example.com", 0), "units"),
        (lambda: flash_sales.reserve(c, SYSTEM, OFFER, "o3", "a@example.com", -2), "units"),
        (lambda: flash_sales.reserve(c, SYSTEM, OFFER, " ", "a@example.com", 1), "order_ref"),
        (lambda: flash_sales.reserve(c, SYSTEM, OFFER, "o3", "", 1), "customer"),
        (lambda: flash_sales.set_stock(c, SYSTEM, OFFER, 2), "stock"),  # 3 units are already reserved
        (lambda: flash_sales.set_stock(c, SYSTEM, OFFER, -1), "stock"),
        (lambda: flash_sales.set_stock(c, SYSTEM, OFFER, 10, per_user_limit=0), "per_user_limit"),
        (lambda: flash_sales.set_stock(c, SYSTEM, "", 10), "offer_key"),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.field == field
    assert _reserved(c) == 3
    with c.uow() as uow:
        q = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "flash_stock_set")
        assert uow.session.execute(q).scalar_one() == 2


def test_units_are_reserved_only_inside_the_offers_window(c):
    from dataclasses import replace
    from datetime import timedelta

    from app.services import offers
    from campaigns.promotions import rules as r

    def seckill(key, starts):
        window = r.Window(starts, starts + timedelta(hours=2), "Asia/Shanghai")
        return r.Offer(key, key, "CNY", r.Stage.ITEM, r.FixedPrice(990), window=window)

    offers.save(c, SYSTEM, seckill("later", NOW + timedelta(minutes=1)))
    offers.save(c, SYSTEM, seckill("now", NOW - timedelta(hours=2)))  # ends at NOW: inclusive
    for key in ("later", "now"):
        flash_sales.set_stock(c, SYSTEM, key, 10)
    early = flash_sales.reserve(c, SYSTEM, "later", "o1", "a@example.com", 1)
    assert (early.outcome, early.left) == (StockOutcome.NOT_IN_WINDOW, 10)
    assert flash_sales.reserve(c, SYSTEM, "now", "o1", "a@example.com", 1).outcome is StockOutcome.RESERVED
    assert _reserved(c, "later") == 0
    later = replace(c, clock=lambda: NOW + timedelta(seconds=1))  # the window has closed
    retry = flash_sales.reserve(later, SYSTEM, "now", "o1", "a@example.com", 1)
    assert (retry.outcome, retry.units) == (StockOutcome.ALREADY_RESERVED, 1)  # a retry still sees its units
    assert flash_sales.reserve(later, SYSTEM, "now", "o2", "b@example.com", 1).outcome is StockOutcome.NOT_IN_WINDOW

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from app.services import audit_log, offers, presales
from app.services.auth import Actor
from app.worker import Worker
from campaigns.promotions import rules
from data.models_presale import PresaleOrder
from tests.conftest import NOW

SYSTEM = Actor.system()
SECOND = timedelta(seconds=1)
DEPOSIT_UNTIL = NOW + timedelta(days=7)  # the deposit window opens at NOW
FINAL_FROM = DEPOSIT_UNTIL + SECOND
FINAL_UNTIL = FINAL_FROM + timedelta(days=3)  # inclusive


@pytest.fixture
def shop(clocked_shop):
    c = clocked_shop
    presales.define(c, SYSTEM, "d11-tea", 5_000, 10_000, NOW, DEPOSIT_UNTIL, FINAL_FROM, FINAL_UNTIL)
    return c


def _orders(c):
    (view,) = presales.presales(c, SYSTEM)
    return {o.order_ref: o for o in view.orders}


def test_a_deposit_paid_twice_is_one_order(shop):
    first = presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "13800138000", 2)
    again = presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "13800138000", 2)
    assert (first.outcome, first.deposit_minor) == ("paid", 10_000)
    assert (again.outcome, again.state, again.deposit_minor) == ("already_paid", "deposit_paid", 10_000)
    assert list(_orders(shop)) == ["o-1"]
    # the same reference for another customer or other units is not a retry: refused, nothing changed
    assert presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "13900139000", 2).outcome == "ref_conflict"
    assert presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "13800138000", 3).outcome == "ref_conflict"
    assert _orders(shop)["o-1"].units == 2
    with shop.uow() as uow:
        (row,) = uow.session.query(PresaleOrder).all()
    assert "13800138000" not in row.customer_hash and len(row.customer_hash) == 64


def test_concurrent_deposits_of_one_order_make_one_order(shop):
    def one(_):
        return presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "buyer@x").outcome

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = sorted(pool.map(one, range(12)))
    assert outcomes == ["already_paid"] * 11 + ["paid"]


def test_no_deposit_outside_its_window_or_for_an_unknown_presale(shop):
    shop.test_clock.now = FINAL_FROM
    assert presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-late", "b@x").outcome == "deposit_closed"
    assert presales.pay_deposit(shop, SYSTEM, "nope", "o-1", "b@x").outcome == "unknown_presale"
    assert _orders(shop) == {}


@pytest.mark.parametrize(
    "at, outcome, state",
    [
        (FINAL_FROM - SECOND, "final_not_open", "deposit_paid"),
        (FINAL_FROM, "completed", "completed"),
        (FINAL_UNTIL, "completed", "completed"),  # the last moment is inside
        (FINAL_UNTIL + SECOND, "final_closed", "deposit_paid"),
    ],
)
def test_the_final_payment_is_taken_only_inside_its_window(shop, at, outcome, state):
    presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "b@x", 2)
    shop.test_clock.now = at
    done = presales.pay_final(shop, SYSTEM, "d11-tea", "o-1", 30_000)
    assert (done.outcome, done.state) == (outcome, state)
    assert done.due_minor == (40_000 if state == "completed" else 0)  # (300 − 100) × 2
    assert _orders(shop)["o-1"].state == state


def test_a_final_payment_is_taken_once_and_never_negative(shop):
    presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "b@x")
    shop.test_clock.now = FINAL_FROM
    assert presales.pay_final(shop, SYSTEM, "d11-tea", "o-1", 8_000).due_minor == 0  # cheaper than the worth
    again = presales.pay_final(shop, SYSTEM, "d11-tea", "o-1", 30_000)
    assert (again.outcome, again.due_minor) == ("already_paid", 0)
    assert presales.pay_final(shop, SYSTEM, "d11-tea", "o-2", 30_000).outcome == "unknown_order"


def test_settling_forfeits_only_unpaid_orders_past_the_window(shop):
    for ref in ("paid", "unpaid", "cancelled"):
        presales.pay_deposit(shop, SYSTEM, "d11-tea", ref, f"{ref}@x")
    assert presales.cancel(shop, SYSTEM, "d11-tea", "cancelled").outcome == "forfeited"  # 定金不退
    shop.test_clock.now = FINAL_FROM
    presales.pay_final(shop, SYSTEM, "d11-tea", "paid", 30_000)
    assert presales.settle_expired(shop, now=FINAL_UNTIL) == 0  # the window's last moment
    assert presales.settle_expired(shop, now=FINAL_UNTIL + SECOND) == 1
    orders = _orders(shop)
    assert {k: o.state for k, o in orders.items()} == {
        "paid": "completed",
        "unpaid": "forfeited",
        "cancelled": "forfeited",
    }
    assert (orders["unpaid"].refunded_minor, orders["unpaid"].settled_at) == (0, FINAL_UNTIL + SECOND)
    assert presales.settle_expired(shop, now=FINAL_UNTIL + timedelta(days=1)) == 0
    forfeits = audit_log.events(shop, SYSTEM, audit_log.AuditFilter(action="presale_forfeited"))
    assert [e.detail for e in forfeits] == ["1 orders"]


def test_a_refundable_deposit_comes_back_before_the_final_window(shop):
    later = FINAL_UNTIL + timedelta(days=30)
    presales.define(shop, SYSTEM, "refundable", 1_000, 2_000, NOW, DEPOSIT_UNTIL, FINAL_FROM, later, True)
    presales.pay_deposit(shop, SYSTEM, "refundable", "o-1", "b@x", 3)
    back = presales.cancel(shop, SYSTEM, "refundable", "o-1")
    assert (back.outcome, back.refunded_minor) == ("refunded", 3_000)
    assert presales.cancel(shop, SYSTEM, "refundable", "o-1").outcome == "order_closed"
    shop.test_clock.now = FINAL_FROM
    assert presales.pay_final(shop, SYSTEM, "refundable", "o-1", 5_000).outcome == "order_closed"


def test_the_worker_settles_presales(shop):
    presales.pay_deposit(shop, SYSTEM, "d11-tea", "o-1", "b@x")
    Worker(shop).settle_presales()  # not yet: the final window has not even opened
    assert _orders(shop)["o-1"].state == "deposit_paid"
    shop.test_clock.now = FINAL_UNTIL + timedelta(minutes=1)
    Worker(shop).settle_presales()
    assert _orders(shop)["o-1"].state == "forfeited"


def test_a_bad_presale_is_named_at_its_fields_and_not_stored(shop):
    with pytest.raises(presales.PresaleRejected) as err:
        presales.define(shop, SYSTEM, "bad", 5_000, 4_000, NOW, NOW, NOW, NOW - SECOND)
    assert {(x.field, x.code) for x in err.value.problems} == {
        ("worth_minor", "below_deposit"),
        ("deposit_until", "ends_before_start"),
        ("final_from", "before_deposit_ends"),
        ("final_until", "ends_before_start"),
    }
    with pytest.raises(presales.PresaleRejected) as err:
        presales.define(shop, SYSTEM, "d11-tea", 5_000, 10_000, NOW, DEPOSIT_UNTIL, FINAL_FROM, FINAL_UNTIL)
    assert [(x.field, x.code) for x in err.value.problems] == [("offer_key", "duplicate")]
    assert [v.offer_key for v in presales.presales(shop, SYSTEM)] == ["d11-tea"]


def test_a_presale_agrees_with_the_deposit_offer_of_its_key(shop):
    offer = rules.Offer("swell", "定金膨胀", "CNY", rules.Stage.SETTLEMENT, rules.Deposit(5_000, 10_000))
    offers.save(shop, SYSTEM, offer)
    window = (NOW, DEPOSIT_UNTIL, FINAL_FROM, FINAL_UNTIL)
    with pytest.raises(presales.PresaleRejected) as err:
        presales.define(shop, SYSTEM, "swell", 5_000, 15_000, *window)
    assert [(x.field, x.code) for x in err.value.problems] == [("worth_minor", "differs_from_offer")]
    presales.define(shop, SYSTEM, "swell", 5_000, 10_000, *window)

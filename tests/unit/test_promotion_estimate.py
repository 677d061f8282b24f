"""The cost estimate: weighted quotes, caps by budget and uses, margin and break-even."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from campaigns.promotions.cart import Cart, Line
from campaigns.promotions.estimate import Assumptions, Basket, EstimateRejected, estimate
from campaigns.promotions.rules import EveryStep, FixedPrice, FreeShipping, Gift, Limits, Offer, Scope, Stage

AT = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)
EVERY = Offer("every", "每满300减50", "CNY", Stage.SHOP, EveryStep(30000, 5000, cap_minor=15000))


def basket(label, share, price, qty=1, shipping=0, product="sku"):
    return Basket(label, Decimal(share), Cart("CNY", (Line("l1", product, price, qty),), shipping))


def assume(orders, *baskets, margin=40):
    return Assumptions(orders, tuple(baskets), Decimal(margin), AT)


def test_two_baskets_weighted_by_share():
    # 60 % of 1,000 orders spend ¥320 (¥50 off), 40 % spend ¥650 (¥100 off).
    e = estimate(assume(1000, basket("small", 60, 32000), basket("big", 40, 65000)), [EVERY])
    assert e.gross_minor == 600 * 32000 + 400 * 65000
    assert e.cost_minor == 600 * 5000 + 400 * 10000
    assert e.revenue_minor == e.gross_minor - e.cost_minor
    # margin: revenue − goods at 60 % of list
    assert e.margin_minor == e.revenue_minor - e.gross_minor * 60 // 100
    assert e.baseline_margin_minor == e.gross_minor * 40 // 100
    assert e.baseline_margin_minor - e.margin_minor == e.cost_minor
    (only,) = e.offers
    assert (only.offer, only.orders, only.cost_minor, only.capped) == ("every", 1000, e.cost_minor, False)


def test_break_even_is_the_extra_orders_that_pay_the_cost_back():
    e = estimate(assume(100, basket("one", 100, 30000)), [EVERY])  # ¥300 − ¥50, goods ¥180
    per_order = 25000 - 18000
    assert e.margin_minor == 100 * per_order
    assert e.break_even_orders == -(-e.cost_minor // per_order)  # ceil(500000 / 7000) = 72


def test_an_order_that_loses_money_has_no_break_even():
    e = estimate(assume(10, basket("one", 100, 30000), margin=10), [EVERY])  # ¥250 paid for ¥270 of goods
    assert e.margin_minor < 0
    assert e.break_even_orders is None


def test_budget_caps_the_offer_and_the_rest_pay_full_price():
    capped = Offer("every", "every", "CNY", Stage.SHOP, EveryStep(30000, 5000, cap_minor=15000), budget_minor=100000)
    e = estimate(assume(100, basket("one", 100, 30000)), [capped])
    (cost,) = e.offers
    assert cost.capped and cost.cost_minor == 100000 and cost.orders == 20
    assert e.revenue_minor == 100 * 30000 - 100000


def test_total_uses_cap_the_offer():
    limited = Offer("every", "every", "CNY", Stage.SHOP, EveryStep(30000, 5000), limits=Limits(uses=30))
    e = estimate(assume(100, basket("one", 100, 30000)), [limited])
    assert e.offers[0].orders == 30 and e.offers[0].cost_minor == 30 * 5000 and e.offers[0].capped


def test_flash_stock_caps_the_units_sold_at_the_flash_price():
    flash = Offer("seckill", "秒杀", "CNY", Stage.ITEM, FixedPrice(9900), limits=Limits(stock=100))
    e = estimate(assume(1000, basket("two", 100, 19900, qty=2)), [flash])  # 2,000 units wanted, 100 in stock
    (cost,) = e.offers
    assert cost.capped and cost.cost_minor == 100 * 10000 and cost.orders == 50
    assert e.revenue_minor == 1000 * 2 * 19900 - 100 * 10000


def test_gifts_and_free_shipping_count_as_cost():
    offers = [
        Offer("ship", "包邮", "CNY", Stage.SHIPPING, FreeShipping()),
        Offer("gift", "赠品", "CNY", Stage.SHOP, Gift("tote", 2000)),
    ]
    e = estimate(assume(10, basket("one", 100, 10000, shipping=800)), offers)
    assert {o.offer: o.cost_minor for o in e.offers} == {"ship": 8000, "gift": 20000}
    assert e.revenue_minor == 10 * 10000  # shipping waived, gift on top
    # margin: paid − goods − carrier − gift
    assert e.margin_minor == 10 * (10000 - 6000 - 800 - 2000)


def test_offers_outside_scope_cost_nothing():
    scoped = Offer("tea", "tea", "CNY", Stage.SHOP, EveryStep(30000, 5000), scope=Scope(products={"tea"}))
    e = estimate(assume(10, basket("one", 100, 30000, product="coffee")), [scoped])
    assert e.cost_minor == 0 and e.offers == () and e.break_even_orders == 0


@pytest.mark.parametrize(
    "a, field, code",
    [
        (assume(-1, basket("a", 100, 100)), "orders", "not_between"),
        (assume(10, basket("a", 60, 100), basket("b", 30, 100)), "baskets", "shares_not_100"),
        (assume(10, basket("a", 100, 100), margin=101), "margin_percent", "not_between"),
        (assume(10), "baskets", "required"),
        (assume(10, basket("a", 100, 100, qty=0)), "baskets.0.lines.0.quantity", None),
    ],
)
def test_bad_assumptions_are_named_at_their_field(a, field, code):
    with pytest.raises(EstimateRejected) as err:
        estimate(a, [EVERY])
    assert any(p.field == field and (code is None or p.code == code) for p in err.value.problems), err.value.problems

"""Every worked case of shared/reference/promotions.md §9, one test each, with exact minor units."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from campaigns.promotions.cart import Cart, Context, Line, Shopper, Usage
from campaigns.promotions.explain import Hint, Reason
from campaigns.promotions.groupbuy import GroupBuy, GroupState, OnFail, Refund, expire, join, open_group
from campaigns.promotions.money import Rounding, TieBreak
from campaigns.promotions.quote import quote
from campaigns.promotions.rules import (
    AmountOff,
    EveryStep,
    FixedPrice,
    FreeShipping,
    Limits,
    Offer,
    PercentOff,
    Scope,
    Stage,
    Tier,
    Tiers,
)
from campaigns.promotions.validate import validate_offer

NOW = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)
AT = Context(at=NOW)


def offer(key, benefit, stage=Stage.PLATFORM, currency="USD", **kw) -> Offer:
    return Offer(key, key, currency, stage, benefit, **kw)


def one_line_cart(amount_minor: int, currency="CNY") -> Cart:
    return Cart(currency, (Line("l1", "sku", amount_minor, 1),))


def line_discounts(q) -> list[int]:
    return [line.discount_minor for line in q.lines]


CASE_1_CART = Cart("USD", (Line("a", "widget", 237, 6), Line("b", "gadget", 328, 1)))  # 14.22 + 3.28 = 17.50


def test_case_1_saleor_percentage_rounds_half_up():
    """Case 1 (Saleor ROUND_HALF_UP): 3% of 17.50 = 0.525 → 0.53; total 16.97."""
    q = quote(CASE_1_CART, [offer("order3", PercentOff(3))], AT)
    assert q.original_minor == 1750
    assert q.applied[0].amount_minor == 53
    assert q.total_minor == 1697
    assert sum(line_discounts(q)) == 53


def test_case_2_oscar_percentage_rounds_down_and_the_mode_is_per_rule():
    """Case 2 (Oscar ROUND_DOWN): 3% → 0.52 (16.98), 5% → 0.87 (16.63); half-up gives 0.88 (16.62)."""
    down3 = quote(CASE_1_CART, [offer("o", PercentOff(3), rounding=Rounding.DOWN)], AT)
    down5 = quote(CASE_1_CART, [offer("o", PercentOff(5), rounding=Rounding.DOWN)], AT)
    up5 = quote(CASE_1_CART, [offer("o", PercentOff(5))], AT)
    assert (down3.discount_minor, down3.total_minor) == (52, 1698)
    assert (down5.discount_minor, down5.total_minor) == (87, 1663)
    assert (up5.discount_minor, up5.total_minor) == (88, 1662)


def test_case_3_oscar_absolute_split_odd_cent_to_the_last_line():
    """Case 3 (Oscar absolute split): 4.00 off 3 × 2.00 → 1.33, 1.33, 1.34; total 2.00."""
    cart = Cart("USD", tuple(Line(k, k, 200, 1) for k in "abc"))
    q = quote(cart, [offer("abs", AmountOff(400), ties=TieBreak.LAST)], AT)
    assert line_discounts(q) == [133, 133, 134]
    assert q.total_minor == 200


def test_case_4_woocommerce_fixed_cart_odd_cent_to_the_first_item():
    """Case 4 (WooCommerce fixed_cart): 10.00 off 3 × 10.00 → 3.34 / 3.33 / 3.33; total 20.00."""
    cart = Cart("USD", tuple(Line(k, k, 1000, 1) for k in "abc"))
    q = quote(cart, [offer("cart10", AmountOff(1000))], AT)
    assert line_discounts(q) == [334, 333, 333]
    assert q.total_minor == 2000


def test_case_5_saleor_entire_order_fixed_split_in_proportion():
    """Case 5 (Saleor entire-order fixed): $5 off 4.00 + 45.00 → lines 3.59 and 40.41; subtotal 44.00."""
    cart = Cart("USD", (Line("a", "small", 400, 1), Line("b", "big", 4500, 1)))
    q = quote(cart, [offer("five", AmountOff(500))], AT)
    assert [line.total_minor for line in q.lines] == [359, 4041]
    assert q.subtotal_minor == 4400


def test_case_6_coupon_larger_than_the_cart_is_clamped_and_shipping_kept():
    """Case 6 (Saleor clamp): 50.00 off 30.00 + 10.00 shipping → subtotal 0.00, total 10.00; Oscar 3.00 off 2.50 → 0."""
    saleor = quote(Cart("USD", (Line("a", "x", 3000, 1),), 1000), [offer("fifty", AmountOff(5000))], AT)
    assert (saleor.subtotal_minor, saleor.shipping_minor, saleor.total_minor) == (0, 1000, 1000)
    assert saleor.applied[0].amount_minor == 3000
    oscar = quote(Cart("USD", (Line("a", "x", 100, 1), Line("b", "y", 150, 1))), [offer("three", AmountOff(300))], AT)
    assert (oscar.discount_minor, oscar.total_minor) == (250, 0)
    assert [line.total_minor for line in oscar.lines] == [0, 0]


def test_case_6_percentage_over_100_is_rejected_at_its_field():
    """Case 6 / §11 (Oscar PR #2010): a percentage over 100 is refused when the rule is validated, and never priced."""
    bad = offer("greedy", PercentOff(Decimal("100.5")))
    assert [(p.field, p.code) for p in validate_offer(bad)] == [("benefit.percent", "over_100")]
    q = quote(CASE_1_CART, [bad], AT)
    assert q.total_minor == 1750
    assert q.rejected[0].code == Reason.INVALID_RULE
    assert q.rejected[0].params == {"problems": [["benefit.percent", "over_100"]]}


SHOPIFY = Cart(
    "USD",
    (Line("pants", "pants", 10000, 1), Line("shirts", "shirts", 5000, 1), Line("boots", "boots", 20000, 1)),
    shipping_minor=2000,
)


def test_case_7_shopify_product_discount_then_order_discount():
    """Case 7 (Shopify): pants −20, then 10% on 330 → subtotal 297.00, total 317.00 with 20.00 shipping."""
    pants = offer("20offPants", AmountOff(2000), Stage.ITEM, scope=Scope(products={"pants"}))
    order = offer("10offOrder", PercentOff(10), Stage.SHOP)
    q = quote(SHOPIFY, [order, pants], AT)
    assert q.subtotal_minor == 29700
    assert q.total_minor == 31700
    assert q.applied_offer("10offOrder").lines == (("boots", 2000), ("pants", 800), ("shirts", 500))


def test_case_7_shopify_variant_with_free_shipping_over_100():
    """Case 7 variant (Shopify): 20offPants + 10offShirts + free shipping over 100 → total 320.00."""
    offers = [
        offer("20offPants", AmountOff(2000), Stage.ITEM, scope=Scope(products={"pants"})),
        offer("10offShirts", AmountOff(1000), Stage.ITEM, scope=Scope(products={"shirts"})),
        offer("freeShip100", FreeShipping(), Stage.SHIPPING, min_spend_minor=10000),
    ]
    q = quote(SHOPIFY, offers, AT)
    assert (q.subtotal_minor, q.shipping_discount_minor, q.total_minor) == (32000, 2000, 32000)


TIERS = offer("tiers", Tiers((Tier(30000, 5000), Tier(60000, 12000))), Stage.SHOP, currency="CNY")


def test_case_8_best_tier_wins_and_boundary_is_inclusive():
    """Case 8 (Saleor best rule): ≥300 −50, ≥600 −120: 299.99 → 299.99, 300.00 → 250.00, 650 → 530.00."""
    totals = [quote(one_line_cart(a), [TIERS], AT).total_minor for a in (29999, 30000, 65000)]
    assert totals == [29999, 25000, 53000]
    short = quote(one_line_cart(29999), [TIERS], AT)
    assert short.rejected[0].params == {"threshold": 30000, "amount": 29999, "missing": 1}
    assert short.hints == (Hint("tiers", "tiers", 1, 5000),)


def test_case_9_every_300_off_50_capped_at_150():
    """Case 9 (每满300减50, cap 150): 299.99 / 300 / 1,050 / 1,299 → 299.99 / 250.00 / 900.00 / 1,149.00."""
    every = offer("every", EveryStep(30000, 5000, cap_minor=15000), Stage.PLATFORM, currency="CNY")
    totals = [quote(one_line_cart(a), [every], AT).total_minor for a in (29999, 30000, 105000, 129900)]
    assert totals == [29999, 25000, 90000, 114900]


GROUP = GroupBuy(size=3, duration=timedelta(hours=24), leader_price_minor=4900, member_price_minor=5900)


def test_case_10_group_buy_fills_at_the_third_payment():
    """Case 10 (yudao isFull): goal 3, leader 49, joiners 59 → success at the 3rd payment, revenue 167.00."""
    g = open_group(GROUP, "leader", NOW)
    g = join(g, "ann", NOW + timedelta(hours=1))
    assert g.state is GroupState.OPEN
    g = join(g, "bob", NOW + timedelta(hours=2))
    assert (g.state, g.closed_at) == (GroupState.SUCCESS, NOW + timedelta(hours=2))
    assert [m.paid_minor for m in g.members] == [4900, 5900, 5900]
    assert g.revenue_minor == 16700
    assert g.ships_to == ("leader", "ann", "bob")


def _two_paid(on_fail: OnFail, **kw):
    g = open_group(GroupBuy(3, timedelta(hours=24), 4900, 5900, on_fail, **kw), "leader", NOW)
    return join(g, "ann", NOW + timedelta(hours=3))


def test_case_11_group_buy_fails_and_each_on_fail_mode():
    """Case 11 (TOP fail_process, yudao, CRMEB): refund 49 + 59, continue 108, virtual fill, leader alone fails."""
    after = NOW + timedelta(hours=24, seconds=1)
    assert expire(_two_paid(OnFail.REFUND), NOW + timedelta(hours=24)).state is GroupState.OPEN  # end inclusive
    refunded = expire(_two_paid(OnFail.REFUND), after)
    assert refunded.state is GroupState.FAILED
    assert refunded.refunds == (Refund("leader", 4900), Refund("ann", 5900))
    assert (refunded.revenue_minor, refunded.ships_to) == (0, ())
    kept = expire(_two_paid(OnFail.CONTINUE), after)
    assert (kept.state, kept.revenue_minor, kept.ships_to, kept.refunds) == (
        GroupState.FAILED,
        10800,
        ("leader", "ann"),
        (),
    )
    filled = expire(_two_paid(OnFail.VIRTUAL_FILL), after)
    assert (filled.state, filled.virtual_members, filled.ships_to) == (GroupState.VIRTUAL_SUCCESS, 1, ("leader", "ann"))
    alone = expire(open_group(GroupBuy(3, timedelta(hours=24), 4900, 5900, OnFail.VIRTUAL_FILL), "leader", NOW), after)
    assert (alone.state, alone.refunds) == (GroupState.FAILED, (Refund("leader", 4900),))
    crmeb = GroupBuy(8, timedelta(hours=24), 4900, 5900, OnFail.VIRTUAL_FILL, virtual_share=Decimal("0.6"))
    for real, state in ((4, GroupState.VIRTUAL_SUCCESS), (3, GroupState.FAILED)):
        g = open_group(crmeb, "leader", NOW)
        for n in range(real - 1):
            g = join(g, f"m{n}", NOW)
        assert expire(g, after).state is state


def test_case_12_flash_sale_stock_and_limits():
    """Case 12 (yudao seckill), pure part: stock 100, 150 buyers in turn → 100 at 9.90; 3 per order, 2 prior refused."""
    flash = offer(
        "seckill",
        FixedPrice(990),
        Stage.ITEM,
        currency="CNY",
        scope=Scope(products={"tea"}),
        limits=Limits(units_per_order=2, units_per_customer=2, stock=100),
    )
    one = Cart("CNY", (Line("l1", "tea", 4900, 1),))
    sold = 0
    outcomes = []
    for n in range(150):
        ctx = Context(at=NOW, shopper=Shopper(f"u{n}"), usage={"seckill": Usage(units=sold)})
        q = quote(one, [flash], ctx)
        if q.applied:
            sold += 1
        outcomes.append(q.rejected[0].code if q.rejected else q.total_minor)
    assert outcomes.count(990) == 100 and sold == 100
    assert outcomes.count(Reason.OUT_OF_STOCK) == 50
    three = quote(Cart("CNY", (Line("l1", "tea", 4900, 3),)), [flash], AT).rejected[0]
    assert (three.code, three.params) == (Reason.OVER_ORDER_LIMIT, {"limit": 2, "quantity": 3})
    repeat = quote(one, [flash], Context(at=NOW, usage={"seckill": Usage(units=10, customer_units=2)})).rejected[0]
    assert (repeat.code, repeat.params) == (
        Reason.CUSTOMER_UNITS_LIMIT_REACHED,
        {"limit": 2, "bought": 2, "quantity": 1},
    )


def test_case_13_usage_limit_of_one():
    """Case 13 (Saleor #544, Oscar #2101), pure part: usage_limit=1 → applies at 0 uses, refused at 1."""
    voucher = offer("once", AmountOff(500), limits=Limits(uses=1))
    first = quote(CASE_1_CART, [voucher], Context(at=NOW, usage={"once": Usage(uses=0)}))
    second = quote(CASE_1_CART, [voucher], Context(at=NOW, usage={"once": Usage(uses=1)}))
    assert first.total_minor == 1250
    assert second.total_minor == 1750
    assert (second.rejected[0].code, second.rejected[0].params) == (Reason.LIMIT_REACHED, {"limit": 1, "used": 1})

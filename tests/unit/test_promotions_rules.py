"""Rule kinds, scopes, eligibility and windows, priced with exact minor units."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaigns.promotions.cart import Cart, Context, Line, Shopper, Usage
from campaigns.promotions.explain import Reason
from campaigns.promotions.quote import quote
from campaigns.promotions.rules import (
    AmountOff,
    BudgetMode,
    BuyGet,
    Deposit,
    Eligibility,
    FixedPrice,
    FreeShipping,
    Gift,
    Offer,
    PercentOff,
    Points,
    Scope,
    Stage,
    Window,
)

AT = Context(at=datetime(2026, 11, 11, 4, 0, tzinfo=UTC))


def offer(key, benefit, stage=Stage.ITEM, currency="CNY", **kw) -> Offer:
    return Offer(key, key, currency, stage, benefit, **kw)


def reason(q, key):
    r = q.rejected_offer(key)
    return (r.code, r.params) if r else None


SHOP = Cart(
    "CNY",
    (
        Line("a", "tea", 3000, 1, category="drinks", tags={"organic"}, shop="s1"),
        Line("b", "cup", 2000, 1, category="kitchen", shop="s1"),
        Line("c", "pot", 1000, 1, category="kitchen", tags={"sale"}, shop="s2"),
    ),
)


def discounts(q) -> dict[str, int]:
    return {line.key: line.discount_minor for line in q.lines}


def test_scope_by_product_category_tag_shop_and_exclusion():
    def hit(scope: Scope) -> dict[str, int]:
        return discounts(quote(SHOP, [offer("o", PercentOff(10), scope=scope)], AT))

    assert hit(Scope(products={"cup"})) == {"a": 0, "b": 200, "c": 0}
    assert hit(Scope(categories={"kitchen"})) == {"a": 0, "b": 200, "c": 100}
    assert hit(Scope(tags={"organic", "sale"})) == {"a": 300, "b": 0, "c": 100}
    assert hit(Scope(shops={"s1"})) == {"a": 300, "b": 200, "c": 0}
    assert hit(Scope(categories={"kitchen"}, exclude={"pot"})) == {"a": 0, "b": 200, "c": 0}
    assert hit(Scope()) == {"a": 300, "b": 200, "c": 100}
    q = quote(SHOP, [offer("o", PercentOff(10), scope=Scope(products={"none"}))], AT)
    assert reason(q, "o") == (Reason.NO_MATCHING_ITEMS, {})


def test_eligibility_by_segment_first_order_and_channel():
    vip = offer("vip", AmountOff(100), eligibility=Eligibility(segments={"vip"}, channels={"app"}))
    new = offer("new", AmountOff(100), eligibility=Eligibility(first_order_only=True))
    guest = quote(SHOP, [vip, new], Context(at=AT.at, channel="app"))
    assert reason(guest, "vip") == (Reason.NOT_ELIGIBLE_SEGMENT, {"segments": ["vip"]})
    assert reason(guest, "new") == (Reason.NOT_FIRST_ORDER, {})
    web = quote(SHOP, [vip], Context(at=AT.at, shopper=Shopper("c", {"vip"}), channel="web"))
    assert reason(web, "vip") == (Reason.NOT_ELIGIBLE_CHANNEL, {"channel": "web", "channels": ["app"]})
    ok = quote(SHOP, [vip, new], Context(at=AT.at, shopper=Shopper("c", {"vip"}, first_order=True), channel="app"))
    assert ok.total_minor == 5800


def test_window_ends_are_inclusive_in_the_windows_zone():
    day = Window.local(datetime(2026, 11, 11, 0, 0), datetime(2026, 11, 11, 23, 59, 59), "Asia/Shanghai")
    o = offer("d11", AmountOff(500), window=day)
    last_second = datetime(2026, 11, 11, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
    assert quote(SHOP, [o], Context(at=last_second)).total_minor == 5500
    assert quote(SHOP, [o], Context(at=day.starts_at)).total_minor == 5500
    late = quote(SHOP, [o], Context(at=datetime(2026, 11, 11, 16, 0, tzinfo=UTC)))
    assert reason(late, "d11") == (
        Reason.NOT_IN_WINDOW,
        {"starts_at": "2026-11-11T00:00:00+08:00", "ends_at": "2026-11-11T23:59:59+08:00", "timezone": "Asia/Shanghai"},
    )


def test_minimum_spend_and_quantity():
    spend = offer("spend", AmountOff(500), Stage.SHOP, min_spend_minor=6001)
    qty = offer("qty", PercentOff(10), Stage.SHOP, min_quantity=4)
    q = quote(SHOP, [spend, qty], AT)
    assert reason(q, "spend") == (Reason.BELOW_THRESHOLD, {"threshold": 6001, "amount": 6000, "missing": 1})
    assert reason(q, "qty") == (Reason.BELOW_MIN_QUANTITY, {"min_quantity": 4, "quantity": 3, "missing": 1})


def test_fixed_price_per_unit_never_raises_a_price():
    cart = Cart("CNY", (Line("a", "tea", 4900, 2), Line("b", "mug", 500, 1)))
    q = quote(cart, [offer("flash", FixedPrice(990), scope=Scope(products={"tea", "mug"}))], AT)
    assert [(line.key, line.total_minor) for line in q.lines] == [("a", 1980), ("b", 500)]


def test_amount_off_per_unit():
    cart = Cart("CNY", (Line("a", "tea", 300, 3),))
    assert quote(cart, [offer("o", AmountOff(120, per_unit=True))], AT).total_minor == 540
    assert quote(cart, [offer("o", AmountOff(400, per_unit=True))], AT).total_minor == 0


def test_buy_two_get_one_frees_the_cheapest_units():
    cart = Cart("CNY", (Line("a", "x", 3000, 1), Line("b", "y", 2000, 1), Line("c", "z", 1000, 1)))
    q = quote(cart, [offer("b2g1", BuyGet(2, 1))], AT)
    assert discounts(q) == {"a": 0, "b": 0, "c": 1000}
    six = Cart("CNY", (Line("a", "x", 3000, 2), Line("b", "y", 999, 3), Line("c", "z", 1000, 1)))
    q6 = quote(six, [offer("b2g1", BuyGet(2, 1))], AT)
    assert discounts(q6) == {"a": 0, "b": 1998, "c": 0}  # two of the three 9.99 units
    capped = quote(six, [offer("b2g1", BuyGet(2, 1, max_free=1))], AT)
    assert discounts(capped) == {"a": 0, "b": 999, "c": 0}
    short = quote(Cart("CNY", (Line("a", "x", 3000, 2),)), [offer("b2g1", BuyGet(2, 1))], AT)
    assert reason(short, "b2g1") == (Reason.BELOW_MIN_QUANTITY, {"min_quantity": 3, "quantity": 2, "missing": 1})


def test_free_shipping_whole_or_up_to_a_cap():
    cart = Cart("CNY", SHOP.lines, shipping_minor=1200)
    full = quote(cart, [offer("fs", FreeShipping(), Stage.SHIPPING)], AT)
    part = quote(cart, [offer("fs", FreeShipping(max_minor=800), Stage.SHIPPING)], AT)
    assert (full.shipping_discount_minor, full.total_minor) == (1200, 6000)
    assert (part.shipping_discount_minor, part.total_minor) == (800, 6400)
    none = quote(SHOP, [offer("fs", FreeShipping(), Stage.SHIPPING)], AT)
    assert reason(none, "fs") == (Reason.NOTHING_TO_DISCOUNT, {})


def test_gift_costs_its_value_against_the_budget():
    gift = offer("g", Gift("tote", 1500), Stage.SHOP, min_spend_minor=5000, budget_minor=100_000)
    q = quote(SHOP, [gift], AT)
    assert q.total_minor == 6000
    assert q.gifts == ({"product": "tote", "quantity": 1, "value_minor": 1500},)
    assert (q.applied[0].amount_minor, q.applied[0].cost_minor) == (0, 1500)
    over = quote(SHOP, [gift], Context(at=AT.at, usage={"g": Usage(spent_minor=99_000)}))
    assert reason(over, "g") == (Reason.BUDGET_EXHAUSTED, {"budget": 100_000, "spent": 99_000, "needed": 1500})
    partial = Offer(
        "g", "g", "CNY", Stage.SHOP, Gift("tote", 1500), budget_minor=1000, budget_mode=BudgetMode.PARTIAL_FILL
    )
    assert reason(quote(SHOP, [partial], AT), "g")[0] == Reason.BUDGET_EXHAUSTED  # a gift is never half given


def test_presale_deposit_counts_for_more_at_final_payment():
    cart = Cart("CNY", (Line("a", "tv", 300_000, 1),))
    q = quote(cart, [offer("swell", Deposit(5000, 10000), Stage.SETTLEMENT)], AT)
    assert (q.total_minor, q.deposit_minor, q.due_minor) == (295_000, 5000, 290_000)


def test_points_pay_in_whole_packs_up_to_a_share():
    cart = Cart("CNY", (Line("a", "tea", 1000, 1),))
    pts = offer("pts", Points(100, 100, max_percent=50), Stage.SETTLEMENT)
    q = quote(cart, [pts], Context(at=AT.at, shopper=Shopper("c", points=1234)))
    assert (q.total_minor, q.applied[0].detail) == (500, {"points_used": 500})
    few = quote(cart, [pts], Context(at=AT.at, shopper=Shopper("c", points=99)))
    assert reason(few, "pts") == (Reason.NOT_ENOUGH_POINTS, {"balance": 99, "points": 100})


def test_zero_decimal_currency_rounds_to_whole_yen():
    cart = Cart("JPY", (Line("a", "matcha", 1750, 1),))
    assert quote(cart, [offer("o", PercentOff(3), currency="JPY")], AT).total_minor == 1697  # 52.5 → 53 yen
    q = quote(cart, [offer("o", PercentOff(Decimal("12.5")))], AT)
    assert reason(q, "o") == (Reason.CURRENCY_MISMATCH, {"currency": "CNY"})


def test_window_local_keeps_its_zone():
    w = Window.local(datetime(2026, 6, 18, 0, 0), datetime(2026, 6, 18, 23, 59, 59), "Asia/Shanghai")
    assert w.starts_at == datetime(2026, 6, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert w.contains(datetime(2026, 6, 18, 15, 59, 59, tzinfo=UTC))
    assert not w.contains(datetime(2026, 6, 18, 16, 0, 0, tzinfo=UTC))

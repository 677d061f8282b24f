"""The pipeline: stages, threshold basis, stacking modes, exclusivity and priority, limits and budgets."""

from datetime import UTC, datetime

from campaigns.promotions.book import OfferBook
from campaigns.promotions.cart import Cart, Context, Line, Usage
from campaigns.promotions.explain import Reason
from campaigns.promotions.quote import quote
from campaigns.promotions.rules import (
    AmountOff,
    Basis,
    BudgetMode,
    Offer,
    PercentOff,
    Scope,
    Stacking,
    Stage,
    Tier,
    Tiers,
)

AT = Context(at=datetime(2026, 11, 11, 4, 0, tzinfo=UTC))
CART = Cart("CNY", (Line("l1", "coat", 10000, 1),))


def offer(key, benefit, stage=Stage.SHOP, **kw) -> Offer:
    return Offer(key, f"name of {key}", "CNY", stage, benefit, **kw)


def reason(q, key):
    r = q.rejected_offer(key)
    return (r.code, r.params) if r else None


def test_stages_run_in_order_whatever_the_offer_order():
    item = offer("item", PercentOff(20), Stage.ITEM)
    shop = offer("shop", AmountOff(1000), Stage.SHOP)
    platform = offer("platform", PercentOff(10), Stage.PLATFORM)
    q = quote(CART, [platform, shop, item], AT)
    # 100.00 → 80.00 (item) → 70.00 (shop) → 63.00 (platform)
    assert [(a.offer, a.amount_minor) for a in q.applied] == [("item", 2000), ("shop", 1000), ("platform", 700)]
    assert q.total_minor == 6300
    assert dict(q.stage_discounts) == {"item": 2000, "shop": 1000, "platform": 700, "shipping": 0, "settlement": 0}


def test_threshold_basis_after_previous_stages_by_default_or_original_prices():
    item = offer("item", PercentOff(20), Stage.ITEM)
    full_reduction = Tiers((Tier(10000, 1000),))
    after = quote(CART, [item, offer("mj", full_reduction)], AT)
    assert reason(after, "mj") == (Reason.BELOW_THRESHOLD, {"threshold": 10000, "amount": 8000, "missing": 2000})
    assert after.total_minor == 8000
    original = quote(CART, [item, offer("mj", full_reduction, basis=Basis.ORIGINAL)], AT)
    assert original.total_minor == 7000


def test_sequential_stage_takes_each_offer_from_what_is_left():
    a, b = offer("a", PercentOff(10)), offer("b", PercentOff(10))
    assert quote(CART, [a, b], AT).total_minor == 8100


def test_parallel_stage_takes_each_offer_from_the_stage_base():
    a, b = offer("a", PercentOff(10)), offer("b", PercentOff(10))
    book = OfferBook([a, b], stacking={Stage.SHOP: Stacking.PARALLEL})
    q = quote(CART, book, AT)
    assert [x.amount_minor for x in q.applied] == [1000, 1000]
    assert q.total_minor == 8000


def test_parallel_stage_never_takes_more_than_is_left():
    book = OfferBook([offer("a", PercentOff(70)), offer("b", PercentOff(70))], stacking={Stage.SHOP: "parallel"})
    q = quote(CART, book, AT)
    assert [x.amount_minor for x in q.applied] == [7000, 3000]
    assert q.total_minor == 0


def test_priority_decides_the_order_within_a_stage():
    fixed = offer("fixed", AmountOff(1000), priority=5)
    pct = offer("pct", PercentOff(10))
    assert quote(CART, [pct, fixed], AT).total_minor == 8100  # 10.00 off first, then 10 %
    assert quote(CART, [pct, offer("fixed", AmountOff(1000), priority=-1)], AT).total_minor == 8000


def test_exclusive_offer_of_higher_priority_stands_alone():
    vip = offer("vip", PercentOff(30), exclusive=True, priority=10)
    other = offer("other", AmountOff(500))
    q = quote(CART, [other, vip], AT)
    assert [a.offer for a in q.applied] == ["vip"]
    assert reason(q, "other") == (Reason.EXCLUDED_BY_EXCLUSIVE, {"other": "name of vip", "other_key": "vip"})


def test_exclusive_offer_of_lower_priority_gives_way():
    vip = offer("vip", PercentOff(30), exclusive=True)
    other = offer("other", AmountOff(500), priority=1)
    q = quote(CART, [vip, other], AT)
    assert [a.offer for a in q.applied] == ["other"]
    assert reason(q, "vip") == (Reason.EXCLUDED_BY_EXCLUSIVE, {"other": "name of other", "other_key": "other"})


def test_exclusive_platform_coupon_of_higher_priority_displaces_an_earlier_stage():
    item = offer("item", PercentOff(20), Stage.ITEM)
    coupon = offer("coupon", Tiers((Tier(9000, 3000),)), Stage.PLATFORM, exclusive=True, priority=9)
    q = quote(CART, [item, coupon], AT)
    assert [a.offer for a in q.applied] == ["coupon"]
    assert q.total_minor == 7000
    assert reason(q, "item")[0] == Reason.EXCLUDED_BY_EXCLUSIVE


def test_displaced_offer_comes_back_when_its_displacer_cannot_apply():
    item = offer("item", PercentOff(20), Stage.ITEM)
    coupon = offer("coupon", PercentOff(50), Stage.PLATFORM, exclusive=True, priority=9, budget_minor=4500)
    q = quote(CART, [item, coupon], AT)  # 50 % of 100.00 exceeds the budget once the item discount is gone
    assert [a.offer for a in q.applied] == ["item"]
    assert reason(q, "coupon") == (Reason.BUDGET_EXHAUSTED, {"budget": 4500, "spent": 0, "needed": 5000})


def test_combination_whitelist_lets_named_offers_stand_beside_an_exclusive_one():
    item = offer("item", PercentOff(20), Stage.ITEM)
    coupon = offer("coupon", AmountOff(1000), Stage.PLATFORM, exclusive=True, combines_with={"item"})
    other = offer("other", AmountOff(100), Stage.PLATFORM, priority=-1)
    q = quote(CART, [item, coupon, other], AT)
    assert [a.offer for a in q.applied] == ["item", "coupon"]
    assert q.total_minor == 7000
    assert reason(q, "other")[0] == Reason.EXCLUDED_BY_EXCLUSIVE


def test_usage_limits_total_and_per_customer():
    from campaigns.promotions.rules import Limits

    o = offer("o", AmountOff(500), limits=Limits(uses=100, uses_per_customer=1))
    fine = quote(CART, [o], Context(at=AT.at, usage={"o": Usage(uses=99, customer_uses=0)}))
    mine = quote(CART, [o], Context(at=AT.at, usage={"o": Usage(uses=5, customer_uses=1)}))
    assert fine.total_minor == 9500
    assert reason(mine, "o") == (Reason.CUSTOMER_LIMIT_REACHED, {"limit": 1, "used": 1})


def test_hard_budget_refuses_an_offer_that_would_exceed_it():
    o = offer("o", AmountOff(1000), budget_minor=100_000)
    ok = quote(CART, [o], Context(at=AT.at, usage={"o": Usage(spent_minor=99_000)}))
    over = quote(CART, [o], Context(at=AT.at, usage={"o": Usage(spent_minor=99_001)}))
    assert ok.total_minor == 9000
    assert over.total_minor == 10000
    assert reason(over, "o") == (Reason.BUDGET_EXHAUSTED, {"budget": 100_000, "spent": 99_001, "needed": 1000})


def test_partial_fill_gives_what_is_left_of_the_budget():
    o = offer("o", AmountOff(1000), budget_minor=100_000, budget_mode=BudgetMode.PARTIAL_FILL)
    q = quote(CART, [o], Context(at=AT.at, usage={"o": Usage(spent_minor=99_700)}))
    assert (q.applied[0].amount_minor, q.applied[0].partial, q.total_minor) == (300, True, 9700)


def test_order_discount_touches_only_scoped_lines_and_never_shipping():
    cart = Cart("CNY", (Line("a", "tea", 3000, 2), Line("b", "cup", 1000, 1)), shipping_minor=800)
    q = quote(cart, [offer("tea", PercentOff(50), scope=Scope(products={"tea"}))], AT)
    assert [(line.key, line.discount_minor) for line in q.lines] == [("a", 3000), ("b", 0)]
    assert (q.subtotal_minor, q.shipping_minor, q.total_minor) == (4000, 800, 4800)

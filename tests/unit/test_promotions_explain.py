"""Explanations: what applied (per line), what did not and why (stable codes), and upsell hints."""

from datetime import UTC, datetime

from campaigns.promotions.cart import Cart, Context, Line
from campaigns.promotions.explain import Hint, Reason
from campaigns.promotions.quote import quote
from campaigns.promotions.rules import (
    AmountOff,
    EveryStep,
    FreeShipping,
    Offer,
    PercentOff,
    Stage,
    Tier,
    Tiers,
    Window,
)

AT = Context(at=datetime(2026, 11, 11, 4, 0, tzinfo=UTC))


def offer(key, benefit, stage=Stage.SHOP, **kw) -> Offer:
    return Offer(key, f"{key} name", "CNY", stage, benefit, **kw)


def cart(amount_minor: int, shipping_minor: int = 0) -> Cart:
    return Cart("CNY", (Line("l1", "sku", amount_minor, 1),), shipping_minor)


def test_spend_37_more_for_50_off():
    q = quote(cart(26300), [offer("mj", Tiers((Tier(30000, 5000),)))], AT)
    assert q.hints == (Hint("mj", "mj name", 3700, 5000),)
    assert q.rejected[0].params == {"threshold": 30000, "amount": 26300, "missing": 3700}


def test_hint_for_the_next_tier_and_the_next_step_until_the_cap():
    tiers = offer("tiers", Tiers((Tier(30000, 5000), Tier(60000, 12000))))
    every = offer("every", EveryStep(30000, 5000, cap_minor=15000), Stage.PLATFORM)
    q = quote(cart(45000), [tiers, every], AT)
    assert q.hints == (  # closest first
        Hint("tiers", "tiers name", 15000, 12000),
        Hint("every", "every name", 20000, 10000),  # 400.00 after the tier; at 600.00: 2 × 50
    )
    capped = quote(cart(90000), [every], AT)
    assert capped.hints == ()


def test_hints_for_a_percentage_and_free_shipping_threshold():
    pct = offer("pct", PercentOff(10), min_spend_minor=20000)
    ship = offer("ship", FreeShipping(), Stage.SHIPPING, min_spend_minor=9900)
    q = quote(cart(9000, shipping_minor=1000), [pct, ship], AT)
    assert q.hints == (Hint("ship", "ship name", 900, 1000), Hint("pct", "pct name", 11000, 2000))


def test_applied_offers_carry_their_per_line_split():
    c = Cart("CNY", (Line("b", "x", 1000, 1), Line("a", "y", 3000, 1)))
    q = quote(c, [offer("o", AmountOff(1001))], AT)
    (a,) = q.applied
    assert (a.offer, a.name, a.stage, a.kind, a.amount_minor, a.cost_minor) == (
        "o",
        "o name",
        "shop",
        "amount_off",
        1001,
        1001,
    )
    assert a.lines == (("a", 751), ("b", 250))  # 750.75 and 250.25: the larger remainder takes the odd fen


def test_reasons_are_codes_with_data_never_sentences():
    window = Window(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
    offers = [
        offer("late", AmountOff(100), window=window),
        Offer("usd", "usd", "USD", Stage.SHOP, AmountOff(100)),
        offer("big", AmountOff(100), min_spend_minor=99999),
    ]
    q = quote(cart(1000), offers, AT)
    codes = {r.offer: r.code for r in q.rejected}
    assert codes == {"late": Reason.NOT_IN_WINDOW, "usd": Reason.CURRENCY_MISMATCH, "big": Reason.BELOW_THRESHOLD}
    for r in q.rejected:
        assert all(isinstance(v, int | str | list) for v in r.params.values())
    assert {str(r) for r in Reason} >= {"not_in_window", "limit_reached", "budget_exhausted", "excluded_by_exclusive"}

"""Bad rules and bad carts: each problem at its field, as a catalog code; nothing quoted half-way."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from campaigns.promotions.cart import Cart, Context, Line
from campaigns.promotions.money import TieBreak, allocate, percent_of, split
from campaigns.promotions.quote import CartRejected, quote
from campaigns.promotions.rules import (
    AmountOff,
    EveryStep,
    FreeShipping,
    Offer,
    PercentOff,
    Scope,
    Stage,
    Tier,
    Tiers,
    Window,
)
from campaigns.promotions.validate import validate_cart, validate_offer, validate_offers

NOW = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)


def offer(key, benefit, stage=Stage.SHOP, **kw) -> Offer:
    return Offer(key, key, "CNY", stage, benefit, **kw)


def problems(o) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in validate_offer(o)]


def test_a_sound_offer_has_no_problems():
    assert problems(offer("ok", Tiers((Tier(30000, 5000), Tier(60000, 12000))))) == []


def test_percentages_must_be_above_0_and_at_most_100():
    assert problems(offer("a", PercentOff(101))) == [("benefit.percent", "over_100")]
    assert problems(offer("a", PercentOff(0))) == [("benefit.percent", "not_positive")]
    assert problems(offer("a", PercentOff(12.5))) == [("benefit.percent", "not_a_number")]  # floats refused
    assert problems(offer("a", PercentOff(100))) == []


def test_tiers_must_ascend_and_a_cap_must_allow_one_step():
    bad = Tiers((Tier(60000, 12000), Tier(30000, 5000), Tier(90000, 5000)))
    assert problems(offer("t", bad)) == [
        ("benefit.tiers.1.threshold_minor", "not_ascending"),
        ("benefit.tiers.2.off_minor", "not_ascending"),
    ]
    assert problems(offer("e", EveryStep(30000, 5000, cap_minor=4000))) == [("benefit.cap_minor", "below_one_step")]
    assert problems(offer("e", EveryStep(30000, 40000))) == [("benefit.off_minor", "off_exceeds_step")]


def test_windows_need_aware_ordered_ends_and_a_real_zone():
    naive = Window(datetime(2026, 11, 11), datetime(2026, 11, 12), "Asia/Shanghai")
    backwards = Window(NOW, datetime(2026, 11, 10, tzinfo=UTC), "Mars/Olympus")
    assert problems(offer("w", AmountOff(100), window=naive)) == [
        ("window.starts_at", "naive"),
        ("window.ends_at", "naive"),
    ]
    assert problems(offer("w", AmountOff(100), window=backwards)) == [
        ("window.ends_at", "end_before_start"),
        ("window.timezone", "unknown_timezone"),
    ]


def test_kind_must_suit_the_stage_and_currency_must_exist():
    o = Offer("fs", "fs", "XXY", Stage.ITEM, FreeShipping())
    assert problems(o) == [("currency", "unknown_currency"), ("benefit", "kind_not_in_stage")]


def test_set_of_offers_duplicate_keys_and_overlapping_exclusive_offers():
    a = offer("a", AmountOff(100), exclusive=True)
    b = offer("b", AmountOff(200), exclusive=True)
    c = offer("c", AmountOff(300), exclusive=True, scope=Scope(products={"tea"}))
    d = offer("d", AmountOff(300), exclusive=True, scope=Scope(products={"cup"}), priority=0)
    found = [(p.field, p.code, p.params) for p in validate_offers([a, b, offer("a", AmountOff(5))])]
    assert ("offers.0.key", "duplicate", {"key": "a"}) in found and ("offers.2.key", "duplicate", {"key": "a"}) in found
    assert ("offers.1", "exclusive_overlap", {"other": "a"}) in found
    disjoint = validate_offers([c, d])
    assert disjoint == []  # product lists that never meet
    ranked = validate_offers([a, offer("b", AmountOff(200), exclusive=True, priority=1)])
    assert ranked == []  # priority decides: not ambiguous


def test_bad_carts_are_refused_with_the_line_and_field():
    cart = Cart(
        "ABC",
        (Line("a", "tea", 100, 0), Line("a", "tea", -5, 1), Line("c", "cup", 100, Decimal("1.5"))),
        shipping_minor=-1,
    )
    assert [(p.field, p.code) for p in validate_cart(cart)] == [
        ("currency", "unknown_currency"),
        ("shipping_minor", "negative"),
        ("lines.0.quantity", "not_positive"),
        ("lines.1.key", "duplicate"),
        ("lines.1.unit_minor", "negative"),
        ("lines.2.quantity", "not_whole"),
    ]
    with pytest.raises(CartRejected) as err:
        quote(cart, [], Context(at=NOW))
    assert err.value.problems[0].field == "currency"


def test_a_quote_needs_an_aware_moment():
    with pytest.raises(ValueError, match="aware"):
        quote(Cart("CNY", ()), [], Context(at=datetime(2026, 11, 11)))


def test_empty_cart_quotes_to_zero():
    q = quote(Cart("CNY", (), shipping_minor=600), [offer("a", AmountOff(100))], Context(at=NOW))
    assert (q.total_minor, q.rejected[0].code) == (600, "no_matching_items")


def test_money_helpers_round_and_split_exactly():
    assert (percent_of(1750, 3), percent_of(1750, 3, "down")) == (53, 52)
    assert percent_of(999, Decimal("12.5")) == 125  # 124.875
    assert split(400, [200, 200, 200]) == [134, 133, 133]
    assert split(400, [200, 200, 200], TieBreak.LAST) == [133, 133, 134]
    assert allocate(100, [Decimal("0.5"), 1, Decimal("1.5")]) == [17, 33, 50]


def test_choices_may_come_as_plain_strings_from_a_form():
    o = Offer("o", "o", "USD", "platform", PercentOff(5), rounding="down", basis="original", ties="last")
    assert problems(o) == []
    cart = Cart("USD", (Line("a", "widget", 237, 6), Line("b", "gadget", 328, 1)))
    assert quote(cart, [o], Context(at=NOW)).total_minor == 1663  # 0.875 rounded down
    bad = Offer("o", "o", "USD", "galaxy", PercentOff(5), rounding="sideways")
    assert problems(bad) == [("stage", "unknown_choice"), ("rounding", "unknown_choice")]

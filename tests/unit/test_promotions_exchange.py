"""Carts, contexts, quotes and rule sets as JSON: round trips, and every bad input named at its field."""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from campaigns.promotions import exchange as x
from campaigns.promotions import rules as r
from campaigns.promotions.cart import Cart, Line, Shopper
from campaigns.promotions.quote import quote

AT = datetime(2027, 11, 11, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
EVERY_300 = r.Offer("every-300-50", "每满300减50", "CNY", r.Stage.SHOP, r.EveryStep(30_000, 5_000, cap_minor=15_000))
COUPON_90 = r.Offer("coupon-90", "9折券", "CNY", r.Stage.PLATFORM, r.PercentOff(10))
CART = {
    "currency": "CNY",
    "lines": [
        {"key": "tea", "product": "longjing", "unit_minor": 40_000, "quantity": 1, "category": "tea"},
        {"key": "cup", "product": "celadon", "unit_minor": 25_000, "quantity": 1, "tags": ["new"], "shop": "s1"},
    ],
    "shipping_minor": 800,
}


def _problems(fn, data):
    with pytest.raises(x.JsonRejected) as err:
        fn(data)
    return [(p.field, p.code) for p in err.value.problems]


def _changed(data, path, value):
    """A deep copy of ``data`` with the member at ``path`` ("lines.0.quantity") set, or removed for ...."""
    out = copy.deepcopy(data)
    *head, last = path.split(".")
    node = out
    for part in head:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return out


# --- carts ------------------------------------------------------------------------------------------


def test_a_cart_survives_a_trip_through_json_text():
    cart = x.cart_from_json(json.loads(json.dumps(CART)))
    assert cart == Cart(
        "CNY",
        (
            Line("tea", "longjing", 40_000, 1, category="tea"),
            Line("cup", "celadon", 25_000, 1, tags={"new"}, shop="s1"),
        ),
        800,
    )
    assert x.cart_from_json(json.loads(json.dumps(x.cart_to_json(cart)))) == cart


def test_prices_may_be_decimal_text_in_major_units_at_the_currencys_precision():
    data = {
        "currency": "CNY",
        "lines": [{"key": "a", "product": "p", "price": "128.5", "quantity": 2}],
        "shipping": "8",
    }
    cart = x.cart_from_json(data)
    assert (cart.lines[0].unit_minor, cart.shipping_minor) == (12_850, 800)
    huge = _changed(data, "lines.0.price", "1234567890123456789012345678901.25")
    assert x.cart_from_json(huge).lines[0].unit_minor == 123456789012345678901234567890125  # exact
    yen = {"currency": "JPY", "lines": [{"key": "a", "product": "p", "price": "1280", "quantity": 1}]}
    assert x.cart_from_json(yen).lines[0].unit_minor == 1280
    assert _problems(x.cart_from_json, _changed(yen, "lines.0.price", "12.5")) == [("lines.0.price", "too_precise")]


@pytest.mark.parametrize(
    "path, value, field, code",
    [
        ("lines.1.quantity", 1.5, "lines.1.quantity", "not_whole"),
        ("lines.1.quantity", 2.0, "lines.1.quantity", "not_whole"),
        ("lines.1.quantity", -1, "lines.1.quantity", "not_positive"),
        ("lines.1.quantity", 0, "lines.1.quantity", "not_positive"),
        ("lines.1.quantity", True, "lines.1.quantity", "not_whole"),
        ("lines.1.quantity", "2", "lines.1.quantity", "not_whole"),
        ("lines.1.quantity", ..., "lines.1.quantity", "required"),
        ("lines.0.unit_minor", -1, "lines.0.unit_minor", "negative"),
        ("lines.0.unit_minor", False, "lines.0.unit_minor", "not_whole"),
        ("lines.0.unit_minor", 99.5, "lines.0.unit_minor", "not_whole"),
        ("lines.0.unit_minor", ..., "lines.0.unit_minor", "required"),
        ("lines.0.price", "1.00", "lines.0.price", "both_given"),
        ("lines.0.key", "cup", "lines.1.key", "duplicate"),
        ("lines.0.key", "", "lines.0.key", "required"),
        ("lines.0.product", ..., "lines.0.product", "required"),
        ("lines.0.key", ["tea"], "lines.0.key", "not_text"),
        ("lines.0.product", 7, "lines.0.product", "not_text"),
        ("lines.0.tags", "vip", "lines.0.tags", "not_a_list"),
        ("lines.0.tags", ["ok", 7], "lines.0.tags.1", "not_text"),
        ("lines.0.category", 3, "lines.0.category", "not_text"),
        ("lines.0.qty", 1, "lines.0.qty", "unknown_field"),
        ("lines.0", "tea", "lines.0", "not_an_object"),
        ("lines", {}, "lines", "not_a_list"),
        ("lines", [], "lines", "required"),
        ("currency", "XYZ", "currency", "unknown_currency"),
        ("currency", "cny", "currency", "unknown_currency"),
        ("currency", ..., "currency", "required"),
        ("shipping_minor", -5, "shipping_minor", "negative"),
        ("shipping_minor", True, "shipping_minor", "not_whole"),
        ("coupon", "X", "coupon", "unknown_field"),
    ],
)
def test_a_bad_cart_is_named_at_its_field(path, value, field, code):
    assert _problems(x.cart_from_json, _changed(CART, path, value)) == [(field, code)]


@pytest.mark.parametrize(
    "price, code",
    [
        ("1.005", "too_precise"),
        ("-1", "negative"),
        ("1e3", "not_a_number"),
        (" 12", "not_a_number"),
        ("١٢", "not_a_number"),
        (12.5, "not_text"),
    ],
)
def test_a_bad_price_text_is_named(price, code):
    data = _changed(_changed(CART, "lines.0.unit_minor", ...), "lines.0.price", price)
    assert _problems(x.cart_from_json, data) == [("lines.0.price", code)]


def test_every_problem_of_a_cart_is_reported_at_once():
    data = _changed(_changed(CART, "currency", "XYZ"), "lines.1.quantity", 0.5)
    data["lines"].append("not a line")
    assert _problems(x.cart_from_json, data) == [
        ("lines.2", "not_an_object"),
        ("currency", "unknown_currency"),
        ("lines.1.quantity", "not_whole"),
    ]
    assert _problems(x.cart_from_json, []) == [("", "not_an_object")]


# --- contexts -------------------------------------------------------------------------------------


def test_a_context_reads_the_moment_the_customer_and_the_channel():
    ctx = x.context_from_json(
        {
            "at": "2027-11-11T10:00:00+08:00",
            "customer": {"id": "c-1", "segments": ["vip"], "first_order": True, "points": 500},
            "channel": "app",
        }
    )
    assert ctx.at == AT and ctx.channel == "app"
    assert ctx.shopper == Shopper("c-1", {"vip"}, True, 500)
    assert x.context_from_json({}, now=AT).at == AT  # the caller's "now" when the file gives none


@pytest.mark.parametrize(
    "data, field, code",
    [
        ({}, "at", "required"),
        ({"at": "2027-11-11T10:00:00"}, "at", "naive"),
        ({"at": "tomorrow"}, "at", "not_a_time"),
        ({"at": 1700000000}, "at", "not_a_time"),
        ({"at": "2027-11-11T10:00Z", "customer": {"points": -1}}, "customer.points", "negative"),
        ({"at": "2027-11-11T10:00Z", "customer": {"points": True}}, "customer.points", "not_whole"),
        ({"at": "2027-11-11T10:00Z", "customer": {"first_order": "yes"}}, "customer.first_order", "not_bool"),
        ({"at": "2027-11-11T10:00Z", "customer": {"segments": "vip"}}, "customer.segments", "not_a_list"),
        ({"at": "2027-11-11T10:00Z", "customer": {"name": "x"}}, "customer.name", "unknown_field"),
        ({"at": "2027-11-11T10:00Z", "customer": "c-1"}, "customer", "not_an_object"),
        ({"at": "2027-11-11T10:00Z", "channel": 3}, "channel", "not_text"),
        ({"at": "2027-11-11T10:00Z", "when": "now"}, "when", "unknown_field"),
    ],
)
def test_a_bad_context_is_named_at_its_field(data, field, code):
    assert _problems(x.context_from_json, data) == [(field, code)]


# --- quotes ---------------------------------------------------------------------------------------


def test_a_quote_gives_every_amount_in_minor_units_and_as_decimal_text():
    q = quote(x.cart_from_json(CART), [EVERY_300, COUPON_90], x.context_from_json({}, now=AT))
    out = json.loads(json.dumps(x.quote_to_json(q), ensure_ascii=False))
    assert (out["format"], out["currency"], out["exponent"]) == ("festa.quote", "CNY", 2)
    # ¥650: two steps of ¥300 take ¥100, then 10% of ¥550 is ¥55; shipping ¥8 stays
    assert (out["discount_minor"], out["discount"], out["total_minor"], out["total"]) == (
        15_500,
        "155.00",
        50_300,
        "503.00",
    )
    assert (out["shipping"], out["shipping_discount"], out["due"]) == ("8.00", "0.00", "503.00")
    assert sum(line["discount_minor"] for line in out["lines"]) == out["discount_minor"]
    for line in out["lines"]:
        assert sum(d["amount_minor"] for d in line["discounts"]) == line["discount_minor"]
        assert line["total_minor"] == line["original_minor"] - line["discount_minor"]
        assert Decimal(line["total"]) * 100 == line["total_minor"]
    assert [(a["offer"], a["amount"]) for a in out["applied"]] == [("every-300-50", "100.00"), ("coupon-90", "55.00")]
    for a in out["applied"]:
        assert sum(part["amount_minor"] for part in a["lines"]) == a["amount_minor"]
    assert {s["stage"]: s["amount_minor"] for s in out["stage_discounts"]}["shop"] == 10_000
    assert [(h["offer"], h["missing"], h["discount"]) for h in out["hints"]] == [("every-300-50", "250.00", "150.00")]


def test_a_rejected_offer_says_why_with_its_parameters():
    evening = r.Window.local(datetime(2027, 11, 11, 20), datetime(2027, 11, 11, 23, 59, 59), "Asia/Shanghai")
    late = r.Offer("late", "晚场", "CNY", r.Stage.SHOP, r.AmountOff(1_000), window=evening)
    q = quote(x.cart_from_json(CART), [late], x.context_from_json({}, now=AT))
    (rejected,) = x.quote_to_json(q)["rejected"]
    assert rejected == {
        "offer": "late",
        "name": "晚场",
        "stage": "shop",
        "reason": "not_in_window",
        "params": {
            "starts_at": "2027-11-11T20:00:00+08:00",
            "ends_at": "2027-11-11T23:59:59+08:00",
            "timezone": "Asia/Shanghai",
        },
    }


def test_a_currency_without_minor_units_prints_whole_amounts():
    yen = {"currency": "JPY", "lines": [{"key": "a", "product": "p", "unit_minor": 1280, "quantity": 2}]}
    out = x.quote_to_json(quote(x.cart_from_json(yen), [], x.context_from_json({}, now=AT)))
    assert (out["exponent"], out["total_minor"], out["total"], out["lines"][0]["unit"]) == (0, 2560, "2560", "1280")


# --- rule sets ------------------------------------------------------------------------------------

KINDS = [
    (r.Stage.ITEM, r.PercentOff(Decimal("12.5"))),
    (r.Stage.ITEM, r.AmountOff(500, per_unit=True)),
    (r.Stage.ITEM, r.FixedPrice(9_900)),
    (r.Stage.SHOP, r.Tiers((r.Tier(30_000, 5_000), r.Tier(50_000, 10_000)))),
    (r.Stage.SHOP, r.EveryStep(30_000, 5_000, cap_minor=15_000)),
    (r.Stage.SHOP, r.BuyGet(2, 1, max_free=3)),
    (r.Stage.PLATFORM, r.Gift("tote-bag", 3_900)),
    (r.Stage.SHIPPING, r.FreeShipping(max_minor=1_000)),
    (r.Stage.SETTLEMENT, r.Deposit(10_000, 15_000)),
    (r.Stage.SETTLEMENT, r.Points(1_000, 1_000, Decimal("20"))),
]


def test_every_kind_of_rule_survives_a_trip_through_json_text():
    offers = [
        r.Offer(
            f"o{i}",
            f"offer {i}",
            "CNY",
            stage,
            benefit,
            scope=r.Scope(categories={"tea"}, exclude={"gift-card"}),
            eligibility=r.Eligibility(segments={"vip"}, channels={"app"}, first_order_only=True),
            window=r.Window.local(datetime(2027, 11, 11), datetime(2027, 11, 11, 23, 59, 59), "Asia/Shanghai"),
            priority=i,
            limits=r.Limits(uses=100, uses_per_customer=1),
            budget_minor=1_000_000,
        )
        for i, (stage, benefit) in enumerate(KINDS)
    ]
    data = x.rules_to_json(offers)
    assert (data["format"], data["version"]) == ("festa.rules", 1)
    assert x.rules_from_json(json.loads(json.dumps(data, ensure_ascii=False))) == offers
    assert x.rules_from_json({"format": "festa.rules", "version": 1, "offers": []}) == []


def _rules(**changes):
    """The worked example as a document, one member of its first offer changed (path=value, ... removes)."""
    data = x.rules_to_json([EVERY_300, COUPON_90])
    for path, value in changes.items():
        data = _changed(data, f"offers.0.{path.replace('__', '.')}", value)
    return data


WINDOW = {"starts_at": "2027-11-11T00:00:00+08:00", "ends_at": "2027-11-11T23:59:59+08:00", "timezone": "Asia/Shanghai"}


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"benefit__kind": "half_off"}, "offers.0.benefit.kind", "unknown_kind"),
        ({"benefit__kind": ...}, "offers.0.benefit.kind", "required"),
        ({"benefit__step_minor": ...}, "offers.0.benefit.step_minor", "required"),
        ({"benefit__percent": 5}, "offers.0.benefit.percent", "unknown_field"),
        ({"benefit__cap_minor": 4_000}, "offers.0.benefit.cap_minor", "below_one_step"),
        ({"benefit__off_minor": 1.5}, "offers.0.benefit.off_minor", "not_whole"),
        ({"benefit": "every 300"}, "offers.0.benefit", "not_an_object"),
        (
            {"benefit": {"kind": "amount_off", "amount_minor": 100, "per_unit": "yes"}},
            "offers.0.benefit.per_unit",
            "not_bool",
        ),
        ({"stage": "middle"}, "offers.0.stage", "unknown_choice"),
        ({"stage": "shipping"}, "offers.0.benefit", "kind_not_in_stage"),
        ({"window": {**WINDOW, "ends_at": "2027-11-10T23:59:59+08:00"}}, "offers.0.window.ends_at", "end_before_start"),
        ({"window": {**WINDOW, "starts_at": "2027-11-11T00:00:00"}}, "offers.0.window.starts_at", "naive"),
        ({"window": {**WINDOW, "ends_at": "soon"}}, "offers.0.window.ends_at", "not_a_time"),
        ({"window": {**WINDOW, "timezone": "Mars/Base"}}, "offers.0.window.timezone", "unknown_timezone"),
        (
            {"window": {"starts_at": WINDOW["starts_at"], "ends_at": WINDOW["ends_at"]}},
            "offers.0.window.timezone",
            "required",
        ),
        ({"scope__products": "tea"}, "offers.0.scope.products", "not_a_list"),
        ({"scope__brands": ["x"]}, "offers.0.scope.brands", "unknown_field"),
        ({"eligibility__first_order_only": "yes"}, "offers.0.eligibility.first_order_only", "not_bool"),
        ({"exclusive": 1}, "offers.0.exclusive", "not_bool"),
        ({"combines_with": "coupon-90"}, "offers.0.combines_with", "not_a_list"),
        ({"combines_with": ["every-300-50"]}, "offers.0.combines_with", "names_itself"),
        ({"limits": {"usez": 1}}, "offers.0.limits.usez", "unknown_field"),
        ({"limits": {"uses": -1}}, "offers.0.limits.uses", "negative"),
        ({"min_spend_minor": True}, "offers.0.min_spend_minor", "not_whole"),
        ({"budget_minor": "100"}, "offers.0.budget_minor", "not_whole"),
        ({"basis": "sideways"}, "offers.0.basis", "unknown_choice"),
        ({"rounding": "up"}, "offers.0.rounding", "unknown_choice"),
        ({"currency": "XYZ"}, "offers.0.currency", "unknown_currency"),
        ({"key": ...}, "offers.0.key", "required"),
        ({"key": 5}, "offers.0.key", "not_text"),
        ({"name": " "}, "offers.0.name", "required"),
        ({"colour": "red"}, "offers.0.colour", "unknown_field"),
    ],
)
def test_a_bad_rule_is_named_at_its_field(changes, field, code):
    assert _problems(x.rules_from_json, _rules(**changes)) == [(field, code)]


def test_bad_percent_text_and_tiers_are_named():
    data = _rules()
    data["offers"][1]["benefit"]["percent"] = "ten"
    tiers = [{"threshold_minor": 50_000, "off_minor": 9_000}, {"threshold_minor": 30_000, "off_minor": 5_000}]
    data["offers"][0]["benefit"] = {"kind": "tiers", "tiers": tiers}
    assert _problems(x.rules_from_json, data) == [
        ("offers.0.benefit.tiers.1.threshold_minor", "not_ascending"),
        ("offers.1.benefit.percent", "not_a_number"),
    ]
    data["offers"][0]["benefit"]["tiers"] = [{"threshold_minor": 1, "off": 1}]
    assert ("offers.0.benefit.tiers.0.off", "unknown_field") in _problems(x.rules_from_json, data)


def test_the_set_is_checked_duplicate_keys_and_exclusive_offers_that_would_meet():
    assert _problems(x.rules_from_json, _rules(key="coupon-90")) == [
        ("offers.0.key", "duplicate"),
        ("offers.1.key", "duplicate"),
    ]
    data = _rules(exclusive=True, stage="platform", benefit={"kind": "amount_off", "amount_minor": 100})
    data["offers"][1]["exclusive"] = True
    assert _problems(x.rules_from_json, data) == [("offers.1", "exclusive_overlap")]


@pytest.mark.parametrize(
    "data, field, code",
    [
        ([], "", "not_an_object"),
        ({"format": "festa.rules", "version": 1}, "offers", "required"),
        ({"format": "festa.cart", "version": 1, "offers": []}, "format", "unknown_format"),
        ({"format": "festa.rules", "version": 2, "offers": []}, "version", "unsupported_version"),
        ({"format": "festa.rules", "version": True, "offers": []}, "version", "unsupported_version"),
        ({"format": "festa.rules", "version": 1, "offers": {}}, "offers", "not_a_list"),
        ({"format": "festa.rules", "version": 1, "offers": [7]}, "offers.0", "not_an_object"),
        ({"currency": "CNY", "lines": []}, "format", "required"),  # a cart is no rules file
    ],
)
def test_a_bad_rules_document_is_named(data, field, code):
    assert _problems(x.rules_from_json, data) == [(field, code)]

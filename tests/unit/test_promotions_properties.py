"""Invariants over generated carts and offers (hypothesis): nothing is ever negative, line discounts
add up to each offer's amount and to the order's discount, budgets hold, and the quote does not
depend on the order in which offers or lines are listed."""

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.promotions.book import OfferBook
from campaigns.promotions.cart import Cart, Context, Line, Shopper, Usage
from campaigns.promotions.money import Rounding, TieBreak
from campaigns.promotions.quote import quote
from campaigns.promotions.rules import (
    AmountOff,
    Basis,
    BudgetMode,
    BuyGet,
    Deposit,
    Eligibility,
    EveryStep,
    FixedPrice,
    FreeShipping,
    Gift,
    Limits,
    Offer,
    PercentOff,
    Points,
    Scope,
    Stacking,
    Stage,
    Tier,
    Tiers,
)

PROPERTY = settings(database=None, deadline=None, max_examples=100)  # no .hypothesis folder in the tree
AT = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)
PRODUCTS, CATEGORIES, TAGS, SHOPS = ["p0", "p1", "p2", "p3"], ["c0", "c1"], ["t0", "t1", "t2"], ["s0", "s1"]
keys = st.text("abcdefgh", min_size=1, max_size=3)
money = st.integers(0, 40_000)


@st.composite
def tiers(draw) -> Tiers:
    thresholds = sorted(draw(st.sets(st.integers(100, 60_000), min_size=1, max_size=3)))
    offs = sorted(draw(st.sets(st.integers(1, 100), min_size=len(thresholds), max_size=len(thresholds))))
    return Tiers(tuple(Tier(t, max(1, t * o // 100)) for t, o in zip(thresholds, offs, strict=True)))


@st.composite
def every(draw) -> EveryStep:
    step = draw(st.integers(100, 30_000))
    off = draw(st.integers(1, step))
    return EveryStep(step, off, draw(st.none() | st.integers(off, 5 * off)))


@st.composite
def deposit(draw) -> Deposit:
    d = draw(st.integers(1, 5_000))
    return Deposit(d, d + draw(st.integers(0, 5_000)))


MERCHANDISE = st.one_of(
    st.integers(1, 1000).map(lambda p: PercentOff(Decimal(p) / 10)),
    st.builds(AmountOff, st.integers(1, 30_000), st.booleans()),
    st.builds(FixedPrice, money),
    tiers(),
    every(),
    st.builds(BuyGet, st.integers(1, 3), st.integers(1, 2), st.none() | st.integers(1, 3)),
    st.builds(Gift, st.just("tote"), st.integers(0, 3_000)),
)
BENEFITS = {
    Stage.ITEM: MERCHANDISE,
    Stage.SHOP: MERCHANDISE,
    Stage.PLATFORM: MERCHANDISE,
    Stage.SHIPPING: st.builds(FreeShipping, st.none() | st.integers(1, 2_000)),
    Stage.SETTLEMENT: st.one_of(
        deposit(), st.builds(Points, st.integers(1, 200), st.integers(1, 200), st.integers(1, 100))
    ),
}
PICK = st.sets(st.sampled_from(PRODUCTS), min_size=1, max_size=2)
SCOPES = st.one_of(
    st.just(Scope()),
    st.builds(Scope, products=PICK),
    st.builds(Scope, categories=st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=1)),
    st.builds(Scope, tags=st.sets(st.sampled_from(TAGS), min_size=1, max_size=2), exclude=PICK),
    st.builds(Scope, shops=st.sets(st.sampled_from(SHOPS), min_size=1, max_size=1)),
)
ELIGIBILITY = st.sampled_from([Eligibility()] * 3 + [Eligibility(segments={"vip"})])
LIMITS = st.sampled_from([Limits()] * 3 + [Limits(units_per_order=4)])


@st.composite
def offer_sets(draw) -> list[Offer]:
    names = draw(st.lists(keys, max_size=8, unique=True))
    out = []
    for key in names:
        stage = draw(st.sampled_from(list(Stage)))
        out.append(
            Offer(
                key=key,
                name=key.upper(),
                currency="CNY",
                stage=stage,
                benefit=draw(BENEFITS[stage]),
                scope=draw(SCOPES),
                eligibility=draw(ELIGIBILITY),
                min_spend_minor=draw(st.just(0) | st.integers(0, 60_000)),
                min_quantity=draw(st.integers(0, 3)),
                basis=draw(st.sampled_from(list(Basis))),
                rounding=draw(st.sampled_from(list(Rounding))),
                ties=draw(st.sampled_from(list(TieBreak))),
                priority=draw(st.integers(0, 3)),
                exclusive=draw(st.booleans()),
                combines_with=draw(st.sets(st.sampled_from(names))) - {key},
                limits=draw(LIMITS),
                budget_minor=draw(st.none() | st.integers(0, 50_000)),
                budget_mode=draw(st.sampled_from(list(BudgetMode))),
            )
        )
    return out


@st.composite
def carts(draw) -> Cart:
    names = draw(st.lists(keys, min_size=1, max_size=8, unique=True))
    lines = tuple(
        Line(
            k,
            draw(st.sampled_from(PRODUCTS)),
            draw(money),
            draw(st.integers(1, 5)),
            category=draw(st.sampled_from(CATEGORIES)),
            tags=draw(st.sets(st.sampled_from(TAGS), max_size=2)),
            shop=draw(st.sampled_from(SHOPS)),
        )
        for k in names
    )
    return Cart("CNY", lines, draw(st.integers(0, 2_000)))


@st.composite
def scenarios(draw):
    offers, cart = draw(offer_sets()), draw(carts())
    stacking = {s: draw(st.sampled_from(list(Stacking))) for s in Stage}
    usage = {o.key: Usage(spent_minor=draw(st.integers(0, 10_000))) for o in offers if draw(st.booleans())}
    shopper = Shopper("c1", draw(st.sets(st.just("vip"))), draw(st.booleans()), draw(st.integers(0, 5_000)))
    return offers, cart, stacking, Context(at=AT, shopper=shopper, usage=usage)


@PROPERTY
@given(scenarios())
def test_nothing_is_ever_negative(scenario):
    offers, cart, stacking, ctx = scenario
    q = quote(cart, OfferBook(offers, stacking), ctx)
    for line in q.lines:
        assert 0 <= line.total_minor <= line.original_minor
        assert line.discount_minor == line.original_minor - line.total_minor
    assert q.subtotal_minor >= 0 and q.total_minor >= 0 and q.due_minor >= 0
    assert 0 <= q.shipping_discount_minor <= q.shipping_minor
    assert q.total_minor == q.subtotal_minor + q.shipping_minor - q.shipping_discount_minor
    assert all(a.amount_minor >= 0 and a.cost_minor >= 0 for a in q.applied)


@PROPERTY
@given(scenarios())
def test_line_discounts_add_up_to_each_offer_and_to_the_order(scenario):
    offers, cart, stacking, ctx = scenario
    q = quote(cart, OfferBook(offers, stacking), ctx)
    merchandise = [a for a in q.applied if a.stage != Stage.SHIPPING]
    for a in merchandise:
        assert sum(share for _, share in a.lines) == a.amount_minor
    assert sum(a.amount_minor for a in merchandise) == q.discount_minor == sum(x.discount_minor for x in q.lines)
    per_line = {}
    for a in merchandise:
        for key, share in a.lines:
            per_line[key] = per_line.get(key, 0) + share
    assert per_line == {x.key: x.discount_minor for x in q.lines if x.discount_minor}
    assert sum(a.amount_minor for a in q.applied if a.stage == Stage.SHIPPING) == q.shipping_discount_minor


@PROPERTY
@given(scenarios())
def test_every_offer_is_explained_once_and_budgets_hold(scenario):
    offers, cart, stacking, ctx = scenario
    q = quote(cart, OfferBook(offers, stacking), ctx)
    explained = [a.offer for a in q.applied] + [r.offer for r in q.rejected]
    assert sorted(explained) == sorted(o.key for o in offers)
    by_key = {o.key: o for o in offers}
    for a in q.applied:
        o = by_key[a.offer]
        if o.budget_minor is not None:
            spent = ctx.usage[o.key].spent_minor if o.key in ctx.usage else 0
            assert spent + a.cost_minor <= o.budget_minor


@PROPERTY
@given(scenarios(), st.randoms(use_true_random=False))
def test_quote_does_not_depend_on_the_order_of_offers_or_lines(scenario, rnd):
    offers, cart, stacking, ctx = scenario
    shuffled_offers = offers[:]
    rnd.shuffle(shuffled_offers)
    lines = list(cart.lines)
    rnd.shuffle(lines)
    shuffled_cart = Cart(cart.currency, tuple(lines), cart.shipping_minor)
    assert quote(shuffled_cart, OfferBook(shuffled_offers, stacking), ctx) == quote(
        cart, OfferBook(offers, stacking), ctx
    )

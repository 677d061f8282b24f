from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.services import coupons, offers
from app.services.auth import Actor
from campaigns.promotions import rules as r
from campaigns.promotions.cart import Cart, Context, Line
from data.models import Workspace

SYSTEM = Actor.system()
SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2027, 11, 11, 10, 0, tzinfo=SH)
EVERY_300 = r.Offer("shop-300-50", "每满300减50", "CNY", r.Stage.SHOP, r.EveryStep(30_000, 5_000, cap_minor=15_000))


@pytest.fixture
def shop(container):
    """A workspace of its own, with no offers yet."""
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="s", name="s", timezone="Asia/Shanghai", currency="CNY", created_at=AT, salt="00" * 32)
        )
    return container


def _cart(*prices):
    return Cart("CNY", tuple(Line(f"l{i}", f"p{i}", p, 1) for i, p in enumerate(prices)))


def test_a_stored_offer_prices_a_cart_and_explains_itself(shop):
    offers.save(shop, SYSTEM, EVERY_300)
    offers.save(
        shop,
        SYSTEM,
        r.Offer(
            "vip-10", "VIP 9折", "CNY", r.Stage.ITEM, r.PercentOff(10), eligibility=r.Eligibility(segments={"vip"})
        ),
    )
    q = offers.quote_cart(shop, SYSTEM, _cart(40_000, 25_000), Context(AT))
    assert q.total_minor == 65_000 - 10_000  # two steps of ¥300: ¥100 off
    assert [(a.offer, a.amount_minor) for a in q.applied] == [("shop-300-50", 10_000)]
    assert [(x.offer, x.code) for x in q.rejected] == [("vip-10", "not_eligible_segment")]
    assert [(h.offer, h.missing_minor, h.discount_minor) for h in q.hints] == [("shop-300-50", 25_000, 15_000)]


def test_saving_again_replaces_and_a_bad_offer_stores_nothing(shop):
    offers.save(shop, SYSTEM, EVERY_300)
    offers.save(shop, SYSTEM, r.Offer(EVERY_300.key, "改", "CNY", r.Stage.SHOP, r.PercentOff(5)))
    (stored,) = offers.offers(shop, SYSTEM)
    assert stored.offer.name == "改" and stored.offer.kind == "percent_off"
    with pytest.raises(offers.OfferRejected) as err:
        offers.save(shop, SYSTEM, r.Offer("too-much", "x", "CNY", r.Stage.SHOP, r.PercentOff(120)))
    assert [(p.field, p.code) for p in err.value.problems] == [("benefit.percent", "over_100")]
    assert [s.offer.key for s in offers.offers(shop, SYSTEM)] == [EVERY_300.key]


def test_two_exclusive_offers_that_would_meet_are_refused_at_the_second(shop):
    a = r.Offer("a", "独享A", "CNY", r.Stage.SHOP, r.AmountOff(1_000), exclusive=True)
    offers.save(shop, SYSTEM, a)
    with pytest.raises(offers.OfferRejected) as err:
        offers.save(shop, SYSTEM, r.Offer("b", "独享B", "CNY", r.Stage.SHOP, r.AmountOff(2_000), exclusive=True))
    assert [(p.field, p.code, p.params) for p in err.value.problems] == [
        ("key", "exclusive_overlap", {"other": "独享A"})
    ]
    offers.save(
        shop, SYSTEM, r.Offer("b", "独享B", "CNY", r.Stage.SHOP, r.AmountOff(2_000), exclusive=True), active=False
    )
    offers.set_active(shop, SYSTEM, "a", False)  # paused offers do not price carts
    assert offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT)).total_minor == 10_000


def test_coupon_uses_count_against_the_offers_limit(shop):
    offers.save(shop, SYSTEM, r.Offer("once", "限1次", "CNY", r.Stage.SHOP, r.AmountOff(500), limits=r.Limits(uses=1)))
    made = coupons.create_batch(shop, SYSTEM, "once", "限1次", 1, "single_use")
    assert offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT)).total_minor == 9_500
    with shop.uow() as uow:
        code = next(iter(uow.coupons.codes_of(made.id)))[0]
    coupons.redeem(shop, SYSTEM, code, "order-1")
    q = offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT))
    assert q.total_minor == 10_000 and [x.code for x in q.rejected] == ["limit_reached"]


def test_a_customers_own_uses_and_units_count_against_per_customer_limits(shop):
    from app.services import flash_sales
    from campaigns.promotions.cart import Shopper

    offers.save(
        shop,
        SYSTEM,
        r.Offer("vip-once", "每人1次", "CNY", r.Stage.SHOP, r.AmountOff(500), limits=r.Limits(uses_per_customer=1)),
    )
    offers.save(
        shop,
        SYSTEM,
        r.Offer(
            "seckill", "秒杀", "CNY", r.Stage.ITEM, r.FixedPrice(1_000), scope=r.Scope(products={"p0"}),
            limits=r.Limits(units_per_customer=2),
        ),
    )  # fmt: skip
    made = coupons.create_batch(shop, SYSTEM, "vip-once", "每人1次", 1, "multi_use", max_uses=10)
    with shop.uow() as uow:
        code = next(iter(uow.coupons.codes_of(made.id)))[0]
    coupons.redeem(shop, SYSTEM, code, "order-1", "Ann@Example.com")
    flash_sales.set_stock(shop, SYSTEM, "seckill", 100, per_user_limit=2)
    flash_sales.reserve(shop, SYSTEM, "seckill", "order-2", "ann@example.com", 2)

    ann = offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT, Shopper("ann@example.com")))
    assert {(x.offer, x.code) for x in ann.rejected} == {
        ("vip-once", "customer_limit_reached"),
        ("seckill", "customer_units_limit_reached"),
    }
    bob = offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT, Shopper("bob@example.com")))
    assert {x.offer for x in bob.applied} == {"vip-once", "seckill"}
    coupons.release(shop, SYSTEM, code, "order-1")  # a cancelled order gives the use back
    again = offers.quote_cart(shop, SYSTEM, _cart(10_000), Context(AT, Shopper("ann@example.com")))
    assert "vip-once" in {x.offer for x in again.applied}

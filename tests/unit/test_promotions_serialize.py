import json
from datetime import datetime
from decimal import Decimal

import pytest

from campaigns.promotions import rules as r
from campaigns.promotions.serialize import from_json, to_json

BENEFITS = [
    r.PercentOff(Decimal("12.5")),
    r.AmountOff(5_000, per_unit=True),
    r.FixedPrice(9_900),
    r.Tiers((r.Tier(30_000, 5_000), r.Tier(50_000, 10_000))),
    r.EveryStep(30_000, 5_000, cap_minor=15_000),
    r.BuyGet(2, 1, max_free=3),
    r.Gift("tote-bag", 3_900),
    r.Deposit(10_000, 15_000),
    r.Points(1_000, 1_000, Decimal("20")),
]
STAGE = {r.FreeShipping: r.Stage.SHIPPING, r.Deposit: r.Stage.SETTLEMENT, r.Points: r.Stage.SETTLEMENT}


@pytest.mark.parametrize("benefit", [*BENEFITS, r.FreeShipping(max_minor=1_000)], ids=lambda b: r.kind_of(b))
def test_every_kind_survives_a_trip_through_json_text(benefit):
    offer = r.Offer(
        key="d11-shop-300-50",
        name="双11 满300减50",
        currency="CNY",
        stage=STAGE.get(type(benefit), r.Stage.SHOP),
        benefit=benefit,
        scope=r.Scope(categories={"shoes", "bags"}, exclude={"gift-card"}),
        eligibility=r.Eligibility(segments={"vip"}, channels={"douyin"}, first_order_only=True),
        window=r.Window.local(datetime(2027, 11, 11), datetime(2027, 11, 11, 23, 59, 59), "Asia/Shanghai"),
        min_spend_minor=100,
        basis=r.Basis.ORIGINAL,
        priority=7,
        exclusive=True,
        combines_with={"platform-red-packet"},
        limits=r.Limits(uses=100, uses_per_customer=1, stock=50),
        budget_minor=1_000_000,
        budget_mode=r.BudgetMode.PARTIAL_FILL,
    )
    text = json.dumps(to_json(offer), ensure_ascii=False)
    assert from_json(json.loads(text)) == offer


def test_an_unknown_kind_is_refused():
    data = to_json(r.Offer("k", "n", "CNY", r.Stage.SHOP, r.FixedPrice(1)))
    data["benefit"]["kind"] = "magic"
    with pytest.raises(ValueError):
        from_json(data)

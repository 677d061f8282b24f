"""The cost estimate on stored offers: history from a past campaign, the estimate committed to the budget."""

from datetime import timedelta
from decimal import Decimal

import pytest

from app.services import budgets, planning, promotion_estimate
from app.services.auth import Actor
from campaigns.promotions.cart import Cart, Line
from campaigns.promotions.estimate import Assumptions, Basket, EstimateRejected

SYSTEM = Actor.system()


def _camps(c):
    rows = planning.campaigns(c, SYSTEM)
    running = next(k for k in rows if k.status == "running")
    past = next(k for k in rows if k.status == "finished")
    return running, past


def _assume(k, orders=1000, price=32_000, currency="CNY"):
    at = k.plan.phases[2].starts_at + timedelta(hours=10)  # the peak day
    return Assumptions(orders, (Basket("avg", Decimal(100), Cart(currency, (Line("l", "p", price, 1),), 800)),),
                       Decimal(40), at)  # fmt: skip


def test_a_past_campaign_gives_orders_and_average_order(demo):
    running, past = _camps(demo)
    h = promotion_estimate.history(demo, SYSTEM, past.id)
    assert h is not None and h.orders > 0 and h.currency == "CNY"
    assert h.average_order_minor > 0


def test_the_campaigns_offers_are_estimated_and_committed_once(demo):
    running, _ = _camps(demo)
    a = _assume(running)
    e = promotion_estimate.run(demo, SYSTEM, running.id, a)
    # the demo's 每满300减50 (¥50 per ¥320 basket) and free shipping over ¥99 (¥8) apply to every order
    assert {o.offer: o.cost_minor for o in e.offers} == {
        "shop-every-300-50": 1000 * 5000,
        "free-shipping-99": 1000 * 800,
    }
    before = budgets.view(demo, SYSTEM, running.id).total.committed
    assert promotion_estimate.commit(demo, SYSTEM, running.id, a) == e.cost_minor
    assert promotion_estimate.commit(demo, SYSTEM, running.id, a) == e.cost_minor  # replaces, never adds
    view = budgets.view(demo, SYSTEM, running.id)
    assert view.total.committed == before + e.cost_minor
    (mine,) = [x for x in view.commitments if x.source == "promotion"]
    assert mine.channel == "promotion" and mine.amount_minor == e.cost_minor
    peak = running.plan.phases[2]
    assert peak.starts_at.date() <= mine.day <= peak.ends_at.date()


def test_an_estimate_in_another_currency_commits_nothing(demo):
    running, _ = _camps(demo)
    before = budgets.view(demo, SYSTEM, running.id).total.committed
    with pytest.raises(EstimateRejected) as err:
        promotion_estimate.commit(demo, SYSTEM, running.id, _assume(running, currency="USD"))
    assert [(p.field, p.code) for p in err.value.problems] == [("baskets.0.currency", "currency_mismatch")]
    assert budgets.view(demo, SYSTEM, running.id).total.committed == before

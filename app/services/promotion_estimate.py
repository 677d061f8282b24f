"""A campaign's promotion cost estimate (campaigns.promotions.estimate) over its offers, the history
of a past campaign to start from, and the estimate committed to the campaign's budget."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from app.services.planning import load
from campaigns.access import Permission
from campaigns.planning import PROMOTION, Problem
from campaigns.promotions import serialize
from campaigns.promotions.estimate import Assumptions, Estimate, EstimateRejected, estimate
from campaigns.promotions.rules import Offer
from data.models import BudgetCommitment

SOURCE = "promotion"  # budget_commitment.source of the committed estimate


@dataclass(frozen=True)
class History:
    """What a finished campaign's imported metrics say: orders and the average order."""

    orders: int
    average_order_minor: int
    currency: str


def _offers(uow, workspace_id: int, campaign_id: int) -> list[Offer]:
    """The active offers a campaign's orders meet: its own and the workspace-wide ones."""
    return [serialize.from_json(r.body) for r in uow.offers.all(workspace_id, True, for_campaign=campaign_id)]


def _same_currency(k, a: Assumptions) -> None:
    wrong = [i for i, b in enumerate(a.baskets) if b.cart.currency != k.currency]
    if wrong:
        raise EstimateRejected(
            [Problem(f"baskets.{i}.currency", "currency_mismatch", {"currency": k.currency}) for i in wrong]
        )


@requires(Permission.VIEW_OVERVIEW)
def offers_for(c: Container, actor: Actor, campaign_id: int) -> list[Offer]:
    with c.uow() as uow:
        k, _ = load(uow, campaign_id)
        return _offers(uow, k.workspace_id, k.id)


@requires(Permission.VIEW_OVERVIEW)
def history(c: Container, actor: Actor, campaign_id: int) -> History | None:
    """Orders and average order of a campaign from its imported metrics; None when it has no orders."""
    with c.uow() as uow:
        k, _ = load(uow, campaign_id)
        t = uow.metrics.totals(k.id, k.currency)
    if t.conversions <= 0:
        return None
    return History(t.conversions, (t.revenue_minor + t.conversions // 2) // t.conversions, k.currency)


@requires(Permission.VIEW_OVERVIEW)
def run(c: Container, actor: Actor, campaign_id: int, a: Assumptions) -> Estimate:
    """The estimate for the campaign's active offers (raises EstimateRejected on bad assumptions)."""
    with c.uow() as uow:
        k, _ = load(uow, campaign_id)
        _same_currency(k, a)
        return estimate(a, _offers(uow, k.workspace_id, k.id))


@requires(Permission.EDIT_CAMPAIGNS)
def commit(c: Container, actor: Actor, campaign_id: int, a: Assumptions) -> int:
    """Re-run the estimate and make its cost the campaign's committed promotion money, replacing the
    previous estimate (one commitment, on the day of the estimate's moment). Returns the amount."""
    with c.uow(write=True) as uow:
        uow.campaigns.lock(campaign_id)  # two commits at once must not both add their estimate
        k, plan = load(uow, campaign_id)
        _same_currency(k, a)
        e = estimate(a, _offers(uow, k.workspace_id, k.id))
        uow.budgets.remove_commitments_from(k.id, SOURCE)
        if e.cost_minor > 0:
            uow.budgets.add_commitment(
                BudgetCommitment(
                    campaign_id=k.id,
                    channel=PROMOTION,
                    partner_id=None,
                    day=a.at.astimezone(ZoneInfo(plan.timezone)).date(),
                    amount_minor=e.cost_minor,
                    source=SOURCE,
                    note=f"{a.orders} orders, margin {a.margin_percent}%",
                    created_by=actor.email,
                    created_at=c.clock(),
                )
            )
        audit.record_in(
            uow, c, actor.who, "promotion_estimate_committed", entity=k.name, detail=str(e.cost_minor),
            source=actor.source,
        )  # fmt: skip
        return e.cost_minor

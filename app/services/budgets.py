"""A campaign's budget: planned (its lines and phases) vs committed vs actual (imported spend)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.bootstrap import Container
from app.services import audit, kol_deals
from app.services.auth import Actor, requires
from app.services.planning import PlanRejected, load
from campaigns import budget
from campaigns.access import Permission
from campaigns.planning import BUDGET_CHANNELS, KOL, Problem
from data.models import BudgetCommitment

MANUAL = "manual"  # commitments a planner enters; the KOL and Promote capabilities add their own sources


@dataclass(frozen=True)
class BudgetView:
    currency: str
    timezone: str
    lines: list[budget.BudgetRow]
    phases: list[budget.BudgetRow]
    total: budget.BudgetRow
    commitments: list[BudgetCommitment]

    @property
    def warnings(self) -> list[budget.BudgetRow]:
        """Lines, phases and the whole campaign where more is committed than planned."""
        return [r for r in [*self.lines, *self.phases, self.total] if r.over_committed]


@requires(Permission.VIEW_OVERVIEW)
def view(c: Container, actor: Actor, campaign_id: int) -> BudgetView:
    with c.uow() as uow:
        k, plan = load(uow, campaign_id)
        return view_in(uow, k, plan)


def view_in(uow, k, plan) -> BudgetView:
    """The budget view of a campaign already loaded in the caller's unit of work."""
    rows = uow.budgets.commitments(k.id)
    spent = uow.budgets.spend_by_day(k.id, k.currency)
    committed = [budget.Spend(x.channel, x.partner_id, x.day, x.amount_minor) for x in rows]
    # Imported days are the platforms' report days, taken as days in the campaign's zone.
    # A partner with a deal is paid through the deal: their payments are the actual KOL money, and spend an
    # export puts on their rows (a boost bought through the platform for their post) is not counted again.
    dealt = kol_deals.partners_paid_by_deals(uow, k)
    actual = [budget.Spend(ch, partner, day, amount) for ch, partner, day, amount in spent if partner not in dealt]
    actual += [budget.Spend(*x) for x in kol_deals.payments_as_spend(uow, k)]
    lines = budget.by_line(plan.budget_lines, committed, actual)
    phases = budget.by_phase(plan.phases, plan.timezone, committed, actual)
    whole = budget.BudgetRow(
        "total", plan.budget_minor, sum(s.amount_minor for s in committed), sum(s.amount_minor for s in actual)
    )
    return BudgetView(plan.currency, plan.timezone, lines, phases, whole, rows)


@requires(Permission.EDIT_CAMPAIGNS)
def commit(
    c: Container,
    actor: Actor,
    campaign_id: int,
    channel: str,
    partner_id: int | None,
    day: date,
    amount_minor: int,
    note: str = "",
) -> int:
    """Record money promised (a signed booking, a fee agreed) against the campaign's budget."""
    problems = []
    if channel not in BUDGET_CHANNELS:
        problems.append(Problem("channel", "unknown_channel", {"channel": channel}))
    if partner_id is not None and channel != KOL:
        problems.append(Problem("channel", "partner_needs_kol"))
    if amount_minor <= 0:
        problems.append(Problem("amount", "not_positive"))
    if len(note) > 200:
        problems.append(Problem("note", "too_long", {"max": 200}))
    if problems:
        raise PlanRejected(problems)
    with c.uow(write=True) as uow:
        k, _ = load(uow, campaign_id)
        partner = uow.partners.get(partner_id) if partner_id is not None else None
        if partner_id is not None and (partner is None or partner.workspace_id != k.workspace_id):
            raise PlanRejected([Problem("partner", "no_such_partner")])
        row = uow.budgets.add_commitment(
            BudgetCommitment(
                campaign_id=k.id,
                channel=channel,
                partner_id=partner_id,
                day=day,
                amount_minor=amount_minor,
                source=MANUAL,
                note=note.strip(),
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        audit.record_in(
            uow,
            c,
            actor.who,
            "budget_committed",
            entity=k.name,
            detail=f"{channel} {amount_minor}",
            source=actor.source,
        )
        return row.id


@requires(Permission.EDIT_CAMPAIGNS)
def uncommit(c: Container, actor: Actor, campaign_id: int, commitment_id: int) -> None:
    with c.uow(write=True) as uow:
        k, _ = load(uow, campaign_id)
        if not uow.budgets.remove_commitment(k.id, commitment_id):
            raise PlanRejected([Problem("commitment", "no_such_commitment")])
        audit.record_in(uow, c, actor.who, "budget_uncommitted", entity=k.name, source=actor.source)

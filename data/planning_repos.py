"""Queries for planning: budget lines, commitments, spend per day, saved templates."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select

from data.models import BudgetCommitment, CampaignBudget, CampaignTemplate, MetricDaily
from data.repositories import _Repo


class BudgetRepo(_Repo):
    def lines(self, campaign_ids: Iterable[int]) -> list[CampaignBudget]:
        ids = list(campaign_ids)
        if not ids:
            return []
        q = select(CampaignBudget).where(CampaignBudget.campaign_id.in_(ids)).order_by(CampaignBudget.id)
        return list(self.s.execute(q).scalars())

    def replace_lines(self, campaign_id: int, lines: list[CampaignBudget]) -> None:
        self.s.execute(delete(CampaignBudget).where(CampaignBudget.campaign_id == campaign_id))
        self.s.add_all(lines)
        self.s.flush()

    def commitments(self, campaign_id: int) -> list[BudgetCommitment]:
        q = (
            select(BudgetCommitment)
            .where(BudgetCommitment.campaign_id == campaign_id)
            .order_by(BudgetCommitment.day, BudgetCommitment.id)
        )
        return list(self.s.execute(q).scalars())

    def add_commitment(self, row: BudgetCommitment) -> BudgetCommitment:
        self.s.add(row)
        self.s.flush()
        return row

    def remove_commitment(self, campaign_id: int, commitment_id: int) -> int:
        """Only commitments a person entered: a KOL deal's fees follow the deal (``kol_deal_id`` set)."""
        q = delete(BudgetCommitment).where(
            BudgetCommitment.id == commitment_id,
            BudgetCommitment.campaign_id == campaign_id,
            BudgetCommitment.kol_deal_id.is_(None),
        )
        return self.s.execute(q).rowcount

    def remove_commitments_from(self, campaign_id: int, source: str) -> int:
        q = delete(BudgetCommitment).where(
            BudgetCommitment.campaign_id == campaign_id, BudgetCommitment.source == source
        )
        return self.s.execute(q).rowcount

    def spend_by_day(self, campaign_id: int, currency: str) -> list[tuple]:
        """(channel, partner_id, day, spend_minor) rolled up from the imported daily metrics in the
        campaign's currency (spend in another currency is not added to it)."""
        q = (
            select(MetricDaily.channel, MetricDaily.partner_id, MetricDaily.day, func.sum(MetricDaily.spend_minor))
            .where(MetricDaily.campaign_id == campaign_id, MetricDaily.currency == currency)
            .group_by(MetricDaily.channel, MetricDaily.partner_id, MetricDaily.day)
        )
        return [(c, p, d, int(v)) for c, p, d, v in self.s.execute(q).all()]


class TemplateRepo(_Repo):
    def all(self, workspace_id: int) -> list[CampaignTemplate]:
        q = (
            select(CampaignTemplate)
            .where(CampaignTemplate.workspace_id == workspace_id)
            .order_by(CampaignTemplate.name)
        )
        return list(self.s.execute(q).scalars())

    def get(self, template_id: int) -> CampaignTemplate | None:
        return self.s.get(CampaignTemplate, template_id)

    def named(self, workspace_id: int, name: str) -> CampaignTemplate | None:
        q = select(CampaignTemplate).where(CampaignTemplate.workspace_id == workspace_id, CampaignTemplate.name == name)
        return self.s.execute(q).scalars().first()

    def add(self, row: CampaignTemplate) -> CampaignTemplate:
        self.s.add(row)
        self.s.flush()
        return row

    def remove(self, template_id: int) -> None:
        self.s.execute(delete(CampaignTemplate).where(CampaignTemplate.id == template_id))

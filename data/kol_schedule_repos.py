"""Queries for KOL deliverables on the reminder surfaces (app.services.kol_schedule): the calendar reads
``DealRepo.due_between``; reminders need every unpublished deliverable of an open deal due before a moment,
however long overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from data.models import Campaign, Partner
from data.models_deals import KolDeal, KolDeliverable
from data.repositories import _Repo


class KolScheduleRepo(_Repo):
    def unpublished_due_by(
        self, workspace_id: int, until: datetime, statuses: Iterable[str], limit: int
    ) -> list[tuple]:
        """(deliverable, deal, partner name, campaign name) with no published URL, due at or before ``until``, in
        deals whose status is one of ``statuses``; by due time, at most ``limit``."""
        q = (
            select(KolDeliverable, KolDeal, Partner.name, Campaign.name)
            .join(KolDeal, KolDeal.id == KolDeliverable.deal_id)
            .join(Partner, Partner.id == KolDeal.partner_id)
            .join(Campaign, Campaign.id == KolDeal.campaign_id)
            .where(
                KolDeal.workspace_id == workspace_id,
                KolDeal.status.in_(list(statuses)),
                KolDeliverable.published_url == "",
                KolDeliverable.due_at <= until,
            )
            .order_by(KolDeliverable.due_at, KolDeliverable.id)
            .limit(limit)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

"""Queries for KOL deals: deals with their deliverables, events and payments; codes already taken."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update

from data.models import BudgetCommitment, Campaign, CouponCode, Partner
from data.models_deals import KolDeal, KolDealEvent, KolDeliverable, KolPayment
from data.repositories import _Repo


class DealRepo(_Repo):
    def get(self, workspace_id: int, deal_id: int) -> KolDeal | None:
        row = self.s.get(KolDeal, deal_id)
        return row if row is not None and row.workspace_id == workspace_id else None

    def lock(self, workspace_id: int, deal_id: int) -> KolDeal | None:
        q = select(KolDeal).where(KolDeal.id == deal_id, KolDeal.workspace_id == workspace_id).with_for_update()
        return self.s.execute(q).scalars().first()

    def of(self, campaign_id: int, partner_id: int) -> KolDeal | None:
        """The partner's live deal in the campaign (not declined or cancelled), if any."""
        q = select(KolDeal).where(
            KolDeal.campaign_id == campaign_id,
            KolDeal.partner_id == partner_id,
            KolDeal.status.not_in(("declined", "cancelled")),
        )
        return self.s.execute(q).scalars().first()

    def deals(
        self, workspace_id: int, campaign_ids: Sequence[int] | None = None, partner_ids: Sequence[int] | None = None
    ) -> list[KolDeal]:
        q = select(KolDeal).where(KolDeal.workspace_id == workspace_id)
        if campaign_ids is not None:
            q = q.where(KolDeal.campaign_id.in_(list(campaign_ids)))
        if partner_ids is not None:
            q = q.where(KolDeal.partner_id.in_(list(partner_ids)))
        return list(self.s.execute(q.order_by(KolDeal.campaign_id, KolDeal.id)).scalars())

    def deliverables(self, deal_ids: Sequence[int]) -> dict[int, list[KolDeliverable]]:
        out: dict[int, list[KolDeliverable]] = {i: [] for i in deal_ids}
        if not deal_ids:
            return out
        q = (
            select(KolDeliverable)
            .where(KolDeliverable.deal_id.in_(list(deal_ids)))
            .order_by(KolDeliverable.deal_id, KolDeliverable.position, KolDeliverable.id)
        )
        for d in self.s.execute(q).scalars():
            out[d.deal_id].append(d)
        return out

    def due_between(self, workspace_id: int, start: datetime, end: datetime) -> list[tuple]:
        """(deliverable, deal, partner name, campaign name) due in [start, end), by due time."""
        q = (
            select(KolDeliverable, KolDeal, Partner.name, Campaign.name)
            .join(KolDeal, KolDeal.id == KolDeliverable.deal_id)
            .join(Partner, Partner.id == KolDeal.partner_id)
            .join(Campaign, Campaign.id == KolDeal.campaign_id)
            .where(KolDeal.workspace_id == workspace_id, KolDeliverable.due_at >= start, KolDeliverable.due_at < end)
            .order_by(KolDeliverable.due_at, KolDeliverable.id)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def events(self, deal_id: int) -> list[KolDealEvent]:
        q = select(KolDealEvent).where(KolDealEvent.deal_id == deal_id).order_by(KolDealEvent.id)
        return list(self.s.execute(q).scalars())

    def payments(self, deal_ids: Sequence[int]) -> dict[int, list[KolPayment]]:
        out: dict[int, list[KolPayment]] = {i: [] for i in deal_ids}
        if not deal_ids:
            return out
        q = select(KolPayment).where(KolPayment.deal_id.in_(list(deal_ids))).order_by(KolPayment.id)
        for p in self.s.execute(q).scalars():
            out[p.deal_id].append(p)
        return out

    def code_taken(self, workspace_id: int, code: str, deal_id: int | None = None) -> str | None:
        """ "coupon" or "deal" when the workspace already uses ``code`` (another deal's, or any coupon code)."""
        q = select(KolDeal.id).where(KolDeal.workspace_id == workspace_id, KolDeal.tracking_code == code)
        if deal_id is not None:
            q = q.where(KolDeal.id != deal_id)
        if self.s.execute(q).first():
            return "deal"
        c = select(CouponCode.id).where(CouponCode.workspace_id == workspace_id, CouponCode.code == code)
        return "coupon" if self.s.execute(c).first() else None

    def tracking_codes(self, workspace_id: int) -> list[tuple[str, int, int]]:
        """(tracking code, partner id, campaign id) of every deal not declined or cancelled."""
        q = select(KolDeal.tracking_code, KolDeal.partner_id, KolDeal.campaign_id).where(
            KolDeal.workspace_id == workspace_id, KolDeal.status.not_in(("declined", "cancelled"))
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def replace_deliverables(self, deal_id: int, rows: Sequence[KolDeliverable]) -> None:
        self.s.execute(delete(KolDeliverable).where(KolDeliverable.deal_id == deal_id))
        self.s.add_all(rows)
        self.s.flush()

    def replace_commitments(self, deal_id: int, rows: Sequence[BudgetCommitment]) -> None:
        self.s.execute(delete(BudgetCommitment).where(BudgetCommitment.kol_deal_id == deal_id))
        self.s.add_all(rows)
        self.s.flush()

    def has_deals(self, partner_id: int) -> bool:
        return self.s.execute(select(KolDeal.id).where(KolDeal.partner_id == partner_id)).first() is not None

    def payments_in(self, campaign_id: int) -> list[tuple[KolDeal, KolPayment]]:
        q = (
            select(KolDeal, KolPayment)
            .join(KolPayment, KolPayment.deal_id == KolDeal.id)
            .where(KolDeal.campaign_id == campaign_id)
            .order_by(KolPayment.id)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def close_coupon(self, batch_id: int) -> None:
        """No more uses of the batch's codes: each code's cap becomes the uses it has had."""
        self.s.execute(update(CouponCode).where(CouponCode.batch_id == batch_id).values(max_uses=CouponCode.uses))

    def paid(self, deal_id: int) -> int:
        q = select(func.coalesce(func.sum(KolPayment.amount_minor), 0)).where(KolPayment.deal_id == deal_id)
        return int(self.s.execute(q).scalar_one())

    def add(self, obj):
        self.s.add(obj)
        self.s.flush()
        return obj

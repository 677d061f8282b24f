"""Queries for presale deposits. Paying locks the presale row (PostgreSQL ``FOR UPDATE``; SQLite
writers hold the write lock from BEGIN), so one order reference is one order however often it pays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from data.models_presale import Presale, PresaleOrder
from data.repositories import _Repo


class PresaleRepo(_Repo):
    def get(self, workspace_id: int, offer_key: str, lock: bool = False) -> Presale | None:
        q = select(Presale).where(Presale.workspace_id == workspace_id, Presale.offer_key == offer_key)
        return self.s.execute(q.with_for_update() if lock else q).scalars().first()

    def all(self, workspace_id: int) -> list[Presale]:
        q = select(Presale).where(Presale.workspace_id == workspace_id).order_by(Presale.offer_key)
        return list(self.s.execute(q).scalars())

    def order(self, presale_id: int, order_ref: str, lock: bool = False) -> PresaleOrder | None:
        q = select(PresaleOrder).where(PresaleOrder.presale_id == presale_id, PresaleOrder.order_ref == order_ref)
        return self.s.execute(q.with_for_update() if lock else q).scalars().first()

    def orders(self, presale_id: int) -> list[PresaleOrder]:
        q = (
            select(PresaleOrder)
            .where(PresaleOrder.presale_id == presale_id)
            .order_by(PresaleOrder.deposit_paid_at, PresaleOrder.id)
        )
        return list(self.s.execute(q).scalars())

    def unpaid_past_window(self, now: datetime, limit: int = 500) -> list[PresaleOrder]:
        """Orders still owing their final payment after their presale's final window, locked, oldest
        first (other workers skip them)."""
        ended = select(Presale.id).where(Presale.final_until < now)
        q = (
            select(PresaleOrder)
            .where(PresaleOrder.state == "deposit_paid", PresaleOrder.presale_id.in_(ended))
            .order_by(PresaleOrder.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.s.execute(q).scalars())

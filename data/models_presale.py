"""Presale deposits (定金膨胀): the presale of an offer with its windows, and each order's deposit,
final payment and how it ended (completed, forfeited, refunded)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.models import _money, _utc


class Presale(SQLModel, table=True):
    __tablename__ = "presale"
    __table_args__ = (UniqueConstraint("workspace_id", "offer_key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    offer_key: str = Field(max_length=64)
    deposit_minor: int = _money()  # per unit
    worth_minor: int = _money()  # per unit, at final payment
    currency: str = Field(max_length=3)
    deposit_from: datetime = _utc()
    deposit_until: datetime = _utc()  # inclusive
    final_from: datetime = _utc()
    final_until: datetime = _utc(index=True)  # inclusive
    deposit_refundable: bool = False
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class PresaleOrder(SQLModel, table=True):
    __tablename__ = "presale_order"
    __table_args__ = (
        UniqueConstraint("presale_id", "order_ref"),
        Index("ix_presale_order_state", "state", "presale_id"),
        Index("ix_presale_order_customer", "customer_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    presale_id: int = Field(foreign_key="presale.id", ondelete="CASCADE")
    order_ref: str = Field(max_length=64)
    customer_hash: str = Field(max_length=64)
    units: int
    state: str = Field(max_length=16)
    deposit_minor: int = _money()  # paid: the presale's deposit × units
    deposit_paid_at: datetime = _utc()
    final_minor: int | None = _money(nullable=True)
    final_paid_at: datetime | None = _utc(nullable=True)
    refunded_minor: int | None = _money(nullable=True)
    settled_at: datetime | None = _utc(nullable=True)  # when it left deposit_paid

"""KOL partners' accounts: one row per platform and handle, unique in the workspace across partners.
The partner itself is ``data.models.Partner``; deals will hang off the partner (and name an account)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel


class PartnerAccount(SQLModel, table=True):
    __tablename__ = "partner_account"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    partner_id: int = Field(foreign_key="partner.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 0: the partner's first account
    platform: str = Field(max_length=32)  # campaigns.kol.Platform
    handle: str = Field(max_length=200)  # campaigns.kol.clean_handle
    url: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    followers: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0"))
    typical_views: int | None = Field(default=None, sa_column=Column(BigInteger(), nullable=True))
    engagement_rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(9, 6), nullable=True))  # ratio
    er_variant: str | None = Field(default=None, max_length=8)  # campaigns.kol.ErVariant

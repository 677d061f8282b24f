"""Group buys (拼团): the rule, each group opened under it, and its members with their refunds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.models import _money, _utc


class GroupRule(SQLModel, table=True):
    __tablename__ = "group_rule"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    size: int
    duration_minutes: int
    leader_price_minor: int = _money()
    member_price_minor: int = _money()
    currency: str = Field(max_length=3)
    on_fail: str = Field(max_length=16)
    min_real_members: int = 2
    per_user_limit: int | None = None  # open groups a customer may be in at once under this rule
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class GroupBuy(SQLModel, table=True):
    __tablename__ = "group_buy"
    __table_args__ = (Index("ix_group_buy_state_expires", "state", "expires_at"),)
    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="group_rule.id", ondelete="CASCADE", index=True)
    opened_at: datetime = _utc()
    expires_at: datetime = _utc()  # inclusive
    state: str = Field(max_length=16)
    members: int = 1  # real members so far, the leader included
    virtual_members: int = 0
    closed_at: datetime | None = _utc(nullable=True)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    __table_args__ = (
        UniqueConstraint("group_id", "customer_hash"),
        Index("ix_group_member_customer", "customer_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="group_buy.id", ondelete="CASCADE")
    customer_hash: str = Field(max_length=64)
    role: str = Field(max_length=8)
    paid_minor: int = _money()
    paid_at: datetime = _utc()
    refunded_minor: int | None = _money(nullable=True)  # the refund record; None: not refunded
    refunded_at: datetime | None = _utc(nullable=True)

"""Queries for group buys. Joining locks the group row first (PostgreSQL ``FOR UPDATE``; SQLite
writers already hold the write lock from BEGIN), so a group never takes more members than its size."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from data.models_groups import GroupBuy, GroupMember, GroupRule
from data.repositories import _Repo


class GroupRepo(_Repo):
    def rule(self, workspace_id: int, key: str) -> GroupRule | None:
        q = select(GroupRule).where(GroupRule.workspace_id == workspace_id, GroupRule.key == key)
        return self.s.execute(q).scalars().first()

    def rules(self, workspace_id: int) -> list[GroupRule]:
        q = select(GroupRule).where(GroupRule.workspace_id == workspace_id).order_by(GroupRule.key)
        return list(self.s.execute(q).scalars())

    def lock(self, group_id: int) -> GroupBuy | None:
        return self.s.execute(select(GroupBuy).where(GroupBuy.id == group_id).with_for_update()).scalars().first()

    def members(self, group_id: int) -> list[GroupMember]:
        q = select(GroupMember).where(GroupMember.group_id == group_id).order_by(GroupMember.paid_at, GroupMember.id)
        return list(self.s.execute(q).scalars())

    def open_memberships(self, rule_id: int, customer_hash: str) -> int:
        """Open groups of the rule that the customer is in."""
        q = (
            select(func.count())
            .select_from(GroupMember)
            .join(GroupBuy, GroupBuy.id == GroupMember.group_id)
            .where(GroupBuy.rule_id == rule_id, GroupBuy.state == "open", GroupMember.customer_hash == customer_hash)
        )
        return int(self.s.execute(q).scalar_one())

    def expired(self, now: datetime, limit: int = 500) -> list[GroupBuy]:
        """Open groups whose time is up, locked, oldest first (other workers skip them)."""
        q = (
            select(GroupBuy)
            .where(GroupBuy.state == "open", GroupBuy.expires_at < now)
            .order_by(GroupBuy.expires_at, GroupBuy.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.s.execute(q).scalars())

    def of_rule(self, rule_id: int) -> list[GroupBuy]:
        q = select(GroupBuy).where(GroupBuy.rule_id == rule_id).order_by(GroupBuy.opened_at.desc())
        return list(self.s.execute(q).scalars())

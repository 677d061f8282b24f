"""Queries for the KOL roster: partners with their accounts, handles taken, the workspace's tier thresholds."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, tuple_

from data.models import Partner, Workspace
from data.models_kol import PartnerAccount
from data.repositories import _Repo


class KolRepo(_Repo):
    def roster(self, workspace_id: int) -> list[tuple[Partner, list[PartnerAccount]]]:
        partners = list(
            self.s.execute(select(Partner).where(Partner.workspace_id == workspace_id).order_by(Partner.id)).scalars()
        )
        q = (
            select(PartnerAccount)
            .where(PartnerAccount.workspace_id == workspace_id)
            .order_by(PartnerAccount.partner_id, PartnerAccount.position, PartnerAccount.id)
        )
        by_partner: dict[int, list[PartnerAccount]] = {}
        for a in self.s.execute(q).scalars():
            by_partner.setdefault(a.partner_id, []).append(a)
        return [(p, by_partner.get(p.id, [])) for p in partners]

    def partner(self, workspace_id: int, partner_id: int) -> Partner | None:
        row = self.s.get(Partner, partner_id)
        return row if row is not None and row.workspace_id == workspace_id else None

    def taken(self, workspace_id: int, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
        """(platform, handle) -> (partner id, partner name) for the handles the workspace already has."""
        keys = list(set(keys))
        out: dict[tuple[str, str], tuple[int, str]] = {}
        for i in range(0, len(keys), 500):
            q = (
                select(PartnerAccount.platform, PartnerAccount.handle, Partner.id, Partner.name)
                .join(Partner, Partner.id == PartnerAccount.partner_id)
                .where(
                    PartnerAccount.workspace_id == workspace_id,
                    tuple_(PartnerAccount.platform, PartnerAccount.handle).in_(keys[i : i + 500]),
                )
            )
            out |= {(pl, h): (pid, name) for pl, h, pid, name in self.s.execute(q)}
        return out

    def replace_accounts(self, partner: Partner, accounts: list[PartnerAccount]) -> None:
        """The partner's accounts become ``accounts`` (in order); one with the same platform and handle keeps its
        row (and id, for what will refer to it), the rest are deleted or added. The partner mirrors the first."""
        kept = {
            (a.platform, a.handle): a
            for a in self.s.execute(select(PartnerAccount).where(PartnerAccount.partner_id == partner.id)).scalars()
        }
        wanted = {(a.platform, a.handle) for a in accounts}
        gone = [a.id for key, a in kept.items() if key not in wanted]
        if gone:
            self.s.execute(delete(PartnerAccount).where(PartnerAccount.id.in_(gone)))
            self.s.flush()
        for i, a in enumerate(accounts):
            row = kept.get((a.platform, a.handle))
            if row is None:
                row = PartnerAccount(partner_id=partner.id, workspace_id=partner.workspace_id)
                row.platform, row.handle = a.platform, a.handle
                self.s.add(row)
            row.position, row.url, row.followers, row.typical_views = i, a.url, a.followers, a.typical_views
            row.engagement_rate, row.er_variant = a.engagement_rate, a.er_variant
        partner.platform, partner.handle = accounts[0].platform, accounts[0].handle
        self.s.flush()

    def remove(self, partner: Partner) -> None:
        self.s.delete(partner)
        self.s.flush()

    def tiers(self, workspace_id: int) -> dict | None:
        ws = self.s.get(Workspace, workspace_id)
        return ws.kol_tiers if ws else None

    def set_tiers(self, workspace_id: int, tiers: dict | None) -> None:
        self.s.get(Workspace, workspace_id).kol_tiers = tiers
        self.s.flush()

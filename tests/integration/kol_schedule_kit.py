"""Builders for KOL deliverable tests: a campaign, and a deal (with its own partner) holding deliverables, written
straight through ``uow.session`` so that any status, due time and owner can be set up."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from data.models import Campaign, Partner
from data.models_deals import KolDeal, KolDeliverable
from tests.conftest import NOW

_n = itertools.count(1)


def campaign(c, name: str, *, start: datetime = NOW - timedelta(days=30), days: int = 90) -> int:
    """A running campaign in the current workspace."""
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        k = Campaign(
            workspace_id=ws.id,
            name=name,
            objective="gmv",
            status="running",
            timezone=ws.timezone,
            starts_at=start,
            ends_at=start + timedelta(days=days),
            budget_minor=1_000_000,
            currency=ws.currency,
        )
        uow.session.add(k)
        uow.session.flush()
        return k.id


def deal(c, campaign_id: int, partner: str, status: str, owner: str, *items: tuple) -> list[int]:
    """A deal of a new partner named ``partner`` in ``status``, owned by ``owner``; ``items`` are
    (kind, platform, due_at, published_url). Returns the deliverables' ids."""
    n = next(_n)
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        p = Partner(workspace_id=ws.id, name=partner, platform="xiaohongshu", handle=f"kit_{n}_{partner}")
        uow.session.add(p)
        uow.session.flush()
        d = KolDeal(
            workspace_id=ws.id,
            campaign_id=campaign_id,
            partner_id=p.id,
            status=status,
            currency=ws.currency,
            tracking_code=f"KIT{n}CODE",
            owner=owner,
            created_by="kit",
            created_at=NOW,
            updated_at=NOW,
        )
        uow.session.add(d)
        uow.session.flush()
        rows = [
            KolDeliverable(
                deal_id=d.id,
                position=i,
                kind=kind,
                platform=platform,
                due_at=due,
                fee_minor=100_000,
                published_url=url,
                published_at=due if url else None,
            )
            for i, (kind, platform, due, url) in enumerate(items)
        ]
        uow.session.add_all(rows)
        uow.session.flush()
        return [x.id for x in rows]

"""Data protection settings: how long each dataset is kept, and the purge that enforces it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns.access import Permission
from campaigns.privacy import customer_hash
from data.models import CouponRedemption, CustomerOrder, DataRetention, FlashReservation, MetricDaily, UserSession
from data.models_groups import GroupMember
from data.models_measure import MetricFact
from data.models_presale import PresaleOrder

# dataset -> (table column holding its age, whether that column is a date)
DATASETS = {
    "customer_order": (CustomerOrder.ordered_at, False),
    "metric_daily": (MetricDaily.day, True),  # the rollup; the imported facts behind it go with it
    "user_session": (UserSession.expires_at, False),
}
# datasets that hold customer identifiers (as salted hashes): what an erasure request reaches
CUSTOMER_DATA = {"customer_order": CustomerOrder}
# records of promotions the customer took part in: kept (they hold counts, stock and refunds), but
# their hash is replaced by a random value, so nothing links them to the person any more
CUSTOMER_LINKS = {
    "coupon_redemption": CouponRedemption,
    "flash_reservation": FlashReservation,
    "group_member": GroupMember,
    "presale_order": PresaleOrder,
    "metric_fact": MetricFact,  # imported order rows: the figures stay, the customer goes
}
MAX_DAYS = 36500


@dataclass(frozen=True)
class Retention:
    dataset: str
    days: int | None  # None: kept until deleted by hand
    updated_at: datetime | None
    updated_by: str | None


@requires(Permission.MANAGE_SETTINGS)
def retention(c: Container, actor: Actor) -> list[Retention]:
    with c.uow() as uow:
        rows = {r.dataset: r for r in uow.retention.all()}
    return [
        Retention(name, rows[name].days, rows[name].updated_at, rows[name].updated_by)
        if name in rows
        else Retention(name, None, None, None)
        for name in DATASETS
    ]


@requires(Permission.MANAGE_SETTINGS)
def set_retention(c: Container, actor: Actor, dataset: str, days: int | None) -> None:
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    if days is not None and not 1 <= int(days) <= MAX_DAYS:
        raise ValueError(f"days must be from 1 to {MAX_DAYS}")
    with c.uow(write=True) as uow:
        row = uow.retention.get(dataset)
        if row is None:
            row = uow.retention.add(DataRetention(dataset=dataset, updated_at=c.clock(), updated_by=actor.email))
        row.days, row.updated_at, row.updated_by = days, c.clock(), actor.email
        audit.record_in(
            uow,
            c,
            actor.who,
            "settings_retention",
            entity=dataset,
            detail=f"keep {days} days" if days else "keep until deleted",
            source=actor.source,
        )


def purge(c: Container, source: str = "worker") -> dict[str, int]:
    """Delete what is older than each dataset's retention. Run daily by the worker."""
    now = c.clock()
    removed: dict[str, int] = {}
    with c.uow(write=True) as uow:
        for row in uow.retention.all():
            column, is_date = DATASETS.get(row.dataset, (None, False))
            if column is None or row.days is None:
                continue
            cutoff = now - timedelta(days=row.days)
            result = uow.session.execute(delete(column.class_).where(column < (cutoff.date() if is_date else cutoff)))
            removed[row.dataset] = result.rowcount or 0
            if row.dataset == "metric_daily":
                uow.session.execute(delete(MetricFact).where(MetricFact.day < cutoff.date()))
        if any(removed.values()):
            audit.record_in(
                uow,
                c,
                Actor.system(source).who,
                "data_purged",
                source=source,
                detail=", ".join(f"{k}: {v}" for k, v in removed.items()),
            )
    return removed


@requires(Permission.ERASE_CUSTOMER)
def erase_customer(c: Container, actor: Actor, identifier: str) -> dict[str, int]:
    """Delete everything about one customer (GDPR Art. 17, PIPL Art. 47), found by the identifier
    the shop knows them by (e-mail, phone, member id): their orders go, their coupon, flash-sale,
    group-buy and presale records are unlinked. The audit record keeps the counts and a random
    request id: nothing that could lead back to the person."""
    if not identifier or not identifier.strip():
        raise ValueError("give the customer's identifier")
    removed = dict.fromkeys([*CUSTOMER_DATA, *CUSTOMER_LINKS], 0)
    request = secrets.token_hex(6)  # names the request in the log; says nothing about the person
    with c.uow(write=True) as uow:
        for ws in uow.workspaces.every():
            h = customer_hash(ws.salt, identifier)
            for name, model in CUSTOMER_DATA.items():
                q = delete(model).where(model.workspace_id == ws.id, model.customer_hash == h)
                removed[name] += uow.session.execute(q).rowcount or 0
            # hashes are salted per workspace, so a hash alone names this workspace's customer
            for name, model in CUSTOMER_LINKS.items():
                ids = uow.session.execute(select(model.id).where(model.customer_hash == h)).scalars().all()
                for row_id in ids:  # a value of its own per row: the rows stay unlinked from each other too
                    q = update(model).where(model.id == row_id).values(customer_hash=secrets.token_hex(32))
                    uow.session.execute(q)
                removed[name] += len(ids)
        audit.record_in(
            uow,
            c,
            actor.who,
            "customer_erased",
            entity=f"request {request}",
            detail=", ".join(f"{k}: {v}" for k, v in removed.items()),
            source=actor.source,
        )
    return removed

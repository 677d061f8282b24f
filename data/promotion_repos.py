"""Queries for promotions: coupon batches, codes and redemptions; flash-sale stock and reservations.

Counters change only through conditional UPDATEs checked by their row count, inside the caller's
writing unit of work; the row is locked first (PostgreSQL ``FOR UPDATE``; on SQLite a writing unit
already holds the database's write lock from BEGIN), so the checks that go with a change (same
order, per-customer count) see every earlier committed change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, or_, select, update

from data.models import CouponBatch, CouponCode, CouponRedemption, FlashReservation, FlashStock, OfferRow
from data.repositories import _Repo

CODE = CouponCode.__table__
REDEMPTION = CouponRedemption.__table__
STOCK = FlashStock.__table__
RESERVATION = FlashReservation.__table__


@dataclass(frozen=True, slots=True)
class LockedCode:
    id: int
    uses: int
    max_uses: int | None
    per_customer: int | None


@dataclass(frozen=True, slots=True)
class Claim:
    """A redemption or reservation row: its id, and when it was released (None: active)."""

    id: int
    released_at: datetime | None
    units: int = 1


class CouponRepo(_Repo):
    # --- batches -----------------------------------------------------------------------------
    def batches(self, workspace_id: int) -> list[tuple[CouponBatch, int, int]]:
        """Each batch with its uses so far and how many of its codes were used at least once."""
        used = (
            select(
                CouponCode.batch_id,
                func.coalesce(func.sum(CouponCode.uses), 0).label("uses"),
                func.count().filter(CouponCode.uses > 0).label("used_codes"),
            )
            .where(CouponCode.workspace_id == workspace_id)
            .group_by(CouponCode.batch_id)
            .subquery()
        )
        q = (
            select(CouponBatch, func.coalesce(used.c.uses, 0), func.coalesce(used.c.used_codes, 0))
            .outerjoin(used, used.c.batch_id == CouponBatch.id)
            .where(CouponBatch.workspace_id == workspace_id)
            .order_by(CouponBatch.created_at.desc(), CouponBatch.id.desc())
        )
        return [(b, int(u), int(n)) for b, u, n in self.s.execute(q).all()]

    def batch(self, workspace_id: int, batch_id: int) -> CouponBatch | None:
        row = self.s.get(CouponBatch, batch_id)
        return row if row is not None and row.workspace_id == workspace_id else None

    def codes_of(self, batch_id: int, chunk: int = 10_000) -> Iterator[tuple[str, int, int | None]]:
        """(code, uses, max_uses) in the order they were made, streamed."""
        q = select(CODE.c.code, CODE.c.uses, CODE.c.max_uses).where(CODE.c.batch_id == batch_id).order_by(CODE.c.id)
        yield from self.s.execute(q.execution_options(yield_per=chunk))

    def insert_codes(self, workspace_id: int, batch_id: int, max_uses: int | None, codes: Sequence[str]) -> set[str]:
        """One multi-row INSERT; a code the workspace already has is skipped (ON CONFLICT DO NOTHING,
        SQLite ≥ 3.35 and PostgreSQL). Returns the codes that went in.

        Written as driver SQL, one bind parameter per row (the code; the ids and the cap are integers
        inlined), because compiling a 10,000-row VALUES through SQLAlchemy costs more than running it."""
        if not codes:
            return set()
        conn = self.s.connection()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cap = "NULL" if max_uses is None else str(int(max_uses))
        row = f"({int(workspace_id)},{int(batch_id)},{mark},0,{cap})"
        sql = (
            f"INSERT INTO {CODE.name} (workspace_id, batch_id, code, uses, max_uses) VALUES "
            + ",".join([row] * len(codes))
            + " ON CONFLICT (workspace_id, code) DO NOTHING RETURNING code"
        )
        return {r[0] for r in conn.exec_driver_sql(sql, tuple(codes))}

    # --- redemption --------------------------------------------------------------------------
    def lock_code(self, workspace_id: int, code: str) -> LockedCode | None:
        q = (
            select(CODE.c.id, CODE.c.uses, CODE.c.max_uses, CouponBatch.per_customer)
            .join(CouponBatch, CouponBatch.id == CODE.c.batch_id)
            .where(CODE.c.workspace_id == workspace_id, CODE.c.code == code)
            .with_for_update(of=CODE)
        )
        row = self.s.execute(q).first()
        return LockedCode(*row) if row else None

    def uses_of(self, code_id: int) -> int:
        return self.s.execute(select(CODE.c.uses).where(CODE.c.id == code_id)).scalar_one()

    def redemption(self, code_id: int, order_ref: str) -> Claim | None:
        q = select(REDEMPTION.c.id, REDEMPTION.c.released_at).where(
            REDEMPTION.c.code_id == code_id, REDEMPTION.c.order_ref == order_ref
        )
        row = self.s.execute(q).first()
        return Claim(*row) if row else None

    def customer_uses(self, code_id: int, customer_hash: str) -> int:
        q = select(func.count()).where(
            REDEMPTION.c.code_id == code_id,
            REDEMPTION.c.customer_hash == customer_hash,
            REDEMPTION.c.released_at.is_(None),
        )
        return int(self.s.execute(q).scalar_one())

    def take_use(self, code_id: int) -> bool:
        """uses + 1, only while uses < max_uses (or no cap). False: the code is exhausted."""
        q = (
            update(CODE)
            .where(CODE.c.id == code_id, or_(CODE.c.max_uses.is_(None), CODE.c.uses < CODE.c.max_uses))
            .values(uses=CODE.c.uses + 1)
        )
        return self.s.execute(q).rowcount == 1

    def give_back_use(self, code_id: int) -> bool:
        q = update(CODE).where(CODE.c.id == code_id, CODE.c.uses > 0).values(uses=CODE.c.uses - 1)
        return self.s.execute(q).rowcount == 1

    def add_redemption(self, code_id: int, order_ref: str, customer_hash: str | None, at: datetime) -> None:
        self.s.execute(
            insert(REDEMPTION).values(
                code_id=code_id, order_ref=order_ref, customer_hash=customer_hash, redeemed_at=at, released_at=None
            )
        )

    def reopen_redemption(self, redemption_id: int, customer_hash: str | None, at: datetime) -> None:
        q = (
            update(REDEMPTION)
            .where(REDEMPTION.c.id == redemption_id)
            .values(customer_hash=customer_hash, redeemed_at=at, released_at=None)
        )
        self.s.execute(q)

    def close_redemption(self, redemption_id: int, at: datetime) -> bool:
        q = (
            update(REDEMPTION)
            .where(REDEMPTION.c.id == redemption_id, REDEMPTION.c.released_at.is_(None))
            .values(released_at=at)
        )
        return self.s.execute(q).rowcount == 1


class FlashRepo(_Repo):
    def get(self, workspace_id: int, offer_key: str, lock: bool = False) -> FlashStock | None:
        q = select(FlashStock).where(FlashStock.workspace_id == workspace_id, FlashStock.offer_key == offer_key)
        if lock:
            q = q.with_for_update().execution_options(populate_existing=True)
        return self.s.execute(q).scalars().first()

    def all(self, workspace_id: int) -> list[FlashStock]:
        q = select(FlashStock).where(FlashStock.workspace_id == workspace_id).order_by(FlashStock.offer_key)
        return list(self.s.execute(q).scalars())

    def reserved_of(self, stock_id: int) -> int:
        return self.s.execute(select(STOCK.c.reserved).where(STOCK.c.id == stock_id)).scalar_one()

    def reservation(self, stock_id: int, order_ref: str) -> Claim | None:
        q = select(RESERVATION.c.id, RESERVATION.c.released_at, RESERVATION.c.units).where(
            RESERVATION.c.stock_id == stock_id, RESERVATION.c.order_ref == order_ref
        )
        row = self.s.execute(q).first()
        return Claim(*row) if row else None

    def customer_units(self, stock_id: int, customer_hash: str) -> int:
        q = select(func.coalesce(func.sum(RESERVATION.c.units), 0)).where(
            RESERVATION.c.stock_id == stock_id,
            RESERVATION.c.customer_hash == customer_hash,
            RESERVATION.c.released_at.is_(None),
        )
        return int(self.s.execute(q).scalar_one())

    def take(self, stock_id: int, units: int) -> bool:
        """reserved + units, only while it stays within stock. False: sold out."""
        q = (
            update(STOCK)
            .where(STOCK.c.id == stock_id, STOCK.c.reserved + units <= STOCK.c.stock)
            .values(reserved=STOCK.c.reserved + units)
        )
        return self.s.execute(q).rowcount == 1

    def give_back(self, stock_id: int, units: int) -> bool:
        q = (
            update(STOCK)
            .where(STOCK.c.id == stock_id, STOCK.c.reserved >= units)
            .values(reserved=STOCK.c.reserved - units)
        )
        return self.s.execute(q).rowcount == 1

    def add_reservation(self, stock_id: int, order_ref: str, customer_hash: str, units: int, at: datetime) -> None:
        self.s.execute(
            insert(RESERVATION).values(
                stock_id=stock_id, order_ref=order_ref, customer_hash=customer_hash, units=units, reserved_at=at
            )
        )

    def reopen_reservation(self, reservation_id: int, customer_hash: str, units: int, at: datetime) -> None:
        q = (
            update(RESERVATION)
            .where(RESERVATION.c.id == reservation_id)
            .values(customer_hash=customer_hash, units=units, reserved_at=at, released_at=None)
        )
        self.s.execute(q)

    def close_reservation(self, reservation_id: int, at: datetime) -> bool:
        q = (
            update(RESERVATION)
            .where(RESERVATION.c.id == reservation_id, RESERVATION.c.released_at.is_(None))
            .values(released_at=at)
        )
        return self.s.execute(q).rowcount == 1


class OfferRepo(_Repo):
    def all(self, workspace_id: int, active_only: bool = False, for_campaign: int | None = None) -> list[OfferRow]:
        """By key. ``for_campaign``: only the offers its orders meet — its own and the workspace-wide ones."""
        q = select(OfferRow).where(OfferRow.workspace_id == workspace_id)
        if active_only:
            q = q.where(OfferRow.active.is_(True))
        if for_campaign is not None:
            q = q.where(or_(OfferRow.campaign_id.is_(None), OfferRow.campaign_id == for_campaign))
        return list(self.s.execute(q.order_by(OfferRow.key)).scalars())

    def by_key(self, workspace_id: int, key: str) -> OfferRow | None:
        q = select(OfferRow).where(OfferRow.workspace_id == workspace_id, OfferRow.key == key)
        return self.s.execute(q).scalars().first()

    def coupon_uses(self, workspace_id: int) -> dict[str, int]:
        """Uses taken so far over each offer's coupon codes."""
        q = (
            select(CouponBatch.offer_key, func.coalesce(func.sum(CouponCode.uses), 0))
            .join(CouponCode, CouponCode.batch_id == CouponBatch.id)
            .where(CouponBatch.workspace_id == workspace_id)
            .group_by(CouponBatch.offer_key)
        )
        return {k: int(n) for k, n in self.s.execute(q).all()}

    def flash_units(self, workspace_id: int) -> dict[str, int]:
        q = select(FlashStock.offer_key, FlashStock.reserved).where(FlashStock.workspace_id == workspace_id)
        return {k: int(n) for k, n in self.s.execute(q).all()}

    def customer_coupon_uses(self, workspace_id: int, customer_hash: str) -> dict[str, int]:
        """This customer's redemptions still standing (not released), per offer."""
        q = (
            select(CouponBatch.offer_key, func.count())
            .join(CouponCode, CouponCode.batch_id == CouponBatch.id)
            .join(CouponRedemption, CouponRedemption.code_id == CouponCode.id)
            .where(
                CouponBatch.workspace_id == workspace_id,
                CouponRedemption.customer_hash == customer_hash,
                CouponRedemption.released_at.is_(None),
            )
            .group_by(CouponBatch.offer_key)
        )
        return {k: int(n) for k, n in self.s.execute(q).all()}

    def customer_flash_units(self, workspace_id: int, customer_hash: str) -> dict[str, int]:
        """Units this customer holds (reserved, not released), per flash-sale offer."""
        q = (
            select(FlashStock.offer_key, func.coalesce(func.sum(FlashReservation.units), 0))
            .join(FlashReservation, FlashReservation.stock_id == FlashStock.id)
            .where(
                FlashStock.workspace_id == workspace_id,
                FlashReservation.customer_hash == customer_hash,
                FlashReservation.released_at.is_(None),
            )
            .group_by(FlashStock.offer_key)
        )
        return {k: int(n) for k, n in self.s.execute(q).all()}

"""Coupon batches: make unique codes for an offer, export them, redeem and release them atomically.

A batch is written in one transaction: codes go in by chunks of one multi-row INSERT each; a code
that the workspace already holds is skipped by the database and only those are drawn again. A
failure anywhere leaves no batch and no code behind.

Redemption is what an order import or a shop's webhook does: ``redeem`` takes one use with a
conditional UPDATE (``uses < max_uses``) checked by its row count, under a lock on the code's row,
together with the per-customer count. The same order redeeming twice is one use; ``release``
(order cancelled) gives the use back, never below 0, and releasing twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import privacy
from campaigns.access import Permission
from campaigns.promotions import codes
from campaigns.promotions.codes import CouponOutcome, InvalidInput
from data.models import CouponBatch

CHUNK = 10_000  # codes per INSERT: one bind parameter set per row, well under SQLite's and PostgreSQL's limits
MAX_NAME = 200
MAX_KEY = 64  # offer keys, as offer.key
MAX_ORDER_REF = 64
MAX_REDRAWS = 100  # rounds of drawing again for codes that collided; each round shrinks the rest


@dataclass(frozen=True)
class BatchSummary:
    id: int
    offer_key: str
    name: str
    mode: str
    max_uses: int | None
    per_customer: int | None
    prefix: str
    count: int
    created_by: str
    created_at: datetime
    uses: int  # uses taken over all the batch's codes
    used_codes: int  # codes used at least once


@dataclass(frozen=True)
class CreatedBatch:
    id: int
    count: int
    redrawn: int  # codes drawn again because the workspace already had them


@dataclass(frozen=True)
class RedeemResult:
    outcome: CouponOutcome
    code: str  # normalised
    uses: int | None = None  # the code's uses after the call; None for an unknown code
    max_uses: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (CouponOutcome.REDEEMED, CouponOutcome.RELEASED)


def workspace_of(uow):
    """The current workspace; bad input (not a crash) when there is none yet."""
    ws = uow.workspaces.current()
    if ws is None:
        raise InvalidInput("workspace", "no workspace yet")
    return ws


@requires(Permission.ISSUE_COUPONS)
def create_batch(
    c: Container,
    actor: Actor,
    offer_key: str,
    name: str,
    count: int,
    mode: str,
    max_uses: int | None = None,
    per_customer: int | None = None,
    prefix: str = "",
    bits: int = codes.DEFAULT_BITS,
) -> CreatedBatch:
    """Make ``count`` (1..1,000,000) codes, unique across the workspace, for the offer ``offer_key``."""
    key = codes.clean_text("offer_key", offer_key, MAX_KEY)
    label = codes.clean_text("name", name, MAX_NAME)
    policy = codes.usage(mode, max_uses, per_customer)
    gen = codes.Generator(prefix=prefix, bits=bits, count=count)
    shown_prefix = codes.check_prefix(prefix)
    redrawn = 0
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        batch = uow.coupons.add(
            CouponBatch(
                workspace_id=ws.id,
                offer_key=key,
                name=label,
                mode=policy.mode,
                max_uses=policy.max_uses,
                per_customer=policy.per_customer,
                prefix=shown_prefix,
                created_by=actor.email,
                created_at=c.clock(),
                count=count,
            )
        )
        left = count
        while left:
            wanted = gen.take(min(CHUNK, left))
            for _ in range(MAX_REDRAWS):
                stored = uow.coupons.insert_codes(ws.id, batch.id, policy.max_uses, wanted)
                left -= len(stored)
                wanted = [x for x in wanted if x not in stored] if len(stored) < len(wanted) else []
                if not wanted:
                    break
                redrawn += len(wanted)
                wanted = gen.take(len(wanted))  # only the ones that collided are drawn again
            else:
                raise RuntimeError("coupon codes keep colliding; the batch was not saved")
        audit.record_in(
            uow,
            c,
            actor.who,
            "coupon_batch_created",
            entity=label,
            detail=f"{count} codes, {policy.mode}, offer {key}",
            source=actor.source,
        )
        return CreatedBatch(batch.id, count, redrawn)


@requires(Permission.VIEW_OVERVIEW)
def batches(c: Container, actor: Actor) -> list[BatchSummary]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        rows = uow.coupons.batches(ws.id) if ws else []
    return [
        BatchSummary(
            b.id,
            b.offer_key,
            b.name,
            b.mode,
            b.max_uses,
            b.per_customer,
            b.prefix,
            b.count,
            b.created_by,
            b.created_at,
            uses,
            used,
        )
        for b, uses, used in rows
    ]


@requires(Permission.ISSUE_COUPONS)
def export_batch(c: Container, actor: Actor, batch_id: int, fmt: str = "csv") -> bytes:
    """The batch's codes, as people read them, in ``fmt``: csv (Festa's own), shopify or woocommerce.
    Every cell is spreadsheet-safe. The export is recorded in the audit log."""
    if fmt not in codes.FORMATS:
        raise InvalidInput("format", f"one of {', '.join(codes.FORMATS)}")
    with c.uow() as uow:
        ws = workspace_of(uow)
        batch = uow.coupons.batch(ws.id, batch_id)
        if batch is None:
            raise InvalidInput("batch", f"no batch {batch_id}")
        rows = [
            codes.CodeRow(codes.display(code, batch.prefix), uses, top, batch.per_customer)
            for code, uses, top in uow.coupons.codes_of(batch.id)
        ]
    if fmt == "shopify":
        data = codes.shopify_csv(batch.name, rows)
    elif fmt == "woocommerce":
        data = codes.woocommerce_csv(batch.name, rows)
    else:
        data = codes.festa_csv(rows)
    audit.record(
        c,
        actor.who,
        "coupon_codes_exported",
        entity=batch.name,
        detail=f"{len(rows)} codes, {fmt}",
        source=actor.source,
    )
    return data


@requires(Permission.EDIT_PROMOTIONS)
def redeem(c: Container, actor: Actor, code: str, order_ref: str, customer: str | None = None) -> RedeemResult:
    """One use of ``code`` for the order ``order_ref`` by ``customer`` (an e-mail, phone or shop id,
    kept only as a salted hash). Needed for per-customer codes."""
    norm = codes.normalise(code)
    if not norm:
        raise InvalidInput("code", "empty")
    ref = codes.clean_text("order_ref", order_ref, MAX_ORDER_REF)
    now = c.clock()
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        row = uow.coupons.lock_code(ws.id, norm)
        if row is None:
            return RedeemResult(CouponOutcome.UNKNOWN_CODE, norm)
        who = _customer(ws.salt, customer, required=row.per_customer is not None)
        done = uow.coupons.redemption(row.id, ref)
        if done is not None and done.released_at is None:
            return RedeemResult(CouponOutcome.ALREADY_REDEEMED, norm, row.uses, row.max_uses)
        if row.per_customer is not None and uow.coupons.customer_uses(row.id, who) >= row.per_customer:
            return RedeemResult(CouponOutcome.PER_CUSTOMER_LIMIT, norm, row.uses, row.max_uses)
        if not uow.coupons.take_use(row.id):
            return RedeemResult(CouponOutcome.EXHAUSTED, norm, row.uses, row.max_uses)
        if done is None:
            uow.coupons.add_redemption(row.id, ref, who, now)
        else:
            uow.coupons.reopen_redemption(done.id, who, now)
        return RedeemResult(CouponOutcome.REDEEMED, norm, uow.coupons.uses_of(row.id), row.max_uses)


@requires(Permission.EDIT_PROMOTIONS)
def release(c: Container, actor: Actor, code: str, order_ref: str) -> RedeemResult:
    """The order was cancelled or its payment failed: its use of ``code`` goes back."""
    norm = codes.normalise(code)
    if not norm:
        raise InvalidInput("code", "empty")
    ref = codes.clean_text("order_ref", order_ref, MAX_ORDER_REF)
    with c.uow(write=True) as uow:
        ws = workspace_of(uow)
        row = uow.coupons.lock_code(ws.id, norm)
        if row is None:
            return RedeemResult(CouponOutcome.UNKNOWN_CODE, norm)
        done = uow.coupons.redemption(row.id, ref)
        if done is None:
            return RedeemResult(CouponOutcome.NOT_REDEEMED, norm, row.uses, row.max_uses)
        if done.released_at is not None or not uow.coupons.close_redemption(done.id, c.clock()):
            return RedeemResult(CouponOutcome.ALREADY_RELEASED, norm, row.uses, row.max_uses)
        uow.coupons.give_back_use(row.id)  # never below 0
        return RedeemResult(CouponOutcome.RELEASED, norm, uow.coupons.uses_of(row.id), row.max_uses)


def _customer(salt: str, customer: str | None, *, required: bool) -> str | None:
    if customer is None or not str(customer).strip():
        if required:
            raise InvalidInput("customer", "a per-customer code needs the customer")
        return None
    return privacy.customer_hash(salt, customer)

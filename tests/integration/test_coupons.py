"""Coupon batches on a real SQLite file and a real PostgreSQL: unique codes, one transaction per
batch, atomic redemption and release."""

import csv
import io
import random
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.services import audit_log, coupons
from app.services.auth import Actor
from campaigns.promotions import codes
from campaigns.promotions.codes import CouponOutcome, InvalidInput
from data.models import AuditEvent, CouponBatch, CouponCode, CouponRedemption, Workspace
from data.promotion_repos import CouponRepo
from tests.conftest import NOW

SYSTEM = Actor.system()


@pytest.fixture
def c(container):
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="w", name="w", timezone="Asia/Shanghai", currency="CNY", created_at=NOW, salt="ab" * 32)
        )
    return container


def _codes(c, batch_id: int) -> list[str]:
    with c.uow() as uow:
        q = select(CouponCode.code).where(CouponCode.batch_id == batch_id).order_by(CouponCode.id)
        return list(uow.session.execute(q).scalars())


def _count(c, model, *where) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _uses(c, code: str) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(CouponCode.uses).where(CouponCode.code == code)).scalar_one()


def _one_code(c, mode="multi_use", max_uses=100, per_customer=None, prefix="") -> str:
    made = coupons.create_batch(c, SYSTEM, "d11-shop-coupon", "D11", 1, mode, max_uses, per_customer, prefix)
    return _codes(c, made.id)[0]


def _at_once(n: int, fn) -> list:
    """Run fn(i) in n threads released together; each call opens its own unit of work."""
    gate = threading.Barrier(n)
    out: list = [None] * n
    errors: list = []

    def run(i):
        gate.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    return out


def test_200_concurrent_redemptions_of_a_code_allowed_100_uses(c):
    code = _one_code(c, "multi_use", 100)
    results = _at_once(200, lambda i: coupons.redeem(c, SYSTEM, code, f"order-{i}", f"buyer{i}@example.com"))
    outcomes = Counter(r.outcome for r in results)
    assert outcomes == {CouponOutcome.REDEEMED: 100, CouponOutcome.EXHAUSTED: 100}
    assert _uses(c, code) == 100
    assert _count(c, CouponRedemption) == 100
    assert max(r.uses for r in results if r.outcome is CouponOutcome.REDEEMED) == 100


def test_concurrent_orders_of_one_customer_respect_the_per_customer_limit(c):
    code = _one_code(c, "per_customer", None, 3)
    results = _at_once(20, lambda i: coupons.redeem(c, SYSTEM, code, f"order-{i}", "13800138000"))
    assert Counter(r.outcome for r in results) == {CouponOutcome.REDEEMED: 3, CouponOutcome.PER_CUSTOMER_LIMIT: 17}
    assert _uses(c, code) == 3


def test_the_same_order_twice_is_one_use(c):
    code = _one_code(c, "multi_use", 5)
    assert coupons.redeem(c, SYSTEM, code, "A-1").outcome is CouponOutcome.REDEEMED
    again = coupons.redeem(c, SYSTEM, code, "A-1")
    assert again.outcome is CouponOutcome.ALREADY_REDEEMED and again.uses == 1
    assert _uses(c, code) == 1


def test_a_single_use_code_is_used_once(c):
    code = _one_code(c, "single_use", None)
    assert coupons.redeem(c, SYSTEM, code, "A-1").outcome is CouponOutcome.REDEEMED
    assert coupons.redeem(c, SYSTEM, code, "A-2").outcome is CouponOutcome.EXHAUSTED
    assert coupons.redeem(c, SYSTEM, code, "A-1").outcome is CouponOutcome.ALREADY_REDEEMED  # a retry of A-1
    assert _uses(c, code) == 1


def test_release_then_redeem_again(c):
    code = _one_code(c, "single_use", None)
    assert coupons.redeem(c, SYSTEM, code, "A-1").ok
    released = coupons.release(c, SYSTEM, code, "A-1")
    assert released.outcome is CouponOutcome.RELEASED and released.uses == 0
    assert coupons.release(c, SYSTEM, code, "A-1").outcome is CouponOutcome.ALREADY_RELEASED  # idempotent
    assert _uses(c, code) == 0  # never below 0
    assert coupons.release(c, SYSTEM, code, "B-9").outcome is CouponOutcome.NOT_REDEEMED
    assert coupons.redeem(c, SYSTEM, code, "A-2").outcome is CouponOutcome.REDEEMED  # another order
    assert coupons.release(c, SYSTEM, code, "A-2").ok
    assert coupons.redeem(c, SYSTEM, code, "A-1").outcome is CouponOutcome.REDEEMED  # the first order, again
    assert _uses(c, code) == 1
    assert _count(c, CouponRedemption, CouponRedemption.released_at.is_(None)) == 1
    assert _count(c, CouponRedemption) == 2


def test_per_customer_limit(c):
    code = _one_code(c, "per_customer", 10, 2)
    assert coupons.redeem(c, SYSTEM, code, "o1", "li.wei@example.com").outcome is CouponOutcome.REDEEMED
    assert coupons.redeem(c, SYSTEM, code, "o2", " Li.Wei@Example.com ").outcome is CouponOutcome.REDEEMED
    third = coupons.redeem(c, SYSTEM, code, "o3", "LI.WEI@example.com")  # the same customer, typed differently
    assert third.outcome is CouponOutcome.PER_CUSTOMER_LIMIT and third.uses == 2
    assert coupons.redeem(c, SYSTEM, code, "o4", "wang.fang@example.com").outcome is CouponOutcome.REDEEMED
    assert coupons.release(c, SYSTEM, code, "o1").ok
    assert coupons.redeem(c, SYSTEM, code, "o3", "li.wei@example.com").outcome is CouponOutcome.REDEEMED
    assert _uses(c, code) == 3
    with c.uow() as uow:  # customers are kept only as salted hashes
        stored = set(uow.session.execute(select(CouponRedemption.customer_hash)).scalars())
    assert len(stored) == 2 and not any("@" in h for h in stored)


def test_codes_are_matched_the_way_customers_type_them(c):
    code = _one_code(c, "multi_use", 3, prefix="ny-")
    shown = codes.display(code, "NY-").lower()
    assert "-" in shown
    assert coupons.redeem(c, SYSTEM, f"  {shown} ", "o1").outcome is CouponOutcome.REDEEMED
    assert coupons.redeem(c, SYSTEM, "NYAAAAAAAAAAAAA", "o2").outcome is CouponOutcome.UNKNOWN_CODE
    assert coupons.release(c, SYSTEM, "NYAAAAAAAAAAAAA", "o2").outcome is CouponOutcome.UNKNOWN_CODE


def test_bad_input_names_the_field(c):
    code = _one_code(c, "per_customer", None, 1)
    cases = [
        (lambda: coupons.redeem(c, SYSTEM, " - ", "o1"), "code"),
        (lambda: coupons.redeem(c, SYSTEM, code, "  "), "order_ref"),
        (lambda: coupons.redeem(c, SYSTEM, code, "o1", None), "customer"),
        (lambda: coupons.release(c, SYSTEM, "", "o1"), "code"),
        (lambda: coupons.create_batch(c, SYSTEM, "d11", "x", 1_000_001, "single_use"), "count"),
        (lambda: coupons.create_batch(c, SYSTEM, "d11", "x", 0, "single_use"), "count"),
        (lambda: coupons.create_batch(c, SYSTEM, "d11", "x", 5, "multi_use", 0), "max_uses"),
        (lambda: coupons.create_batch(c, SYSTEM, "d11", "x", 5, "lottery"), "mode"),
        (lambda: coupons.create_batch(c, SYSTEM, "", "x", 5, "single_use"), "offer_key"),
        (lambda: coupons.create_batch(c, SYSTEM, "d11", "x", 5, "single_use", prefix="-SALE"), "prefix"),
        (lambda: coupons.export_batch(c, SYSTEM, 1, "excel"), "format"),
        (lambda: coupons.export_batch(c, SYSTEM, 999, "csv"), "batch"),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.field == field
    assert _count(c, CouponBatch) == 1 and _count(c, CouponRedemption) == 0


def test_a_batch_that_collides_is_completed_with_fresh_codes(c, monkeypatch):
    monkeypatch.setattr(codes, "_RNG", random.Random(2026))
    first = coupons.create_batch(c, SYSTEM, "d11", "first", 500, "single_use")
    monkeypatch.setattr(codes, "_RNG", random.Random(2026))  # the same draws again: all 500 collide
    second = coupons.create_batch(c, SYSTEM, "d11", "second", 800, "single_use")
    assert (first.count, second.count, second.redrawn) == (500, 800, 500)
    a, b = _codes(c, first.id), _codes(c, second.id)
    assert len(a) == 500 and len(b) == 800 and not set(a) & set(b)
    assert _count(c, CouponCode) == 1300
    with c.uow() as uow:
        assert uow.session.execute(select(func.count(func.distinct(CouponCode.code)))).scalar_one() == 1300


def test_a_failing_batch_leaves_nothing(c, monkeypatch):
    monkeypatch.setattr(coupons, "CHUNK", 100)
    real = CouponRepo.insert_codes
    calls = []

    def flaky(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(self, *args)

    monkeypatch.setattr(CouponRepo, "insert_codes", flaky)
    with pytest.raises(RuntimeError, match="disk full"):
        coupons.create_batch(c, SYSTEM, "d11", "doomed", 1000, "single_use")
    assert len(calls) == 3  # two chunks had been written inside the transaction
    assert _count(c, CouponBatch) == 0 and _count(c, CouponCode) == 0
    assert _count(c, AuditEvent, AuditEvent.action == "coupon_batch_created") == 0


def test_batches_and_exports(c):
    made = coupons.create_batch(c, SYSTEM, "d11-shop-coupon", "=D11 VIP", 30, "multi_use", 5, prefix="ny")
    stored = _codes(c, made.id)
    coupons.redeem(c, SYSTEM, stored[0], "o1")
    coupons.redeem(c, SYSTEM, stored[0], "o2")
    coupons.redeem(c, SYSTEM, stored[1], "o3")
    (summary,) = coupons.batches(c, SYSTEM)
    assert (summary.name, summary.count, summary.uses, summary.used_codes) == ("=D11 VIP", 30, 3, 2)
    assert (summary.mode, summary.max_uses, summary.per_customer, summary.prefix) == ("multi_use", 5, None, "NY")

    def rows(fmt):
        return list(csv.reader(io.StringIO(coupons.export_batch(c, SYSTEM, made.id, fmt).decode("utf-8-sig"))))

    festa = rows("csv")
    assert festa[0] == ["code", "uses", "max_uses", "per_customer"] and len(festa) == 31
    assert festa[1][0].startswith("NY-")
    assert [codes.normalise(r[0]) for r in festa[1:]] == stored
    assert festa[1][1:] == ["2", "5", ""]
    shopify = rows("shopify")
    assert shopify[0] == ["Title", "Command", "Code"] and shopify[1][:2] == ["'=D11 VIP", "MERGE"]
    woo = rows("woocommerce")
    assert woo[0][:2] == ["post_title", "post_excerpt"] and woo[0][-2:] == ["usage_limit", "usage_limit_per_user"]
    assert len(shopify) == len(woo) == 31
    exported = audit_log.events(c, SYSTEM, audit_log.AuditFilter(action="coupon_codes_exported"))
    assert sorted(e.detail for e in exported) == ["30 codes, csv", "30 codes, shopify", "30 codes, woocommerce"]
    (created,) = audit_log.events(c, SYSTEM, audit_log.AuditFilter(action="coupon_batch_created"))
    assert created.detail == "30 codes, multi_use, offer d11-shop-coupon"

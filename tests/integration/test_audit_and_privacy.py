from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.services import audit, audit_log, privacy
from app.services.auth import Actor
from data import migrate
from data.models import MetricDaily
from tests.conftest import NOW

SYSTEM = Actor.system()


def test_the_audit_log_is_append_only_in_the_database(container):
    audit.record(container, audit.Who("a@example.com", 1), "test_event", detail="x")
    statements = ["UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"]
    if container.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_event")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            with container.engine.begin() as conn:
                conn.execute(text(statement))
    [event] = audit_log.events(container, SYSTEM, audit_log.AuditFilter())
    assert event.actor == "a@example.com"


def test_the_audit_log_filters(container):
    for who, action, result in [
        ("a@x.test", "one", "success"),
        ("b@x.test", "two", "denied"),
        ("a@x.test", "two", "failure"),
    ]:
        audit.record(container, audit.Who(who), action, result=result)
    f = audit_log.AuditFilter
    assert len(audit_log.events(container, SYSTEM, f(actor="a@"))) == 2
    assert [e.actor for e in audit_log.events(container, SYSTEM, f(action="two", result="denied"))] == ["b@x.test"]
    assert audit_log.events(container, SYSTEM, f(since=NOW + timedelta(seconds=1))) == []
    assert len(audit_log.events(container, SYSTEM, f(until=NOW))) == 3  # inclusive
    assert audit_log.actions(container, SYSTEM) == ["one", "two"]


def test_an_export_has_every_event_not_just_the_first_thousand(container):
    with container.uow(write=True) as uow:
        for i in range(1100):
            audit.record_in(uow, container, audit.Who("bulk@x.test"), "bulk", detail=str(i))
    assert len(audit_log.events(container, SYSTEM, audit_log.AuditFilter())) == 1000  # the page's view
    csv = audit_log.export_csv(container, SYSTEM, audit_log.AuditFilter()).decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 1100


def test_exporting_is_itself_recorded(container):
    audit_log.export_csv(container, SYSTEM, audit_log.AuditFilter())
    assert [e.action for e in audit_log.events(container, SYSTEM, audit_log.AuditFilter())] == ["audit_exported"]


def test_retention_purges_old_metrics_and_says_so(demo):
    with demo.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(MetricDaily)).scalar()
    privacy.set_retention(demo, SYSTEM, "metric_daily", 30)  # the demo metrics end 2026-11-13, NOW is 11-24
    removed = privacy.purge(demo)
    with demo.engine.connect() as conn:
        oldest = conn.execute(select(func.min(MetricDaily.day))).scalar()
        left = conn.execute(select(func.count()).select_from(MetricDaily)).scalar()
    assert oldest >= date(2026, 10, 25) and left == total - removed["metric_daily"] and removed["metric_daily"] > 0
    assert [r.days for r in privacy.retention(demo, SYSTEM) if r.dataset == "metric_daily"] == [30]
    assert audit_log.events(demo, SYSTEM, audit_log.AuditFilter(action="data_purged"))
    assert privacy.purge(demo) == {"metric_daily": 0}


def test_retention_refuses_nonsense(container):
    with pytest.raises(ValueError):
        privacy.set_retention(container, SYSTEM, "metric_daily", 0)
    with pytest.raises(ValueError):
        privacy.set_retention(container, SYSTEM, "customers_everywhere", 10)


def test_upgrading_an_existing_database_gives_each_workspace_its_own_salt(bare_container):
    engine = bare_container.engine
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        for slug in ("a", "b"):
            conn.execute(
                text(
                    "INSERT INTO workspace (slug, name, timezone, currency, created_at) "
                    "VALUES (:s, :s, 'UTC', 'CNY', :t)"
                ),
                {"s": slug, "t": NOW},
            )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        salts = conn.execute(text("SELECT salt FROM workspace")).scalars().all()
    assert len(set(salts)) == 2 and all(len(s) == 64 for s in salts)


def test_erasing_a_customer_deletes_their_orders_and_nothing_else(demo):
    from app.services.demo import DEMO_CUSTOMERS
    from campaigns.privacy import customer_hash
    from data.models import CustomerOrder

    with demo.uow() as uow:
        ws = uow.workspaces.by_slug("demo")
        theirs = uow.orders.count_for(ws.id, customer_hash(ws.salt, DEMO_CUSTOMERS[7]))
    with demo.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(CustomerOrder)).scalar()
        stored = " ".join(conn.execute(select(CustomerOrder.customer_hash)).scalars())
    assert theirs > 0 and DEMO_CUSTOMERS[7] not in stored  # only hashes are stored
    raw = DEMO_CUSTOMERS[7]
    removed = privacy.erase_customer(demo, SYSTEM, f" +86 {raw[:3]}-{raw[3:7]}-{raw[7:]} ")  # as a person types it
    assert removed == {"customer_order": theirs} | dict.fromkeys(privacy.CUSTOMER_LINKS, 0)
    with demo.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CustomerOrder)).scalar() == total - theirs
    [event] = audit_log.events(demo, SYSTEM, audit_log.AuditFilter(action="customer_erased"))
    assert event.entity.startswith("request ") and event.detail.startswith(f"customer_order: {theirs}, ")
    assert customer_hash(ws.salt, raw)[:8] not in event.entity + event.detail
    assert set(privacy.erase_customer(demo, SYSTEM, DEMO_CUSTOMERS[7]).values()) == {0}
    with pytest.raises(ValueError):
        privacy.erase_customer(demo, SYSTEM, "   ")


def test_erasure_unlinks_the_customers_promotion_records_and_keeps_the_counts(demo):
    from app.services import coupons, flash_sales
    from campaigns.privacy import customer_hash
    from data.models import CouponRedemption

    coupons.create_batch(demo, SYSTEM, "erase-me", "E", 1, "multi_use", max_uses=5)
    with demo.uow() as uow:
        batch = next(b for b, _, _ in uow.coupons.batches(uow.workspaces.current().id) if b.offer_key == "erase-me")
        code = next(iter(uow.coupons.codes_of(batch.id)))[0]
    coupons.redeem(demo, SYSTEM, code, "o-1", "gone@example.com")
    coupons.redeem(demo, SYSTEM, code, "o-2", "gone@example.com")
    flash_sales.set_stock(demo, SYSTEM, "erase-seckill", 10)
    flash_sales.reserve(demo, SYSTEM, "erase-seckill", "o-1", "gone@example.com", 2)
    removed = privacy.erase_customer(demo, SYSTEM, "GONE@example.com")
    assert (removed["coupon_redemption"], removed["flash_reservation"]) == (2, 1)
    with demo.engine.connect() as conn:
        left = conn.execute(
            select(CouponRedemption.customer_hash).where(CouponRedemption.order_ref.in_(["o-1", "o-2"]))
        )
        assert len(set(left.scalars())) == 2  # not linked to each other either
    with demo.uow() as uow:
        ws = uow.workspaces.current()
        h = customer_hash(ws.salt, "gone@example.com")
        assert uow.offers.customer_coupon_uses(ws.id, h) == {} and uow.offers.customer_flash_units(ws.id, h) == {}
        assert uow.flash.get(ws.id, "erase-seckill").reserved == 2  # stock taken stays taken
        assert uow.coupons.lock_code(ws.id, code).uses == 2

"""Imported orders tied to KOL partners by their deal's tracking code (the personal coupon code, and the
tracking link's utm_content), on SQLite and PostgreSQL: facts and rollup name the partner and the deal's
campaign, the report shows the partner's orders and revenue, a declined deal's code ties nothing, and row keys
are those of files imported before utm_content was read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from app.services import imports, measure
from app.services.auth import Actor
from app.services.measure import Filters
from campaigns import facts
from campaigns.access import Role
from data.models import Campaign, MetricDaily, Partner
from data.models_deals import KolDeal
from data.models_measure import MetricFact
from tests.conftest import NOW

AMY_CODE, BOB_CODE = "AMYZ7KD3", "BOBQ9XW2"
ORDERS = (
    "order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,utm_content,customer_id\n"
    f"K-0001,2026-11-20T10:00:00+08:00,100.00,CNY,{AMY_CODE},,,,,a@example.com\n"  # the personal coupon code
    f"K-0002,2026-11-20T11:00:00+08:00,50.50,CNY,,xiaohongshu,kol,kol-spring,{AMY_CODE},b@example.com\n"  # the link
    f"K-0003,2026-11-21 09:30:00,20,CNY,amy-z7kd3,xiaohongshu,kol,kol-spring,{AMY_CODE.lower()},c@example.com\n"
    f"K-0004,2026-11-21 12:00:00,70,CNY,,douyin,kol,kol-spring,{BOB_CODE},d@example.com\n"  # a declined deal's
)
# campaigns.facts.KEY_FIELDS before utm_content was read: the keys of files imported then
KEY_FIELDS_BEFORE = (
    "source",
    "day",
    "account",
    "campaign",
    "entity",
    "post_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "code",
    "attribution",
    "currency",
)


def _actor(c, role: Role) -> Actor:
    with c.uow(write=True) as uow:
        user = uow.users.by_email(f"{role}@demo.festa.test")
        user.must_change_password = False
        return Actor(user.id, user.email, user.display_name, user.role)


@pytest.fixture
def analyst(demo):
    return _actor(demo, Role.ANALYST)


@pytest.fixture
def deal(demo):
    """A campaign, two partners, Amy's agreed deal and Bob's declined one: (campaign id, Amy's id, Bob's id)."""
    with demo.uow(write=True) as uow:
        ws = uow.workspaces.current()
        s = uow.session
        camp = Campaign(
            workspace_id=ws.id,
            name="KOL codes test 2026",
            objective="gmv",
            status="running",
            timezone="Asia/Shanghai",
            starts_at=datetime(2026, 11, 18, tzinfo=UTC),
            ends_at=datetime(2026, 11, 30, tzinfo=UTC),
            budget_minor=1_000_000,
            currency="CNY",
        )
        amy = Partner(workspace_id=ws.id, name="Amy Codes", platform="xiaohongshu", handle="amy.codes.test")
        bob = Partner(workspace_id=ws.id, name="Bob Codes", platform="douyin", handle="bob.codes.test")
        s.add_all([camp, amy, bob])
        s.flush()
        for partner, code, status in ((amy, AMY_CODE, "agreed"), (bob, BOB_CODE, "declined")):
            s.add(
                KolDeal(
                    workspace_id=ws.id,
                    campaign_id=camp.id,
                    partner_id=partner.id,
                    status=status,
                    currency="CNY",
                    tracking_code=code,
                    created_by="test",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        s.flush()
        return camp.id, amy.id, bob.id


def _facts(c, batch_id: int) -> dict[str, tuple]:
    with c.engine.connect() as conn:
        rows = conn.execute(
            select(MetricFact.entity, MetricFact.campaign_id, MetricFact.partner_id, MetricFact.utm_content).where(
                MetricFact.batch_id == batch_id
            )
        ).all()
    return {r.entity: (r.campaign_id, r.partner_id, r.utm_content) for r in rows}


def test_orders_carrying_a_partners_code_are_the_partners(demo, analyst, deal):
    camp, amy, _ = deal
    pv = imports.preview(demo, analyst, "orders.csv", ORDERS.encode())
    assert pv.ok, pv.problems
    assert pv.source == "orders" and pv.unmatched == 1
    done = imports.commit(demo, analyst, pv)
    assert (done.written, done.unmatched) == (4, 1)

    assert _facts(demo, done.batch_id) == {
        "K-0001": (camp, amy, ""),
        "K-0002": (camp, amy, AMY_CODE),
        "K-0003": (camp, amy, AMY_CODE.lower()),
        "K-0004": (None, None, BOB_CODE),  # Bob's deal was declined: his code ties nothing
    }
    with demo.engine.connect() as conn:
        rollup = conn.execute(
            select(MetricDaily.partner_id, MetricDaily.orders, MetricDaily.revenue_minor).where(
                MetricDaily.campaign_id == camp
            )
        ).all()
    assert {r.partner_id for r in rollup} == {amy}
    assert (sum(r.orders for r in rollup), sum(r.revenue_minor for r in rollup)) == (3, 10000 + 5050 + 2000)

    rep = measure.report(demo, Actor.system(), Filters(campaign_ids=(camp,)))
    assert set(rep.by_partner) == {amy}
    assert (rep.by_partner[amy].orders, rep.by_partner[amy].revenue_minor) == (3, 17050)
    assert (rep.totals.orders, rep.totals.revenue_minor) == (3, 17050)


def test_row_keys_are_those_of_files_imported_before_utm_content_was_read(demo, analyst, deal):
    pv = imports.preview(demo, analyst, "orders.csv", ORDERS.encode())
    frame = pv.frame
    before = [
        facts.key_of((*(row[k] if k != "day" else row[k].isoformat() for k in KEY_FIELDS_BEFORE), 0))
        for _, row in frame.iterrows()
    ]
    assert frame["row_key"].tolist() == before

    # stored as an import before the change left them: no utm_content, no partner, no campaign
    done = imports.commit(demo, analyst, pv)
    with demo.engine.begin() as conn:
        conn.execute(
            update(MetricFact)
            .where(MetricFact.batch_id == done.batch_id)
            .values(utm_content="", partner_id=None, campaign_id=None)
        )
    stored = _facts(demo, done.batch_id)
    again = imports.preview(demo, analyst, "orders (1).csv", ORDERS.encode())
    assert again.same_file_batch == done.batch_id and again.duplicates == 4
    redo = imports.commit(demo, analyst, again)
    assert (redo.written, redo.duplicates) == (0, 4)
    assert _facts(demo, done.batch_id) == stored and _facts(demo, redo.batch_id) == {}


def test_two_partners_rows_differing_only_by_utm_content_keep_their_keys_in_any_order():
    from datetime import date

    import pandas as pd

    from app.services.imports import row_keys

    def frame(contents, source="ga4"):
        rows = [
            {**dict.fromkeys(facts.KEY_FIELDS, ""), "source": source, "day": date(2026, 12, 1), "utm_content": x}
            for x in contents
        ]
        return pd.DataFrame(rows)

    first = dict(zip(["AMY12", "BOB12", ""], row_keys(frame(["AMY12", "BOB12", ""])), strict=True))
    again = dict(zip(["BOB12", "", "AMY12"], row_keys(frame(["BOB12", "", "AMY12"])), strict=True))
    assert first == again and len(set(first.values())) == 3
    plain = row_keys(frame([""]))[0]
    assert first[""] == plain  # a row without one keeps the key it always had
    orders = row_keys(frame(["AMY12", "BOB12"], source="orders"))
    assert orders[0] == row_keys(frame(["", ""], source="orders"))[0]  # orders: the id is the identity

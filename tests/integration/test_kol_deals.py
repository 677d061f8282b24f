"""KOL deals on a real SQLite file and a real PostgreSQL, on the demo workspace: the whole flow from invitation
to payment with the budget following it, the personal coupon code, and the bad inputs of the issue (due outside
the campaign, another currency without a rate, a code that clashes with a coupon code) saving nothing."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.services import budgets, coupons
from app.services import kol_deals as deals
from app.services import kol_roster as kr
from app.services.auth import Actor
from app.services.kol_roster import KolRejected
from app.services.planning import PlanRejected
from campaigns import kol_deals as kd
from data.models import BudgetCommitment, CouponBatch, CouponCode, MetricDaily
from data.models_deals import KolDeal, KolDeliverable, KolPayment
from tests.conftest import NOW

SYSTEM = Actor.system()
DUE = datetime(2027, 1, 20, 12, tzinfo=UTC)  # inside the demo's planned 年货节 2027 (2027-01-12 … 2027-02-16)


def _ids(c, campaign="年货节 2027 · Spring Festival"):
    """The campaign (the planned one: no demo deals in it yet) and the partners by handle."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        camps = {k.name: k.id for k in uow.campaigns.all(ws.id)}
        partners = {p.handle: p.id for p in uow.partners.all(ws.id)}
    return camps[campaign], partners


def _count(c, model) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


def _draft(*fees, currency="CNY", rate=None, due=DUE, **brief):
    items = tuple(
        kd.DeliverableDraft("short_video", "xiaohongshu", due + timedelta(hours=i), fee) for i, fee in enumerate(fees)
    )
    return kd.DealDraft(currency, items, kd.Brief(**brief), rate)


def _problems(exc) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in exc.value.problems}


def test_a_deal_goes_from_invitation_to_payment_and_the_budget_follows(demo):
    k, partners = _ids(demo, "双12 2026")  # the running campaign, whose offers can give a coupon code
    brief = dict(
        key_messages="双12 全场满 300 减 50",
        must_say=("满300减50",),
        must_not_say=("最低价",),
        hashtags=("双12好物", "#种草"),
        landing_url="https://shop.example.com/d12",
    )
    did = deals.create_deal(
        demo, SYSTEM, k, partners["laowang_food"], _draft(3_000_000, 1_500_000, due=NOW + timedelta(days=5), **brief),
        code="wang-d12", offer_key="shop-every-300-50", owner="kol@festa.local",
    )  # fmt: skip
    v = deals.deal(demo, SYSTEM, did)
    assert v.status is kd.Status.INVITED and v.fee_minor == 4_500_000
    assert v.deal.tracking_code == "WANGD12" and v.brief.hashtags == ("#双12好物", "#种草")
    link = v.deal.tracking_link
    assert link.startswith("https://shop.example.com/d12?") and "utm_medium=kol" in link
    assert "utm_content=WANGD12" in link and "utm_campaign=%E5%8F%8C12-2026" in link
    assert "utm_source=xiaohongshu" in link
    with demo.uow() as uow:  # the personal coupon code: one code, each customer once, for the chosen offer
        batch = uow.session.get(CouponBatch, v.deal.coupon_batch_id)
        assert (batch.offer_key, batch.mode, batch.per_customer) == ("shop-every-300-50", "per_customer", 1)
    assert coupons.redeem(demo, SYSTEM, "wang-d12", "order-1", customer="c1").ok
    before = budgets.view(demo, SYSTEM, k)
    assert not [x for x in before.commitments if x.kol_deal_id == did]  # an invitation commits nothing

    deals.move(demo, SYSTEM, did, "agreed")
    assert budgets.view(demo, SYSTEM, k).total.committed == before.total.committed + 4_500_000
    mine = [x for x in budgets.view(demo, SYSTEM, k).commitments if x.kol_deal_id == did]
    assert [x.amount_minor for x in mine] == [3_000_000, 1_500_000] and {x.source for x in mine} == {"kol"}
    deals.pay(demo, SYSTEM, did, 1_000_000, date(2026, 11, 25), "deposit")
    assert budgets.view(demo, SYSTEM, k).total.actual == before.total.actual + 1_000_000

    deals.move(demo, SYSTEM, did, "submitted")
    deals.move(demo, SYSTEM, did, "agreed", comment="请加上满300减50")  # changes requested
    deals.move(demo, SYSTEM, did, "submitted")
    deals.move(demo, SYSTEM, did, "approved", comment="可以发")
    with pytest.raises(KolRejected) as e:  # published needs every deliverable's URL
        deals.move(demo, SYSTEM, did, "published", urls={v.deliverables[0].id: "https://xhs.example/n/1"})
    assert _problems(e) == {("deliverables.1.published_url", "url_needed")}
    assert deals.deal(demo, SYSTEM, did).status is kd.Status.APPROVED
    urls = {x.id: f"https://xhs.example/n/{x.id}" for x in v.deliverables}
    deals.move(demo, SYSTEM, did, "published", urls=urls)
    deals.move(demo, SYSTEM, did, "verified")
    deals.move(demo, SYSTEM, did, "paid")
    done = deals.deal(demo, SYSTEM, did)
    assert done.status is kd.Status.PAID and done.paid_minor == 4_500_000  # the rest recorded as paid today
    assert all(x.published_url and x.published_at == NOW for x in done.deliverables)
    assert budgets.view(demo, SYSTEM, k).total.actual == before.total.actual + 4_500_000
    history = [(e.from_status, e.to_status, e.comment) for e in deals.events(demo, SYSTEM, did)]
    assert ("submitted", "agreed", "请加上满300减50") in history and ("submitted", "approved", "可以发") in history
    with pytest.raises(KolRejected) as e:
        deals.move(demo, SYSTEM, did, "cancelled")
    assert _problems(e) == {("status", "not_allowed")}


def test_a_deal_in_another_currency_needs_a_rate_and_commits_converted_fees(demo):
    k, partners = _ids(demo)
    before = _count(demo, KolDeal)
    with pytest.raises(KolRejected) as e:
        deals.create_deal(demo, SYSTEM, k, partners["lily_closet"], _draft(100_000, currency="USD"))
    assert _problems(e) == {("fx_rate", "rate_needed")}
    assert _count(demo, KolDeal) == before
    did = deals.create_deal(
        demo, SYSTEM, k, partners["lily_closet"], _draft(100_000, 33, currency="USD", rate=Decimal("7.1"))
    )
    deals.move(demo, SYSTEM, did, "agreed")
    with demo.uow() as uow:
        rows = uow.session.execute(select(BudgetCommitment).where(BudgetCommitment.kol_deal_id == did)).scalars()
        assert [x.amount_minor for x in rows] == [710_000, 234]  # $1,000.00 and $0.33 (2.343 → 2.34) in fen
    assert deals.deal(demo, SYSTEM, did).fee_campaign_minor == 710_234


def test_bad_deals_are_refused_at_their_field_and_save_nothing(demo):
    k, partners = _ids(demo)
    mei = partners["xiaomei_zhongcao"]
    coupons.create_batch(demo, SYSTEM, "vip-10-off", "VIP", 1, "single_use", prefix="TAKEN")
    with demo.uow() as uow:
        taken = uow.session.execute(select(CouponCode.code)).scalar_one()
    counts = lambda: [_count(demo, m) for m in (KolDeal, KolDeliverable, CouponBatch, CouponCode, BudgetCommitment)]  # noqa: E731
    before = counts()
    cases = [
        (_draft(1, due=DUE + timedelta(days=60)), {}, {("deliverables.0.due_at", "due_outside_campaign")}),
        (_draft(1, due=NOW), {}, {("deliverables.0.due_at", "due_outside_campaign")}),
        (_draft(1, currency="JPY"), {}, {("fx_rate", "rate_needed")}),
        (_draft(-5), {}, {("deliverables.0.fee", "fee_out_of_range")}),
        (_draft(1, landing_url="javascript:alert(1)"), {}, {("landing_url", "not_a_url")}),
        (_draft(1, must_say=("正品",), must_not_say=("正品",)), {}, {("must_not_say", "also_must_say")}),
        (_draft(1), {"code": taken.lower()}, {("tracking_code", "code_taken_coupon")}),
        (_draft(1), {"code": "a!"}, {("tracking_code", "bad_code")}),
        (_draft(1), {"offer_key": "no-such-offer"}, {("offer_key", "no_such_offer")}),
    ]
    for draft, kw, expected in cases:
        with pytest.raises(KolRejected) as e:
            deals.create_deal(demo, SYSTEM, k, mei, draft, **kw)
        assert _problems(e) == expected, kw
        assert counts() == before
    deals.create_deal(demo, SYSTEM, k, mei, _draft(1), code="MEI2026")
    before = counts()  # the deal, its deliverable, and its code reserved as a one-code batch nobody can redeem
    assert coupons.redeem(demo, SYSTEM, "MEI2026", "order-9").outcome != "redeemed"
    with pytest.raises(KolRejected) as e:  # the same partner twice in one campaign
        deals.create_deal(demo, SYSTEM, k, mei, _draft(1))
    assert _problems(e) == {("partner", "already_in_campaign")}
    with pytest.raises(KolRejected) as e:  # another partner with a code a deal already has
        deals.create_deal(demo, SYSTEM, k, partners["aqiang_tech"], _draft(1), code="mei-2026")
    assert _problems(e) == {("tracking_code", "code_taken_deal")}
    with pytest.raises(KolRejected) as e:
        deals.create_deal(demo, SYSTEM, k, partners["aqiang_tech"], _draft(1), offer_key="vip-10-off", code="MEI2026")
    assert counts()[2:4] == before[2:4]  # no batch left behind by the refused deal


def test_cancelling_releases_the_committed_fees_and_deals_keep_their_partner(demo):
    k, partners = _ids(demo)
    payments = _count(demo, KolPayment)
    did = deals.create_deal(demo, SYSTEM, k, partners["laowang_food"], _draft(2_000_000))
    deals.move(demo, SYSTEM, did, "agreed")
    view = budgets.view(demo, SYSTEM, k)
    [line] = [x for x in view.commitments if x.kol_deal_id == did]
    with pytest.raises(PlanRejected):  # a deal's fee is changed on the deal, not removed from the budget by hand
        budgets.uncommit(demo, SYSTEM, k, line.id)
    deals.edit_deal(demo, SYSTEM, did, _draft(2_500_000, 500_000))
    assert sorted(x.amount_minor for x in budgets.view(demo, SYSTEM, k).commitments if x.kol_deal_id == did) == [
        500_000,
        2_500_000,
    ]
    with pytest.raises(KolRejected) as e:
        kr.remove_partner(demo, SYSTEM, partners["laowang_food"])
    assert _problems(e) == {("partner", "has_deals")}
    deals.move(demo, SYSTEM, did, "cancelled", comment="档期冲突")
    assert not [x for x in budgets.view(demo, SYSTEM, k).commitments if x.kol_deal_id == did]
    with pytest.raises(KolRejected) as e:
        deals.edit_deal(demo, SYSTEM, did, _draft(1))
    assert _problems(e) == {("status", "not_editable")}
    with pytest.raises(KolRejected) as e:
        deals.pay(demo, SYSTEM, did, 100, date(2026, 11, 30))
    assert _problems(e) == {("status", "not_agreed")}
    assert _count(demo, KolPayment) == payments


def test_overdue_deliverables_are_flagged_until_their_url_is_recorded(demo):
    k, partners = _ids(demo, "双12 2026")
    early = NOW - timedelta(days=1)  # inside the running campaign, already past
    did = deals.create_deal(demo, SYSTEM, k, partners["laowang_food"], _draft(1_000, due=early))
    v = deals.deal(demo, SYSTEM, did)
    assert v.overdue == ()  # an invitation owes nothing yet
    deals.move(demo, SYSTEM, did, "agreed")
    assert deals.deal(demo, SYSTEM, did).overdue == (v.deliverables[0].id,)
    for step in ("submitted", "approved"):
        deals.move(demo, SYSTEM, did, step)
    deals.move(demo, SYSTEM, did, "published", urls={v.deliverables[0].id: "https://v.douyin.example/1"})
    assert deals.deal(demo, SYSTEM, did).overdue == ()


def test_after_a_cancel_the_partner_can_be_invited_again_and_the_old_code_no_longer_works(demo):
    k, partners = _ids(demo, "双12 2026")
    wang = partners["laowang_food"]
    old = deals.create_deal(demo, SYSTEM, k, wang, _draft(1_000, due=NOW + timedelta(days=2)), code="WANGOLD",
                            offer_key="vip-10-off")  # fmt: skip
    assert coupons.redeem(demo, SYSTEM, "WANGOLD", "o-1", customer="a").ok
    deals.move(demo, SYSTEM, old, "cancelled")
    assert not coupons.redeem(demo, SYSTEM, "WANGOLD", "o-2", customer="b").ok  # the code is closed
    new = deals.create_deal(demo, SYSTEM, k, wang, _draft(2_000, due=NOW + timedelta(days=3)))
    assert new != old and deals.deal(demo, SYSTEM, new).status is kd.Status.INVITED
    with pytest.raises(KolRejected) as e:  # the cancelled deal's code stays taken
        deals.create_deal(demo, SYSTEM, *_ids(demo)[:1], partners["lily_closet"], _draft(1), code="wangold")
    assert _problems(e) == {("tracking_code", "code_taken_deal")}


def test_payments_stay_within_the_fees_and_fix_the_deals_currency(demo):
    k, partners = _ids(demo)
    did = deals.create_deal(demo, SYSTEM, k, partners["lily_closet"], _draft(50_000, currency="USD", rate=Decimal(7)))
    deals.move(demo, SYSTEM, did, "agreed")
    with pytest.raises(KolRejected) as e:
        deals.pay(demo, SYSTEM, did, 50_001, date(2027, 1, 15))
    assert _problems(e) == {("amount", "more_than_owed")}
    deals.pay(demo, SYSTEM, did, 20_000, date(2027, 1, 15), "deposit")
    assert budgets.view(demo, SYSTEM, k).total.actual == 140_000  # $200 at 7 = ¥1,400
    with pytest.raises(KolRejected) as e:  # the deposit was paid in dollars at 7: the deal stays so
        deals.edit_deal(demo, SYSTEM, did, _draft(50_000, currency="CNY"))
    assert _problems(e) == {("currency", "paid_in_currency")}
    deals.edit_deal(demo, SYSTEM, did, _draft(60_000, currency="USD", rate=Decimal(7)))  # fees may change
    for step in ("submitted", "approved"):
        deals.move(demo, SYSTEM, did, step)
    item = deals.deal(demo, SYSTEM, did).deliverables[0]
    deals.move(demo, SYSTEM, did, "published", urls={item.id: "https://weibo.example/1"})
    deals.move(demo, SYSTEM, did, "verified")
    deals.move(demo, SYSTEM, did, "paid")
    assert deals.deal(demo, SYSTEM, did).paid_minor == 60_000
    with pytest.raises(KolRejected) as e:
        deals.pay(demo, SYSTEM, did, 1, date(2027, 1, 20))
    assert _problems(e) == {("status", "not_agreed")}


def test_links_are_recorded_one_deliverable_at_a_time_with_the_time_they_went_out(demo):
    k, partners = _ids(demo, "双12 2026")
    two = _draft(1_000, 2_000, due=NOW - timedelta(hours=3))  # both past due
    did = deals.create_deal(demo, SYSTEM, k, partners["laowang_food"], two)
    first, second = deals.deal(demo, SYSTEM, did).deliverables
    with pytest.raises(KolRejected) as e:  # not before the content is approved
        deals.record_link(demo, SYSTEM, did, first.id, "https://v.douyin.example/1")
    assert _problems(e) == {("status", "not_approved")}
    for step in ("agreed", "submitted", "approved"):
        deals.move(demo, SYSTEM, did, step)
    with pytest.raises(KolRejected) as e:
        deals.record_link(demo, SYSTEM, did, first.id, "ftp://x", NOW + timedelta(minutes=5))
    assert _problems(e) == {("published_url", "not_a_url"), ("published_at", "in_the_future")}
    out = NOW - timedelta(hours=4)  # before it was due: on time
    deals.record_link(demo, SYSTEM, did, first.id, "https://v.douyin.example/1", out)
    v = deals.deal(demo, SYSTEM, did)
    assert v.overdue == (second.id,) and v.deliverables[0].published_at == out
    deals.move(demo, SYSTEM, did, "published", urls={second.id: "https://v.douyin.example/2"})
    assert [x.published_at for x in deals.deal(demo, SYSTEM, did).deliverables] == [out, NOW]


def test_spend_an_export_puts_on_a_dealt_partners_rows_is_not_counted_twice(demo):
    k, partners = _ids(demo, "双11 2026 · Double 11")
    before = budgets.view(demo, SYSTEM, k).total.actual
    with demo.uow(write=True) as uow:  # a boost of 小美's post bought on the platform, on her row
        row = (
            uow.session.execute(
                select(MetricDaily).where(MetricDaily.campaign_id == k, MetricDaily.partner_id.is_not(None))
            )
            .scalars()
            .first()
        )
        row.spend_minor += 123_456
    assert budgets.view(demo, SYSTEM, k).total.actual == before  # her deal's payments are her KOL money


def test_a_campaign_with_deals_keeps_its_currency(demo):
    from dataclasses import replace

    from app.services import planning

    k, partners = _ids(demo)
    deals.create_deal(demo, SYSTEM, k, partners["lily_closet"], _draft(1_000))
    plan = next(x.plan for x in planning.campaigns(demo, SYSTEM) if x.id == k)
    with pytest.raises(PlanRejected) as e:
        planning.save(demo, SYSTEM, k, replace(plan, currency="USD"))
    assert [(p.field, p.code) for p in e.value.problems] == [("currency", "has_kol_deals")]
    planning.save(demo, SYSTEM, k, replace(plan, name="年货节 2027 改"))  # anything else may still change

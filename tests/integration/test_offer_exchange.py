"""A campaign's rules out and in as JSON, on SQLite and PostgreSQL: round trips, and a bad file stores nothing."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.services import offer_exchange, offers, planning
from app.services.auth import Actor
from app.services.offers import OfferRejected
from campaigns.promotions import rules as r
from campaigns.promotions import serialize
from campaigns.promotions.cart import Cart, Context, Line
from data.models import AuditEvent, Workspace

SYSTEM = Actor.system()
AT = datetime(2027, 11, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EVERY_300 = r.Offer("every-300-50", "每满300减50", "CNY", r.Stage.SHOP, r.EveryStep(30_000, 5_000, cap_minor=15_000))
COUPON_90 = r.Offer("coupon-90", "9折券", "CNY", r.Stage.PLATFORM, r.PercentOff(10))
EVERY_300_JSON = serialize.to_json(EVERY_300)


@pytest.fixture
def two(container):
    """A workspace with two campaigns: (container, id of 双11 2027, id of 618 2027)."""
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="s", name="s", timezone="Asia/Shanghai", currency="CNY", created_at=AT, salt="00" * 32)
        )
    d11 = planning.create_from_template(container, SYSTEM, "double_11", 2027, "双11 Main 2027", 100_000)
    d618 = planning.create_from_template(container, SYSTEM, "day_618", 2027, "618 Warm-up", 100_000)
    return container, d11, d618


def _stored(c):
    return {s.offer.key: (s.campaign_id, s.active) for s in offers.offers(c, SYSTEM)}


def _document(*items):
    return {"format": "festa.rules", "version": 1, "offers": [serialize.to_json(o) for o in items]}


def _rekeyed(data, prefix):
    data = json.loads(json.dumps(data))
    for o in data["offers"]:
        o["key"] = prefix + o["key"]
    return data


def test_export_then_import_into_another_campaign_round_trips(two):
    c, d11, d618 = two
    offers.save(c, SYSTEM, EVERY_300, campaign_id=d11)
    offers.save(c, SYSTEM, COUPON_90, campaign_id=d11)
    offers.save(c, SYSTEM, r.Offer("paused", "停用", "CNY", r.Stage.SHOP, r.AmountOff(100)), d11, active=False)
    offers.save(c, SYSTEM, r.Offer("everywhere", "全店包邮", "CNY", r.Stage.SHIPPING, r.FreeShipping()))
    exported = offer_exchange.export_rules(c, SYSTEM, d11)
    assert [o["key"] for o in exported["offers"]] == ["coupon-90", "every-300-50"]  # its own active ones, by key
    text = json.dumps(exported, ensure_ascii=False)  # what a file holds

    copy = _rekeyed(json.loads(text), "618-")
    assert offer_exchange.import_rules(c, SYSTEM, d618, copy) == ["618-coupon-90", "618-every-300-50"]
    assert offer_exchange.export_rules(c, SYSTEM, d618) == copy
    assert _stored(c)["618-every-300-50"] == (d618, True) and _stored(c)["every-300-50"] == (d11, True)
    assert offer_exchange.import_rules(c, SYSTEM, d618, copy)  # importing again replaces: still one of each
    assert len(_stored(c)) == 6
    with c.uow() as uow:
        events = uow.session.query(AuditEvent).filter_by(action="rules_imported").all()
    assert [(e.entity, e.detail, e.source) for e in events] == [("618 Warm-up", "2 offers", "cli")] * 2


def test_keys_of_another_campaign_or_of_the_workspace_are_refused_and_nothing_is_stored(two):
    c, d11, d618 = two
    offers.save(c, SYSTEM, EVERY_300, campaign_id=d11)
    offers.save(c, SYSTEM, r.Offer("everywhere", "全店包邮", "CNY", r.Stage.SHIPPING, r.FreeShipping()))
    data = offer_exchange.export_rules(c, SYSTEM, d11)
    data["offers"].append({**data["offers"][0], "key": "everywhere"})
    data["offers"].append({**data["offers"][0], "key": "new-one"})
    before = _stored(c)
    with pytest.raises(OfferRejected) as err:
        offer_exchange.import_rules(c, SYSTEM, d618, data)
    assert [(p.field, p.code, p.params) for p in err.value.problems] == [
        ("offers.0.key", "taken", {"offer_key": "every-300-50", "campaign": "双11 Main 2027"}),
        ("offers.1.key", "taken", {"offer_key": "everywhere", "campaign": ""}),
    ]
    assert _stored(c) == before


def test_a_bad_file_stores_nothing(two):
    c, d11, _ = two
    with pytest.raises(OfferRejected) as err:
        offer_exchange.import_rules(c, SYSTEM, d11, {**_document(EVERY_300), "offers": [EVERY_300_JSON, {"key": "x"}]})
    assert [(p.field, p.code) for p in err.value.problems] == [
        ("offers.1.name", "required"),
        ("offers.1.currency", "required"),
        ("offers.1.stage", "required"),
        ("offers.1.benefit", "required"),
    ]
    blank_name = {**serialize.to_json(COUPON_90), "name": "   "}
    with pytest.raises(OfferRejected) as err:
        offer_exchange.import_rules(c, SYSTEM, d11, {**_document(EVERY_300), "offers": [EVERY_300_JSON, blank_name]})
    assert [(p.field, p.code) for p in err.value.problems] == [("offers.1.name", "required")]
    assert _stored(c) == {}


def test_the_set_is_checked_against_the_workspaces_other_active_offers(two):
    c, d11, d618 = two
    alone = r.Offer("alone", "独享", "CNY", r.Stage.SHOP, r.AmountOff(1_000), exclusive=True, priority=5)
    offers.save(c, SYSTEM, alone, campaign_id=d11)
    rival = r.Offer("rival", "另一个独享", "CNY", r.Stage.SHOP, r.AmountOff(2_000), exclusive=True, priority=5)
    data = _document(COUPON_90, rival)
    with pytest.raises(OfferRejected) as err:
        offer_exchange.import_rules(c, SYSTEM, d618, data)
    assert [(p.field, p.code, p.params) for p in err.value.problems] == [
        ("offers.1", "exclusive_overlap", {"other": "独享"})
    ]
    assert set(_stored(c)) == {"alone"}
    offers.set_active(c, SYSTEM, "alone", False)  # paused offers stand in no cart: now it may come in
    assert offer_exchange.import_rules(c, SYSTEM, d618, data) == ["coupon-90", "rival"]


def test_an_unknown_campaign_is_refused(two):
    c, _, _ = two
    with pytest.raises(OfferRejected) as err:
        offer_exchange.export_rules(c, SYSTEM, 999)
    assert err.value.problems[0].code == "no_such_campaign"
    with pytest.raises(OfferRejected):
        offer_exchange.import_rules(c, SYSTEM, 999, {"format": "festa.rules", "version": 1, "offers": []})


def test_a_campaign_is_found_by_id_name_or_slug(two):
    c, d11, d618 = two
    for ref in (str(d11), "双11 Main 2027", "双11-main-2027", " 双11 MAIN 2027 "):
        assert offer_exchange.find_campaign(c, SYSTEM, ref) == d11
    assert offer_exchange.find_campaign(c, SYSTEM, "618-warm-up") == d618
    with pytest.raises(OfferRejected) as err:
        offer_exchange.find_campaign(c, SYSTEM, "d12")
    (p,) = err.value.problems
    assert (p.field, p.code, p.params["choices"]) == ("campaign", "no_such_campaign", [
        f"{d11} 双11-main-2027", f"{d618} 618-warm-up"])  # fmt: skip
    planning.create_from_template(c, SYSTEM, "day_618", 2027, "618 warm up", 1)
    with pytest.raises(OfferRejected) as err:
        offer_exchange.find_campaign(c, SYSTEM, "618-warm-up")
    assert err.value.problems[0].code == "ambiguous"


def test_a_campaigns_quote_counts_its_own_and_the_workspace_wide_offers(two):
    c, d11, d618 = two
    offers.save(c, SYSTEM, EVERY_300, campaign_id=d11)
    offers.save(c, SYSTEM, COUPON_90, campaign_id=d618)
    offers.save(c, SYSTEM, r.Offer("ship", "包邮", "CNY", r.Stage.SHIPPING, r.FreeShipping()))
    cart = Cart("CNY", (Line("a", "tea", 40_000, 1), Line("b", "cup", 25_000, 1)), 800)
    for campaign, applied in ((d11, ["every-300-50", "ship"]), (d618, ["coupon-90", "ship"]), (None, None)):
        q = offers.quote_cart(c, SYSTEM, cart, Context(AT), campaign_id=campaign)
        assert [a.offer for a in q.applied] == (applied or ["every-300-50", "coupon-90", "ship"])

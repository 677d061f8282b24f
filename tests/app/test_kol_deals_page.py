"""The KOL deals page on the demo workspace: invite a partner, move the deal along its flow with a comment and
URLs, record a payment; a fee in another currency without a rate is refused and saves nothing; read-only roles."""

import pytest

from app.services import budgets, kol_deals
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _page(c, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/kol_deals.py").run()
    assert not at.exception, at.exception
    return at


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _deals(c, partner_id=4):
    """The partner's deals in the running campaign (美食家老王, id 4, has none there in the demo)."""
    return [v for v in kol_deals.deals(c, SYSTEM, partner_id=partner_id) if v.campaign_name == "双12 2026"]


@pytest.mark.parametrize("lang, title", [("en", "KOL deals"), ("zh-CN", "达人合作")])
def test_the_page_opens_in_both_languages(demo_app, lang, title):
    text = visible_text(_page(demo_app, lang=lang))
    assert title in text and "⟦" not in text


def test_a_marketer_invites_a_partner_with_a_coupon_code_and_moves_the_deal_to_paid(demo_app):
    at = _page(demo_app)
    actual_before = budgets.view(demo_app, SYSTEM, 2).total.actual
    # the running 双12 opens; 美食家老王 (id 4) is the one demo partner not in it yet
    assert _by_label(at.selectbox, "Partner").options == ["美食家老王 · @laowang_food"]
    _by_label(at.text_input, "Personal tracking code").input("wang-d12")
    _by_label(at.selectbox, "Personal coupon (offer)").select("shop-every-300-50")
    _by_label(at.text_input, "Landing page").input("https://shop.example.com/d12")
    _by_label(at.text_area, "Must say (one per line)").input("满300减50")
    _by_label(at.button, "Invite").click().run()
    assert not at.exception, at.exception
    assert "美食家老王 invited." in [s.value for s in at.success]
    [deal] = _deals(demo_app)
    assert deal.deal.tracking_code == "WANGD12" and deal.deal.offer_key == "shop-every-300-50"
    assert deal.fee_minor == 3_500_000 and deal.deliverables[0].platform == "douyin"  # the card's cheapest
    assert "utm_content=WANGD12" in deal.deal.tracking_link
    assert "WANGD12" in visible_text(at)

    for step, comment in (("agreed", ""), ("submitted", ""), ("approved", "looks good")):
        _by_label(at.radio, "Move to").set_value(step)
        _by_label(at.text_area, "Comment").input(comment)
        _by_label(at.button, "Apply").click().run()
        assert not at.exception, at.exception
    assert _deals(demo_app)[0].deal.status == "approved"
    _by_label(at.radio, "Move to").set_value("published")
    _by_label(at.button, "Apply").click().run()
    assert any("its published URL is needed" in e.value for e in at.error)
    assert _deals(demo_app)[0].deal.status == "approved"
    _by_label(at.text_input, "Deliverable 1 · Short video").input("https://v.douyin.example/wang1")
    _by_label(at.button, "Apply").click().run()
    assert _deals(demo_app)[0].deal.status == "published"
    with_payment = _by_label(at.number_input, "Amount (CNY)")
    with_payment.set_value(30_000)
    _by_label(at.button, "Record").click().run()
    assert not at.exception and _deals(demo_app)[0].paid_minor == 3_000_000
    assert budgets.view(demo_app, SYSTEM, 2).total.actual == actual_before + 3_000_000  # the payment is actual
    assert any("looks good" in x.value for x in at.text)  # the history, shown as plain text


def test_a_fee_in_another_currency_without_a_rate_is_named_and_nothing_is_saved(demo_app):
    at = _page(demo_app, lang="zh-CN")
    _by_label(at.text_input, "币种").input("USD")
    _by_label(at.button, "发出邀请").click().run()
    errors = [e.value for e in at.error]
    assert any("汇率" in e and "USD" in e for e in errors), errors
    assert _deals(demo_app) == []


def test_the_demo_deals_show_their_overdue_deliverable(demo_app):
    at = _page(demo_app)
    table = at.dataframe[0].value
    assert set(table["Partner"]) == {"小美爱种草", "阿强说数码", "Lily的衣橱"}
    late = table[table["Partner"] == "阿强说数码"]["Overdue"].iloc[0]
    assert late == "⚠ 1" and at.metric[2].value == "1"


def test_an_analyst_reads_but_cannot_invite(demo_app):
    at = _page(demo_app, role="analyst")
    assert "Your role can view deals but not change them." in [i.value for i in at.info]
    assert not [b for b in at.button if b.label == "Invite"]


def test_a_published_link_is_recorded_for_one_deliverable(demo_app):
    [mei] = _deals(demo_app, partner_id=1)  # 小美爱种草's approved deal in the running campaign
    at = _page(demo_app)
    _by_label(at.selectbox, "Deal").select(mei.deal.id).run()
    _by_label(at.text_input, "Published URL").input("https://www.xiaohongshu.com/explore/mei12")
    _by_label(at.button, "Save link").click().run()
    assert not at.exception, at.exception
    [after] = _deals(demo_app, partner_id=1)
    assert after.deliverables[0].published_url == "https://www.xiaohongshu.com/explore/mei12"
    assert after.deliverables[0].published_at is not None and after.deal.status == "approved"

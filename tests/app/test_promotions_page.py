from app.services import offers
from app.services.auth import Actor
from campaigns.promotions import rules as r
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _page(c, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/promotions.py").run()
    assert not at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_marketer_adds_an_every_300_off_50_offer(demo_app):
    at = _page(demo_app)
    at.selectbox[0].select("every_step").run()
    at.selectbox[1].select("shop").run()
    at.text_input[0].input("d11-shop-300-50")
    at.text_input[1].input("每满300减50")
    at.number_input[3].set_value(150.0)  # priority, step, off, cap
    _button(at, "Save offer").click().run()
    assert not at.exception and not at.error and "Offer d11-shop-300-50 saved." in [s.value for s in at.success]
    stored = next(s for s in offers.offers(demo_app, SYSTEM) if s.offer.key == "d11-shop-300-50")
    assert stored.offer.benefit == r.EveryStep(30_000, 5_000, 15_000) and stored.offer.stage == "shop"


def test_a_percentage_over_100_is_named_at_its_field_and_not_stored(demo_app):
    at = _page(demo_app, lang="zh-CN")
    at.text_input[0].input("too-much")
    at.text_input[1].input("太多")
    at.number_input[1].set_value(120.0)  # priority, percent
    _button(at, "保存优惠").click().run()
    assert [e.value for e in at.error] == ["折扣百分比：不能超过 100%。"]
    assert "too-much" not in [s.offer.key for s in offers.offers(demo_app, SYSTEM)]


def test_the_simulator_explains_the_quote(demo_app):
    for s in offers.offers(demo_app, SYSTEM):  # the demo's own offers would join in
        offers.set_active(demo_app, SYSTEM, s.offer.key, False)
    offers.save(demo_app, SYSTEM, r.Offer("every", "每满300减50", "CNY", r.Stage.SHOP, r.EveryStep(30_000, 5_000)))
    offers.save(
        demo_app,
        SYSTEM,
        r.Offer("vip", "VIP 9折", "CNY", r.Stage.ITEM, r.PercentOff(10), eligibility=r.Eligibility(segments={"vip"})),
    )
    at = _page(demo_app, role="analyst")
    assert "Save offer" not in [b.label for b in at.button]  # an analyst only simulates
    _button(at, "Quote").click().run()  # the sample cart: ¥399 + 3 × ¥29 = ¥486, shipping ¥10
    assert not at.exception
    text = visible_text(at)
    assert "✓ 每满300减50 (Shop): CN¥50.00 off" in text
    assert "✗ VIP 9折: only for vip" in text
    assert "Spend CN¥114.00 more for CN¥100.00 off with 每满300减50." in text
    assert [m.value for m in at.metric] == ["CN¥486.00", "CN¥50.00", "CN¥10.00", "CN¥446.00"]

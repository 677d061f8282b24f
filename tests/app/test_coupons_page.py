import csv
import io

from app.services import coupons, flash_sales
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text


def _page(c, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/coupons.py").run()
    assert not at.exception
    return at


def test_a_marketer_generates_a_batch_and_exports_it_for_shopify(demo_app):
    at = _page(demo_app)
    at.text_input[0].input("d11-shop-coupon")
    at.text_input[1].input("双11 店铺券")
    at.text_input[2].input("d11-")
    at.number_input[0].set_value(250)
    at.selectbox[0].select("multi_use")
    at.number_input[1].set_value(3)
    at.button[0].click().run()
    assert not at.exception and "250 codes generated." in [s.value for s in at.success]
    (batch,) = coupons.batches(demo_app, Actor.system())
    assert (batch.count, batch.max_uses, batch.prefix) == (250, 3, "D11-")
    at.selectbox[2].select("shopify")
    at.button[1].click().run()  # prepare the file
    data = at.get("download_button")[0]
    assert data is not None and not at.exception
    rows = list(
        csv.reader(io.StringIO(coupons.export_batch(demo_app, Actor.system(), batch.id, "shopify").decode("utf-8-sig")))
    )
    assert rows[0] == ["Title", "Command", "Code"] and len(rows) == 251 and rows[1][2].startswith("D11-")


def test_a_bad_batch_is_named_at_its_field_and_nothing_is_stored(demo_app):
    at = _page(demo_app, lang="zh-CN")
    at.text_input[0].input("d11")
    at.text_input[1].input("bad")
    at.text_input[2].input("-x")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["前缀：must not start with '-'"]
    assert coupons.batches(demo_app, Actor.system()) == []


def test_flash_stock_is_set_and_shown_and_others_only_read(demo_app):
    at = _page(demo_app)
    at.text_input[-1].input("d11-flash-earbuds")  # the stock form's offer key
    at.number_input[-3].set_value(100)
    next(b for b in at.button if b.label == "Save stock").click().run()
    (stock,) = flash_sales.stocks(demo_app, Actor.system())
    assert (stock.offer_key, stock.stock, stock.per_user_limit, stock.per_order_limit) == (
        "d11-flash-earbuds",
        100,
        1,
        1,
    )
    viewer = _page(demo_app, role="analyst")
    assert "d11-flash-earbuds" in visible_text(viewer) and not viewer.form

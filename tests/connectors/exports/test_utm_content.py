"""utm_content as the readers give it: a KOL deal's tracking link carries the partner's tracking code there."""

from __future__ import annotations

from connectors.exports import ga4, orders
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

ORDERS = (
    "order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,utm_content,customer_id\n"
    "D11-0001,2026-11-11T00:05:12+08:00,299.00,CNY,amy-z7kd3,xiaohongshu,kol,double-11,AMYZ7KD3,a@example.com\n"
    "D11-0002,2026-11-11 10:00:00,88,CNY,,douyin,kol,double-11, BOBQ9XW2 ,b@example.com\n"
    "D11-0003,2026-11-12,45.99,CNY,,,,,,\n"
)


def test_orders_read_utm_content_as_written():
    doc = open_document("orders.csv", ORDERS.encode())
    assert orders.sniff(doc)
    result = orders.read(doc, ReadOptions())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["utm_content"]) == ["AMYZ7KD3", "BOBQ9XW2", ""]  # trimmed, as every text cell
    assert list(f["code"]) == ["AMY-Z7KD3", "", ""]  # the coupon code, upper-cased as before


def test_orders_without_a_utm_content_column_have_it_empty():
    text = "order_id,ordered_at,amount,currency\nA1,2026-11-11,10,CNY\n"
    result = orders.read(open_document("orders.csv", text.encode()), ReadOptions())
    assert result.ok and list(result.frame["utm_content"]) == [""]


def test_ga4_session_manual_ad_content_is_utm_content():
    text = (
        "# Traffic acquisition\n# Property: festa.example\n# Start date: 20261111\n# End date: 20261111\n"
        "Session source / medium,Session manual ad content,Date,Sessions,Key events,Total revenue\n"
        "xiaohongshu / kol,AMYZ7KD3,20261111,120,4,800\n"
        "google / organic,(not set),20261111,300,2,100\n"
    )
    doc = open_document("ga4.csv", text.encode())
    assert ga4.sniff(doc)
    result = ga4.read(doc, ReadOptions(currency="CNY"))
    assert result.ok, result.problems
    assert list(result.frame["utm_content"]) == ["AMYZ7KD3", ""]
    assert list(result.frame["utm_medium"]) == ["kol", "organic"]

"""Orders exports: Festa's layout, a Chinese shop's XLSX and a Shopify-style CSV; customers hashed on the way in."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from campaigns.privacy import customer_hash
from connectors.exports import orders
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

SALT = "5f" * 16
HASHER = ReadOptions(hasher=lambda who: customer_hash(SALT, who))

FESTA = (
    "order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,customer_id\n"
    "D11-0001,2026-11-11T00:05:12+08:00,299.00,CNY, d11-300-50 ,wechat,social,double11,li.wei@example.com\n"
    "D11-0002,2026-11-10T23:59:59-05:00,1299.5,CNY,,xhs,kol,double11,+86 138-0013-0007\n"
    "D11-0003,2026-11-11 10:00:00,88,CNY,VIP-20,,,,Li.Wei@Example.com\n"
    "D11-0004,2026-11-12,45.99,CNY,,,,,\n"
)
RAW_IDS = ("li.wei@example.com", "Li.Wei@Example.com", "138-0013-0007", "13800130007")


def _read(name: str, raw: bytes, options: ReadOptions = HASHER):
    doc = open_document(name, raw)
    assert orders.sniff(doc)
    return orders.read(doc, options)


def _leaks(result, raw_ids=RAW_IDS) -> list[str]:
    cells = " ".join(result.frame.astype("str").to_numpy().ravel()) + repr(result.problems) + repr(result.info)
    return [r for r in raw_ids if r.casefold() in cells.casefold()]


def test_festa_layout_one_row_per_order_with_hashed_customers():
    result = _read("orders.csv", FESTA.encode())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["entity"]) == ["D11-0001", "D11-0002", "D11-0003", "D11-0004"]
    # the day is the date as written, whatever the zone
    assert list(f["day"]) == [date(2026, 11, 11), date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)]
    assert list(f["orders"]) == [1, 1, 1, 1] and int(f["revenue_minor"].sum()) == 29900 + 129950 + 8800 + 4599
    assert list(f["code"]) == ["D11-300-50", "", "VIP-20", ""]
    assert list(f["utm_campaign"]) == ["double11", "double11", "", ""] and set(f["currency"]) == {"CNY"}
    hashes = list(f["customer_hash"])
    assert hashes[0] == hashes[2] == customer_hash(SALT, "li.wei@example.com")  # same customer, same hash
    assert hashes[1] == customer_hash(SALT, "13800130007") and hashes[3] == ""
    assert result.info["customers"] == "hashed"
    assert _leaks(result) == []


def test_without_a_hasher_no_customer_is_kept():
    result = _read("orders.csv", FESTA.encode(), ReadOptions())
    assert result.ok and set(result.frame["customer_hash"]) == {""}
    assert result.info["customers"] == "not kept" and _leaks(result) == []


def test_chinese_shop_xlsx_with_long_ids_yen_amounts_and_a_total_row():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["订单号", "下单时间", "实付金额", "优惠码", "手机号"])
    ws.append(["3201987654321098765", "2026/11/11 00:05:12", "¥1,299.00", "d11-300-50", "13800130007"])
    ws.append(["3201987654321098766", "2026/11/11 23:59:59", "￥86.5", "", 13900139000])
    ws.append(["合计", "", "¥1,385.50", "", ""])
    buf = io.BytesIO()
    book.save(buf)
    result = _read("订单.xlsx", buf.getvalue(), ReadOptions(currency="CNY", hasher=HASHER.hasher))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["entity"]) == ["3201987654321098765", "3201987654321098766"]  # 19 digits kept as text
    assert list(f["day"]) == [date(2026, 11, 11), date(2026, 11, 11)]
    assert int(f["revenue_minor"].sum()) == 138550 and list(f["code"]) == ["D11-300-50", ""]
    assert result.skipped == [(4, "total")]
    assert _leaks(result, ("13800130007", "13900139000")) == []


def test_an_amount_without_a_currency_is_a_problem():
    text = "订单号,下单时间,实付金额\nA1,2026-11-11 00:05:12,10\n"
    result = _read("o.csv", text.encode())
    assert [(p.code, p.column) for p in result.problems] == [("currency_unknown", "实付金额")]


def test_shopify_style_export():
    text = (
        "Order ID,Created at,Total,Currency,Discount Code,Email\n"
        "#1001,2026-11-27 23:30:00 -0500,120.00,USD,bf30,ann@example.org\n"
        "#1002,2026-11-28 00:10:00 -0500,80.00,USD,,bob@example.org\n"
    )
    result = _read("shopify.csv", text.encode())
    assert result.ok, result.problems
    assert list(result.frame["day"]) == [date(2026, 11, 27), date(2026, 11, 28)]
    assert list(result.frame["code"]) == ["BF30", ""] and int(result.frame["revenue_minor"].sum()) == 20000
    assert _leaks(result, ("ann@example.org", "bob@example.org")) == []


def test_a_refund_is_bad_money_named_by_row_and_column_and_the_customer_stays_hidden():
    result = _read("orders.csv", FESTA.replace("1299.5", "-1299.5").encode())
    assert [(p.file, p.code, p.row, p.column) for p in result.problems] == [("orders.csv", "bad_money", 3, "amount")]
    assert _leaks(result) == []


def test_duplicate_order_ids_are_named_with_their_rows():
    result = _read("orders.csv", FESTA.replace("D11-0003", "D11-0001").encode())
    [p] = result.problems
    assert (p.code, p.row, p.column, p.param("order"), p.param("rows")) == (
        "duplicate_order",
        4,
        "order_id",
        "D11-0001",
        "2, 4",
    )


def test_a_row_without_an_order_id_is_named():
    result = _read("orders.csv", FESTA.replace("D11-0004", "").encode())
    assert [(p.code, p.row) for p in result.problems] == [("missing_order_id", 5)]


def test_day_first_or_month_first_is_asked_not_guessed():
    text = "order_id,ordered_at,amount,currency\nA1,03/11/2026 10:00,10,EUR\nA2,04/11/2026 11:00,5,EUR\n"
    assert _read("o.csv", text.encode()).needs == "date_order"
    result = _read("o.csv", text.encode(), ReadOptions(date_order="dmy"))
    assert result.ok and list(result.frame["day"]) == [date(2026, 11, 3), date(2026, 11, 4)]


def test_a_known_header_with_a_required_column_missing():
    result = _read("o.csv", b"order_id,amount,currency\nA1,10,CNY\n")
    assert [(p.code, p.param("field")) for p in result.problems] == [("missing_column", "day")]


def test_sniff_is_false_for_other_platforms():
    others = [
        "Day,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n",
        "发表时间,文章标题,msgid,送达人数,图文阅读次数\n2026-11-01,t,1_1,1,1\n",
        "笔记ID,笔记标题,发布时间,曝光量\nabc,t,2026-11-01,1\n",
    ]
    for text in others:
        assert not orders.sniff(open_document("x.csv", text.encode()))

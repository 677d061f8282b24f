"""Xiaohongshu note reports: 蒲公英 XLSX with 万 values and a 合计 row, 聚光-style CSV with spend, note ids as text."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from connectors.exports import xiaohongshu
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

HEADER = [
    "笔记ID",
    "笔记标题",
    "达人昵称",
    "发布时间",
    "曝光量",
    "阅读量",
    "点赞量",
    "收藏量",
    "评论量",
    "分享量",
    "互动量",
]


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["蒲公英 · 订单数据"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _read(name: str, raw: bytes, options: ReadOptions | None = None):
    doc = open_document(name, raw)
    assert xiaohongshu.sniff(doc)
    return xiaohongshu.read(doc, options or ReadOptions())


def test_pugongying_xlsx_reads_wan_values_and_totals_match_the_total_row():
    raw = _xlsx(
        [
            HEADER,
            [
                "6543e1f2000000001e03a8b1",
                "双11必买清单",
                "小鹿爱囤货",
                datetime(2026, 11, 1, 20, 0),
                "12.5万",
                "3.2万",
                "1.2万",
                "4,520",
                310,
                88,
                "1.7万",
            ],
            [
                "654300000000000000000001",
                "满减怎么凑",
                "阿橙",
                "2026-11-03 12:30",
                80000,
                21000,
                900,
                400,
                35,
                12,
                1347,
            ],
            ["合计", "", "", "", "20.5万", "5.3万", "1.29万", "4,920", 345, 100, "1.8347万"],
        ]
    )
    result = _read("蒲公英.xlsx", raw)
    assert result.ok, result.problems
    f = result.frame
    assert list(f["post_id"]) == ["6543e1f2000000001e03a8b1", "654300000000000000000001"]  # text, digits kept
    assert list(f["entity"]) == ["双11必买清单", "满减怎么凑"] and list(f["account"]) == ["小鹿爱囤货", "阿橙"]
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 3)]
    sums = {m: int(f[m].sum()) for m in ("impressions", "video_views", "likes", "saves", "comments", "shares")}
    assert sums == {
        "impressions": 205000,
        "video_views": 53000,
        "likes": 12900,
        "saves": 4920,
        "comments": 345,
        "shares": 100,
    }
    assert int(f["engagements"].sum()) == 18347  # the platform's 互动量, as it reports it
    assert set(f["currency"]) == {""}  # no money in a KOL note report
    assert result.skipped == [(5, "total")]


def test_csv_with_spend_clicks_and_no_engagement_column():
    text = (
        "笔记id,笔记标题,作者,日期,展现量,观看量,点击量,点赞,收藏,评论,分享,消费(元)\n"
        '6543e1f2000000001e03a8b1,双11必买清单,小鹿爱囤货,2026-11-01 20:00,10000,2100,350,120,40,12,3,"1,204.50"\n'
        "6543e1f2000000001e03a8b1,双11必买清单,小鹿爱囤货,2026-11-02 09:15:00,8000,1500,210,80,--,5,1,980\n"
        '总计,,,,18000,3600,560,200,40,17,4,"2,184.50"\n'
    )
    result = _read("聚光.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["engagements"]) == [120 + 40 + 12 + 3, 80 + 0 + 5 + 1]  # likes + saves + comments + shares
    assert int(f["spend_minor"].sum()) == 218450 and set(f["currency"]) == {"CNY"}
    assert (int(f["impressions"].sum()), int(f["clicks"].sum()), int(f["video_views"].sum())) == (18000, 560, 3600)
    assert result.skipped == [(4, "total")]


def test_the_person_can_name_another_currency():
    text = "笔记ID,发布时间,曝光量,消耗\nabc,2026-11-01,1,2.5\n"
    result = _read("a.csv", text.encode(), ReadOptions(currency="USD"))
    assert result.ok and result.frame.loc[0, "currency"] == "USD" and result.frame.loc[0, "spend_minor"] == 250


def test_a_bad_cell_is_named_by_file_row_and_column():
    raw = _xlsx([HEADER, ["a", "t", "n", "2026-11-01", "1.2万x", 1, 1, 1, 1, 1, 1]])
    result = _read("k.xlsx", raw)
    assert [(p.file, p.code, p.row, p.column) for p in result.problems] == [("k.xlsx", "bad_number", 3, "曝光量")]


def test_a_note_report_without_its_date_column_is_refused():
    result = _read("a.csv", "笔记ID,笔记标题,曝光量,点赞\nabc,t,1,1\n".encode())
    assert [(p.code, p.param("field")) for p in result.problems] == [("missing_column", "day")]


def test_sniff_is_false_for_other_platforms():
    others = [
        "Day,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n",
        "发表时间,文章标题,msgid,送达人数,图文阅读次数,点赞\n2026-11-01,t,1_1,1,1,1\n",
        "order_id,ordered_at,amount\nA1,2026-11-11 00:05:12,10\n",
    ]
    for text in others:
        assert not xiaohongshu.sniff(open_document("x.csv", text.encode()))

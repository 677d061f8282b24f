"""WeChat Official Account 图文分析 exports: UTF-8-BOM and GB18030 CSV, XLSX, 合计/总计 rows, msgid as text."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from campaigns import facts
from connectors.exports import wechat
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

# the 单篇图文 layout: people and times side by side; the platform's own 合计 row last
ARTICLES = (
    "发表时间,文章标题,msgid,送达人数,图文阅读人数,图文阅读次数,分享人数,分享次数,收藏人数,收藏次数,"
    "原文阅读人数,原文阅读次数,点赞,在看,留言\n"
    '2026-11-01,双11预热：满300减50,2247483650_1,"12,034",3210,"4,021",120,150,80,95,40,52,210,33,18\n'
    "20261102,开门红清单,2247483651_1,12050,2800,3300,90,101,60,70,30,31,150,20,9\n"
    "2026-11-11 20:00,--,2247483652_2,12100,--,--,--,--,--,--,--,--,--,--,--\n"
    '合计,,,"36,184",6010,"7,321",210,251,140,165,70,83,360,53,27\n'
)


def _read(name: str, raw: bytes, options: ReadOptions | None = None):
    doc = open_document(name, raw)
    assert wechat.sniff(doc)
    return wechat.read(doc, options or ReadOptions())


def test_bom_csv_totals_match_the_total_row_which_is_left_out():
    result = _read("图文分析.csv", b"\xef\xbb\xbf" + ARTICLES.encode("utf-8"))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 11)]
    assert list(f["post_id"]) == ["2247483650_1", "2247483651_1", "2247483652_2"]
    assert list(f["campaign"]) == list(f["entity"]) == ["双11预热：满300减50", "开门红清单", ""]
    # the file's 合计 row: 图文阅读次数 7,321, 分享次数 251, 收藏次数 165, 原文阅读次数 83, 点赞 360, 留言 27
    totals = {m: int(f[m].sum()) for m in ("impressions", "shares", "saves", "clicks", "likes", "comments")}
    assert totals == {"impressions": 7321, "shares": 251, "saves": 165, "clicks": 83, "likes": 360, "comments": 27}
    assert list(f["reach"]) == [12034, 12050, 12100]  # 送达人数 per row, never summed later
    assert list(f["engagements"]) == [150 + 95 + 210 + 18, 101 + 70 + 150 + 9, 0]
    assert set(f["source"]) == {"wechat"} and set(f.columns) == {*facts.COLUMNS, "_row"}
    assert result.skipped == [(5, "total")]


def test_gb18030_daily_export_reads_yyyymmdd_and_saves_from_people_when_only_they_are_there():
    text = (
        "图文群发每日数据\n"
        "统计日期,标题,阅读人数,阅读次数,分享次数,收藏人数,评论\n"
        "20261110,预售开启,1200,1500,30,12,4\n"
        "20261111,狂欢日,2400,3100,66,25,-\n"
        "总计,,3600,4600,96,37,4\n"
    )
    result = _read("daily.csv", text.encode("gb18030"))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 10), date(2026, 11, 11)]
    assert (int(f["impressions"].sum()), int(f["shares"].sum()), int(f["saves"].sum())) == (4600, 96, 37)
    assert list(f["comments"]) == [4, 0]
    assert result.skipped == [(5, "total")]


def test_xlsx_with_account_column_and_real_dates():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(
        ["公众号", "日期", "文章标题", "消息ID", "送达人数", "图文阅读次数", "分享次数", "收藏次数", "点赞", "留言"]
    )
    ws.append(["节日研究所", datetime(2026, 11, 1), "满减攻略", "2247483650_1", 8000, 2000, 40, 22, 55, 7])
    ws.append(["节日研究所", datetime(2026, 11, 2), "满减攻略", "2247483650_1", 8000, 800, 10, 3, 5, 1])
    ws.append(["合计", None, None, None, None, 2800, 50, 25, 60, 8])
    buf = io.BytesIO()
    book.save(buf)
    result = _read("wechat.xlsx", buf.getvalue())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["account"]) == ["节日研究所", "节日研究所"]
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 2)]
    assert int(f["impressions"].sum()) == 2800 and int(f["engagements"].sum()) == 50 + 25 + 60 + 8
    assert result.skipped == [(4, "total")]


def test_a_bad_cell_is_named_by_file_row_and_column():
    result = _read("a.csv", ARTICLES.replace('"4,021"', "四千").encode("utf-8"))
    assert [(p.file, p.code, p.row, p.column) for p in result.problems] == [("a.csv", "bad_number", 2, "图文阅读次数")]


def test_a_known_header_without_its_date_column_is_refused():
    text = "文章标题,送达人数,图文阅读次数\n满减攻略,100,20\n"
    result = _read("a.csv", text.encode("utf-8"))
    assert [(p.code, p.param("field")) for p in result.problems] == [("missing_column", "day")]
    assert result.frame.empty


def test_sniff_is_false_for_other_platforms():
    others = [
        "Day,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n",
        "笔记ID,笔记标题,发布时间,曝光量,阅读量,点赞\n6543e1f2a0b1c2d3e4f5a6b7,t,2026-11-01,1,1,1\n",
        "order_id,ordered_at,amount\nA1,2026-11-11 00:05:12,10\n",
    ]
    for text in others:
        assert not wechat.sniff(open_document("x.csv", text.encode()))

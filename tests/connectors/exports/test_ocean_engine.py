"""Ocean Engine (巨量引擎) and Qianchuan downloads: GB18030 and UTF-8-BOM CSV, XLSX, 万 units, 总计 rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from connectors.exports import ga4, google_ads, ocean_engine, tiktok
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

# Ocean Engine 2.0 unit report, as saved by Excel on Chinese Windows (GB18030), totals in the last row
REPORT = (
    "时间-天,项目ID,项目名称,单元ID,单元名称,转化目标,消耗(元),展示数,平均千次展现费用(元),点击数,点击率%,"
    "平均点击单价(元),转化数,平均转化成本,转化率%,成交金额(元),支付ROI,3S播放数\n"
    '2026-11-01,7430000000000000001,双11预热,7430000000000000101,单元A,商品购买,"1,234.56",1.2万,102.88,"3,456",'
    '28.8,0.36,45,27.43,1.3,"5,678.90",4.6,8000\n'
    '2026-11-01,7430000000000000001,双11预热,7430000000000000102,单元B,商品购买,765.44,"8,000",95.68,544,6.8,'
    "1.41,--,-,--,-,-,-\n"
    "2026-11-02,7430000000000000001,双11预热,7430000000000000101,单元A,商品购买,1.5万,10.5万,142.86,1.1万,"
    "10.48,1.36,300,50,2.73,6.2万,4.13,5万\n"
    '总计,,,,,,1.7万,12.5万,136,1.5万,12,1.13,345,49.28,2.3,"67,678.90",3.98,5.8万\n'
)


def _read(name: str, raw: bytes):
    doc = open_document(name, raw)
    assert ocean_engine.sniff(doc)
    return ocean_engine.read(doc, ReadOptions())


def test_gb18030_report_totals_match_its_total_row():
    result = _read("巨量引擎_单元报表.csv", REPORT.encode("gb18030"))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 2)]
    assert f["spend_minor"].sum() == 1_700_000  # 总计 1.7万 元
    assert f["impressions"].sum() == 125_000 and f["clicks"].sum() == 15_000
    assert f["conversions"].sum() == 345 and f["video_views"].sum() == 58_000
    assert f["revenue_minor"].sum() == 6_767_890
    assert list(f["spend_minor"]) == [123456, 76544, 1_500_000]
    assert list(f["campaign"]) == ["双11预热"] * 3 and list(f["entity"]) == ["单元A", "单元B", "单元A"]
    assert set(f["currency"]) == {"CNY"}
    assert result.skipped == [(5, "total")]


def test_utf8_bom_report_with_slashed_days_plain_headers_and_a_summary_row():
    text = (
        "日期,广告组名称,计划名称,消耗,展示数,点击数,转化数,支付金额,播放数,roi\n"
        "2026/11/01,大促,计划甲,100.5,1000,10,1,300,50,2.99\n"
        "2026/11/02,大促,计划乙,99.5,1000,20,2,100,40,1.01\n"
        "汇总,,,200,2000,30,3,400,90,2\n"
    )
    f = _read("r.csv", b"\xef\xbb\xbf" + text.encode("utf-8")).frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 2)]
    assert list(f["campaign"]) == ["大促", "大促"] and list(f["entity"]) == ["计划甲", "计划乙"]
    assert f["spend_minor"].sum() == 20000 and f["revenue_minor"].sum() == 40000 and f["video_views"].sum() == 90


def test_qianchuan_xlsx_names_rows_by_plan_id_as_text_and_drops_the_heji_row():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["日期", "计划ID", "计划名称", "消耗(元)", "展示数", "点击数", "转化数", "成交金额", "roi", "净成交金额"])
    ws.append([datetime(2026, 11, 11), "1790000000000000001", "直播间成交", 1000.1, 50000, 900, 30, 4500.5, 4.5, 4000])
    ws.append([datetime(2026, 11, 11), "1790000000000000002", "短视频带货", 2000, 70000, 1100, 20, 3000, 1.5, 2900])
    ws.append(["合计", None, None, 3000.1, 120000, 2000, 50, 7500.5, 2.5, 6900])
    out = io.BytesIO()
    book.save(out)
    result = _read("千川.xlsx", out.getvalue())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["entity"]) == ["1790000000000000001", "1790000000000000002"]
    assert list(f["campaign"]) == ["直播间成交", "短视频带货"]
    assert f["spend_minor"].sum() == 300010 and f["revenue_minor"].sum() == 750050  # 成交金额, not 净成交金额
    assert f["impressions"].sum() == 120000 and set(f["day"]) == {date(2026, 11, 11)}
    assert result.skipped == [(4, "total")]


def test_a_project_named_like_a_total_is_kept():
    text = "项目名称,时间-天,消耗,展示数,点击数\n合计测试项目,2026-11-01,1,2,3\n总计(共1条),,1,2,3\n"
    result = _read("r.csv", text.encode("gb18030"))
    assert list(result.frame["campaign"]) == ["合计测试项目"] and result.skipped == [(3, "total")]


def test_a_bad_cell_is_named_by_file_row_and_column():
    result = _read("r.csv", REPORT.replace('"3,456"', "三千").encode("gb18030"))
    assert [(p.code, p.file, p.row, p.column) for p in result.problems] == [("bad_number", "r.csv", 2, "点击数")]


def test_creative_report_without_a_day_is_refused():
    text = "素材ID,素材名称,消耗,展示数,点击数\n7430000000000000901,口播A,10,100,1\n"
    assert [p.code for p in _read("c.csv", text.encode("gb18030")).problems] == ["no_day"]


def test_missing_clicks_column_is_named():
    text = "时间-天,项目名称,消耗,展示数\n2026-11-01,A,1,2\n"
    result = _read("r.csv", text.encode("gb18030"))
    assert [(p.code, p.column) for p in result.problems] == [("missing_column", "点击数")]


def test_sniff_tells_ocean_engine_from_other_exports():
    google = "Campaign report\nDay,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n"
    xiaohongshu = "日期,笔记名称,消费,展现量,点击量\n2026-11-01,A,1,2,3\n"
    assert not ocean_engine.sniff(open_document("g.csv", google.encode()))
    assert not ocean_engine.sniff(open_document("x.csv", xiaohongshu.encode("gb18030")))
    doc = open_document("r.csv", REPORT.encode("gb18030"))
    assert not google_ads.sniff(doc) and not tiktok.sniff(doc) and not ga4.sniff(doc)

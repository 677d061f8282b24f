"""TikTok Ads Manager downloads as the UI writes them: XLSX by default, CSV too, a total row, case drift."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd

from connectors.exports import google_ads, tiktok
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

HEADER = [
    "By Day", "Campaign name", "Campaign ID", "Ad group name", "Ad name", "Ad ID", "Primary status", "Cost (USD)",
    "CPC (destination)", "CPM", "Impressions", "Clicks (destination)", "CTR (destination)", "Reach",
    "Cost per 1,000 people reached", "Frequency", "Conversions", "Cost per conversion", "Results",
    "2-second video views", "6-second video views", "Total complete payment ROAS", "Total complete payment value",
]  # fmt: skip
ROWS = [
    ["2026-11-01", "Double 11 Prospecting", "1780000000000000001", "Broad 18-34", "Hook A", "1780000000000000101",
     "Active", 120.5, 0.4, 5.02, 24000, 301, 0.0125, 15000, 8.03, 1.6, 12, 10.04, 12, 9000, 3100, 2.49, 300.0],
    ["2026-11-01", "Double 11 Prospecting", "1780000000000000001", "Broad 18-34", "Hook B", "1780000000000000102",
     "Active", 80.25, 0.5, 4.01, 20000, 160, 0.008, 12000, 6.69, 1.67, 3, 26.75, 3, 7000, 2000, 1.87, 150.0],
    ["2026-11-02", "Double 11 Prospecting", "1780000000000000001", "Broad 18-34", "Hook A", "1780000000000000101",
     "Active", 99.99, 0.33, 3.33, 30000, 303, 0.0101, 18000, 5.55, 1.67, 7, 14.28, 7, 11000, 4000, 1.5, 149.99],
]  # fmt: skip
TOTAL = ["Total of 3 results", "", "", "", "", "", "", 300.74, 0.39, 4.01, 74000, 764, 0.0103, 41000, 7.33,
         1.8, 22, 13.67, 22, 27000, 9100, 2.0, 599.99]  # fmt: skip


def _csv(header=HEADER, rows=ROWS, total=TOTAL) -> bytes:
    out = io.StringIO()
    pd.DataFrame([*rows, total], columns=header).to_csv(out, index=False)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _xlsx(header=HEADER, rows=ROWS, total=TOTAL) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Ad report"
    ws.append(header)
    for row in rows:
        day = datetime.strptime(row[0], "%Y-%m-%d") if header[0] == "By Day" else row[0]
        ws.append([day, *row[1:]])  # days as real date cells
    ws.append(total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(name: str, raw: bytes, options: ReadOptions | None = None):
    doc = open_document(name, raw)
    assert tiktok.sniff(doc)
    return tiktok.read(doc, options or ReadOptions())


def test_xlsx_totals_match_the_total_row_and_the_total_row_is_left_out():
    result = _read("tiktok.xlsx", _xlsx())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 2)]
    assert f["spend_minor"].sum() == 30074  # Cost (USD) total 300.74
    assert f["impressions"].sum() == 74000 and f["clicks"].sum() == 764
    assert f["conversions"].sum() == 22 and f["video_views"].sum() == 27000  # 2-second views, not 6-second
    assert f["revenue_minor"].sum() == 59999
    assert list(f["reach"]) == [15000, 12000, 18000]  # stored per row, never summed into a total here
    assert list(f["entity"]) == ["Hook A", "Hook B", "Hook A"]
    assert set(f["currency"]) == {"USD"} and set(f["attribution"]) == {"tiktok:conversions"}
    assert result.skipped == [(5, "total")]


def test_csv_and_xlsx_of_the_same_report_read_to_the_same_frame():
    from_csv = _read("tiktok.csv", _csv())
    from_xlsx = _read("tiktok.xlsx", _xlsx())
    assert from_csv.ok and from_xlsx.ok, (from_csv.problems, from_xlsx.problems)
    pd.testing.assert_frame_equal(from_csv.frame, from_xlsx.frame)
    assert from_csv.skipped == from_xlsx.skipped == [(5, "total")]


def test_header_case_drift_and_a_currency_column_and_a_plain_total_row():
    header = [h.replace("Clicks (destination)", "Clicks (Destination)").replace("Cost (USD)", "Cost") for h in HEADER]
    header += ["Currency"]
    rows = [[*r, "EUR"] for r in ROWS]
    result = _read("tiktok.csv", _csv(header, rows, ["Total", *TOTAL[1:], ""]))
    assert result.ok, result.problems
    assert result.frame["clicks"].sum() == 764
    assert set(result.frame["currency"]) == {"EUR"}
    assert result.skipped == [(5, "total")]


def test_campaign_level_report_names_rows_by_campaign_id_kept_as_text():
    header = ["By Day", "Campaign name", "Campaign ID", "Cost", "Impressions", "Clicks (destination)", "Reach"]
    rows = [
        ["2026-11-01", "Brand", "1780000000000000001", "10.00", "1,000", "10", "900"],
        ["2026-11-01", "Promo", "1780000000000000002", "--", "0", "0", "-"],
    ]
    total = ["Total of 2 results", "", "", "10.00", "1,000", "10", "900"]
    result = _read("c.csv", _csv(header, rows, total), ReadOptions(currency="CNY"))
    assert result.ok, result.problems  # no currency problem: the person named it
    assert list(result.frame["entity"]) == ["1780000000000000001", "1780000000000000002"]
    assert list(result.frame["spend_minor"]) == [1000, 0]


def test_without_currency_in_header_or_column_the_person_must_name_it():
    header = ["By Day", "Campaign name", "Cost", "Impressions", "Clicks (destination)"]
    raw = _csv(header, [["2026-11-01", "Brand", "10.00", "1000", "10"]], ["Total", "", "10.00", "1000", "10"])
    assert [p.code for p in _read("c.csv", raw).problems] == ["currency_unknown"]
    assert _read("c.csv", raw, ReadOptions(currency="SGD")).frame["currency"][0] == "SGD"


def test_a_bad_cell_is_named_by_file_row_and_column():
    rows = [list(r) for r in ROWS]
    rows[1][10] = "lots"
    result = _read("tiktok.csv", _csv(rows=rows))
    assert [(p.code, p.file, p.row, p.column) for p in result.problems] == [
        ("bad_number", "tiktok.csv", 3, "Impressions")
    ]


def test_scientific_ids_are_reported():
    header = ["By Day", "Campaign name", "Campaign ID", "Cost (USD)", "Impressions", "Clicks (destination)"]
    raw = _csv(header, [["2026-11-01", "Brand", "1.78E+18", "1", "2", "3"]], ["Total", "", "", "1", "2", "3"])
    assert [(p.code, p.row) for p in _read("c.csv", raw).problems] == [("id_scientific", 2)]


def test_missing_clicks_column_is_named_and_a_period_total_report_is_refused():
    header = [h for h in HEADER if h != "Clicks (destination)"]
    rows = [[c for h, c in zip(HEADER, r, strict=True) if h != "Clicks (destination)"] for r in ROWS]
    total = [c for h, c in zip(HEADER, TOTAL, strict=True) if h != "Clicks (destination)"]
    result = _read("t.csv", _csv(header, rows, total))
    assert [(p.code, p.column) for p in result.problems] == [("missing_column", "Clicks (destination)")]
    no_day = _read("t.xlsx", _xlsx(HEADER[1:], [r[1:] for r in ROWS], TOTAL[1:]))
    assert [p.code for p in no_day.problems] == ["no_day"]


def test_sniff_tells_tiktok_from_google_ads_and_meta():
    google = "Campaign report\nDay,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n"
    meta = '"Reporting starts","Campaign name",Impressions,"Amount spent (USD)","Link clicks",Reach\n'
    assert not tiktok.sniff(open_document("g.csv", google.encode()))
    assert not tiktok.sniff(open_document("m.csv", meta.encode()))
    assert not google_ads.sniff(open_document("t.csv", _csv()))

"""The report files: every KPI recomputed per row from its own sums, formula-safe text, numbers as numbers,
and an HTML page that needs no network."""

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import plotly.graph_objects as go

from app.ui import report_export as export
from campaigns.metrics import Totals

GROUPS = {
    "=HYPERLINK(\"http://x\")": Totals(impressions=1000, clicks=10, spend_minor=5000, orders=2, revenue_minor=30000),
    "weibo": Totals(impressions=3000, clicks=90, spend_minor=0),
}


def test_each_row_carries_its_own_ratios_in_major_units():
    header, rows = export.table(GROUPS, str, "CNY", "channel")
    first = dict(zip(header, rows[0], strict=True))
    assert first["ctr"] == Decimal("0.01") and first["spend"] == Decimal("50.00")
    assert first["cpm"] == Decimal("50.00") and first["roas"] == Decimal(6) and first["aov"] == Decimal("150.00")
    second = dict(zip(header, rows[1], strict=True))
    assert second["roas"] is None and second["ctr"] == Decimal("0.03")


def test_xlsx_cells_that_look_like_formulas_stay_text_and_numbers_stay_numbers():
    header, rows = export.table(GROUPS, str, "CNY", "channel")
    raw = export.xlsx_bytes([("By channel", header, rows), ("By channel", header, rows)])
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["By channel", "By channel 2"]
    ws = book["By channel"]
    assert ws["A2"].value == "'=HYPERLINK(\"http://x\")" and ws["A2"].data_type == "s"
    assert isinstance(ws["B2"].value, int) and isinstance(ws.cell(2, header.index("ctr") + 1).value, float)


def test_csv_sections_are_formula_safe():
    header, rows = export.table(GROUPS, str, "CNY", "channel")
    text = export.csv_bytes([("By channel", header, rows)]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def test_the_html_report_opens_offline():
    fig = go.Figure(go.Scatter(x=[date(2026, 11, 11)], y=[1]))
    raw = export.html_bytes("双11 <report>", ["note"], [("Trend", fig), ("Again", fig)], [("Days", ["a"], [["<b>"]])])
    page = raw.decode("utf-8")
    assert "&lt;report&gt;" in page and "&lt;b&gt;" in page
    assert not re.search(r"<script[^>]+src=\"http", page), "no script may come from the network"
    assert page.count("plotly.js v") >= 1 and len(raw) > 1_000_000  # plotly.js itself is inside

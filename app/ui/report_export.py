"""The Results report as files: CSV and XLSX (formula-safe cells, numbers as numbers) and a self-contained HTML
page with the charts that opens offline. No streamlit here: data, labels and figures in, bytes out."""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Hashable
from decimal import Decimal

import plotly.graph_objects as go

from campaigns import metrics
from campaigns.exports import safe_cell, to_csv
from campaigns.metrics import Totals
from campaigns.promotions.money import exponent

COUNTS = ("impressions", "engagements", "clicks", "orders", "conversions", "video_views", "sessions")
MONEY = ("spend_minor", "revenue_minor")
RATIOS = ("ctr", "engagement_rate", "cvr", "order_rate", "cpm", "cpc", "cpa", "cost_per_order", "cpe", "aov", "roas")


def table(
    groups: dict[Hashable, Totals], label: Callable[[Hashable], str], currency: str, first: str
) -> tuple[list[str], list[list]]:
    """(header, rows): one row per group, its counts, money in major units and every KPI as a ratio of its own
    sums (never an average of daily ratios)."""
    exp = exponent(currency)
    header = [first, *COUNTS, *(m.removesuffix("_minor") for m in MONEY), *RATIOS]
    rows = []
    for key, t in groups.items():
        row: list = [label(key), *(getattr(t, c) for c in COUNTS)]
        row += [Decimal(getattr(t, m)).scaleb(-exp) for m in MONEY]
        for k in RATIOS:
            v = metrics.value(k, t)
            if v is not None and metrics.KPIS[k].kind == "money":
                v = (v / 10**exp).quantize(Decimal("0.01"))
            row.append(None if v is None else round(v, 6))
        rows.append(row)
    return header, rows


def csv_bytes(sections: list[tuple[str, list[str], list[list]]]) -> bytes:
    """Every section one after another, a title line before each (UTF-8 with BOM, formula-safe)."""
    lines: list[list] = []
    for title, header, rows in sections:
        lines += [[title], header, *rows, []]
    return to_csv(lines[0], lines[1:])


def xlsx_bytes(sections: list[tuple[str, list[str], list[list]]]) -> bytes:
    """One sheet per section; text that a spreadsheet would run as a formula is prefixed with a quote."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, header, rows in sections:
        ws = book.create_sheet(_sheet_name(title, book.sheetnames))
        ws.append([safe_cell(h) for h in header])
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else safe_cell(v) if v is not None else None for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base[:25]} {i}"
    return name


def html_bytes(
    title: str,
    notes: list[str],
    figures: list[tuple[str, go.Figure]],
    sections: list[tuple[str, list[str], list[list]]],
) -> bytes:
    """One HTML file holding plotly.js itself: it opens without a network."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:2em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
        "text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *(f"<p>{html.escape(n)}</p>" for n in notes),
    ]
    for i, (caption, fig) in enumerate(figures):
        parts.append(f"<h2>{html.escape(caption)}</h2>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=i == 0))
    for caption, header, rows in sections:
        parts.append(f"<h2>{html.escape(caption)}</h2><table><tr>")
        parts += [f"<th>{html.escape(str(h))}</th>" for h in header]
        parts.append("</tr>")
        for row in rows:
            cells = "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")

"""Google Ads report downloads (UI): "CSV" (UTF-8) and "Excel CSV" (UTF-16LE, tab-separated, with BOM).

Layout: a title line (``Campaign report``), a date-range line (``"January 1, 2025 - January 23, 2025"`` or
``1 July 2026 - 31 July 2026``), both possibly comma-padded, then the header (``Campaign``, ``Clicks``,
``Impr.``, ``Cost`` …) and ``Total: …`` rows at the end, which are left out (a campaign whose name merely
starts with "total" is kept). ``9.38%``, ``"1,240"``, comma decimals (``"0,19"``), ``--`` and fractional
conversions (data-driven attribution) are read as Google writes them. A report without a ``Day`` column is
one total per row for the whole range: it is read with the range's first day only if the person names the
day order, so such files are refused with ``no_day``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaigns.facts import problem
from connectors.exports.base import (
    ReadOptions,
    ReadResult,
    Spec,
    build,
    drop_rows,
    empty_frame,
    find_header,
    read_by,
)
from connectors.exports.document import Document

key = "google_ads"

_HEADER = ("Clicks", "Impr.", "Cost")
SPEC = Spec(
    source=key,
    day=("Day", "Date"),
    day_formats=("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%a, %b %d, %Y"),
    text={
        "account": ("Account", "Account name"),
        "campaign": ("Campaign",),
        "entity": ("Ad group", "Ad ID", "Keyword"),
    },
    counts={"impressions": ("Impr.", "Impressions"), "clicks": ("Clicks",), "video_views": ("Views",)},
    money={"spend_minor": ("Cost",), "revenue_minor": ("Conv. value", "Conversion value")},
    conversions=("Conversions",),
    required=("day", "campaign", "impressions", "clicks", "spend_minor"),
    fixed={"attribution": "google_ads:conversions"},
)


def sniff(doc: Document) -> bool:
    return doc.kind == "csv" and find_header(doc.first.head, _HEADER, ("Campaign",)) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    sheet = doc.first
    at = find_header(sheet.head, _HEADER, ("Campaign",))
    info = {"title": sheet.head[0][0] if at and sheet.head[0] else "", "period": _period(sheet.head[:at])}
    wanted = read_by(SPEC)  # and the first column, where Google writes its total rows
    table = sheet.table(at, keep=lambda i, name: i == 0 or wanted(name))
    skipped: list[tuple[int, str]] = []
    first = table.columns[0]
    cells = table[first].astype("str")
    total = np.array(cells.str.contains("Total: ", regex=False), dtype=bool)  # a fast literal search first
    at = np.flatnonzero(total)
    total[at] = cells.iloc[at].str.match(r"^\s*Total: ").to_numpy(dtype=bool)
    table = drop_rows(table, pd.Series(total, index=table.index), "total", skipped)
    if "Day" not in table.columns and "Date" not in table.columns:
        return ReadResult(key, empty_frame(), [problem(doc.name, "no_day", column="Day")], skipped, info)
    result = build(doc.name, table, SPEC, options, info)
    result.skipped = skipped
    return result


def _period(lines: list[list[str]]) -> str:
    for cells in lines:
        text = ",".join(c for c in cells if c)
        if " - " in text:
            return text.strip('"')
    return ""

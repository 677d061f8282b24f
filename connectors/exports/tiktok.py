"""TikTok Ads Manager report downloads: XLSX (the default) and CSV.

Header (English UI, case varies): ``By Day``, ``Campaign name``, ``Campaign ID``, ``Ad group name``, ``Ad name``,
``Cost`` or ``Cost (USD)``, ``Impressions``, ``Clicks (destination)``, ``Reach``, ``Conversions``,
``2-second video views`` … Currency comes from the ``Cost (XXX)`` header or a ``Currency`` column. Clicks are
destination clicks (``Clicks (all)`` is another definition); video views are 2-second views only (6-second
views are a different definition and are not stored); ``… ROAS`` columns are ratios and not stored. A total
row (``Total`` / ``Total of 12 results``) is left out. A report without ``By Day`` is one total per row for
the whole range: refused with ``no_day``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from campaigns.facts import problem
from connectors.exports.base import (
    ReadOptions,
    ReadResult,
    Spec,
    blank,
    build,
    column,
    drop_rows,
    empty_frame,
    fold,
    header_sheet,
)
from connectors.exports.document import Document, Sheet

key = "tiktok"

_NAMES = {"campaign name", "ad group name", "ad name", "campaign id", "ad group id", "ad id"}
_MARKERS = {
    "by day",
    "clicks (destination)",
    "cpc (destination)",
    "ctr (destination)",
    "2-second video views",
    "6-second video views",
    "cost per 1,000 people reached",
    "primary status",
    "ad group name",
}
_COST = re.compile(r"^cost( \([a-z]{3}\))?$")
_TOTAL = r"(?i)^\s*total(\s+of\s+[\d,]+\s+results?)?\s*$"
_ENTITY_NAMES = ("Ad name", "Ad group name")
_ENTITY_IDS = ("Ad ID", "Ad group ID", "Campaign ID")

SPEC = Spec(
    source=key,
    day=("By Day", "Date"),
    day_formats=("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d"),
    text={"account": ("Account name", "Advertiser name"), "campaign": ("Campaign name",), "entity": _ENTITY_NAMES},
    counts={
        "impressions": ("Impressions",),
        "clicks": ("Clicks (destination)",),
        "reach": ("Reach",),
        "video_views": ("2-second video views",),
    },
    money={
        "spend_minor": ("Cost",),
        "revenue_minor": (
            "Total complete payment value",
            "Total complete payment",
            "Complete payment value",
            "Total purchase value",
            "Purchase value",
        ),
    },
    conversions=("Conversions",),
    required=("day", "impressions", "clicks", "spend_minor"),
    fixed={"attribution": "tiktok:conversions"},
)


def _header_at(sheet: Sheet) -> int | None:
    for i, row in enumerate(sheet.head):
        cells = {fold(c) for c in row}
        if "impressions" in cells and any(_COST.match(c) for c in cells) and cells & _NAMES and cells & _MARKERS:
            return i
    return None


def _sheet(doc: Document) -> tuple[Sheet, int] | None:
    return header_sheet(doc, _header_at)


def sniff(doc: Document) -> bool:
    return _sheet(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    sheet, at = _sheet(doc)
    table = sheet.table(at)
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    first = table.columns[0]
    table = drop_rows(table, table[first].astype("str").str.match(_TOTAL), "total", skipped)
    info = {"sheet": sheet.name}
    if column(table, *SPEC.day) is None:
        return ReadResult(key, empty_frame(), [problem(doc.name, "no_day", column="By Day")], skipped, info)
    spec = SPEC
    if column(table, *_ENTITY_NAMES) is None:  # a campaign-level report: the row is named by its id
        spec = replace(SPEC, text={k: c for k, c in SPEC.text.items() if k != "entity"}, ids={"entity": _ENTITY_IDS})
    result = build(doc.name, table, spec, options, info)
    result.skipped = skipped
    return result

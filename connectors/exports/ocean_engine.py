"""Ocean Engine (巨量引擎) and Qianchuan (千川) report downloads: CSV in GB18030 or UTF-8 with BOM, and XLSX.

Chinese headers: the day ``时间-天`` or ``日期`` (``2026-11-01`` or ``2026/11/01``); campaign ``项目名称`` (2.0),
``广告组名称`` (1.0) or ``计划名称`` (Qianchuan); the row's own name ``单元名称`` / ``素材名称`` (else its id, kept
as text); ``消耗`` / ``消耗(元)`` in CNY; ``展示数``, ``点击数``, ``转化数``; GMV ``成交金额`` / ``支付金额``;
3-second plays ``3S播放数`` (or ``播放数``). Cells may read ``1.2万``, ``12,345`` or ``-`` / ``--``. Ratio
columns (``点击率%``, ``平均点击单价(元)``) and ``roi`` / ``支付ROI`` (which are ROAS) are not stored. Rows whose
first cell is ``总计`` / ``合计`` / ``汇总`` are the platform's totals and are left out. Creative reports have no
day column: refused with ``no_day``.
"""

from __future__ import annotations

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

key = "ocean_engine"

_SPEND = ("消耗", "消耗(元)")
_IMPRESSIONS = ("展示数", "展示次数")
_CLICKS = ("点击数", "点击次数")
_TOTAL = r"^\s*(总计|合计|汇总)\s*([(（].*[)）])?\s*[:：]?\s*$"
_CAMPAIGN = ("项目名称", "广告组名称", "计划名称")
_ENTITY_NAMES = ("单元名称", "素材名称", "计划名称", "创意名称")
_ENTITY_IDS = ("素材ID", "单元ID", "计划ID", "项目ID", "广告组ID")
# besides a spend column, one of these makes a header Ocean Engine's
_MARKERS = {fold(h) for h in (*_IMPRESSIONS, *_CLICKS, "时间-天", *_CAMPAIGN, *_ENTITY_NAMES, *_ENTITY_IDS)}

SPEC = Spec(
    source=key,
    day=("时间-天", "日期"),
    day_formats=("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d"),
    text={"account": ("账户名称", "账户"), "campaign": _CAMPAIGN, "entity": _ENTITY_NAMES},
    counts={
        "impressions": _IMPRESSIONS,
        "clicks": _CLICKS,
        "video_views": ("3S播放数", "播放数"),
    },
    money={"spend_minor": _SPEND, "revenue_minor": ("成交金额", "成交金额(元)", "支付金额")},
    conversions=("转化数",),
    required=("day", "impressions", "clicks", "spend_minor"),
    fixed={"attribution": "ocean_engine:conversions"},
)


def _header_at(sheet: Sheet) -> int | None:
    for i, row in enumerate(sheet.head):
        cells = {fold(c) for c in row}
        if cells & {fold(h) for h in _SPEND} and cells & _MARKERS:
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
        return ReadResult(key, empty_frame(), [problem(doc.name, "no_day", column="时间-天")], skipped, info)
    campaign = column(table, *_CAMPAIGN)
    names = tuple(n for n in _ENTITY_NAMES if column(table, n) not in (None, campaign))
    if names:
        spec = replace(SPEC, text={**SPEC.text, "entity": names})
    else:  # the row is named by its id
        spec = replace(SPEC, text={k: c for k, c in SPEC.text.items() if k != "entity"}, ids={"entity": _ENTITY_IDS})
    # Ocean Engine bills in CNY and its headers say 元, not the ISO code
    result = build(doc.name, table, spec, replace(options, currency="CNY"), info)
    result.skipped = skipped
    return result

"""Xiaohongshu (小红书) note reports: 蒲公英 KOL orders, the creator centre and 聚光, XLSX or CSV.

One row per note (and day): ``笔记ID`` (24 hex digits, kept as text), ``笔记标题``, ``博主昵称``, ``发布时间``
(``2026-11-01`` or ``2026-11-01 20:00``; the day is the date as written), ``曝光量``, ``阅读量`` / ``观看量``,
``点赞``, ``收藏``, ``评论``, ``分享``, ``互动量``, ``点击量``, ``消费`` (CNY unless the person says otherwise).
Values like ``1.2万`` are read as 12000. ``合计`` / ``总计`` rows are left out.
"""

from __future__ import annotations

import dataclasses

from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, column, drop_rows, fold
from connectors.exports.document import Document

key = "xiaohongshu"

_NOTE = ("笔记ID", "笔记id", "笔记链接ID", "笔记标题")
_MEASURES = ("曝光量", "曝光", "展现量", "阅读量", "观看量", "点赞", "点赞量", "收藏", "收藏量", "互动量", "点击量")
_DAY = ("发布时间", "首次发布时间", "笔记发布时间", "日期", "时间")
_TOTAL = r"^\s*(合计|总计)\s*[:：]?\s*$"
_PARTS = ("likes", "saves", "comments", "shares")

SPEC = Spec(
    source=key,
    day=_DAY,
    day_formats=(
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y年%m月%d日",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日%H时%M分%S秒",
    ),
    text={"account": ("博主昵称", "达人昵称", "作者", "账号昵称"), "campaign": ("计划名称",), "entity": ("笔记标题",)},
    ids={"post_id": ("笔记ID", "笔记id", "笔记链接ID")},
    counts={
        "impressions": ("曝光量", "曝光", "展现量"),
        "video_views": ("阅读量", "观看量"),
        "likes": ("点赞", "点赞量", "点赞数"),
        "saves": ("收藏", "收藏量", "收藏数"),
        "comments": ("评论", "评论量", "评论数"),
        "shares": ("分享", "分享量", "分享数"),
        "engagements": ("互动量",),
        "clicks": ("点击量",),
    },
    money={"spend_minor": ("消费", "消耗", "消费(元)", "消耗(元)", "花费(元)")},
    required=("day",),
)


def _header(doc: Document) -> int | None:
    note, measures = {fold(h) for h in _NOTE}, {fold(h) for h in _MEASURES}
    for i, row in enumerate(doc.first.head):
        cells = {fold(c) for c in row}
        if cells & note and cells & measures:
            return i
    return None


def sniff(doc: Document) -> bool:
    return _header(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    table = doc.first.table(_header(doc))
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    labels = [c for c in dict.fromkeys((table.columns[0], column(table, *_DAY), column(table, *_NOTE))) if c]
    total = table[labels].apply(lambda c: c.astype("str").str.match(_TOTAL)).any(axis=1)
    table = drop_rows(table, total, "total", skipped)
    # Xiaohongshu bills in CNY and its reports do not say so
    if column(table, *SPEC.money["spend_minor"]) and not options.currency:
        options = dataclasses.replace(options, currency="CNY")
    result = build(doc.name, table, SPEC, options)
    f = result.frame
    if len(f) and column(table, *SPEC.counts["engagements"]) is None:
        # no 互动量 column: engagements = likes + saves + comments + shares, computed here
        f["engagements"] = f[list(_PARTS)].sum(axis=1).astype("int64")
    result.skipped = skipped
    return result

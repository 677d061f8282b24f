"""WeChat Official Account (公众号) article analytics exports (图文分析), XLSX or CSV (UTF-8 with BOM, GB18030).

One row per article (or per day): ``统计日期`` / ``日期`` / ``发表时间`` (``2026-11-01``, ``20261101``, with or
without a time), ``文章标题`` / ``标题``, ``msgid``, ``送达人数`` (reach), ``图文阅读次数`` (impressions),
``分享次数``, ``收藏次数`` (``收藏人数`` when only it is there), ``原文阅读次数`` (clicks), ``点赞`` / ``在看``,
``留言``. ``图文阅读人数`` counts people, who are not additive across rows: it is not stored (read rate is
recomputed from stored counts). ``合计`` / ``总计`` rows are left out.
"""

from __future__ import annotations

from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, column, drop_rows, fold
from connectors.exports.document import Document

key = "wechat"

_DAY = ("统计日期", "日期", "发表时间", "发布时间", "群发时间")
# only WeChat writes these
_MARKS = {fold(h) for h in ("送达人数", "图文阅读次数", "图文阅读人数", "图文页阅读次数", "图文页阅读人数")}
_READS = {fold(h) for h in ("阅读次数", "阅读人数")}
_TITLE = ("文章标题", "标题", "图文标题")
_TOTAL = r"^\s*(合计|总计)\s*[:：]?\s*$"

SPEC = Spec(
    source=key,
    day=_DAY,
    day_formats=("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"),
    text={"account": ("公众号", "公众号名称"), "campaign": _TITLE, "entity": _TITLE},
    ids={"post_id": ("msgid", "消息ID", "消息id", "MsgID")},
    counts={
        "reach": ("送达人数",),
        "impressions": ("图文阅读次数", "图文页阅读次数", "阅读次数"),
        "shares": ("分享次数", "分享转发次数", "转发次数"),
        "saves": ("收藏次数", "微信收藏次数", "收藏人数", "微信收藏人数"),
        "clicks": ("原文阅读次数", "原文页阅读次数", "阅读原文次数"),
        "likes": ("点赞", "点赞数", "点赞次数", "在看", "在看数"),
        "comments": ("留言", "留言数", "留言次数", "评论", "评论数"),
    },
    required=("day", "impressions"),
)


def _header(doc: Document) -> int | None:
    for i, row in enumerate(doc.first.head):
        cells = {fold(c) for c in row}
        if cells & _MARKS or (cells & _READS and cells & {fold(t) for t in _TITLE}):
            return i
    return None


def sniff(doc: Document) -> bool:
    return _header(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    table = doc.first.table(_header(doc))
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    labels = [c for c in dict.fromkeys((table.columns[0], column(table, *_DAY), column(table, *_TITLE))) if c]
    total = table[labels].apply(lambda c: c.astype("str").str.match(_TOTAL)).any(axis=1)
    table = drop_rows(table, total, "total", skipped)
    result = build(doc.name, table, SPEC, options)
    f = result.frame
    if len(f):
        # WeChat has no engagement column: engagements = shares + saves + likes + comments, computed here
        f["engagements"] = f["shares"] + f["saves"] + f["likes"] + f["comments"]
    result.skipped = skipped
    return result

"""The export readers, in the order a file is offered to them (the most specific layouts first)."""

from __future__ import annotations

from types import ModuleType

from campaigns.facts import problem
from connectors.exports import ga4, google_ads, mapping, meta, ocean_engine, orders, tiktok, wechat, x, xiaohongshu
from connectors.exports.base import ReadOptions, ReadResult, empty_frame
from connectors.exports.document import Document, DocumentError, open_document

READERS: dict[str, ModuleType] = {
    m.key: m for m in (ga4, meta, x, google_ads, tiktok, ocean_engine, wechat, xiaohongshu, orders, mapping)
}


def detect(doc: Document) -> str | None:
    for key, reader in READERS.items():
        if reader.sniff(doc):
            return key
    return None


def read(name: str, raw: bytes, source: str = "auto", options: ReadOptions | None = None) -> ReadResult:
    """Open, recognise (or take ``source``) and read one file. Never raises for a bad file: what is wrong
    comes back as problems naming the file (and row and column where there is one)."""
    options = options or ReadOptions()
    try:
        doc = open_document(name, raw)
    except DocumentError as exc:
        return ReadResult(source, empty_frame(), [problem(name, f"file_{exc.code}", **exc.params)])
    key = detect(doc) if source == "auto" else source
    if key is None:
        return ReadResult("auto", empty_frame(), [problem(name, "unknown_layout", first=_first_line(doc))])
    if key not in READERS:
        return ReadResult(key, empty_frame(), [problem(name, "unknown_source", source=key)])
    if source not in ("auto", "mapping") and not READERS[key].sniff(doc):
        return ReadResult(key, empty_frame(), [problem(name, "not_this_source", source=key)])
    try:
        return READERS[key].read(doc, options)
    except DocumentError as exc:
        row = exc.params.pop("row", None)
        return ReadResult(key, empty_frame(), [problem(name, f"file_{exc.code}", row or None, **exc.params)])


def _first_line(doc: Document) -> str:
    for row in doc.first.head:
        if any(row):
            return ",".join(row)[:120]
    return ""

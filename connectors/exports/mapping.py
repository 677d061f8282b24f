"""Any other CSV/XLSX, read through a column mapping the person made: ``ReadOptions.mapping`` = {canonical
name -> the file's column header}. Never detected by itself (``sniff`` is False): it is used when chosen.

``columns(doc)`` lists the header row's columns for the mapping step, and ``layout_signature`` names a
layout, so a saved mapping is offered again when a file with the same columns comes back. Dates are ISO
unless ``ReadOptions.date_format`` says otherwise; ``dd/mm/yyyy`` vs ``mm/dd/yyyy`` is asked, never guessed.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from campaigns import facts
from campaigns.facts import problem
from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, drop_rows, empty_frame, fold
from connectors.exports.base import column as find_column
from connectors.exports.document import Document, unique

key = "mapping"

FIELDS = ("day", *(t for t in facts.TEXT if t != "customer_hash"), *facts.MEASURES)
_NUMERIC = re.compile(r"[\d\s,.%:/+\-¥$€£万亿]*\d[\d\s,.%:/+\-¥$€£万亿]*")
_TOTAL = re.compile(r"^\s*((grand )?totals?|合计|总计|汇总)\b", re.IGNORECASE)
# an ISO date-time's date part (XLSX dates arrive as "2026-11-01 00:00:00"), or a slashed date's
_DATE_PART = r"^\s*(\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{8})(?:[T\s]|$)"
_CURRENCY_HEADERS = {fold(h) for h in ("Currency", "Currency code", "币种", "货币")}


def sniff(doc: Document) -> bool:
    return False


def _header_row(rows: list[list[str]]) -> int | None:
    """The first row whose non-empty cells are mostly not numbers (a one-cell title line is not a header
    unless the whole table is one column wide)."""
    widest = max((sum(1 for c in r if c.strip()) for r in rows), default=0)
    for i, row in enumerate(rows):
        cells = [c for c in row if c.strip()]
        if len(cells) >= min(2, widest) and cells:
            numeric = sum(1 for c in cells if _NUMERIC.fullmatch(c))
            if numeric * 2 < len(cells):
                return i
    return None


def columns(doc: Document) -> list[str]:
    """The header row's column names of the first sheet, as the reader will know them."""
    at = _header_row(doc.first.head)
    if at is None:
        return []
    return [c for c in unique([c.strip() for c in doc.first.head[at]]) if c]


def layout_signature(cols: list[str]) -> str:
    """A stable name of a layout: the folded headers, in any order (a mapping names columns, not positions)."""
    names = sorted({fold(c) for c in cols if str(c).strip()})
    return hashlib.blake2b("\x1f".join(names).encode("utf-8"), digest_size=12).hexdigest()


def _day_part(col: pd.Series) -> pd.Series:
    part = col.astype("str").str.extract(_DATE_PART)[0]
    return part.fillna(col.astype("str"))


def read(doc: Document, options: ReadOptions) -> ReadResult:
    mapping = {k: str(h).strip() for k, h in (options.mapping or {}).items() if str(h).strip()}
    info = {"signature": layout_signature(columns(doc))}
    problems = [problem(doc.name, "unknown_field", field=k) for k in mapping if k not in FIELDS]
    if "day" not in mapping:
        problems.append(problem(doc.name, "missing_column", column="day", field="day"))
    at = _header_row(doc.first.head)
    if at is None:
        problems += [problem(doc.name, "missing_column", column=h, field=k) for k, h in mapping.items()]
    if problems:
        return ReadResult(key, empty_frame(), problems, info=info)
    table = doc.first.table(at)
    missing = [(k, h) for k, h in mapping.items() if find_column(table, h) is None]
    if missing:
        problems = [problem(doc.name, "missing_column", at + 1, h, field=k) for k, h in missing]
        return ReadResult(key, empty_frame(), problems, info=info)
    # only the mapped columns: a column the person did not choose is not read, even one named "Currency"
    chosen = list(dict.fromkeys(find_column(table, h) for h in mapping.values()))
    table = table[[*chosen, "_row"]].copy()
    if "currency" in mapping and fold(mapping["currency"]) not in _CURRENCY_HEADERS:
        table["Currency"] = table[find_column(table, mapping["currency"])]
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    day_col = find_column(table, mapping["day"])
    table = drop_rows(table, table[day_col].astype("str").str.match(_TOTAL), "total", skipped)
    result = build(doc.name, table, _spec(mapping, options), options, info)
    result.skipped = skipped
    return result


def _spec(mapping: dict[str, str], options: ReadOptions) -> Spec:
    def pick(names) -> dict[str, tuple[str, ...]]:
        return {k: (mapping[k],) for k in names if k in mapping}

    custom = bool(options.date_format)
    return Spec(
        source=key,
        day=(mapping["day"],),
        day_formats=("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"),
        slashed=not custom,
        day_transform=None if custom else _day_part,
        text=pick(t for t in facts.TEXT if t not in ("post_id", "entity", "currency", "customer_hash")),
        ids=pick(("entity", "post_id")),
        counts=pick(facts.COUNTS),
        money=pick(facts.MONEY),
        conversions=(mapping["conversions"],) if "conversions" in mapping else (),
        required=("day",),
    )

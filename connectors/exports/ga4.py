"""GA4 report downloads (CSV): a ``#`` comment block (report name, ``Account:``, ``Property:``, ``Start date:`` /
``End date:`` as YYYYMMDD), then one or more tables separated by blank lines (chart data such as ``Nth day``,
then the report's own table).

The table read is the one with a ``Date`` column (YYYYMMDD); when several have one, the widest (the most
detailed breakdown), since the others are aggregates or alternative breakdowns of the same sessions and
adding them would count sessions twice. A file without a dated table is refused with ``no_day``.
``Session source / medium`` is split into utm_source and utm_medium; ``Session manual ad content`` (or the
event-scoped ``Manual ad content``) is utm_content, where a KOL tracking link carries the partner's code; the
channel group is the row's entity; ``Key events`` (``Conversions`` before 2024) are conversions. GA4 does not
write the currency of ``Total revenue``: it comes from the person (``ReadOptions.currency``) or is reported as
``currency_unknown``.
``Grand total`` rows are left out. The property's name is the rows' account.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from campaigns.facts import problem
from connectors.exports import values as v
from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, column, drop_rows, empty_frame, fold
from connectors.exports.document import Document, DocumentError

key = "ga4"

_CAMPAIGN = ("Session campaign", "Session manual campaign name", "Session campaign name")
_SOURCE_MEDIUM = ("Session source / medium", "Session manual source / medium")
_MEASURES = ("sessions", "engagements", "conversions", "revenue_minor", "orders")
SPEC = Spec(
    source=key,
    day=("Date",),
    day_formats=("%Y%m%d",),
    text={
        "campaign": _CAMPAIGN,
        "utm_campaign": _CAMPAIGN,
        "utm_source": ("Session source", "Session manual source"),
        "utm_medium": ("Session medium", "Session manual medium"),
        "utm_content": ("Session manual ad content", "Manual ad content"),
        "entity": (
            "Session primary channel group (Default Channel Group)",
            "Session default channel group",
            "First user primary channel group (Default Channel Group)",
        ),
    },
    counts={
        "sessions": ("Sessions",),
        "engagements": ("Engaged sessions",),
        "orders": ("Transactions", "Purchases", "Ecommerce purchases"),
    },
    money={"revenue_minor": ("Total revenue",)},
    conversions=("Key events", "Conversions"),
    required=("day",),
    fixed={"attribution": "ga4:key_events"},
)


def sniff(doc: Document) -> bool:
    if doc.kind != "csv" or not doc.text or not doc.text.lstrip().startswith("#"):
        return False
    comments = [row[0] for row in doc.first.head if row and row[0].startswith("#")]
    return any(re.match(r"#\s*(Property|Start date|End date):", c) for c in comments)


def _blocks(text: str) -> tuple[list[tuple[int, pd.DataFrame]], dict[str, str]]:
    """Each table as (spreadsheet row of its header, frame of text cells with ``_row``), and the comment
    block's facts. A quoted cell spanning lines is one spreadsheet row, as a spreadsheet counts it."""
    info: dict[str, str] = {}
    blocks: list[tuple[int, pd.DataFrame]] = []
    lines = text.splitlines()
    extra = 0  # physical lines beyond one per record, in the tables before
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            m = re.match(r"#\s*(Account|Property|Start date|End date):\s*(.*)$", line)
            if m:
                info[m.group(1).lower().replace(" ", "_")] = m.group(2).strip()
            elif line.strip("# -") and "title" not in info:
                info["title"] = line.lstrip("# ").strip()
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip() and not lines[j].startswith("#"):
            j += 1
        header_row = i + 1 - extra
        frame = _frame("\n".join(lines[i:j]) + "\n", header_row)
        frame["_row"] = range(header_row + 1, header_row + 1 + len(frame))
        blocks.append((header_row, frame))
        extra += (j - i) - (len(frame) + 1)
        i = j
    return blocks, info


def _frame(block: str, header_row: int) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.StringIO(block), dtype="str", keep_default_na=False, na_filter=False, engine="c")
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        row = header_row - 1 + int(m.group(2)) if m else header_row
        expected, saw = (m.group(1), m.group(3)) if m else ("?", "?")
        raise DocumentError("ragged", row=row, expected=expected, saw=saw) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _has_measure(frame: pd.DataFrame) -> bool:
    groups = {**SPEC.counts, **SPEC.money, "conversions": SPEC.conversions}
    return any(column(frame, *groups[m]) for m in _MEASURES)


def read(doc: Document, options: ReadOptions) -> ReadResult:
    blocks, info = _blocks(doc.text or "")
    if info.get("start_date") and info.get("end_date"):
        info["period"] = f"{info['start_date']}-{info['end_date']}"
    dated = [(at, f) for at, f in blocks if column(f, "Date") is not None]
    if not dated:
        return ReadResult(key, empty_frame(), [problem(doc.name, "no_day", column="Date")], info=info)
    at, table = max(dated, key=lambda b: (len(b[1].columns), len(b[1])))  # max keeps the first of equals
    info["table_row"] = str(at)
    if len(dated) > 1:
        info["tables_left_out"] = ",".join(str(a) for a, _ in dated if a != at)
    if not _has_measure(table):
        return ReadResult(key, empty_frame(), [problem(doc.name, "missing_column", at, "Sessions", field="sessions")])
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    first = table.columns[0]
    table = drop_rows(table, table[first].astype("str").map(fold) == "grand total", "total", skipped)
    result = build(doc.name, table, SPEC, options, info)
    result.skipped = skipped
    pair = column(table, *_SOURCE_MEDIUM)
    if pair is not None and not result.frame.empty:
        parts = table[pair].astype("str").str.split(" / ", n=1, expand=True).reindex(columns=[0, 1], fill_value="")
        result.frame["utm_source"] = v.text(parts[0].fillna("")).to_numpy()
        result.frame["utm_medium"] = v.text(parts[1].fillna("")).to_numpy()
    if info.get("property") and not result.frame.empty:
        result.frame["account"] = info["property"]
    return result

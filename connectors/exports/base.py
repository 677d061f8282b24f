"""What every export reader shares: the options a person chooses, the result (the canonical frame of
``campaigns.facts`` plus problems and what was skipped), and ``build`` — a table of text cells and a
``Spec`` of where each canonical column comes from, turned into the canonical frame.

A reader is small: it recognises its platform's layout (``sniff``), finds the header, drops the platform's
total rows, and hands the rest to ``build`` with its ``Spec``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from campaigns import facts
from campaigns.facts import Problem, problem
from campaigns.promotions.money import exponent, known_currency
from connectors.exports import values as v
from connectors.exports.document import Document, Sheet


@dataclass(frozen=True)
class ReadOptions:
    """``date_order``: dmy, mdy or ymd when the file's dates could be read either way (asked, never guessed);
    ``currency``: for files that do not say; ``mapping``: column mapping for the generic reader
    (canonical name -> the file's column)."""

    date_order: str | None = None
    currency: str | None = None
    mapping: dict[str, str] | None = None
    date_format: str | None = None
    # orders: turns a customer identifier into its salted hash as the file is read (the raw value is never
    # kept); without it the customer column is left out
    hasher: Callable[[str], str] | None = None


@dataclass
class ReadResult:
    source: str
    frame: pd.DataFrame  # campaigns.facts.COLUMNS plus "_row"
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason): totals, blank rows
    info: dict[str, str] = field(default_factory=dict)  # e.g. {"table": "Campaign report", "period": ...}
    needs: str | None = None  # "date_order" when the person must choose before the file can be read

    @property
    def ok(self) -> bool:
        return not self.problems and self.needs is None


class Reader(Protocol):
    key: str  # campaigns.facts.SOURCES

    def sniff(self, doc: Document) -> bool: ...

    def read(self, doc: Document, options: ReadOptions) -> ReadResult: ...


def fold(name: str) -> str:
    """A header as compared: NFKC, case-folded, inner white space single, full-width brackets plain."""
    s = unicodedata.normalize("NFKC", str(name)).casefold().strip()
    return re.sub(r"\s+", " ", s)


def find_header(rows: list[list[str]], must: tuple[str, ...], any_of: tuple[str, ...] = ()) -> int | None:
    """The first row holding every header in ``must`` (and one of ``any_of``), compared folded."""
    want = {fold(m) for m in must}
    alt = {fold(a) for a in any_of}
    for i, row in enumerate(rows):
        cells = {fold(c) for c in row}
        if want <= cells and (not alt or cells & alt):
            return i
    return None


CURRENCY_COLUMNS = ("Currency", "Currency code", "币种", "货币")


def header_sheet(doc: Document, header_at) -> tuple[Sheet, int] | None:
    """The first sheet (a CSV has one) where ``header_at(sheet)`` finds the header row, with that row."""
    for sheet in doc.sheets:
        at = header_at(sheet)
        if at is not None:
            return sheet, at
    return None


def column(frame: pd.DataFrame, *names: str) -> str | None:
    """The frame's column matching one of ``names`` (folded; a trailing ``(CUR)`` currency is ignored)."""
    folded = {fold(c): c for c in frame.columns}
    bare = {re.sub(r"\s*\([a-z]{3}\)$", "", k): c for k, c in folded.items()}
    for name in names:
        key = fold(name)
        if key in folded:
            return folded[key]
        if key in bare:
            return bare[key]
    return None


def header_currency(header: str) -> str | None:
    """``Amount spent (USD)`` -> USD; ``Cost (EUR)`` -> EUR."""
    m = re.search(r"\(([A-Za-z]{3})\)\s*$", header)
    return m.group(1).upper() if m and known_currency(m.group(1).upper()) else None


@dataclass(frozen=True)
class Spec:
    """Where each canonical column comes from: candidate header names, first match wins.

    ``day``: the date column and its strptime formats (``slashed=True``: dd/mm vs mm/dd is asked);
    ``money`` columns may name their currency in the header; ``required``: canonical names without which the
    file is refused (a known header with missing columns is a problem, not a silent zero)."""

    source: str
    day: tuple[str, ...] = ()
    day_formats: tuple[str, ...] = ("%Y-%m-%d",)
    slashed: bool = False
    text: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    counts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    money: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conversions: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    fixed: dict[str, str] = field(default_factory=dict)  # canonical text set for every row
    negative_money: bool = False
    day_transform: Callable[[pd.Series], pd.Series] | None = None


def read_by(spec: Spec) -> Callable[[str], bool]:
    """Whether ``build`` could read a column of this header for ``spec`` (``column`` could pick it for one of
    the spec's names, or as the currency column): a reader may leave the other columns unread."""
    keys = {
        fold(name)
        for name in (
            *spec.day,
            *(n for group in (spec.text, spec.ids, spec.counts, spec.money) for names in group.values() for n in names),
            *spec.conversions,
            *CURRENCY_COLUMNS,
        )
    }

    def wanted(header: str) -> bool:
        key = fold(header)
        return key in keys or re.sub(r"\s*\([a-z]{3}\)$", "", key) in keys

    return wanted


def build(file: str, table: pd.DataFrame, spec: Spec, options: ReadOptions, info: dict | None = None) -> ReadResult:
    """The canonical frame for ``table`` (text cells plus ``_row``), or the problems that stop it."""
    info = dict(info or {})
    problems: list[Problem] = []
    rows = table["_row"]
    n = len(table)
    out: dict[str, object] = {}

    found: dict[str, str | None] = {}
    for name, candidates in (
        [("day", spec.day)]
        + [(k, c) for group in (spec.text, spec.ids, spec.counts, spec.money) for k, c in group.items()]
        + [("conversions", spec.conversions)]
    ):
        found[name] = column(table, *candidates) if candidates else None
    for name in spec.required:
        if found.get(name) is None:
            wanted = (spec.day if name == "day" else None) or {
                **spec.text,
                **spec.ids,
                **spec.counts,
                **spec.money,
            }.get(name, spec.conversions)
            problems.append(problem(file, "missing_column", column=wanted[0] if wanted else name, field=name))
    if problems:
        return ReadResult(spec.source, empty_frame(), problems, info=info)

    measure_cols = [found[k] for k in (*spec.counts, *spec.money, "conversions") if found.get(k)]
    comma = v.decimal_comma([table[c] for c in measure_cols])
    if comma:
        info["decimal"] = "comma"

    # currency: a header's (CUR), else the file's currency column, else the option
    currency = options.currency
    money_headers = [found[k] for k in spec.money if found.get(k)]
    from_header = {header_currency(h) for h in money_headers} - {None}
    if len(from_header) > 1:
        problems.append(
            problem(file, "mixed_currency", column=money_headers[0], currencies=",".join(sorted(from_header)))
        )
    elif from_header:
        currency = from_header.pop()
    cur_col = column(table, *CURRENCY_COLUMNS)
    if cur_col is not None:
        cur = v.text(table[cur_col]).str.strip().str.upper().replace(CURRENCY_ALIASES)
        out["currency"] = cur.where(cur != "", currency or "")
        for code in [c for c in out["currency"].unique() if c and not known_currency(c)][:5]:
            first = int(rows[out["currency"] == code].iloc[0])
            problems.append(problem(file, "unknown_currency", first, cur_col, currency=code))
    else:
        out["currency"] = pd.Series(currency or "", index=table.index, dtype="str")
    if money_headers and (out["currency"] == "").any():
        problems.append(problem(file, "currency_unknown", column=money_headers[0]))

    # the day
    day_col = found.get("day")
    if day_col is not None:
        raw_day = table[day_col] if spec.day_transform is None else spec.day_transform(table[day_col])
        formats = list(options.date_format and [options.date_format] or spec.day_formats)
        if spec.slashed:
            order = options.date_order or v.slashed_order(raw_day)
            if order in ("ambiguous", "mixed") or (order is None and v.slashed_order(raw_day) is not None):
                if not options.date_order:
                    return ReadResult(spec.source, empty_frame(), problems, info=info, needs="date_order")
            if order not in (None, "ambiguous", "mixed"):
                formats = v.slashed_formats(order) + formats
        day, bads = v.dates(raw_day, rows, formats)
        problems += [problem(file, "bad_date", b.row, day_col, cell=b.cell[:40]) for b in bads[:50]]
        empty = day.isna() & ~rows.isin([b.row for b in bads])
        if empty.any():
            problems += [problem(file, "missing_date", int(r), day_col) for r in rows[empty][:50]]
        out["day"] = day
    else:
        out["day"] = pd.Series([None] * n, index=table.index, dtype="object")

    for name, col in ((k, found.get(k)) for k in spec.text):
        out[name] = v.text(table[col]) if col else ""
    for name, col in ((k, found.get(k)) for k in spec.ids):
        if col:
            sci = v.sci_ids(table[col])
            for r in rows[sci][:20]:
                problems.append(problem(file, "id_scientific", int(r), col))
            out[name] = v.ids(table[col])
    for name, value in spec.fixed.items():
        out[name] = value
    for name, col in ((k, found.get(k)) for k in spec.counts):
        if col:
            out[name], bads = v.counts(table[col], rows, comma)
            problems += [problem(file, "bad_number", b.row, col, cell=b.cell[:40]) for b in bads[:50]]
    for name, col in ((k, found.get(k)) for k in spec.money):
        if col:
            out[name], bads = _money(table[col], rows, out["currency"], comma, spec.negative_money)
            problems += [problem(file, "bad_money", b.row, col, cell=b.cell[:40]) for b in bads[:50]]
    col = found.get("conversions")
    if col:
        conv, bads = v.numbers(table[col], rows, comma)
        problems += [problem(file, "bad_number", b.row, col, cell=b.cell[:40]) for b in bads[:50]]
        negative = conv < 0
        problems += [problem(file, "bad_number", int(r), col, cell="<0") for r in rows[negative][:50]]
        out["conversions"] = conv.round(6)

    constants: dict[object, pd.Series] = {}  # a column of one value is made once, however many columns hold it

    def column_of(value, dtype: str) -> pd.Series:
        if isinstance(value, pd.Series):
            return value.astype(dtype) if dtype != "str" else value
        if (value, dtype) not in constants:
            constants[(value, dtype)] = pd.Series(value, index=table.index, dtype=dtype)
        return constants[(value, dtype)]

    columns = {"day": out["day"], "source": column_of(spec.source, "str")}
    columns |= {name: column_of(out.get(name, ""), "str") for name in facts.TEXT}
    columns |= {name: column_of(out.get(name, 0), "int64") for name in (*facts.COUNTS, *facts.MONEY)}
    columns["conversions"] = column_of(out.get("conversions", 0.0), "float64")
    columns["_row"] = rows
    frame = pd.DataFrame(columns, index=table.index)
    return ReadResult(spec.source, frame.reset_index(drop=True), problems, info=info)


def _exponent(code: str) -> int:
    return exponent(code) if code and known_currency(code) else 2


def _money(col: pd.Series, rows: pd.Series, currency: pd.Series, comma: bool, negative: bool):
    """Minor units, each row in its own currency's minor unit (JPY 0 places, CNY 2, ...); one pass when the
    file has one currency, as nearly every export does."""
    exps = currency.map(_exponent) if currency.nunique() > 1 else None
    if exps is None or exps.nunique() == 1:
        code = currency.iloc[0] if len(currency) else ""
        return v.money(col, rows, _exponent(code) if exps is None else int(exps.iloc[0]), comma, negative)
    out = pd.Series(0, index=col.index, dtype="int64")
    bads = []
    for exp in exps.unique():
        part = exps == exp
        values, part_bads = v.money(col[part], rows[part], int(exp), comma, negative)
        out[part] = values
        bads += part_bads
    return out, sorted(bads, key=lambda b: b.row)


# what shops and Chinese platforms write for the renminbi
CURRENCY_ALIASES = {"RMB": "CNY", "人民币": "CNY", "元": "CNY", "￥": "CNY", "¥": "CNY"}


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*facts.COLUMNS, "_row")})


def drop_rows(table: pd.DataFrame, mask: pd.Series, reason: str, skipped: list[tuple[int, str]]) -> pd.DataFrame:
    """Leave out rows (totals, blank lines) and say so."""
    at = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(at):
        return table
    skipped += [(int(r), reason) for r in table["_row"].to_numpy()[at]]
    if at[0] == len(table) - len(at):  # the rows at the end (a platform's total rows): the rest, uncopied
        return table.iloc[: at[0]]
    return table.loc[~mask]


def blank(table: pd.DataFrame) -> pd.Series:
    cells = table.drop(columns=["_row"])
    return (cells.apply(lambda c: c.astype("str").str.strip()) == "").all(axis=1)

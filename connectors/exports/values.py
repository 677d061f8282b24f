"""Reading cells of an export as numbers, money and dates, a whole column at a time.

Every reader says what it expects; nothing is guessed. A cell that does not read is reported (``Bad``: the
spreadsheet row and the cell as written), never turned into 0. Missing is ``""``, ``-``, ``--``, ``—``,
``N/A``: it reads as 0 for counts and money (the platform had nothing to count), and as missing for dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MISSING = {"", "-", "--", "—", "–", "n/a", "N/A", "NA", "null", "None", "nan", "(not set)"}
_CURRENCY_MARKS = re.compile(r"[¥￥$€£₩₫]|US\$|RMB|CNY|USD|元", re.IGNORECASE)
_SCALE = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000, "k": 1_000, "K": 1_000}


@dataclass(frozen=True)
class Bad:
    row: int
    cell: str


def _clean(col: pd.Series) -> pd.Series:
    s = col.astype("str").str.strip()
    s = s.str.replace(_CURRENCY_MARKS, "", regex=True).str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    return s


def decimal_comma(columns: list[pd.Series]) -> bool:
    """True when the file writes decimals with a comma: a cell like ``0,19`` or ``1.234,56`` (a comma
    followed by other than three digits, or dots grouping thousands before a comma). ``1,240`` alone is a
    thousands separator, as Google Ads and X write it in English."""
    pattern = r"^-?\d+,\d{1,2}%?$|^-?\d+,\d{4,}%?$|^-?\d{1,3}(\.\d{3})+,\d+%?$"
    for col in columns:
        s = _clean(col)
        if s.str.match(pattern).any():
            return True
    return False


def _normalise(s: pd.Series, comma_decimal: bool) -> pd.Series:
    if comma_decimal:
        return s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return s.str.replace(",", "", regex=False)


_NUMBER = r"^(-?)(\d*)(?:\.(\d*))?$"


def _split(col: pd.Series, comma_decimal: bool):
    """(sign, integer part, fraction part, scale, missing, bad) per cell; handles 万/亿/k suffixes and %."""
    s = _clean(col)
    missing = s.isin(MISSING) | col.isna()
    s = _normalise(s.where(~missing, "0"), comma_decimal)
    scale = pd.Series(1, index=s.index, dtype="int64")
    for mark, factor in _SCALE.items():
        has = s.str.endswith(mark)
        if has.any():
            scale = scale.where(~has, factor)
            s = s.where(~has, s.str.slice(0, -len(mark)))
    percent = s.str.endswith("%")
    s = s.where(~percent, s.str.slice(0, -1))
    parts = s.str.extract(_NUMBER)
    bad = parts[1].isna() | ((parts[1].fillna("") == "") & (parts[2].fillna("") == ""))
    return parts, scale, percent, missing, bad


def _bads(col: pd.Series, rows: pd.Series, mask: pd.Series) -> list[Bad]:
    return [Bad(int(r), str(c)) for r, c in zip(rows[mask], col[mask], strict=True)]


def numbers(col: pd.Series, rows: pd.Series, comma_decimal: bool = False) -> tuple[pd.Series, list[Bad]]:
    """Floats (``1,234`` -> 1234.0, ``1.2万`` -> 12000.0, ``12%`` -> 12.0: the number as written, a percent
    sign dropped). Missing -> 0.0."""
    parts, scale, _percent, missing, bad = _split(col, comma_decimal)
    text = parts[0].fillna("") + parts[1].fillna("").replace("", "0") + "." + parts[2].fillna("0").replace("", "0")
    value = pd.to_numeric(text.where(~bad, "0"), errors="coerce").fillna(0.0) * scale
    value = value.where(~missing, 0.0)
    return value.astype("float64"), _bads(col, rows, bad & ~missing)


def counts(col: pd.Series, rows: pd.Series, comma_decimal: bool = False) -> tuple[pd.Series, list[Bad]]:
    """Whole numbers (X writes ``"1203.0"``; ``1.2万`` is 12000). A fraction that is not a whole number after
    scaling, or a negative count, is bad."""
    value, bads = numbers(col, rows, comma_decimal)
    rounded = value.round()
    wrong = ((value - rounded).abs() > 1e-6) | (value < 0)
    bads += _bads(col, rows, wrong)
    return rounded.where(~wrong, 0).astype("int64"), bads


def minor_units(
    col: pd.Series, rows: pd.Series, exponent: int, comma_decimal: bool = False, allow_negative: bool = False
) -> tuple[pd.Series, list[Bad]]:
    """Money as integer minor units, exactly: ``4.195`` CNY -> 420 (half up on the digit after the last
    minor unit), ``1.2万`` -> 1200000. Negative amounts are bad unless ``allow_negative`` (refunds)."""
    parts, scale, percent, missing, bad = _split(col, comma_decimal)
    sign = np.where(parts[0].fillna("") == "-", -1, 1)
    whole = pd.to_numeric(parts[1].fillna("").replace("", "0"), errors="coerce").fillna(0).astype("int64")
    frac = parts[2].fillna("")
    # the fraction scaled by the 万/亿 factor shifts digits into the whole part
    digits = (scale.astype(str).str.len() - 1).astype("int64")  # 1 -> 0, 10000 -> 4, 1e8 -> 8
    padded = frac.str.pad(exponent + 9, side="right", fillchar="0")
    take = digits + exponent
    kept = pd.Series([p[:t] for p, t in zip(padded, take, strict=True)], index=col.index)
    nxt = pd.Series([p[t : t + 1] for p, t in zip(padded, take, strict=True)], index=col.index)
    minor = whole * scale * (10**exponent) + pd.to_numeric(kept.replace("", "0")).astype("int64")
    minor = minor + (pd.to_numeric(nxt.replace("", "0")) >= 5).astype("int64")
    minor = (minor * sign).where(~missing & ~bad, 0).astype("int64")
    wrong = bad | percent
    if not allow_negative:
        wrong = wrong | (minor < 0)
    out_bads = _bads(col, rows, wrong & ~missing)
    return minor.where(~wrong, 0), out_bads


def minor_units_fast(col: pd.Series, rows: pd.Series, exponent: int) -> tuple[pd.Series, list[Bad]]:
    """``minor_units`` for plain ``123.45``-style columns without 万: exact, vectorised, no Python loop."""
    s = _clean(col)
    missing = s.isin(MISSING)
    s = s.where(~missing, "0").str.replace(",", "", regex=False)
    parts = s.str.extract(_NUMBER)
    bad = parts[1].isna()
    whole = pd.to_numeric(parts[1].fillna("0").replace("", "0"), errors="coerce").fillna(0).astype("int64")
    frac = parts[2].fillna("").str.pad(exponent + 1, side="right", fillchar="0")
    kept = pd.to_numeric(frac.str.slice(0, exponent).replace("", "0"), errors="coerce").fillna(0).astype("int64")
    nxt = pd.to_numeric(frac.str.slice(exponent, exponent + 1).replace("", "0"), errors="coerce").fillna(0)
    minor = whole * (10**exponent) + kept + (nxt >= 5).astype("int64")
    negative = parts[0].fillna("") == "-"
    wrong = (bad | negative) & ~missing
    return minor.where(~wrong & ~missing, 0).astype("int64"), _bads(col, rows, wrong)


def money(
    col: pd.Series, rows: pd.Series, exponent: int, comma_decimal: bool = False, allow_negative: bool = False
) -> tuple[pd.Series, list[Bad]]:
    """Minor units, by the fast path when the column is plain decimals."""
    if comma_decimal or allow_negative or has_scaled(col) or col.astype("str").str.contains("%", regex=False).any():
        return minor_units(col, rows, exponent, comma_decimal, allow_negative)
    return minor_units_fast(col, rows, exponent)


def has_scaled(col: pd.Series) -> bool:
    return bool(col.astype("str").str.contains(r"[万亿wWkK]\s*$", regex=True).any())


DATE_ORDERS = ("ymd", "dmy", "mdy")
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def slashed_order(col: pd.Series) -> str | None:
    """For ``dd/mm/yyyy`` or ``mm/dd/yyyy`` columns: "dmy" or "mdy" when some cell proves it (a part over 12),
    "ambiguous" when no cell does, None when the column is not written that way."""
    parts = col.astype("str").str.extract(_SLASHED.pattern)
    parts = parts.dropna()
    if parts.empty:
        return None
    first, second = parts[0].astype(int), parts[1].astype(int)
    if (first > 12).any() and not (second > 12).any():
        return "dmy"
    if (second > 12).any() and not (first > 12).any():
        return "mdy"
    if (first > 12).any() and (second > 12).any():
        return "mixed"
    return "ambiguous"


def dates(col: pd.Series, rows: pd.Series, fmt: str | list[str]) -> tuple[pd.Series, list[Bad]]:
    """Dates by explicit strptime formats (the first that reads a cell wins). Missing or unreadable -> NaT
    and, when not missing, a Bad."""
    s = col.astype("str").str.strip()
    missing = s.isin(MISSING)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for f in [fmt] if isinstance(fmt, str) else fmt:
        todo = out.isna() & ~missing
        if not todo.any():
            break
        out = out.where(~todo, pd.to_datetime(s.where(todo), format=f, errors="coerce"))
    bad = out.isna() & ~missing
    return out.dt.date.where(~out.isna(), None), _bads(col, rows, bad)


def slashed_formats(order: str) -> list[str]:
    return {"dmy": ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"], "mdy": ["%m/%d/%Y", "%m-%d-%Y"]}.get(order, ["%Y/%m/%d"])


def text(col: pd.Series) -> pd.Series:
    """Text cells as written; a formula-looking cell stays text (``'=1+1`` from an export keeps its quote
    off); missing markers become ""."""
    s = col.astype("str").str.strip()
    s = s.where(~s.str.match(r"^'[=+\-@]"), s.str.slice(1))
    return s.where(~s.isin(MISSING), "")


def ids(col: pd.Series) -> pd.Series:
    """Platform ids kept as text: ``"1203456789012345678"`` stays exactly that; an id Excel turned into
    ``1.20253E+17`` cannot be recovered, so it is reported by the reader (see ``sci_ids``)."""
    return text(col)


def sci_ids(col: pd.Series) -> pd.Series:
    """Cells that hold an id in scientific notation (digits lost by a spreadsheet)."""
    return col.astype("str").str.match(r"^\d(\.\d+)?[eE]\+\d+$")

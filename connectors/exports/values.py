"""Reading cells of an export as numbers, money and dates, a whole column at a time.

Every reader says what it expects; nothing is guessed. A cell that does not read is reported (``Bad``: the
spreadsheet row and the cell as written), never turned into 0. Missing is ``""``, ``-``, ``--``, ``—``,
``N/A``: it reads as 0 for counts and money (the platform had nothing to count), and as missing for dates.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MISSING = {"", "-", "--", "—", "–", "n/a", "N/A", "NA", "null", "None", "nan", "(not set)"}
_CURRENCY_MARKS = re.compile(r"[¥￥$€£₩₫]|US\$|RMB|CNY|USD|元", re.IGNORECASE)
_SCALE = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000, "k": 1_000, "K": 1_000}


@dataclass(frozen=True)
class Bad:
    row: int
    cell: str


def _clean(col: pd.Series) -> pd.Series:
    s = col.astype("str").str.normalize("NFKC").str.strip()  # full-width digits and ￥ as their plain forms
    s = s.str.replace(_CURRENCY_MARKS, "", regex=True).str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    return s


# Plain columns, as most exports write their numbers (``1,240``, ``1004.40``, ``-3``, ``--``): only ASCII digits,
# minus signs, commas and points. Cleaning changes nothing in them, so they are read by Arrow's vectorised
# kernels (``_plain``) with exactly the rules below; any other column goes the general way (``_split``).
_PLAIN_BYTES = np.zeros(256, dtype=bool)
_PLAIN_BYTES[list(b"0123456789,.-")] = True
_PLAIN_MISSING = sorted(m for m in MISSING if re.fullmatch(r"[0-9,.\-]*", m))
_PLAIN_NUMBER = r"^(?P<sign>-?)(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?$"
_MAX_DIGITS = 15  # a longer whole part goes the general way (it would not fit an int64 in minor units)


def _remembered(col: pd.Series, key: str, compute):
    """``compute()`` once per column (a reader asks about the same column several times): remembered for its
    Arrow data, which never changes, and forgotten with it."""
    data = getattr(col.array, "_pa_array", None)
    if data is None:
        return compute()
    k = (id(data), key)
    hit = _SEEN.get(k)
    if hit is not None and hit[0]() is data:
        return hit[1]
    value = compute()
    try:
        _SEEN[k] = (weakref.ref(data, lambda _ref, k=k, seen=_SEEN: seen.pop(k, None)), value)
    except TypeError:  # data that cannot be referred to weakly is not remembered
        pass
    return value


_SEEN: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def _arrow(col: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column's Arrow strings when it is a plain column without missing (NaN) cells, else None."""
    if not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow" or col.hasnans:
        return None
    return _remembered(col, "plain", lambda: _plain_cells(pa.array(col)))


def _plain_cells(arr) -> pa.Array | pa.ChunkedArray | None:
    """``arr`` when every byte of every cell is a digit, a comma, a point or a minus sign, else None."""
    if arr.type not in (pa.string(), pa.large_string()):
        return None
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        if chunk.null_count:
            return None
        _, offsets, data = chunk.buffers()
        if data is None or not len(chunk):
            continue
        at = np.frombuffer(offsets, dtype=np.int64 if chunk.type == pa.large_string() else np.int32)
        at = at[chunk.offset : chunk.offset + len(chunk) + 1]
        if not _PLAIN_BYTES[np.frombuffer(data, dtype=np.uint8)[at[0] : at[-1]]].all():
            return None
    return arr


def _np(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False))


@dataclass(frozen=True)
class _Parts:
    """A plain column split as ``_split`` splits it (no scale, no percent sign can occur in a plain column)."""

    negative: np.ndarray
    whole: pa.Array  # the digits before the point ("" when none); null where the cell is no number
    frac: pa.Array | None  # the digits after the point ("" when none); None: no cell has a point
    missing: np.ndarray
    nomatch: np.ndarray  # not a number at all
    bare: np.ndarray  # neither digits before nor after the point ("-", ".")


def _plain(col: pd.Series, comma_decimal: bool) -> _Parts | None:
    if comma_decimal:
        return None
    arr = _arrow(col)
    return None if arr is None else _plain_parts(arr)


def _plain_parts(arr) -> _Parts | None:
    text = arr.type
    missing = pc.equal(arr, pa.scalar(_PLAIN_MISSING[0], text))
    for marker in _PLAIN_MISSING[1:]:
        missing = pc.or_(missing, pc.equal(arr, pa.scalar(marker, text)))
    s = pc.replace_substring(pc.if_else(missing, pa.scalar("0", text), arr), ",", "")
    n = len(s)
    if n and not any(pc.any(pc.match_substring(s, c)).as_py() for c in (".", "-")):
        # whole numbers only (counts, in most files): each cell is digits, unless one is empty ("," alone)
        if not pc.any(pc.equal(s, pa.scalar("", text))).as_py():
            if (pc.max(pc.utf8_length(s)).as_py() or 0) > _MAX_DIGITS:
                return None
            no = np.zeros(n, dtype=bool)
            return _Parts(no, s, None, _np(missing), no, no)
    parts = pc.extract_regex(s, _PLAIN_NUMBER)
    valid = pc.is_valid(parts)
    whole = pc.if_else(valid, pc.struct_field(parts, "int"), pa.scalar(None, text))
    if n and (pc.max(pc.utf8_length(whole)).as_py() or 0) > _MAX_DIGITS:
        return None
    frac = pc.if_else(valid, pc.struct_field(parts, "frac"), pa.scalar("", text))
    nomatch = ~_np(valid)
    empty = pa.scalar("", text)
    bare = _np(pc.and_(pc.equal(pc.fill_null(whole, empty), empty), pc.equal(frac, empty)))
    negative = _np(pc.equal(pc.fill_null(pc.struct_field(parts, "sign"), empty), pa.scalar("-", text))) & ~nomatch
    return _Parts(negative, whole, frac, _np(missing), nomatch, bare)


def _digits(arr) -> np.ndarray:
    """Digit strings (null or "" -> 0) as int64."""
    zero = pa.scalar("0", arr.type)
    arr = pc.fill_null(arr, zero)
    return _np(pc.cast(pc.if_else(pc.equal(arr, pa.scalar("", arr.type)), zero, arr), pa.int64()))


def _plain_minor(p: _Parts, exponent: int) -> np.ndarray:
    """Unsigned minor units, half up on the digit after the last minor unit."""
    whole = _digits(p.whole) * (10**exponent)
    if p.frac is None:
        return whole
    padded = pc.utf8_rpad(p.frac, width=exponent + 1, padding="0")
    kept = _digits(pc.utf8_slice_codeunits(padded, 0, exponent)) if exponent else 0
    nxt = _digits(pc.utf8_slice_codeunits(padded, exponent, exponent + 1))
    return whole + kept + (nxt >= 5).astype("int64")


def _plain_numbers(p: _Parts) -> np.ndarray:
    """Floats of a plain column, as ``float(sign + whole + "." + fraction)`` (0.0 where not a number)."""
    if p.frac is None:  # whole numbers: exact in a float up to _MAX_DIGITS digits
        return _digits(p.whole).astype("float64")
    text = p.whole.type
    whole = pc.fill_null(p.whole, pa.scalar("", text))
    zero, empty = pa.scalar("0", text), pa.scalar("", text)
    signed = pc.binary_join_element_wise(
        pc.if_else(pa.array(p.negative), pa.scalar("-", text), empty),
        pc.if_else(pc.equal(whole, empty), zero, whole),
        empty,
    )
    number = pc.binary_join_element_wise(
        signed, pc.if_else(pc.equal(p.frac, empty), zero, p.frac), pa.scalar(".", text)
    )
    number = pc.if_else(pa.array(p.nomatch | p.bare), zero, number)
    return _np(pc.cast(number, pa.float64()))


def decimal_comma(columns: list[pd.Series]) -> bool:
    """True when the file writes decimals with a comma: a cell like ``0,19`` or ``1.234,56`` (a comma
    followed by other than three digits, or dots grouping thousands before a comma). ``1,240`` alone is a
    thousands separator, as Google Ads and X write it in English."""
    pattern = r"^-?\d+,\d{1,2}%?$|^-?\d+,\d{4,}%?$|^-?\d{1,3}(\.\d{3})+,\d+%?$"
    for col in columns:
        arr = _arrow(col)
        if arr is not None:  # ASCII cells that cleaning leaves as they are: \d means the same to RE2
            commas = arr.filter(pc.match_substring(arr, ","))  # the regex only where it can match
            if len(commas) and pc.any(pc.match_substring_regex(commas, pattern)).as_py():
                return True
            continue
        s = _clean(col)
        if s.str.match(pattern).any():
            return True
    return False


def _normalise(s: pd.Series, comma_decimal: bool) -> pd.Series:
    if comma_decimal:
        return s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return s.str.replace(",", "", regex=False)


_NUMBER = r"^(-?)([0-9]*)(?:\.([0-9]*))?$"


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
    bad = bad | (parts[1].fillna("").str.len() > _MAX_DIGITS)  # past 10^15: not a figure, and no int64 holds it
    return parts, scale, percent, missing, bad


def _bads(col: pd.Series, rows: pd.Series, mask: pd.Series) -> list[Bad]:
    return [Bad(int(r), str(c)) for r, c in zip(rows[mask], col[mask], strict=True)]


def numbers(col: pd.Series, rows: pd.Series, comma_decimal: bool = False) -> tuple[pd.Series, list[Bad]]:
    """Floats (``1,234`` -> 1234.0, ``1.2万`` -> 12000.0, ``12%`` -> 12.0: the number as written, a percent
    sign dropped). Missing -> 0.0."""
    p = _plain(col, comma_decimal)
    if p is not None:
        bad = p.nomatch | p.bare
        value = pd.Series(np.where(p.missing, 0.0, _plain_numbers(p)), index=col.index, dtype="float64")
        return value, _bads(col, rows, bad & ~p.missing)
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
    p = _plain(col, comma_decimal)
    if p is not None:
        bad = p.nomatch | p.bare
        minor = np.where(p.negative, -1, 1) * _plain_minor(p, exponent)
        minor = np.where(p.missing | bad, 0, minor)
        wrong = bad if allow_negative else bad | (minor < 0)
        value = pd.Series(np.where(wrong, 0, minor), index=col.index, dtype="int64")
        return value, _bads(col, rows, wrong & ~p.missing)
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
    p = _plain(col, False)
    if p is not None:
        wrong = (p.nomatch | p.bare | p.negative) & ~p.missing
        minor = np.where(wrong | p.missing, 0, _plain_minor(p, exponent))
        return pd.Series(minor, index=col.index, dtype="int64"), _bads(col, rows, wrong)
    s = _clean(col)
    missing = s.isin(MISSING) | col.isna()  # an empty XLSX cell is None
    s = s.where(~missing, "0").str.replace(",", "", regex=False)
    parts = s.str.extract(_NUMBER)
    bad = parts[1].isna() | ((parts[1].fillna("") == "") & (parts[2].fillna("") == ""))  # "." has no digits
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
    if not comma_decimal and not allow_negative and _arrow(col) is not None:  # no 万, no % in a plain column
        return minor_units_fast(col, rows, exponent)
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
    # each distinct cell is read once (a million rows hold a few hundred days) and spread back over the rows
    codes, uniques = pd.factorize(col.astype("str").str.strip(), use_na_sentinel=False)
    s = pd.Series(uniques, dtype="str")
    missing = s.isin(MISSING)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for f in [fmt] if isinstance(fmt, str) else fmt:
        todo = out.isna() & ~missing
        if not todo.any():
            break
        out = out.where(~todo, pd.to_datetime(s.where(todo), format=f, errors="coerce"))
    day = out.dt.date.where(~out.isna(), None).to_numpy(dtype="object")
    bad = (out.isna() & ~missing).to_numpy()[codes]
    return pd.Series(day[codes], index=col.index, dtype="object"), _bads(col, rows, bad)


def slashed_formats(order: str) -> list[str]:
    return {"dmy": ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"], "mdy": ["%m/%d/%Y", "%m-%d-%Y"]}.get(order, ["%Y/%m/%d"])


def text(col: pd.Series) -> pd.Series:
    """Text cells as written; a formula-looking cell stays text (``'=1+1`` from an export keeps its quote
    off); missing markers become ""."""
    s = col.astype("str").str.strip()
    quoted = s.str.startswith("'")  # the regex only where it can match
    if quoted.any():
        formula = quoted & s.where(quoted, "").str.match(r"^'[=+\-@]")
        s = s.where(~formula, s.str.slice(1))
    return s.where(~s.isin(MISSING), "")


def ids(col: pd.Series) -> pd.Series:
    """Platform ids kept as text: ``"1203456789012345678"`` stays exactly that; an id Excel turned into
    ``1.20253E+17`` cannot be recovered, so it is reported by the reader (see ``sci_ids``)."""
    return text(col)


def sci_ids(col: pd.Series) -> pd.Series:
    """Cells that hold an id in scientific notation (digits lost by a spreadsheet)."""
    return col.astype("str").str.match(r"^\d(\.\d+)?[eE]\+\d+$")

"""Reading export cells: money exactly in minor units, counts as whole numbers, missing markers as 0, bad cells
reported with their spreadsheet row and never read as 0, decimal commas and day/month order detected, not
guessed."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.exports import values
from connectors.exports.values import Bad

PROPERTY = settings(database=None, deadline=None, max_examples=40)  # no .hypothesis folder in the tree


# Readers hand over pandas' Arrow-backed strings ("str"); other callers plain objects: both must read alike.
DTYPES = ["str", "object"]


@pytest.fixture(params=DTYPES)
def dtype(request) -> str:
    return request.param


def col(*cells, dtype: str = "object") -> pd.Series:
    return pd.Series(list(cells), dtype=dtype)


def rows_for(cells: pd.Series, first: int = 2) -> pd.Series:
    """Spreadsheet rows: the header is row 1, so the first cell is row 2."""
    return pd.Series(range(first, first + len(cells)), index=cells.index)


def read_money(reader, cells, exponent=2, dtype="object", **kw):
    c = col(*cells, dtype=dtype)
    out, bads = reader(c, rows_for(c), exponent, **kw)
    return out.tolist(), bads


def half_up(text: str, exponent: int) -> int:
    return int((Decimal(text) * 10**exponent).to_integral_value(rounding=ROUND_HALF_UP))


# --- money ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "exponent", "expected"),
    [
        ("4.195", 2, 420),  # half up on the digit after the last minor unit, never binary float 4.19499...
        ("0.125", 2, 13),
        ("0.124", 2, 12),
        ("1.005", 2, 101),  # float(1.005) * 100 is 100.49999...
        ("1.2万", 2, 1_200_000),
        ("1.23456万", 2, 1_234_560),
        ("0.00005万", 2, 50),
        ("3亿", 2, 30_000_000_000),
        ("1,004.40", 2, 100_440),
        ("¥1,004.40", 2, 100_440),
        ("US$ 12.5", 2, 1_250),
        ("1 234.5", 2, 123_450),
        ("1234", 0, 1_234),  # JPY, KRW: no minor unit
        ("1234.5", 0, 1_235),
        ("1234.49", 0, 1_234),
        ("12.3456", 3, 12_346),
        ("5.", 2, 500),
        (".5", 2, 50),
    ],
)
def test_money_is_exact_minor_units(cell, exponent, expected, dtype):
    out, bads = read_money(values.money, [cell], exponent, dtype=dtype)
    assert (out, bads) == ([expected], [])
    out, bads = read_money(values.minor_units, [cell], exponent, dtype=dtype)
    assert (out, bads) == ([expected], [])


def test_money_with_decimal_commas(dtype):
    out, bads = read_money(values.money, ["1.004,40", "0,19", "4,195"], 2, comma_decimal=True, dtype=dtype)
    assert (out, bads) == ([100_440, 19, 420], [])


@pytest.mark.parametrize("reader", [values.money, values.minor_units, values.minor_units_fast])
def test_missing_money_reads_as_zero_without_complaint(reader, dtype):
    out, bads = read_money(reader, ["--", "-", "", "—", "N/A", None, "12.00"], dtype=dtype)
    assert out == [0, 0, 0, 0, 0, 0, 1200]
    assert bads == []


@pytest.mark.parametrize("reader", [values.money, values.minor_units, values.minor_units_fast])
def test_bad_money_is_reported_with_its_row_and_never_read_as_zero_silently(reader, dtype):
    out, bads = read_money(reader, ["12.00", "abc", "1e5", ".", "3.00", "12..5"], dtype=dtype)
    assert out == [1200, 0, 0, 0, 300, 0]
    assert bads == [Bad(3, "abc"), Bad(4, "1e5"), Bad(5, "."), Bad(7, "12..5")]


@pytest.mark.parametrize("reader", [values.money, values.minor_units, values.minor_units_fast])
def test_a_point_without_digits_is_bad_in_a_plain_column(reader, dtype):
    """A column of nothing but digits and points takes the vectorised way; it reports the same cells."""
    out, bads = read_money(reader, ["12.00", ".", "3.00", "-"], dtype=dtype)
    assert out == [1200, 0, 300, 0]
    assert bads == [Bad(3, ".")]


def test_percent_cells_are_refused_as_money(dtype):
    out, bads = read_money(values.money, ["12.00", "12%", "9.38 %"], dtype=dtype)
    assert out == [1200, 0, 0]
    assert bads == [Bad(3, "12%"), Bad(4, "9.38 %")]


@pytest.mark.parametrize("reader", [values.money, values.minor_units, values.minor_units_fast])
def test_negative_money_is_bad_unless_refunds_are_allowed(reader, dtype):
    out, bads = read_money(reader, ["5.00", "-3.50"], dtype=dtype)
    assert out == [500, 0] and bads == [Bad(3, "-3.50")]
    out, bads = read_money(values.minor_units, ["5.00", "-3.505"], allow_negative=True, dtype=dtype)
    assert out == [500, -351] and bads == []
    out, bads = read_money(values.money, ["-3.50"], allow_negative=True, dtype=dtype)
    assert out == [-350] and bads == []


plain = st.builds(
    lambda whole, frac: f"{whole}.{frac}" if frac is not None else str(whole),
    st.integers(0, 10**9),
    st.none() | st.text("0123456789", min_size=0, max_size=8),
)
with_separators = st.integers(0, 10**12).map(lambda n: f"{n:,}") | st.builds(
    lambda n, f: f"{n:,}.{f:02d}", st.integers(0, 10**9), st.integers(0, 99)
)


@PROPERTY
@given(st.lists(plain | with_separators, min_size=1, max_size=15), st.sampled_from([0, 2, 3]), st.sampled_from(DTYPES))
def test_fast_and_slow_money_agree_on_plain_decimals(cells, exponent, dtype):
    fast = read_money(values.minor_units_fast, cells, exponent, dtype=dtype)
    slow = read_money(values.minor_units, cells, exponent, dtype=dtype)
    assert fast == slow
    out, bads = fast
    assert bads == []
    assert out == [half_up(c.replace(",", "").rstrip(".") or "0", exponent) for c in cells]


@settings(PROPERTY, max_examples=20)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=10), st.sampled_from([0, 2]), st.sampled_from(DTYPES))
def test_fast_and_slow_money_agree_on_negative_amounts(minor, exponent, dtype):
    cells = [f"-{m / 10**exponent:.{exponent}f}" for m in minor]
    fast = read_money(values.minor_units_fast, cells, exponent, dtype=dtype)
    slow = read_money(values.minor_units, cells, exponent, dtype=dtype)
    assert fast == slow == ([0] * len(cells), [Bad(i + 2, c) for i, c in enumerate(cells)])


# --- counts and numbers --------------------------------------------------------------------------------------


def read(reader, cells, dtype="object", **kw):
    c = col(*cells, dtype=dtype)
    out, bads = reader(c, rows_for(c), **kw)
    return out.tolist(), bads


def test_counts_written_as_floats_are_whole_numbers(dtype):
    assert read(values.counts, ["1203.0", "1,240", "7", "1.2万", "3k"], dtype=dtype) == (
        [1203, 1240, 7, 12_000, 3_000],
        [],
    )


def test_missing_counts_read_as_zero(dtype):
    assert read(values.counts, ["--", "-", "", None, "5"], dtype=dtype) == ([0, 0, 0, 0, 5], [])


def test_fractional_or_negative_counts_are_bad_with_their_row(dtype):
    out, bads = read(values.counts, ["12", "12.5", "-3", "many", "4"], dtype=dtype)
    assert out == [12, 0, 0, 0, 4]
    assert sorted(bads, key=lambda b: b.row) == [Bad(3, "12.5"), Bad(4, "-3"), Bad(5, "many")]


def test_rows_are_the_spreadsheet_rows_given_not_positions(dtype):
    c = col("1", "x", "3", dtype=dtype)
    _, bads = values.counts(c, pd.Series([10, 14, 15], index=c.index))
    assert bads == [Bad(14, "x")]


def test_counts_with_decimal_commas(dtype):
    assert read(values.counts, ["1.240", "3"], comma_decimal=True, dtype=dtype) == ([1240, 3], [])


def test_plain_counts_and_numbers(dtype):
    """Columns of plain digits (the common case, read by vectorised kernels) follow the same rules."""
    out, bads = read(values.counts, ["1203.0", "1,240", "12.5", "-3", ".", "--", "7"], dtype=dtype)
    assert out == [1203, 1240, 0, 0, 0, 0, 7]
    assert sorted(bads, key=lambda b: b.row) == [Bad(4, "12.5"), Bad(5, "-3"), Bad(6, ".")]
    out, bads = read(values.numbers, ["1,234", "-0.5", "0.0324", ".", "-", "5."], dtype=dtype)
    assert out == [1234.0, -0.5, 0.0324, 0.0, 0.0, 5.0]
    assert bads == [Bad(5, ".")]


def test_numbers_keep_the_number_as_written(dtype):
    out, bads = read(values.numbers, ["1,234", "1.2万", "12%", "0.0324", "--", "x"], dtype=dtype)
    assert out == [1234.0, 12_000.0, 12.0, 0.0324, 0.0, 0.0]
    assert bads == [Bad(7, "x")]
    out, bads = read(values.numbers, ["9,38%", "0,5"], comma_decimal=True, dtype=dtype)
    assert (out, bads) == ([9.38, 0.5], [])


# --- detection -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["0,19"], True),
        (["9,38%"], True),
        (["1.234,56"], True),
        (["1,240"], False),  # thousands, as Google Ads and X write it in English
        (["1,240", "3,084,400", "12"], False),
        (["1,240", "0,5"], True),
        (["4.19763158", "12"], False),
        (["--", ""], False),
    ],
)
def test_decimal_comma_detection(cells, expected, dtype):
    assert values.decimal_comma([col(*cells, dtype=dtype)]) is expected


def test_decimal_comma_looks_at_every_column(dtype):
    assert values.decimal_comma([col("1,240", dtype=dtype), col("0,19", dtype=dtype)]) is True
    assert values.decimal_comma([col("1,240", dtype=dtype), col("12", dtype=dtype)]) is False


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["13/01/2026"], "dmy"),
        (["01/13/2026"], "mdy"),
        (["01/02/2026"], "ambiguous"),  # never guessed: the person picks
        (["01/02/2026", "03/04/2026", "25.12.2026"], "dmy"),
        (["01/02/2026", "12/31/2026"], "mdy"),
        (["13/01/2026", "01/13/2026"], "mixed"),
        (["2026-01-13", "20260113"], None),
    ],
)
def test_slashed_order(cells, expected, dtype):
    assert values.slashed_order(col(*cells, dtype=dtype)) == expected


def test_dates_by_explicit_formats(dtype):
    c = col("13/01/2026", "", "--", "31/02/2026", "05.06.2026", dtype=dtype)
    out, bads = values.dates(c, rows_for(c), values.slashed_formats("dmy"))
    assert out.tolist() == [date(2026, 1, 13), None, None, None, date(2026, 6, 5)]
    assert bads == [Bad(5, "31/02/2026")]
    c = col("01/13/2026", dtype=dtype)
    out, _ = values.dates(c, rows_for(c), values.slashed_formats("mdy"))
    assert out.tolist() == [date(2026, 1, 13)]


# --- text and ids --------------------------------------------------------------------------------------------


def test_text_keeps_cells_and_blanks_missing_markers(dtype):
    assert values.text(col(" Double 11 ", "--", "'=1+1", "=HYPERLINK()", "N/A", dtype=dtype)).tolist() == [
        "Double 11",
        "",
        "=1+1",
        "=HYPERLINK()",
        "",
    ]


def test_ids_stay_text_and_scientific_ids_are_spotted(dtype):
    c = col("1203456789012345678", "1.20253E+17", "9007199254740993", dtype=dtype)
    assert values.ids(c).tolist() == ["1203456789012345678", "1.20253E+17", "9007199254740993"]
    assert values.sci_ids(c).tolist() == [False, True, False]

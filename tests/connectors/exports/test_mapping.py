"""Any other CSV/XLSX through a column mapping: the header found, the layout named, dates asked, problems named."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from connectors.exports import mapping
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

# a partner's weekly sheet: a title line, a blank line, then the table and a total row
PARTNER = (
    "Festival partner report,,,,,\n"
    ",,,,,\n"
    "Datum,Kampagne,Klicks,Kosten,Währung,Bestellungen\n"
    "2026-11-01,Singles Day,1200,350.40,EUR,3.5\n"
    "2026-11-02 00:00:00,Singles Day,800,120.10,EUR,1\n"
    "Total,,2000,470.50,,4.5\n"
)
MAP = {
    "day": "Datum",
    "campaign": "Kampagne",
    "clicks": "Klicks",
    "spend_minor": "Kosten",
    "currency": "Währung",
    "conversions": "Bestellungen",
}


def _read(text: str, options: ReadOptions):
    return mapping.read(open_document("partner.csv", text.encode()), options)


def test_columns_are_the_header_row_not_the_title_line():
    doc = open_document("partner.csv", PARTNER.encode())
    assert mapping.columns(doc) == ["Datum", "Kampagne", "Klicks", "Kosten", "Währung", "Bestellungen"]
    book = openpyxl.Workbook()
    book.active.append(["Report"])
    book.active.append([2026, 11])
    book.active.append(["Day", "Posts", "", "Likes"])
    book.active.append(["2026-11-01", 3, "", 40])
    buf = io.BytesIO()
    book.save(buf)
    assert mapping.columns(open_document("r.xlsx", buf.getvalue())) == ["Day", "Posts", "Likes"]


def test_layout_signature_finds_the_same_layout_again():
    cols = ["Datum", "Kampagne", "Klicks"]
    assert mapping.layout_signature(cols) == mapping.layout_signature(["KLICKS ", "datum", "Kampagne"])
    assert mapping.layout_signature(cols) != mapping.layout_signature([*cols, "Kosten"])
    doc = open_document("partner.csv", PARTNER.encode())
    assert _read(PARTNER, ReadOptions(mapping=MAP)).info["signature"] == mapping.layout_signature(mapping.columns(doc))


def test_mapped_columns_become_canonical_and_totals_match_the_total_row():
    result = _read(PARTNER, ReadOptions(mapping=MAP))
    assert result.ok, result.problems
    f = result.frame
    assert set(f["source"]) == {"mapping"} and list(f["campaign"]) == ["Singles Day", "Singles Day"]
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 2)]
    assert (int(f["clicks"].sum()), int(f["spend_minor"].sum()), float(f["conversions"].sum())) == (2000, 47050, 4.5)
    assert set(f["currency"]) == {"EUR"}
    assert result.skipped == [(6, "total")]


def test_an_unmapped_column_is_not_read():
    result = _read(PARTNER, ReadOptions(mapping={"day": "Datum", "clicks": "Klicks"}))
    assert result.ok and int(result.frame["spend_minor"].sum()) == 0 and set(result.frame["currency"]) == {""}


def test_a_mapped_column_that_is_not_there_is_named():
    result = _read(PARTNER, ReadOptions(mapping={**MAP, "impressions": "Impressionen"}))
    assert [(p.code, p.row, p.column, p.param("field")) for p in result.problems] == [
        ("missing_column", 3, "Impressionen", "impressions")
    ]


def test_day_is_required_and_unknown_fields_are_refused():
    result = _read(PARTNER, ReadOptions(mapping={"clicks": "Klicks", "customer_hash": "Kampagne"}))
    assert [(p.code, p.param("field")) for p in result.problems] == [
        ("unknown_field", "customer_hash"),
        ("missing_column", "day"),
    ]


def test_slashed_dates_are_asked_then_read_in_the_chosen_order():
    text = "Date,Clicks\n03/11/2026,5\n04/11/2026,7\n"
    assert _read(text, ReadOptions(mapping={"day": "Date", "clicks": "Clicks"})).needs == "date_order"
    result = _read(text, ReadOptions(mapping={"day": "Date", "clicks": "Clicks"}, date_order="mdy"))
    assert result.ok and list(result.frame["day"]) == [date(2026, 3, 11), date(2026, 4, 11)]


def test_a_date_format_the_person_gives_is_used():
    text = "Tag,Klicks\n03.11.2026,5\n"
    result = _read(text, ReadOptions(mapping={"day": "Tag", "clicks": "Klicks"}, date_format="%d.%m.%Y"))
    assert result.ok and list(result.frame["day"]) == [date(2026, 11, 3)]


def test_a_bad_cell_is_named_by_the_files_row_and_column():
    result = _read(PARTNER.replace("120.10", "zwölf"), ReadOptions(mapping=MAP))
    assert [(p.file, p.code, p.row, p.column) for p in result.problems] == [("partner.csv", "bad_money", 5, "Kosten")]


def test_it_is_never_detected_by_itself():
    assert not mapping.sniff(open_document("partner.csv", PARTNER.encode()))

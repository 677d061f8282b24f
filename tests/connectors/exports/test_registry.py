"""Every platform's file is recognised by the registry from the file alone, and no reader claims another's."""

from __future__ import annotations

import pytest

from connectors.exports import registry
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document
from tests.connectors.exports import (
    test_ga4,
    test_google_ads,
    test_meta,
    test_ocean_engine,
    test_orders,
    test_tiktok,
    test_wechat,
    test_x,
    test_xiaohongshu,
)

SAMPLES = {
    "ga4 csv": ("ga4", (test_ga4.PREAMBLE + "\n" + test_ga4.CHANNELS).encode()),
    "google ads csv": ("google_ads", test_google_ads.CSV.encode()),
    "google ads utf-16 tsv": ("google_ads", b"\xff\xfe" + test_google_ads.CSV.replace(",", "\t").encode("utf-16-le")),
    "meta csv": ("meta", test_meta.DAILY.encode()),
    "meta xlsx": ("meta", test_meta._xlsx()),
    "ocean engine gb18030": ("ocean_engine", test_ocean_engine.REPORT.encode("gb18030")),
    "orders csv": ("orders", test_orders.FESTA.encode()),
    "tiktok csv": ("tiktok", test_tiktok._csv()),
    "tiktok xlsx": ("tiktok", test_tiktok._xlsx()),
    "wechat csv": ("wechat", test_wechat.ARTICLES.encode("utf-8-sig")),
    "x legacy": ("x", test_x._csv(test_x.LEGACY_HEADER, test_x.LEGACY_ROWS)),
    "x posts": ("x", test_x.POSTS.encode()),
    "x overview": ("x", test_x.OVERVIEW.encode()),
    "xiaohongshu xlsx": ("xiaohongshu", test_xiaohongshu._xlsx([test_xiaohongshu.HEADER])),
}


@pytest.mark.parametrize("name", SAMPLES)
def test_each_file_is_recognised_by_exactly_its_reader(name):
    expected, raw = SAMPLES[name]
    doc = open_document(name, raw)
    claims = [key for key, reader in registry.READERS.items() if reader.sniff(doc)]
    assert claims == [expected]


def test_an_unknown_layout_names_the_file_and_its_first_line():
    result = registry.read("notes.csv", b"a,b,c\n1,2,3\n")
    assert [(p.code, p.file, p.param("first")) for p in result.problems] == [("unknown_layout", "notes.csv", "a,b,c")]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "file_empty"),
        (b"   \n\n", "file_empty"),
        (b"%PDF-1.7 ...", "file_binary"),
        (b"\x89PNG\r\n\x1a\n....", "file_binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "file_xls"),
        (b"PK\x03\x04 truncated zip", "file_xlsx_broken"),
        (b"abc\x00def\x00" * 10, "file_binary"),
    ],
)
def test_files_that_cannot_be_read_say_why(raw, code):
    result = registry.read("upload.bin", raw)
    assert [p.code for p in result.problems] == [code] and result.frame.empty


def test_a_truncated_xlsx_is_refused():
    raw = test_meta._xlsx()
    result = registry.read("meta.xlsx", raw[: len(raw) // 2])
    assert [p.code for p in result.problems] == ["file_xlsx_broken"]


def test_choosing_the_wrong_source_says_so():
    result = registry.read("campaign.csv", test_google_ads.CSV.encode(), source="meta", options=ReadOptions())
    assert [(p.code, p.param("source")) for p in result.problems] == [("not_this_source", "meta")]


def _xlsx_with(part: str, data: bytes) -> bytes:
    """A real workbook with one part replaced."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(test_meta._xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info.filename))
    return out.getvalue()


def test_an_xlsx_with_external_entities_is_refused_unread():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'
    )
    result = registry.read("evil.xlsx", _xlsx_with("xl/worksheets/sheet1.xml", evil))
    assert [p.code for p in result.problems] == ["file_xlsx_unsafe"]


def test_an_xlsx_that_expands_to_gigabytes_is_refused_before_it_is_parsed():
    bomb = b"<worksheet>" + b" " * (40 * 1024 * 1024) + b"</worksheet>"  # 40 MB of blanks, a few KB zipped
    raw = _xlsx_with("xl/worksheets/sheet1.xml", bomb)
    assert len(raw) < 200_000
    result = registry.read("bomb.xlsx", raw)
    assert [p.code for p in result.problems] == ["file_xlsx_bomb"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    from connectors.exports import document

    monkeypatch.setattr(document, "MAX_BYTES", 1000)
    result = registry.read("big.csv", test_google_ads.CSV.encode() * 10)
    assert [(p.code, p.param("limit_mb")) for p in result.problems] == [("file_too_large", "0")]


def test_nasty_cells_and_bytes_are_problems_or_read_right():
    head = "Day,Campaign,Clicks,Impr.,Cost,Currency code\n"
    truncated = ("\ufeff" + head).encode("utf-16-le")[:-1]
    assert [p.code for p in registry.read("a.csv", truncated).problems] == ["file_encoding"]
    trailing = registry.read("a.csv", (head + "2026-11-20,A,1,10,1.00,CNY,\n").encode())
    assert trailing.ok and list(trailing.frame["campaign"]) == ["A"]
    wide = registry.read("a.csv", (head + "2026-11-20,A,１２３,10,１２３.45,CNY\n").encode())
    assert wide.ok and (wide.frame.loc[0, "clicks"], wide.frame.loc[0, "spend_minor"]) == (123, 12345)
    huge = registry.read("a.csv", (head + "2026-11-20,A,99999999999999999999,10,1,CNY\n").encode())
    assert [(p.code, p.column) for p in huge.problems] == [("bad_number", "Clicks")]


def test_each_row_is_read_in_its_own_currencys_minor_units():
    head = "Day,Campaign,Clicks,Impr.,Cost,Currency code\n"
    rows = '2026-11-20,A,1,10,"1,000",JPY\n2026-11-20,B,1,10,10.00,USD\n2026-11-20,C,1,10,5.5,RMB\n'
    result = registry.read("a.csv", (head + rows).encode())
    assert result.ok, result.problems
    assert list(result.frame["spend_minor"]) == [1000, 1000, 550]
    assert list(result.frame["currency"]) == ["JPY", "USD", "CNY"]
    odd = registry.read("a.csv", (head + "2026-11-20,A,1,10,1.00,XYZ\n").encode())
    assert [(p.code, p.row, p.param("currency")) for p in odd.problems] == [("unknown_currency", 2, "XYZ")]

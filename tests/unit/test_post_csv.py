"""Posts CSV: reading strictly (encodings, header, dates, clock changes, formula-looking cells, limits) and
writing spreadsheet-safe."""

import csv
import io
from datetime import UTC, datetime

import pytest

from campaigns import post_csv as pc

HEADER = "account,scheduled_local,timezone,title,body,link,campaign,phase,assignee"


def _file(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def _where(parsed: pc.Parsed) -> list[tuple]:
    return [(p.row, p.column, p.code) for p in parsed.problems]


def test_a_utf8_file_is_read_with_its_time_in_utc():
    got = pc.parse(_file("@shop,2027-11-01 20:00,Asia/Shanghai,T,Hello,https://a.test/x,,,"), "a.csv")
    assert got.ok and got.encoding == "utf-8"
    (row,) = got.rows
    assert (row.row, row.account, row.body, row.link) == (2, "@shop", "Hello", "https://a.test/x")
    assert row.local == datetime(2027, 11, 1, 20, 0) and row.utc == datetime(2027, 11, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_chinese_text_reads_the_same_in_every_encoding_excel_writes(encoding):
    data = _file("Festa 官方微博,2027/11/1 9:00,Asia/Shanghai,双11,预售开启：定金立减 50 元,,,,", encoding=encoding)
    got = pc.parse(data, "中文.csv")
    assert got.ok, got.problems
    (row,) = got.rows
    assert (row.account, row.title, row.body) == ("Festa 官方微博", "双11", "预售开启：定金立减 50 元")
    assert row.local == datetime(2027, 11, 1, 9, 0)
    if encoding in ("gb18030", "gbk"):
        assert got.encoding == "gb18030"
    if encoding == "utf-8-sig":
        assert got.encoding == "utf-8-sig"


def test_a_bad_byte_in_no_known_encoding_refuses_the_whole_file_with_its_line():
    data = _file("a,,,,ok,,,,") + b"b,,,,\x80\xff broken,,,,\r\n"
    got = pc.parse(data, "x.csv")
    assert got.rows == [] and [(p.code, p.params["line"]) for p in got.problems] == [("bad_encoding", 3)]


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty_file"),
        (b"  \r\n ", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet_not_csv"),
    ],
)
def test_empty_and_binary_files_are_refused(data, code):
    got = pc.parse(data, "f.csv")
    assert got.rows == [] and [(p.file, p.row, p.code) for p in got.problems] == [("f.csv", None, code)]


def test_missing_and_unknown_columns_are_named_on_the_header_row():
    got = pc.parse(_file("x,y", header="account,text"), "h.csv")
    assert _where(got) == [(1, None, "unknown_columns"), (1, None, "missing_columns")]
    assert got.problems[0].params["columns"] == "text" and got.problems[1].params["columns"] == "body"


def test_chinese_header_names_and_a_semicolon_delimiter_are_understood():
    got = pc.parse(_file("@shop;正文内容", header="账号;正文"), "semi.csv")
    assert got.ok and got.rows[0].body == "正文内容"


def test_a_time_without_a_zone_column_is_refused():
    got = pc.parse(_file("@shop,2027-11-01 20:00,Hi", header="account,scheduled_local,body"), "z.csv")
    assert _where(got) == [(1, None, "missing_columns")] and got.problems[0].params["columns"] == "timezone"


@pytest.mark.parametrize(
    "value, code",
    [
        ("11/12/2027 20:00", "ambiguous_date"),
        ("01.02.2027 20:00", "ambiguous_date"),
        ("2027-13-01 20:00", "bad_date"),
        ("2027-02-30 20:00", "bad_date"),
        ("2027-11-01", "bad_date"),
        ("2027-11-01 20:00:30", "bad_date"),
        ("45356", "bad_date"),
        ("tomorrow 8pm", "bad_date"),
    ],
)
def test_dates_are_read_year_first_only_never_guessed(value, code):
    got = pc.parse(_file(f"@shop,{value},Asia/Shanghai,,Hi,,,,"), "d.csv")
    assert _where(got) == [(2, "scheduled_local", code)] and got.rows == []


@pytest.mark.parametrize(
    "value", ["2027-11-01 20:00", "2027/11/01 20:00", "2027/11/1 20:00", "２０２７-１１-０１ ２０：００"]
)
def test_year_first_forms_are_accepted(value):
    got = pc.parse(_file(f"@shop,{value},Asia/Shanghai,,Hi,,,,"), "d.csv")
    assert got.ok and got.rows[0].local == datetime(2027, 11, 1, 20, 0)


def test_a_time_in_a_dst_gap_or_fold_and_an_unknown_zone_are_refused_at_their_cells():
    got = pc.parse(
        _file(
            "@shop,2025-03-30 02:30,Europe/Berlin,,gap,,,,",
            "@shop,2025-10-26 02:30,Europe/Berlin,,fold,,,,",
            "@shop,2025-10-26 12:00,Mars/Olympus,,zone,,,,",
            "@shop,2025-10-26 12:00,,,no zone,,,,",
        ),
        "dst.csv",
    )
    assert _where(got) == [
        (2, "scheduled_local", "nonexistent_time"),
        (3, "scheduled_local", "ambiguous_time"),
        (4, "timezone", "unknown_zone"),
        (5, "timezone", "required"),
    ]
    assert got.problems[0].params["suggested"] == "2025-03-30T03:30:00"


def test_every_problem_names_file_row_and_column_as_a_spreadsheet_shows_them():
    data = _file(
        '@shop,,,,"line one\nline two",,,,',  # one spreadsheet row although two lines
        ",,,,,,,,",  # blank row: counted, skipped
        ",,,,no account,,,,",
        "@shop,,,,,,,,",
        "@shop,,,,x,ftp://a,,p1,",
    )
    got = pc.parse(data, "rows.csv")
    assert _where(got) == [
        (4, "account", "required"),
        (5, "body", "required"),
        (6, "phase", "needs_campaign"),
        (6, "link", "not_a_link"),
    ]
    assert {p.file for p in got.problems} == {"rows.csv"}
    assert [r.row for r in got.rows] == [2] and got.rows[0].body == "line one\nline two"


def test_formula_looking_cells_are_kept_as_literal_text():
    cells = ['"=HYPERLINK(""http://evil"",""x"")"', "+cmd|' /C calc'!A0", "-50% today", "@SUM(A1:A2)"]
    data = _file(*[f"@shop,,,,{cell},,,," for cell in cells])
    got = pc.parse(data, "f.csv")
    assert got.ok
    assert [r.body for r in got.rows] == [
        '=HYPERLINK("http://evil","x")',
        "+cmd|' /C calc'!A0",
        "-50% today",
        "@SUM(A1:A2)",
    ]


def test_an_exported_quote_prefix_is_read_back_as_the_original_text():
    assert pc.literal("'=1+1") == "=1+1" and pc.literal("'-5") == "-5"
    assert pc.literal("'quoted'") == "'quoted'" and pc.literal("=1+1") == "=1+1"


def test_too_many_rows_refuses_the_file():
    rows = [f"@shop,,,,post {i},,,," for i in range(pc.MAX_ROWS + 1)]
    got = pc.parse(_file(*rows), "big.csv")
    assert got.rows == [] and [(p.code, p.params["max"]) for p in got.problems] == [("too_many_rows", pc.MAX_ROWS)]
    assert pc.parse(_file(*rows[: pc.MAX_ROWS]), "ok.csv").ok


def test_overlong_cells_and_duplicate_rows_are_named():
    got = pc.parse(_file(f"@shop,,,{'t' * 201},x,,,,", "@shop,,,,same,,,,", "@shop,,,,same,,,,"), "l.csv")
    assert _where(got) == [(2, "title", "too_long"), (4, None, "duplicate_row")]
    assert got.problems[1].params == {"first": 3}


def test_export_is_formula_safe_and_keeps_numbers_numeric():
    data = pc.export(
        [
            {"account": "@shop", "body": "=HYPERLINK(\"http://evil\")", "title": "+cmd", "assignee": "@bob",
             "campaign": "\tx", "id": 7, "state": "draft", "scheduled_local": datetime(2027, 11, 1, 20, 0)},
        ]
    )  # fmt: skip
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(header) == pc.EXPORT_COLUMNS
    got = dict(zip(header, row, strict=True))
    assert got["body"] == '\'=HYPERLINK("http://evil")' and got["title"] == "'+cmd" and got["assignee"] == "'@bob"
    assert got["campaign"] == "'\tx" and got["id"] == "7" and got["scheduled_local"] == "2027-11-01 20:00"


def test_an_export_reads_back_as_the_same_posts():
    original = {
        "account": "@shop",
        "scheduled_local": datetime(2027, 11, 1, 20, 0),
        "timezone": "Asia/Shanghai",
        "title": "-50%",
        "body": "=not a formula",
        "link": "https://a.test/",
        "id": 1,
        "state": "sent",
    }
    got = pc.parse(pc.export([original]), "export.csv")
    assert got.ok, got.problems
    (row,) = got.rows
    assert (row.title, row.body, row.local) == ("-50%", "=not a formula", datetime(2027, 11, 1, 20, 0))


def test_the_template_round_trips_through_parse():
    data = pc.template()
    assert data.startswith(b"\xef\xbb\xbf")
    got = pc.parse(data, "template.csv")
    assert got.ok and len(got.rows) == 1
    row = got.rows[0]
    assert (row.account, row.campaign, row.phase) == (
        pc.EXAMPLE_ROW["account"],
        pc.EXAMPLE_ROW["campaign"],
        pc.EXAMPLE_ROW["phase"],
    )
    assert row.local.strftime(pc.TIME_FORMAT) == pc.EXAMPLE_ROW["scheduled_local"]
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == list(pc.TEMPLATE)


CODES = {
    # campaigns.post_csv
    "file_too_large", "empty_file", "spreadsheet_not_csv", "binary", "bad_encoding", "unreadable",
    "unknown_columns", "duplicate_columns", "missing_columns", "too_many_rows", "extra_cells", "no_rows",
    "required", "too_long", "needs_campaign", "not_a_link", "ambiguous_date", "bad_date", "unknown_zone",
    "nonexistent_time", "ambiguous_time", "duplicate_row",
    # app.services.post_csv (workspace names, and compose's text and media checks)
    "no_workspace", "account_not_found", "account_ambiguous", "campaign_not_found", "campaign_ambiguous",
    "phase_not_found", "phase_ambiguous", "empty", "title_too_long", "hashtag_not_allowed", "media_required",
}  # fmt: skip


def test_every_problem_code_has_a_message_in_both_languages():
    from app.ui.catalog import CATALOG

    missing = sorted(code for code in CODES if f"post_csv.err.{code}" not in CATALOG)
    assert missing == []


def test_the_messages_of_real_problems_format_with_their_params():
    from app.ui.i18n import translate

    data = _file(
        "@shop,2025-03-30 02:30,Europe/Berlin,,gap,,,,",
        "@shop,2025-10-26 02:30,Europe/Berlin,,fold,,,,",
        "@shop,11/12/2027 20:00,Asia/Shanghai,,x,,,,",
        "@shop,,Nowhere/Zone,,x,,,,",
    )
    for p in pc.parse(data, "m.csv").problems + pc.parse(b"a\x80\xff", "e.csv").problems:
        for lang in ("zh-CN", "en"):
            assert "{" not in translate(f"post_csv.err.{p.code}", lang, **p.params)

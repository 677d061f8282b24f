"""Posts in and out as CSV: the template people fill in (Excel, WPS, Numbers), reading a filled-in file
strictly, and writing posts out spreadsheet-safe.

Pure: bytes in, rows and problems out. Every problem names the file, the row as a spreadsheet shows it
(the header is row 1; a cell with line breaks is still one row) and the column, with a stable code and
params for the UI's catalog. Nothing is guessed:

- encodings: UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 (Excel on Chinese Windows saves
  "CSV" as GBK, which GB18030 contains); NUL bytes, spreadsheets saved as .xlsx and empty files are refused;
- dates: year first only, ``YYYY-MM-DD HH:MM`` or ``YYYY/MM/DD HH:MM`` (one-digit month, day and hour are
  accepted because Excel writes "2026/1/5 9:00"; seconds only as ``:00``); ``11/12/2026`` is refused as
  ambiguous, never read as either day or month first;
- local times in a clock change (DST gap or fold) and unknown zones are refused with
  ``campaigns.schedule_time``'s codes and params;
- cells starting with ``=``, ``+``, ``-`` or ``@`` are plain text: nothing is ever evaluated. A leading
  ``'`` in front of such a character is dropped, as the inverse of ``campaigns.exports.safe_cell`` (so an
  exported file reads back as it was).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from campaigns import schedule_time as st
from campaigns.exports import FORMULA_STARTS, to_csv

TEMPLATE: tuple[str, ...] = (
    "account",
    "scheduled_local",
    "timezone",
    "title",
    "body",
    "link",
    "campaign",
    "phase",
    "assignee",
)
EXPORT_ONLY: tuple[str, ...] = ("id", "state")  # written by ``export``, read back and ignored by ``parse``
EXPORT_COLUMNS: tuple[str, ...] = TEMPLATE + EXPORT_ONLY
REQUIRED: tuple[str, ...] = ("account", "body")  # columns a file must have (others may be left out)

# Header names a Chinese team may type instead of the English ones (matched after NFKC and case folding).
ALIASES: Mapping[str, str] = {
    "账号": "account",
    "发布账号": "account",
    "计划时间": "scheduled_local",
    "发布时间": "scheduled_local",
    "时区": "timezone",
    "标题": "title",
    "正文": "body",
    "内容": "body",
    "链接": "link",
    "活动": "campaign",
    "阶段": "phase",
    "负责人": "assignee",
}

MAX_ROWS = 5000
MAX_BYTES = 20 * 1000 * 1000
MAX_CELL = {
    "account": 200,
    "timezone": 64,
    "title": 200,
    "body": 10000,
    "link": 1800,  # the stored link holds 2,000 characters and UTM tags add some
    "campaign": 200,
    "phase": 100,
    "assignee": 200,
}
EXAMPLE_ROW: Mapping[str, str] = {
    "account": "Festa 官方微博",
    "scheduled_local": "2027-11-01 20:00",
    "timezone": "Asia/Shanghai",
    "title": "双11 预售开启",
    "body": "双11 预售今晚 8 点开始，定金立减 50 元！",
    "link": "https://festa.example/d11",
    "campaign": "双11 2027",
    "phase": "预热",
    "assignee": "",
}
TIME_FORMAT = "%Y-%m-%d %H:%M"

_DATE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})[ T]([0-9]{1,2}):([0-9]{2})(?::(00))?")
_DAY_FIRST = re.compile(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}(?:\s.*)?")
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class CsvProblem:
    """``row``: as a spreadsheet numbers it (header = 1), None for the whole file; ``column``: a TEMPLATE name
    (or the header text as found), None for the whole row or file; ``code`` a catalog key under
    ``post_csv.err.``; ``params`` strings and numbers."""

    file: str
    row: int | None
    column: str | None
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PostRow:
    """One row as read: text cells stripped; ``local``/``utc`` None when the row has no time."""

    row: int
    account: str
    title: str
    body: str
    link: str
    campaign: str
    phase: str
    assignee: str
    timezone: str
    local: datetime | None = None  # naive, in ``timezone``
    utc: datetime | None = None  # aware


@dataclass(frozen=True)
class Parsed:
    rows: list[PostRow]
    problems: list[CsvProblem]
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading -------------------------------------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[str | None, str | None, dict]:
    """(text, encoding, {}) or (None, code, params)."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, "spreadsheet_not_csv", {}
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), "utf-16", {}
            except UnicodeDecodeError as err:
                line = data[len(bom) : len(bom) + err.start].decode(enc, "ignore").count("\n") + 1
                return None, "bad_encoding", {"byte": err.start + len(bom), "line": line}
    if b"\x00" in data:
        return None, "binary", {"byte": data.index(b"\x00")}
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), {}
    except UnicodeDecodeError as err:
        utf8_error = err.start
    try:
        return data.decode("gb18030"), "gb18030", {}
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error) + 1
        return None, "bad_encoding", {"byte": utf8_error, "line": line}


def _column(name: str) -> str:
    key = unicodedata.normalize("NFKC", name).strip().casefold().replace(" ", "_")
    return ALIASES.get(key, key)


def _delimiter(first_line: str) -> str:
    """The delimiter that makes the most known column names out of the header (',' when none do better)."""
    known = set(EXPORT_COLUMNS)

    def score(d: str) -> int:
        return sum(_column(cell) in known for cell in first_line.split(d))

    return max(_DELIMITERS, key=lambda d: (score(d), d == ","))


def literal(cell: str) -> str:
    """A cell's text as the person meant it: ``'=1+1`` (how ``safe_cell`` writes ``=1+1``) back to ``=1+1``;
    ``=1+1`` itself stays ``=1+1``, text, never evaluated."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def parse_local(text: str) -> tuple[datetime | None, str | None]:
    """(naive datetime, None) for a year-first date and time, or (None, "ambiguous_date" | "bad_date")."""
    text = unicodedata.normalize("NFKC", text).strip()
    m = _DATE.fullmatch(text)
    if m is None:
        if _DAY_FIRST.fullmatch(text):
            return None, "ambiguous_date"
        return None, "bad_date"
    year, _, month, day, hour, minute, _ = m.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute)), None
    except ValueError:
        return None, "bad_date"


def _row(file: str, n: int, cells: dict[str, str], seen: dict[tuple, int]) -> tuple[PostRow | None, list[CsvProblem]]:
    problems: list[CsvProblem] = []

    def bad(column: str | None, code: str, **params) -> None:
        problems.append(CsvProblem(file, n, column, code, params))

    text = {k: literal(cells.get(k, "")).strip() for k in TEMPLATE}
    for column, most in MAX_CELL.items():
        if len(text[column]) > most:
            bad(column, "too_long", length=len(text[column]), max=most)
    if not text["account"]:
        bad("account", "required")
    if not text["body"]:
        bad("body", "required")
    if text["phase"] and not text["campaign"]:
        bad("phase", "needs_campaign")
    if text["link"] and not re.match(r"https?://[^\s/]+", text["link"], re.IGNORECASE):
        bad("link", "not_a_link")
    local = utc = None
    zone = unicodedata.normalize("NFKC", text["timezone"])
    raw_time = text["scheduled_local"]
    if zone:
        try:
            st.zone_info(zone)
        except st.ScheduleTimeError as err:
            bad("timezone", err.code, **err.params)
            zone = ""
    if raw_time:
        local, code = parse_local(raw_time)
        if code:
            bad("scheduled_local", code, value=raw_time[:40])
        elif not text["timezone"]:
            bad("timezone", "required")
        elif zone:
            try:
                utc = st.to_utc(local, zone)
            except st.ScheduleTimeError as err:
                bad("scheduled_local", err.code, **err.params)
    key = (text["account"].casefold(), raw_time, zone, text["title"], text["body"])
    if text["account"] and text["body"]:
        if key in seen:
            bad(None, "duplicate_row", first=seen[key])
        else:
            seen[key] = n
    if problems:
        return None, problems
    return PostRow(
        row=n,
        account=text["account"],
        title=text["title"],
        body=text["body"],
        link=text["link"],
        campaign=text["campaign"],
        phase=text["phase"],
        assignee=text["assignee"],
        timezone=zone,
        local=local,
        utc=utc,
    ), []


def parse(data: bytes, filename: str = "posts.csv", max_rows: int = MAX_ROWS) -> Parsed:
    """Every row of a posts CSV read, or the problems that keep it from being read, all of them (not just the
    first): a person fixes the file once. A file with any problem should be saved nowhere."""
    file = str(filename or "posts.csv")[:200]

    def refused(code: str, row: int | None = None, column: str | None = None, **params) -> Parsed:
        return Parsed([], [CsvProblem(file, row, column, code, params)])

    if len(data) > MAX_BYTES:
        return refused("file_too_large", size=len(data), max=MAX_BYTES)
    if not data.strip():
        return refused("empty_file")
    text, encoding, params = _decode(data)
    if text is None:
        return refused(encoding or "bad_encoding", **params)
    if not text.strip():
        return refused("empty_file")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as err:
        return refused("unreadable", row=1, detail=str(err)[:200])
    columns = [_column(h) for h in header]
    problems: list[CsvProblem] = []
    known = set(EXPORT_COLUMNS)
    unknown = [h.strip() for h, col in zip(header, columns, strict=True) if col and col not in known]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        problems.append(CsvProblem(file, 1, None, "unknown_columns", {"columns": shown, "count": len(unknown)}))
    doubled = sorted({c for c in columns if c in known and columns.count(c) > 1})
    if doubled:
        problems.append(CsvProblem(file, 1, None, "duplicate_columns", {"columns": ", ".join(doubled)}))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(CsvProblem(file, 1, None, "missing_columns", {"columns": ", ".join(missing)}))
    if "scheduled_local" in columns and "timezone" not in columns:
        problems.append(CsvProblem(file, 1, None, "missing_columns", {"columns": "timezone"}))
    if problems:
        return Parsed([], problems, encoding)
    rows: list[PostRow] = []
    seen: dict[tuple, int] = {}
    n, count = 1, 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(CsvProblem(file, n + 1, None, "unreadable", {"detail": str(err)[:200]}))
            break
        n += 1
        if not any(cell.strip() for cell in record):
            continue  # a blank row: counted (spreadsheets show it), not a post
        count += 1
        if count > max_rows:
            return refused("too_many_rows", max=max_rows)
        if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
            problems.append(CsvProblem(file, n, None, "extra_cells", {"cells": len(record), "columns": len(columns)}))
            continue
        cells = dict(zip(columns, record, strict=False))
        row, found = _row(file, n, cells, seen)
        problems += found
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(CsvProblem(file, None, None, "no_rows"))
    return Parsed(rows, problems, encoding)


# --- writing -------------------------------------------------------------------------------------------------------
def template() -> bytes:
    """The header and one example row, UTF-8 with a BOM (so Excel shows the Chinese correctly)."""
    return to_csv(TEMPLATE, [[EXAMPLE_ROW[k] for k in TEMPLATE]])


def export(rows: Iterable[Mapping[str, object]]) -> bytes:
    """Posts as ``EXPORT_COLUMNS`` (the template's columns, then id and state), each cell spreadsheet-safe
    (``campaigns.exports.safe_cell``); a ``datetime`` in ``scheduled_local`` is written as ``TIME_FORMAT``.
    ``parse`` reads such a file back (id and state ignored)."""

    def cell(key: str, value: object) -> object:
        if key == "scheduled_local" and isinstance(value, datetime):
            return value.strftime(TIME_FORMAT)
        return value

    return to_csv(EXPORT_COLUMNS, ([cell(k, r.get(k)) for k in EXPORT_COLUMNS] for r in rows))

"""An uploaded export file, opened safely: CSV/TSV text in whatever encoding the platform wrote, or an XLSX
workbook read without evaluating anything. Readers look at its first rows to recognise it, then take tables
of text cells from it; numbers are read later (connectors.exports.values), so nothing is guessed here.

Refused with a named reason (``DocumentError.code``): empty, binary or truncated files, XLSX workbooks that
would expand past ``MAX_XLSX_EXPANDED`` or hold external entities, files over ``MAX_BYTES``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

MAX_BYTES = 200 * 1024 * 1024  # an upload larger than this is refused before it is read
MAX_XLSX_EXPANDED = 512 * 1024 * 1024  # the sum of a workbook's uncompressed parts
MAX_XLSX_RATIO = 200  # a part that expands more than this is a zip bomb, not a spreadsheet
SNIFF_ROWS = 40

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old .xls format
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf")


class DocumentError(Exception):
    """The file cannot be read at all. ``code``: empty, binary, xls, too_large, xlsx_bomb, xlsx_unsafe,
    xlsx_broken, encoding."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM decides; then UTF-16 without BOM (every other byte NUL); then UTF-8; then
    GB18030 (Excel on Chinese Windows saves "CSV" as GBK, which GB18030 contains). Bytes that are not valid in
    the encoding the file announces (a truncated UTF-16 file) are ``DocumentError("encoding")``."""
    try:
        return _decode(raw)
    except UnicodeDecodeError as exc:
        raise DocumentError("encoding", offset=exc.start) from None


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    head = raw[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return raw.decode("utf-16-le"), "utf-16-le"
    if b"\x00" in head:
        raise DocumentError("binary")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DocumentError("encoding", offset=exc.start) from None


def _delimiter(lines: list[str]) -> str:
    """The separator of the widest of the first lines (preamble lines are narrower than the table)."""
    best, width = ",", 0
    for line in lines:
        for sep in (",", "\t", ";"):
            n = line.count(sep)
            if n > width:
                best, width = sep, n
    return best


@dataclass
class Sheet:
    """One table source: the rows of a CSV file or of one worksheet, cells as text ("" when empty)."""

    name: str
    head: list[list[str]]  # the first SNIFF_ROWS rows, for recognising the layout
    _text: str | None = None  # CSV: the decoded text
    _delimiter: str = ","
    _line_starts: list[int] = field(default_factory=list)  # CSV: where each of the first lines starts
    _rows: list[list[str]] | None = None  # XLSX: every row
    _raw: bytes | None = None  # CSV in UTF-8: the file's bytes, which Arrow parses without a copy
    _raw_start: int = 0  # the byte where ``_text`` starts in ``_raw`` (after a byte order mark)

    def table(
        self, header_row: int, dtype_text: bool = True, keep: Callable[[int, str], bool] | None = None
    ) -> pd.DataFrame:
        """The table whose header is row ``header_row`` (0-based in ``head``): every cell as text (pandas'
        string dtype), empty cells as ""; column ``_row`` holds the row as a spreadsheet numbers it.
        ``keep(position, name)``: the columns wanted (a reader that knows which it reads does not hold the
        others in memory); every column without it."""
        if self._rows is not None:
            header = [h.strip() for h in self._rows[header_row]]
            body = self._rows[header_row + 1 :]
            width = len(header)
            body = [(r + [""] * width)[:width] for r in body]
            frame = _kept(pd.DataFrame(body, columns=unique(header), dtype="str"), keep)
            frame["_row"] = range(header_row + 2, header_row + 2 + len(frame))
            return frame
        start = self._line_starts[header_row]
        try:
            frame = self._read_arrow(start, keep)
            if frame is None:
                frame = self._read_csv(start)
                frame.columns = unique([str(c).strip() for c in frame.columns])
                frame = _kept(frame, keep)
        except pd.errors.ParserError as exc:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
            if m is None:
                raise DocumentError("ragged", row=0, expected="?", saw="?") from None
            raise DocumentError(
                "ragged", row=header_row + int(m.group(2)), expected=m.group(1), saw=m.group(3)
            ) from None
        # header_row + 1 is the header's spreadsheet row; a record with line breaks still counts as one row
        frame["_row"] = range(header_row + 2, header_row + 2 + len(frame))
        return frame

    def _read_arrow(self, start: int, keep: Callable[[int, str], bool] | None = None) -> pd.DataFrame | None:
        """The table by Arrow's multi-threaded parser, with the same cells as ``_read_csv``; None when the
        table is not regular (a record with more or fewer cells than the header): ``_read_csv`` then reads it
        and says where, as before."""
        if self._raw is not None:
            offset = self._raw_start + len(self._text[:start].encode("utf-8"))
            data = pa.py_buffer(self._raw)[offset:]
        else:
            data = pa.py_buffer(self._text[start:].encode("utf-8"))
        try:
            first = next(csv.reader(io.StringIO(self._text[start : start + 1_000_000]), delimiter=self._delimiter))
        except (csv.Error, StopIteration):
            return None
        width = len(first)
        names = _names(first)
        wanted = [i for i, name in enumerate(names) if keep is None or keep(i, name)]
        # Arrow names the columns f0, f1 ...; large strings are what pandas keeps, so nothing is copied
        text = {f"f{i}": pa.large_string() for i in range(width + 64)}
        try:
            table = pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=True),
                parse_options=pacsv.ParseOptions(
                    delimiter=self._delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=text,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                    include_columns=[f"f{i}" for i in wanted] if keep is not None else None,
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if table.num_rows == 0 or any(t != pa.large_string() for t in table.schema.types):
            return None
        # the header is the first record, as read above
        if keep is None and table.num_columns != width:
            return None
        if [table.column(k)[0].as_py() for k in range(table.num_columns)] != [first[i] for i in wanted]:
            return None
        frame = table.slice(1).rename_columns([f"c{i}" for i in wanted]).to_pandas()
        frame.columns = [names[i] for i in wanted]
        return frame

    def _read_csv(self, start: int) -> pd.DataFrame:
        return pd.read_csv(
            io.StringIO(self._text[start:]),
            index_col=False,  # a trailing delimiter on data rows must not shift the columns
            sep=self._delimiter,
            dtype="str",
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            on_bad_lines="error",
            engine="c",
        )


def _names(header: list[str]) -> list[str]:
    """Column names as pandas and ``Sheet.table`` make them: "Unnamed: <position>" for an empty header cell,
    stripped, repeated names numbered."""
    return unique([(h if h != "" else f"Unnamed: {i}").strip() for i, h in enumerate(header)])


def _kept(frame: pd.DataFrame, keep: Callable[[int, str], bool] | None) -> pd.DataFrame:
    if keep is None:
        return frame
    return frame[[c for i, c in enumerate(frame.columns) if keep(i, c)]]


def unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}.{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out


@dataclass
class Document:
    name: str
    kind: str  # csv | xlsx
    encoding: str
    sheets: list[Sheet]
    text: str | None = None  # CSV: the whole decoded text (GA4 keeps several tables in one file)

    @property
    def first(self) -> Sheet:
        return self.sheets[0]


def open_document(name: str, raw: bytes) -> Document:
    if len(raw) > MAX_BYTES:
        raise DocumentError("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    if not raw or raw.isspace():  # (as ``not raw.strip()``, without copying the file)
        raise DocumentError("empty")
    if raw.startswith(_ZIP):
        return _open_xlsx(name, raw)
    if raw.startswith(_OLE):
        raise DocumentError("xls")
    if raw.startswith(_BINARY_MAGIC):
        raise DocumentError("binary")
    text, encoding = decode(raw)
    marks = len(text) - len(text := text.lstrip("\ufeff"))
    if not text or text.isspace():
        raise DocumentError("empty")
    sheet = csv_sheet(name, text)
    if encoding in ("utf-8", "utf-8-sig"):  # Arrow reads the table from the bytes themselves
        sheet._raw, sheet._raw_start = raw, (3 if encoding == "utf-8-sig" else 0) + 3 * marks
    return Document(name, "csv", encoding, [sheet], text)


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines(keepends=True)[:n]`` without splitting the whole of a large file."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines(keepends=True)
        if len(lines) > n or size >= len(text):  # the last line of a prefix may be cut: it is not kept
            return lines[:n]
        size *= 4


def csv_sheet(name: str, text: str) -> Sheet:
    lines = _first_lines(text, SNIFF_ROWS * 4)
    sep = _delimiter([ln for ln in lines[:SNIFF_ROWS] if ln.strip()])
    starts, pos = [], 0
    head: list[list[str]] = []
    for line in lines:
        if len(head) >= SNIFF_ROWS:
            break
        starts.append(pos)
        pos += len(line)
        try:
            head.append([c.strip() for c in next(csv.reader([line], delimiter=sep), [])])
        except csv.Error:
            head.append([line.strip()])
    return Sheet(name, head, text, sep, starts)


def _open_xlsx(name: str, raw: bytes) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise DocumentError("xlsx_broken") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_EXPANDED or any(
        i.compress_size and i.file_size / i.compress_size > MAX_XLSX_RATIO and i.file_size > 10_000_000 for i in infos
    ):
        raise DocumentError("xlsx_bomb", limit_mb=MAX_XLSX_EXPANDED // (1024 * 1024))
    for info in infos:
        if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
            with archive.open(info) as part:
                if b"<!DOCTYPE" in part.read(4096).upper():
                    raise DocumentError("xlsx_unsafe")  # DTDs carry entity expansion and external entities
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise DocumentError("xlsx_broken")
    import openpyxl  # with defusedxml installed, openpyxl parses through it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise DocumentError("xlsx_broken", reason=type(exc).__name__) from None
    sheets = []
    for ws in book.worksheets:
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            sheets.append(Sheet(f"{name} › {ws.title}", rows[:SNIFF_ROWS], _rows=rows))
    book.close()
    if not sheets:
        raise DocumentError("empty")
    return Document(name, "xlsx", "xlsx", sheets)


def _cell_text(value) -> str:
    """A cell as text: numbers without float noise (1203.0 -> "1203"), dates as ISO, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()

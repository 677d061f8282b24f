"""The KOL roster as a file (CSV or XLSX): one row per account; rows with the same ``name`` are one partner.

Pure: bytes in, partner drafts and problems out (every problem with file, row as a spreadsheet numbers it,
and column). Nothing is guessed:

- numbers: ``1200000``, ``1,200,000``, ``120万``, ``1.2w``, ``12k``, ``1.2m``;
- engagement rate: ``3.5%`` or a ratio ``0.035``; a bare number over 1 is refused (write ``3.5%``);
- fees (``fee_<deliverable>``) in major units of the partner's currency (``5000``, ``¥5000``); a fee in
  another currency (``USD 800``) needs a rate (``rates["USD/CNY"]`` = CNY per USD) or is refused;
- partner columns (region, categories, ...) may be left empty on a partner's later rows; a different value
  there is a problem.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from campaigns import kol
from campaigns.exports import FORMULA_STARTS, safe_cell, to_csv
from campaigns.post_csv import _decode
from campaigns.promotions.money import exponent, known_currency

FEES = tuple(f"fee_{d}" for d in kol.Deliverable)
ACCOUNT_COLUMNS = ("platform", "handle", "url", "followers", "typical_views", "engagement_rate", "er_variant")
PARTNER_COLUMNS = ("region", "categories", "tags", "contact", "notes", "currency", *FEES)
COLUMNS = ("name", *ACCOUNT_COLUMNS, *PARTNER_COLUMNS)
EXPORT_COLUMNS = (*COLUMNS, "tier")  # tier is written out for people and ignored when read
REQUIRED = ("name", "platform", "handle")
MAX_ROWS = 5000
MAX_BYTES = 10 * 1000 * 1000
ALIASES = {
    "达人": "name", "名称": "name", "平台": "platform", "账号": "handle", "链接": "url", "粉丝数": "followers",
    "平均播放": "typical_views", "互动率": "engagement_rate", "互动率口径": "er_variant", "地区": "region",
    "类目": "categories", "标签": "tags", "联系方式": "contact", "备注": "notes", "币种": "currency",
}  # fmt: skip
PLATFORM_NAMES = {
    "抖音": "douyin", "小红书": "xiaohongshu", "微博": "weibo", "b站": "bilibili", "哔哩哔哩": "bilibili",
    "视频号": "wechat_channels", "微信视频号": "wechat_channels", "twitter": "x",
}  # fmt: skip
_SPLIT = re.compile(r"[,，;；、|]")
_COUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(万|w|亿|k|m)?", re.IGNORECASE)
_SCALE = {None: 1, "万": 10**4, "w": 10**4, "亿": 10**8, "k": 10**3, "m": 10**6}
_MONEY = re.compile(r"([A-Za-z]{3})?\s*[¥￥$€£]?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Za-z]{3})?")


@dataclass(frozen=True)
class Parsed:
    drafts: list[tuple[int, kol.PartnerDraft]]  # (first row, draft)
    problems: list[kol.Problem]
    rows: dict[tuple[str, str], int]  # (platform, handle) -> row, to name rows in later problems


# --- reading --------------------------------------------------------------------------------------------------------
def _column(name: str) -> str:
    key = unicodedata.normalize("NFKC", str(name)).strip().casefold().replace(" ", "_")
    return ALIASES.get(key, key)


def _literal(cell: str) -> str:
    """``'=x`` (how ``safe_cell`` writes ``=x``) back to ``=x``; never evaluated either way."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_table(data: bytes, filename: str) -> tuple[list[list[str]] | None, kol.Problem | None]:
    """The file's rows of text cells (header first), or the problem that keeps it from being read."""
    if len(data) > MAX_BYTES:
        return None, kol.Problem("", "file_too_large", {"max": MAX_BYTES}, file=filename)
    if not data.strip():
        return None, kol.Problem("", "empty_file", file=filename)
    if data.startswith(b"PK\x03\x04"):
        import openpyxl  # with defusedxml installed, openpyxl parses through it

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [[_cell(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
        except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken workbook
            return None, kol.Problem("", "unreadable", file=filename)
        return rows, None
    text, encoding, _ = _decode(data)
    if text is None:
        return None, kol.Problem("", encoding or "unreadable", file=filename)
    import csv

    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (sum(_column(c) in COLUMNS for c in first.split(d)), d == ","))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)), None
    except csv.Error:
        return None, kol.Problem("", "unreadable", file=filename)


def count(text: str) -> int | None:
    m = _COUNT.fullmatch(unicodedata.normalize("NFKC", text).replace(",", "").strip())
    if m is None:
        return None
    return int((Decimal(m.group(1)) * _SCALE[(m.group(2) or "").lower() or None]).to_integral_value(ROUND_HALF_UP))


def rate(text: str) -> Decimal | None:
    """``3.5%`` -> 0.035; ``0.035`` -> 0.035; None for anything else (a bare number over 1 included)."""
    t = unicodedata.normalize("NFKC", text).strip()
    try:
        value = Decimal(t[:-1].strip()) / 100 if t.endswith("%") else Decimal(t)
    except InvalidOperation:
        return None
    return value if 0 <= value <= 1 else None


def money(text: str, currency: str, rates: Mapping[str, Decimal]) -> tuple[int | None, str | None, dict]:
    """(minor units in ``currency``, None, {}) or (None, problem code, params)."""
    m = _MONEY.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m is None or (m.group(1) and m.group(3)):
        return None, "bad_money", {"value": text[:40]}
    code = (m.group(1) or m.group(3) or currency).upper()
    amount = Decimal(m.group(2).replace(",", ""))
    if code != currency:
        fx = rates.get(f"{code}/{currency}")
        if not known_currency(code):
            return None, "bad_currency", {"value": code}
        if fx is None:
            return None, "no_rate", {"currency": code, "partner_currency": currency}
        amount *= fx
    elif amount != amount.quantize(Decimal(1).scaleb(-exponent(currency))):
        return None, "too_many_decimals", {"value": text[:40]}
    return int(amount.scaleb(exponent(currency)).to_integral_value(ROUND_HALF_UP)), None, {}


def parse(data: bytes, filename: str, default_currency: str, rates: Mapping[str, Decimal] | None = None) -> Parsed:
    """Every partner of the file, or the problems (all of them): a person fixes the file once."""
    file = str(filename or "roster.csv")[:200]
    table, problem = read_table(data, file)
    if problem:
        return Parsed([], [problem], {})
    if not any(str(c).strip() for r in table for c in r):
        return Parsed([], [kol.Problem("", "empty_file", file=file)], {})
    header = [_column(h) for h in table[0]]
    problems = [kol.Problem(c, "missing_column", row=1, file=file) for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in EXPORT_COLUMNS]
    problems += [kol.Problem(h, "unknown_column", row=1, file=file) for h in unknown]
    if problems:
        return Parsed([], problems, {})
    if len(table) - 1 > MAX_ROWS:
        return Parsed([], [kol.Problem("", "too_many_rows", {"max": MAX_ROWS}, file=file)], {})
    groups: dict[str, dict] = {}
    for n, raw in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in raw):
            continue
        cells = {h: _literal(str(v)).strip() for h, v in zip(header, raw, strict=False) if h}
        problems += _row(file, n, cells, groups, default_currency, rates or {})
    drafts, rows = [], {}
    for name, g in groups.items():
        seen = g["seen"]
        draft = kol.PartnerDraft(
            name=name,
            accounts=tuple(a for _, a in g["accounts"]),
            currency=seen.get("currency") or default_currency,
            region=seen.get("region", ""),
            categories=seen.get("categories", ()),
            tags=seen.get("tags", ()),
            contact=seen.get("contact", ""),
            notes=seen.get("notes", ""),
            rate_card=seen.get("rate_card", {}),
        )
        draft = kol.normalise(draft)
        for p in kol.validate(draft):
            n, column = _where(p.field, g)
            problems.append(kol.Problem(column, p.code, p.params, row=n, file=file))
        mine = set()
        for n, a in g["accounts"]:
            key = (a.platform, kol.clean_handle(a.handle))
            if key in rows and key not in mine:  # another partner's row (the same partner's: validate says so)
                problems.append(kol.Problem("handle", "duplicate_in_file", {"first": rows[key]}, row=n, file=file))
            rows.setdefault(key, n)
            mine.add(key)
        drafts.append((g["row"], draft))
    problems.sort(key=lambda p: (p.row or 0, p.field))
    return Parsed(drafts, problems, rows)


def _where(field: str, g: dict) -> tuple[int, str]:
    """A draft's field (``accounts.1.handle``) as the row and column of the file."""
    parts = field.split(".")
    if parts[0] == "accounts" and len(parts) == 3:
        return g["accounts"][int(parts[1])][0], parts[2]
    if parts[0] == "rate_card":
        return g["row"], f"fee_{parts[1]}"
    return g["row"], parts[0]


def _row(file: str, n: int, cells: dict, groups: dict, default_currency: str, rates) -> list[kol.Problem]:
    out: list[kol.Problem] = []

    def bad(column: str, code: str, **params) -> None:
        out.append(kol.Problem(column, code, params, row=n, file=file))

    name = unicodedata.normalize("NFKC", cells.get("name", "")).strip()
    if not name:
        bad("name", "required")
        return out
    g = groups.setdefault(name, {"row": n, "accounts": [], "seen": {}})
    seen = g["seen"]
    currency = (cells.get("currency") or seen.get("currency") or default_currency).upper()
    fields: dict = {k: cells.get(k, "") for k in ("region", "contact", "notes")}
    fields["currency"] = cells.get("currency", "").upper()
    fields |= {k: kol.clean_labels(_SPLIT.split(cells.get(k, ""))) for k in ("categories", "tags")}
    card = {}
    for column in FEES:
        if cells.get(column):
            fee, code, params = money(cells[column], currency, rates)
            if code:
                bad(column, code, **params)
            else:
                card[column.removeprefix("fee_")] = fee
    fields["rate_card"] = card
    for key, value in fields.items():
        if value and key in seen and seen[key] != value:
            column = key
            if key == "rate_card":
                column = next(
                    f"fee_{k}" for k in sorted(set(value) | set(seen[key])) if value.get(k) != seen[key].get(k)
                )
            bad(column, "conflicting", first=g["row"])
        elif value:
            seen[key] = value
    platform = unicodedata.normalize("NFKC", cells.get("platform", "")).strip().lower()
    numbers = {}
    for key in ("followers", "typical_views"):
        text = cells.get(key, "")
        numbers[key] = count(text) if text else None
        if text and numbers[key] is None:
            bad(key, "bad_count")
    er_text = cells.get("engagement_rate", "")
    er = rate(er_text) if er_text else None
    if er_text and er is None:
        bad("engagement_rate", "bad_rate")
    account = kol.Account(
        PLATFORM_NAMES.get(platform, platform),
        cells.get("handle", ""),
        cells.get("url", ""),
        numbers["followers"] or 0,
        numbers["typical_views"],
        er,
        cells.get("er_variant", "").lower() or None,
    )
    g["accounts"].append((n, account))
    return out


# --- writing --------------------------------------------------------------------------------------------------------
def _fee(minor: int | None, currency: str) -> str:
    return "" if minor is None else str(Decimal(minor).scaleb(-exponent(currency)))


def export_rows(partners: Iterable[tuple[kol.PartnerDraft, str]]) -> list[list[object]]:
    """One row per account of each (draft, tier label); ``parse`` reads them back."""
    out = []
    for d, tier in partners:
        for a in d.accounts:
            er = "" if a.engagement_rate is None else f"{(a.engagement_rate * 100).normalize():f}%"
            out.append(
                [d.name, a.platform, a.handle, a.url, a.followers, a.typical_views, er, a.er_variant or "",
                 d.region, ", ".join(d.categories), ", ".join(d.tags), d.contact, d.notes, d.currency]
                + [_fee(d.rate_card.get(f.removeprefix("fee_")), d.currency) for f in FEES]
                + [tier]
            )  # fmt: skip
    return out


def to_xlsx(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """One sheet; every cell made spreadsheet-safe (``campaigns.exports.safe_cell``)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "roster"
    sheet.append([safe_cell(h) for h in header])
    for r in rows:
        sheet.append([safe_cell(v) for v in r])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(partners: Iterable[tuple[kol.PartnerDraft, str]], fmt: str) -> bytes:
    rows = export_rows(partners)
    return to_xlsx(EXPORT_COLUMNS, rows) if fmt == "xlsx" else to_csv(EXPORT_COLUMNS, rows)


def parse_rates(text: str) -> tuple[dict[str, Decimal], list[str]]:
    """``USD/CNY=7.1; EUR/CNY=7.8`` -> ({"USD/CNY": 7.1, ...}, the parts not understood)."""
    rates, bad = {}, []
    for part in re.split(r"[;,；，\n]", unicodedata.normalize("NFKC", text or "")):
        if not part.strip():
            continue
        m = re.fullmatch(r"\s*([A-Za-z]{3})\s*/\s*([A-Za-z]{3})\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*", part)
        if m and Decimal(m.group(3)) > 0:
            rates[f"{m.group(1).upper()}/{m.group(2).upper()}"] = Decimal(m.group(3))
        else:
            bad.append(part.strip())
    return rates, bad


def split_labels(text: str) -> tuple[str, ...]:
    """Categories or tags typed in one cell: split at , ， ; ； 、 or |, cleaned (``kol.clean_labels``)."""
    return kol.clean_labels(_SPLIT.split(text or ""))

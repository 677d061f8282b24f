"""Meta Ads Manager exports, CSV and XLSX, in English, French or Spanish.

Headers as Ads Manager writes them (``"Reporting starts"``, ``"Amount spent (USD)"``, ``"Link clicks"``…):
the currency is the one in the money headers. Only per-day files are read: a ``Day`` column, or
``Reporting starts`` equal to ``Reporting ends`` on every row; a file whose rows each cover several days is
a set of period totals and is refused (``period_totals``). The account summary row (blank campaign name and
id) is left out. ``clicks`` are link clicks, not ``Clicks (all)``. ``conversions`` are ``Results`` on rows
whose result indicator is a purchase, else the ``Purchases`` column, else 0; each row keeps its
``Attribution setting``. Ids stay text; an id a spreadsheet turned into ``1.20253E+17`` is reported.
"""

from __future__ import annotations

import pandas as pd

from campaigns.facts import problem
from connectors.exports import values as v
from connectors.exports.base import (
    ReadOptions,
    ReadResult,
    Spec,
    blank,
    build,
    column,
    drop_rows,
    empty_frame,
    fold,
    header_sheet,
)
from connectors.exports.document import Document, Sheet

key = "meta"

_DAY = ("Day", "Jour", "Día")
_STARTS = ("Reporting starts", "Début des rapports", "Inicio del informe")
_ENDS = ("Reporting ends", "Fin des rapports", "Fin del informe")
_SPENT = ("Amount spent", "Montant dépensé", "Importe gastado")
_IMPRESSIONS = ("Impressions", "Impresiones")
_CAMPAIGN = ("Campaign name", "Nom de la campagne", "Nombre de la campaña")
# the row's own id or name, finest level first (an id where the file has one: names repeat across ad sets)
_ENTITY = ("Ad ID", "Ad name", "Ad set ID", "Ad set name", "Campaign ID")
_RESULTS = ("Results", "Résultats", "Resultados")
_INDICATOR = ("Result indicator", "Result type")
_PURCHASES = ("Purchases", "Website purchases")

SPEC = Spec(
    source=key,
    day=(*_DAY, *_STARTS),
    day_formats=("%Y-%m-%d", "%Y-%m-%d %H:%M:%S"),
    text={
        "account": ("Account name", "Nom du compte", "Nombre de la cuenta"),
        "campaign": _CAMPAIGN,
        "entity": _ENTITY,
        "attribution": (
            "Attribution setting",
            "Paramètre d’attribution",
            "Paramètre d'attribution",
            "Configuración de atribución",
        ),
    },
    counts={
        "impressions": _IMPRESSIONS,
        "reach": ("Reach", "Couverture", "Alcance"),
        "clicks": ("Link clicks", "Clics sur un lien", "Clics en el enlace"),
        "video_views": ("3-second video plays",),
    },
    money={
        "spend_minor": _SPENT,
        "revenue_minor": ("Purchases conversion value", "Website purchases conversion value"),
    },
    required=("day", "campaign", "impressions", "spend_minor"),
)


def _is_header(row: list[str]) -> bool:
    """``Reporting starts`` (in any of the languages) with another Meta column, or ``Day`` with the spend."""
    cells = {fold(c) for c in row} | {fold(c).rsplit(" (", 1)[0] for c in row}

    def has(names: tuple[str, ...]) -> bool:
        return bool(cells & {fold(n) for n in names})

    return (has(_STARTS) and (has(_ENDS) or has(_SPENT))) or (has(_DAY) and has(_SPENT) and has(_IMPRESSIONS))


def _find(doc: Document) -> tuple[Sheet, int] | None:
    return header_sheet(doc, lambda sheet: next((i for i, row in enumerate(sheet.head) if _is_header(row)), None))


def sniff(doc: Document) -> bool:
    return _find(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    sheet, at = _find(doc)
    table = sheet.table(at)
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    table = drop_rows(table, _summary(table), "summary", skipped)
    info = {"sheet": sheet.name}
    refused = _period_totals(doc.name, table)
    if refused:
        return ReadResult(key, empty_frame(), refused, skipped, info)
    result = build(doc.name, table, SPEC, options, info)
    result.skipped = skipped
    if len(result.frame) == len(table):
        result.problems += _scientific_ids(doc.name, table)
        result.problems += _conversions(doc.name, table, result)
    return result


def _summary(table: pd.DataFrame) -> pd.Series:
    """The account summary row: every campaign, ad set and ad name or id blank."""
    dims = [c for c in (column(table, n) for n in (*_CAMPAIGN, *_ENTITY, "Campaign ID", "Ad set ID")) if c]
    if not dims:
        return pd.Series(False, index=table.index)
    return (pd.concat([v.text(table[c]) for c in dict.fromkeys(dims)], axis=1) == "").all(axis=1)


def _period_totals(file: str, table: pd.DataFrame) -> list:
    """Without a ``Day`` column every row must start and end on the same day."""
    if column(table, *_DAY) is not None:
        return []
    starts, ends = column(table, *_STARTS), column(table, *_ENDS)
    if starts is None:
        return []  # build names the missing day column
    if ends is None:
        return [problem(file, "missing_column", column=_ENDS[0], field="day")]
    first, last = v.text(table[starts]), v.text(table[ends])
    wide = first != last
    if not wide.any():
        return []
    at = wide.idxmax()
    return [problem(file, "period_totals", int(table.loc[at, "_row"]), starts, start=first[at], end=last[at])]


def _scientific_ids(file: str, table: pd.DataFrame) -> list:
    out = []
    for col in table.columns:
        if col != "_row" and (fold(col) == "id" or fold(col).endswith(" id")):
            out += [problem(file, "id_scientific", int(r), col) for r in table.loc[v.sci_ids(table[col]), "_row"][:20]]
    return out


def _conversions(file: str, table: pd.DataFrame, result: ReadResult) -> list:
    """Purchases: ``Results`` where the row's result indicator is a purchase, else the ``Purchases`` column."""
    rows, comma = table["_row"], result.info.get("decimal") == "comma"
    conv = pd.Series(0.0, index=table.index)
    use = pd.Series(False, index=table.index)
    problems = []
    results, indicator = column(table, *_RESULTS), column(table, *_INDICATOR)
    if results and indicator:
        use = v.text(table[indicator]).str.contains("purchase", case=False, regex=False)
    for col, mask in ((column(table, *_PURCHASES), ~use), (results if use.any() else None, use)):
        if col is None:
            continue
        value, bads = v.numbers(table[col], rows, comma)
        used = set(rows[mask])
        problems += [problem(file, "bad_number", b.row, col, cell=b.cell[:40]) for b in bads if b.row in used][:50]
        negative = (value < 0) & mask
        problems += [problem(file, "bad_number", int(r), col, cell="<0") for r in rows[negative][:50]]
        conv = conv.where(~mask, value.where(value >= 0, 0.0))
    result.frame["conversions"] = conv.round(6).to_numpy()
    return problems

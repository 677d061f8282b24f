"""Import problems as sentences in a language: where (file, row, column) and what, from the catalog.
No streamlit here, so the command line speaks the same sentences as the pages."""

from __future__ import annotations

from app.ui.catalog import CATALOG

_WHERE = {
    "zh-CN": ("第 {row} 行", "“{column}”列"),
    "en": ("row {row}", "column “{column}”"),
}


def message(p, lang: str) -> str:
    """What is wrong: the catalog's sentence for ``import_error.<code>``, filled with the problem's params."""
    entry = CATALOG.get(f"import_error.{p.code}", {})
    text = entry.get(lang) or entry.get("en")
    if not text:
        return p.code.replace("_", " ")
    values = {"row": p.row or "", "column": p.column or "", **dict(p.params)}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def where(p, lang: str) -> str:
    row, column = _WHERE.get(lang, _WHERE["en"])
    parts = [p.file] if p.file else []
    if p.row is not None:
        parts.append(row.format(row=p.row))
    if p.column:
        parts.append(column.format(column=p.column))
    return ", ".join(parts)


def phrase(p, lang: str = "en") -> str:
    w = where(p, lang)
    return f"{w}: {message(p, lang)}" if w else message(p, lang)

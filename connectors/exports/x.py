"""X (Twitter) analytics exports: the legacy "Tweet activity" CSV, the current post ("content") CSV and the
account overview CSV.

- Legacy: every field quoted, ``Tweet id``, ``time`` (``2020-02-10 18:00 +0000``: the day is the UTC date),
  counts as floats (``"1203.0"``), ``likes`` or (older) ``favorites``, then ``promoted <metric>`` columns
  holding ``"-"`` when the tweet was not promoted. The main columns give the organic row; a tweet with any
  promoted figure gets a second row with attribution ``promoted``, so totals are complete and the two stay
  apart.
- Post export: ``Post id,Date,…`` with ``Date`` like ``Fri, Jun 5, 2026`` and numbers like ``"1,234"``.
- Overview: one row per day for the whole account (entity ``account``), no post id.

``shares`` is reposts (retweets) plus, where the file has it, X's ``Shares`` (sent or copied links).
``engagements`` is stored as X counts it (clicks included). Ids stay text, exactly as written.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from campaigns.facts import Problem, problem
from connectors.exports import values as v
from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, column, drop_rows, find_header, fold
from connectors.exports.document import Document

key = "x"

_LEGACY = ("Tweet id", "time", "impressions")
_POSTS = ("Post id", "Date", "Impressions")
_OVERVIEW = ("Date", "Impressions", "Engagements", "Profile visits")
_OVERVIEW_ANY = ("New follows", "Create Post", "Unfollows")
_TIME = "%Y-%m-%d %H:%M %z"
_PROMOTED = "promoted "


def _utc_day(col: pd.Series) -> pd.Series:
    """``2020-02-10 18:00 +0000`` -> ``2020-02-10`` (the UTC date); other cells as written."""
    s = col.astype("str").str.strip()
    at = pd.to_datetime(s, format=_TIME, utc=True, errors="coerce")
    return s.where(at.isna(), at.dt.strftime("%Y-%m-%d"))


_COUNTS = {
    "impressions": ("impressions",),
    "engagements": ("engagements",),
    "likes": ("likes", "favorites"),
    "comments": ("replies",),
    "shares": ("retweets", "reposts"),
    "saves": ("bookmarks",),
    "clicks": ("url clicks",),
    "video_views": ("media views", "video views"),
}
POSTS = Spec(
    source=key,
    day=("time", "Date"),
    day_formats=("%Y-%m-%d", "%a, %b %d, %Y", "%b %d, %Y"),
    day_transform=_utc_day,
    ids={"post_id": ("Tweet id", "Post id")},
    text={"entity": ("Tweet id", "Post id")},
    counts=_COUNTS,
    required=("day", "post_id", "impressions", "engagements"),
)
OVERVIEW = Spec(
    source=key,
    day=("Date",),
    day_formats=("%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d"),
    counts={**_COUNTS, "video_views": ("video views", "media views")},
    required=("day", "impressions", "engagements"),
    fixed={"entity": "account"},
)


def _layout(doc: Document) -> tuple[Spec, int] | None:
    head = doc.first.head
    for must, any_of, spec in ((_LEGACY, (), POSTS), (_POSTS, (), POSTS), (_OVERVIEW, _OVERVIEW_ANY, OVERVIEW)):
        at = find_header(head, must, any_of)
        if at is not None:
            return spec, at
    return None


def sniff(doc: Document) -> bool:
    return _layout(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    spec, at = _layout(doc)
    table = doc.first.table(at)
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    promoted = {c: c[len(_PROMOTED) :] for c in table.columns if fold(c).startswith(_PROMOTED)}
    organic = table.drop(columns=list(promoted))
    result = build(doc.name, organic, spec, options, {"layout": "overview" if spec is OVERVIEW else "posts"})
    read_rows = len(organic) > 0 and len(result.frame) == len(organic)
    if read_rows:
        _add_shares(doc.name, organic, result)
    if promoted and read_rows:
        paid = _promoted(doc.name, table, promoted, spec, options)
        result.problems += paid.problems
        frame = pd.concat([result.frame, paid.frame], ignore_index=True)
        result.frame = frame.sort_values("_row", kind="stable").reset_index(drop=True)
    result.skipped = skipped
    return result


def _add_shares(file: str, table: pd.DataFrame, result: ReadResult) -> None:
    """X's ``Shares`` (links sent or copied) join reposts in ``shares``."""
    col = column(table, "Shares")
    if col is None:
        return
    extra, bads = v.counts(table[col], table["_row"], result.info.get("decimal") == "comma")
    result.problems += [problem(file, "bad_number", b.row, col, cell=b.cell[:40]) for b in bads[:50]]
    result.frame["shares"] = result.frame["shares"] + extra.to_numpy()


def _promoted(file: str, table: pd.DataFrame, promoted: dict[str, str], spec: Spec, options: ReadOptions) -> ReadResult:
    """The promoted figures of the tweets that have any, as rows with attribution ``promoted``. Only the
    tweet's id and time are shared with its organic row (their problems are reported once, there)."""
    cells = pd.concat([v.text(table[c]) for c in promoted], axis=1)
    has = (cells != "").any(axis=1)
    shared = [column(table, *spec.day), column(table, *spec.ids["post_id"]), "_row"]
    paid = table.loc[has, [*shared, *promoted]].rename(columns=promoted)
    back = {name: c for c, name in promoted.items()}
    result = build(file, paid, dataclasses.replace(spec, fixed={**spec.fixed, "attribution": "promoted"}), options)
    result.problems = [_renamed(p, back) for p in result.problems if p.code not in _SHARED_CODES]
    return result


_SHARED_CODES = {"id_scientific", "bad_date", "missing_date"}


def _renamed(p: Problem, back: dict[str, str]) -> Problem:
    """A problem in a promoted cell names the file's own column (``promoted impressions``)."""
    if not p.column:
        return p
    return dataclasses.replace(p, column=back.get(p.column, _PROMOTED + p.column))

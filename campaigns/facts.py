"""The canonical metrics frame: what every export reader produces and the facts table stores.

One row is one platform row of one day (a campaign, ad, post or order). Counts are integers, money is in
minor units of ``currency``, ``conversions`` may be fractional (Google Ads' data-driven attribution) and
keeps the ``attribution`` it was counted under. ``reach`` is stored per row and never summed.

``utm_content`` is stored but is not one of ``KEY_FIELDS``: a row without one (every file imported before Festa
read it) keeps the key it had. A non-empty one joins the entity in the key, except for orders (whose id is their
identity), so rows that differ only by it (two KOL partners' links in one GA4 table) stay apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Text dimensions, as the platform wrote them (empty string: not in the file).
TEXT = (
    "account",  # ad account / official account / shop, as named in the file
    "campaign",  # the platform's campaign (or note, article) name
    "entity",  # the row's own id or name: ad, ad group, post, article, order id
    "post_id",  # the platform's post id (X post id, WeChat msgid, Xiaohongshu note id), kept as text
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",  # a KOL deal's tracking link carries the partner's tracking code here
    "code",  # coupon or tracking code
    "currency",
    "attribution",  # e.g. "7-day click or 1-day view"; "" where the platform does not say
    "customer_hash",  # orders only: the salted hash, never the identifier the shop exported
)
COUNTS = (
    "impressions",
    "reach",  # not additive: never summed across rows
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "sessions",  # GA4 and shop analytics; not social engagement
    "orders",
)
MONEY = ("spend_minor", "revenue_minor")
FRACTIONAL = ("conversions",)
MEASURES = COUNTS + MONEY + FRACTIONAL
ADDITIVE = tuple(m for m in MEASURES if m != "reach")
COLUMNS = ("day", "source", *TEXT, *MEASURES)

# What makes a row the same row when a file comes back (its measures may differ: see key_of).
# A file's breakdown columns that Festa does not keep (Meta's age or placement) leave rows that share a key: those
# are told apart by their order in the file. ``utm_content`` is not one of them (files imported before it was kept
# keep their keys), but a non-empty one joins the entity in the key except for orders (app.services.imports).
KEY_FIELDS = (
    "source",
    "day",
    "account",
    "campaign",
    "entity",
    "post_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "code",
    "attribution",
    "currency",
)

SOURCES = (
    "x",
    "meta",
    "google_ads",
    "tiktok",
    "ga4",
    "ocean_engine",
    "wechat",
    "xiaohongshu",
    "orders",
    "mapping",
    "seed",
)

# Sources whose orders and revenue are the campaign's own (the shop's orders, the workspace's own sheets,
# figures seeded or stored before imports). Platform-reported conversions stay with their platform.
FIRST_PARTY = ("orders", "mapping", "seed")

# The channel a source's rows belong to, unless a rule or a matched post says otherwise.
SOURCE_CHANNEL = {
    "x": "x",
    "meta": "meta",
    "google_ads": "google",
    "tiktok": "tiktok",
    "ga4": "web",
    "ocean_engine": "douyin",
    "wechat": "wechat",
    "xiaohongshu": "xiaohongshu",
    "orders": "shop",
}


def key_of(values: tuple) -> int:
    """A stable signed 64-bit key of a row's ``KEY_FIELDS`` values (in that order): the same row of the same
    file, imported again, gets the same key, whatever Python or pandas version reads it."""
    text = "\x1f".join("" if v is None else str(v) for v in values)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import, where it is: ``row`` as a spreadsheet numbers it (header = its own
    row number), ``column`` as the file names it. ``code`` is a catalog key suffix; ``params`` fill it in."""

    file: str
    code: str
    row: int | None = None
    column: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


def problem(file: str, code: str, row: int | None = None, column: str | None = None, **params) -> Problem:
    return Problem(file, code, row, column, tuple(sorted((k, str(v)) for k, v in params.items())))

"""KOL partners (达人): platforms, accounts, tiers, rate cards and what a partner is expected to bring.

Pure: drafts in, problems out. A partner has one or more accounts (a platform and a handle each); a handle
is unique in the workspace on its platform. The tier comes from the partner's largest account (by followers)
and the workspace's thresholds; it is computed, never stored. Fees are integer minor units in the partner's
currency. Engagement rates are ratios (0.035 = 3.5 %) and always say which variant they are
(``ErVariant``: reference/metrics.md §1.3).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from campaigns.promotions.money import known_currency


class Platform(StrEnum):
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    WEIBO = "weibo"
    BILIBILI = "bilibili"
    WECHAT_CHANNELS = "wechat_channels"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    X = "x"
    TIKTOK = "tiktok"


class ErVariant(StrEnum):
    ERI = "eri"  # engagements ÷ impressions
    ERR = "err"  # engagements ÷ reach
    ERF = "erf"  # engagements ÷ followers
    VIEWS = "views"  # engagements ÷ views


class Tier(StrEnum):
    MEGA = "mega"  # 头部
    MACRO = "macro"  # 腰部
    MICRO = "micro"  # 尾部
    NANO = "nano"  # 素人


class Deliverable(StrEnum):
    """What a fee on the rate card buys."""

    SHORT_VIDEO = "short_video"
    LONG_VIDEO = "long_video"
    LIVE_STREAM = "live_stream"
    IMAGE_POST = "image_post"
    ARTICLE = "article"
    STORY = "story"


MAX_NAME = 200
MAX_HANDLE = 200
MAX_URL = 500
MAX_TEXT = 64  # region, a category, a tag
MAX_LABELS = 20  # categories or tags per partner
MAX_CONTACT = 500
MAX_NOTES = 5000
MAX_COUNT = 10**12  # followers or views
_URL = re.compile(r"https?://[^\s/]+\S*", re.IGNORECASE)


@dataclass(frozen=True)
class Thresholds:
    """Followers at which a tier starts (inclusive); below ``micro`` is nano."""

    mega: int = 1_000_000
    macro: int = 100_000
    micro: int = 10_000

    def problems(self) -> list[Problem]:
        if not 0 < self.micro < self.macro < self.mega <= MAX_COUNT:
            return [Problem("tiers", "tiers_not_increasing")]
        return []


DEFAULT_THRESHOLDS = Thresholds()


def tier(followers: int, t: Thresholds = DEFAULT_THRESHOLDS) -> Tier:
    if followers >= t.mega:
        return Tier.MEGA
    if followers >= t.macro:
        return Tier.MACRO
    if followers >= t.micro:
        return Tier.MICRO
    return Tier.NANO


@dataclass(frozen=True)
class Problem:
    """``field`` names the place (``name``, ``accounts.0.handle``, ``rate_card.short_video``; in a file, its
    column); ``code`` is a catalog key under ``kol_error.``; ``row``/``file`` are set for imported rows."""

    field: str
    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    file: str | None = None


@dataclass(frozen=True)
class Account:
    platform: str
    handle: str
    url: str = ""
    followers: int = 0
    typical_views: int | None = None  # per post or video, as the partner or a tool reports it
    engagement_rate: Decimal | None = None  # a ratio
    er_variant: str | None = None  # ErVariant


@dataclass(frozen=True)
class PartnerDraft:
    name: str
    accounts: tuple[Account, ...]
    currency: str
    region: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    contact: str = ""
    notes: str = ""
    rate_card: dict[str, int] = field(default_factory=dict)  # Deliverable -> fee in minor units


def clean_handle(handle: str) -> str:
    """How handles are stored and compared: NFKC, no spaces around, no leading @, lower case."""
    return unicodedata.normalize("NFKC", handle or "").strip().lstrip("@").strip().lower()


def clean_labels(values) -> tuple[str, ...]:
    """Categories or tags: trimmed, empty ones dropped, repeats (ignoring case) dropped, order kept."""
    out, seen = [], set()
    for v in values:
        text = unicodedata.normalize("NFKC", str(v)).strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return tuple(out)


def normalise(d: PartnerDraft) -> PartnerDraft:
    accounts = tuple(
        Account(
            str(a.platform).strip().lower(),
            clean_handle(a.handle),
            (a.url or "").strip(),
            a.followers,
            a.typical_views,
            a.engagement_rate,
            (a.er_variant or None) and str(a.er_variant).strip().lower(),
        )
        for a in d.accounts
    )
    return PartnerDraft(
        name=unicodedata.normalize("NFKC", d.name or "").strip(),
        accounts=accounts,
        currency=(d.currency or "").strip().upper(),
        region=(d.region or "").strip(),
        categories=clean_labels(d.categories),
        tags=clean_labels(d.tags),
        contact=(d.contact or "").strip(),
        notes=(d.notes or "").strip(),
        rate_card={str(k): v for k, v in d.rate_card.items()},
    )


def validate(d: PartnerDraft) -> list[Problem]:
    """Everything wrong with a (normalised) draft, each at its field; empty means it may be saved."""
    out: list[Problem] = []
    if not d.name:
        out.append(Problem("name", "required"))
    elif len(d.name) > MAX_NAME:
        out.append(Problem("name", "too_long", {"max": MAX_NAME}))
    if not known_currency(d.currency):
        out.append(Problem("currency", "bad_currency", {"value": d.currency[:10]}))
    for name, most in (("region", MAX_TEXT), ("contact", MAX_CONTACT), ("notes", MAX_NOTES)):
        if len(getattr(d, name)) > most:
            out.append(Problem(name, "too_long", {"max": most}))
    for name in ("categories", "tags"):
        values = getattr(d, name)
        if len(values) > MAX_LABELS:
            out.append(Problem(name, "too_many", {"max": MAX_LABELS}))
        if any(len(v) > MAX_TEXT for v in values):
            out.append(Problem(name, "too_long", {"max": MAX_TEXT}))
    for kind, fee in d.rate_card.items():
        if kind not in set(Deliverable):
            out.append(Problem(f"rate_card.{kind}", "unknown_deliverable", {"value": kind[:40]}))
        elif not isinstance(fee, int) or isinstance(fee, bool) or fee < 0:
            out.append(Problem(f"rate_card.{kind}", "negative"))
    if not d.accounts:
        out.append(Problem("accounts", "no_account"))
    seen: dict[tuple[str, str], int] = {}
    for i, a in enumerate(d.accounts):
        out += _account(i, a, seen)
    return out


def _account(i: int, a: Account, seen: dict[tuple[str, str], int]) -> list[Problem]:
    out: list[Problem] = []
    at = f"accounts.{i}."
    if a.platform not in set(Platform):
        out.append(Problem(at + "platform", "unknown_platform", {"value": a.platform[:40]}))
    if not a.handle:
        out.append(Problem(at + "handle", "required"))
    elif len(a.handle) > MAX_HANDLE:
        out.append(Problem(at + "handle", "too_long", {"max": MAX_HANDLE}))
    elif (a.platform, a.handle) in seen:
        out.append(Problem(at + "handle", "duplicate_handle", {"handle": a.handle, "platform": a.platform}))
    else:
        seen[(a.platform, a.handle)] = i
    if a.url and (len(a.url) > MAX_URL or not _URL.fullmatch(a.url)):
        out.append(Problem(at + "url", "not_a_link"))
    for name in ("followers", "typical_views"):
        n = getattr(a, name)
        if n is not None and (not isinstance(n, int) or n < 0 or n > MAX_COUNT):
            out.append(Problem(at + name, "bad_count"))
    er = a.engagement_rate
    if er is not None and not (0 <= er <= 1):
        out.append(Problem(at + "engagement_rate", "bad_rate"))
    if er is not None and a.er_variant not in set(ErVariant):
        out.append(Problem(at + "er_variant", "variant_required"))
    return out


# --- what a partner brings ----------------------------------------------------------------------------------------
def main_account(accounts) -> Account | None:
    """The account the tier and the estimates come from: the most followers (the first on a tie)."""
    return max(accounts, key=lambda a: a.followers or 0, default=None)


def expected_engagements(a: Account | None) -> int | None:
    """Engagements one post is expected to get: followers × ER for ERF, otherwise typical views × ER (views
    stand in for impressions or reach). None when the numbers are missing."""
    if a is None or a.engagement_rate is None:
        return None
    base = a.followers if a.er_variant == ErVariant.ERF else a.typical_views
    if base is None:
        return None
    return int((Decimal(base) * a.engagement_rate).to_integral_value())


def cost_per_engagement(fee_minor: int | None, engagements: int | None) -> Decimal | None:
    """Fee (minor units) ÷ expected engagements; None when either is missing or nothing is expected."""
    if fee_minor is None or not engagements:
        return None
    return Decimal(fee_minor) / Decimal(engagements)


def fee_for(rate_card: dict, deliverable: str | None) -> int | None:
    """The fee of ``deliverable``; with none given, the lowest fee on the card."""
    if deliverable:
        return rate_card.get(deliverable)
    return min(rate_card.values(), default=None)

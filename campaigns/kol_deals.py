"""KOL deals: what a partner does for a campaign, for how much, and where the work stands.

Pure: drafts in, problems out. A deal has deliverables (type, platform, due time, fee, usage rights,
exclusivity), a brief, the partner's tracking code (also their personal coupon code) and link, and moves
through ``FLOW``: invited → agreed → content submitted → approved → published → verified → paid. Changes
requested send submitted work back to agreed; a deal can be declined while invited and cancelled before it
is published. Fees are integer minor units of the deal's currency; a deal in another currency than its
campaign needs the rate (campaign currency per unit of the deal's), and its fees enter the campaign's budget
converted, rounded half-up to the campaign currency's minor unit.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from campaigns.compose import tag_link
from campaigns.kol import Deliverable, Platform, Problem
from campaigns.promotions.money import exponent, known_currency


class Status(StrEnum):
    INVITED = "invited"
    AGREED = "agreed"
    SUBMITTED = "submitted"  # content submitted for review
    APPROVED = "approved"
    PUBLISHED = "published"  # every deliverable's URL recorded
    VERIFIED = "verified"  # someone checked the content is live and as approved
    PAID = "paid"
    DECLINED = "declined"
    CANCELLED = "cancelled"


FLOW = (
    Status.INVITED,
    Status.AGREED,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.PUBLISHED,
    Status.VERIFIED,
    Status.PAID,
)
NEXT: dict[Status, tuple[Status, ...]] = {
    Status.INVITED: (Status.AGREED, Status.DECLINED, Status.CANCELLED),
    Status.AGREED: (Status.SUBMITTED, Status.CANCELLED),
    Status.SUBMITTED: (Status.APPROVED, Status.AGREED, Status.CANCELLED),  # back to agreed: changes requested
    Status.APPROVED: (Status.PUBLISHED, Status.CANCELLED),
    Status.PUBLISHED: (Status.VERIFIED,),
    Status.VERIFIED: (Status.PAID,),
    Status.PAID: (),
    Status.DECLINED: (),
    Status.CANCELLED: (),
}
COMMITTED = frozenset(FLOW[1:])  # agreed and after: the fees are committed budget
OPEN = frozenset({Status.AGREED, Status.SUBMITTED, Status.APPROVED})  # content agreed and still to come
ACTIVE = frozenset(FLOW)  # not declined or cancelled: one such deal per partner and campaign
LINKABLE = frozenset({Status.APPROVED, Status.PUBLISHED})  # a published link may be recorded
EDITABLE = frozenset({Status.INVITED, Status.AGREED})  # deliverables and fees can still change

MAX_DELIVERABLES = 50
MAX_FEE = 10**13  # minor units
MAX_DAYS = 3650  # usage rights / exclusivity
MAX_TEXT = 5000  # key messages
MAX_ITEMS = 30  # must-say, must-not-say, hashtags, links
MAX_ITEM = 200
MAX_URL = 2000
MAX_CODE = 32
RATE_PLACES = Decimal("0.00000001")
CODE_SYMBOLS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)
_URL = re.compile(r"https?://[^\s/]+\S*", re.IGNORECASE)
_CODE = re.compile(r"[A-Z0-9]{4,32}")


def is_url(text: str) -> bool:
    return bool(_URL.fullmatch(text)) and len(text) <= MAX_URL


def transition_problem(current: str, wanted: str) -> Problem | None:
    """None when a deal in ``current`` may move to ``wanted``."""
    try:
        now, to = Status(current), Status(wanted)
    except ValueError:
        return Problem("status", "unknown_status", {"status": wanted})
    if to not in NEXT[now]:
        return Problem("status", "not_allowed", {"from": now.value, "to": to.value})
    return None


@dataclass(frozen=True)
class DeliverableDraft:
    kind: str
    platform: str
    due_at: datetime  # aware
    fee_minor: int
    usage_rights: str = ""  # e.g. "organic + paid social, mainland China"
    usage_days: int | None = None  # how long the brand may use the content; None: as the rights say
    exclusivity_days: int = 0  # days after publishing the partner promotes no competitor


@dataclass(frozen=True)
class Brief:
    key_messages: str = ""
    must_say: tuple[str, ...] = ()
    must_not_say: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    landing_url: str = ""  # the page the tracking link leads to


@dataclass(frozen=True)
class DealDraft:
    currency: str
    deliverables: tuple[DeliverableDraft, ...]
    brief: Brief = field(default_factory=Brief)
    fx_rate: Decimal | None = None  # campaign currency per unit of ``currency``; needed when they differ


def _items(values, name: str, problems: list[Problem], *, hashtag: bool = False) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        text = " ".join(str(v).split())
        if hashtag:
            text = text.strip("#＃").strip()
            text = f"#{text}" if text else ""
        if text and text not in out:
            out.append(text)
    if len(out) > MAX_ITEMS:
        problems.append(Problem(name, "too_many", {"max": MAX_ITEMS}))
    if any(len(x) > MAX_ITEM for x in out):
        problems.append(Problem(name, "too_long", {"max": MAX_ITEM}))
    return tuple(out)


def clean_brief(b: Brief, problems: list[Problem]) -> Brief:
    links = _items(b.links, "links", problems)
    for x in links:
        if not _URL.fullmatch(x):
            problems.append(Problem("links", "not_a_url", {"value": x[:80]}))
    landing = b.landing_url.strip()
    if landing and not is_url(landing):
        problems.append(Problem("landing_url", "not_a_url", {"value": landing[:80]}))
    if len(b.key_messages) > MAX_TEXT:
        problems.append(Problem("key_messages", "too_long", {"max": MAX_TEXT}))
    must = _items(b.must_say, "must_say", problems)
    must_not = _items(b.must_not_say, "must_not_say", problems)
    both = sorted(set(map(str.casefold, must)) & set(map(str.casefold, must_not)))
    if both:
        problems.append(Problem("must_not_say", "also_must_say", {"value": both[0]}))
    return Brief(
        key_messages=b.key_messages.strip(),
        must_say=must,
        must_not_say=must_not,
        hashtags=_items(b.hashtags, "hashtags", problems, hashtag=True),
        links=links,
        landing_url=landing,
    )


def check(
    d: DealDraft, campaign_start: datetime, campaign_end: datetime, campaign_currency: str
) -> tuple[DealDraft, list[Problem]]:
    """The draft cleaned, and every problem at its field (``deliverables.<i>.<field>`` for a deliverable)."""
    problems: list[Problem] = []
    currency = (d.currency or "").strip().upper()
    if not known_currency(currency):
        problems.append(Problem("currency", "unknown_currency", {"currency": d.currency}))
    rate = d.fx_rate
    if currency != campaign_currency.upper():
        if rate is None:
            problems.append(Problem("fx_rate", "rate_needed", {"currency": currency, "to": campaign_currency}))
        elif not (Decimal(0) < rate < Decimal(10**6)):
            problems.append(Problem("fx_rate", "rate_out_of_range"))
        else:
            rate = rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)  # as stored (Numeric(18, 8))
            if not rate:
                problems.append(Problem("fx_rate", "rate_out_of_range"))
    else:
        rate = None
    if not d.deliverables:
        problems.append(Problem("deliverables", "none"))
    if len(d.deliverables) > MAX_DELIVERABLES:
        problems.append(Problem("deliverables", "too_many", {"max": MAX_DELIVERABLES}))
    items = []
    for i, x in enumerate(d.deliverables):
        at = f"deliverables.{i}"
        if x.kind not in set(Deliverable):
            problems.append(Problem(f"{at}.kind", "unknown_deliverable", {"value": x.kind}))
        if x.platform not in set(Platform):
            problems.append(Problem(f"{at}.platform", "unknown_platform", {"value": x.platform}))
        if x.due_at.tzinfo is None:
            problems.append(Problem(f"{at}.due_at", "naive_time"))
        elif not campaign_start <= x.due_at <= campaign_end:
            problems.append(Problem(f"{at}.due_at", "due_outside_campaign"))
        if not isinstance(x.fee_minor, int) or not 0 <= x.fee_minor <= MAX_FEE:
            problems.append(Problem(f"{at}.fee", "fee_out_of_range"))
        if x.usage_days is not None and not 0 < x.usage_days <= MAX_DAYS:
            problems.append(Problem(f"{at}.usage_days", "days_out_of_range", {"max": MAX_DAYS}))
        if not 0 <= x.exclusivity_days <= MAX_DAYS:
            problems.append(Problem(f"{at}.exclusivity_days", "days_out_of_range", {"max": MAX_DAYS}))
        rights = " ".join(x.usage_rights.split())
        if len(rights) > MAX_ITEM:
            problems.append(Problem(f"{at}.usage_rights", "too_long", {"max": MAX_ITEM}))
        items.append(replace(x, usage_rights=rights))
    brief = clean_brief(d.brief, problems)
    return DealDraft(currency, tuple(items), brief, rate), problems


def in_campaign_currency(amount_minor: int, currency: str, rate: Decimal | None, to: str) -> int:
    """``amount_minor`` of ``currency`` in minor units of ``to`` at ``rate`` (``to`` per unit), half-up."""
    if currency.upper() == to.upper():
        return amount_minor
    if rate is None:
        raise ValueError(f"a rate from {currency} to {to} is needed")
    major = Decimal(amount_minor).scaleb(-exponent(currency)) * rate
    return int(major.scaleb(exponent(to)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_minor(major: Decimal, currency: str) -> int:
    """A typed major amount in minor units of ``currency``, half-up: 12.345 CNY → 1235."""
    return int(Decimal(major).scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_rate(text: str) -> Decimal | None:
    """A rate typed by a person: "7.1", "7,1"; None for empty; ValueError for anything else."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip().replace(",", ".")
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError(t) from None
    if not value.is_finite():
        raise ValueError(t)
    return value


def clean_code(text: str) -> str:
    """A typed tracking code in the coupon codes' stored form (NFKC, upper case, no spaces or dashes)."""
    folded = unicodedata.normalize("NFKC", str(text or "")).upper()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-‐‑‒–—_")


def code_problem(code: str) -> Problem | None:
    if not _CODE.fullmatch(code) or not code.isascii():
        return Problem("tracking_code", "bad_code", {"min": 4, "max": MAX_CODE})
    return None


def suggest_code(handle: str, rng=None) -> str:
    """A readable personal code: the handle's ASCII letters and digits (up to 8; "KOL" when it has none), then
    5 random symbols without look-alikes: "XIAOMEIZ7KD3Q"."""
    rng = rng or secrets.SystemRandom()
    head = "".join(ch for ch in clean_code(handle) if ch.isascii() and ch.isalnum())[:8] or "KOL"
    return head + "".join(rng.choice(CODE_SYMBOLS) for _ in range(5))


def tracking_link(landing_url: str, campaign_slug: str, platform: str, code: str) -> str:
    """The landing page tagged for this partner: source the platform, medium ``kol``, campaign the slug,
    content the partner's tracking code (matching ties rows carrying it to the partner)."""
    if not landing_url:
        return ""
    tags = {"utm_source": platform, "utm_medium": "kol", "utm_campaign": campaign_slug, "utm_content": code}
    return tag_link(landing_url, tags)


@dataclass(frozen=True)
class BriefCheck:
    missing_must_say: tuple[str, ...]
    said_must_not: tuple[str, ...]
    missing_hashtags: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing_must_say or self.said_must_not or self.missing_hashtags)


def check_content(text: str, brief: Brief) -> BriefCheck:
    """What submitted copy misses from the brief or says against it (case-insensitive, width-folded)."""
    body = unicodedata.normalize("NFKC", text).casefold()

    def has(x: str) -> bool:
        return unicodedata.normalize("NFKC", x).casefold() in body

    return BriefCheck(
        tuple(x for x in brief.must_say if not has(x)),
        tuple(x for x in brief.must_not_say if has(x)),
        tuple(x for x in brief.hashtags if not has(x)),
    )


def overdue(due_at: datetime, published: bool, status: str, now: datetime) -> bool:
    """A deliverable past its due time with no published URL, in a deal whose content was agreed and is still
    to come (an invitation owes nothing yet)."""
    return not published and status in OPEN and due_at < now

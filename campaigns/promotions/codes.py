"""Coupon codes: generation, normalisation, usage policies and import/export formats. Pure Python.

Alphabet: ``ACDEFGHJKMNPQRTUVWXY34679`` (25 symbols). Left out, because people misread them on
screens, receipts and in handwriting: 0/O, 1/I/L, 2/Z, 5/S, 8/B. Each symbol carries
log2(25) ≈ 4.64 bits, so 60 bits need 13 symbols (13 × 4.64 ≈ 60.4 bits); codes are drawn with
``secrets`` (the operating system's CSPRNG). A code is stored normalised (upper case, no spaces or
dashes) and shown in dash-separated groups, e.g. ``VIP-ACDEF-GHJK-MNPQ``.
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from campaigns.exports import to_csv

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LOOK_ALIKES = "0O1IL2Z5S8B"
DEFAULT_BITS = 60
GROUP = 4  # symbols per group when shown; groups are balanced (13 -> 5-4-4)
MAX_PREFIX = 16
MAX_CODE = 64  # the column's width
MAX_BATCH = 1_000_000
_BASE = len(ALPHABET)
_BITS_PER_SYMBOL = math.log2(_BASE)
_RNG = secrets.SystemRandom()  # tests may swap in a seeded random.Random


class InvalidInput(ValueError):
    """Bad input, not a business refusal: ``field`` names what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def clean_text(field: str, value: str, limit: int) -> str:
    """A typed name, key or order reference with its spaces tidied; empty or too long is bad input."""
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidInput(field, "empty")
    if len(text) > limit:
        raise InvalidInput(field, f"at most {limit} characters")
    return text


class Mode(StrEnum):
    SINGLE_USE = "single_use"  # one use in all
    MULTI_USE = "multi_use"  # N uses in all, any customers
    PER_CUSTOMER = "per_customer"  # each customer at most K uses (and optionally N in all)


class CouponOutcome(StrEnum):
    """What a redemption or release did. Refusals are outcomes, not exceptions."""

    REDEEMED = "redeemed"
    ALREADY_REDEEMED = "already_redeemed"  # this order already carries the code: nothing changed
    EXHAUSTED = "exhausted"  # the code's uses are all taken
    PER_CUSTOMER_LIMIT = "per_customer_limit"
    UNKNOWN_CODE = "unknown_code"
    RELEASED = "released"
    ALREADY_RELEASED = "already_released"
    NOT_REDEEMED = "not_redeemed"  # nothing to release for this order


@dataclass(frozen=True, slots=True)
class Usage:
    """How often a code may be used. ``max_uses`` None: unlimited in all (per-customer codes only)."""

    mode: Mode
    max_uses: int | None
    per_customer: int | None


def usage(mode: str, max_uses: int | None = None, per_customer: int | None = None) -> Usage:
    """Check a usage policy: single-use (max_uses 1 or omitted), multi-use (max_uses ≥ 1),
    per-customer (per_customer ≥ 1; max_uses omitted for no overall cap, else ≥ per_customer)."""
    try:
        m = Mode(mode)
    except ValueError:
        raise InvalidInput("mode", f"one of {', '.join(Mode)}, not {mode!r}") from None
    for name, value in (("max_uses", max_uses), ("per_customer", per_customer)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise InvalidInput(name, f"a whole number of at least 1, not {value!r}")
    if m is Mode.SINGLE_USE:
        if max_uses not in (None, 1) or per_customer is not None:
            raise InvalidInput("max_uses", "a single-use code has exactly 1 use and no per-customer limit")
        return Usage(m, 1, None)
    if m is Mode.MULTI_USE:
        if max_uses is None:
            raise InvalidInput("max_uses", "a multi-use code needs its number of uses")
        if per_customer is not None:
            raise InvalidInput("per_customer", "use mode per_customer for a per-customer limit")
        return Usage(m, max_uses, None)
    if per_customer is None:
        raise InvalidInput("per_customer", "a per-customer code needs the uses each customer may have")
    if max_uses is not None and max_uses < per_customer:
        raise InvalidInput("max_uses", "fewer uses in all than one customer may have")
    return Usage(m, max_uses, per_customer)


def length_for(bits: int = DEFAULT_BITS) -> int:
    """The fewest symbols that carry at least ``bits`` bits of randomness."""
    if bits < 1:
        raise InvalidInput("bits", "at least 1")
    return math.ceil(bits / _BITS_PER_SYMBOL - 1e-12)


def entropy_bits(length: int) -> float:
    return length * _BITS_PER_SYMBOL


def normalise(text: str) -> str:
    """What a customer typed -> the stored form: full-width forms folded (NFKC), upper case,
    spaces and dashes removed. ' vip-acde fghj ' -> 'VIPACDEFGHJ'."""
    folded = unicodedata.normalize("NFKC", str(text)).upper()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-‐‑‒–—")


def check_prefix(prefix: str) -> str:
    """A prefix is the marketer's own text (``VIP``, ``D11-``): letters A-Z, digits and '-', not
    starting with '-' (a spreadsheet would read it as a formula), at most 16 characters. The
    look-alike-free alphabet is for the random part, which nobody chose."""
    p = (prefix or "").strip().upper()
    if len(p) > MAX_PREFIX:
        raise InvalidInput("prefix", f"at most {MAX_PREFIX} characters")
    bad = sorted({ch for ch in p if not (("A" <= ch <= "Z") or ch.isdigit() and ch.isascii() or ch == "-")})
    if bad:
        raise InvalidInput("prefix", f"only A-Z, 0-9 and '-' (not {''.join(bad)!r})")
    if p.startswith("-"):
        raise InvalidInput("prefix", "must not start with '-'")
    return p


def _group(symbols: str, size: int = GROUP) -> str:
    if len(symbols) <= size:
        return symbols
    n = max(1, len(symbols) // size)
    base, extra = divmod(len(symbols), n)
    out, at = [], 0
    for i in range(n):
        step = base + (1 if i < extra else 0)
        out.append(symbols[at : at + step])
        at += step
    return "-".join(out)


def display(code: str, prefix: str = "") -> str:
    """The stored ``code`` as people read it: the prefix as given, then the random part in groups."""
    p = check_prefix(prefix)
    head = normalise(p)
    if head and not code.startswith(head):
        return _group(code)
    body = _group(code[len(head) :])
    if not p:
        return body
    return p + body if p.endswith("-") else f"{p}-{body}"


def _draw(length: int, rng) -> str:
    n = rng.randrange(_BASE**length)
    out = []
    for _ in range(length):
        n, r = divmod(n, _BASE)
        out.append(ALPHABET[r])
    return "".join(out)


def capacity(length: int) -> int:
    return len(ALPHABET) ** length


def _check_count(count: int, length: int) -> None:
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise InvalidInput("count", "a whole number of at least 1")
    if count > MAX_BATCH:
        raise InvalidInput("count", f"at most {MAX_BATCH:,} codes in one batch")
    if count > capacity(length) // 1000:  # keep codes hard to guess and collisions rare
        raise InvalidInput("count", f"{length} symbols cannot hold {count:,} unique codes; use more bits")


def generate(
    count: int,
    *,
    prefix: str = "",
    bits: int = DEFAULT_BITS,
    exclude: Iterable[str] = (),
    rng=None,
) -> list[str]:
    """``count`` unique normalised codes (prefix + random part), none of them in ``exclude``."""
    gen = Generator(prefix=prefix, bits=bits, count=count, rng=rng)
    gen.seen.update(exclude)
    return gen.take(count)


def _unique(count: int, head: str, length: int, seen: set[str], rng) -> Iterator[str]:
    made = 0
    while made < count:
        code = head + _draw(length, rng)
        if code not in seen:
            seen.add(code)
            made += 1
            yield code


class Generator:
    """Draws codes for one batch in chunks, never repeating one it has drawn before."""

    def __init__(self, *, prefix: str = "", bits: int = DEFAULT_BITS, count: int = 1, rng=None) -> None:
        self.length = length_for(bits)
        _check_count(count, self.length)
        self.head = normalise(check_prefix(prefix))
        if len(self.head) + self.length > MAX_CODE:
            raise InvalidInput("prefix", f"prefix and code together exceed {MAX_CODE} characters")
        self.seen: set[str] = set()
        self.rng = rng or _RNG

    def take(self, n: int) -> list[str]:
        return list(_unique(n, self.head, self.length, self.seen, self.rng))


# --- exports ------------------------------------------------------------------------------------
# Every format goes through campaigns.exports.to_csv: UTF-8 with BOM, a cell that a spreadsheet
# would run as a formula ('=', '+', '-', '@' ...) is prefixed with a single quote.


@dataclass(frozen=True, slots=True)
class CodeRow:
    code: str  # shown form (display())
    uses: int
    max_uses: int | None
    per_customer: int | None


FESTA_HEADER = ("code", "uses", "max_uses", "per_customer")


def festa_csv(rows: Sequence[CodeRow]) -> bytes:
    return to_csv(FESTA_HEADER, ((r.code, r.uses, r.max_uses, r.per_customer) for r in rows))


# Shopify: the admin has no CSV import of codes (the Admin API's discountRedeemCodeBulkAdd adds at
# most 250 codes per call); shops bulk-import codes with Matrixify's "Discounts" template, the
# de-facto CSV for Shopify (matrixify.app/documentation/discounts/): one row per code, rows with the
# same Title belong to one discount, Command MERGE adds to an existing discount. Usage limits are
# per discount in Shopify (usageLimit, appliesOncePerCustomer), set on the discount itself.
SHOPIFY_HEADER = ("Title", "Command", "Code")


def shopify_csv(title: str, rows: Sequence[CodeRow]) -> bytes:
    return to_csv(SHOPIFY_HEADER, ((title, "MERGE", r.code) for r in rows))


# WooCommerce: coupons are `shop_coupon` posts; CSV importers (WebToffee's Smart Coupons /
# Import Export Suite, webtoffee.com "Bulk Import Coupons in WooCommerce – Coupon Data") take the
# post fields post_title (the code), post_excerpt, post_status and the meta keys of WooCommerce's
# coupon data store (woocommerce/includes/data-stores/class-wc-coupon-data-store-cpt.php):
# discount_type (fixed_cart | percent | fixed_product), coupon_amount, individual_use, usage_limit,
# usage_limit_per_user. Empty usage_limit means unlimited.
WOOCOMMERCE_HEADER = (
    "post_title",
    "post_excerpt",
    "post_status",
    "discount_type",
    "coupon_amount",
    "individual_use",
    "usage_limit",
    "usage_limit_per_user",
)
WOO_DISCOUNT_TYPES = ("fixed_cart", "percent", "fixed_product")


def woocommerce_csv(
    description: str, rows: Sequence[CodeRow], *, discount_type: str = "fixed_cart", amount: str = ""
) -> bytes:
    """``amount`` in the shop's currency as text (e.g. '10.00'); empty to fill in WooCommerce."""
    if discount_type not in WOO_DISCOUNT_TYPES:
        raise InvalidInput("discount_type", f"one of {', '.join(WOO_DISCOUNT_TYPES)}")
    return to_csv(
        WOOCOMMERCE_HEADER,
        ((r.code, description, "publish", discount_type, amount, "no", r.max_uses, r.per_customer) for r in rows),
    )


FORMATS = ("csv", "shopify", "woocommerce")

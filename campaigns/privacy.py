"""Customer identifiers are stored only as keyed hashes (HMAC-SHA256 with the workspace salt):
equal identifiers match across imports, and the raw value cannot be read back."""

from __future__ import annotations

import hashlib
import hmac

_PHONE_MARKS = str.maketrans("", "", " -().")


def normalise(identifier: str) -> str:
    """Case and spacing do not make a different customer: ' Li.Wei@Example.com ' == 'li.wei@example.com',
    and a phone number is its digits: '+86 138-0013-0007' == '13800130007' (China's +86/0086 dropped)."""
    text = " ".join(str(identifier).split()).casefold()
    digits = text.translate(_PHONE_MARKS)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.isdigit() and "@" not in text:
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
                return digits[len(prefix) :]
        return digits
    return text


def customer_hash(salt_hex: str, identifier: str) -> str:
    value = normalise(identifier)
    if not value:
        raise ValueError("empty customer identifier")
    return hmac.new(bytes.fromhex(salt_hex), value.encode("utf-8"), hashlib.sha256).hexdigest()

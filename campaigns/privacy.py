"""Customer identifiers are stored only as keyed hashes (HMAC-SHA256 with the workspace salt):
equal identifiers match across imports, and the raw value cannot be read back."""

from __future__ import annotations

import hashlib
import hmac


def normalise(identifier: str) -> str:
    """Case and spacing do not make a different customer: ' Li.Wei@Example.com ' == 'li.wei@example.com'."""
    return " ".join(str(identifier).split()).casefold()


def customer_hash(salt_hex: str, identifier: str) -> str:
    value = normalise(identifier)
    if not value:
        raise ValueError("empty customer identifier")
    return hmac.new(bytes.fromhex(salt_hex), value.encode("utf-8"), hashlib.sha256).hexdigest()

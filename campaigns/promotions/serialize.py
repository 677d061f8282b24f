"""Offers to and from plain JSON (for storage and CSV/API exchange): decimals and times as text,
sets as sorted lists, the benefit tagged with its kind. ``from_json(to_json(o)) == o``."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from campaigns.promotions import rules as r
from campaigns.promotions.money import Rounding, TieBreak

KINDS: dict[str, type] = {name: cls for cls, name in r._KIND_NAMES.items()}
_DECIMALS = {"percent", "max_percent"}  # benefit fields that may hold a Decimal


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def to_json(offer: r.Offer) -> dict:
    out = _plain(offer)
    out["benefit"] = {"kind": offer.kind, **out["benefit"]}
    return out


def _benefit(data: dict) -> r.Benefit:
    data = dict(data)
    cls = KINDS.get(data.pop("kind", None))
    if cls is None:
        raise ValueError("unknown_kind")
    if cls is r.Tiers:
        return r.Tiers(tuple(r.Tier(**t) for t in data["tiers"]))
    return cls(**{k: Decimal(v) if k in _DECIMALS and isinstance(v, str) else v for k, v in data.items()})


def from_json(data: dict) -> r.Offer:
    """An offer back from ``to_json``; ValueError/KeyError/TypeError on anything else."""
    window = data.get("window")
    return r.Offer(
        key=data["key"],
        name=data["name"],
        currency=data["currency"],
        stage=r.Stage(data["stage"]),
        benefit=_benefit(data["benefit"]),
        scope=r.Scope(**{k: frozenset(v) for k, v in data.get("scope", {}).items()}),
        eligibility=r.Eligibility(
            segments=frozenset(data.get("eligibility", {}).get("segments", ())),
            channels=frozenset(data.get("eligibility", {}).get("channels", ())),
            first_order_only=bool(data.get("eligibility", {}).get("first_order_only", False)),
        ),
        window=r.Window(
            datetime.fromisoformat(window["starts_at"]), datetime.fromisoformat(window["ends_at"]), window["timezone"]
        )
        if window
        else None,
        min_spend_minor=data.get("min_spend_minor", 0),
        min_quantity=data.get("min_quantity", 0),
        basis=r.Basis(data.get("basis", r.Basis.AFTER_PREVIOUS_STAGES)),
        rounding=Rounding(data.get("rounding", Rounding.HALF_UP)),
        ties=TieBreak(data.get("ties", TieBreak.FIRST)),
        priority=data.get("priority", 0),
        exclusive=bool(data.get("exclusive", False)),
        combines_with=frozenset(data.get("combines_with", ())),
        limits=r.Limits(**data.get("limits", {})),
        budget_minor=data.get("budget_minor"),
        budget_mode=r.BudgetMode(data.get("budget_mode", r.BudgetMode.STRICT)),
    )

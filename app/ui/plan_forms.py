"""Shared pieces of the planning pages: amounts typed in major units, names of budget lines,
and a plan's problems shown at their fields."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import streamlit as st

from app.ui import format as fmt
from app.ui.i18n import t
from campaigns.budget import UNPLANNED
from campaigns.planning import KOL, PhasePlan, Problem, Segment, Target
from campaigns.promotions.money import Money, exponent

SEGMENTS = frozenset(str(s) for s in Segment)


def to_minor(amount, currency: str) -> int:
    """A typed amount (major units) as integer minor units, half-up; empty cells count as 0."""
    if amount is None or amount == "" or (isinstance(amount, float) and amount != amount):
        return 0
    try:
        return int(Decimal(str(amount)).scaleb(exponent(currency)).quantize(Decimal(1), ROUND_HALF_UP))
    except InvalidOperation:
        return 0


def major(minor: int, currency: str) -> float:
    return float(Money(minor, currency).amount)


def channel_name(channel: str) -> str:
    return t(f"channel.{channel}")


def segment_name(segment: str) -> str:
    """A built-in segment in the reader's language; a workspace's own by its name."""
    return t(f"segment.{segment}") if segment in SEGMENTS else segment


def line_name(key: str, partners: dict[int, str]) -> str:
    """A budget row's key ("douyin", "kol:7", "kol", "phase:0", "unplanned") for people."""
    if key == UNPLANNED:
        return t("budget.unplanned")
    if key.startswith(f"{KOL}:"):
        return t("budget.partner_line", partner=partners.get(int(key.split(":")[1]), key))
    if key == KOL:
        return t("budget.kol_pool")
    return channel_name(key)


def pick_campaign(rows, label: str):
    """A campaign picker that opens the one named by ``?id=`` (and keeps the address in step)."""
    labels = {k.id: f"{k.name} · {t(f'status.{k.status}')}" for k in rows}
    wanted = st.query_params.get("id", "")
    ids = list(labels)
    chosen = st.selectbox(
        label,
        ids,
        index=ids.index(int(wanted)) if wanted.isdigit() and int(wanted) in ids else 0,
        format_func=labels.get,
    )
    st.query_params["id"] = str(chosen)
    return next(k for k in rows if k.id == chosen)


def phase_label(p: PhasePlan) -> str:
    """A custom phase by its own name, the others by their kind in the reader's language."""
    own = p.kind == "custom" and p.name and p.name != "custom"
    return p.name if own else t(f"phase.{p.kind}")


def _where(field: str, phases: tuple[PhasePlan, ...]) -> str:
    parts = field.split(".")
    if parts[0] == "phases" and len(parts) > 1 and parts[1].isdigit():
        i = int(parts[1])
        kind = phase_label(phases[i]) if i < len(phases) else str(i + 1)
        where = t("campaigns.phase_n", n=i + 1, kind=kind)
        if len(parts) > 3 and parts[2] == "targets":
            where += " · " + t(f"target.{parts[3]}")
        return where
    if parts[0] == "budget_lines" and len(parts) > 1 and parts[1].isdigit():
        return t("campaigns.line_n", n=int(parts[1]) + 1)
    if parts[0] == "targets" and len(parts) > 1:
        return t("campaigns.target_total", target=t(f"target.{parts[1]}"))
    return t(f"campaigns.field_{parts[0]}")


def _params(p: Problem, currency: str, lang: str) -> dict:
    """Amounts in the message as money where they are money."""
    moneyish = p.code == "split_mismatch" or p.field == f"targets.{Target.GMV}"
    if not moneyish:
        return p.params
    return {k: fmt.money(Money(v, currency), lang) if isinstance(v, int) else v for k, v in p.params.items()}


def show_problems(problems: list[Problem], phases: tuple = (), currency: str = "CNY", lang: str = "zh-CN") -> None:
    for p in problems:
        message = t(f"plan_error.{p.code}", **_params(p, currency, lang))
        st.error(t("campaigns.problem", field=_where(p.field, phases), message=message))

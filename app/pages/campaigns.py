"""Campaigns: create from a template, edit phases and budgets, copy to next year, status."""

from dataclasses import replace
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import planning
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns.access import Permission, allows
from campaigns.planning import PhasePlan, Problem
from campaigns.promotions.money import Money, exponent
from campaigns.templates import TEMPLATES

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_CAMPAIGNS)
STATUS = {s: t(f"status.{s}") for s in planning.TRANSITIONS}
TEMPLATE_NAMES = {k: t(f"festival.{tpl.festival_key}") for k, tpl in TEMPLATES.items()}


def minor(amount: float | Decimal, currency: str) -> int:
    return int((Decimal(str(amount)).scaleb(exponent(currency))).quantize(Decimal(1), ROUND_HALF_UP))


def _when(cell, tz: ZoneInfo) -> datetime:
    """A date-time cell of the phase table (a Timestamp, datetime or ISO text) in the campaign's zone."""
    return datetime.fromisoformat(str(cell)).replace(tzinfo=tz)


def show_problems(err: planning.PlanRejected, phases: tuple = ()) -> None:
    for p in err.problems:
        where = p.field
        if where.startswith("phases.") and where.split(".")[1].isdigit():
            i = int(where.split(".")[1])
            kind = t(f"phase.{phases[i].kind}") if i < len(phases) else str(i + 1)
            where = t("campaigns.phase_n", n=i + 1, kind=kind)
        else:
            where = t(f"campaigns.field_{where.split('.')[0]}")
        st.error(t("campaigns.problem", field=where, message=t(f"plan_error.{p.code}", **p.params)))


st.title(t("page.campaigns"))
rows = planning.campaigns(c, actor)
st.dataframe(
    [
        {
            t("col.name"): k.name,
            t("col.status"): STATUS[k.status],
            t("col.window"): f"{fmt.moment(k.plan.starts_at, k.plan.timezone, lang)} – "
            f"{fmt.moment(k.plan.ends_at, k.plan.timezone, lang)}",
            t("col.budget"): fmt.money(Money(k.plan.budget_minor, k.plan.currency), lang),
        }
        for k in rows
    ],
    hide_index=True,
    width="stretch",
)

if may_edit:
    with st.expander(t("campaigns.new"), expanded=not rows):
        with st.form("new_campaign"):
            cols = st.columns(4)
            key = cols[0].selectbox(t("campaigns.template"), list(TEMPLATES), format_func=TEMPLATE_NAMES.get)
            year = cols[1].number_input(t("calendar.year"), 1990, 2099, value=date.today().year + 1, step=1)
            name = cols[2].text_input(t("col.name"))
            budget = cols[3].number_input(t("col.budget"), min_value=0.0, value=500_000.0, step=10_000.0)
            if st.form_submit_button(t("campaigns.create"), type="primary"):
                try:
                    planning.create_from_template(
                        c,
                        actor,
                        key,
                        int(year),
                        name or f"{TEMPLATE_NAMES[key]} {year}",
                        minor(budget, c.settings.currency),
                    )
                    st.rerun()
                except planning.PlanRejected as err:
                    show_problems(err)

if rows:
    by_name = {f"{k.name} · {STATUS[k.status]}": k for k in rows}
    chosen = by_name[st.selectbox(t("campaigns.open"), list(by_name))]
    plan, tz = chosen.plan, ZoneInfo(chosen.plan.timezone)
    st.subheader(chosen.name)
    st.caption(t("campaigns.times_in", tz=plan.timezone) + " " + t("calendar.inclusive"))
    table = [
        {
            "kind": t(f"phase.{p.kind}"),
            "start": p.starts_at.astimezone(tz).replace(tzinfo=None),
            "end": p.ends_at.astimezone(tz).replace(tzinfo=None),
            "budget": float(Money(p.budget_minor, plan.currency).amount),
        }
        for p in plan.phases
    ]
    edited = st.data_editor(
        table,
        key=f"phases_{chosen.id}",
        disabled=not may_edit or ["kind"],
        hide_index=True,
        width="stretch",
        column_config={
            "kind": st.column_config.TextColumn(t("col.phase")),
            "start": st.column_config.DatetimeColumn(t("calendar.start"), format="YYYY-MM-DD HH:mm"),
            "end": st.column_config.DatetimeColumn(t("calendar.end"), format="YYYY-MM-DD HH:mm:ss"),
            "budget": st.column_config.NumberColumn(f"{t('col.budget')} ({plan.currency})", format="%.2f"),
        },
    )
    if may_edit:
        window = st.columns(2)  # whole days: from 00:00 of the first to 23:59:59 of the last, inclusive
        first = window[0].date_input(
            t("campaigns.window_start"), plan.starts_at.astimezone(tz).date(), key=f"from_{chosen.id}"
        )
        last = window[1].date_input(
            t("campaigns.window_end"), plan.ends_at.astimezone(tz).date(), key=f"to_{chosen.id}"
        )
        total = st.number_input(
            f"{t('campaigns.total_budget')} ({plan.currency})",
            value=float(Money(plan.budget_minor, plan.currency).amount),
            step=10_000.0,
            key=f"total_{chosen.id}",
        )
        left, mid, right = st.columns(3)
        if left.button(t("campaigns.save"), type="primary"):
            empty = [i for i, row in enumerate(edited) if not row["start"] or not row["end"]]
            phases = tuple(
                PhasePlan(
                    p.kind,
                    p.name,
                    _when(row["start"], tz) if i not in empty else plan.starts_at,
                    _when(row["end"], tz) if i not in empty else plan.ends_at,
                    minor(row["budget"] or 0, plan.currency),
                )
                for i, (p, row) in enumerate(zip(plan.phases, edited, strict=True))
            )
            new = replace(
                plan,
                phases=phases,
                budget_minor=minor(total, plan.currency),
                starts_at=datetime.combine(first, time.min, tz),
                ends_at=datetime.combine(last, time(23, 59, 59), tz),
            )
            try:
                if empty:  # a cleared date cell: nothing is saved
                    raise planning.PlanRejected([Problem(f"phases.{i}.start", "required") for i in empty])
                planning.save(c, actor, chosen.id, new)
                st.success(t("campaigns.saved"))
                st.rerun()
            except planning.PlanRejected as err:
                show_problems(err, phases)
        if mid.button(t("campaigns.copy_next_year")):
            try:
                planning.copy_to_year(c, actor, chosen.id, plan.ends_at.astimezone(tz).year + 1)
                st.rerun()
            except planning.PlanRejected as err:
                show_problems(err)
        moves = sorted(planning.TRANSITIONS[chosen.status])
        if moves:
            target = right.selectbox(t("campaigns.move_to"), moves, format_func=STATUS.get)
            if right.button(t("campaigns.change_status")):
                planning.set_status(c, actor, chosen.id, target)
                st.rerun()

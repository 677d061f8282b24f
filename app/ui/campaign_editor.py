"""The campaign editor: plan, phases, budget lines and targets in four tabs, read back as one
CampaignPlan (plus the problems of cells that cannot be read, e.g. a cleared date)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app.ui.i18n import t
from app.ui.plan_forms import channel_name, major, phase_label, segment_name, to_minor
from campaigns.planning import (
    BUDGET_CHANNELS,
    KOL,
    BudgetLine,
    CampaignPlan,
    Objective,
    PhaseKind,
    PhasePlan,
    Problem,
    Segment,
    Target,
)

TARGET_COLUMNS = (Target.EXPOSURE, Target.CLICKS, Target.CONVERSIONS, Target.GMV, Target.ROI)


def _empty(cell) -> bool:
    return cell is None or cell == "" or (not isinstance(cell, str) and pd.isna(cell))


def _when(cell, tz: ZoneInfo) -> datetime:
    """A date-time cell (a Timestamp, datetime or ISO text) as wall-clock time in the campaign's zone."""
    return datetime.fromisoformat(str(cell)).replace(tzinfo=tz)


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _plan_tab(key: str, plan: CampaignPlan, people: dict[int, str], tz: ZoneInfo, editable: bool) -> dict:
    cols = st.columns(3)
    name = cols[0].text_input(t("col.name"), plan.name, key=f"name_{key}", disabled=not editable)
    objective = cols[1].selectbox(
        t("campaigns.objective"),
        list(Objective),
        index=list(Objective).index(plan.objective),
        format_func={o: t(f"objective.{o}") for o in Objective}.get,
        key=f"objective_{key}",
        disabled=not editable,
    )
    if plan.owner_id is not None and plan.owner_id not in people:  # kept, though no longer active
        people = {**people, plan.owner_id: t("campaigns.inactive_owner")}
    owners = [None, *people]
    owner_names = {None: t("campaigns.no_owner"), **people}
    owner = cols[2].selectbox(
        t("campaigns.owner"),
        owners,
        index=owners.index(plan.owner_id) if plan.owner_id in owners else 0,
        format_func=owner_names.get,
        key=f"owner_{key}",
        disabled=not editable,
    )
    known = [str(s) for s in Segment]
    options = known + [s for s in plan.segments if s not in known]
    segments = st.multiselect(
        t("campaigns.segments"),
        options,
        default=list(plan.segments),
        format_func=lambda s, names={o: segment_name(o) for o in options}: names.get(s, s),
        accept_new_options=True,
        help=t("campaigns.segments_help"),
        key=f"segments_{key}",
        disabled=not editable,
    )
    window = st.columns(3)  # whole days: from 00:00 of the first to 23:59:59 of the last, inclusive
    first = window[0].date_input(
        t("campaigns.window_start"), plan.starts_at.astimezone(tz).date(), key=f"from_{key}", disabled=not editable
    )
    last = window[1].date_input(
        t("campaigns.window_end"), plan.ends_at.astimezone(tz).date(), key=f"to_{key}", disabled=not editable
    )
    total = window[2].number_input(
        f"{t('campaigns.total_budget')} ({plan.currency})",
        value=major(plan.budget_minor, plan.currency),
        step=10_000.0,
        key=f"total_{key}",
        disabled=not editable,
    )
    return {
        "name": name,
        "objective": Objective(objective),
        "owner_id": owner,
        "segments": tuple(s.strip() for s in segments),
        "starts_at": datetime.combine(first, time.min, tz),
        "ends_at": datetime.combine(last, time(23, 59, 59), tz),
        "budget_minor": to_minor(total, plan.currency),
    }


def _phases_tab(key: str, plan: CampaignPlan, tz: ZoneInfo, editable: bool) -> tuple[tuple, list, list[Problem]]:
    """The phases as edited, for each the index of the stored phase it was (None: added), and the
    problems of cells that cannot be read."""
    st.caption(t("campaigns.phases_help"))
    rows = st.data_editor(
        [
            {
                "ref": i,  # not shown: ties an edited row to its stored phase (and its targets)
                "kind": str(p.kind),
                "name": p.name if p.kind == PhaseKind.CUSTOM else "",
                "start": _local(p.starts_at, tz),
                "end": _local(p.ends_at, tz),
                "budget": major(p.budget_minor, plan.currency),
            }
            for i, p in enumerate(plan.phases)
        ],
        key=f"phases_{key}",
        column_order=("kind", "name", "start", "end", "budget"),
        num_rows="dynamic" if editable else "fixed",
        disabled=not editable,
        hide_index=True,
        width="stretch",
        column_config={
            "kind": st.column_config.SelectboxColumn(
                t("col.phase_kind"),
                options=[str(k) for k in PhaseKind],
                format_func=lambda k: t(f"phase.{k}"),
                default=str(PhaseKind.CUSTOM),
                required=True,
            ),
            "name": st.column_config.TextColumn(t("col.phase_name"), max_chars=100),
            "start": st.column_config.DatetimeColumn(t("calendar.start"), format="YYYY-MM-DD HH:mm"),
            "end": st.column_config.DatetimeColumn(t("calendar.end"), format="YYYY-MM-DD HH:mm:ss"),
            "budget": st.column_config.NumberColumn(f"{t('col.budget')} ({plan.currency})", format="%.2f"),
        },
    )
    phases, refs, problems = [], [], []
    for i, row in enumerate(rows):
        refs.append(None if _empty(row.get("ref")) else int(row["ref"]))
        kind = PhaseKind(row.get("kind") or PhaseKind.CUSTOM)
        name = (row.get("name") or "").strip() or str(kind)
        if kind == PhaseKind.CUSTOM and not (row.get("name") or "").strip():
            problems.append(Problem(f"phases.{i}.name", "required"))
        for cell in ("start", "end"):
            if _empty(row.get(cell)):
                problems.append(Problem(f"phases.{i}.{cell}", "required"))
        start = plan.starts_at if _empty(row.get("start")) else _when(row["start"], tz)
        end = plan.ends_at if _empty(row.get("end")) else _when(row["end"], tz)
        phases.append(PhasePlan(kind, name, start, end, to_minor(row.get("budget"), plan.currency)))
    return tuple(phases), refs, problems


def _budget_tab(key: str, plan: CampaignPlan, partners: dict[int, str], editable: bool) -> tuple:
    st.caption(t("campaigns.lines_help"))
    by_label = {label: pid for pid, label in partners.items()}
    rows = st.data_editor(
        [
            {
                "channel": x.channel,
                "partner": partners.get(x.partner_id) if x.partner_id else None,
                "amount": major(x.amount_minor, plan.currency),
            }
            for x in plan.budget_lines
        ],
        key=f"lines_{key}",
        num_rows="dynamic" if editable else "fixed",
        disabled=not editable,
        hide_index=True,
        width="stretch",
        column_config={
            "channel": st.column_config.SelectboxColumn(
                t("col.channel"), options=list(BUDGET_CHANNELS), format_func=channel_name, required=True
            ),
            "partner": st.column_config.SelectboxColumn(t("col.partner"), options=list(by_label)),
            "amount": st.column_config.NumberColumn(f"{t('col.budget')} ({plan.currency})", format="%.2f"),
        },
    )
    lines = []
    for row in rows:
        partner = by_label.get(row.get("partner")) if row.get("partner") else None
        channel = row.get("channel") or (KOL if partner else "")
        lines.append(BudgetLine(channel, partner, to_minor(row.get("amount"), plan.currency)))
    return tuple(lines)


def _number(cell, target: Target, currency: str):
    if _empty(cell):
        return None
    if target == Target.GMV:
        return to_minor(cell, currency)
    if target == Target.ROI:
        try:
            return Decimal(str(cell))
        except InvalidOperation:
            return None
    return int(cell)


def _targets_tab(key: str, plan: CampaignPlan, editable: bool) -> tuple[dict, list[dict]]:
    st.caption(t("campaigns.targets_help"))

    def show(targets: dict, target: Target):
        value = targets.get(target)
        if value is None:
            return None
        return major(value, plan.currency) if target == Target.GMV else float(value)

    labels = [t("campaigns.total")] + [phase_label(p) for p in plan.phases]
    source = [plan.targets] + [p.targets for p in plan.phases]
    rows = st.data_editor(
        [
            {"row": label, **{str(m): show(tg, m) for m in TARGET_COLUMNS}}
            for label, tg in zip(labels, source, strict=True)
        ],
        key=f"targets_{key}",
        disabled=["row"] if editable else True,
        hide_index=True,
        width="stretch",
        column_config={
            "row": st.column_config.TextColumn(""),
            **{str(m): st.column_config.NumberColumn(t(f"target.{m}"), step=1) for m in TARGET_COLUMNS},
            str(Target.GMV): st.column_config.NumberColumn(f"{t('target.gmv')} ({plan.currency})", format="%.2f"),
            str(Target.ROI): st.column_config.NumberColumn(t("target.roi_ratio"), format="%.2f"),
        },
    )
    read = [
        {str(m): v for m in TARGET_COLUMNS if (v := _number(row.get(str(m)), m, plan.currency)) is not None}
        for row in rows
    ]
    return read[0], read[1:]


def edit(key: str, plan: CampaignPlan, people: dict, partners: dict, editable: bool) -> tuple[CampaignPlan, list]:
    """The editor's tabs; returns the plan as edited and the problems of unreadable cells."""
    tz = ZoneInfo(plan.timezone)
    st.caption(t("campaigns.times_in", tz=plan.timezone) + " " + t("calendar.inclusive"))
    tabs = st.tabs(
        [t("campaigns.tab_plan"), t("campaigns.tab_phases"), t("campaigns.tab_budget"), t("campaigns.tab_targets")]
    )
    with tabs[0]:
        fields = _plan_tab(key, plan, people, tz, editable)
    with tabs[1]:
        phases, refs, problems = _phases_tab(key, plan, tz, editable)
    with tabs[2]:
        lines = _budget_tab(key, plan, partners, editable)
    with tabs[3]:
        total, per_phase = _targets_tab(key, plan, editable)
    # the targets grid lists the phases as stored: each kept phase takes its own row's targets, a
    # phase added in this edit gets targets after saving, a deleted one takes its targets with it
    phases = tuple(
        replace(p, targets=per_phase[ref]) if ref is not None else p for p, ref in zip(phases, refs, strict=True)
    )
    return replace(plan, **fields, phases=phases, budget_lines=lines, targets=total), problems

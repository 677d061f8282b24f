"""Campaigns: create from a template (built-in or saved), edit plan, phases, budget lines and
targets, copy to next year, save as a template, change status."""

from datetime import date
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import campaign_detail, planning
from app.ui import campaign_editor
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import pick_campaign, show_problems, to_minor
from campaigns.access import Permission, allows
from campaigns.planning import NAME_MAX, validate
from campaigns.promotions.money import Money

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_CAMPAIGNS)
STATUS = {s: t(f"status.{s}") for s in planning.TRANSITIONS}
choices = campaign_detail.choices(c, actor)
FLASH = "campaigns_flash"


def template_name(tpl) -> str:
    return f"★ {tpl.name}" if tpl.name else t(f"festival.{tpl.festival_key}")


st.title(t("page.campaigns"))
if flash := st.session_state.pop(FLASH, None):  # what the last action did, shown after its rerun
    st.success(flash)
rows = planning.campaigns(c, actor)
st.dataframe(
    [
        {
            t("col.name"): k.name,
            t("col.status"): STATUS[k.status],
            t("campaigns.owner"): choices.people.get(k.plan.owner_id, ""),
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
    templates = {tpl.key: tpl for tpl in planning.template_choices(c, actor)}
    labels = {k: template_name(tpl) for k, tpl in templates.items()}  # format_func runs outside the script too
    with st.expander(t("campaigns.new"), expanded=not rows):
        with st.form("new_campaign"):
            cols = st.columns(4)
            key = cols[0].selectbox(t("campaigns.template"), list(templates), format_func=labels.get)
            year = cols[1].number_input(t("calendar.year"), 1990, 2099, value=date.today().year + 1, step=1)
            name = cols[2].text_input(t("col.name"))
            budget = cols[3].number_input(t("col.budget"), min_value=0.0, value=500_000.0, step=10_000.0)
            if st.form_submit_button(t("campaigns.create"), type="primary"):
                try:
                    new_id = planning.create_from_template(
                        c,
                        actor,
                        key,
                        int(year),
                        name or f"{template_name(templates[key]).removeprefix('★ ')} {year}",
                        to_minor(budget, c.settings.currency),
                    )
                    st.query_params["id"] = str(new_id)
                    st.rerun()
                except planning.PlanRejected as err:
                    show_problems(err.problems, currency=c.settings.currency, lang=lang)

if rows:
    chosen = pick_campaign(rows, t("campaigns.open"))
    plan = chosen.plan
    st.subheader(chosen.name)
    st.page_link("app/pages/campaign.py", label=t("campaigns.open_detail"), icon="📊", query_params={"id": chosen.id})
    # one form: cell edits do not rerun the page, Save sends them all at once
    with st.form(f"edit_{chosen.id}", border=False) if may_edit else st.container():
        new, unreadable = campaign_editor.edit(str(chosen.id), plan, choices.people, choices.partners, may_edit)
        save = may_edit and st.form_submit_button(t("campaigns.save"), type="primary")
    if save:
        try:
            if unreadable:  # a cleared cell: nothing is saved
                raise planning.PlanRejected(unreadable + validate(new))
            planning.save(c, actor, chosen.id, new)
            st.session_state[FLASH] = t("campaigns.saved")
            st.rerun()
        except planning.PlanRejected as err:
            show_problems(err.problems, new.phases, plan.currency, lang)
    if may_edit:
        mid, right = st.columns(2)
        if mid.button(t("campaigns.copy_next_year")):
            try:
                new_id = planning.copy_to_year(
                    c, actor, chosen.id, plan.ends_at.astimezone(ZoneInfo(plan.timezone)).year + 1
                )
                st.query_params["id"] = str(new_id)
                st.rerun()
            except planning.PlanRejected as err:
                show_problems(err.problems, lang=lang)
        moves = sorted(planning.TRANSITIONS[chosen.status])
        if moves:
            target = right.selectbox(t("campaigns.move_to"), moves, format_func=STATUS.get)
            if right.button(t("campaigns.change_status")):
                planning.set_status(c, actor, chosen.id, target)
                st.rerun()
        with st.form(f"as_template_{chosen.id}", clear_on_submit=True):
            tpl_name = st.text_input(t("campaigns.template_name"), max_chars=NAME_MAX)
            if st.form_submit_button(t("campaigns.save_as_template")):
                try:
                    planning.save_as_template(c, actor, chosen.id, tpl_name)
                    st.session_state[FLASH] = t("campaigns.template_saved", name=tpl_name.strip())
                    st.rerun()
                except planning.PlanRejected as err:
                    show_problems(err.problems, lang=lang)
        saved = [k for k, tpl in templates.items() if tpl.name]
        if saved:
            gone = st.selectbox(t("campaigns.remove_template_which"), saved, format_func=lambda k: templates[k].name)
            if st.button(t("campaigns.remove_template")):
                planning.remove_template(c, actor, gone)
                st.rerun()

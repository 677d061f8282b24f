"""Import platform exports: upload, preview (what would be written, every problem at its file, row and column),
import as one batch with a progress bar; map the columns of a file Festa does not know; tie unassigned rows to
campaigns (remembered as rules); undo an import."""

import streamlit as st

from app.services import import_mappings, imports, planning
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t, translate
from app.ui.problems import message
from campaigns import facts
from campaigns.access import Permission, allows
from campaigns.promotions.money import Money

lang = language()


def tr(key: str) -> str:
    """``t`` in the language of this run (widgets' format functions may be called after it)."""
    return translate(key, lang)


c = container()
actor = current_actor()
may_import = allows(actor.role, Permission.IMPORT_METRICS)
campaigns = {k.id: k.name for k in planning.campaigns(c, actor)}
SOURCES = ["auto", *(s for s in facts.SOURCES if s not in ("mapping", "seed"))]
SHOWN = ("impressions", "engagements", "clicks", "video_views", "sessions", "orders", "conversions")


def show_problems(problems) -> None:
    st.error(t("measure.problems", n=len(problems)))
    st.dataframe(
        [
            {
                t("measure.col_file"): p.file,
                t("measure.col_row"): "" if p.row is None else str(p.row),
                t("measure.col_column"): p.column or "",
                t("measure.col_message"): message(p, lang),
            }
            for p in problems[:500]
        ],
        hide_index=True,
        width="stretch",
    )


def show_preview(pv) -> None:
    cols = st.columns(4)
    cols[0].metric(t("measure.rows_read"), fmt.number(pv.rows, lang))
    cols[1].metric(t("measure.rows_new"), fmt.number(len(pv.new_rows), lang))
    cols[2].metric(t("measure.rows_stored"), fmt.number(pv.duplicates, lang))
    cols[3].metric(t("measure.rows_unassigned"), fmt.number(pv.unmatched, lang))
    st.caption(t("measure.detected", source=t(f"source.{pv.source}"), file=pv.file))
    if pv.same_file_batch:
        st.warning(t("measure.same_file", batch=pv.same_file_batch))
    if pv.skipped:
        reasons: dict[str, list[int]] = {}
        for row, why in pv.skipped:
            reasons.setdefault(why, []).append(row)
        for why, rows in reasons.items():
            st.caption(t("measure.skipped", n=len(rows), reason=why, rows=", ".join(map(str, rows[:20]))))
    totals = pv.totals()
    line = {t(f"measure.m_{m}"): fmt.number(totals[m], lang) for m in SHOWN if totals.get(m)}
    for m in facts.MONEY:
        for cur, minor in totals[m].items():
            line[f"{t(f'measure.m_{m}')} ({cur})"] = fmt.money(Money(minor, cur), lang)
    if line:
        st.dataframe([line], hide_index=True, width="stretch")
    head = pv.frame.head(200)
    st.dataframe(
        [
            {
                t("measure.col_row"): int(r["_row"]),
                t("measure.col_day"): r["day"].isoformat() if r["day"] else "",
                t("measure.col_campaign_name"): r["campaign"],
                t("measure.col_entity"): r["entity"] or r["post_id"],
                t("measure.m_impressions"): int(r["impressions"]),
                t("measure.m_clicks"): int(r["clicks"]),
                t("measure.m_spend_minor"): fmt.money(Money(int(r["spend_minor"]), r["currency"]), lang)
                if r["currency"]
                else "",
                t("measure.col_tied"): campaigns.get(int(r["campaign_id"]), "")
                if r["campaign_id"] is not None and str(r["campaign_id"]) != "<NA>"
                else "—",
                t("measure.col_stored"): "✓" if str(r["stored_in"]) != "<NA>" else "",
            }
            for _, r in head.iterrows()
        ],
        hide_index=True,
        width="stretch",
    )


def mapping_step(name: str, raw: bytes) -> None:
    """The columns of a file no reader knows, mapped to Festa's fields and saved under a name."""
    layout = import_mappings.layout(c, actor, name, raw)
    st.info(t("measure.mapping_help"))
    with st.form("measure_mapping"):
        choices = ["", *layout.columns]
        picked = {}
        grid = st.columns(3)
        for i, field in enumerate(import_mappings.fields()):
            picked[field] = grid[i % 3].selectbox(t(f"measure.f_{field}"), choices, key=f"map_{field}")
        map_name = st.text_input(t("measure.mapping_name"), value=name.rsplit(".", 1)[0][:100])
        order = st.selectbox(t("measure.date_order"), ["ymd", "dmy", "mdy"])
        if st.form_submit_button(t("measure.mapping_save"), type="primary"):
            chosen = {f: col for f, col in picked.items() if col}
            try:
                import_mappings.save(c, actor, map_name, layout.columns, chosen, date_order=order)
            except imports.ImportRejected as err:
                show_problems(err.problems)
            else:
                st.session_state["measure_mapping_name"] = map_name.strip()
                st.rerun()


st.title(t("page.metrics_import"))
st.caption(t("measure.import_help"))
if not imports.has_workspace(c):
    st.info(t("results.no_workspace"))
    st.stop()
if "measure_flash" in st.session_state:
    st.success(st.session_state.pop("measure_flash"))

if not may_import:
    st.info(t("measure.no_permission"))
else:
    n = st.session_state.get("measure_uploads", 0)
    upload = st.file_uploader(t("measure.upload"), type=["csv", "tsv", "txt", "xlsx"], key=f"measure_upload_{n}")
    left, mid, right = st.columns(3)
    source = left.selectbox(t("measure.source"), SOURCES, format_func=lambda s: tr(f"source.{s}"))
    campaign = mid.selectbox(
        t("measure.campaign"),
        [None, *campaigns],
        format_func=lambda k: tr("measure.match_auto") if k is None else campaigns[k],
    )
    order = right.selectbox(
        t("measure.date_order"), [None, "ymd", "dmy", "mdy"], format_func=lambda o: tr(f"measure.order_{o}")
    )
    if upload is not None:
        mapping_name = st.session_state.get("measure_mapping_name")
        asked = (upload.name, upload.size, source, campaign, order, mapping_name)
        if st.session_state.get("measure_asked") != asked:  # read once per file and choice, not on every rerun
            raw = upload.getvalue()
            with st.spinner(t("measure.reading")):
                st.session_state["measure_preview"] = imports.preview(
                    c, actor, upload.name, raw, source, campaign, order, mapping_name=mapping_name
                )
            st.session_state["measure_raw"] = (upload.name, raw)
            st.session_state["measure_asked"] = asked
    pv = st.session_state.get("measure_preview")
    if pv is not None:
        if pv.needs == "date_order":
            st.warning(t("measure.needs_date_order"))
        elif [p.code for p in pv.problems] == ["unknown_layout"] and "measure_raw" in st.session_state:
            show_problems(pv.problems)
            mapping_step(*st.session_state["measure_raw"])
        elif pv.problems:
            show_problems(pv.problems)
        else:
            show_preview(pv)
            if st.button(t("measure.import_button", n=len(pv.new_rows)), type="primary"):
                bar = st.progress(0.0, text=t("measure.writing"))
                done = imports.commit(c, actor, pv, progress=lambda f: bar.progress(f, text=t("measure.writing")))
                st.session_state["measure_flash"] = t(
                    "measure.imported",
                    n=done.written,
                    batch=done.batch_id,
                    stored=done.duplicates,
                    unassigned=done.unmatched,
                )
                for key in ("measure_preview", "measure_raw", "measure_mapping_name", "measure_asked"):
                    st.session_state.pop(key, None)
                st.session_state["measure_uploads"] = n + 1
                st.rerun()

st.subheader(t("measure.unassigned_header"))
groups = imports.unassigned(c, actor)
if not groups:
    st.caption(t("measure.unassigned_none"))
else:
    st.dataframe(
        [
            {
                t("measure.col_source"): t(f"source.{g.source}"),
                t("measure.col_campaign_name"): g.campaign,
                "utm_campaign": g.utm_campaign,
                t("measure.col_code"): g.code,
                t("measure.col_account"): g.account,
                t("measure.col_rows"): g.rows,
                t("measure.col_days"): f"{g.first} – {g.last}",
            }
            for g in groups
        ],
        hide_index=True,
        width="stretch",
    )
    if may_import and campaigns:
        with st.form("measure_assign"):
            which = st.selectbox(
                t("measure.assign_group"),
                range(len(groups)),
                format_func=lambda i: (
                    " · ".join(
                        x for x in (groups[i].campaign, groups[i].utm_campaign, groups[i].code, groups[i].account) if x
                    )
                    or t(f"source.{groups[i].source}")
                ),
            )
            target = st.selectbox(t("measure.assign_to"), list(campaigns), format_func=campaigns.get)
            remember = st.checkbox(t("measure.remember"), value=True)
            if st.form_submit_button(t("measure.assign_button")):
                rows = imports.assign(c, actor, groups[which], target, remember)
                st.session_state["measure_flash"] = t("measure.assigned", n=rows, campaign=campaigns[target])
                st.rerun()

st.subheader(t("measure.rules_header"))
st.caption(t("measure.rules_help"))
rules = imports.rules(c, actor)
if rules:
    st.dataframe(
        [
            {
                "#": r.id,
                t("measure.col_source"): t(f"source.{r.source}") if r.source else "*",
                t("measure.rule_field"): r.field,
                t("measure.rule_op"): t(f"measure.op_{r.op}"),
                t("measure.rule_value"): r.value,
                t("measure.campaign"): campaigns.get(r.campaign_id, r.campaign_id),
            }
            for r in rules
        ],
        hide_index=True,
        width="stretch",
    )
if may_import and campaigns:
    with st.form("measure_rule"):
        a, b, v, k = st.columns(4)
        field = a.selectbox(t("measure.rule_field"), ["campaign", "utm_campaign", "code", "account", "entity"])
        op = b.selectbox(t("measure.rule_op"), ["contains", "equals"], format_func=lambda o: tr(f"measure.op_{o}"))
        value = v.text_input(t("measure.rule_value"))
        target = k.selectbox(t("measure.campaign"), list(campaigns), format_func=campaigns.get, key="rule_campaign")
        if st.form_submit_button(t("measure.rule_add")):
            try:
                imports.add_rule(c, actor, field, op, value, target)
            except imports.ImportRejected as err:
                show_problems(err.problems)
            else:
                st.rerun()
    if rules:
        gone = st.selectbox(t("measure.rule_remove_which"), [r.id for r in rules], key="rule_remove")
        if st.button(t("measure.rule_remove")):
            imports.remove_rule(c, actor, gone)
            st.rerun()

st.subheader(t("measure.batches_header"))
batches = imports.batches(c, actor)
st.dataframe(
    [
        {
            "#": b.id,
            t("measure.col_file"): b.filename,
            t("measure.col_source"): t(f"source.{b.source}"),
            t("measure.col_written"): b.rows_written,
            t("measure.col_stored"): b.rows_duplicate,
            t("measure.col_skipped"): b.rows_skipped,
            t("measure.col_days"): f"{b.day_min or ''} – {b.day_max or ''}",
            t("measure.col_by"): b.created_by,
            t("measure.col_when"): fmt.moment(b.created_at, c.settings.timezone, lang),
            t("measure.col_undone"): fmt.moment(b.undone_at, c.settings.timezone, lang) if b.undone_at else "",
        }
        for b in batches
    ],
    hide_index=True,
    width="stretch",
)
live = [b for b in batches if b.undone_at is None and b.source != "seed"]
if may_import and live:
    with st.form("measure_undo"):
        pick = st.selectbox(
            t("measure.undo_which"),
            [b.id for b in live],
            format_func=lambda i: next(f"#{b.id} {b.filename}" for b in live if b.id == i),
        )
        sure = st.checkbox(t("measure.undo_confirm"))
        if st.form_submit_button(t("measure.undo_button")):
            if not sure:
                st.warning(t("measure.undo_confirm_needed"))
            else:
                n_rows = imports.undo(c, actor, pick)
                st.session_state["measure_flash"] = t("measure.undone", n=n_rows, batch=pick)
                st.rerun()

"""Posts from CSV: download the template, upload a filled-in file (every row checked, shown, nothing saved
while any row has a problem), import it as drafts; export the posts of some days as CSV."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import post_csv
from app.ui.auth import current_actor
from app.ui.catalog import CATALOG
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns.access import Permission, allows

lang = language()
c = container()
actor = current_actor()
zone = ZoneInfo(c.settings.timezone)
may_compose = allows(actor.role, Permission.COMPOSE_POSTS)


def problem_text(p) -> str:
    key = f"post_csv.err.{p.code}"
    if key not in CATALOG:
        return " ".join([p.code, *(f"{k}={v}" for k, v in p.params.items())])
    try:
        return t(key, **p.params)
    except (KeyError, IndexError, ValueError):
        return CATALOG[key].get(lang, p.code)


def show_problems(problems) -> None:
    st.error(t("post_csv.problems", n=len(problems)))
    st.dataframe(
        [
            {
                t("post_csv.col_file"): p.file,
                t("post_csv.col_row"): "" if p.row is None else str(p.row),
                t("post_csv.col_column"): p.column
                or t({None: "post_csv.whole_file", 1: "post_csv.header"}.get(p.row, "post_csv.whole_row")),
                t("post_csv.col_message"): problem_text(p),
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )


def show_preview(rows) -> None:
    st.caption(t("post_csv.preview", n=len(rows)))
    st.dataframe(
        [
            {
                t("post_csv.col_row"): str(r.row),
                t("post_csv.col_account"): r.account,
                t("post_csv.col_time"): r.local.strftime("%Y-%m-%d %H:%M") if r.local else "",
                t("post_csv.col_zone"): r.timezone,
                t("post_csv.col_title"): r.title,
                t("post_csv.col_body"): r.body if len(r.body) <= 120 else r.body[:119] + "…",
                t("post_csv.col_link"): r.link,
                t("post_csv.col_campaign"): r.campaign,
                t("post_csv.col_phase"): r.phase,
            }
            for r in rows[:500]
        ],
        hide_index=True,
        width="stretch",
    )


st.title(t("page.posts_csv"))
st.caption(t("post_csv.help"))
if "post_csv_flash" in st.session_state:
    st.success(st.session_state.pop("post_csv_flash"))

st.subheader(t("post_csv.template_header"))
st.caption(t("post_csv.template_help", columns=", ".join(post_csv.columns())))
st.download_button(
    t("post_csv.download_template"), post_csv.template(), file_name="festa-posts-template.csv", mime="text/csv"
)

st.subheader(t("post_csv.import_header"))
if not may_compose:
    st.info(t("post_csv.no_permission"))
else:
    n_uploads = st.session_state.get("post_csv_uploads", 0)  # a new key empties the uploader after an import
    upload = st.file_uploader(t("post_csv.upload"), type=["csv", "txt", "tsv"], key=f"post_csv_upload_{n_uploads}")
    if upload is not None:
        data, name = upload.getvalue(), upload.name
        checked = post_csv.import_posts(c, actor, data, name, dry_run=True)
        if checked.rows:
            show_preview(checked.rows)
        if checked.problems:
            show_problems(checked.problems)
        else:
            st.success(t("post_csv.ready", n=len(checked.rows)))
            if st.button(t("post_csv.import_button", n=len(checked.rows)), type="primary"):
                done = post_csv.import_posts(c, actor, data, name)
                if done.problems:  # something changed since the check (an account renamed meanwhile)
                    show_problems(done.problems)
                else:
                    st.session_state["post_csv_flash"] = t("post_csv.imported", n=len(done.created), file=name)
                    st.session_state["post_csv_uploads"] = n_uploads + 1
                    st.rerun()

st.subheader(t("post_csv.export_header"))
st.caption(t("post_csv.export_help"))
today = datetime.now(zone).date()
days = st.date_input(t("post_csv.days"), value=(today, today + timedelta(days=30)))
first, last = (days[0], days[-1]) if isinstance(days, tuple) and days else (today, today)
if st.button(t("post_csv.prepare_export")):
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    st.session_state["post_csv_export"] = post_csv.export_posts(c, actor, start, end)
if "post_csv_export" in st.session_state:
    st.download_button(
        t("post_csv.download_export"),
        st.session_state["post_csv_export"],
        file_name=f"festa-posts-{first:%Y%m%d}-{last:%Y%m%d}.csv",
        mime="text/csv",
    )

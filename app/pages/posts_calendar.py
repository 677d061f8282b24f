"""The posts calendar: a week or a month of posts across channels in the workspace's time zone, filtered by
campaign, channel and state (the filters stay while one visits other pages); move a post to another slot; the
drafts that have no time yet. Every post links to its review page. The KOL deals' deliverables show beside the
posts at their due time (with the deal's status and an overdue mark; the campaign filter applies, and a switch
hides them); they are moved and marked published on their deal, not here."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st
from babel import dates as bdates

from app.services import channel_accounts, kol_schedule, planning, posts, publish_views
from app.ui import format as fmt
from app.ui import post_widgets as pw
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns import schedule_time as sched
from campaigns.access import Permission, allows
from campaigns.publishing import Action, allowed

lang = language()
c = container()
actor = current_actor()
ws_tz = c.settings.timezone
tz = ZoneInfo(ws_tz)
FLASH = "posts_flash"
NONE = t("common.none")
today = c.clock().astimezone(tz).date()

st.title(t("page.posts_calendar"))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)


def persisted(store: str, default):
    """A filter kept under ``store`` (a plain key, which Streamlit keeps across pages) and drawn by a widget
    under ``_store`` (whose state Streamlit drops when another page runs)."""
    if store not in st.session_state:
        st.session_state[store] = default
    st.session_state[f"_{store}"] = st.session_state[store]
    return {"key": f"_{store}", "on_change": keep, "args": (store,)}


def keep(store: str) -> None:
    st.session_state[store] = st.session_state[f"_{store}"]


# --- filters -----------------------------------------------------------------------------------------------------
campaigns = planning.campaigns(c, actor)
campaign_labels = {0: t("posts.all_campaigns"), **{k.id: k.name for k in campaigns}}
if st.session_state.get("posts_campaign") not in campaign_labels:
    st.session_state.pop("posts_campaign", None)
channel_labels = {ch: pw.channel_name(ch) for ch in channel_accounts.channels()}
state_labels = {s: pw.state_name(s) for s in publish_views.states()}
views = {"week": t("posts.week"), "month": t("posts.month")}

cols = st.columns([2, 2, 2, 1])
campaign_id = cols[0].selectbox(
    t("posts.campaign"), list(campaign_labels), format_func=campaign_labels.get, **persisted("posts_campaign", 0)
)
channels = cols[1].multiselect(
    t("posts.channels"),
    list(channel_labels),
    format_func=channel_labels.get,
    placeholder=t("posts.choose"),
    **persisted("posts_channels", []),
)
states = cols[2].multiselect(
    t("posts.states"),
    list(state_labels),
    format_func=state_labels.get,
    placeholder=t("posts.choose"),
    **persisted("posts_states", []),
)
view = cols[3].radio(t("posts.view"), list(views), format_func=views.get, **persisted("posts_view", "week"))
show_kol = st.toggle(t("posts.show_kol"), help=t("posts.show_kol_help"), **persisted("posts_kol", True))

if "posts_anchor" not in st.session_state:
    st.session_state["posts_anchor"] = today


def shift(direction: int) -> None:
    anchor = st.session_state["posts_anchor"]
    if direction == 0:
        st.session_state["posts_anchor"] = today
    elif st.session_state.get("posts_view", "week") == "week":
        st.session_state["posts_anchor"] = anchor + timedelta(days=7 * direction)
    else:
        month = anchor.year * 12 + anchor.month - 1 + direction
        st.session_state["posts_anchor"] = date(month // 12, month % 12 + 1, 1)


anchor: date = st.session_state["posts_anchor"]
if view == "week":
    first = anchor - timedelta(days=anchor.weekday())
    last = first + timedelta(days=6)
    grid_start, grid_end = first, last
else:
    first = anchor.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())

nav = st.columns([1, 1, 1, 5])
nav[0].button(t("posts.prev"), key="posts_prev", on_click=shift, args=(-1,))
nav[1].button(t("posts.today"), key="posts_today", on_click=shift, args=(0,))
nav[2].button(t("posts.next"), key="posts_next", on_click=shift, args=(1,))
nav[3].markdown(t("posts.range", start=fmt.day(first, lang), end=fmt.day(last, lang), zone=ws_tz))


def utc(d: date) -> datetime:
    return datetime.combine(d, time(0, 0), tzinfo=tz).astimezone(UTC)


shown = publish_views.calendar(
    c,
    actor,
    utc(first),
    utc(last + timedelta(days=1)),
    campaign_id=campaign_id or None,
    channels=tuple(channels),
    states=tuple(states),
)
deliverables = (
    kol_schedule.deliverables_between(
        c, actor, utc(first), utc(last + timedelta(days=1)), [campaign_id] if campaign_id else None
    )
    if show_kol
    else []
)
by_day: dict[date, list] = {}
for p in shown:
    by_day.setdefault(p.scheduled_at.astimezone(tz).date(), []).append(p)
kol_by_day: dict[date, list] = {}
for x in deliverables:
    kol_by_day.setdefault(x.due_at.astimezone(tz).date(), []).append(x)


def line(p) -> str:
    return (
        f"{pw.clock(p.scheduled_at, ws_tz)} {pw.channel_name(p.channel)} · {p.title or NONE} ({pw.state_name(p.state)})"
    )


def kind_name(kind: str) -> str:
    return t(f"kol.deliv_{kind}")


def platform_name(platform: str) -> str:
    return t(f"kol.platform_{platform}")


def deal_status(status: str) -> str:
    return t(f"deal.status_{status}")


def kol_line(x) -> str:
    text = t(
        "posts.kol_line",
        partner=x.partner,
        kind=kind_name(x.kind),
        platform=platform_name(x.platform),
        status=deal_status(x.status),
    )
    late = f" {t('posts.kol_overdue')}" if x.overdue else ""
    return f"{pw.clock(x.due_at, ws_tz)} {text}{late}"


def day_lines(d: date) -> list[str]:
    """Posts and KOL deliverables of a day, by time."""
    items = [(p.scheduled_at, 0, line(p)) for p in by_day.get(d, [])]
    items += [(x.due_at, 1, kol_line(x)) for x in kol_by_day.get(d, [])]
    return [text for _, _, text in sorted(items, key=lambda i: (i[0], i[1]))]


if view == "week":
    days = [first + timedelta(days=i) for i in range(7)]
    lines = {d: day_lines(d) for d in days}
    height = max((len(x) for x in lines.values()), default=0)
    st.dataframe(
        {pw.day_header(d): lines[d] + [""] * (height - len(lines[d])) for d in days},
        hide_index=True,
        width="stretch",
    )
else:
    names = bdates.get_day_names("abbreviated", locale=fmt.LOCALES[lang])
    weeks, d = [], grid_start
    while d <= grid_end:
        weeks.append([d + timedelta(days=i) for i in range(7)])
        d += timedelta(days=7)

    def cell(d: date) -> str:
        if d.month != first.month:
            return ""
        n, kols = len(by_day.get(d, [])), kol_by_day.get(d, [])
        if kols:
            late = f" {t('posts.kol_overdue')}" if any(x.overdue for x in kols) else ""
            return t("posts.day_count_kol", day=d.day, n=n, k=len(kols)) + late
        return t("posts.day_count", day=d.day, n=n) if n else str(d.day)

    st.dataframe(
        {names[i]: [cell(w[i]) for w in weeks] for i in range(7)},
        hide_index=True,
        width="stretch",
    )

LINK = t("posts.review")


def rows(items) -> list[dict]:
    return [
        {
            "#": p.id,
            t("col.time"): pw.moment(p.scheduled_at, ws_tz),
            t("col.account"): pw.account_label(p.account, p.channel),
            t("col.title"): p.title or NONE,
            t("col.status"): pw.state_name(p.state),
            t("posts.campaign"): p.campaign or NONE,
            LINK: pw.review_link(p.id),
        }
        for p in items
    ]


LINKS = {LINK: st.column_config.LinkColumn(display_text=t("posts.review_text"))}
st.subheader(t("posts.list", n=len(shown)))
if shown:
    st.dataframe(rows(shown), hide_index=True, width="stretch", column_config=LINKS)
else:
    st.caption(t("posts.none_in_range"))

# --- KOL deliverables (moved and marked published on their deal) -------------------------------------------------
if show_kol:
    st.subheader(t("posts.kol_list", n=len(deliverables)))
    if deliverables:
        st.dataframe(
            [
                {
                    t("kolcal.col_due"): pw.moment(x.due_at, ws_tz),
                    t("kolcal.col_partner"): x.partner,
                    t("kolcal.col_kind"): kind_name(x.kind),
                    t("kolcal.col_platform"): platform_name(x.platform),
                    t("posts.campaign"): x.campaign,
                    t("kolcal.col_status"): deal_status(x.status),
                    t("kolcal.col_owner"): x.owner or NONE,
                    t("kolcal.col_overdue"): t("posts.kol_overdue") if x.overdue else "",
                    t("kolcal.col_published"): x.published_url or NONE,
                }
                for x in deliverables
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("posts.kol_none"))
    st.caption(t("posts.kol_not_movable"))
    st.page_link("app/pages/kol_deals.py", label=t("posts.kol_open_deals"), icon="📝")

# --- move a post -------------------------------------------------------------------------------------------------
movable = [p for p in shown if allowed(p.state, Action.MOVE)]
if allows(actor.role, Permission.COMPOSE_POSTS) and movable:
    st.subheader(t("posts.move"))
    choices = {p.id: f"#{p.id} · {line(p)}" for p in movable}
    pid = st.selectbox(t("posts.move_which"), list(choices), format_func=choices.get, key="posts_move_post")
    post = next(p for p in movable if p.id == pid)
    st.page_link(pw.REVIEW_PAGE, label=t("posts.open_review", post=pid), query_params={"post": pid})
    here = post.scheduled_at.astimezone(ZoneInfo(post.timezone))
    cols = st.columns([2, 1, 2])
    new_day = cols[0].date_input(t("compose.date"), here.date(), key=f"posts_move_day_{pid}")
    new_time = cols[1].time_input(t("compose.time"), here.time().replace(tzinfo=None), key=f"posts_move_time_{pid}")
    cols[2].markdown(t("posts.move_zone", zone=post.timezone))
    local = datetime.combine(new_day, new_time.replace(second=0, microsecond=0))
    fold = None
    try:
        change = sched.classify(local, post.timezone)
    except sched.ScheduleTimeError:
        change = None
    if change and change[0] == "ambiguous_time":
        params = pw.readable_params("ambiguous_time", change[1])
        st.warning(t("compose_error.ambiguous_time", **params))
        folds = {
            0: t("compose.fold_earlier", at=params["earlier_utc"]),
            1: t("compose.fold_later", at=params["later_utc"]),
        }
        fold = st.radio(t("compose.fold"), list(folds), format_func=folds.get, key="posts_move_fold", horizontal=True)
    if st.button(t("posts.move_button"), key="posts_move"):
        try:
            posts.move(c, actor, pid, local, post.timezone, fold)
        except posts.PostRejected as err:
            pw.show_problems(err.problems)
        else:
            st.session_state[FLASH] = t(
                "posts.moved", post=pid, at=pw.local_text(local.isoformat()), zone=post.timezone
            )
            st.rerun()

# --- without a time ----------------------------------------------------------------------------------------------
waiting = publish_views.unscheduled(c, actor)
st.subheader(t("posts.unscheduled", n=len(waiting)))
if waiting:
    st.dataframe(rows(waiting), hide_index=True, width="stretch", column_config=LINKS)
    st.caption(t("posts.unscheduled_help"))
else:
    st.caption(t("posts.no_unscheduled"))

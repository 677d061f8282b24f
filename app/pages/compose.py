"""Compose one post for several channel accounts: a text per channel, media, a link tagged with the campaign's
UTM parameters, a time in a time zone (DST gaps and folds asked about, never guessed), an optional repeat; saved
as drafts (one per account and occurrence), or straight into review."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import streamlit as st

from app.services import channel_accounts, planning, posts, publish_views
from app.services.offer_exchange import slug
from app.ui import post_widgets as pw
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import t
from campaigns import compose
from campaigns import schedule_time as sched
from campaigns.access import Permission, allows
from campaigns.planning import Problem

c = container()
actor = current_actor()
ws_tz = c.settings.timezone
FLASH = "compose_flash"
FIELDS = ("compose_title", "compose_body", "compose_link", "compose_media", "compose_assignee")
MEDIA_TYPES = ["jpg", "jpeg", "png", "gif", "webp", "mp4"]

st.title(t("page.compose"))
if not allows(actor.role, Permission.COMPOSE_POSTS):
    st.info(t("compose.not_allowed"))
    st.stop()

accounts = channel_accounts.accounts(c, actor)
if not accounts:
    st.info(t("compose.no_accounts"))
    st.stop()
by_id = {a.id: a for a in accounts}
labels = {a.id: pw.account_label(a.name, a.channel) for a in accounts}

if flash := st.session_state.pop(FLASH, None):
    st.success(flash["text"])
    for pid in flash["ids"][:10]:
        st.page_link(pw.REVIEW_PAGE, label=t("compose.open_post", post=pid), query_params={"post": pid})

# --- what and where ----------------------------------------------------------------------------------------------
chosen = st.multiselect(t("compose.accounts"), list(labels), format_func=labels.get, key="compose_accounts")
campaigns = planning.campaigns(c, actor)
campaign_labels = {0: t("compose.no_campaign"), **{k.id: f"{k.name} · {t(f'status.{k.status}')}" for k in campaigns}}
campaign_id = st.selectbox(
    t("compose.campaign"), list(campaign_labels), format_func=campaign_labels.get, key="compose_campaign"
)
campaign = next((k for k in campaigns if k.id == campaign_id), None)
phase_labels = {0: t("compose.no_phase"), **(publish_views.phases(c, actor, campaign_id) if campaign_id else {})}
phase_id = st.selectbox(t("compose.phase"), list(phase_labels), format_func=phase_labels.get, key="compose_phase")
title = st.text_input(t("compose.title"), key="compose_title", max_chars=200)
body = st.text_area(t("compose.body"), key="compose_body", height=160)

# variants are read before they are drawn (their expander comes after the counts): the state holds this run's text
variants = {aid: v for aid in chosen if (v := st.session_state.get(f"compose_variant_{aid}", "")).strip()}
uploads = st.session_state.get("compose_media") or []
has_media = bool(uploads)
link = st.session_state.get("compose_link", "")  # drawn below; counted here as it goes out


def utm(channel: str) -> dict[str, str] | None:
    if campaign is None:
        return None
    try:
        return compose.utm_for(slug(campaign.name), channel)
    except ValueError:  # a campaign name of punctuation only has no slug
        return None


def going_out(channel: str, text: str) -> str:
    """The text as the channel's connector sends it: UTM-tagged, with the link where the connector adds it."""
    tags, url = utm(channel), link.strip()
    if tags:
        text, url = compose.tag_text(text, tags), compose.tag_link(url, tags) if url else url
    return compose.outgoing_text(channel, text, url or None)


for aid in chosen:
    acct = by_id[aid]
    text = variants.get(aid, body)
    n = compose.count(acct.channel, going_out(acct.channel, text))
    most = compose.limits(acct.channel).max_length(has_media)
    which = t("compose.variant_own") if aid in variants else t("compose.variant_common")
    if most is None:
        st.caption(t("compose.count_no_limit", account=labels[aid], n=n, which=which))
    elif n > most:
        st.warning(t("compose.count_over", account=labels[aid], n=n, max=most, over=n - most, which=which))
    else:
        st.caption(t("compose.count", account=labels[aid], n=n, max=most, which=which))

with st.expander(t("compose.variants")):
    st.caption(t("compose.variants_help"))
    if not chosen:
        st.caption(t("compose.pick_accounts_first"))
    for aid in chosen:
        st.text_area(labels[aid], key=f"compose_variant_{aid}", height=100)

st.file_uploader(t("compose.media"), type=MEDIA_TYPES, accept_multiple_files=True, key="compose_media")
link = st.text_input(t("compose.link"), key="compose_link", placeholder="https://")
st.caption(t("compose.link_help"))

# --- when --------------------------------------------------------------------------------------------------------
default_tz = by_id[chosen[0]].timezone if chosen else ws_tz
if st.session_state.get("compose_tz_default") != default_tz:  # follow the first account until a person picks
    st.session_state["compose_tz_default"] = default_tz
    st.session_state["compose_tz"] = default_tz
zones = sorted(available_timezones() | {default_tz, ws_tz})
timed = st.checkbox(t("compose.timed"), value=True, key="compose_timed")
local_time, zone, fold, recurrence_wanted = None, default_tz, None, False
if timed:
    tomorrow = (c.clock().astimezone(ZoneInfo(ws_tz)) + timedelta(days=1)).date()
    cols = st.columns([2, 1, 2])
    day = cols[0].date_input(t("compose.date"), tomorrow, key="compose_date")
    at = cols[1].time_input(t("compose.time"), time(10, 0), key="compose_time", step=300)
    zone = cols[2].selectbox(t("compose.timezone"), zones, key="compose_tz")
    local_time = datetime.combine(day, at.replace(second=0, microsecond=0))
    try:
        change = sched.classify(local_time, zone)
    except sched.ScheduleTimeError:
        change = None
    if change and change[0] == "ambiguous_time":
        params = pw.readable_params("ambiguous_time", change[1])
        st.warning(t("compose_error.ambiguous_time", **params))
        folds = {
            0: t("compose.fold_earlier", at=params["earlier_utc"]),
            1: t("compose.fold_later", at=params["later_utc"]),
        }
        fold = st.radio(t("compose.fold"), list(folds), format_func=folds.get, key="compose_fold", horizontal=True)
    recurrence_wanted = st.checkbox(t("compose.repeat"), key="compose_repeat")
    if recurrence_wanted:
        freqs = {"daily": t("compose.daily"), "weekly": t("compose.weekly")}
        cols = st.columns(3)
        frequency = cols[0].selectbox(t("compose.frequency"), list(freqs), format_func=freqs.get, key="compose_freq")
        interval = cols[1].number_input(t("compose.interval"), 1, sched.MAX_INTERVAL, 1, key="compose_interval")
        times = cols[2].number_input(t("compose.occurrences"), 1, posts.MAX_SERIES, 4, key="compose_count")
        st.caption(t("compose.repeat_help", most=posts.MAX_SERIES))

manual = [a for a in chosen if by_id[a].connector == "manual"]
assignee = ""
if manual:
    assignee = st.text_input(t("compose.assignee"), key="compose_assignee", max_chars=200)
    st.caption(t("compose.assignee_help", accounts=", ".join(labels[a] for a in manual)))

# --- preview -----------------------------------------------------------------------------------------------------
st.subheader(t("compose.preview"))
if not chosen:
    st.caption(t("compose.pick_accounts_first"))
else:
    for aid, tab in zip(chosen, st.tabs([labels[a] for a in chosen]), strict=True):
        acct = by_id[aid]
        tags = utm(acct.channel)
        text = variants.get(aid, body)
        with tab:
            if title.strip():
                st.markdown(f"**{title.strip()}**")
            st.text(going_out(acct.channel, text))
            if link.strip() and acct.channel not in compose.LINK_IN_TEXT:
                st.text(compose.tag_link(link.strip(), tags) if tags else link.strip())
            if uploads:
                st.caption(t("compose.preview_media", n=len(uploads)))
            st.caption(compose.limits(acct.channel).note)
    if link.strip() and campaign is None:
        st.caption(t("compose.link_untagged"))

cols = st.columns(4)
save_draft = cols[0].button(t("compose.save_draft"), key="compose_save_draft")
save_submit = cols[1].button(t("compose.save_submit"), key="compose_save_submit", type="primary")


def use_suggested(suggested: str) -> None:
    when = datetime.fromisoformat(suggested)
    st.session_state["compose_date"], st.session_state["compose_time"] = when.date(), when.time()


def save(submit: bool) -> None:
    problems: list[Problem] = []
    media_ids: list[int] = []
    for index, f in enumerate(uploads):
        try:
            media_ids.append(publish_views.add_media(c, actor, f.name, f.type or "", f.getvalue()))
        except posts.PostRejected as err:
            problems += [Problem(p.field, p.code, {**p.params, "index": index, "file": f.name}) for p in err.problems]
    recurrence = None
    if recurrence_wanted:
        try:
            recurrence = sched.Recurrence(frequency, int(interval), count=int(times))
        except sched.ScheduleTimeError as err:
            problems.append(Problem("recurrence", err.code, err.params))
    if problems:
        pw.show_problems(problems)
        return
    draft = posts.Draft(
        body=body,
        account_ids=tuple(chosen),
        title=title,
        link=link.strip(),
        variants=variants,
        campaign_id=campaign_id or None,
        phase_id=phase_id or None,
        local_time=local_time,
        timezone=zone,
        fold=fold,
        media_ids=tuple(media_ids),
        assignee=assignee,
        recurrence=recurrence,
    )
    try:
        ids = posts.compose_posts(c, actor, draft)
        if submit:
            for pid in ids:
                posts.submit(c, actor, pid)
    except posts.PostRejected as err:
        pw.show_problems(err.problems)
        for p in err.problems:
            if p.code == "nonexistent_time" and "suggested" in p.params:
                st.button(
                    t("compose.use_suggested", at=pw.local_text(p.params["suggested"])),
                    key="compose_use_suggested",
                    on_click=use_suggested,
                    args=(p.params["suggested"],),
                )
                break
        return
    text = t("compose.submitted", n=len(ids)) if submit else t("compose.saved", n=len(ids))
    st.session_state[FLASH] = {"text": text, "ids": ids}
    for key in [*FIELDS, *(f"compose_variant_{a}" for a in chosen)]:
        st.session_state.pop(key, None)
    st.rerun()


if save_draft or save_submit:
    save(submit=bool(save_submit))

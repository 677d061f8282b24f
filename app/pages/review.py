"""Review posts: the queue of posts waiting for approval, and any one post (``?post=ID``) with its text, time,
history and send attempts, and what the reader's role may do with it now (four eyes: never one's own post)."""

from datetime import timedelta

import streamlit as st

from app.services import posts, publish_views
from app.ui import post_widgets as pw
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import t
from campaigns.access import Permission, allows
from campaigns.publishing import Action, allowed

c = container()
actor = current_actor()
ws_tz = c.settings.timezone
FLASH = "review_flash"
may_compose = allows(actor.role, Permission.COMPOSE_POSTS)
may_approve = allows(actor.role, Permission.APPROVE_POSTS)

fmt_none = t("common.none")
st.title(t("page.review"))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)


def label(p) -> str:
    return pw.account_label(p.account, p.channel)


def row(p) -> dict:
    return {
        "#": p.id,
        t("review.open"): pw.review_link(p.id),
        t("col.account"): label(p),
        t("col.title"): p.title or fmt_none,
        t("col.time"): pw.moment(p.scheduled_at, ws_tz),
        t("review.campaign"): p.campaign or fmt_none,
        t("col.status"): pw.state_name(p.state),
    }


queue = publish_views.review_queue(c, actor)
st.subheader(t("review.queue", n=len(queue)))
if queue:
    st.dataframe(
        [row(p) for p in queue],
        hide_index=True,
        width="stretch",
        column_config={t("review.open"): st.column_config.LinkColumn(display_text=t("review.open_text"))},
    )
else:
    st.caption(t("review.queue_empty"))

# --- one post ----------------------------------------------------------------------------------------------------
now = c.clock()
known = {p.id: p for p in queue}
for p in publish_views.unscheduled(c, actor) + publish_views.calendar(
    c, actor, now - timedelta(days=180), now + timedelta(days=400)
):
    known.setdefault(p.id, p)
wanted = st.query_params.get("post", "")
if wanted.isdigit() and int(wanted) not in known:
    try:
        known[int(wanted)] = publish_views.detail(c, actor, int(wanted)).post
    except posts.PostRejected:
        st.warning(t("review.no_such_post", post=wanted))
if not known:
    st.info(t("review.no_posts"))
    st.stop()
ids = [p.id for p in queue] + sorted((i for i in known if i not in {p.id for p in queue}), reverse=True)
choices = {i: f"#{i} · {label(known[i])} · {known[i].title or fmt_none} · {pw.state_name(known[i].state)}" for i in ids}
pid = st.selectbox(
    t("review.pick"),
    ids,
    index=ids.index(int(wanted)) if wanted.isdigit() and int(wanted) in ids else 0,
    format_func=choices.get,
)
st.query_params["post"] = str(pid)
d = publish_views.detail(c, actor, pid)
p = d.post

st.subheader(t("review.post_heading", post=p.id, title=p.title or fmt_none))
st.markdown(
    t(
        "review.meta",
        account=label(p),
        state=pw.state_name(p.state),
        revision=p.revision,
        campaign=p.campaign or fmt_none,
    )
)
if p.scheduled_at:
    st.markdown(t("review.when", at=pw.moment(p.scheduled_at, p.timezone), zone=p.timezone))
    if p.timezone != ws_tz:
        st.caption(t("review.when_here", at=pw.moment(p.scheduled_at, ws_tz), zone=ws_tz))
else:
    st.markdown(t("review.no_time"))
if p.approved:
    st.success(t("review.approved_revision", revision=p.revision))
if p.last_error:
    st.warning(t("review.last_error", error=p.last_error))
with st.container(border=True):
    st.text(p.body or fmt_none)
    if p.link:
        st.text(p.link)
    if d.media:
        st.caption(t("review.media", files=", ".join(d.media)))
    if p.assignee:
        st.caption(t("review.assignee", who=p.assignee))
if p.external_url:
    st.markdown(t("review.published_at", url=p.external_url))


def act(fn, done: str, *args, **kw) -> None:
    try:
        fn(c, actor, pid, *args, **kw)
    except posts.PostRejected as err:
        pw.show_problems(err.problems)
        return
    st.session_state[FLASH] = t(done, post=pid)
    st.rerun()


# --- what the reader may do --------------------------------------------------------------------------------------
if may_approve and allowed(p.state, Action.APPROVE):
    st.subheader(t("review.decide"))
    if actor.user_id is not None and p.author_id == actor.user_id:
        st.info(t("review.own_post"))
    else:
        note = st.text_area(t("review.decision_comment"), key=f"review_note_{pid}")
        st.caption(t("review.decision_help"))
        cols = st.columns(4)
        if cols[0].button(t("review.approve"), key="review_approve", type="primary"):
            act(posts.approve, "review.approved_done", p.revision, note)
        if cols[1].button(t("review.request_changes"), key="review_request_changes"):
            act(posts.request_changes, "review.changes_done", p.revision, note)

if may_compose:
    steps = [
        (Action.SUBMIT, "review.submit", posts.submit, "review.submitted_done"),
        (Action.SCHEDULE, "review.schedule", posts.schedule, "review.scheduled_done"),
        (Action.UNSCHEDULE, "review.unschedule", posts.unschedule, "review.unscheduled_done"),
        (Action.RETRY, "review.retry", posts.retry, "review.retried_done"),
    ]
    shown = [s for s in steps if allowed(p.state, s[0])]
    if shown:
        st.subheader(t("review.actions"))
        if p.state == "approved" and not p.approved:
            st.caption(t("review.approval_lapsed"))
        cols = st.columns(max(len(shown), 4))
        for col, (action, text, fn, done) in zip(cols, shown, strict=False):
            if col.button(t(text), key=f"review_{action}"):
                act(fn, done)
    if allowed(p.state, Action.EDIT):
        with st.expander(t("review.edit")):
            if p.approved or p.state not in ("draft", "in_review"):
                st.warning(t("review.edit_lapses"))
            key = f"{pid}_{p.revision}"
            new_title = st.text_input(t("compose.title"), p.title, key=f"review_title_{key}", max_chars=200)
            new_body = st.text_area(t("compose.body"), p.body, key=f"review_body_{key}", height=160)
            new_link = st.text_input(t("compose.link"), p.link or "", key=f"review_link_{key}")
            if st.button(t("review.save_edit"), key="review_save_edit"):
                act(posts.edit, "review.edited_done", p.revision, body=new_body, title=new_title, link=new_link)
    if allowed(p.state, Action.CANCEL):
        with st.expander(t("review.cancel")):
            why = st.text_input(t("review.cancel_reason"), key=f"review_cancel_reason_{pid}")
            if st.button(t("review.cancel_button"), key="review_cancel"):
                act(posts.cancel, "review.cancelled_done", why)

st.subheader(t("review.history"))
if d.history:
    st.dataframe(
        [
            {
                t("col.time"): pw.moment(e.at, ws_tz),
                t("review.actor"): e.actor,
                t("review.event"): pw.event_name(e.kind),
                t("review.revision"): e.revision,
                t("review.comment"): e.body,
            }
            for e in d.history
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("review.no_history"))
comment = st.text_area(t("review.add_comment"), key=f"review_comment_{pid}")
if st.button(t("review.comment_button"), key="review_comment_button"):
    act(posts.comment, "review.commented_done", comment)

st.subheader(t("review.attempts"))
if d.attempts:
    st.dataframe(
        [
            {
                t("review.attempt"): a.attempt,
                t("review.revision"): a.revision,
                t("col.worker"): a.worker,
                t("col.started"): pw.moment(a.started_at, ws_tz),
                t("review.finished"): pw.moment(a.finished_at, ws_tz),
                t("review.outcome"): a.outcome or fmt_none,
                t("col.detail"): a.message or fmt_none,
            }
            for a in d.attempts
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("review.no_attempts"))

"""Publishing health (everyone): workers, the queue, accounts that need attention, posts that need a
person (retry / resolve for those who may compose posts), hand-offs and KOL deliverables due soon or overdue per
person, and the sandbox outbox."""

from datetime import timedelta

import streamlit as st
from babel import dates as bdates

from app.services import handoffs, kol_schedule, posts, publish_views
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, message, t
from campaigns.access import Permission, allows
from campaigns.publishing import Action, PostState, allowed

lang = language()
c = container()
actor = current_actor()
tz = c.settings.timezone
now = c.clock()
can_act = allows(actor.role, Permission.COMPOSE_POSTS)
_FLASH = "health_flash"
FRESH = timedelta(minutes=1)
SHOWN = 50  # posts needing a person listed with their buttons


def _ago(then) -> str:
    return bdates.format_timedelta(
        then - now, granularity="second", threshold=1, add_direction=True, locale=fmt.LOCALES[lang]
    )


def _when(p) -> str:
    return fmt.moment(p.scheduled_at, p.timezone, lang) if p.scheduled_at else fmt.NONE


def _rejected(err: posts.PostRejected) -> str:
    return "\n\n".join(message(f"health_error.{p.code}", str(err), **dict(p.params)) for p in err.problems)


state_names = {s.value: t(f"post_state.{s.value}") for s in PostState}
health = publish_views.health(c, actor)

st.title(t("page.publishing_health"))
st.caption(t("health.help"))
if flash := st.session_state.pop(_FLASH, None):
    st.success(flash)

# workers
st.subheader(t("health.workers"))
if not any(now - w.beat_at <= FRESH for w in health.workers):
    st.warning(t("health.no_workers"))
if health.workers:
    st.dataframe(
        [
            {
                t("col.worker"): w.worker_id,
                t("health.col_host"): w.hostname,
                t("health.col_pid"): w.pid,
                t("col.last_beat"): _ago(w.beat_at),
                t("col.last_problem"): w.last_problem or fmt.NONE,
            }
            for w in health.workers
        ],
        hide_index=True,
        width="stretch",
    )

# queue
st.subheader(t("health.queue"))
left, right = st.columns([2, 1])
left.dataframe(
    [{t("health.col_state"): state_names[s], t("health.col_count"): health.by_state.get(s, 0)} for s in state_names],
    hide_index=True,
    width="stretch",
)
right.metric(t("health.overdue"), fmt.number(health.overdue, lang))
if health.overdue:
    right.warning(t("health.overdue_help"))

# accounts and platforms
st.subheader(t("health.accounts"))
if not (health.accounts_needing_reauth or health.paused_accounts or health.app_cooldowns):
    st.info(t("health.all_clear"))
if health.accounts_needing_reauth:
    st.markdown(f"**{t('health.reauth')}**")
    st.caption(t("health.reauth_help"))
    st.dataframe(
        [
            {t("col.account"): name, t("health.col_reason"): reason or fmt.NONE}
            for name, reason in health.accounts_needing_reauth
        ],
        hide_index=True,
        width="stretch",
    )
if health.paused_accounts:
    st.markdown(f"**{t('health.paused')}**")
    st.dataframe(
        [
            {t("col.account"): name, t("health.col_until"): fmt.moment(until, tz, lang)}
            for name, until in health.paused_accounts
        ],
        hide_index=True,
        width="stretch",
    )
if health.app_cooldowns:
    st.markdown(f"**{t('health.cooldowns')}**")
    st.dataframe(
        [
            {
                t("col.connector"): connector,
                t("health.col_until"): fmt.moment(until, tz, lang),
                t("health.col_reason"): text or fmt.NONE,
            }
            for connector, until, text in health.app_cooldowns
        ],
        hide_index=True,
        width="stretch",
    )

# posts that need a person
st.subheader(t("health.needs_person"))
if not health.needs_person:
    st.info(t("health.nothing_needs_person"))
elif not can_act:
    st.caption(t("health.read_only"))
for p in health.needs_person[:SHOWN]:
    with st.container(border=True):
        state = state_names[p.state]
        st.markdown(t("health.post_line", post=p.id, title=p.title, account=p.account, state=state, when=_when(p)))
        if p.last_error:
            st.caption(t("health.reason", reason=p.last_error))
        st.page_link("app/pages/review.py", label=t("health.open_review"), icon="🔎", query_params={"post": p.id})
        if not can_act:
            continue
        done = None
        try:
            if allowed(p.state, Action.RETRY):
                if st.button(t("health.retry"), key=f"retry_{p.id}"):
                    done = posts.retry(c, actor, p.id)
            if allowed(p.state, Action.RESOLVE_SENT):
                if p.state == PostState.HANDED_OFF:
                    st.warning(t("health.check_handed_off", assignee=p.assignee or t("health.someone")))
                else:
                    st.warning(t("health.check_first"))
                url = st.text_input(t("health.url"), key=f"url_{p.id}", placeholder="https://")
                went, not_out = st.columns(2)
                if went.button(t("health.went_out"), key=f"sent_{p.id}"):
                    done = posts.resolve(c, actor, p.id, went_out=True, url=url)
                if not_out.button(t("health.not_out"), key=f"resend_{p.id}"):
                    done = posts.resolve(c, actor, p.id, went_out=False)
        except posts.PostRejected as err:
            st.error(_rejected(err))
        if done is not None:
            st.session_state[_FLASH] = t("health.retried", post=p.id, state=state_names.get(done, done))
            st.rerun()

# hand-offs, per assignee: each sees theirs on the Overview (matched by e-mail or display name)
waiting = handoffs.waiting(c, actor)
if waiting:
    st.subheader(message("health.handoffs", "Hand-offs by assignee"))
    st.caption(
        message(
            "health.handoffs_help",
            "Each assignee sees their hand-offs on the Overview and marks them published there. "
            "An assignee that matches no user (by e-mail or display name) sees nothing: correct the assignee.",
        )
    )
    per: dict[str, list] = {}
    for h in waiting:
        per.setdefault(h.assignee, []).append(h)
    st.dataframe(
        [
            {
                t("compose_field.assignee"): who or fmt.NONE,
                message("health.col_user", "Festa user"): items[0].user or fmt.NONE,
                t("health.col_count"): len(items),
                t("col.time"): _when(items[0].post),
                t("health.col_post"): ", ".join(f"#{h.post.id}" for h in items),
            }
            for who, items in per.items()
        ],
        hide_index=True,
        width="stretch",
    )

# KOL deliverables due within 48 hours or overdue, per deal owner: each sees theirs on the Overview
reminders = kol_schedule.reminders(c, actor)
if reminders:
    st.subheader(t("health.kol"))
    st.caption(t("health.kol_help"))
    owners: dict[str, list] = {}
    for r in reminders:
        owners.setdefault(r.owner, []).append(r)
    late_mark = t("posts.kol_overdue")

    def _item(r) -> str:
        x = r.item
        text = f"{x.partner} · {t(f'kol.deliv_{x.kind}')} · {fmt.moment(x.due_at, tz, lang)}"
        return f"{text} {late_mark}" if x.overdue else text

    st.dataframe(
        [
            {
                t("kolcal.col_owner"): who or fmt.NONE,
                t("health.col_user"): items[0].user or fmt.NONE,
                t("health.kol_count"): len(items),
                t("health.kol_overdue"): sum(r.item.overdue for r in items),
                t("health.kol_next_due"): fmt.moment(items[0].item.due_at, tz, lang),
                t("health.kol_items"): "; ".join(_item(r) for r in items),
            }
            for who, items in owners.items()
        ],
        hide_index=True,
        width="stretch",
    )
    st.page_link("app/pages/kol_deals.py", label=t("posts.kol_open_deals"), icon="📝")

# the sandbox outbox
st.subheader(t("health.outbox"))
st.caption(t("health.outbox_help"))
sent = publish_views.outbox(c, actor)
if not sent:
    st.info(t("health.outbox_empty"))
else:
    st.dataframe(
        [
            {
                t("col.time"): fmt.moment(p.scheduled_at, p.timezone, lang) if p.scheduled_at else fmt.NONE,
                t("col.account"): p.account,
                t("col.channel"): t(f"channel.{p.channel}"),
                t("col.title"): p.title,
                t("health.col_body"): p.body,
                t("health.col_link"): p.external_url or p.link or fmt.NONE,
            }
            for p in sent
        ],
        hide_index=True,
        width="stretch",
    )

"""Channel accounts (admins): add an account, its time zone and posting limits, and test its connection."""

import streamlit as st

from app.services import channel_accounts as ca
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, message, t
from campaigns.planning import Problem

lang = language()
c = container()
actor = current_actor()
now = c.clock()
_FLASH = "chan_flash"


def _problems(err: ca.AccountRejected) -> str:
    lines = []
    for p in err.problems:
        label = message(f"account_field.{p.field}", p.field)
        text = message(f"account_error.{p.code}", p.code, **dict(p.params))
        lines.append(t("account_error.line", label=label, problem=text))
    return "\n\n".join(lines)


def _limit(n: int | None, empty: str) -> str:
    return empty if n is None else fmt.number(n, lang)


def _status(a: ca.AccountView) -> str:
    if a.needs_reauth:
        return t("chan.status_reauth", reason=a.status_detail or t("chan.no_reason"))
    if a.paused_until is not None and a.paused_until > now:
        return t("chan.status_paused", until=fmt.moment(a.paused_until, a.timezone, lang))
    return t("chan.status_ok")


_NOT_A_NUMBER = object()


def _int(text: str):
    """An empty box is no limit; a whole number is the limit; anything else is not a number."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return _NOT_A_NUMBER


def _shown(n: int | None) -> str:
    return "" if n is None else str(n)


channel_names = {ch: t(f"channel.{ch}") for ch in ca.channels()}

st.title(t("page.channel_accounts"))
st.caption(t("chan.help"))
if flash := st.session_state.pop(_FLASH, None):
    st.success(flash)

rows = ca.accounts(c, actor)
if rows:
    st.dataframe(
        [
            {
                t("col.account"): a.name,
                t("col.channel"): channel_names.get(a.channel, a.channel),
                t("col.connector"): a.connector,
                t("col.timezone"): a.timezone,
                t("chan.col_per_hour"): _limit(a.max_per_hour, t("chan.unlimited")),
                t("chan.col_per_day"): _limit(a.max_per_day, t("chan.unlimited")),
                t("chan.col_lateness"): _limit(a.max_lateness_minutes, t("chan.channel_default")),
                t("col.status"): _status(a),
                t("chan.col_fields"): ", ".join(a.fields) or fmt.NONE,
            }
            for a in rows
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info(t("chan.none"))

st.subheader(t("chan.add"))
with st.form("add_account", clear_on_submit=False):
    name = st.text_input(t("chan.name"), max_chars=ca.MAX_NAME, key="chan_new_name")
    left, right = st.columns(2)
    connector = left.selectbox(t("chan.connector"), ca.connectors(), key="chan_new_connector")
    channel = right.selectbox(
        t("chan.channel"), list(channel_names), format_func=channel_names.get, key="chan_new_channel"
    )
    zone = st.text_input(t("chan.timezone"), value=c.settings.timezone, key="chan_new_zone")
    add = st.form_submit_button(t("chan.add_button"), type="primary")
if add:
    try:
        ca.add_account(c, actor, name, connector, channel, zone.strip())
    except ca.AccountRejected as err:
        st.error(_problems(err))
    else:
        st.session_state[_FLASH] = t("chan.added", name=name.strip())
        st.rerun()

if rows:
    st.divider()
    labels = {a.id: f"{a.name} ({channel_names.get(a.channel, a.channel)} · {a.connector})" for a in rows}
    by_id = {a.id: a for a in rows}
    chosen = st.selectbox(t("chan.selected"), list(labels), format_func=labels.get, key="chan_account")
    a = by_id[chosen]

    if a.fields:
        st.markdown(t("chan.fields", connector=a.connector, fields=", ".join(f"`{f}`" for f in a.fields)))
    else:
        st.markdown(t("chan.no_fields", connector=a.connector))
    st.page_link("app/pages/credentials.py", label=t("chan.credentials_link"), icon="🔑")

    if st.button(t("chan.test"), key=f"chan_test_{a.id}", help=t("chan.test_help")):
        result = ca.test_connection(c, actor, a.id)
        outcome = message(f"outcome.{result.outcome}", result.outcome)
        if result.ok:
            st.success(t("chan.test_ok", account=a.name, outcome=outcome, detail=result.message))
        else:
            st.warning(t("chan.test_failed", account=a.name, outcome=outcome, detail=result.message))

    st.subheader(t("chan.settings"))
    st.caption(t("chan.limits_help"))
    with st.form(f"settings_{a.id}"):
        zone = st.text_input(t("chan.timezone"), value=a.timezone, key=f"chan_zone_{a.id}")
        hour, day, late = st.columns(3)
        per_hour = hour.text_input(t("chan.max_per_hour"), value=_shown(a.max_per_hour), key=f"chan_hour_{a.id}")
        per_day = day.text_input(t("chan.max_per_day"), value=_shown(a.max_per_day), key=f"chan_day_{a.id}")
        lateness = late.text_input(
            t("chan.max_lateness"), value=_shown(a.max_lateness_minutes), key=f"chan_late_{a.id}"
        )
        save = st.form_submit_button(t("chan.save"), type="primary")
    entered = {"max_per_hour": per_hour, "max_per_day": per_day, "max_lateness_minutes": lateness}
    not_numbers = [f for f, v in entered.items() if _int(v) is _NOT_A_NUMBER]
    if save and not_numbers:
        st.error(_problems(ca.AccountRejected([Problem(f, "not_a_number", {}) for f in not_numbers])))
    elif save:
        try:
            ca.update_settings(c, actor, a.id, timezone=zone.strip(), **{f: _int(v) for f, v in entered.items()})
        except ca.AccountRejected as err:
            st.error(_problems(err))
        else:
            st.session_state[_FLASH] = t("chan.saved", name=a.name)
            st.rerun()

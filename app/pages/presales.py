"""Presale deposits (定金膨胀): define the presale of an offer (deposit, what it counts for, deposit and
final windows), play one order through time, and see stored presales with their orders by state."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import presales
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import to_minor
from campaigns.access import Permission, allows
from campaigns.promotions import presale as p
from campaigns.promotions.money import Money

lang = language()
c = container()
actor = current_actor()
cur = c.settings.currency
tz_name = c.settings.timezone
tz = ZoneInfo(tz_name)
may_edit = allows(actor.role, Permission.EDIT_PROMOTIONS)
STATES = {s: t(f"presale.state_{s}") for s in p.PresaleState}
ACTIONS = {a: t(f"presale.action_{a}") for a in ("pay", "cancel", "none")}
today = c.clock().astimezone(tz).date()
YEAR = today.year + ((today.month, today.day) >= (10, 24))  # the next Double 11 presale


def money(minor: int, currency: str | None = None) -> str:
    return fmt.money(Money(minor, currency or cur), lang)


def moment(dt: datetime) -> str:
    return fmt.moment(dt, tz_name, lang)


def when(name: str, label: str, day: date, at: time) -> tuple[date, time]:
    cols = st.columns([2, 1])
    return cols[0].date_input(label, day, key=f"{name}_day"), cols[1].time_input(t("presale.time"), at, key=name)


def instant(picked: tuple[date, time], end: bool = False) -> datetime:
    """A local day and minute as a UTC instant; an inclusive end runs to the end of its minute."""
    local = datetime.combine(picked[0], picked[1].replace(second=0, microsecond=0), tzinfo=tz)
    return (local + (timedelta(minutes=1, microseconds=-1) if end else timedelta(0))).astimezone(UTC)


def show_problems(problems) -> None:
    for x in problems:
        message = t(f"presale_error.{x.code}", **x.params)
        st.error(t("presale.problem", field=t(f"presale.field_{x.field}"), message=message))


st.title(t("page.presales"))
st.caption(t("presale.help"))
with st.form("presale"):
    cols = st.columns(3)
    offer_key = cols[0].text_input(t("presale.offer_key"), "d11-presale", max_chars=64, key="offer_key")
    deposit = cols[1].number_input(t("presale.deposit", cur=cur), 0.0, value=50.0, key="deposit")
    worth = cols[2].number_input(t("presale.worth", cur=cur), 0.0, value=100.0, key="worth")
    refundable = st.checkbox(t("presale.refundable"), key="refundable")
    st.caption(t("presale.times_help", tz=tz_name))
    left, right = st.columns(2)
    with left:
        dep_from = when("deposit_from", t("presale.deposit_from"), date(YEAR, 10, 24), time(20, 0))
        dep_until = when("deposit_until", t("presale.deposit_until"), date(YEAR, 10, 31), time(19, 59))
    with right:
        fin_from = when("final_from", t("presale.final_from"), date(YEAR, 10, 31), time(20, 0))
        fin_until = when("final_until", t("presale.final_until"), date(YEAR, 11, 3), time(23, 59))
    st.subheader(t("presale.simulate"))
    cols = st.columns(3)
    units = cols[0].number_input(t("presale.units"), 1, 1_000, 1, key="units")
    price = cols[1].number_input(t("presale.unit_price", cur=cur), 0.0, value=300.0, key="price")
    action = cols[2].selectbox(t("presale.action"), list(ACTIONS), format_func=ACTIONS.get, key="action")
    left, right = st.columns(2)
    with left:
        act_at = when("act_at", t("presale.act_at"), date(YEAR, 11, 1), time(10, 0))
    with right:
        settle_at = when("settle_at", t("presale.settle_at"), date(YEAR, 11, 4), time(0, 0))
    cols = st.columns(6)
    played = cols[0].form_submit_button(t("presale.play"), type="primary")
    saved = cols[1].form_submit_button(t("presale.save")) if may_edit else False

plan = p.Presale(
    offer_key.strip(),
    to_minor(deposit, cur),
    to_minor(worth, cur),
    instant(dep_from),
    instant(dep_until, end=True),
    instant(fin_from),
    instant(fin_until, end=True),
    refundable,
)
if saved:
    try:
        presales.define(
            c,
            actor,
            plan.offer_key,
            plan.deposit_minor,
            plan.worth_minor,
            plan.deposit_from,
            plan.deposit_until,
            plan.final_from,
            plan.final_until,
            plan.deposit_refundable,
        )
        st.session_state["presale_flash"] = t("presale.saved", offer=plan.offer_key)
        st.rerun()
    except presales.PresaleRejected as err:
        show_problems(err.problems)
if flash := st.session_state.pop("presale_flash", None):
    st.success(flash)

if played:
    problems = p.validate_presale(plan)
    show_problems(problems)
    if problems:
        st.stop()
    n = int(units)
    order = p.pay_deposit(plan, "buyer", n, plan.deposit_from)
    paid = t("presale.paid_deposit", paid=money(order.deposit_paid_minor), units=n, worth=money(plan.worth_minor * n))
    log = [(plan.deposit_from, paid, order.state)]
    acted = instant(act_at)
    if action == "pay":
        try:
            order = p.pay_final(plan, order, to_minor(price, cur), acted)
            log.append((acted, t("presale.paid_final", due=money(order.final_paid_minor)), order.state))
        except p.PresaleRefused as err:
            log.append((acted, t("presale.final_refused", why=t(f"presale.refused_{err.code}")), order.state))
    elif action == "cancel":
        order = p.cancel(plan, order, acted)
        log.append((acted, t("presale.cancelled"), order.state))
    settled = instant(settle_at)
    order = p.settle(plan, order, settled)
    log.append((settled, t("presale.settled"), order.state))
    st.dataframe(
        [{t("col.time"): moment(at), t("presale.event"): what, t("col.status"): STATES[s]} for at, what, s in log],
        hide_index=True,
        width="stretch",
    )
    cols = st.columns(4)
    cols[0].metric(t("col.status"), STATES[order.state])
    cols[1].metric(t("presale.final_paid"), money(order.final_paid_minor))
    cols[2].metric(t("presale.refunded"), money(order.refunded_minor))
    cols[3].metric(t("presale.kept"), money(order.kept_minor))

st.subheader(t("presale.stored"))
stored = presales.presales(c, actor)
if not stored:
    st.caption(t("presale.none_stored"))
else:
    st.dataframe(
        [
            {
                t("presale.offer_key"): x.offer_key,
                t("presale.field_deposit_minor"): money(x.deposit_minor, x.currency),
                t("presale.field_worth_minor"): money(x.worth_minor, x.currency),
                t("presale.deposit_window"): t(
                    "presale.window", start=moment(x.deposit_from), end=moment(x.deposit_until)
                ),
                t("presale.final_window"): t("presale.window", start=moment(x.final_from), end=moment(x.final_until)),
                t("presale.refundable"): t("presale.yes") if x.deposit_refundable else t("presale.no"),
                **{label: x.count(s) for s, label in STATES.items()},
            }
            for x in stored
        ],
        hide_index=True,
        width="stretch",
    )
RANK = {s: i for i, s in enumerate(STATES)}
for x in stored:
    with st.expander(t("presale.orders_of", offer=x.offer_key, n=len(x.orders))):
        if not x.orders:
            st.caption(t("presale.no_orders"))
            continue
        rows = sorted(x.orders, key=lambda o: (RANK.get(o.state, 9), o.deposit_paid_at))
        st.dataframe(
            [
                {
                    t("col.status"): STATES.get(o.state, o.state),
                    t("presale.order_ref"): o.order_ref,
                    t("presale.units"): o.units,
                    t("presale.deposit_paid"): money(o.deposit_minor),
                    t("presale.final_paid"): money(o.final_minor),
                    t("presale.refunded"): money(o.refunded_minor),
                    t("col.time"): moment(o.deposit_paid_at),
                    t("presale.settled_at"): moment(o.settled_at) if o.settled_at else "–",
                }
                for o in rows
            ],
            hide_index=True,
            width="stretch",
        )

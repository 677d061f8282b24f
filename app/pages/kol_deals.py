"""KOL deals of a campaign: invite a partner with deliverables and a brief (tracking link, personal coupon code),
then move each deal along invited → agreed → submitted → approved → published → verified → paid, with comments,
published URLs and payments. The rules are campaigns.kol_deals; the service app.services.kol_deals."""

from datetime import datetime, time
from decimal import Decimal

import pandas as pd
import streamlit as st

from app.services import kol_deals as deals
from app.services import kol_roster as kr
from app.services import offers, planning
from app.services.kol_roster import KolRejected
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.catalog import CATALOG
from app.ui.container import container
from app.ui.i18n import language, t, translate
from campaigns import kol, schedule_time
from campaigns import kol_deals as kd
from campaigns.access import Permission, allows
from campaigns.promotions.money import Money, exponent

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_KOL_DEALS)
PLATFORMS = {p.value: t(f"kol.platform_{p}") for p in kol.Platform}
DELIVERABLES = {d.value: t(f"kol.deliv_{d}") for d in kol.Deliverable}
STATUSES = {s.value: t(f"deal.status_{s}") for s in kd.Status}
NO_OFFER = ""


def money(minor: int, currency: str) -> str:
    return fmt.money(Money(minor, currency), lang)


def problem_text(p) -> str:
    key = f"kol_error.{p.code}"
    if key not in CATALOG:
        return p.code
    try:
        return t(key, **p.params)
    except (KeyError, IndexError, ValueError):
        return CATALOG[key].get(lang, p.code)


def field_label(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "deliverables" and len(parts) == 3:
        return f"{t('deal.deliverable_n', n=int(parts[1]) + 1)} · {t(f'deal.field_{parts[2]}')}"
    key = f"deal.field_{parts[0]}"
    return t(key) if key in CATALOG else name


def show_problems(problems) -> None:
    st.error(t("kol.problems", n=len(problems)))
    for p in problems:
        st.error(f"{field_label(p.field)}: {problem_text(p)}")


def lines(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.splitlines() if x.strip())


def to_minor(amount, currency: str) -> int:
    """A typed major amount (a number) in minor units, half-up; NaN / empty → 0."""
    if amount is None or pd.isna(amount):
        return 0
    return kd.to_minor(Decimal(str(amount)), currency)


st.title(t("page.kol_deals"))
camps = planning.campaigns(c, actor)
if not camps:
    st.info(t("deal.no_campaigns"))
    st.stop()
names = {k.id: k.name for k in camps}
running = [k.id for k in camps if k.status == "running"]
if st.session_state.get("deal_campaign") not in names:  # first visit, or set by the roster's shortlist
    st.session_state["deal_campaign"] = running[0] if running else camps[0].id
cid = st.selectbox(t("deal.campaign"), list(names), format_func=lambda i, n=names: n[i], key="deal_campaign")
camp = next(k for k in camps if k.id == cid)
plan = camp.plan
views = deals.deals(c, actor, campaign_id=cid)

if flash := st.session_state.pop("deal_flash", None):
    st.success(flash)

# --- the campaign's deals at a glance -------------------------------------------------------------------------------
if views:
    committed = sum(v.fee_campaign_minor for v in views if v.status in kd.COMMITTED)
    late = sum(len(v.overdue) for v in views)
    a, b, d = st.columns(3)
    a.metric(t("deal.n_deals"), len(views))
    b.metric(t("deal.committed"), money(committed, plan.currency))
    d.metric(t("deal.overdue"), late)
    st.dataframe(
        [
            {
                t("deal.col_partner"): v.partner_name,
                t("deal.col_status"): STATUSES[v.deal.status],
                t("deal.col_deliverables"): len(v.deliverables),
                t("deal.col_fee"): money(v.fee_minor, v.deal.currency),
                t("deal.col_fee_campaign"): money(v.fee_campaign_minor, plan.currency),
                t("deal.col_paid"): money(v.paid_minor, v.deal.currency),
                t("deal.col_code"): v.deal.tracking_code,
                t("deal.col_overdue"): f"⚠ {len(v.overdue)}" if v.overdue else "",
            }
            for v in views
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info(t("deal.none_yet"))

tab_deal, tab_new = st.tabs([t("deal.tab_deal"), t("deal.tab_new")])


def deliverables_editor(key: str, rows: list[dict], currency: str):
    return st.data_editor(
        pd.DataFrame(rows, columns=["kind", "platform", "due", "fee", "rights", "usage_days", "exclusivity_days"]),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "kind": st.column_config.SelectboxColumn(
                t("deal.field_kind"), options=list(DELIVERABLES), format_func=lambda k, d=DELIVERABLES: d.get(k, k),
                required=True,
            ),
            "platform": st.column_config.SelectboxColumn(
                t("deal.field_platform"), options=list(PLATFORMS), format_func=lambda k, d=PLATFORMS: d.get(k, k),
                required=True,
            ),
            "due": st.column_config.DatetimeColumn(
                t("deal.field_due_at_zone", zone=plan.timezone), format="YYYY-MM-DD HH:mm", required=True
            ),
            "fee": st.column_config.NumberColumn(t("deal.field_fee_in", currency=currency), min_value=0, required=True),
            "rights": st.column_config.TextColumn(t("deal.field_usage_rights"), max_chars=200),
            "usage_days": st.column_config.NumberColumn(t("deal.field_usage_days"), min_value=1, step=1),
            "exclusivity_days": st.column_config.NumberColumn(t("deal.field_exclusivity_days"), min_value=0, step=1),
        },
    )  # fmt: skip


def read_deliverables(frame: pd.DataFrame, currency: str) -> tuple[list[kd.DeliverableDraft], list[str]]:
    items, errors = [], []
    for n, r in enumerate(frame.to_dict("records"), start=1):
        if r.get("due") is None or pd.isna(r.get("due")):
            errors.append(f"{t('deal.deliverable_n', n=n)} · {t('deal.field_due_at')}: {t('kol_error.required')}")
            continue
        local = pd.Timestamp(r["due"]).to_pydatetime().replace(tzinfo=None)
        try:
            due = schedule_time.to_utc(local, plan.timezone)
        except schedule_time.ScheduleTimeError as e:
            errors.append(f"{t('deal.deliverable_n', n=n)} · {t('deal.field_due_at')}: {e}")
            continue
        days = r.get("usage_days")
        items.append(
            kd.DeliverableDraft(
                r.get("kind") or "",
                r.get("platform") or "",
                due,
                to_minor(r.get("fee"), currency),
                str(r.get("rights") or ""),
                None if days is None or pd.isna(days) else int(days),
                int(r.get("exclusivity_days") or 0) if not pd.isna(r.get("exclusivity_days")) else 0,
            )
        )
    return items, errors


def brief_fields(prefix: str, b: kd.Brief) -> kd.Brief:
    return kd.Brief(
        key_messages=st.text_area(t("deal.field_key_messages"), b.key_messages, key=f"{prefix}_msg"),
        must_say=lines(st.text_area(t("deal.field_must_say"), "\n".join(b.must_say), key=f"{prefix}_must")),
        must_not_say=lines(st.text_area(t("deal.field_must_not_say"), "\n".join(b.must_not_say), key=f"{prefix}_not")),
        hashtags=lines(st.text_area(t("deal.field_hashtags"), "\n".join(b.hashtags), key=f"{prefix}_tags")),
        links=lines(st.text_area(t("deal.field_links"), "\n".join(b.links), key=f"{prefix}_links")),
        landing_url=st.text_input(t("deal.field_landing_url"), b.landing_url, key=f"{prefix}_landing"),
    )


def rate_field(prefix: str, currency_value: str, rate_value) -> tuple[str, object]:
    a, b = st.columns(2)
    currency = a.text_input(t("deal.field_currency"), currency_value, max_chars=3, key=f"{prefix}_cur").upper()
    rate = b.text_input(
        t("deal.field_fx_rate_to", to=plan.currency), "" if rate_value is None else str(rate_value),
        help=t("deal.fx_help", to=plan.currency), key=f"{prefix}_rate",
    )  # fmt: skip
    return currency, rate


# --- a new deal -----------------------------------------------------------------------------------------------------
with tab_new:
    if not may_edit:
        st.info(t("deal.read_only"))
    else:
        roster = kr.roster(c, actor).partners
        taken = {v.deal.partner_id for v in views}
        free = {p.id: p for p in roster if p.id not in taken}
        if not free:
            st.info(t("deal.everyone_invited"))
        else:
            wanted = st.session_state.get("deal_partner")
            order = list(free)
            pid = st.selectbox(
                t("deal.field_partner"),
                order,
                index=order.index(wanted) if wanted in free else 0,
                format_func=lambda i, f=free: f"{f[i].draft.name} · @{f[i].draft.accounts[0].handle}",
                key="deal_new_partner",
            )
            p = free[pid].draft
            card = sorted(p.rate_card.items(), key=lambda kv: kv[1])
            first_kind, first_fee = card[0] if card else (kol.Deliverable.SHORT_VIDEO.value, 0)
            mid = plan.phases[len(plan.phases) // 2].starts_at if plan.phases else plan.starts_at
            due_local = schedule_time.to_local(mid, plan.timezone).date()
            start_row = {
                "kind": first_kind,
                "platform": p.accounts[0].platform,
                "due": datetime.combine(due_local, time(20, 0)),
                "fee": first_fee / 10 ** exponent(p.currency),
                "rights": "",
                "usage_days": None,
                "exclusivity_days": 0,
            }
            camp_offers = [o.offer for o in offers.offers(c, actor) if o.campaign_id in (None, cid) and o.active]
            offer_names = {NO_OFFER: t("deal.no_offer")} | {o.key: o.name for o in camp_offers}
            with st.form(f"deal_new_{pid}"):
                st.caption(t("deal.deliverables_help", zone=plan.timezone))
                frame = deliverables_editor(f"deal_new_items_{pid}", [start_row], p.currency)
                currency, rate_text = rate_field(f"deal_new_{pid}", p.currency, None)
                a, b = st.columns(2)
                code = a.text_input(t("deal.field_tracking_code"), help=t("deal.code_help"), key=f"deal_code_{pid}")
                offer_key = b.selectbox(
                    t("deal.field_offer_key"), list(offer_names), format_func=lambda k, o=offer_names: o[k],
                    help=t("deal.offer_help"), key=f"deal_offer_{pid}",
                )  # fmt: skip
                owner = st.text_input(t("deal.field_owner"), actor.email, help=t("deal.owner_help"))
                brief = brief_fields(f"deal_new_{pid}", kd.Brief())
                if st.form_submit_button(t("deal.invite"), type="primary"):
                    items, errors = read_deliverables(frame, currency)
                    try:
                        rate = kd.parse_rate(rate_text)
                    except ValueError:
                        errors.append(f"{t('deal.field_fx_rate')}: {t('kol_error.rate_not_a_number')}")
                        rate = None
                    if errors:
                        for e in errors:
                            st.error(e)
                    else:
                        try:
                            new = deals.create_deal(
                                c, actor, cid, pid, kd.DealDraft(currency, tuple(items), brief, rate),
                                code=code, offer_key=offer_key, owner=owner,
                            )  # fmt: skip
                        except KolRejected as e:
                            show_problems(e.problems)
                        else:
                            st.session_state["deal_flash"] = t("deal.invited", name=p.name)
                            st.session_state["deal_open"] = new
                            st.session_state.pop("deal_partner", None)
                            st.rerun()

# --- one deal -------------------------------------------------------------------------------------------------------
with tab_deal:
    if not views:
        st.info(t("deal.none_yet"))
        st.stop()
    by_id = {v.deal.id: v for v in views}
    if st.session_state.get("deal_open") not in by_id:  # set to the deal just made, or stale
        st.session_state["deal_open"] = next(iter(by_id))
    did = st.selectbox(
        t("deal.open"),
        list(by_id),
        format_func=lambda i, b=by_id: b[i].partner_name,  # no status: a changed label would reset the choice
        key="deal_open",
    )
    v = by_id[did]
    deal = v.deal
    flow = list(kd.FLOW)
    reached = flow.index(v.status) if v.status in flow else -1
    st.markdown(
        " → ".join(f"**{STATUSES[s]}**" if i == reached else STATUSES[s] for i, s in enumerate(flow))
        + ("" if v.status in flow else f"  ·  **{STATUSES[v.status]}**")
    )
    a, b, d = st.columns(3)
    a.metric(t("deal.col_fee"), money(v.fee_minor, deal.currency))
    b.metric(t("deal.col_paid"), money(v.paid_minor, deal.currency))
    d.metric(t("deal.col_fee_campaign"), money(v.fee_campaign_minor, plan.currency))
    if deal.fx_rate is not None:
        st.caption(t("deal.rate_shown", cur=deal.currency, rate=str(deal.fx_rate), to=plan.currency))
    st.markdown(f"**{t('deal.field_tracking_code')}**")
    st.code(deal.tracking_code, language=None)
    if deal.offer_key:
        st.caption(t("deal.code_is_coupon", offer=deal.offer_key))
    if deal.tracking_link:
        st.markdown(f"**{t('deal.tracking_link')}**")
        st.code(deal.tracking_link, language=None)
    if deal.owner:
        st.caption(t("deal.owner_shown", who=deal.owner))

    st.subheader(t("deal.deliverables"))
    st.dataframe(
        [
            {
                t("deal.field_kind"): DELIVERABLES.get(x.kind, x.kind),
                t("deal.field_platform"): PLATFORMS.get(x.platform, x.platform),
                t("deal.field_due_at"): fmt.moment(x.due_at, plan.timezone, lang),
                t("deal.col_fee"): money(x.fee_minor, deal.currency),
                t("deal.field_usage_rights"): x.usage_rights,
                t("deal.field_usage_days"): x.usage_days or "",
                t("deal.field_exclusivity_days"): x.exclusivity_days or "",
                t("deal.field_published_url"): x.published_url,
                t("deal.col_overdue"): t("deal.overdue_mark") if x.id in v.overdue else "",
            }
            for x in v.deliverables
        ],
        hide_index=True,
        width="stretch",
    )

    brief = v.brief
    with st.expander(t("deal.brief"), expanded=False):
        if brief.key_messages:
            st.text(brief.key_messages)  # the partner-facing text as typed, never as markdown
        for label, items in (
            ("deal.field_must_say", brief.must_say),
            ("deal.field_must_not_say", brief.must_not_say),
            ("deal.field_hashtags", brief.hashtags),
            ("deal.field_links", brief.links),
        ):
            if items:
                st.markdown(f"**{t(label)}**: " + " · ".join(items))
        copy = st.text_area(t("deal.check_copy"), key=f"deal_copy_{did}", help=t("deal.check_copy_help"))
        if copy.strip():
            got = kd.check_content(copy, brief)
            if got.ok:
                st.success(t("deal.copy_ok"))
            for key, found in (
                ("deal.copy_missing", got.missing_must_say),
                ("deal.copy_forbidden", got.said_must_not),
                ("deal.copy_missing_tags", got.missing_hashtags),
            ):
                if found:
                    st.warning(t(key, items=" · ".join(found)))

    if may_edit and v.next:
        st.subheader(t("deal.next_step"))
        with st.form(f"deal_move_{did}"):
            to = st.radio(
                t("deal.move_to"), [s.value for s in v.next], horizontal=True,
                format_func=lambda s: translate(f"deal.move_{s}", lang), key=f"deal_to_{did}",
            )  # fmt: skip
            note = st.text_area(t("deal.comment"), key=f"deal_note_{did}")
            urls = {}
            if kd.Status.PUBLISHED in v.next:
                st.caption(t("deal.urls_help"))
                for i, x in enumerate(v.deliverables):
                    urls[x.id] = st.text_input(
                        f"{t('deal.deliverable_n', n=i + 1)} · {DELIVERABLES.get(x.kind, x.kind)}",
                        x.published_url, key=f"deal_url_{x.id}",
                    )  # fmt: skip
            if st.form_submit_button(t("deal.apply"), type="primary"):
                try:
                    deals.move(c, actor, did, to, note, {k: u for k, u in urls.items() if u.strip()})
                except KolRejected as e:
                    show_problems(e.problems)
                else:
                    st.session_state["deal_flash"] = t("deal.moved", name=v.partner_name, status=STATUSES[to])
                    st.rerun()

    if may_edit and v.status in kd.LINKABLE:
        with st.expander(t("deal.record_link")):
            with st.form(f"deal_link_{did}", clear_on_submit=True):
                labels = {
                    x.id: f"{t('deal.deliverable_n', n=i + 1)} · {DELIVERABLES.get(x.kind, x.kind)}"
                    for i, x in enumerate(v.deliverables)
                }
                which = st.selectbox(t("deal.deliverables"), list(labels), format_func=lambda i, b=labels: b[i])
                link = st.text_input(t("deal.field_published_url"))
                now_local = schedule_time.to_local(c.clock(), plan.timezone)
                a, b = st.columns(2)
                on = a.date_input(t("deal.published_on"), value=now_local.date())
                at_time = b.time_input(t("deal.published_at_time", zone=plan.timezone), value=now_local.time())
                if st.form_submit_button(t("deal.save_link")):
                    try:
                        when = schedule_time.to_utc(datetime.combine(on, at_time), plan.timezone, fold=0)
                        deals.record_link(c, actor, did, which, link, when)
                    except schedule_time.ScheduleTimeError as e:
                        st.error(f"{t('deal.published_on')}: {e}")
                    except KolRejected as e:
                        show_problems(e.problems)
                    else:
                        st.session_state["deal_flash"] = t("deal.link_saved", name=v.partner_name)
                        st.rerun()

    if may_edit and v.status in kd.COMMITTED and v.status is not kd.Status.PAID:
        with st.expander(t("deal.payment")):
            with st.form(f"deal_pay_{did}"):
                owed = max(v.fee_minor - v.paid_minor, 0) / 10 ** exponent(deal.currency)
                amount = st.number_input(t("deal.amount_in", currency=deal.currency), min_value=0.0, value=owed)
                day = st.date_input(t("deal.pay_day"), value=schedule_time.to_local(c.clock(), plan.timezone).date())
                pay_note = st.text_input(t("deal.pay_note"), max_chars=200)
                if st.form_submit_button(t("deal.record_payment")):
                    try:
                        deals.pay(c, actor, did, to_minor(amount, deal.currency), day, pay_note)
                    except KolRejected as e:
                        show_problems(e.problems)
                    else:
                        st.session_state["deal_flash"] = t("deal.paid_flash", name=v.partner_name)
                        st.rerun()

    if may_edit and v.status in kd.EDITABLE:
        with st.expander(t("deal.edit")):
            with st.form(f"deal_edit_{did}"):
                rows = [
                    {
                        "kind": x.kind,
                        "platform": x.platform,
                        "due": schedule_time.to_local(x.due_at, plan.timezone),
                        "fee": x.fee_minor / 10 ** exponent(deal.currency),
                        "rights": x.usage_rights,
                        "usage_days": x.usage_days,
                        "exclusivity_days": x.exclusivity_days,
                    }
                    for x in v.deliverables
                ]
                frame = deliverables_editor(f"deal_edit_items_{did}", rows, deal.currency)
                currency, rate_text = rate_field(f"deal_edit_{did}", deal.currency, deal.fx_rate)
                owner = st.text_input(t("deal.field_owner"), deal.owner, key=f"deal_owner_{did}")
                new_brief = brief_fields(f"deal_edit_{did}", brief)
                if st.form_submit_button(t("deal.save")):
                    items, errors = read_deliverables(frame, currency)
                    try:
                        rate = kd.parse_rate(rate_text)
                    except ValueError:
                        errors.append(f"{t('deal.field_fx_rate')}: {t('kol_error.rate_not_a_number')}")
                        rate = None
                    for e in errors:
                        st.error(e)
                    if not errors:
                        try:
                            draft = kd.DealDraft(currency, tuple(items), new_brief, rate)
                            deals.edit_deal(c, actor, did, draft, owner)
                        except KolRejected as e:
                            show_problems(e.problems)
                        else:
                            st.session_state["deal_flash"] = t("deal.saved", name=v.partner_name)
                            st.rerun()

    st.subheader(t("deal.history"))
    if may_edit:
        with st.form(f"deal_comment_{did}", clear_on_submit=True):
            text = st.text_input(t("deal.comment"))
            if st.form_submit_button(t("deal.add_comment")):
                try:
                    deals.comment(c, actor, did, text)
                except KolRejected as e:
                    show_problems(e.problems)
                else:
                    st.rerun()
    for e in reversed(deals.events(c, actor, did)):
        when = fmt.moment(e.at, plan.timezone, lang)
        move = f"{STATUSES.get(e.from_status, '—')} → {STATUSES[e.to_status]}" if e.to_status else ""
        said = e.comment or ("" if e.to_status else t("deal.edited_event"))
        st.text(f"{when} · {e.who} {move} {('· ' + said) if said else ''}")
    if v.payments:
        st.caption(
            t("deal.payments")
            + ": "
            + " · ".join(f"{fmt.day(p.day, lang)} {money(p.amount_minor, deal.currency)} {p.note}" for p in v.payments)
        )

"""KOL roster and discovery: filter and sort the partners, add or edit one with their accounts, import and
export the roster, set the tier thresholds, and shortlist partners for a budget."""

from decimal import Decimal

import streamlit as st

from app.services import kol_deals, kol_results, planning
from app.services import kol_roster as kr
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.catalog import CATALOG
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns import kol, kol_io
from campaigns.access import Permission, allows
from campaigns.planning import KOL
from campaigns.promotions.money import Money, exponent

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_KOL_DEALS)
may_read_results = allows(actor.role, Permission.VIEW_DASHBOARDS)
ANY = ""
PLATFORMS = {p: t(f"kol.platform_{p}") for p in kol.Platform}
TIERS = {x: t(f"kol.tier_{x}") for x in kol.Tier}
VARIANTS = {ANY: t("kol.er_none")} | {v: t(f"kol.er_{v}") for v in kol.ErVariant}
DELIVERABLES = {d: t(f"kol.deliv_{d}") for d in kol.Deliverable}


ANY_LABEL = t("kol.any")  # format functions run later (AppTest: outside the script), so texts are made now
SORTS = {s: t(f"kol.sort_{s}") for s in kr.SORTS if s != "past_cpe" or may_read_results}
METHODS = {m: t(f"kol.method_{m}") for m in ("knapsack", "greedy")}


def label(options: dict):
    return lambda k: options.get(k, ANY_LABEL)


def money(minor: int | None, currency: str) -> str:
    return fmt.NONE if minor is None else fmt.money(Money(minor, currency), lang)


def ws_money(minor, currency: str) -> str:
    return fmt.NONE if minor is None else fmt.money(Money(int(minor.to_integral_value()), currency), lang)


def problem_text(p) -> str:
    key = f"kol_error.{p.code}"
    try:
        return t(key, **p.params) if key in CATALOG else p.code
    except (KeyError, IndexError, ValueError):
        return CATALOG[key].get(lang, p.code)


def field_label(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "accounts" and len(parts) == 3:
        return f"{t('kol.account_n', n=int(parts[1]) + 1)} · {t(f'kol.field_{parts[2]}')}"
    if parts[0] == "rate_card" and len(parts) == 2:
        return f"{t('kol.field_rate_card')} · {DELIVERABLES.get(parts[1], parts[1])}"
    key = f"kol.field_{parts[0]}"
    return t(key) if key in CATALOG else name


def show_problems(problems, in_file: bool = False) -> None:
    st.error(t("kol.problems", n=len(problems)))
    if not in_file:
        for p in problems:
            st.error(f"{field_label(p.field)}: {problem_text(p)}")
        return
    rows = [
        {
            t("kol.col_file"): p.file or "",
            t("kol.col_row"): "" if p.row is None else str(p.row),
            t("kol.col_column"): p.field,
            t("kol.col_message"): problem_text(p),
        }
        for p in problems
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


st.title(t("page.kol_roster"))
st.caption(t("kol.help"))
if flash := st.session_state.pop("kol_flash", None):
    st.success(flash)

everyone = kr.roster(c, actor).partners
cats = sorted({x for v in everyone for x in v.draft.categories})
regions = sorted({v.draft.region for v in everyone if v.draft.region})
tags = sorted({x for v in everyone for x in v.draft.tags})
cols = st.columns(6)
platform = cols[0].selectbox(t("kol.filter_platform"), [ANY, *PLATFORMS], format_func=label(PLATFORMS))
tier = cols[1].selectbox(t("kol.filter_tier"), [ANY, *TIERS], format_func=label(TIERS))
category = cols[2].selectbox(t("kol.filter_category"), [ANY, *cats], format_func=lambda x: x or ANY_LABEL)
region = cols[3].selectbox(t("kol.filter_region"), [ANY, *regions], format_func=lambda x: x or ANY_LABEL)
tag = cols[4].selectbox(t("kol.filter_tag"), [ANY, *tags], format_func=lambda x: x or ANY_LABEL)
text = cols[5].text_input(t("kol.filter_text"))
cols = st.columns(2)
sort = cols[0].selectbox(t("kol.sort"), list(SORTS), format_func=SORTS.get)
deliverable = cols[1].selectbox(
    t("kol.deliverable"), [ANY, *DELIVERABLES], format_func=label(DELIVERABLES | {ANY: t("kol.lowest_fee")})
)
flt = kr.RosterFilter(
    platform or None, tier or None, category or None, region or None, tag or None, text, deliverable or None, sort
)
past = kol_results.past_cpe(c, actor) if may_read_results else None  # cost per engagement in past deals
view = kr.roster(c, actor, flt, past)
st.caption(t("kol.count", n=fmt.number(len(view.partners), lang)))
if view.partners:
    st.dataframe(
        [
            {
                t("kol.col_name"): v.draft.name,
                t("kol.col_tier"): TIERS[v.tier],
                t("kol.col_accounts"): " · ".join(
                    f"{PLATFORMS.get(a.platform, a.platform)} @{a.handle}" for a in v.draft.accounts
                ),
                t("kol.col_followers"): fmt.number(v.followers, lang),
                t("kol.col_er"): fmt.percent(v.engagement_rate, lang)
                + (f" ({VARIANTS.get(v.er_variant, v.er_variant)})" if v.er_variant else ""),
                t("kol.col_engagements"): fmt.NONE if v.engagements is None else fmt.number(v.engagements, lang),
                t("kol.col_fee"): money(v.fee_minor, v.draft.currency),
                t("kol.col_cpe"): fmt.NONE
                if v.cpe is None
                else fmt.money(Money(int(v.cpe.to_integral_value()), v.draft.currency), lang),
                **({t("kol.col_past_cpe"): ws_money(v.past_cpe, view.currency)} if past is not None else {}),
                t("kol.col_categories"): "、".join(v.draft.categories),
                t("kol.col_region"): v.draft.region,
                t("kol.col_tags"): "、".join(v.draft.tags),
            }
            for v in view.partners
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info(t("kol.none"))

tab_short, tab_edit, tab_files, tab_tiers = st.tabs(
    [t("kol.tab_shortlist"), t("kol.tab_edit"), t("kol.tab_files"), t("kol.tab_tiers")]
)

with tab_short:
    st.caption(t("kol.shortlist_help"))
    camps = {k.id: k for k in planning.campaigns(c, actor)}
    cols = st.columns(3)
    cid = cols[0].selectbox(
        t("kol.campaign"),
        [0, *camps],
        format_func=label({0: t("kol.no_campaign")} | {i: k.name for i, k in camps.items()}),
    )
    plan = camps[cid].plan if cid else None
    currency = plan.currency if plan else view.currency
    scale = 10 ** exponent(currency)
    kol_budget = sum(x.amount_minor for x in plan.budget_lines if x.channel == KOL) if plan else 0
    budget = cols[1].number_input(
        t("kol.budget", currency=currency),
        0,
        10**10,
        kol_budget // scale or 100_000,
        step=1_000,
        help=t("kol.budget_help"),
        key=f"kol_budget_{cid}",
    )
    pick = cols[2].selectbox(t("kol.deliverable"), list(DELIVERABLES), format_func=DELIVERABLES.get, key="kol_sd")
    cols = st.columns(3)
    method = cols[0].radio(t("kol.method"), list(METHODS), format_func=METHODS.get)
    steps = {1: 1, 100: 100, 1000: 1000}
    unit = cols[1].selectbox(
        t("kol.unit"),
        list(steps),
        index=1,
        format_func=label({n: t("kol.unit_n", amount=money(n * scale, currency)) for n in steps}),
    )
    rates_text = cols[2].text_input(t("kol.rates"), help=t("kol.rates_help"), key="kol_short_rates")
    rates, bad_rates = kol_io.parse_rates(rates_text)
    if bad_rates:
        st.warning(t("kol.bad_rates", rates="; ".join(bad_rates)))
    if st.button(t("kol.run"), type="primary"):
        try:
            got = kr.shortlist(c, actor, int(budget) * scale, pick, method, unit * scale, flt, currency, rates)
            st.session_state["kol_shortlist"] = got
        except kr.KolRejected as err:
            show_problems(err.problems)
    got = st.session_state.get("kol_shortlist")
    if got is not None:
        r = got.result
        values = dict(
            n=len(r.picked),
            fee=money(r.fee_minor, got.currency),
            budget=money(r.budget_minor, got.currency),
            eng=fmt.number(r.engagements, lang),
        )
        if r.method == "greedy":
            st.success(t("kol.result_greedy", **values))
        else:
            st.success(t("kol.result_knapsack", unit=money(r.unit_minor, got.currency), **values))
        if r.picked:
            st.dataframe(
                [
                    {
                        t("kol.col_name"): x.name,
                        t("kol.col_fee"): money(x.fee_minor, got.currency),
                        t("kol.col_engagements"): fmt.number(x.engagements, lang),
                        t("kol.col_per_money"): fmt.ratio(Decimal(x.engagements * scale) / x.fee_minor, lang)
                        if x.fee_minor
                        else "∞",
                    }
                    for x in r.picked
                ],
                hide_index=True,
                width="stretch",
            )
        if got.skipped:
            st.caption(t("kol.skipped", names="; ".join(f"{n} ({t(f'kol.skip_{why}')})" for n, why in got.skipped)))
        invited = {v.deal.partner_id for v in kol_deals.deals(c, actor, campaign_id=cid)} if cid else set()
        names = {x.partner_id: x.name for x in r.picked if x.partner_id not in invited}
        if names and cid and may_edit:  # on to a deal: the deals page opens on this campaign and partner
            who = st.selectbox(t("kol.invite_who"), list(names), format_func=names.get, key="kol_invite_who")
            if st.button(t("kol.invite")):
                st.session_state["deal_campaign"], st.session_state["deal_partner"] = cid, who
                st.switch_page("app/pages/kol_deals.py", query_params={"lang": lang})  # keeps the language

with tab_edit:
    if not may_edit:
        st.info(t("kol.read_only"))
    else:
        by_id = {v.id: v for v in everyone}
        pid = st.selectbox(
            t("kol.pick"),
            [0, *by_id],
            format_func=label({0: t("kol.new_partner")} | {i: v.draft.name for i, v in by_id.items()}),
        )
        old = by_id[pid].draft if pid else kol.PartnerDraft("", (), view.currency)
        n = st.number_input(t("kol.n_accounts"), 1, 10, max(1, len(old.accounts)), key=f"kol_n_{pid}")
        with st.form(f"kol_form_{pid}"):
            cols = st.columns(3)
            name = cols[0].text_input(t("kol.field_name"), old.name, max_chars=kol.MAX_NAME)
            cur = cols[1].text_input(t("kol.field_currency"), old.currency, max_chars=3)
            reg = cols[2].text_input(t("kol.field_region"), old.region, max_chars=kol.MAX_TEXT)
            cols = st.columns(3)
            cat_text = cols[0].text_input(t("kol.field_categories"), ", ".join(old.categories))
            tag_text = cols[1].text_input(t("kol.field_tags"), ", ".join(old.tags))
            contact = cols[2].text_input(t("kol.field_contact"), old.contact, max_chars=kol.MAX_CONTACT)
            notes = st.text_area(t("kol.field_notes"), old.notes, max_chars=kol.MAX_NOTES)
            accounts = []
            for i in range(int(n)):
                a = old.accounts[i] if i < len(old.accounts) else kol.Account("douyin", "")
                st.markdown(f"**{t('kol.account_n', n=i + 1)}**")
                cols = st.columns(7)
                plat_keys = list(PLATFORMS)
                plat = cols[0].selectbox(
                    t("kol.field_platform"),
                    plat_keys,
                    plat_keys.index(a.platform) if a.platform in PLATFORMS else 0,
                    format_func=PLATFORMS.get,
                    key=f"kp{pid}_{i}",
                )
                handle = cols[1].text_input(t("kol.field_handle"), a.handle, key=f"kh{pid}_{i}")
                url = cols[2].text_input(t("kol.field_url"), a.url, key=f"ku{pid}_{i}")
                followers = cols[3].number_input(
                    t("kol.field_followers"), 0, kol.MAX_COUNT, a.followers, key=f"kf{pid}_{i}"
                )
                views = cols[4].number_input(
                    t("kol.field_typical_views"), 0, kol.MAX_COUNT, a.typical_views, key=f"kv{pid}_{i}"
                )
                er_pct = None if a.engagement_rate is None else float(a.engagement_rate * 100)
                er = cols[5].number_input(
                    t("kol.field_engagement_rate"), 0.0, 100.0, er_pct, step=0.1, format="%.2f", key=f"ke{pid}_{i}"
                )
                var_keys = list(VARIANTS)
                variant = cols[6].selectbox(
                    t("kol.field_er_variant"),
                    var_keys,
                    var_keys.index(a.er_variant or ANY),
                    format_func=VARIANTS.get,
                    key=f"kr{pid}_{i}",
                )
                rate_value = None if er is None else (Decimal(str(er)) / 100).quantize(Decimal("0.000001"))
                views_value = None if views is None else int(views)
                accounts.append(
                    kol.Account(plat, handle, url, int(followers or 0), views_value, rate_value, variant or None)
                )
            st.markdown(f"**{t('kol.field_rate_card')}**")
            cols = st.columns(len(DELIVERABLES))
            card = {}
            for col, (d, d_label) in zip(cols, DELIVERABLES.items(), strict=True):
                fee = old.rate_card.get(d)
                scale_p = 10 ** exponent(old.currency) if old.currency else 100
                got_fee = col.number_input(
                    d_label, 0, 10**10, None if fee is None else fee // scale_p, key=f"kc{pid}_{d}"
                )
                if got_fee is not None:
                    card[d] = int(got_fee)
            if st.form_submit_button(t("kol.save"), type="primary"):
                cur = cur.strip().upper()
                try:
                    minor = {d: v * 10 ** exponent(cur) for d, v in card.items()}
                except (KeyError, ValueError):
                    minor = card  # an unknown currency: validation names it
                draft = kol.PartnerDraft(
                    name,
                    tuple(accounts),
                    cur,
                    reg,
                    tuple(kol_io.split_labels(cat_text)),
                    tuple(kol_io.split_labels(tag_text)),
                    contact,
                    notes,
                    minor,
                )
                try:
                    if pid:
                        kr.edit_partner(c, actor, pid, draft)
                    else:
                        kr.add_partner(c, actor, draft)
                    st.session_state["kol_flash"] = t("kol.saved", name=name.strip())
                    st.rerun()
                except kr.KolRejected as err:
                    show_problems(err.problems)
        if pid and st.button(t("kol.remove")):
            kr.remove_partner(c, actor, pid)
            st.session_state["kol_flash"] = t("kol.removed", name=old.name)
            st.rerun()

with tab_files:
    st.subheader(t("kol.export_header"))
    st.caption(t("kol.export_help"))
    cols = st.columns(2)
    kind = cols[0].selectbox(t("kol.format"), list(kr.FORMATS), format_func=str.upper)
    if cols[1].button(t("kol.prepare")):  # exporting is audited, so only when asked
        st.session_state["kol_export"] = (kind, kr.export_roster(c, actor, kind, TIERS))
    ready = st.session_state.get("kol_export")
    if ready and ready[0] == kind:
        mime = "text/csv" if kind == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        st.download_button(t("kol.download"), ready[1], f"kol-roster.{kind}", mime)
    st.subheader(t("kol.import_header"))
    st.caption(t("kol.columns_help", columns=", ".join(kol_io.COLUMNS)))
    if not may_edit:
        st.info(t("kol.read_only"))
    else:
        n_up = st.session_state.get("kol_uploads", 0)
        upload = st.file_uploader(t("kol.upload"), type=["csv", "txt", "xlsx"], key=f"kol_upload_{n_up}")
        rates_text = st.text_input(t("kol.rates"), help=t("kol.rates_help"), key="kol_import_rates")
        rates, bad_rates = kol_io.parse_rates(rates_text)
        if bad_rates:
            st.warning(t("kol.bad_rates", rates="; ".join(bad_rates)))
        update = st.checkbox(t("kol.import_update"), help=t("kol.import_update_help"), key="kol_import_update")
        if upload is not None:
            data, fname = upload.getvalue(), upload.name
            checked = kr.import_roster(c, actor, data, fname, rates, dry_run=True, update=update)
            if checked.problems:
                show_problems(checked.problems, in_file=True)
            else:
                counts = dict(partners=checked.partners, accounts=checked.accounts, updated=checked.updated)
                st.success(t("kol.ready_update" if update else "kol.ready", **counts))
                if st.button(t("kol.import_button"), type="primary"):
                    done = kr.import_roster(c, actor, data, fname, rates, update=update)
                    if done.problems:
                        show_problems(done.problems, in_file=True)
                    else:
                        st.session_state["kol_flash"] = t(
                            "kol.imported_update" if update else "kol.imported",
                            partners=done.partners,
                            accounts=done.accounts,
                            updated=done.updated,
                        )
                        st.session_state["kol_uploads"] = n_up + 1
                        st.rerun()

with tab_tiers:
    st.caption(t("kol.tiers_help"))
    th = view.thresholds
    cols = st.columns(3)
    mega = cols[0].number_input(
        t("kol.tiers_from", tier=TIERS["mega"]), 1, kol.MAX_COUNT, th.mega, disabled=not may_edit
    )
    macro = cols[1].number_input(
        t("kol.tiers_from", tier=TIERS["macro"]), 1, kol.MAX_COUNT, th.macro, disabled=not may_edit
    )
    micro = cols[2].number_input(
        t("kol.tiers_from", tier=TIERS["micro"]), 1, kol.MAX_COUNT, th.micro, disabled=not may_edit
    )
    if may_edit and st.button(t("kol.tiers_save")):
        try:
            kr.set_tiers(c, actor, kol.Thresholds(int(mega), int(macro), int(micro)))
            st.session_state["kol_flash"] = t("kol.tiers_saved")
            st.rerun()
        except kr.KolRejected as err:
            show_problems(err.problems)

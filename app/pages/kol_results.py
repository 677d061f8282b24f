"""KOL results: what each partner brought in for a campaign (or every campaign), the leaderboard, ROI per partner,
"would we book them again" with its reasons, and a partner's deals. The assumptions (gross margin, EMV CPM, the
ROI to book again) are shown, editable and kept across pages; every KPI's definition is in its column's help."""

from decimal import ROUND_HALF_UP, Decimal

import streamlit as st

from app.services import kol_results as kres
from app.services import planning
from app.ui import charts_kol_results as charts
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t, translate
from campaigns import kol_results as rules
from campaigns.promotions.money import Money

lang = language()


def tr(key: str, **values) -> str:
    """``t`` in the language of this run (widgets' format functions may be called after it)."""
    return translate(key, lang, **values)


c = container()
actor = current_actor()
st.title(t("page.kol_results"))
st.caption(t("kolr.help"))

camps = {k.id: k for k in planning.campaigns(c, actor)}
KEEP = "kol_results_inputs"  # kept across pages: widget state is dropped when a page is left
kept = st.session_state.setdefault(KEEP, {})


def keep(name: str) -> None:
    kept[name] = st.session_state[f"kolr_{name}"]


ALL = tr("kolr.all_campaigns")
f1, f2, f3, f4 = st.columns([3, 2, 2, 2])
options = [None, *camps]
chosen = f1.selectbox(
    t("kolr.campaign"),
    options,
    index=options.index(kept.get("campaign")) if kept.get("campaign") in options else 0,
    format_func=lambda k: ALL if k is None else camps[k].name,
    key="kolr_campaign",
    on_change=keep,
    args=("campaign",),
)
kept["campaign"] = chosen
margin_pct = f2.number_input(
    t("results.margin"),
    0.0,
    100.0,
    float(kept.get("margin", kres.DEFAULT_MARGIN * 100)),
    1.0,
    key="kolr_margin",
    on_change=keep,
    args=("margin",),
    help=t("kpi_def.roi"),
)
emv_cpm = f3.number_input(
    t("results.emv_cpm"),
    0.0,
    10_000.0,
    float(kept.get("emv_cpm", kres.DEFAULT_EMV_CPM)),
    1.0,
    key="kolr_emv_cpm",
    on_change=keep,
    args=("emv_cpm",),
    help=t("kpi_def.emv"),
)
threshold_pct = f4.number_input(
    t("kolr.roi_threshold"),
    -100.0,
    10_000.0,
    float(kept.get("threshold", 0.0)),
    5.0,
    key="kolr_threshold",
    on_change=keep,
    args=("threshold",),
    help=t("kolr.roi_threshold_help"),
)
margin = Decimal(str(margin_pct)) / 100
rule = rules.Rules(roi_at_least=Decimal(str(threshold_pct)) / 100)
cpm = Decimal(str(emv_cpm))
if chosen is None:
    board = kres.across(c, actor, margin, cpm, rule)
else:
    board = kres.campaign_board(c, actor, chosen, margin, cpm, rule)
cur = board.currency


def money(minor, currency: str = cur) -> str:
    """Minor units (a Decimal for ratios such as CPE) as money, rounded half up to the minor unit."""
    if minor is None:
        return fmt.NONE
    whole = int(Decimal(minor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return fmt.money(Money(whole, currency), lang)


def compact(minor: int) -> str:
    return fmt.compact_money(Money(int(minor), cur), lang)


st.caption(t("kolr.assumptions", margin=fmt.percent(margin, lang), cpm=money(board.emv_cpm_minor), currency=cur))
if board.deals_left_out:
    fees = ", ".join(money(v, k) for k, v in sorted(board.fees_left_out.items()))
    st.warning(t("kolr.deals_left_out", n=board.deals_left_out, currency=cur, fees=fees))
for other, amount in sorted(board.revenue_left_out.items()):
    st.caption(t("kolr.revenue_left_out", money=money(amount, other), currency=cur))
if board.empty:
    st.info(t("kolr.empty"))
    st.stop()

COST, PAID, NOTE = t("kolr.col_cost"), t("kolr.col_paid"), t("kolr.col_note")
KPI_COLUMNS = ("cpm", "cpe", "cost_per_order", "roi", "roas", "emv")


def note(r: kres.Row) -> str:
    if not r.result.has_figures:
        return t("kolr.no_figures")
    return t("kolr.no_cost") if not r.kpis.cost_minor else ""


def answer(v: rules.Verdict) -> str:
    return t(f"kolr.answer_{v.answer}")


st.subheader(t("kolr.leaderboard"))
st.caption(t("kolr.leaderboard_help"))
no_deal = any(r.result.no_deal.impressions for r in board.rows)
table = []
for i, r in enumerate(board.rows, start=1):
    k = r.kpis
    row = {
        t("kolr.col_rank"): i,
        t("kolr.col_partner"): r.name,
        t("kolr.col_deals"): r.result.deals,
        COST: money(k.cost_minor) if r.result.deals else fmt.NONE,
        PAID: money(r.result.paid_minor) if r.result.deals else fmt.NONE,
        t("metric.impressions"): fmt.number(k.impressions, lang),
        t("metric.engagements"): fmt.number(k.engagements, lang),
        t("metric.clicks"): fmt.number(k.clicks, lang),
        t("results.orders"): fmt.number(k.orders, lang),
        t("metric.revenue"): money(k.revenue_minor),
        t("kpi.cpm"): money(k.cpm),
        t("kpi.cpe"): money(k.cpe),
        t("kpi.cost_per_order"): money(k.cost_per_order),
        t("kpi.roi"): fmt.percent(k.roi, lang),
        t("kpi.roas"): fmt.ratio(k.roas, lang),
        t("kpi.emv"): money(k.emv_minor),
        t("kolr.col_verdict"): answer(r.verdict),
        NOTE: note(r),
    }
    if no_deal:
        row[t("kolr.col_no_deal")] = fmt.number(r.result.no_deal.impressions, lang)
    table.append(row)
helps = {COST: t("kolr.def_cost"), PAID: t("kolr.def_paid")} | {t(f"kpi.{x}"): t(f"kpi_def.{x}") for x in KPI_COLUMNS}
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={label: st.column_config.TextColumn(label, help=text) for label, text in helps.items()},
)
with st.expander(t("kolr.definitions")):
    st.markdown(f"- **{COST}**: {t('kolr.def_cost')}\n- **{PAID}**: {t('kolr.def_paid')}")
    st.markdown("\n".join(f"- **{t(f'kpi.{x}')}**: {t(f'kpi_def.{x}')}" for x in KPI_COLUMNS))

st.subheader(t("kolr.roi_chart"))
with_roi = [r for r in board.rows if r.kpis.roi is not None]
if with_roi:
    fig = charts.roi_bars(
        [r.name for r in with_roi], [r.kpis.roi for r in with_roi], rule.roi_at_least, t("kolr.threshold_line")
    )
    st.plotly_chart(fig, width="stretch")
else:
    st.info(t("kolr.roi_chart_none"))


def reason_text(x: rules.Reason) -> str:
    p = x.params
    if x.check == "roi":
        values = {"roi": fmt.percent(p.get("roi"), lang), "threshold": fmt.percent(p["threshold"], lang)}
    elif x.check == "cpe":
        values = {"cpe": money(p["cpe"]), "median": money(p["median"]), "n": fmt.number(p["partners"], lang)}
    else:
        values = {k: fmt.number(v, lang) for k, v in p.items()}
    return t(f"kolr.{x.check}_{x.outcome}", **values)


st.subheader(t("kolr.book_again"))
st.caption(t("kolr.rules", max=rule.max_changes_per_deal))
st.dataframe(
    [
        {
            t("kolr.col_partner"): r.name,
            t("kolr.col_verdict"): answer(r.verdict),
            **{t(f"kolr.check_{x.check}"): reason_text(x) for x in r.verdict.reasons},
        }
        for r in board.rows
    ],
    hide_index=True,
    width="stretch",
)

st.subheader(t("kolr.history"))
partners = {r.partner_id: r.name for r in board.rows}
who = st.selectbox(t("kolr.history_partner"), list(partners), format_func=lambda p: partners.get(p, str(p)))
row = next((r for r in board.rows if r.partner_id == who), None)
if row is not None:  # the partner at a glance, as on the leaderboard
    m = st.columns(5)
    m[0].metric(COST, compact(row.kpis.cost_minor) if row.result.deals else fmt.NONE)
    m[1].metric(t("metric.revenue"), compact(row.kpis.revenue_minor))
    m[2].metric(t("results.orders"), fmt.number(row.kpis.orders, lang))
    m[3].metric(t("kpi.roi"), fmt.percent(row.kpis.roi, lang), help=t("kpi_def.roi"))
    m[4].metric(t("kpi.cpe"), money(row.kpis.cpe), help=t("kpi_def.cpe"))
history = kres.partner_history(c, actor, who, margin, cpm) if who is not None else []
if not history:
    st.info(t("kolr.history_none"))
else:
    st.dataframe(
        [
            {
                t("kolr.col_campaign"): h.campaign,
                t("kolr.col_status"): t(f"deal.status_{h.status}"),
                t("kolr.col_fee"): money(h.fee_minor, h.deal_currency),
                COST: money(h.kpis.cost_minor, h.currency),
                PAID: money(h.result.paid_minor, h.currency),
                t("metric.impressions"): fmt.number(h.kpis.impressions, lang),
                t("metric.engagements"): fmt.number(h.kpis.engagements, lang),
                t("metric.revenue"): money(h.kpis.revenue_minor, h.currency),
                t("kpi.cpe"): money(h.kpis.cpe, h.currency),
                t("kpi.roi"): fmt.percent(h.kpis.roi, lang),
                t("kolr.col_on_time"): t(
                    "kolr.on_time_text",
                    on_time=h.result.delivery.on_time,
                    late=h.result.delivery.late,
                    missing=h.result.delivery.missing,
                    pending=h.result.delivery.pending,
                ),
            }
            for h in history
        ],
        hide_index=True,
        width="stretch",
    )

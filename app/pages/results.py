"""Results: a campaign (or every campaign) from imported exports — headline figures against targets, the funnel,
the daily trend with phases, breakdowns, channel efficiency, conversions per platform, this festival against
last year's, and the report as CSV, XLSX or a self-contained HTML page. Every KPI is a ratio of sums at the
grain shown; its definition is in its help."""

from datetime import date
from decimal import Decimal

import streamlit as st

from app.services import measure, planning
from app.ui import charts_measure as charts
from app.ui import format as fmt
from app.ui import report_export as export
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t, translate
from campaigns.facts import SOURCE_CHANNEL, SOURCES
from campaigns.promotions.money import Money, exponent

lang = language()


def tr(key: str) -> str:
    """``t`` in the language of this run (widgets' format functions may be called after it)."""
    return translate(key, lang)


c = container()
actor = current_actor()
st.title(t("page.results"))

camps = {k.id: k for k in planning.campaigns(c, actor)}
KEEP = "measure_filters"  # kept across pages: widget state is dropped when a page is left
kept = st.session_state.setdefault(KEEP, {})


def keep(name: str) -> None:
    kept[name] = st.session_state[f"results_{name}"]


f1, f2, f3, f4 = st.columns([3, 3, 2, 2])
options = [None, *camps]
if "campaign" not in kept:  # first visit: the campaign with the latest figures
    kept["campaign"] = next(iter(measure.campaigns_with_figures(c, actor)), None)
chosen = f1.selectbox(
    t("results.campaign"),
    options,
    index=options.index(kept["campaign"]) if kept["campaign"] in options else 0,
    format_func=lambda k: tr("results.all_campaigns") if k is None else camps[k].name,
    key="results_campaign",
    on_change=keep,
    args=("campaign",),
)
kept["campaign"] = chosen
days = f2.date_input(t("results.days"), value=kept.get("days", ()), key="results_days", on_change=keep, args=("days",))
channels_all = sorted({*SOURCE_CHANNEL.values(), "weibo", "telegram", "email", "chat_bot"})
channels = f3.multiselect(
    t("results.channels"),
    channels_all,
    default=kept.get("channels", []),
    format_func=lambda ch: tr(f"channel.{ch}"),
    key="results_channels",
    on_change=keep,
    args=("channels",),
)
sources_all = list(SOURCES)
sources = f4.multiselect(
    t("results.sources"),
    sources_all,
    default=kept.get("sources", []),
    format_func=lambda s: tr(f"source.{s}"),
    key="results_sources",
    on_change=keep,
    args=("sources",),
)
a1, a2 = st.columns(2)
margin_pct = a1.number_input(
    t("results.margin"),
    0.0,
    100.0,
    float(kept.get("margin", 40.0)),
    1.0,
    key="results_margin",
    on_change=keep,
    args=("margin",),
    help=t("kpi_def.roi"),
)
emv_cpm = a2.number_input(
    t("results.emv_cpm"),
    0.0,
    10_000.0,
    float(kept.get("emv_cpm", 50.0)),
    1.0,
    key="results_emv_cpm",
    on_change=keep,
    args=("emv_cpm",),
    help=t("kpi_def.emv"),
)

day_from, day_to = (days[0], days[-1]) if isinstance(days, tuple) and len(days) == 2 else (None, None)
filters = measure.Filters(
    campaign_ids=(chosen,) if chosen else (),
    day_from=day_from,
    day_to=day_to,
    channels=tuple(channels),
    sources=tuple(sources),
)
rep = measure.report(c, actor, filters, margin=Decimal(str(margin_pct)) / 100, emv_cpm=Decimal(str(emv_cpm)))
cur = rep.currency
tot = rep.totals


def money(minor: int | Decimal | None) -> str:
    return fmt.NONE if minor is None else fmt.money(Money(int(minor), cur), lang)


def kpi_text(key: str, v) -> str:
    kind = measure.metrics.KPIS[key].kind
    return money(v) if kind == "money" else fmt.ratio(v, lang) if kind == "times" else fmt.percent(v, lang)


for other, spend in rep.other_currencies.items():
    st.caption(t("results.other_currency", money=fmt.money(Money(spend, other), lang), currency=cur))
if rep.empty:
    st.info(t("results.empty"))
    st.stop()

r1 = st.columns(6)
r1[0].metric(t("metric.impressions"), fmt.compact(tot.impressions, lang), help=fmt.number(tot.impressions, lang))
r1[1].metric(t("metric.engagements"), fmt.compact(tot.engagements, lang), help=fmt.number(tot.engagements, lang))
r1[2].metric(t("metric.clicks"), fmt.compact(tot.clicks, lang), help=fmt.number(tot.clicks, lang))
r1[3].metric(t("results.orders"), fmt.number(tot.orders, lang), help=t("results.orders_help"))
r1[4].metric(
    t("metric.revenue"), fmt.compact_money(Money(tot.revenue_minor, cur), lang), help=t("results.revenue_help")
)
r1[5].metric(t("metric.spend"), fmt.compact_money(Money(tot.spend_minor, cur), lang), help=money(tot.spend_minor))
r2 = st.columns(6)
for col, key in zip(r2, ("roas", "ctr", "cpm", "cpc", "cost_per_order", "aov"), strict=True):
    col.metric(t(f"kpi.{key}"), kpi_text(key, rep.kpis[key]), help=t(f"kpi_def.{key}"))
r3 = st.columns(6)
r3[0].metric(t("kpi.roi"), fmt.percent(rep.roi, lang), help=t("kpi_def.roi"))
r3[1].metric(
    t("kpi.engagement_rate"), fmt.percent(rep.kpis["engagement_rate"], lang), help=t("kpi_def.engagement_rate")
)
r3[2].metric(t("kpi.cpe"), kpi_text("cpe", rep.kpis["cpe"]), help=t("kpi_def.cpe"))
r3[3].metric(t("kpi.order_rate"), fmt.percent(rep.kpis["order_rate"], lang), help=t("kpi_def.order_rate"))
r3[4].metric(t("kpi.emv"), fmt.compact_money(Money(rep.emv_minor, cur), lang), help=t("kpi_def.emv"))
r3[5].metric(t("results.reach"), fmt.NONE, help=t("results.reach_help"))

if rep.targets:
    st.subheader(t("results.targets"))

    def target_text(key: str, value) -> str:
        if value is None:
            return fmt.NONE
        if key == "gmv":
            return money(value)
        if key == "roi":
            return fmt.percent(Decimal(str(value)), lang)
        return fmt.number(value, lang)

    st.dataframe(
        [
            {
                t("results.target"): t("results.target_roi") if key == "roi" else t(f"target.{key}"),
                t("results.planned"): target_text(key, planned),
                t("results.actual"): target_text(key, actual),
            }
            for key, (planned, actual) in rep.targets.items()
        ],
        hide_index=True,
        width="stretch",
    )

funnel_fig = charts.funnel(
    [
        (t("metric.impressions"), tot.impressions),
        (t("metric.engagements"), tot.engagements),
        (t("metric.clicks"), tot.clicks),
        (t("results.orders"), tot.orders),
    ]
)
day_list = list(rep.by_day)
exp = exponent(cur)
trend_fig = charts.trend(
    day_list,
    {
        t("metric.impressions"): [v.impressions for v in rep.by_day.values()],
        t("metric.clicks"): [v.clicks for v in rep.by_day.values()],
        t("metric.spend"): [v.spend_minor / 10**exp for v in rep.by_day.values()],
        t("metric.revenue"): [v.revenue_minor / 10**exp for v in rep.by_day.values()],
    },
    [(t(f"phase.{kind}"), first, last) for kind, first, last in rep.phases],
    right={t("metric.spend"), t("metric.revenue")},
)
left, right = st.columns(2)
left.subheader(t("results.funnel"))
left.plotly_chart(funnel_fig, width="stretch")
right.subheader(t("results.trend"))
right.plotly_chart(trend_fig, width="stretch")

names = rep.names
labels = {
    "channel": lambda k: t(f"channel.{k}"),
    "account": lambda k: names["account_id"].get(k, t("results.no_account")) if k else t("results.no_account"),
    "partner": lambda k: names["partner_id"].get(k, "") if k else t("results.no_partner"),
    "post": lambda k: f"#{k}" if k else t("results.no_post"),
    "campaign": lambda k: names["campaign_id"].get(k, str(k)),
    "source": lambda k: t(f"source.{k}"),
    "day": lambda d: d.isoformat(),
}
groups = {
    "channel": rep.by_channel,
    "account": rep.by_account,
    "partner": rep.by_partner,
    "post": rep.by_post,
    "campaign": rep.by_campaign,
}


def shown(header: list[str], rows: list[list]) -> list[dict]:
    """Export rows as the page shows them: money and ratios formatted for the reader."""
    out = []
    for row in rows:
        d = {}
        for h, v in zip(header, row, strict=True):
            if h in export.RATIOS:
                kind = measure.metrics.KPIS[h].kind
                d[t(f"kpi.{h}")] = (
                    fmt.NONE
                    if v is None
                    else (
                        fmt.money(Money(int(Decimal(v) * 10**exp), cur), lang)
                        if kind == "money"
                        else fmt.ratio(v, lang)
                        if kind == "times"
                        else fmt.percent(v, lang)
                    )
                )
            elif h in ("spend", "revenue"):
                d[t(f"metric.{h}")] = fmt.money(Money(int(Decimal(v) * 10**exp), cur), lang)
            elif h in export.COUNTS:
                d[t(f"measure.m_{h}")] = fmt.number(v, lang)
            else:
                d[h] = v
        out.append(d)
    return out


st.subheader(t("results.breakdown"))
tabs = st.tabs([t(f"results.by_{g}") for g in groups])
sections = []
for tab, (g, data) in zip(tabs, groups.items(), strict=True):
    header, rows = export.table(data, labels[g], cur, t(f"results.by_{g}"))
    sections.append((t(f"results.by_{g}"), header, rows))
    tab.dataframe(shown(header, rows), hide_index=True, width="stretch")

st.subheader(t("results.efficiency"))
eff = [(labels["channel"](ch), measure.kpis(v)) for ch, v in rep.by_channel.items()]
e1, e2 = st.columns(2)
e1.plotly_chart(
    charts.bars([n for n, _ in eff], [float(k["cpm"] or 0) / 10**exp for _, k in eff], t("kpi.cpm")), width="stretch"
)
e2.plotly_chart(
    charts.bars([n for n, _ in eff], [float(k["roas"] or 0) for _, k in eff], t("kpi.roas")), width="stretch"
)

st.subheader(t("results.by_source"))
st.caption(t("results.by_source_help"))
src_header, src_rows = export.table(rep.by_source, labels["source"], cur, t("results.by_source"))
sections.append((t("results.by_source"), src_header, src_rows))
st.dataframe(
    [
        {**row, t("results.attribution"): ", ".join(rep.attributions.get(k, [])) or fmt.NONE}
        for k, row in zip(rep.by_source, shown(src_header, src_rows), strict=True)
    ],
    hide_index=True,
    width="stretch",
)
day_header, day_rows = export.table(rep.by_day, labels["day"], cur, t("results.day"))
sections.insert(0, (t("results.by_day"), day_header, day_rows))

figures = [(t("results.funnel"), funnel_fig), (t("results.trend"), trend_fig)]
if chosen:
    yoy = measure.year_over_year(c, actor, chosen)
    if yoy is not None:
        st.subheader(t("results.yoy", festival=t(f"festival.{yoy.festival}")))
        offsets = list(yoy.this_year)
        this = [v.revenue_minor / 10**exp for v in yoy.this_year.values()]
        last = [v.revenue_minor / 10**exp for v in yoy.last_year.values()] if yoy.last_year else None
        yoy_fig = charts.aligned(
            offsets, this, last, (camps[chosen].name, yoy.last_campaign or ""), t("results.days_from_festival")
        )
        st.plotly_chart(yoy_fig, width="stretch")
        if yoy.last_year is None:
            st.caption(t("results.yoy_none"))
        figures.append((t("results.yoy", festival=t(f"festival.{yoy.festival}")), yoy_fig))

st.subheader(t("results.export"))
title = camps[chosen].name if chosen else t("results.all_campaigns")
stamp = date.today().isoformat()
notes = [t("results.note_ratios"), t("results.note_sources"), t("kpi_def.roi") + f" ({margin_pct:.0f}%)"]
# the files are built once per view (filters, settings, language and the figures themselves), not on every rerun
view = (filters, margin_pct, emv_cpm, lang, rep.totals, tuple(rep.by_day), tuple(rep.by_source.items()))
if st.session_state.get("results_files_for") != view:
    st.session_state["results_files"] = (
        export.csv_bytes(sections),
        export.xlsx_bytes(sections),
        export.html_bytes(title, notes, figures, sections),
    )
    st.session_state["results_files_for"] = view
csv_file, xlsx_file, html_file = st.session_state["results_files"]
x1, x2, x3 = st.columns(3)
x1.download_button(t("results.export_csv"), csv_file, f"festa-results-{stamp}.csv", "text/csv")
x2.download_button(
    t("results.export_xlsx"),
    xlsx_file,
    f"festa-results-{stamp}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
x3.download_button(t("results.export_html"), html_file, f"festa-results-{stamp}.html", "text/html")

"""Meta Ads Manager exports as Ads Manager writes them: quoted multi-word headers, currency in the header,
the account summary row, per-day breakdowns (and period totals refused), XLSX with ids Excel rounded,
French and Spanish headers."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from connectors.exports import google_ads, meta, x
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

HEADER = (
    '"Reporting starts","Reporting ends",Day,"Account name","Campaign name","Campaign ID","Campaign delivery",'
    '"Attribution setting",Results,"Result indicator",Reach,Frequency,"Cost per results","Amount spent (USD)",'
    'Impressions,"CPM (cost per 1,000 impressions) (USD)","Link clicks","CPC (cost per link click) (USD)",'
    '"CTR (link click-through rate)","Clicks (all)","CTR (all)","CPC (all) (USD)","Purchases conversion value",'
    '"3-second video plays",Ends\n'
)
PURCHASE = "actions:offsite_conversion.fb_pixel_purchase"
DAILY = HEADER + (
    # the account summary row: Meta's own totals for the period (reach deduplicated, so not a sum)
    '2026-03-01,2026-03-02,,"Festa Store",,,,,,,9800,2.78,,281.4,27200,10.35,328,0.86,1.21,700,2.57,0.40,'
    "2230.5,11150,\n"
    f'2026-03-01,2026-03-01,2026-03-01,"Festa Store","Spring Sale – Purchases",120253000000000001,active,'
    f'"7-day click or 1-day view",12,{PURCHASE},4100,1.2195122,8.34916667,100.19,5000,20.038,150,0.66793333,3,210,'
    f"4.2,0.47709524,1250.5,800,Ongoing\n"
    f'2026-03-02,2026-03-02,2026-03-02,"Festa Store","Spring Sale – Purchases",120253000000000001,active,'
    f'"7-day click or 1-day view",9,{PURCHASE},3900,1.20512821,10.57888889,95.21,4700,20.25744681,140,0.68007143,'
    f"2.9787234,200,4.25531915,0.47605,980,650,Ongoing\n"
    f'2026-03-01,2026-03-01,2026-03-01,"Festa Store","Awareness, video",120253000000000002,active,'
    f'"1-day view",3000,reach,3000,3,0.01333333,40,9000,4.44444444,20,2,0.22222222,150,1.66666667,0.26666667,,5000,'
    f"2026-03-31\n"
    f'2026-03-02,2026-03-02,2026-03-02,"Festa Store","Awareness, video",120253000000000002,active,'
    f'"1-day view",2800,reach,2800,3.03571429,0.01642857,46,8500,5.41176471,18,2.55555556,0.21176471,140,'
    f"1.64705882,0.32857143,,4700,2026-03-31\n"
)


def _read(name, raw, options=None):
    doc = open_document(name, raw)
    assert meta.sniff(doc)
    return meta.read(doc, options or ReadOptions())


def test_daily_csv_totals_equal_the_summary_row_meta_shows_and_the_summary_is_left_out():
    result = _read("Festa-Store-Campaigns-Mar-1-2026-Mar-2-2026.csv", DAILY.encode("utf-8"))
    assert result.ok, result.problems
    f = result.frame
    assert result.skipped == [(2, "summary")]
    assert list(f["_row"]) == [3, 4, 5, 6]
    assert list(f["day"]) == [date(2026, 3, 1), date(2026, 3, 2)] * 2
    # the summary row's figures: spend 281.4, impressions 27200, link clicks 328, value 2230.5, plays 11150
    assert f["spend_minor"].sum() == 28140
    assert f["impressions"].sum() == 27200
    assert f["clicks"].sum() == 328  # link clicks, not Clicks (all) (700)
    assert f["revenue_minor"].sum() == 223050
    assert f["video_views"].sum() == 11150
    assert set(f["currency"]) == {"USD"}
    # Results count purchases only where the result indicator is a purchase (reach results are not sales)
    assert list(f["conversions"]) == [12.0, 9.0, 0.0, 0.0]
    assert list(f["reach"]) == [4100, 3900, 3000, 2800]
    assert list(f["attribution"]) == ["7-day click or 1-day view"] * 2 + ["1-day view"] * 2
    assert list(f["campaign"]) == ["Spring Sale – Purchases"] * 2 + ["Awareness, video"] * 2
    assert list(f["entity"]) == ["120253000000000001"] * 2 + ["120253000000000002"] * 2
    assert set(f["account"]) == {"Festa Store"}


PERIOD = (
    '"Reporting starts","Reporting ends","Campaign name","Amount spent (EUR)",Impressions,"Link clicks"\n'
    "2026-03-01,2026-03-07,,120.5,20000,300\n"
    "2026-03-01,2026-03-07,Spring,120.5,20000,300\n"
)


def test_rows_that_each_cover_several_days_are_refused_as_period_totals():
    result = _read("Store-Campaigns-Mar-1-2026-Mar-7-2026.csv", PERIOD.encode())
    assert [(p.code, p.row, p.column) for p in result.problems] == [("period_totals", 3, "Reporting starts")]
    assert (result.problems[0].param("start"), result.problems[0].param("end")) == ("2026-03-01", "2026-03-07")
    assert result.frame.empty and result.skipped == [(2, "summary")]


def test_a_day_breakdown_without_a_day_column_reads_reporting_starts():
    daily = PERIOD.replace("2026-03-01,2026-03-07,,", "2026-03-01,2026-03-02,,").replace(
        "2026-03-01,2026-03-07,Spring", "2026-03-02,2026-03-02,Spring"
    )
    result = _read("Store-Campaigns.csv", ("\ufeff" + daily).encode())
    assert result.ok, result.problems
    assert list(result.frame["day"]) == [date(2026, 3, 2)]
    assert result.frame.loc[0, "spend_minor"] == 12050 and result.frame.loc[0, "currency"] == "EUR"


def test_french_and_spanish_headers():
    fr = (
        '"Début des rapports","Fin des rapports","Nom de la campagne","Montant dépensé (EUR)",Impressions,'
        '"Clics sur un lien",Couverture\n'
        "2026-03-01,2026-03-01,Soldes de printemps,12.34,1000,25,800\n"
    )
    es = (
        '"Inicio del informe","Fin del informe","Nombre de la campaña","Importe gastado (EUR)",Impresiones,'
        '"Clics en el enlace",Alcance\n'
        "2026-03-01,2026-03-01,Rebajas de primavera,12.34,1000,25,800\n"
    )
    for text, name in ((fr, "Soldes de printemps"), (es, "Rebajas de primavera")):
        result = _read("export.csv", text.encode())
        assert result.ok, result.problems
        row = result.frame.iloc[0]
        assert (row["day"], row["campaign"], row["currency"]) == (date(2026, 3, 1), name, "EUR")
        assert (row["spend_minor"], row["impressions"], row["clicks"], row["reach"]) == (1234, 1000, 25, 800)


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Raw Data Report"
    ws.append(["Reporting starts", "Reporting ends", "Campaign name", "Campaign ID", "Ad set name", "Ad name",
               "Result indicator", "Results", "Purchases", "Amount spent (SGD)", "Impressions", "Link clicks",
               "Website purchases conversion value"])  # fmt: skip
    d1, d2 = datetime(2026, 3, 1), datetime(2026, 3, 2)
    ws.append([d1, d2, None, None, None, None, None, None, 7, 61.5, 12000, 240, 455.0])
    ws.append([d1, d1, "Traffic", "120253000000000003", "Broad", "Video A", "link_click", 130, 4, 30.25, 6000,
               130, 260.0])  # fmt: skip
    ws.append([d2, d2, "Traffic", 1.20253e17, "Broad", "Video A", "link_click", 110, 3, 31.25, 6000, 110, 195.0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_reads_dates_numbers_purchases_and_reports_an_id_excel_rounded():
    result = _read("Store-Ads-Mar-1-2026-Mar-2-2026.xlsx", _xlsx())
    assert [(p.code, p.row, p.column) for p in result.problems] == [("id_scientific", 4, "Campaign ID")]
    f = result.frame
    assert result.skipped == [(2, "summary")]
    assert list(f["day"]) == [date(2026, 3, 1), date(2026, 3, 2)]
    assert list(f["entity"]) == ["Video A", "Video A"]  # Ad name: the finest level in the file
    assert f["spend_minor"].sum() == 6150 and set(f["currency"]) == {"SGD"}
    # Results count link clicks here: conversions come from the Purchases column
    assert f["conversions"].sum() == 7.0
    assert f["revenue_minor"].sum() == 45500
    assert f["impressions"].sum() == 12000 and f["clicks"].sum() == 240


def test_a_bad_cell_is_named_by_row_and_column():
    bad = DAILY.replace(",95.21,", ",95.2.1,")
    result = _read("export.csv", bad.encode())
    assert [(p.code, p.row, p.column) for p in result.problems] == [("bad_money", 4, "Amount spent (USD)")]


def test_a_known_header_with_a_column_missing_is_refused_by_name():
    text = (
        '"Reporting starts","Reporting ends","Campaign name",Impressions,"Link clicks"\n2026-03-01,2026-03-01,A,1,0\n'
    )
    result = _read("export.csv", text.encode())
    assert [(p.code, p.column) for p in result.problems] == [("missing_column", "Amount spent")]
    assert result.frame.empty


def test_sniff_knows_meta_only():
    google = "Campaign report\nDay,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n"
    posts = 'Post id,Date,Post text,Impressions,Engagements\n1,"Fri, Jun 5, 2026",a,1,1\n'
    assert not meta.sniff(open_document("g.csv", google.encode()))
    assert not meta.sniff(open_document("p.csv", posts.encode()))
    assert not google_ads.sniff(open_document("m.csv", DAILY.encode()))
    assert not x.sniff(open_document("m.csv", DAILY.encode()))

"""GA4 CSV downloads as the UI writes them: the # comment block, a chart table, the report table, Grand total."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.exports import ga4, google_ads, tiktok
from connectors.exports.base import ReadOptions
from connectors.exports.document import DocumentError, open_document

PREAMBLE = (
    "# ----------------------------------------\n"
    "# Traffic acquisition: Session primary channel group (Default Channel Group)\n"
    "# Account: Festa Shop\n"
    "# Property: festa.example – GA4\n"
    "# ----------------------------------------\n"
    "#\n"
    "# All Users\n"
    "# Start date: 20261101\n"
    "# End date: 20261102\n"
)
CHART = "Nth day,Sessions\n0000,1500\n0001,1200\n\n"
CHANNELS = (
    "Session primary channel group (Default Channel Group),Date,Sessions,Engaged sessions,Engagement rate,"
    "Average engagement time per session,Key events,Session key event rate,Total revenue\n"
    "Grand total,,2700,1800,0.66666666666666663,61.2,45,0.0166,12345.67\n"
    "Organic Search,20261101,800,560,0.7,70.1,20,0.025,5000.5\n"
    "Paid Social,20261101,700,420,0.6,40.0,10,0.0142,3000\n"
    "Organic Search,20261102,1000,700,0.7,66.6,12,0.012,4000.17\n"
    "Direct,20261102,200,120,0.6,30.3,3,0.015,345\n"
)


def _read(text: str, options: ReadOptions | None = None, name: str = "ga4.csv"):
    doc = open_document(name, text.encode("utf-8"))
    assert ga4.sniff(doc)
    return ga4.read(doc, options or ReadOptions(currency="CNY"))


def test_the_dated_table_is_read_and_totals_match_the_grand_total_row():
    result = _read(PREAMBLE + CHART + CHANNELS)
    assert result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 2)]
    assert f["sessions"].sum() == 2700 and f["engagements"].sum() == 1800
    assert f["conversions"].sum() == 45 and f["revenue_minor"].sum() == 1234567
    assert list(f["entity"]) == ["Organic Search", "Paid Social", "Organic Search", "Direct"]
    assert set(f["account"]) == {"festa.example – GA4"} and set(f["currency"]) == {"CNY"}
    assert set(f["attribution"]) == {"ga4:key_events"}
    assert list(f["_row"]) == [16, 17, 18, 19]  # as a spreadsheet numbers the lines of the whole file
    assert result.skipped == [(15, "total")]
    assert result.info["period"] == "20261101-20261102" and result.info["property"] == "festa.example – GA4"
    assert result.info["title"].startswith("Traffic acquisition")


def test_source_medium_is_split_and_campaign_fills_utm_campaign_older_conversions_header():
    text = PREAMBLE + (
        "Session source / medium,Session campaign,Date,Sessions,Engaged sessions,Conversions,Total revenue,"
        "Transactions\n"
        "Grand total,,,330,200,7.5,700.00,6\n"
        "google / cpc,double11_search,20261101,300,180,7.5,700.00,6\n"
        "(direct) / (none),(not set),20261101,30,20,0,0,0\n"
    )
    f = _read(text).frame
    assert list(f["utm_source"]) == ["google", "(direct)"]
    assert list(f["utm_medium"]) == ["cpc", "(none)"]
    assert list(f["utm_campaign"]) == ["double11_search", ""] and list(f["campaign"]) == list(f["utm_campaign"])
    assert f["conversions"].sum() == 7.5 and f["orders"].sum() == 6 and f["revenue_minor"].sum() == 70000


def test_lower_case_channel_group_header_is_the_same_dimension():
    text = PREAMBLE + CHANNELS.replace("(Default Channel Group)", "(Default channel group)")
    assert list(_read(text).frame["entity"])[:2] == ["Organic Search", "Paid Social"]


def test_revenue_without_a_currency_is_a_problem_the_person_resolves():
    result = _read(PREAMBLE + CHANNELS, ReadOptions())
    assert [(p.code, p.column) for p in result.problems] == [("currency_unknown", "Total revenue")]


def test_a_file_without_a_dated_table_is_refused():
    text = PREAMBLE + CHART + "Session primary channel group (Default Channel Group),Sessions\nDirect,5\n"
    assert [p.code for p in _read(text).problems] == ["no_day"]


def test_a_dated_table_without_any_measure_is_a_missing_column():
    result = _read(PREAMBLE + "Date,Views\n20261101,5\n")
    assert [(p.code, p.row, p.column) for p in result.problems] == [("missing_column", 10, "Sessions")]


def test_a_bad_cell_is_named_by_its_row_in_the_whole_file_even_after_a_multi_line_cell():
    text = PREAMBLE + (
        "Session campaign,Date,Sessions\n"
        '"spring\nsale",20261101,10\n'
        "autumn,20261101,12\n"
        "\n"
        "Session campaign,Date,Sessions,Key events\n"
        "winter,20261101,7,1\n"
        "double11,2026-11-01,five,2\n"
    )
    result = _read(text)
    # rows as a spreadsheet shows them: the quoted two-line cell is one row
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        ("bad_date", 16, "Date"),
        ("bad_number", 16, "Sessions"),
    ]


def test_a_ragged_table_is_a_document_error_with_its_row():
    with pytest.raises(DocumentError) as exc:
        _read(PREAMBLE + "Date,Sessions\n20261101,5\n20261102,5,9\n")
    assert exc.value.code == "ragged" and exc.value.params["row"] == 12


def test_sniff_tells_ga4_from_other_exports():
    google = "Campaign report\nDay,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n"
    assert not ga4.sniff(open_document("g.csv", google.encode()))
    doc = open_document("ga4.csv", (PREAMBLE + CHART + CHANNELS).encode())
    assert not google_ads.sniff(doc) and not tiktok.sniff(doc)

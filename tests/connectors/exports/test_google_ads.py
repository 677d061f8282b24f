"""Google Ads downloads as the UI writes them: title and range lines, UTF-16 TSV, Total rows, quirks."""

from __future__ import annotations

from datetime import date

from connectors.exports import registry
from connectors.exports.base import ReadOptions

CSV = (
    "Campaign report,,,,,,,,\n"
    '"November 1, 2026 - November 2, 2026",,,,,,,,\n'
    "Day,Campaign,Campaign state,Clicks,Impr.,CTR,Currency code,Avg. CPC,Cost,Conversions,Conv. value\n"
    '2026-11-01,Double 11 Search,Enabled,"1,240",13220,9.38%,CNY,0.81,"1,004.40",12.37,"5,120.00"\n'
    "2026-11-02,Double 11 Search,Enabled,310,4100,7.56%,CNY,1.02,316.05,0.5,250.00\n"
    "2026-11-02,Totally Brand,Enabled,10,100,10.00%,CNY,0.50,5.00,--,--\n"
    "Total: Account,,,1560,17420,8.96%,,,1325.45,12.87,5370.00\n"
    "Total: Campaigns,,,1560,17420,8.96%,,,1325.45,12.87,5370.00\n"
)


def test_utf8_csv_reads_days_money_and_fractional_conversions_and_leaves_totals_out():
    result = registry.read("campaign.csv", CSV.encode("utf-8"))
    assert result.source == "google_ads" and result.ok, result.problems
    f = result.frame
    assert list(f["day"]) == [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 2)]
    assert list(f["clicks"]) == [1240, 310, 10]
    assert list(f["spend_minor"]) == [100440, 31605, 500]
    assert f["conversions"].sum() == 12.87
    assert list(f["campaign"]) == ["Double 11 Search", "Double 11 Search", "Totally Brand"]
    assert set(f["currency"]) == {"CNY"}
    assert [reason for _, reason in result.skipped] == ["total", "total"]
    assert result.info["period"].startswith("November 1, 2026")


def test_excel_csv_is_utf16_tab_separated_with_comma_decimals():
    tsv = (
        "Campaign report\n1 November 2026 - 2 November 2026\n"
        "Day\tCampaign\tClicks\tImpr.\tCost\tConversions\tCurrency code\n"
        "2026-11-01\t双11 搜索\t1.240\t13.220\t1.004,40\t0,5\tEUR\n"
    )
    raw = "\ufeff".encode("utf-8")[:0] + b"\xff\xfe" + tsv.encode("utf-16-le")
    result = registry.read("campaign.csv", raw)
    assert result.ok, result.problems
    assert result.frame.loc[0, "spend_minor"] == 100440
    assert result.frame.loc[0, "clicks"] == 1240
    assert result.frame.loc[0, "conversions"] == 0.5
    assert result.frame.loc[0, "campaign"] == "双11 搜索"


def test_a_bad_cell_is_named_by_row_and_column():
    bad = CSV.replace("316.05", "abc")
    result = registry.read("campaign.csv", bad.encode())
    assert [(p.code, p.row, p.column) for p in result.problems] == [("bad_money", 5, "Cost")]


def test_a_report_without_days_is_refused():
    no_day = "Campaign report\nCampaign,Clicks,Impr.,Cost\nA,1,2,3\n"
    result = registry.read("campaign.csv", no_day.encode())
    assert [p.code for p in result.problems] == ["no_day"]


def test_missing_required_column_is_named():
    text = "Day,Campaign,Clicks,Impr.\n2026-11-01,A,1,2\n"
    result = registry.read("x.csv", text.encode(), source="google_ads", options=ReadOptions())
    assert [p.code for p in result.problems] == ["not_this_source"]


def test_a_row_with_too_many_cells_is_a_problem_not_a_crash():
    ragged = CSV.replace("2026-11-02,Totally Brand,", "2026-11-02,Totally,Brand,")
    result = registry.read("campaign.csv", ragged.encode())
    assert [(p.code, p.file) for p in result.problems] == [("file_ragged", "campaign.csv")]
    assert result.problems[0].row == 6

"""X analytics exports as X writes them: the legacy tweet-activity CSV (every field quoted, BOM, float
counts, promoted columns), the current post export and the account overview."""

from __future__ import annotations

import csv
import io
from datetime import date

from connectors.exports import google_ads, x
from connectors.exports.base import ReadOptions
from connectors.exports.document import open_document

METRICS = [
    "impressions", "engagements", "engagement rate", "retweets", "replies", "likes", "user profile clicks",
    "url clicks", "hashtag clicks", "detail expands", "permalink clicks", "app opens", "app installs", "follows",
    "email tweet", "dial phone", "media views", "media engagements",
]  # fmt: skip
LEGACY_HEADER = ["Tweet id", "Tweet permalink", "Tweet text", "time", *METRICS, *(f"promoted {m}" for m in METRICS)]


def _tweet(tid, text, time, organic, promoted=None):
    """One tweet row: ``organic``/``promoted`` give impressions, engagements, retweets, replies, likes,
    url clicks, media views; the other metrics are 0 (organic) or "-" (not promoted)."""

    def cells(values, none):
        if values is None:
            return [none] * len(METRICS)
        imp, eng, rt, rep, like, url, media = values
        rate = f"{eng / imp}" if imp else "0.0"
        by = {"impressions": imp, "engagements": eng, "retweets": rt, "replies": rep, "likes": like,
              "url clicks": url, "media views": media}  # fmt: skip
        return [rate if m == "engagement rate" else f"{float(by.get(m, 0))}" for m in METRICS]

    link = f"https://twitter.com/festa_shop/status/{tid}"
    return [tid, link, text, time, *cells(organic, "0.0"), *cells(promoted, "-")]


LEGACY_ROWS = [
    _tweet("1226917035767816193", "Lantern Festival sale,\nstarts now!", "2020-02-10 18:00 +0000",
           (1203, 45, 3, 2, 30, 7, 0)),
    _tweet("1227000000000000001", 'He said "50% off", twice', "2020-02-10 23:59 +0000",
           (880, 20, 1, 0, 15, 2, 140), (5000, 210, 4, 1, 60, 120, 900)),
    _tweet("1227300000000000002", "Last call 🏮", "2020-02-11 00:01 +0000", (2_500, 130, 10, 6, 90, 18, 0)),
]  # fmt: skip


def _csv(header, rows, quote=csv.QUOTE_ALL, bom=True) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, quoting=quote, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _read(name, raw, options=None):
    doc = open_document(name, raw)
    assert x.sniff(doc)
    return x.read(doc, options or ReadOptions())


def test_legacy_tweet_activity_keeps_organic_and_promoted_apart_and_totals_complete():
    result = _read("tweet_activity_metrics_festa_20200210_20200211_en.csv", _csv(LEGACY_HEADER, LEGACY_ROWS))
    assert result.ok, result.problems
    f = result.frame
    assert list(f["post_id"]) == ["1226917035767816193", "1227000000000000001", "1227000000000000001",
                                  "1227300000000000002"]  # fmt: skip
    assert list(f["entity"]) == list(f["post_id"])
    assert list(f["attribution"]) == ["", "", "promoted", ""]
    # a record whose text holds a line break is still one spreadsheet row
    assert list(f["_row"]) == [2, 3, 3, 4]
    # time is UTC; the day is its UTC date
    assert list(f["day"]) == [date(2020, 2, 10), date(2020, 2, 10), date(2020, 2, 10), date(2020, 2, 11)]
    organic = f[f["attribution"] == ""]
    assert organic["impressions"].sum() == 1203 + 880 + 2500
    assert organic["engagements"].sum() == 45 + 20 + 130
    paid = f[f["attribution"] == "promoted"].iloc[0]
    assert (paid["impressions"], paid["engagements"], paid["clicks"], paid["video_views"]) == (5000, 210, 120, 900)
    assert (paid["shares"], paid["comments"], paid["likes"]) == (4, 1, 60)
    # the complete total is organic plus promoted, as X's analytics show it
    assert f["impressions"].sum() == 1203 + 880 + 2500 + 5000
    assert list(organic["shares"]) == [3, 1, 10] and list(organic["comments"]) == [2, 0, 6]
    assert list(organic["likes"]) == [30, 15, 90] and list(organic["clicks"]) == [7, 2, 18]
    assert set(f["campaign"]) == {""} and set(f["currency"]) == {""}
    assert f["spend_minor"].sum() == 0


def test_older_legacy_files_say_favorites():
    header = [h.replace("likes", "favorites") for h in LEGACY_HEADER]
    result = _read("tweets.csv", _csv(header, LEGACY_ROWS, bom=False))
    assert result.ok, result.problems
    assert result.frame["likes"].sum() == 30 + 15 + 60 + 90


def test_a_bad_promoted_cell_names_the_promoted_column_and_its_row():
    rows = [list(r) for r in LEGACY_ROWS]
    rows[1][LEGACY_HEADER.index("promoted impressions")] = "5k?"
    rows[2][LEGACY_HEADER.index("time")] = "yesterday"
    result = _read("tweets.csv", _csv(LEGACY_HEADER, rows))
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        ("bad_date", 4, "time"),
        ("bad_number", 3, "promoted impressions"),
    ]


def test_an_id_a_spreadsheet_rounded_is_reported():
    rows = [list(r) for r in LEGACY_ROWS]
    rows[0][0] = "1.22692E+18"
    result = _read("tweets.csv", _csv(LEGACY_HEADER, rows))
    assert [(p.code, p.row, p.column) for p in result.problems] == [("id_scientific", 2, "Tweet id")]


def test_a_known_header_with_a_column_missing_is_refused_by_name():
    at = LEGACY_HEADER.index("engagements")
    header = LEGACY_HEADER[:at] + LEGACY_HEADER[at + 1 :]
    rows = [r[:at] + r[at + 1 :] for r in LEGACY_ROWS]
    result = _read("tweets.csv", _csv(header, rows))
    assert [(p.code, p.column) for p in result.problems] == [("missing_column", "engagements")]
    assert result.frame.empty


POSTS = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Replies,Reposts,"
    "Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks\n"
    '1798123456789012345,"Fri, Jun 5, 2026","Dragon Boat picks, part 1\n🐉",https://x.com/festa/status/1798123456789012345,'
    '"12,034",210,"1,045",33,4,2,17,25,40,300,120,3,9\n'
    '1798999999999999999,"Sat, Jun 6, 2026",Zongzi box,https://x.com/festa/status/1798999999999999999,'
    "980,12,61,0,0,0,1,2,3,20,8,0,1\n"
)


def test_current_post_export_reads_separators_dates_and_adds_shares_to_reposts():
    result = _read("account_analytics_content_2026-06-05_2026-06-06.csv", POSTS.encode())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["post_id"]) == ["1798123456789012345", "1798999999999999999"]
    assert list(f["day"]) == [date(2026, 6, 5), date(2026, 6, 6)]
    assert list(f["impressions"]) == [12034, 980]
    assert list(f["engagements"]) == [1045, 61]
    assert list(f["saves"]) == [33, 0]
    assert list(f["shares"]) == [25 + 4, 2]
    assert list(f["comments"]) == [17, 1]
    assert list(f["clicks"]) == [120, 8]
    assert list(f["_row"]) == [2, 3]
    assert set(f["attribution"]) == {""}


OVERVIEW = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,Profile visits,"
    "Create Post,Video views,Media views\n"
    '"Fri, Jun 5, 2026","13,014",222,"1,106",33,4,2,1,18,27,43,2,"1,500",2400\n'
    '"Sat, Jun 6, 2026",900,10,50,1,0,0,0,1,1,2,0,0,10\n'
)


def test_account_overview_is_one_account_row_per_day():
    result = _read("account_overview_analytics.csv", OVERVIEW.encode())
    assert result.ok, result.problems
    f = result.frame
    assert list(f["entity"]) == ["account", "account"] and set(f["post_id"]) == {""}
    assert list(f["day"]) == [date(2026, 6, 5), date(2026, 6, 6)]
    assert f["impressions"].sum() == 13914 and f["engagements"].sum() == 1156
    assert list(f["video_views"]) == [1500, 0]
    assert list(f["shares"]) == [31, 1]
    assert result.info["layout"] == "overview"


def test_sniff_knows_x_layouts_only():
    google = "Campaign report\nDay,Campaign,Clicks,Impr.,Cost\n2026-11-01,A,1,2,3\n"
    meta = (
        '"Reporting starts","Reporting ends","Campaign name",Reach,Impressions,"Amount spent (USD)","Link clicks"\n'
        "2026-03-01,2026-03-01,Spring,10,20,1.00,3\n"
    )
    assert not x.sniff(open_document("g.csv", google.encode()))
    assert not x.sniff(open_document("m.csv", meta.encode()))
    assert not google_ads.sniff(open_document("p.csv", POSTS.encode()))
    assert x.sniff(open_document("o.csv", OVERVIEW.encode()))

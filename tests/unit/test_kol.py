"""KOL roster logic: tiers, validation, estimates, the roster file, and shortlisting."""

from decimal import Decimal

import pytest

from campaigns import kol, kol_io
from campaigns.kol_shortlist import Candidate, Method, greedy, knapsack, shortlist


def _draft(**kw):
    base = dict(name="小美", accounts=(kol.Account("douyin", "@Mei ", followers=5),), currency="CNY")
    return kol.normalise(kol.PartnerDraft(**(base | kw)))


@pytest.mark.parametrize(
    "followers, tier",
    [(1_000_000, "mega"), (999_999, "macro"), (100_000, "macro"), (10_000, "micro"), (9_999, "nano"), (0, "nano")],
)
def test_tiers_start_at_their_threshold(followers, tier):
    assert kol.tier(followers) == tier


def test_thresholds_are_the_workspaces_own_and_must_go_up():
    t = kol.Thresholds(mega=500_000, macro=50_000, micro=5_000)
    assert kol.tier(600_000, t) == "mega" and kol.tier(6_000, t) == "micro"
    assert [p.code for p in kol.Thresholds(100, 1000, 10).problems()] == ["tiers_not_increasing"]


def test_handles_are_cleaned_and_a_good_draft_has_no_problems():
    d = _draft(categories=(" beauty", "Beauty", "food"), rate_card={"short_video": 500_000})
    assert d.accounts[0].handle == "mei" and d.categories == ("beauty", "food")
    assert kol.validate(d) == []


def test_problems_are_named_at_their_fields():
    d = _draft(
        name="",
        currency="RMB",
        accounts=(
            kol.Account("myspace", "a"),
            kol.Account("douyin", "b", url="ftp://x", followers=-1, engagement_rate=Decimal("0.05")),
            kol.Account("douyin", "B"),
        ),
        rate_card={"short_video": -1, "banner": 5},
    )
    found = {(p.field, p.code) for p in kol.validate(d)}
    assert found == {
        ("name", "required"),
        ("currency", "bad_currency"),
        ("accounts.0.platform", "unknown_platform"),
        ("accounts.1.url", "not_a_link"),
        ("accounts.1.followers", "bad_count"),
        ("accounts.1.er_variant", "variant_required"),
        ("accounts.2.handle", "duplicate_handle"),
        ("rate_card.short_video", "negative"),
        ("rate_card.banner", "unknown_deliverable"),
    }


def test_expected_engagements_say_which_base_they_use():
    views = kol.Account("douyin", "a", followers=1_000_000, typical_views=200_000, engagement_rate=Decimal("0.05"),
                        er_variant="views")  # fmt: skip
    erf = kol.Account("douyin", "a", followers=1_000_000, typical_views=200_000, engagement_rate=Decimal("0.01"),
                      er_variant="erf")  # fmt: skip
    assert kol.expected_engagements(views) == 10_000 and kol.expected_engagements(erf) == 10_000
    assert kol.expected_engagements(kol.Account("x", "a", followers=10)) is None
    assert kol.cost_per_engagement(500_000, 10_000) == 50 and kol.cost_per_engagement(5, 0) is None
    assert kol.fee_for({"a": 3, "b": 2}, None) == 2 and kol.fee_for({"a": 3}, "b") is None


# --- the roster file ------------------------------------------------------------------------------------------------
ROSTER = (
    "name,platform,handle,followers,typical_views,engagement_rate,er_variant,categories,currency,fee_short_video\n"
    '小美,抖音,@Mei,120万,30w,3.5%,views,"美妆，护肤",CNY,"5,000"\n'
    "小美,xiaohongshu,mei_xhs,1.2w,,0.05,erf,,,\n"
    "Tom,tiktok,tom,12k,5k,2%,views,food,USD,800\n"
).encode()


def test_a_roster_file_is_read_with_partners_grouped_by_name():
    p = kol_io.parse(ROSTER, "r.csv", "CNY")
    assert p.problems == []
    (_, mei), (_, tom) = p.drafts
    assert [a.handle for a in mei.accounts] == ["mei", "mei_xhs"] and mei.categories == ("美妆", "护肤")
    assert mei.accounts[0].followers == 1_200_000 and mei.accounts[0].typical_views == 300_000
    assert mei.accounts[0].engagement_rate == Decimal("0.035") and mei.rate_card == {"short_video": 500_000}
    assert tom.currency == "USD" and tom.rate_card == {"short_video": 80_000}


def test_every_problem_of_a_file_is_named_with_row_and_column():
    bad = (
        "name,platform,handle,engagement_rate,er_variant,fee_short_video,currency,region\n"
        "A,douyin,dup,5,views,100,CNY,上海\n"
        "B,douyin,@DUP,,,USD 80,CNY,\n"
        "B,weibo,b,1%,,¥1.234,,北京\n"
        ",weibo,c,,,,,\n"
    ).encode()
    p = kol_io.parse(bad, "bad.csv", "CNY")
    found = [(x.file, x.row, x.field, x.code) for x in p.problems]
    assert found == [
        ("bad.csv", 2, "engagement_rate", "bad_rate"),
        ("bad.csv", 3, "fee_short_video", "no_rate"),
        ("bad.csv", 3, "handle", "duplicate_in_file"),
        ("bad.csv", 4, "er_variant", "variant_required"),
        ("bad.csv", 4, "fee_short_video", "too_many_decimals"),
        ("bad.csv", 5, "name", "required"),
    ]
    assert next(x for x in p.problems if x.code == "duplicate_in_file").params == {"first": 2}


def test_a_fee_in_another_currency_counts_with_a_rate():
    data = b"name,platform,handle,fee_live_stream\nA,douyin,a,USD 800\n"
    p = kol_io.parse(data, "r.csv", "CNY", {"USD/CNY": Decimal("7.1")})
    assert p.problems == [] and p.drafts[0][1].rate_card == {"live_stream": 568_000}


def test_missing_columns_and_partner_fields_that_disagree():
    assert [x.code for x in kol_io.parse(b"name,handle\nA,a\n", "r.csv", "CNY").problems] == ["missing_column"]
    data = "name,platform,handle,region\nA,douyin,a,上海\nA,weibo,a2,北京\n".encode()
    (p,) = kol_io.parse(data, "r.csv", "CNY").problems
    assert (p.row, p.field, p.code, p.params) == (3, "region", "conflicting", {"first": 2})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reads_back_and_is_formula_safe(fmt):
    account = kol.Account("douyin", "a", followers=12, engagement_rate=Decimal("0.035"), er_variant="views")
    d = _draft(name='=HYPERLINK("x")', notes="@boss", rate_card={"short_video": 123_456}, accounts=(account,))
    data = kol_io.export([(d, "素人")], fmt)
    rows, _ = kol_io.read_table(data, f"r.{fmt}")
    assert rows[1][0] == '\'=HYPERLINK("x")' and rows[1][-1] == "素人"
    ((_, back),) = kol_io.parse(data, f"r.{fmt}", "CNY").drafts
    assert back == d


def test_formulas_in_an_xlsx_are_never_run():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["name", "platform", "handle", "followers"])
    book.active.append(["A", "douyin", "a", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    parsed = kol_io.parse(out.getvalue(), "r.xlsx", "CNY")  # no cached value: an empty cell, not 2
    assert parsed.problems == [] and parsed.drafts[0][1].accounts[0].followers == 0


# --- shortlist ------------------------------------------------------------------------------------------------------
TRAP = [  # greedy takes A (best per yuan) and then nothing fits; B + C is better
    Candidate(1, "A", 60_00, 70),
    Candidate(2, "B", 50_00, 55),
    Candidate(3, "C", 50_00, 55),
]


def test_greedy_can_be_worse_than_the_knapsack():
    g = greedy(TRAP, 100_00)
    k = knapsack(TRAP, 100_00, 100)
    assert [c.name for c in g.picked] == ["A"] and g.engagements == 70 and g.method == Method.GREEDY
    assert [c.name for c in k.picked] == ["B", "C"] and k.engagements == 110 and k.method == Method.KNAPSACK
    assert k.fee_minor <= 100_00 and k.unit_minor == 100


def test_knapsack_rounds_fees_up_so_the_pick_never_passes_the_budget():
    items = [Candidate(1, "A", 50_01, 10), Candidate(2, "B", 50_00, 10)]
    r = knapsack(items, 100_01, 10_000)  # 100-yuan steps: each fee is one step, the budget one step
    assert len(r.picked) == 1 and r.fee_minor <= 100_01


def test_knapsack_matches_brute_force():
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(30):
        items = [Candidate(i, str(i), rng.randrange(1, 40) * 100, rng.randrange(0, 100)) for i in range(8)]
        budget = rng.randrange(0, 120) * 100
        best = max(
            sum(c.engagements for c in s)
            for n in range(9)
            for s in itertools.combinations(items, n)
            if sum(c.fee_minor for c in s) <= budget
        )
        assert shortlist(items, budget, "knapsack", 100).engagements == best
        assert shortlist(items, budget, "greedy", 100).engagements <= best


def test_every_problem_code_and_label_has_a_message():
    import re
    from pathlib import Path

    from app.ui.catalog import CATALOG

    root = Path(__file__).resolve().parents[2]
    source = "".join(
        (root / f).read_text(encoding="utf-8")
        for f in ("campaigns/kol.py", "campaigns/kol_io.py", "app/services/kol_roster.py")
    )
    codes = set(re.findall(r'Problem\(\s*[^,]+,\s*"([a-z_]+)"', source)) | set(
        re.findall(r'bad\([^,]+, "([a-z_]+)"', source)
    )
    codes |= {"spreadsheet_not_csv", "bad_encoding", "binary"} | {
        "bad_currency",
        "no_rate",
        "bad_money",
        "too_many_decimals",
    }
    assert len(codes) >= 25, "the scan is broken"
    needed = {f"kol_error.{x}" for x in codes} | {f"kol.platform_{p}" for p in kol.Platform}
    needed |= {f"kol.tier_{x}" for x in kol.Tier} | {f"kol.er_{v}" for v in kol.ErVariant}
    needed |= {f"kol.deliv_{d}" for d in kol.Deliverable} | {
        f"kol.skip_{w}" for w in ("no_fee", "no_estimate", "other_currency")
    }
    assert needed - set(CATALOG) == set()

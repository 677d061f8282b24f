"""Tying imported rows to campaigns, partners, posts and channels: the documented precedence, rules scoped to
their source, partners by code and by handle, the channel from utm_source, and each distinct value decided
once however many rows carry it."""

import pandas as pd
import pytest

from campaigns import matching
from campaigns.facts import TEXT
from campaigns.matching import PostRef, Rule, World, match

CHOSEN, POST, EQUALS, CONTAINS, UTM, CODE, NAME = 1, 2, 3, 4, 5, 6, 7


def frame(source: str = "meta", n: int | None = None, **columns) -> pd.DataFrame:
    """A canonical frame of one source: every text column "" unless given (a list gives one row per item)."""
    n = n or max((len(v) for v in columns.values() if isinstance(v, list)), default=1)
    data = {"source": [source] * n}
    for name in TEXT:
        value = columns.get(name, "")
        data[name] = value if isinstance(value, list) else [value] * n
    return pd.DataFrame(data).astype("str")


def world(**overrides) -> World:
    w = World(
        campaigns={
            CHOSEN: "Chosen",
            POST: "Post campaign",
            EQUALS: "Equals campaign",
            CONTAINS: "Contains campaign",
            UTM: "Double 11 · 2027",
            CODE: "Coupon campaign",
            NAME: "Spring Festival 2027",
        },
        rules=[
            Rule("campaign", "contains", "双11", CONTAINS),  # made first, still after every equals rule
            Rule("campaign", "equals", "双11 大促", EQUALS),
        ],
        posts={"1890000000000000001": PostRef(post_id=99, campaign_id=POST, account_id=42, channel="x")},
        codes={"FESTA11": CODE},
    )
    for k, v in overrides.items():
        setattr(w, k, v)
    return w


EVERYTHING = {
    "post_id": "1890000000000000001",
    "campaign": "双11 大促",  # the equals rule, the contains rule, and not a campaign name
    "utm_campaign": "double-11-2027",
    "code": "festa-11",
    "account": "Festa Official",
}


def campaign_of(w: World, chosen: int | None = None, source: str = "meta", **columns) -> int | None:
    out = match(frame(source, **columns), w, chosen)
    value = out["campaign_id"].iloc[0]
    return None if pd.isna(value) else int(value)


def test_the_chosen_campaign_wins_over_everything():
    assert campaign_of(world(), CHOSEN, **EVERYTHING) == CHOSEN


def test_precedence_one_way_after_another():
    """Take away the strongest tie each time: the next one in the documented order decides."""
    cols = dict(EVERYTHING, campaign="双11 大促")
    assert campaign_of(world(), **cols) == POST
    cols["post_id"] = "unknown"
    assert campaign_of(world(), **cols) == EQUALS
    cols["campaign"] = "2027 双11 预热"  # contains only
    assert campaign_of(world(), **cols) == CONTAINS
    cols["campaign"] = "Spring Festival 2027"  # a campaign's name, but the utm slug comes first
    assert campaign_of(world(), **cols) == UTM
    cols["utm_campaign"] = "not-a-campaign"
    assert campaign_of(world(), **cols) == CODE
    cols["code"] = "NOPE"
    assert campaign_of(world(), **cols) == NAME
    cols["campaign"] = "something else"
    assert campaign_of(world(), **cols) is None


def test_a_post_ties_campaign_account_post_and_channel():
    out = match(frame("x", post_id="1890000000000000001"), world())
    assert out.loc[0, ["campaign_id", "post_fk", "account_id"]].tolist() == [POST, 99, 42]
    assert out.loc[0, "channel"] == "x"


def test_a_post_without_a_campaign_leaves_the_campaign_to_the_next_rule():
    w = world(posts={"7": PostRef(post_id=5, campaign_id=None, account_id=1, channel="weibo")})
    out = match(frame("orders", post_id="7", utm_campaign="Double-11-2027"), w)
    assert out.loc[0, ["campaign_id", "post_fk", "account_id"]].tolist() == [UTM, 5, 1]
    assert out.loc[0, "channel"] == "weibo"  # the matched post's channel wins over the source's


def test_equals_rules_apply_in_the_order_they_were_made():
    w = world(rules=[Rule("campaign", "equals", "x", EQUALS), Rule("campaign", "equals", "x", CONTAINS)])
    assert campaign_of(w, campaign=" X ") == EQUALS  # compared folded: case, width and spaces


def test_rules_on_other_fields():
    w = world(rules=[Rule("utm_campaign", "equals", "kol-spring", NAME), Rule("entity", "contains", "ad-", CODE)])
    assert campaign_of(w, utm_campaign="KOL-Spring") == NAME
    assert campaign_of(w, entity="Ad-123") == CODE
    assert campaign_of(world(rules=[Rule("campaign", "contains", "", NAME)]), campaign="anything") is None


def test_rules_for_one_source_do_not_apply_to_another():
    w = world(rules=[Rule("campaign", "equals", "brand", EQUALS, source="meta")])
    assert campaign_of(w, source="meta", campaign="Brand") == EQUALS
    assert campaign_of(w, source="tiktok", campaign="Brand") is None
    w = world(rules=[Rule("campaign", "equals", "brand", EQUALS, source="")])  # "" is every source
    assert campaign_of(w, source="tiktok", campaign="Brand") == EQUALS


def test_utm_campaign_matches_the_campaign_slug():
    assert matching.slug("Double 11 · 2027") == "double-11-2027"
    assert campaign_of(world(), utm_campaign="double_11_2027") == UTM
    assert campaign_of(world(), utm_campaign="DOUBLE-11-2027") == UTM


def test_coupon_codes_compare_without_case_dashes_or_spaces():
    assert campaign_of(world(), code="festa 11") == CODE
    assert campaign_of(world(), code="Festa-11") == CODE
    assert campaign_of(world(), code="FESTA12") is None


def test_campaign_name_or_slug_matches_last():
    assert campaign_of(world(), campaign="spring festival 2027") == NAME
    assert campaign_of(world(), campaign="spring-festival-2027") == NAME


def test_partner_by_code_and_by_account_handle():
    w = world(partner_codes={"AMY10": 7}, partners={"@amy.eats": 8, "小红薯bob": 9})
    out = match(
        frame("xiaohongshu", code=["amy-10", "", "", "AMY10"], account=["", "@Amy.Eats", "小红薯BOB", "@amy.eats"]), w
    )
    assert out["partner_id"].tolist() == [7, 8, 9, 7]  # the code first, then the handle


def test_partner_from_a_rule_comes_before_the_code():
    w = world(rules=[Rule("campaign", "equals", "kol push", EQUALS, partner_id=3)], partner_codes={"AMY10": 7})
    out = match(frame(campaign=["KOL push", "other"], code="AMY10"), w)
    assert out["partner_id"].tolist() == [3, 7]
    assert out["campaign_id"].tolist()[0] == EQUALS


def test_the_chosen_campaign_keeps_partners_and_posts():
    w = world(partner_codes={"AMY10": 7})
    out = match(frame(post_id="1890000000000000001", code="AMY10"), w, CHOSEN)
    assert out.loc[0, ["campaign_id", "post_fk", "partner_id"]].tolist() == [CHOSEN, 99, 7]


def test_unmatched_rows_stay_unassigned():
    out = match(frame(campaign=["nothing", "at all"]), world())
    assert out["campaign_id"].isna().all() and out["partner_id"].isna().all() and out["post_fk"].isna().all()
    assert str(out["campaign_id"].dtype) == "Int64"


def test_an_empty_frame():
    out = match(frame(n=1).iloc[0:0], world())
    assert len(out) == 0 and {"campaign_id", "post_fk", "account_id", "partner_id", "channel"} <= set(out)


@pytest.mark.parametrize(
    ("source", "utm", "expected"),
    [
        ("orders", ["Weibo", "", "Xiaohongshu "], ["weibo", "shop", "xiaohongshu"]),
        ("ga4", ["google", ""], ["google", "web"]),
        ("mapping", ["WeChat", ""], ["wechat", "other"]),
        ("meta", ["google", ""], ["meta", "meta"]),  # a platform's rows are that platform's
        ("ocean_engine", ["x"], ["douyin"]),
    ],
)
def test_channel_from_utm_source_for_orders_analytics_and_mapped_files(source, utm, expected):
    out = match(frame(source, utm_source=utm), World())
    assert out["channel"].tolist() == expected


def test_channel_from_utm_source_is_cut_to_32_characters():
    out = match(frame("orders", utm_source="x" * 40), World())
    assert out["channel"].tolist() == ["x" * 32]


# --- distinct values are decided once ------------------------------------------------------------------------


class CountingDict(dict):
    """A lookup table that counts how often matching asks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = 0

    def get(self, key, default=None):
        self.asked += 1
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked += 1
        return super().__getitem__(key)


def counted_world() -> World:
    w = world(
        rules=[Rule("campaign", "contains", "双11", CONTAINS), Rule("code", "equals", "vip", EQUALS, partner_id=3)],
        posts=CountingDict({"1890000000000000001": PostRef(99, POST, 42, "x")}),
        codes=CountingDict({"FESTA11": CODE}),
        partner_codes=CountingDict({"AMY10": 7}),
        partners=CountingDict({"@amy": 8}),
    )
    return w


def decisions(monkeypatch, rows: int) -> dict[str, int]:
    """How often each decision is made for ``rows`` rows carrying the same two values in every column."""
    calls = {"fold": 0, "slug": 0, "code_key": 0}
    for name in calls:
        real = getattr(matching, name)

        def counted(value, _real=real, _name=name):
            calls[_name] += 1
            return _real(value)

        monkeypatch.setattr(matching, name, counted)
    w = counted_world()
    half = rows // 2
    f = frame(
        "orders",
        post_id=["1890000000000000001", "2"] * half,
        campaign=["双11 预热", "Spring Festival 2027"] * half,
        utm_campaign=["double-11-2027", "x"] * half,
        code=["festa-11", "amy-10"] * half,
        account=["@Amy", "@bob"] * half,
        utm_source=["Weibo", "wechat"] * half,
    )
    out = match(f, w)
    assert out["campaign_id"].tolist()[:2] == [POST, NAME]
    lookups = {
        "posts": w.posts.asked,
        "codes": w.codes.asked,
        "partner_codes": w.partner_codes.asked,
        "partners": w.partners.asked,
    }
    monkeypatch.undo()
    return calls | lookups


def test_each_distinct_value_is_decided_once_however_many_rows(monkeypatch):
    few = decisions(monkeypatch, 2)
    many = decisions(monkeypatch, 10_000)
    assert many == few, "matching work grew with the number of rows, not with their distinct values"
    # each lookup in the workspace's tables is asked once per distinct value (two here)
    assert [few[k] for k in ("posts", "codes", "partner_codes", "partners")] == [2, 2, 2, 2]

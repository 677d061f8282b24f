"""KOL partners' codes in matching: a row carrying a deal's tracking code as its coupon code or as the tracking
link's utm_content gets the partner and, when nothing before it tied the campaign, the deal's campaign."""

import pandas as pd

from campaigns import matching
from campaigns.matching import PostRef, Rule, World, match
from tests.unit.test_matching import frame as base_frame

CHOSEN, POST, RULE, UTM, COUPON, DEAL_A, DEAL_B, NAME = 1, 2, 3, 4, 5, 6, 7, 8
AMY, BOB, RULE_PARTNER, HANDLE = 70, 80, 90, 95


def frame(source: str = "orders", n: int | None = None, **columns) -> pd.DataFrame:
    """test_matching's canonical frame, of orders by default."""
    return base_frame(source, n, **columns)


def world(**overrides) -> World:
    w = World(
        campaigns={
            CHOSEN: "Chosen",
            POST: "Post campaign",
            RULE: "Rule campaign",
            UTM: "Double 11 · 2027",
            COUPON: "Coupon campaign",
            DEAL_A: "Amy's deal campaign",
            DEAL_B: "Bob's deal campaign",
            NAME: "Spring Festival 2027",
        },
        rules=[Rule("campaign", "equals", "kol push", RULE)],
        posts={"1890000000000000001": PostRef(post_id=99, campaign_id=POST, account_id=42, channel="x")},
        codes={"FESTA11": COUPON},
        partner_codes={"AMYZ7KD3": AMY, "BOBQ9XW2": BOB},
        partner_code_campaigns={"AMYZ7KD3": DEAL_A, "BOBQ9XW2": DEAL_B},
        partners={"@bob": HANDLE},
    )
    for k, v in overrides.items():
        setattr(w, k, v)
    return w


def ties(w: World, chosen: int | None = None, source: str = "orders", **columns) -> list[tuple]:
    """(campaign, partner) of each row, None where nothing tied."""
    out = match(frame(source, **columns), w, chosen)
    return [
        (None if pd.isna(c) else int(c), None if pd.isna(p) else int(p))
        for c, p in zip(out["campaign_id"], out["partner_id"], strict=True)
    ]


def test_the_coupon_code_column_ties_the_partner_and_the_deals_campaign():
    assert ties(world(), code="AMYZ7KD3") == [(DEAL_A, AMY)]
    assert ties(world(), code=" amy-z7kd 3 ") == [(DEAL_A, AMY)]  # compared as coupon codes are


def test_utm_content_ties_the_partner_and_the_deals_campaign():
    rows = ties(world(), utm_content=["AMYZ7KD3", "bobq9xw2", "amy-z7kd3", "", "nobody"])
    assert rows == [(DEAL_A, AMY), (DEAL_B, BOB), (DEAL_A, AMY), (None, None), (None, None)]


def test_a_partner_code_in_any_source_ties_ga4_and_mapped_rows_too():
    assert ties(world(), source="ga4", utm_content="AMYZ7KD3") == [(DEAL_A, AMY)]
    assert ties(world(), source="mapping", code="BOBQ9XW2") == [(DEAL_B, BOB)]


def test_the_coupon_code_comes_before_utm_content():
    """A row carrying two partners' codes: the coupon code's partner and deal win, for both ties."""
    assert ties(world(), code="BOBQ9XW2", utm_content="AMYZ7KD3") == [(DEAL_B, BOB)]
    # a coupon code that is no partner's leaves utm_content to decide the partner
    assert ties(world(), code="NOTACODE", utm_content="AMYZ7KD3") == [(DEAL_A, AMY)]


def test_a_campaign_tied_earlier_stays_and_the_partner_is_still_tied():
    code = {"utm_content": "AMYZ7KD3"}
    assert ties(world(), CHOSEN, **code) == [(CHOSEN, AMY)]
    assert ties(world(), post_id="1890000000000000001", **code) == [(POST, AMY)]
    assert ties(world(), campaign="KOL push", **code) == [(RULE, AMY)]
    assert ties(world(), utm_campaign="double-11-2027", **code) == [(UTM, AMY)]
    assert ties(world(), code="festa-11", **code) == [(COUPON, AMY)]  # a batch's coupon code comes first
    # the partner's code comes before the platform's campaign name
    assert ties(world(), campaign="Spring Festival 2027", **code) == [(DEAL_A, AMY)]
    assert ties(world(), campaign="Spring Festival 2027") == [(NAME, None)]


def test_a_rules_partner_comes_before_the_code_and_the_code_before_the_handle():
    w = world(rules=[Rule("campaign", "equals", "kol push", RULE, partner_id=RULE_PARTNER)])
    assert ties(w, campaign="KOL push", utm_content="AMYZ7KD3") == [(RULE, RULE_PARTNER)]
    assert ties(w, account="@Bob", utm_content="AMYZ7KD3") == [(DEAL_A, AMY)]
    assert ties(w, account="@Bob") == [(None, HANDLE)]


def test_a_code_the_world_does_not_hold_ties_nothing():
    """Which deals' codes count (a declined or cancelled deal's do not) is decided when the World is built."""
    w = world(partner_codes={"BOBQ9XW2": BOB}, partner_code_campaigns={"BOBQ9XW2": DEAL_B})
    assert ties(w, code="AMYZ7KD3", utm_content="AMYZ7KD3") == [(None, None)]


def test_a_partner_code_without_a_deal_campaign_ties_only_the_partner():
    assert ties(world(partner_code_campaigns={}), utm_content="AMYZ7KD3") == [(None, AMY)]


class CountingDict(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = 0

    def get(self, key, default=None):
        self.asked += 1
        return super().get(key, default)


def test_partner_codes_are_decided_once_per_distinct_value(monkeypatch):
    def asked(rows: int) -> tuple[int, int, int]:
        calls = {"code_key": 0}
        real = matching.code_key

        def counted(value):
            calls["code_key"] += 1
            return real(value)

        monkeypatch.setattr(matching, "code_key", counted)
        w = world(
            partner_codes=CountingDict({"AMYZ7KD3": AMY, "BOBQ9XW2": BOB}),
            partner_code_campaigns=CountingDict({"AMYZ7KD3": DEAL_A, "BOBQ9XW2": DEAL_B}),
        )
        half = rows // 2
        out = match(frame(code=["bobq9xw2", ""] * half, utm_content=["x", "amy-z7kd3"] * half), w)
        assert out["partner_id"].tolist()[:2] == [BOB, AMY]
        monkeypatch.undo()
        return calls["code_key"], w.partner_codes.asked, w.partner_code_campaigns.asked

    assert asked(2) == asked(20_000)

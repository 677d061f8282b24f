"""What each KOL partner brought in, on a real SQLite file and a real PostgreSQL: a campaign's board (figures tied
to partners by an import naming their handle and by rows carrying their id; a deal in dollars converted by its
rate; revenue in a currency nothing converts left out and counted; a partner with no figures last), the board
across campaigns in the workspace's currency (a deal that cannot be converted left out and counted), a partner's
history and the past cost per engagement for the roster."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.services import imports
from app.services import kol_deals as deals
from app.services import kol_results as res
from app.services import kol_roster as roster
from app.services.auth import Actor
from campaigns import facts
from campaigns import kol_results as kr
from campaigns.kol import Account, PartnerDraft
from campaigns.kol_deals import DealDraft, DeliverableDraft
from data.models import Campaign
from data.models_measure import ImportBatch
from tests.conftest import NOW

SYSTEM = Actor.system()
DUE = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
M = Decimal("0.4")


def _campaign(uow, ws_id, name, currency, start, end):
    k = Campaign(
        workspace_id=ws_id, name=name, objective="sales", status="running", timezone="UTC", currency=currency,
        starts_at=start, ends_at=end, budget_minor=0,
    )  # fmt: skip
    uow.session.add(k)
    uow.session.flush()
    return k.id


def _partner(c, name, platform, handle, currency="CNY"):
    return roster.add_partner(c, SYSTEM, PartnerDraft(name, (Account(platform, handle),), currency))


def _facts(c, rows):
    """Rows stored as an import stores them: facts of one batch, rolled up."""
    keys = ("campaign_id", "partner_id", "source", "channel", "impressions", "engagements", "clicks", "orders",
            "revenue_minor", "currency")  # fmt: skip
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        batch = uow.measure.add_batch(
            ImportBatch(
                workspace_id=ws.id, source="mapping", filename="t.csv", file_sha256="", created_by="t", created_at=NOW
            )  # fmt: skip
        )
        full = []
        for i, r in enumerate(rows):
            row = dict(zip(keys, r, strict=True))
            row.update(workspace_id=ws.id, batch_id=batch.id, row_key=facts.key_of(("t", batch.id, i)),
                       day=date(2026, 11, 8), conversions=row["orders"], spend_minor=0)  # fmt: skip
            full.append(row)
        uow.measure.insert_facts(full)
        uow.measure.rebuild_rollup(uow.measure.batch_spans(batch.id))


NOTES = (
    "笔记ID,笔记标题,达人昵称,发布时间,曝光量,阅读量,点赞量,收藏量,评论量,分享量,互动量\n"
    "6543e1f2000000001e03a8b1,双11必买清单,mei,2026-11-08,120000,30000,5000,2000,800,200,8000\n"
    "6543e1f2000000001e03a8b2,开箱,mei,2026-11-09,80000,20000,4000,1000,600,400,6000\n"
)


@pytest.fixture
def shop(clocked_shop):
    """A CNY shop (UTC) with a November campaign in CNY, a January one in CNY and a December one in USD; four
    partners: 小美 (a CNY deal, on time, content sent back once), 老王 (a USD deal at 7.1, late), Tom (invited,
    no figures) and Lily (figures, no deal)."""
    c = clocked_shop
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current().id
        nov = _campaign(
            uow, ws, "双11 2026", "CNY", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
        )
        jan = _campaign(
            uow, ws, "年货节 2027", "CNY", datetime(2027, 1, 5, tzinfo=UTC), datetime(2027, 2, 5, tzinfo=UTC)
        )
        usd = _campaign(
            uow, ws, "US launch", "USD", datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
        )
    mei = _partner(c, "小美", "xiaohongshu", "mei")
    wang = _partner(c, "老王", "douyin", "laowang")
    tom = _partner(c, "Tom", "tiktok", "tom", "USD")
    lily = _partner(c, "Lily", "weibo", "lily")

    def item(fee, due=DUE, platform="xiaohongshu"):
        return DeliverableDraft("short_video", platform, due, fee)

    c.test_clock.now = datetime(2026, 11, 2, tzinfo=UTC)
    d_mei = deals.create_deal(c, SYSTEM, nov, mei, DealDraft("CNY", (item(3_000_000), item(1_000_000))))
    for step in ("agreed", "submitted", "agreed", "submitted", "approved"):  # changes asked once
        deals.move(c, SYSTEM, d_mei, step)
    urls = {x.id: f"https://xhs.example.com/n/{x.id}" for x in deals.deal(c, SYSTEM, d_mei).deliverables}
    c.test_clock.now = datetime(2026, 11, 7, tzinfo=UTC)
    deals.move(c, SYSTEM, d_mei, "published", urls=urls)  # before the due day: on time
    d_wang = deals.create_deal(
        c, SYSTEM, nov, wang, DealDraft("USD", (item(100_000, platform="douyin"),), fx_rate=Decimal("7.1"))
    )
    for step in ("agreed", "submitted", "approved"):
        deals.move(c, SYSTEM, d_wang, step)
    deals.pay(c, SYSTEM, d_wang, 50_000, date(2026, 11, 7))
    c.test_clock.now = datetime(2026, 11, 12, tzinfo=UTC)
    (w_item,) = deals.deal(c, SYSTEM, d_wang).deliverables
    deals.move(c, SYSTEM, d_wang, "published", urls={w_item.id: "https://douyin.example.com/v/1"})  # late
    deals.create_deal(c, SYSTEM, nov, tom, DealDraft("CNY", (item(500_000, platform="tiktok"),)))  # invited
    c.test_clock.now = NOW
    # 小美's notes tied by her handle; orders and 老王's, Lily's figures by the partner on the row
    pv = imports.preview(c, SYSTEM, "notes.csv", NOTES.encode(), campaign_id=nov)
    assert pv.ok, pv.problems
    imports.commit(c, SYSTEM, pv)
    _facts(
        c,
        [
            (nov, mei, "orders", "shop", 0, 0, 0, 100, 20_000_000, "CNY"),
            (nov, wang, "mapping", "douyin", 500_000, 2_000, 2_000, 0, 0, "CNY"),
            (nov, wang, "orders", "shop", 0, 0, 0, 10, 1_000_000, "CNY"),
            (nov, wang, "orders", "shop", 0, 0, 0, 1, 5_000, "EUR"),
            (nov, lily, "mapping", "weibo", 100_000, 2_000, 100, 0, 0, "CNY"),
        ],
    )
    c.ids = dict(nov=nov, jan=jan, usd=usd, mei=mei, wang=wang, tom=tom, lily=lily, d_mei=d_mei, d_wang=d_wang)
    return c


def _row(board, pid):
    return next(r for r in board.rows if r.partner_id == pid)


def test_a_campaign_board_ranks_partners_by_what_they_brought_in(shop):
    ids = shop.ids
    board = res.campaign_board(shop, SYSTEM, ids["nov"])
    assert board.currency == "CNY" and board.margin == M and board.emv_cpm_minor == 5_000
    assert [r.name for r in board.rows] == ["小美", "老王", "Lily", "Tom"]  # ROI, then no cost, no figures last
    mei = _row(board, ids["mei"])
    assert (mei.kpis.impressions, mei.kpis.engagements, mei.kpis.orders) == (200_000, 14_000, 100)
    assert mei.result.committed_minor == 4_000_000 and mei.kpis.revenue_minor == 20_000_000
    assert mei.kpis.roi == Decimal(1) and mei.kpis.roas == Decimal(5)  # (200,000 × 0.4 − 40,000) ÷ 40,000
    assert mei.kpis.cpe == Decimal(4_000_000) / 14_000 and mei.kpis.emv_minor == 1_000_000
    wang = _row(board, ids["wang"])
    assert (wang.result.committed_minor, wang.result.paid_minor) == (710_000, 355_000)  # $1,000 and $500 at 7.1
    assert wang.kpis.cpe == Decimal(355) and wang.kpis.revenue_minor == 1_000_000
    assert board.revenue_left_out == {"EUR": 5_000}  # named, not added
    assert board.median_cpe == (mei.kpis.cpe + Decimal(355)) / 2
    lily, tom = _row(board, ids["lily"]), _row(board, ids["tom"])
    assert lily.result.has_figures and lily.kpis.roi is None and lily.kpis.cpe is None
    assert not tom.result.has_figures and tom.kpis.roi is None


def test_would_we_book_them_again_with_the_reasons(shop):
    ids = shop.ids
    board = res.campaign_board(shop, SYSTEM, ids["nov"])

    def outcomes(pid):
        v = _row(board, pid).verdict
        return v.answer, {x.check: x.outcome for x in v.reasons}

    assert outcomes(ids["mei"]) == ("yes", {"roi": "good", "cpe": "good", "delivery": "good", "changes": "good"})
    assert outcomes(ids["wang"]) == ("no", {"roi": "bad", "cpe": "bad", "delivery": "bad", "changes": "good"})
    assert outcomes(ids["lily"])[0] == outcomes(ids["tom"])[0] == "not_enough_data"
    mei = _row(board, ids["mei"]).verdict.reasons
    assert mei[2].params == {"on_time": 2, "late": 0, "missing": 0, "pending": 0}
    assert mei[3].params == {"n": 1, "deals": 1, "max": 1}
    strict = res.campaign_board(shop, SYSTEM, ids["nov"], rules=kr.Rules(roi_at_least=Decimal(2)))
    assert _row(strict, ids["mei"]).verdict.answer == "maybe"  # ROI 100 % is below a 200 % threshold
    thrifty = res.campaign_board(shop, SYSTEM, ids["nov"], margin=Decimal(1), emv_cpm=Decimal(10))
    assert _row(thrifty, ids["wang"]).kpis.roi == Decimal(290_000) / 710_000 and thrifty.emv_cpm_minor == 1_000


def test_across_campaigns_sums_per_partner_in_the_workspaces_currency(shop):
    ids = shop.ids
    jan_due = datetime(2027, 1, 20, tzinfo=UTC)
    d = deals.create_deal(shop, SYSTEM, ids["jan"], ids["mei"], DealDraft("CNY", (DeliverableDraft(
        "image_post", "xiaohongshu", jan_due, 1_000_000),)))  # fmt: skip
    deals.move(shop, SYSTEM, d, "agreed")
    usd_due = datetime(2026, 11, 20, tzinfo=UTC)
    u = deals.create_deal(shop, SYSTEM, ids["usd"], ids["mei"], DealDraft("USD", (DeliverableDraft(
        "image_post", "xiaohongshu", usd_due, 80_000),)))  # fmt: skip
    deals.move(shop, SYSTEM, u, "agreed")
    _facts(
        shop,
        [
            (ids["jan"], ids["mei"], "mapping", "xiaohongshu", 50_000, 6_000, 0, 0, 0, "CNY"),
            (ids["usd"], ids["mei"], "mapping", "xiaohongshu", 70_000, 9_000, 0, 3, 30_000, "USD"),
        ],
    )
    board = res.across(shop, SYSTEM)
    assert board.currency == "CNY" and board.campaign_id is None
    mei = _row(board, ids["mei"])
    # the USD campaign's deal has no rate to CNY: left out whole (its counts too) and counted
    assert mei.result.deals == 2 and mei.result.deals_left_out == 1 and mei.result.fees_left_out == {"USD": 80_000}
    assert mei.result.revenue_left_out == {"USD": 30_000} and board.deals_left_out == 1
    assert mei.kpis.cost_minor == 5_000_000 and mei.kpis.engagements == 20_000 and mei.kpis.impressions == 250_000
    assert mei.kpis.cpe == Decimal(250)  # ratio of the sums: ¥50,000 ÷ 20,000, not a mean of the two CPEs
    wang = _row(board, ids["wang"])
    assert wang.result.committed_minor == 710_000  # the dollar deal in a CNY campaign converts by its rate
    assert [r.name for r in board.rows][-1] == "Tom"


def test_a_partners_history_and_past_cost_per_engagement(shop):
    ids = shop.ids
    u = deals.create_deal(shop, SYSTEM, ids["usd"], ids["mei"], DealDraft("USD", (DeliverableDraft(
        "image_post", "xiaohongshu", datetime(2026, 11, 20, tzinfo=UTC), 80_000),)))  # fmt: skip
    deals.move(shop, SYSTEM, u, "agreed")
    _facts(shop, [(ids["usd"], ids["mei"], "mapping", "xiaohongshu", 70_000, 8_000, 0, 0, 0, "USD")])
    rows = res.partner_history(shop, SYSTEM, ids["mei"])
    assert [(h.campaign, h.currency, h.fee_minor) for h in rows] == [("US launch", "USD", 80_000),
                                                                   ("双11 2026", "CNY", 4_000_000)]  # fmt: skip
    assert rows[0].kpis.cpe == Decimal(10) and rows[0].result.delivery.missing == 1  # due 20 Nov, not published
    assert (
        rows[1].kpis.roi == Decimal(1) and rows[1].result.delivery.on_time == 2 and rows[1].result.change_requests == 1
    )
    cpe = res.past_cpe(shop, SYSTEM)
    assert cpe[ids["mei"]] == Decimal(4_000_000) / 14_000  # in CNY: the USD deal cannot be converted
    assert cpe[ids["wang"]] == Decimal(355) and cpe[ids["tom"]] is None and cpe[ids["lily"]] is None


def test_an_unknown_campaign_or_partner(shop):
    with pytest.raises(LookupError):
        res.campaign_board(shop, SYSTEM, 999_999)
    assert res.partner_history(shop, SYSTEM, 999_999) == []


def test_a_fresh_installation_shows_empty_boards(container):
    assert res.across(container, SYSTEM).empty and res.past_cpe(container, SYSTEM) == {}

"""The KOL results page: the leaderboard with KPIs and their definitions, ROI per partner, would we book them again
with reasons, a partner's deals; the assumptions kept across pages; both languages."""

from datetime import timedelta

import pytest

from app.services import kol_deals as deals
from app.services import kol_results as kres
from app.services import kol_roster as roster
from app.services.auth import Actor
from app.ui.catalog import CATALOG
from campaigns.kol import Account, PartnerDraft
from campaigns.kol_deals import DealDraft, DeliverableDraft
from tests.app.conftest import run_app, token_for, visible_text
from tests.integration.test_kol_results import _facts

PAGE = "app/pages/kol_results.py"
SYSTEM = Actor.system()


def _page(c, role="manager", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _double11(c):
    with c.uow() as uow:
        ws = uow.workspaces.current()
        return next(k for k in uow.campaigns.all(ws.id) if "双11" in k.name)


@pytest.fixture
def with_deals(demo_app):
    """Nina: an agreed ¥10,000 deal in the finished Double 11 with figures (ROI 100 % at a 40 % margin); Zoe: an
    invitation and no figures."""
    k = _double11(demo_app)
    due = k.starts_at + timedelta(days=5)
    ids = {}
    for name in ("Nina", "Zoe"):
        pid = roster.add_partner(
            demo_app, SYSTEM, PartnerDraft(name, (Account("bilibili", f"{name.lower()}_t"),), "CNY")
        )
        item = DeliverableDraft("short_video", "bilibili", due, 1_000_000)
        ids[name] = (pid, deals.create_deal(demo_app, SYSTEM, k.id, pid, DealDraft("CNY", (item,))))
    deals.move(demo_app, SYSTEM, ids["Nina"][1], "agreed")
    _facts(demo_app, [(k.id, ids["Nina"][0], "orders", "shop", 100_000, 5_000, 500, 10, 5_000_000, "CNY")])
    demo_app.double11 = k.id
    return demo_app


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_page_shows_every_campaigns_partners_in_both_languages(demo_app, lang):
    at = _page(demo_app, lang=lang)
    text = visible_text(at)
    assert CATALOG["page.kol_results"][lang] in [e.value for e in at.title] and "⟦" not in text
    for key in ("kolr.leaderboard", "kolr.roi_chart", "kolr.book_again", "kolr.history"):
        assert CATALOG[key][lang] in text
    board = at.dataframe[0].value
    assert {"小美爱种草", "阿强说数码", "Lily的衣橱", "美食家老王"} <= set(board[CATALOG["kolr.col_partner"][lang]])
    assert CATALOG["kpi.cpe"][lang] in board.columns and CATALOG["kpi.roi"][lang] in board.columns


def test_a_campaigns_leaderboard_verdicts_and_roi_chart(with_deals):
    at = _page(with_deals)
    at.selectbox(key="kolr_campaign").set_value(with_deals.double11).run()
    assert not at.exception, at.exception
    board = at.dataframe[0].value.set_index("Partner")
    assert board.loc["Nina", "ROI"] == "100.00%" and board.loc["Nina", "Cost (fees)"] == "CN¥10,000.00"
    assert board.loc["Nina", "CPE"] == "CN¥2.00" and board.loc["Nina", "Note"] == ""  # 10,000 ÷ 5,000 engagements
    assert board.index[-1] == "Zoe" and board.loc["Zoe", "Note"] == "no figures yet"
    assert board.loc["Zoe", "Book again?"] == "❔ Not enough data"
    service = kres.campaign_board(with_deals, SYSTEM, with_deals.double11)
    assert list(board.index) == [r.name for r in service.rows]
    reasons = at.dataframe[1].value.set_index("Partner")
    assert reasons.loc["Nina", "ROI"] == "✅ ROI 100.00%, at or above 0.00%"
    assert reasons.loc["Zoe", "ROI"].startswith("❔")
    assert len(at.get("plotly_chart")) == 1
    assert CATALOG["kpi_def.cpe"]["en"] in visible_text(at)  # the definitions, one click away


def test_the_assumptions_are_kept_across_pages_and_change_the_figures(with_deals):
    at = _page(with_deals)
    at.selectbox(key="kolr_campaign").set_value(with_deals.double11).run()
    at.number_input(key="kolr_margin").set_value(60.0).run()
    at.number_input(key="kolr_threshold").set_value(150.0).run()
    board = at.dataframe[0].value.set_index("Partner")
    assert board.loc["Nina", "ROI"] == "200.00%"  # (50,000 × 0.6 − 10,000) ÷ 10,000
    at.switch_page("app/pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.number_input(key="kolr_margin").value == 60.0 and at.selectbox(key="kolr_campaign").value == (
        with_deals.double11
    )
    assert at.number_input(key="kolr_threshold").value == 150.0


def test_a_partners_deals(with_deals):
    at = _page(with_deals, lang="zh-CN")
    at.selectbox(key="kolr_campaign").set_value(with_deals.double11).run()
    nina = next(
        r.partner_id for r in kres.campaign_board(with_deals, SYSTEM, with_deals.double11).rows if r.name == "Nina"
    )
    at.selectbox[1].set_value(nina).run()
    assert not at.exception
    history = at.dataframe[2].value
    assert list(history["活动"]) == [_double11(with_deals).name] and list(history["合作状态"]) == ["已确认"]

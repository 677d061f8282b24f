from datetime import date

from app.services import budgets, campaign_detail, kol_deals, planning
from app.services.auth import Actor
from campaigns.planning import BudgetLine
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _page(c, cid, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.query_params["id"] = str(cid)
    at.switch_page("app/pages/campaign.py").run()
    assert not at.exception
    return at


def _finished(c):
    return next(k for k in planning.campaigns(c, SYSTEM) if k.status == "finished")


def test_the_detail_shows_plan_budget_results_and_posts(demo_app):
    k = _finished(demo_app)
    d = campaign_detail.detail(demo_app, SYSTEM, k.id)
    at = _page(demo_app, k.id, role="analyst", lang="zh-CN")
    text = visible_text(at)
    assert k.name in text and "⟦" not in text
    assert [m.label for m in at.metric][:3] == ["计划", "已承诺", "实际花费"]
    paid = sum(v.paid_minor for v in kol_deals.deals(demo_app, SYSTEM, campaign_id=k.id))
    spend = f"¥{(d.results.spend_minor + paid) / 100:,.2f}"
    assert paid and at.metric[2].value == spend  # actual spend = the imported metrics' spend + KOL fees paid
    assert "抖音" in text and not at.form  # results by channel; an analyst records nothing


def test_a_commitment_over_the_plan_warns_and_can_be_removed(demo_app):
    cid = planning.create_from_template(demo_app, SYSTEM, "double_11", 2027, "D11 2027", 1_000_000)
    plan = next(k.plan for k in planning.campaigns(demo_app, SYSTEM) if k.id == cid)
    partner = next(iter(campaign_detail.choices(demo_app, SYSTEM).partners))
    lines = (BudgetLine("douyin", None, 900_000), BudgetLine("kol", partner, 100_000))
    planning.save(demo_app, SYSTEM, cid, plan.__class__(**{**plan.__dict__, "budget_lines": lines}))
    at = _page(demo_app, cid)
    at.selectbox[2].select(partner)  # the form: channel, partner, then the day and amount
    at.date_input[0].set_value(date(2027, 11, 5))
    at.number_input[0].set_value(1_500.0)
    at.text_input[0].input("达人 fee")
    at.button[0].click().run()
    assert not at.exception and not at.error
    rows = budgets.view(demo_app, SYSTEM, cid).commitments
    assert [(x.channel, x.partner_id, x.amount_minor, x.note) for x in rows] == [("kol", partner, 150_000, "达人 fee")]
    assert any("more than the CN¥1,000.00 planned" in w.value for w in at.warning)
    at.button[1].click().run()  # remove the one commitment
    assert budgets.view(demo_app, SYSTEM, cid).commitments == [] and not at.warning


def test_a_bad_commitment_is_named_at_its_field(demo_app):
    cid = planning.create_from_template(demo_app, SYSTEM, "double_11", 2027, "D11 2027", 1_000_000)
    at = _page(demo_app, cid)
    at.button[0].click().run()  # amount left at 0
    assert [e.value for e in at.error] == ["Amount: must be more than 0."]
    assert budgets.view(demo_app, SYSTEM, cid).commitments == []

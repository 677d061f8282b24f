"""The promotion cost estimate page: prefilled from a past campaign, estimated, committed to the budget."""

from app.services import budgets, planning
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text

SYSTEM = Actor.system()


def _page(c, cid, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.query_params["id"] = str(cid)
    at.switch_page("app/pages/estimate.py").run()
    assert not at.exception
    return at


def _camps(c):
    rows = planning.campaigns(c, SYSTEM)
    return next(k for k in rows if k.status == "running"), next(k for k in rows if k.status == "finished")


def test_a_marketer_estimates_from_a_past_campaign_and_commits_the_cost(demo_app):
    running, past = _camps(demo_app)
    at = _page(demo_app, running.id)
    assert "Offers in the estimate:" in visible_text(at)
    at.selectbox[1].select(past.id)
    at.button[0].click().run()  # use its orders and average order
    assert not at.exception and at.success and "Filled in:" in at.success[0].value
    at.number_input[0].set_value(2000)  # expected orders
    at.button[1].click().run()  # Estimate
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [m.label for m in at.metric]
    assert labels == ["Promotion cost", "Revenue", "Margin with promotions", "Break-even extra orders"]
    cost = at.metric[0].value
    assert cost.startswith("CN¥") and cost != "CN¥0.00"
    before = budgets.view(demo_app, SYSTEM, running.id).total.committed
    at.button[2].click().run()  # Commit to the budget
    assert not at.exception and "committed to the campaign budget" in at.success[-1].value
    rows = [x for x in budgets.view(demo_app, SYSTEM, running.id).commitments if x.source == "promotion"]
    assert len(rows) == 1 and f"CN¥{rows[0].amount_minor / 100:,.2f}" == cost
    assert budgets.view(demo_app, SYSTEM, running.id).total.committed == before + rows[0].amount_minor


def test_shares_that_do_not_add_up_are_named_and_nothing_is_committed(demo_app):
    running, _ = _camps(demo_app)
    at = _page(demo_app, running.id, lang="zh-CN")
    # the grid's edit as the browser sends it: basket B deleted, A left at 60 %
    at.session_state[at.data_editor[0].key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [1]}
    next(b for b in at.button if b.label == "计入预算「已承诺」").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["购物车：占比合计须为 100%（现为 60.0%）。"]
    assert not [x for x in budgets.view(demo_app, SYSTEM, running.id).commitments if x.source == "promotion"]


def test_an_analyst_estimates_but_cannot_commit(demo_app):
    running, _ = _camps(demo_app)
    at = _page(demo_app, running.id, role="analyst")
    assert [b.label for b in at.button if "Commit" in b.label] == []
    next(b for b in at.button if b.label == "Estimate").click().run()
    assert not at.exception and len(at.metric) == 4

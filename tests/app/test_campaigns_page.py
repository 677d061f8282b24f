import pytest

from app.services import planning
from app.services.auth import Actor
from tests.app.conftest import run_app, token_for, visible_text


def _page(c, role="marketer", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page("app/pages/campaigns.py").run()
    assert not at.exception
    return at


def test_a_marketer_creates_a_double_11_campaign_from_the_template(demo_app):
    at = _page(demo_app)
    at.selectbox[0].select("double_11")
    at.number_input[0].set_value(2027)
    at.text_input[0].input("Double 11 2027")
    at.button[0].click()
    at.run()
    assert not at.exception
    made = [k for k in planning.campaigns(demo_app, Actor.system()) if k.name == "Double 11 2027"]
    assert made and [p.kind for p in made[0].plan.phases] == ["warm_up", "launch", "peak", "encore"]
    assert "Double 11 2027" in visible_text(at)


def test_an_edit_that_breaks_the_plan_is_shown_at_the_field_and_not_saved(demo_app):
    cid = planning.create_from_template(demo_app, Actor.system(), "day_618", 2027, "618 2027", 1_000_000)
    before = next(k.plan for k in planning.campaigns(demo_app, Actor.system()) if k.id == cid)
    at = _page(demo_app, lang="zh-CN")
    at.selectbox[1].select(cid)
    at.run()
    at.number_input[2].set_value(999.0)  # the total no longer matches the phases nor the lines
    at.button[1].click()  # save
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "阶段预算：合计 ¥10,000.00，与总预算 ¥999.00 不一致。",
        "预算分配：合计 ¥10,000.00，与总预算 ¥999.00 不一致。",
    ]
    after = next(k.plan for k in planning.campaigns(demo_app, Actor.system()) if k.id == cid)
    assert after == before


def test_copying_to_next_year(demo_app):
    at = _page(demo_app)
    past = next(k.id for k in planning.campaigns(demo_app, Actor.system()) if k.name.startswith("双11 2026"))
    at.selectbox[1].select(past)
    at.run()
    at.button[2].click()  # copy to next year
    at.run()
    assert any(k.name.startswith("双11 2027") for k in planning.campaigns(demo_app, Actor.system()))


def test_others_read_campaigns_but_change_nothing(demo_app):
    at = _page(demo_app, role="content")
    assert not at.form and [b.label for b in at.button] == ["Sign out"] and len(at.dataframe) >= 1


def _plan(c, cid):
    return next(k.plan for k in planning.campaigns(c, Actor.system()) if k.id == cid)


def test_a_marketer_sets_owner_objective_segments_lines_and_targets(demo_app):
    cid = planning.create_from_template(demo_app, Actor.system(), "double_11", 2027, "D11 2027", 1_000_000)
    at = _page(demo_app)
    at.selectbox[1].select(cid).run()
    at.selectbox(f"objective_{cid}").select("new_customers")
    owner = next(o for o in at.selectbox(f"owner_{cid}").options if "marketer" in o.lower())
    at.selectbox(f"owner_{cid}").select(next(u for u, label in _people(demo_app).items() if label == owner))
    at.multiselect(f"segments_{cid}").select("vip").select("学生党")
    # the editors' cells, as the browser sends them: all douyin money moves to one line, a target per phase
    at.session_state[f"lines_{cid}"] = {
        "edited_rows": {0: {"amount": 10_000.0}, 1: {"amount": 0.0}, 2: {"amount": 0.0}, 3: {"amount": 0.0}},
        "added_rows": [],
        "deleted_rows": [4],
    }
    at.session_state[f"targets_{cid}"] = {
        "edited_rows": {0: {"gmv": 50_000.0, "roi": 3.0}, 3: {"exposure": 1_000_000}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button[1].click().run()  # Save sends the form: the widgets and the grids' edits together
    assert not at.exception and not at.error
    plan = _plan(demo_app, cid)
    assert plan.objective == "new_customers" and plan.segments == ("vip", "学生党") and plan.owner_id
    assert [(x.channel, x.amount_minor) for x in plan.budget_lines] == [
        ("douyin", 1_000_000),
        ("xiaohongshu", 0),
        ("weibo", 0),
        ("wechat", 0),
    ]
    assert plan.targets == {"gmv": 5_000_000, "roi": 3} and plan.phases[2].targets == {"exposure": 1_000_000}


def test_a_custom_phase_without_a_name_is_refused(demo_app):
    cid = planning.create_from_template(demo_app, Actor.system(), "double_11", 2027, "D11 2027", 1_000_000)
    before = _plan(demo_app, cid)
    at = _page(demo_app)
    at.selectbox[1].select(cid).run()
    at.session_state[f"phases_{cid}"] = {
        "edited_rows": {},
        "added_rows": [{"kind": "custom", "start": "2027-11-14 00:00:00", "end": "2027-11-15 23:59:59"}],
        "deleted_rows": [],
    }
    at.button[1].click().run()
    assert [e.value for e in at.error] == [
        "Phase 5 (Custom): required.",
        "Phase 5 (Custom): lies outside the campaign's window.",
    ]
    assert _plan(demo_app, cid) == before


def test_a_marketer_saves_a_campaign_as_a_template_and_uses_it(demo_app):
    cid = planning.create_from_template(demo_app, Actor.system(), "day_618", 2027, "618 2027", 1_000_000)
    at = _page(demo_app)
    at.selectbox[1].select(cid).run()
    at.text_input[-1].input("Our 618")
    at.button[4].click().run()  # save as a template
    assert not at.exception and "Saved as the template Our 618." in [s.value for s in at.success]
    saved = [t for t in planning.template_choices(demo_app, Actor.system()) if t.name == "Our 618"]
    assert saved and at.selectbox[0].format_func(saved[0].key) == "★ Our 618"
    at.selectbox[0].select(saved[0].key)  # and next year's campaign is built from it
    at.number_input[0].set_value(2028)
    at.text_input[0].input("Our 618 2028")
    at.button[0].click().run()
    made = next(k.plan for k in planning.campaigns(demo_app, Actor.system()) if k.name == "Our 618 2028")
    assert [x.channel for x in made.budget_lines] == ["douyin", "xiaohongshu", "weibo", "wechat", "kol"]


def _people(c):
    from app.services import campaign_detail

    return campaign_detail.choices(c, Actor.system()).people


def test_deleting_a_phase_takes_its_targets_with_it(demo_app):
    from dataclasses import replace

    cid = planning.create_from_template(demo_app, Actor.system(), "double_11", 2027, "D11 2027", 1_000_000)
    plan = _plan(demo_app, cid)
    budgets = [0, 250_000, 600_000, 150_000]  # the warm-up has no money, so it can go
    phases = tuple(
        replace(p, budget_minor=b, targets={"exposure": 100 * (i + 1)})
        for i, (p, b) in enumerate(zip(plan.phases, budgets, strict=True))
    )
    planning.save(demo_app, Actor.system(), cid, replace(plan, phases=phases))
    at = _page(demo_app)
    at.selectbox[1].select(cid).run()
    at.session_state[f"phases_{cid}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.button[1].click().run()
    assert not at.exception and not at.error
    kept = _plan(demo_app, cid).phases
    assert [(p.kind, p.targets) for p in kept] == [
        ("launch", {"exposure": 200}),
        ("peak", {"exposure": 300}),
        ("encore", {"exposure": 400}),
    ]


def test_a_deactivated_owner_is_kept_when_others_edit_the_campaign(demo_app):
    from dataclasses import replace

    from app.services import accounts

    cid = planning.create_from_template(demo_app, Actor.system(), "day_618", 2027, "618 2027", 1_000_000)
    analyst = next(u for u in accounts.list_users(demo_app, Actor.system()) if u.role == "analyst")
    planning.save(demo_app, Actor.system(), cid, replace(_plan(demo_app, cid), owner_id=analyst.id))
    accounts.set_active(demo_app, Actor.system(), analyst.id, False)
    at = _page(demo_app)
    at.selectbox[1].select(cid).run()
    assert at.selectbox(f"owner_{cid}").value == analyst.id
    at.text_input(f"name_{cid}").input("618 2027 v2")
    at.button[1].click().run()
    assert not at.error and _plan(demo_app, cid).owner_id == analyst.id and _plan(demo_app, cid).name == "618 2027 v2"
    with pytest.raises(planning.PlanRejected) as err:  # but nobody picks a deactivated account anew
        other = planning.create_from_template(demo_app, Actor.system(), "day_618", 2028, "618 2028", 1)
        planning.save(demo_app, Actor.system(), other, replace(_plan(demo_app, other), owner_id=analyst.id))
    assert err.value.problems[0].code == "inactive_owner"

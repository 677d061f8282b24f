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
    at.selectbox[1].select(next(o for o in at.selectbox[1].options if o.startswith("618 2027")))
    at.run()
    at.number_input[2].set_value(999.0)  # the total no longer matches the phases
    at.button[1].click()  # save
    at.run()
    assert not at.exception
    assert any(e.value.startswith("阶段预算：各阶段预算合计 1000000 与总预算 99900") for e in at.error)
    after = next(k.plan for k in planning.campaigns(demo_app, Actor.system()) if k.id == cid)
    assert after == before


def test_copying_to_next_year(demo_app):
    at = _page(demo_app)
    past = next(o for o in at.selectbox[1].options if o.startswith("双11 2026"))
    at.selectbox[1].select(past)
    at.run()
    at.button[2].click()  # copy to next year
    at.run()
    assert any(k.name.startswith("双11 2027") for k in planning.campaigns(demo_app, Actor.system()))


def test_others_read_campaigns_but_change_nothing(demo_app):
    at = _page(demo_app, role="content")
    assert not at.form and [b.label for b in at.button] == ["Sign out"] and len(at.dataframe) >= 1

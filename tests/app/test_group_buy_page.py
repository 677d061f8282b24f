from tests.app.conftest import run_app, token_for, visible_text


def _page(c, lang="en"):
    at = run_app(lang, token_for(c, "analyst"))
    at.switch_page("app/pages/group_buy.py").run()
    assert not at.exception
    return at


def test_a_group_that_fills_in_time_succeeds(demo_app):
    at = _page(demo_app)
    at.button[0].click().run()  # the sample: size 3, B joins at 30 min, C at 600 min, 24 h to fill
    assert not at.exception
    assert [m.value for m in at.metric] == ["Success", "0", "CN¥197.00"]  # 59 + 69 + 69
    assert "Ships to: A, B, C" in visible_text(at)


def test_a_group_short_of_members_is_refunded_or_virtually_filled(demo_app):
    at = _page(demo_app, lang="zh-CN")
    at.number_input[0].set_value(4)  # size 4: three real members are not enough
    at.button[0].click().run()
    assert [m.value for m in at.metric] == ["未成团", "0", "¥0.00"]  # refund: everyone gets their money back
    at.selectbox[0].select("virtual_fill")
    at.button[0].click().run()
    assert [m.value for m in at.metric] == ["模拟成团", "1", "¥197.00"]
    at.selectbox[0].select("continue")
    at.button[0].click().run()
    assert [m.value for m in at.metric] == ["未成团", "0", "¥197.00"] and "发货给：A, B, C" in visible_text(at)


def test_a_join_after_the_time_is_up_is_refused(demo_app):
    at = _page(demo_app)
    at.number_input[1].set_value(5)  # 5 hours: C's join at 600 minutes comes too late
    at.button[0].click().run()
    assert "C cannot join: its time is up" in visible_text(at)
    assert at.metric[0].value == "Failed"


def test_stored_groups_are_listed(demo_app):
    from app.services import group_buys
    from app.services.auth import Actor

    group_buys.define_rule(demo_app, Actor.system(), "d11-tea", "双11 茶叶三人团", 3, 60, 5_900, 6_900)
    opened = group_buys.open_group(demo_app, Actor.system(), "d11-tea", "13800138000")
    group_buys.join(demo_app, Actor.system(), opened.group_id, "13800138001")
    text = visible_text(_page(demo_app))
    assert "d11-tea" in text and "2 / 3" in text and "Open" in text


def test_a_marketer_saves_the_simulated_rule_and_a_bad_one_is_named(demo_app):
    from app.services import group_buys
    from app.services.auth import Actor

    at = run_app("en", token_for(demo_app, "marketer"))
    at.switch_page("app/pages/group_buy.py").run()
    at.text_input[0].input("d11-tea-3")
    at.button[1].click().run()  # Save as a rule, without a name
    assert [e.value for e in at.error] == ["Name: required."]
    assert group_buys.rules(demo_app, Actor.system()) == []
    at.text_input[1].input("Tea for three")
    at.number_input[1].set_value(12)
    at.button[1].click().run()
    assert not at.exception and "Group-buy rule d11-tea-3 saved." in [s.value for s in at.success]
    (rule,) = group_buys.rules(demo_app, Actor.system())
    assert (rule.key, rule.size, rule.duration_minutes, rule.leader_price_minor, rule.per_user_limit) == (
        "d11-tea-3",
        3,
        720,
        5900,
        1,
    )
    assert "Tea for three" in visible_text(at)
    at.button[1].click().run()  # the same key again
    assert [e.value for e in at.error] == ["Rule key: repeats d11-tea-3."]


def test_an_analyst_cannot_save_rules(demo_app):
    at = _page(demo_app)
    assert [b.label for b in at.button] == ["Play", "Sign out"] and not at.text_input

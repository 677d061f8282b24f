"""Compose and review on SQLite and PostgreSQL: variants, UTM tags, DST refusals, four eyes, an edit
lapsing the approval, and the whole way from a draft to the sandbox outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from app.services import accounts, posts, publish_views
from app.services.auth import Actor
from app.services.dispatch import Dispatcher
from app.services.posts import Draft, PostRejected
from campaigns.access import Role
from campaigns.schedule_time import Recurrence
from data.models import Campaign, CampaignPhase
from tests.conftest import NOW, Clock
from tests.integration import publishing_kit as kit

LOCAL = datetime(2026, 11, 25, 20, 0)  # Shanghai, the evening after NOW


@pytest.fixture
def team(container):
    c = replace(container, clock=Clock())
    c.ws = kit.workspace(c)
    c.x = kit.account(c, c.ws, name="@shop", channel="x")
    c.weibo = kit.account(c, c.ws, name="微博", channel="weibo")
    c.people = {}
    for role in (Role.CONTENT, Role.MANAGER):
        user, _ = accounts.create_user(c, Actor.system(), f"{role}@t.test", str(role), role)
        with c.uow(write=True) as uow:
            uow.users.get(user.id).must_change_password = False
        c.people[role] = Actor(user.id, user.email, user.name, role)
    with c.uow(write=True) as uow:
        k = Campaign(
            workspace_id=c.ws,
            name="Double 11 · 2026",
            objective="sales",
            status="running",
            timezone="Asia/Shanghai",
            starts_at=NOW,
            ends_at=NOW + timedelta(days=10),
            budget_minor=0,
            currency="CNY",
            created_at=NOW,
        )
        uow.session.add(k)
        uow.session.flush()
        ph = CampaignPhase(
            campaign_id=k.id, kind="peak", name="高潮", starts_at=NOW, ends_at=NOW + timedelta(days=2), budget_minor=0
        )
        uow.session.add(ph)
        uow.session.flush()
        c.campaign, c.phase = k.id, ph.id
    return c


def content(c):
    return c.people[Role.CONTENT]


def manager(c):
    return c.people[Role.MANAGER]


def test_one_post_for_two_accounts_with_a_variant_and_utm_tagged_links(team):
    ids = posts.compose_posts(
        team,
        content(team),
        Draft(
            "Sale tonight https://shop.test/d11",
            (team.x, team.weibo),
            link="https://shop.test/p?id=1",
            variants={team.weibo: "今晚开抢 https://shop.test/d11"},
            campaign_id=team.campaign,
            phase_id=team.phase,
            local_time=LOCAL,
            timezone="Asia/Shanghai",
        ),
    )
    x, weibo = (kit.post(team, i) for i in ids)
    assert x.group_key == weibo.group_key and x.state == weibo.state == "draft"
    assert "utm_source=x" in x.body and "utm_campaign=double-11-2026" in x.body
    assert weibo.body.startswith("今晚开抢 https://shop.test/d11?utm_source=weibo")
    assert x.link == "https://shop.test/p?id=1&utm_source=x&utm_medium=social&utm_campaign=double-11-2026"
    assert x.scheduled_at == datetime(2026, 11, 25, 12, 0, tzinfo=x.scheduled_at.tzinfo)  # 20:00 Shanghai in UTC
    assert x.timezone == "Asia/Shanghai" and kit.events(team, x.id) == ["created"]


def test_a_variant_over_its_channels_limit_saves_nothing(team):
    with pytest.raises(PostRejected) as err:
        posts.compose_posts(team, content(team), Draft("短", (team.x, team.weibo), variants={team.x: "长" * 141}))
    [p] = err.value.problems
    assert (p.field, p.code, p.params["account"]) == (f"variant.{team.x}", "too_long", "@shop")
    assert kit.states(team) == {}


def test_the_link_the_connector_appends_counts_against_the_limit(team):
    link = "https://shop.test/p?id=1"  # tagged by the campaign, then counted as X counts a URL: 23
    fits, over = "a" * 256, "a" * 257  # + the line break + 23 = 280 / 281
    with pytest.raises(PostRejected) as err:
        posts.compose_posts(team, content(team), Draft(over, (team.x,), link=link, campaign_id=team.campaign))
    assert [(p.code, p.params["length"]) for p in err.value.problems] == [("too_long", 281)]
    [pid] = posts.compose_posts(team, content(team), Draft(fits, (team.x,), link=link, campaign_id=team.campaign))
    with pytest.raises(PostRejected, match="too_long"):
        posts.edit(team, content(team), pid, 1, body=over, link=link)
    assert posts.edit(team, content(team), pid, 1, body=over) == 2  # without the link it fits


@pytest.mark.parametrize(
    ("local", "zone", "code"),
    [
        (datetime(2027, 3, 28, 2, 30), "Europe/Berlin", "nonexistent_time"),
        (datetime(2027, 10, 31, 2, 30), "Europe/Berlin", "ambiguous_time"),
        (datetime(2027, 3, 14, 2, 30), "America/New_York", "nonexistent_time"),
        (LOCAL, "Mars/Olympus", "unknown_zone"),
        (datetime(2026, 11, 1, 9), "Asia/Shanghai", "in_past"),
    ],
)
def test_a_time_that_does_not_exist_happens_twice_or_is_past_is_refused(team, local, zone, code):
    with pytest.raises(PostRejected) as err:
        posts.compose_posts(team, content(team), Draft("hi", (team.x,), local_time=local, timezone=zone))
    assert err.value.problems[0].code == code and kit.states(team) == {}


def test_a_fold_time_is_accepted_when_the_person_chose_which(team):
    [pid] = posts.compose_posts(
        team,
        content(team),
        Draft("hi", (team.x,), local_time=datetime(2027, 10, 31, 2, 30), timezone="Europe/Berlin", fold=1),
    )
    assert kit.post(team, pid).scheduled_at.hour == 1  # the second 02:30 is 01:30 UTC


def test_a_weekly_post_becomes_one_draft_per_occurrence_at_the_same_local_time(team):
    ids = posts.compose_posts(
        team,
        content(team),
        Draft(
            "weekly",
            (team.x,),
            local_time=datetime(2027, 3, 20, 9),
            timezone="Europe/Berlin",
            recurrence=Recurrence("weekly", count=3),
        ),
    )
    times = [kit.post(team, i).scheduled_at for i in ids]
    assert [t.hour for t in times] == [8, 8, 7]  # 09:00 in Berlin; the clocks change on 28 March
    assert len({kit.post(team, i).series_key for i in ids}) == 1


def test_review_approve_schedule_and_the_worker_sends_it_to_the_sandbox_outbox(team):
    [pid] = posts.compose_posts(team, content(team), Draft("Go!", (team.x,), local_time=LOCAL))
    assert posts.submit(team, content(team), pid) == "in_review"
    with pytest.raises(PostRejected, match="not_now"):
        posts.schedule(team, content(team), pid)  # not approved yet
    assert posts.approve(team, manager(team), pid, 1, "ok") == "approved"
    assert posts.schedule(team, content(team), pid) == "scheduled"
    team.clock.now = datetime(2026, 11, 25, 12, 0, 5, tzinfo=NOW.tzinfo)
    Dispatcher(team, "w").run_due()
    [sent] = publish_views.outbox(team, manager(team))
    assert (sent.id, sent.state) == (pid, "sent")
    assert kit.events(team, pid) == ["created", "submitted", "approved", "scheduled", "sent"]


def test_nobody_approves_their_own_post(team):
    boss = manager(team)
    [pid] = posts.compose_posts(team, content(team), Draft("mine", (team.x,)))
    posts.submit(team, content(team), pid)
    from sqlalchemy import update

    from data.models import Post

    with team.uow(write=True) as uow:
        uow.session.execute(update(Post).where(Post.id == pid).values(author_id=boss.user_id))
    with pytest.raises(PostRejected, match="own_post"):
        posts.approve(team, boss, pid, 1)
    assert kit.post(team, pid).state == "in_review"


def test_an_edit_lapses_the_approval_and_a_stale_approval_is_refused(team):
    [pid] = posts.compose_posts(team, content(team), Draft("v1", (team.x,), local_time=LOCAL))
    posts.submit(team, content(team), pid)
    posts.approve(team, manager(team), pid, 1)
    posts.schedule(team, content(team), pid)
    rev = posts.edit(team, content(team), pid, 1, body="v2")
    p = kit.post(team, pid)
    assert (rev, p.state, p.approved_revision, p.run_at is not None) == (2, "in_review", None, True)
    assert kit.events(team, pid)[-2:] == ["edited", "approval_lapsed"]
    with pytest.raises(PostRejected, match="changed_meanwhile"):
        posts.approve(team, manager(team), pid, 1)  # the manager saw revision 1
    team.clock.now = datetime(2026, 11, 25, 12, 1, tzinfo=NOW.tzinfo)
    assert Dispatcher(team, "w").run_due().claimed == 0  # in review again: not sent


def test_request_changes_needs_a_comment_and_sends_it_back_to_draft(team):
    [pid] = posts.compose_posts(team, content(team), Draft("v1", (team.x,)))
    posts.submit(team, content(team), pid)
    with pytest.raises(PostRejected, match="required"):
        posts.request_changes(team, manager(team), pid, 1, "  ")
    assert posts.request_changes(team, manager(team), pid, 1, "add the coupon code") == "draft"
    history = publish_views.detail(team, manager(team), pid).history
    assert (history[-1].kind, history[-1].body, history[-1].actor) == (
        "changes_requested",
        "add the coupon code",
        "manager@t.test",
    )


def test_moving_a_scheduled_post_keeps_its_approval(team):
    [pid] = posts.compose_posts(team, content(team), Draft("v1", (team.x,), local_time=LOCAL))
    posts.submit(team, content(team), pid)
    posts.approve(team, manager(team), pid, 1)
    posts.schedule(team, content(team), pid)
    posts.move(team, content(team), pid, LOCAL + timedelta(days=1), "Asia/Shanghai")
    p = kit.post(team, pid)
    assert (p.state, p.approved_revision, p.run_at) == ("scheduled", 1, p.scheduled_at)
    assert p.scheduled_at.day == 26


def test_a_sending_post_cannot_be_edited_or_cancelled(team):
    [pid] = kit.scheduled(team, team.ws, team.x)
    with team.uow(write=True) as uow:
        uow.dispatch.claim("w", NOW, NOW + timedelta(minutes=5), 10)
    for call in (
        lambda: posts.edit(team, content(team), pid, 1, body="x"),
        lambda: posts.cancel(team, content(team), pid),
    ):
        with pytest.raises(PostRejected, match="not_now"):
            call()


def test_retry_and_resolve_put_a_person_back_in_charge(team):
    failed, unknown = kit.scheduled(team, team.ws, team.x, n=2)
    from sqlalchemy import update

    from data.models import Post

    with team.uow(write=True) as uow:
        uow.session.execute(update(Post).where(Post.id == failed).values(state="failed"))
        uow.session.execute(update(Post).where(Post.id == unknown).values(state="unknown"))
    assert posts.retry(team, content(team), failed) == "scheduled"
    with pytest.raises(PostRejected, match="not_a_link"):
        posts.resolve(team, content(team), unknown, True, url="javascript:alert(1)")
    assert posts.resolve(team, content(team), unknown, True, url="https://x.com/shop/status/1") == "sent"
    assert kit.post(team, unknown).external_url == "https://x.com/shop/status/1"


@pytest.mark.parametrize(
    ("draft", "field", "code"),
    [
        (Draft("hi", (), title="t"), "accounts", "required"),
        (Draft("hi", (1,), title="t" * 201), "title", "too_long"),
        (Draft("hi", (1,), link="ftp://shop.test/x"), "link", "not_a_link"),
        (Draft("hi", (1,), timezone="Nowhere/City"), "timezone", "unknown_zone"),
        (Draft("hi", (1,), link="https://shop.test/" + "a" * 2000), "link", "too_long"),
    ],
)
def test_what_the_post_table_cannot_hold_is_refused_not_cut(team, draft, field, code):
    draft = replace(draft, account_ids=tuple(team.x for _ in draft.account_ids))
    with pytest.raises(PostRejected) as err:
        posts.compose_posts(team, content(team), draft)
    assert (err.value.problems[0].field, err.value.problems[0].code) == (field, code)
    assert kit.states(team) == {}


def test_a_post_that_may_be_out_cannot_be_edited_moved_or_cancelled_while_it_is_replayed(team):
    from app.services import reconcile
    from connectors.base import Outcome, PublishResult, Scope

    [pid] = kit.scheduled(team, team.ws, team.x)  # the sandbox remembers keys: an unknown is replayed
    answers = [PublishResult(Outcome.UNKNOWN, message="504 Gateway Timeout")]
    answers.append(PublishResult(Outcome.RATE_LIMITED, retry_at=NOW + timedelta(hours=1), scope=Scope.ACCOUNT))
    fake = kit.Scripted(answers)
    Dispatcher(team, "w", connect=fake.connect).run_due()
    team.clock.now += timedelta(minutes=1)
    assert reconcile.replay_unknown(team, "w") == 1 and kit.post(team, pid).state == "scheduled"
    who = content(team)
    refused = {
        "edit": lambda: posts.edit(team, who, pid, 1, body="new words, new key"),
        "move": lambda: posts.move(team, who, pid, LOCAL, "Asia/Shanghai"),
        "unschedule": lambda: posts.unschedule(team, who, pid),
        "cancel": lambda: posts.cancel(team, who, pid),
    }
    for name, call in refused.items():
        with pytest.raises(PostRejected, match="not_now") as err:
            call()
        assert err.value.problems[0].params["state"] == "unknown", name
    Dispatcher(team, "w", connect=fake.connect).run_due()  # the replay meets a 429: nothing settled
    assert kit.post(team, pid).state == "retry_wait"
    with pytest.raises(PostRejected, match="not_now"):
        posts.edit(team, who, pid, 1, body="still not")
    assert posts.retry(team, who, pid) == "scheduled"  # sending it again, same key, is fine
    with pytest.raises(PostRejected, match="not_now"):
        posts.edit(team, who, pid, 1, body="a Retry says nothing about the platform")
    team.clock.now = NOW + timedelta(hours=1, minutes=1)  # the account's pause is over
    Dispatcher(team, "w", connect=fake.connect).run_due()
    assert kit.post(team, pid).state == "sent" and len({p.idempotency_key for p in fake.published}) == 1


def test_after_a_person_says_it_did_not_go_out_it_may_be_edited_again(team):
    from connectors.base import Outcome, PublishResult

    [pid] = kit.scheduled(team, team.ws, team.x)
    Dispatcher(team, "w", connect=kit.Scripted([PublishResult(Outcome.UNKNOWN)]).connect).run_due()
    team.clock.now += timedelta(minutes=5)
    assert posts.resolve(team, content(team), pid, went_out=False) == "scheduled"
    assert posts.edit(team, content(team), pid, 1, body="checked: it is not on the platform") == 2

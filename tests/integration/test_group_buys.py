from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from app.services import group_buys
from app.services.auth import Actor
from app.worker import Worker
from data.models_groups import GroupMember
from tests.conftest import NOW

SYSTEM = Actor.system()


@pytest.fixture
def shop(clocked_shop):
    return clocked_shop


def _rule(c, on_fail="refund", size=3, per_user=None):
    group_buys.define_rule(c, SYSTEM, f"g-{on_fail}", "拼团", size, 24 * 60, 5_900, 6_900, on_fail, 2, per_user)
    return f"g-{on_fail}"


def test_the_third_payment_fills_a_group_of_three(shop):
    opened = group_buys.open_group(shop, SYSTEM, _rule(shop), "leader@x")
    assert group_buys.join(shop, SYSTEM, opened.group_id, "b@x").outcome == "joined"
    done = group_buys.join(shop, SYSTEM, opened.group_id, "c@x")
    assert (done.outcome, done.members) == ("filled", 3)
    assert group_buys.join(shop, SYSTEM, opened.group_id, "d@x").outcome == "group_closed"
    (view,) = group_buys.groups(shop, SYSTEM)
    assert (view.state, view.members, view.refunded_minor) == ("success", 3, 0)


def test_a_member_joins_once_and_no_one_joins_after_the_time(shop):
    opened = group_buys.open_group(shop, SYSTEM, _rule(shop), "leader@x")
    assert group_buys.join(shop, SYSTEM, opened.group_id, "leader@x").outcome == "already_member"
    shop.test_clock.now = NOW + timedelta(hours=24, seconds=1)
    assert group_buys.join(shop, SYSTEM, opened.group_id, "late@x").outcome == "group_expired"


def test_concurrent_joins_never_overfill_a_group(shop):
    opened = group_buys.open_group(shop, SYSTEM, _rule(shop, size=3), "leader@x")

    def one(i):
        return group_buys.join(shop, SYSTEM, opened.group_id, f"buyer{i}@x").outcome

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, range(20)))
    assert sorted(outcomes).count("group_closed") == 18
    assert sorted(o for o in outcomes if o != "group_closed") == ["filled", "joined"]
    with shop.uow() as uow:
        assert len(uow.groups.members(opened.group_id)) == 3


@pytest.mark.parametrize(
    "on_fail, state, virtual, refunded",
    [("refund", "failed", 0, 5_900 + 6_900), ("continue", "failed", 0, 0), ("virtual_fill", "virtual_success", 1, 0)],
)
def test_the_worker_settles_a_group_short_of_members(shop, on_fail, state, virtual, refunded):
    opened = group_buys.open_group(shop, SYSTEM, _rule(shop, on_fail), "leader@x")
    group_buys.join(shop, SYSTEM, opened.group_id, "b@x")
    Worker(shop).settle_groups()  # not yet: nothing to settle
    assert group_buys.groups(shop, SYSTEM)[0].state == "open"
    shop.test_clock.now = NOW + timedelta(hours=24, minutes=1)
    Worker(shop).settle_groups()
    (view,) = group_buys.groups(shop, SYSTEM)
    assert (view.state, view.virtual_members, view.refunded_minor) == (state, virtual, refunded)
    with shop.uow() as uow:
        rows = uow.session.query(GroupMember).filter_by(group_id=opened.group_id).all()
    assert all((m.refunded_at is not None) == (refunded > 0) for m in rows)


def test_a_leader_alone_is_always_refunded(shop):
    opened = group_buys.open_group(shop, SYSTEM, _rule(shop, "virtual_fill"), "leader@x")
    shop.test_clock.now = NOW + timedelta(days=2)
    assert group_buys.settle_expired(shop) == 1
    (view,) = group_buys.groups(shop, SYSTEM)
    assert (view.state, view.refunded_minor) == ("failed", 5_900) and opened.members == 1


def test_per_user_limit_counts_open_groups_of_the_rule(shop):
    key = _rule(shop, per_user=1)
    first = group_buys.open_group(shop, SYSTEM, key, "leader@x")
    assert group_buys.open_group(shop, SYSTEM, key, "leader@x").outcome == "over_user_limit"
    other = group_buys.open_group(shop, SYSTEM, key, "other@x")
    assert group_buys.join(shop, SYSTEM, other.group_id, "leader@x").outcome == "over_user_limit"
    assert first.outcome == "opened"


def test_a_bad_rule_is_named_at_its_fields_and_not_stored(shop):
    with pytest.raises(group_buys.GroupRejected) as err:
        group_buys.define_rule(shop, SYSTEM, "bad", "x", 1, 0, -1, 100)
    assert {(p.field, p.code) for p in err.value.problems} == {
        ("size", "below_two"),
        ("duration", "not_positive"),
        ("leader_price_minor", "negative"),
    }
    assert group_buys.groups(shop, SYSTEM) == []

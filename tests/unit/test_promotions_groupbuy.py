"""Group buys beyond the worked cases: who may join, when, and what a rule must satisfy."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from campaigns.promotions.groupbuy import (
    GroupBuy,
    GroupRefused,
    GroupState,
    OnFail,
    expire,
    join,
    open_group,
    validate_group_buy,
)

NOW = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)
RULE = GroupBuy(size=2, duration=timedelta(hours=24), leader_price_minor=4900, member_price_minor=5900)


def refusal(group, customer, at) -> str:
    with pytest.raises(GroupRefused) as err:
        join(group, customer, at)
    return err.value.code


def test_duration_counts_from_the_leaders_opening_and_the_end_is_inclusive():
    g = open_group(RULE, "leader", NOW)
    assert join(g, "ann", NOW + timedelta(hours=24)).state is GroupState.SUCCESS
    assert refusal(g, "ann", NOW + timedelta(hours=24, microseconds=1)) == "group_expired"


def test_no_joining_twice_or_after_the_group_closed():
    g = open_group(RULE, "leader", NOW)
    assert refusal(g, "leader", NOW) == "already_member"
    full = join(g, "ann", NOW)
    assert refusal(full, "bob", NOW) == "group_closed"
    assert expire(full, NOW + timedelta(days=2)) is full  # a settled group stays as it is


def test_rules_that_cannot_work_are_refused_at_their_field():
    bad = GroupBuy(1, timedelta(0), -1, 5900, OnFail.VIRTUAL_FILL, min_real_members=1, virtual_share=Decimal("1.2"))
    assert [(p.field, p.code) for p in validate_group_buy(bad)] == [
        ("size", "below_two"),
        ("duration", "not_positive"),
        ("leader_price_minor", "negative"),
        ("min_real_members", "out_of_range"),
        ("virtual_share", "out_of_range"),
    ]
    assert validate_group_buy(RULE) == []

"""Group buys (拼团) as pure state: a leader opens a group, members join and pay, the group succeeds
when the goal-th member pays, and at expiry the rule's ``on_fail`` decides. No storage, no clock."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from campaigns.planning import Problem


class GroupState(StrEnum):
    OPEN = "open"
    SUCCESS = "success"
    FAILED = "failed"
    VIRTUAL_SUCCESS = "virtual_success"  # 模拟成团: virtual members filled the group


class OnFail(StrEnum):
    REFUND = "refund"  # everyone refunded in full (TOP fail_process=close)
    CONTINUE = "continue"  # the group fails but its members ship at the price they paid
    VIRTUAL_FILL = "virtual_fill"  # fill with virtual members when enough real ones joined, else refund


class Role(StrEnum):
    LEADER = "leader"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class GroupBuy:
    """The rule: ``size`` paying members (leader included) within ``duration`` of the leader's opening.
    Virtual fill needs ``min_real_members`` real ones (never fewer than 2: a leader alone always fails)
    and, if ``virtual_share`` is set (CRMEB), real + floor(share × size) must reach the size."""

    size: int
    duration: timedelta
    leader_price_minor: int
    member_price_minor: int
    on_fail: OnFail = OnFail.REFUND
    min_real_members: int = 2
    virtual_share: Decimal | None = None


def validate_group_buy(rule: GroupBuy) -> list[Problem]:
    out: list[Problem] = []
    if rule.size < 2:
        out.append(Problem("size", "below_two"))
    if rule.duration <= timedelta(0):
        out.append(Problem("duration", "not_positive"))
    for name in ("leader_price_minor", "member_price_minor"):
        if getattr(rule, name) < 0:
            out.append(Problem(name, "negative"))
    if not 2 <= rule.min_real_members <= max(rule.size, 2):
        out.append(Problem("min_real_members", "out_of_range", {"min": 2, "max": rule.size}))
    if rule.virtual_share is not None and not 0 <= rule.virtual_share < 1:
        out.append(Problem("virtual_share", "out_of_range"))
    return out


@dataclass(frozen=True, slots=True)
class Member:
    customer: str
    role: Role
    paid_minor: int
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class Refund:
    customer: str
    amount_minor: int


class GroupRefused(ValueError):
    """A join that may not happen; ``code`` is a catalog key."""

    def __init__(self, code: str, params: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


@dataclass(frozen=True, slots=True)
class Group:
    rule: GroupBuy
    opened_at: datetime
    members: tuple[Member, ...]
    state: GroupState = GroupState.OPEN
    closed_at: datetime | None = None
    virtual_members: int = 0
    refunds: tuple[Refund, ...] = ()

    @property
    def expires_at(self) -> datetime:
        """Counted from the leader's opening; inclusive."""
        return self.opened_at + self.rule.duration

    @property
    def ships_to(self) -> tuple[str, ...]:
        """The real members whose orders ship (virtual members never do)."""
        if self.state in (GroupState.SUCCESS, GroupState.VIRTUAL_SUCCESS) or (
            self.state == GroupState.FAILED and self.rule.on_fail == OnFail.CONTINUE
        ):
            return tuple(m.customer for m in self.members)
        return ()

    @property
    def revenue_minor(self) -> int:
        """Paid minus refunded."""
        return sum(m.paid_minor for m in self.members) - sum(r.amount_minor for r in self.refunds)


def open_group(rule: GroupBuy, leader: str, at: datetime) -> Group:
    """The leader opens the group by paying the leader price."""
    return Group(rule, at, (Member(leader, Role.LEADER, rule.leader_price_minor, at),))


def join(group: Group, customer: str, at: datetime) -> Group:
    """A member pays the member price; the group succeeds at the goal-th payment."""
    if group.state != GroupState.OPEN:
        raise GroupRefused("group_closed", {"state": str(group.state)})
    if at > group.expires_at:
        raise GroupRefused("group_expired", {"expires_at": group.expires_at.isoformat()})
    if any(m.customer == customer for m in group.members):
        raise GroupRefused("already_member")
    members = (*group.members, Member(customer, Role.MEMBER, group.rule.member_price_minor, at))
    if len(members) >= group.rule.size:
        return replace(group, members=members, state=GroupState.SUCCESS, closed_at=at)
    return replace(group, members=members)


def expire(group: Group, at: datetime) -> Group:
    """Settle an open group whose time is up (after ``expires_at``); any other group is returned as is."""
    if group.state != GroupState.OPEN or at <= group.expires_at:
        return group
    rule, real = group.rule, len(group.members)
    if rule.on_fail == OnFail.CONTINUE:
        return replace(group, state=GroupState.FAILED, closed_at=at)
    if rule.on_fail == OnFail.VIRTUAL_FILL and real >= max(rule.min_real_members, 2):
        reach = real + int(rule.virtual_share * rule.size) if rule.virtual_share is not None else rule.size
        if reach >= rule.size:
            return replace(group, state=GroupState.VIRTUAL_SUCCESS, closed_at=at, virtual_members=rule.size - real)
    refunds = tuple(Refund(m.customer, m.paid_minor) for m in group.members)
    return replace(group, state=GroupState.FAILED, closed_at=at, refunds=refunds)

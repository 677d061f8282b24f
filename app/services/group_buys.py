"""Group buys (拼团) kept in the database: rules, groups opened by a leader, members joining
atomically, and the worker settling groups whose time is up (refund records, virtual fill)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import privacy
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.promotions import groupbuy as g
from data.models_groups import GroupBuy, GroupMember, GroupRule


class GroupRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


class JoinOutcome(StrEnum):
    OPENED = "opened"
    JOINED = "joined"
    FILLED = "filled"  # this payment completed the group
    UNKNOWN_RULE = "unknown_rule"
    UNKNOWN_GROUP = "unknown_group"
    GROUP_CLOSED = "group_closed"
    GROUP_EXPIRED = "group_expired"
    ALREADY_MEMBER = "already_member"
    OVER_USER_LIMIT = "over_user_limit"


@dataclass(frozen=True)
class JoinResult:
    outcome: JoinOutcome
    group_id: int | None = None
    members: int = 0


def _pure(rule: GroupRule) -> g.GroupBuy:
    return g.GroupBuy(
        rule.size,
        timedelta(minutes=rule.duration_minutes),
        rule.leader_price_minor,
        rule.member_price_minor,
        g.OnFail(rule.on_fail),
        rule.min_real_members,
    )


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise GroupRejected([Problem("workspace", "required")])
    return ws


@requires(Permission.EDIT_PROMOTIONS)
def define_rule(
    c: Container,
    actor: Actor,
    key: str,
    name: str,
    size: int,
    duration_minutes: int,
    leader_price_minor: int,
    member_price_minor: int,
    on_fail: str = g.OnFail.REFUND,
    min_real_members: int = 2,
    per_user_limit: int | None = None,
) -> int:
    key, name = key.strip(), name.strip()
    problems = [Problem(f, "required") for f, v in (("key", key), ("name", name)) if not v]
    problems += [
        Problem(f, "too_long", {"max": n}) for f, v, n in (("key", key, 64), ("name", name, 200)) if len(v) > n
    ]
    if on_fail not in set(g.OnFail):
        problems.append(Problem("on_fail", "unknown_choice", {"value": on_fail}))
    elif not problems:
        rule = g.GroupBuy(
            size,
            timedelta(minutes=duration_minutes),
            leader_price_minor,
            member_price_minor,
            g.OnFail(on_fail),
            min_real_members,
        )
        problems += g.validate_group_buy(rule)
    if per_user_limit is not None and per_user_limit < 1:
        problems.append(Problem("per_user_limit", "not_positive"))
    if problems:
        raise GroupRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        if uow.groups.rule(ws.id, key):
            raise GroupRejected([Problem("key", "duplicate", {"offer_key": key})])
        row = uow.groups.add(
            GroupRule(
                workspace_id=ws.id,
                key=key,
                name=name,
                size=size,
                duration_minutes=duration_minutes,
                leader_price_minor=leader_price_minor,
                member_price_minor=member_price_minor,
                currency=ws.currency,
                on_fail=on_fail,
                min_real_members=min_real_members,
                per_user_limit=per_user_limit,
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        audit.record_in(uow, c, actor.who, "group_rule_defined", entity=key, source=actor.source)
        return row.id


def _customer(salt: str, customer: str) -> str:
    if not str(customer or "").strip():
        raise GroupRejected([Problem("customer", "required")])
    return privacy.customer_hash(salt, customer)


@requires(Permission.EDIT_PROMOTIONS)
def open_group(c: Container, actor: Actor, rule_key: str, leader: str) -> JoinResult:
    """The leader pays the leader price and the group's clock starts."""
    now = c.clock()
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        rule = uow.groups.rule(ws.id, rule_key)
        if rule is None:
            return JoinResult(JoinOutcome.UNKNOWN_RULE)
        who = _customer(ws.salt, leader)
        if rule.per_user_limit is not None and uow.groups.open_memberships(rule.id, who) >= rule.per_user_limit:
            return JoinResult(JoinOutcome.OVER_USER_LIMIT)
        group = uow.groups.add(
            GroupBuy(
                rule_id=rule.id,
                opened_at=now,
                expires_at=now + timedelta(minutes=rule.duration_minutes),
                state=g.GroupState.OPEN,
            )
        )
        uow.groups.add(
            GroupMember(
                group_id=group.id,
                customer_hash=who,
                role=g.Role.LEADER,
                paid_minor=rule.leader_price_minor,
                paid_at=now,
            )
        )
        return JoinResult(JoinOutcome.OPENED, group.id, 1)


@requires(Permission.EDIT_PROMOTIONS)
def join(c: Container, actor: Actor, group_id: int, customer: str) -> JoinResult:
    """A member pays the member price; the size-th payment completes the group. Atomic: however many
    join at once, a group never takes more members than its size."""
    now = c.clock()
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        group = uow.groups.lock(group_id)
        rule = uow.session.get(GroupRule, group.rule_id) if group else None
        if group is None or rule.workspace_id != ws.id:
            return JoinResult(JoinOutcome.UNKNOWN_GROUP)
        if group.state != g.GroupState.OPEN:
            return JoinResult(JoinOutcome.GROUP_CLOSED, group.id, group.members)
        if now > group.expires_at:
            return JoinResult(JoinOutcome.GROUP_EXPIRED, group.id, group.members)
        who = _customer(ws.salt, customer)
        if any(m.customer_hash == who for m in uow.groups.members(group.id)):
            return JoinResult(JoinOutcome.ALREADY_MEMBER, group.id, group.members)
        if rule.per_user_limit is not None and uow.groups.open_memberships(rule.id, who) >= rule.per_user_limit:
            return JoinResult(JoinOutcome.OVER_USER_LIMIT, group.id, group.members)
        uow.groups.add(
            GroupMember(
                group_id=group.id,
                customer_hash=who,
                role=g.Role.MEMBER,
                paid_minor=rule.member_price_minor,
                paid_at=now,
            )
        )
        group.members += 1
        if group.members >= rule.size:
            group.state, group.closed_at = g.GroupState.SUCCESS, now
            return JoinResult(JoinOutcome.FILLED, group.id, group.members)
        return JoinResult(JoinOutcome.JOINED, group.id, group.members)


def settle_expired(c: Container, now: datetime | None = None) -> int:
    """Settle every open group whose time is up, as its rule says (the worker calls this): refund
    records on each member, or virtual members, or shipping at the group price. Returns how many."""
    now = now or c.clock()
    with c.uow(write=True) as uow:
        groups = uow.groups.expired(now)
        for group in groups:
            rule = uow.session.get(GroupRule, group.rule_id)
            members = uow.groups.members(group.id)
            pure = g.Group(
                _pure(rule),
                group.opened_at,
                tuple(g.Member(m.customer_hash, g.Role(m.role), m.paid_minor, m.paid_at) for m in members),
            )
            done = g.expire(pure, now)
            group.state, group.closed_at, group.virtual_members = done.state, done.closed_at, done.virtual_members
            refunds = {r.customer: r.amount_minor for r in done.refunds}
            for m in members:
                if m.customer_hash in refunds:
                    m.refunded_minor, m.refunded_at = refunds[m.customer_hash], now
        return len(groups)


@dataclass(frozen=True)
class GroupView:
    id: int
    rule_key: str
    state: str
    members: int
    size: int
    virtual_members: int
    opened_at: datetime
    expires_at: datetime
    refunded_minor: int


@requires(Permission.VIEW_OVERVIEW)
def rules(c: Container, actor: Actor) -> list[GroupRule]:
    """The workspace's group-buy rules, by key."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        return sorted(uow.groups.rules(ws.id) if ws else [], key=lambda r: r.key)


@requires(Permission.VIEW_OVERVIEW)
def groups(c: Container, actor: Actor) -> list[GroupView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        out = []
        for rule in uow.groups.rules(ws.id) if ws else []:
            for grp in uow.groups.of_rule(rule.id):
                refunded = sum(m.refunded_minor or 0 for m in uow.groups.members(grp.id))
                out.append(
                    GroupView(
                        grp.id,
                        rule.key,
                        grp.state,
                        grp.members,
                        rule.size,
                        grp.virtual_members,
                        grp.opened_at,
                        grp.expires_at,
                        refunded,
                    )
                )
        return out

"""Queries, one small repository per aggregate. Sessions come from the unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, delete, func, insert, null, select, update
from sqlalchemy.orm import Session

from campaigns.facts import FIRST_PARTY
from campaigns.metrics import Totals
from campaigns.planning import CampaignStatus
from campaigns.publishing import PostState
from data.models import (
    AuditEvent,
    Campaign,
    CampaignPhase,
    ChannelAccount,
    CustomerOrder,
    CustomFestival,
    DataRetention,
    Meta,
    MetricDaily,
    Partner,
    Post,
    UserAccount,
    UserSession,
    WorkerHeartbeat,
    Workspace,
)


class _Repo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, obj):
        self.s.add(obj)
        self.s.flush()
        return obj


class MetaRepo(_Repo):
    def get(self, key: str) -> str | None:
        row = self.s.get(Meta, key)
        return row.value if row else None

    def put(self, key: str, value: str) -> None:
        row = self.s.get(Meta, key)
        if row is None:
            self.s.add(Meta(key=key, value=value))
        else:
            row.value = value
        self.s.flush()


class WorkspaceRepo(_Repo):
    def by_slug(self, slug: str) -> Workspace | None:
        return self.s.execute(select(Workspace).where(Workspace.slug == slug)).scalars().first()

    def first(self) -> Workspace | None:
        return self.s.execute(select(Workspace).order_by(Workspace.id)).scalars().first()

    def current(self) -> Workspace | None:
        """The workspace the console works in: the demo one when seeded, else the first."""
        return self.by_slug("demo") or self.first()

    def every(self) -> list[Workspace]:
        return list(self.s.execute(select(Workspace).order_by(Workspace.id)).scalars())


class CampaignRepo(_Repo):
    def running(self, workspace_id: int, now: datetime) -> list[Campaign]:
        """Campaigns under way at ``now``: planned or running, and inside their (inclusive) window."""
        q = (
            select(Campaign)
            .where(
                Campaign.workspace_id == workspace_id,
                Campaign.status.in_([CampaignStatus.PLANNED, CampaignStatus.RUNNING]),
                Campaign.starts_at <= now,
                Campaign.ends_at >= now,
            )
            .order_by(Campaign.ends_at)
        )
        return list(self.s.execute(q).scalars())

    def last_finished(self, workspace_id: int, now: datetime) -> Campaign | None:
        """The campaign that ended most recently before ``now`` (and was run, not just planned)."""
        q = (
            select(Campaign)
            .where(
                Campaign.workspace_id == workspace_id,
                Campaign.status.in_([CampaignStatus.RUNNING, CampaignStatus.FINISHED]),
                Campaign.ends_at < now,
            )
            .order_by(Campaign.ends_at.desc())
        )
        return self.s.execute(q).scalars().first()

    def phases(self, campaign_ids: Iterable[int]) -> list[CampaignPhase]:
        ids = list(campaign_ids)
        if not ids:
            return []
        q = select(CampaignPhase).where(CampaignPhase.campaign_id.in_(ids)).order_by(CampaignPhase.starts_at)
        return list(self.s.execute(q).scalars())

    def get(self, campaign_id: int) -> Campaign | None:
        return self.s.get(Campaign, campaign_id)

    def lock(self, campaign_id: int) -> Campaign | None:
        """The campaign row, locked until the unit of work ends (PostgreSQL ``FOR UPDATE``; SQLite's
        writing unit already holds the write lock)."""
        q = select(Campaign).where(Campaign.id == campaign_id).with_for_update()
        return self.s.execute(q.execution_options(populate_existing=True)).scalars().first()

    def all(self, workspace_id: int) -> list[Campaign]:
        q = select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(Campaign.starts_at.desc())
        return list(self.s.execute(q).scalars())

    def replace_phases(self, campaign_id: int, phases: list[CampaignPhase]) -> None:
        self.s.execute(delete(CampaignPhase).where(CampaignPhase.campaign_id == campaign_id))
        self.s.add_all(phases)
        self.s.flush()

    def in_year(self, workspace_id: int, year: int) -> list[Campaign]:
        """Campaigns whose window touches ``year`` (in UTC; a day's slack either side)."""
        first = datetime(year - 1, 12, 31, tzinfo=UTC)
        last = datetime(year + 1, 1, 2, tzinfo=UTC)
        q = (
            select(Campaign)
            .where(Campaign.workspace_id == workspace_id, Campaign.starts_at < last, Campaign.ends_at > first)
            .order_by(Campaign.starts_at)
        )
        return list(self.s.execute(q).scalars())

    def count(self, workspace_id: int) -> int:
        q = select(func.count()).select_from(Campaign).where(Campaign.workspace_id == workspace_id)
        return self.s.execute(q).scalar_one()


class FestivalRepo(_Repo):
    def get(self, festival_id: int) -> CustomFestival | None:
        return self.s.get(CustomFestival, festival_id)

    def in_year(self, workspace_id: int, year: int) -> list[CustomFestival]:
        """Custom festivals that overlap ``year`` (as the built-in calendar counts them)."""
        return self.overlapping(workspace_id, date(year, 1, 1), date(year, 12, 31))

    def overlapping(self, workspace_id: int, first: date, last: date) -> list[CustomFestival]:
        """Custom festivals that share at least a day with ``first``..``last`` (inclusive)."""
        q = (
            select(CustomFestival)
            .where(
                CustomFestival.workspace_id == workspace_id,
                CustomFestival.end >= first,
                CustomFestival.start <= last,
            )
            .order_by(CustomFestival.start)
        )
        return list(self.s.execute(q).scalars())


class ChannelAccountRepo(_Repo):
    def get(self, account_id: int) -> ChannelAccount | None:
        return self.s.get(ChannelAccount, account_id)

    def all(self, workspace_id: int) -> list[ChannelAccount]:
        q = select(ChannelAccount).where(ChannelAccount.workspace_id == workspace_id).order_by(ChannelAccount.id)
        return list(self.s.execute(q).scalars())

    def every(self) -> list[ChannelAccount]:
        return list(self.s.execute(select(ChannelAccount).order_by(ChannelAccount.id)).scalars())


class PartnerRepo(_Repo):
    def all(self, workspace_id: int) -> list[Partner]:
        q = select(Partner).where(Partner.workspace_id == workspace_id).order_by(Partner.id)
        return list(self.s.execute(q).scalars())

    def get(self, partner_id: int) -> Partner | None:
        return self.s.get(Partner, partner_id)


class PostRepo(_Repo):
    def next_scheduled(self, workspace_id: int, now: datetime, limit: int) -> list[tuple[Post, ChannelAccount]]:
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(
                Post.workspace_id == workspace_id,
                Post.state == PostState.SCHEDULED,
                Post.scheduled_at >= now,
            )
            .order_by(Post.scheduled_at, Post.id)
            .limit(limit)
        )
        return [(p, a) for p, a in self.s.execute(q).all()]

    def of_campaign(self, campaign_id: int) -> list[tuple[Post, ChannelAccount]]:
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(Post.campaign_id == campaign_id)
            .order_by(Post.scheduled_at, Post.id)
        )
        return [(p, a) for p, a in self.s.execute(q).all()]

    def count_by_state(self, workspace_id: int) -> dict[str, int]:
        q = select(Post.state, func.count()).where(Post.workspace_id == workspace_id).group_by(Post.state)
        return {state: n for state, n in self.s.execute(q).all()}


def _first_party(column):
    """A measure that counts for the campaign only from first-party sources (campaigns.facts.FIRST_PARTY):
    platform-reported conversions and conversion value are never added across platforms."""
    return func.coalesce(func.sum(case((MetricDaily.source.in_(FIRST_PARTY), column), else_=0)), 0)


_SUMS = (
    func.coalesce(func.sum(MetricDaily.impressions), 0),
    func.coalesce(func.sum(MetricDaily.engagements), 0),
    func.coalesce(func.sum(MetricDaily.clicks), 0),
    _first_party(MetricDaily.orders),  # the campaign's conversions are its orders
    _first_party(MetricDaily.revenue_minor),
    func.coalesce(func.sum(MetricDaily.spend_minor), 0),
    _first_party(MetricDaily.orders),
)


def _totals(row) -> Totals:
    return Totals(*(int(v) for v in row))


class MetricRepo(_Repo):
    def bulk_insert(self, rows: list[dict]) -> None:
        """One multi-row INSERT per call: the way large imports stay fast."""
        if rows:
            self.s.execute(insert(MetricDaily), rows)

    def totals(self, campaign_id: int, currency: str | None = None) -> Totals:
        """Sums over the campaign's rows; with ``currency``, only rows in that currency."""
        q = select(*_SUMS).where(MetricDaily.campaign_id == campaign_id)
        if currency is not None:
            q = q.where(MetricDaily.currency == currency)
        return _totals(self.s.execute(q).one())

    def totals_by_channel(self, campaign_id: int) -> dict[str, Totals]:
        q = (
            select(MetricDaily.channel, *_SUMS)
            .where(MetricDaily.campaign_id == campaign_id)
            .group_by(MetricDaily.channel)
        )
        return {row[0]: _totals(row[1:]) for row in self.s.execute(q).all()}

    def daily_revenue(self, campaign_id: int) -> list[tuple]:
        """(day, channel, revenue_minor) rows, by day."""
        q = (
            select(MetricDaily.day, MetricDaily.channel, _first_party(MetricDaily.revenue_minor))
            .where(MetricDaily.campaign_id == campaign_id)
            .group_by(MetricDaily.day, MetricDaily.channel)
            .order_by(MetricDaily.day, MetricDaily.channel)
        )
        return [(d, c, int(v)) for d, c, v in self.s.execute(q).all()]


class OrderRepo(_Repo):
    def bulk_insert(self, rows: list[dict]) -> None:
        if rows:
            self.s.execute(insert(CustomerOrder), rows)

    def count_for(self, workspace_id: int, customer_hash: str) -> int:
        q = (
            select(func.count())
            .select_from(CustomerOrder)
            .where(CustomerOrder.workspace_id == workspace_id, CustomerOrder.customer_hash == customer_hash)
        )
        return self.s.execute(q).scalar_one()


class HeartbeatRepo(_Repo):
    def beat(
        self, worker_id: str, hostname: str, pid: int, now: datetime, problem: str | None, tick: bool = True
    ) -> None:
        row = self.s.get(WorkerHeartbeat, worker_id)
        if row is None:
            row = WorkerHeartbeat(worker_id=worker_id, hostname=hostname, pid=pid, started_at=now, beat_at=now)
            self.s.add(row)
        row.beat_at = now
        row.ticks += 1 if tick else 0
        row.last_problem = problem
        self.s.flush()

    def remove(self, worker_id: str) -> None:
        self.s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id))

    def sweep(self, older_than: datetime) -> int:
        result = self.s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < older_than))
        return result.rowcount or 0

    def all(self) -> list[WorkerHeartbeat]:
        return list(self.s.execute(select(WorkerHeartbeat).order_by(WorkerHeartbeat.beat_at.desc())).scalars())


class UserRepo(_Repo):
    def get(self, user_id: int) -> UserAccount | None:
        return self.s.get(UserAccount, user_id)

    def by_email(self, email: str) -> UserAccount | None:
        q = select(UserAccount).where(UserAccount.email == email.strip().lower())
        return self.s.execute(q).scalars().first()

    def all(self) -> list[UserAccount]:
        return list(self.s.execute(select(UserAccount).order_by(UserAccount.email)).scalars())

    def active(self) -> list[UserAccount]:
        """Who may own a campaign: the active accounts, by name."""
        q = select(UserAccount).where(UserAccount.active.is_(True)).order_by(UserAccount.display_name)
        return list(self.s.execute(q).scalars())

    def count(self) -> int:
        return self.s.execute(select(func.count()).select_from(UserAccount)).scalar_one()

    def count_failure(
        self, user_id: int, now: datetime, max_failures: int, lock_for: timedelta
    ) -> tuple[int, datetime | None]:
        """Count one failed sign-in atomically (parallel attempts cannot lose counts). A lock that
        has run out starts the count again. Returns the count and the new lock's end, if any."""
        expired = and_(UserAccount.locked_until.is_not(None), UserAccount.locked_until <= now)
        q = (
            update(UserAccount)
            .where(UserAccount.id == user_id)
            .values(
                failed_logins=case((expired, 1), else_=UserAccount.failed_logins + 1),
                locked_until=case((expired, null()), else_=UserAccount.locked_until),
            )
            .returning(UserAccount.failed_logins)
        )
        failures = self.s.execute(q).scalar_one()
        if failures < max_failures:
            return failures, None
        until = now + lock_for
        lock = (
            update(UserAccount)
            .where(UserAccount.id == user_id, UserAccount.locked_until.is_(None))
            .values(locked_until=until)
        )
        return failures, until if self.s.execute(lock).rowcount else None

    def count_active_admins(self) -> int:
        q = select(func.count()).select_from(UserAccount).where(UserAccount.role == "admin", UserAccount.active)
        return self.s.execute(q).scalar_one()


class SessionRepo(_Repo):
    def get(self, session_hash: str) -> UserSession | None:
        return self.s.get(UserSession, session_hash)

    def revoke_all(self, user_id: int, now: datetime) -> None:
        q = (
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        self.s.execute(q)

    def touch(self, session_hash: str, now: datetime) -> None:
        self.s.execute(update(UserSession).where(UserSession.id == session_hash).values(last_seen_at=now))

    def purge_expired(self, now: datetime) -> int:
        return self.s.execute(delete(UserSession).where(UserSession.expires_at < now)).rowcount or 0


class AuditRepo(_Repo):
    def find(self, actor, action, result, since, until, limit) -> list[AuditEvent]:
        q = select(AuditEvent)
        if actor:
            q = q.where(AuditEvent.actor.contains(actor.strip().lower()))
        if action:
            q = q.where(AuditEvent.action == action)
        if result:
            q = q.where(AuditEvent.result == result)
        if since is not None:
            q = q.where(AuditEvent.at >= since)
        if until is not None:
            q = q.where(AuditEvent.at <= until)
        q = q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        return list(self.s.execute(q.limit(limit) if limit else q).scalars())

    def actions(self) -> list[str]:
        return list(self.s.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars())


class RetentionRepo(_Repo):
    def get(self, dataset: str) -> DataRetention | None:
        return self.s.get(DataRetention, dataset)

    def all(self) -> list[DataRetention]:
        return list(self.s.execute(select(DataRetention).order_by(DataRetention.dataset)).scalars())

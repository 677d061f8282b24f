"""The Overview: upcoming festivals, running campaigns, the next posts, the last result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.bootstrap import Container
from app.services.auth import Actor, requires
from campaigns import calendar, metrics
from campaigns.access import Permission
from campaigns.metrics import Totals
from campaigns.promotions.money import Money


@dataclass(frozen=True)
class FestivalItem:
    key: str
    kind: str
    region: str
    start: date
    end: date
    timezone: str
    days_until: int
    name: str | None = None  # a custom festival's own name (built-in ones are named by the catalog)


@dataclass(frozen=True)
class CampaignItem:
    id: int
    name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    budget: Money
    phase: str | None  # kind of the phase running now


@dataclass(frozen=True)
class PostItem:
    id: int
    title: str
    channel: str
    account: str
    scheduled_at: datetime


@dataclass(frozen=True)
class Headline:
    campaign: str
    starts_at: datetime
    ends_at: datetime
    totals: Totals
    currency: str
    ctr: Decimal | None
    conversion_rate: Decimal | None
    roas: Decimal | None
    roi: Decimal | None
    daily_revenue: list[tuple[date, str, int]]

    @property
    def revenue(self) -> Money:
        return Money(self.totals.revenue_minor, self.currency)

    @property
    def spend(self) -> Money:
        return Money(self.totals.spend_minor, self.currency)


@dataclass(frozen=True)
class Overview:
    workspace: str | None
    timezone: str
    festivals: list[FestivalItem] = field(default_factory=list)
    running: list[CampaignItem] = field(default_factory=list)
    next_posts: list[PostItem] = field(default_factory=list)
    last_finished: Headline | None = None


@requires(Permission.VIEW_OVERVIEW)
def get_overview(
    c: Container, actor: Actor, now: datetime | None = None, festival_days: int = 60, posts: int = 8
) -> Overview:
    now = now or c.clock()
    with c.uow() as uow:
        ws = uow.workspaces.current()
        tz = ws.timezone if ws else c.settings.timezone
        horizon = now + timedelta(days=festival_days)
        # a day's slack either side: calendar.upcoming decides in each festival's own zone
        own = (
            uow.festivals.overlapping(ws.id, now.date() - timedelta(days=1), horizon.date() + timedelta(days=1))
            if ws
            else []
        )
        fests = _festivals(
            now,
            tz,
            festival_days,
            tuple(
                calendar.Festival(f"custom_{f.id}", "custom", f.region, f.start, f.end, f.timezone, f.name) for f in own
            ),
        )
        if ws is None:
            return Overview(None, tz, fests)
        running = uow.campaigns.running(ws.id, now)
        phases = uow.campaigns.phases(c.id for c in running)
        next_posts = [
            PostItem(p.id, p.title, a.channel, a.name, p.scheduled_at)
            for p, a in uow.posts.next_scheduled(ws.id, now, posts)
        ]
        last = uow.campaigns.last_finished(ws.id, now)
        headline = None
        if last is not None:
            t = uow.metrics.totals(last.id)
            headline = Headline(
                last.name,
                last.starts_at,
                last.ends_at,
                t,
                last.currency,
                metrics.ctr(t),
                metrics.conversion_rate(t),
                metrics.roas(t),
                metrics.roi(t),
                uow.metrics.daily_revenue(last.id),
            )
    items = [
        CampaignItem(
            k.id,
            k.name,
            k.status,
            k.starts_at,
            k.ends_at,
            Money(k.budget_minor, k.currency),
            next((p.kind for p in phases if p.campaign_id == k.id and p.starts_at <= now <= p.ends_at), None),
        )
        for k in running
    ]
    return Overview(ws.name, tz, fests, items, next_posts, headline)


def _festivals(now: datetime, tz: str, days: int, own: tuple) -> list[FestivalItem]:
    today = now.astimezone(ZoneInfo(tz)).date()
    return [
        FestivalItem(f.key, f.kind, f.region, f.start, f.end, f.timezone, max((f.start - today).days, 0), f.name)
        for f in calendar.upcoming(now, days, own)
    ]

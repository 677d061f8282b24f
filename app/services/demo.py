"""The demo workspace: deterministic for a given seed and `now`, seeded on first start only.

It holds a year of festivals (computed), three campaigns (a finished Double 11 with a
month of daily metrics over five channels and four KOL partners, a running one and a
planned Spring Festival one), channel accounts on the sandbox connector and posts in
every state except the two transient ones (claimed, sending) that only a worker holding
a lease may set.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from app.bootstrap import Container
from app.services import demo_budget, demo_kol
from app.services.auth import HASHER, new_password
from campaigns import calendar, facts
from campaigns.access import Role
from campaigns.planning import CampaignStatus, Objective, PhaseKind
from campaigns.privacy import customer_hash
from campaigns.publishing import Channel, PostState
from data.models import Campaign, CampaignPhase, ChannelAccount, Partner, Post, UserAccount, Workspace
from data.models_measure import ImportBatch

DEMO_SLUG = "demo"
DEMO_SEED = 20261111
SEEDED_KEY = "demo_seeded_at"
TZ = "Asia/Shanghai"
CURRENCY = "CNY"
METRIC_CHANNELS = (Channel.WEIBO, Channel.WECHAT, Channel.DOUYIN, Channel.XIAOHONGSHU, Channel.X)
RUNNING_FESTIVALS = ("queen_day", "day_520", "day_618", "day_99", "double_11", "double_12")

ACCOUNTS = (
    (Channel.WEIBO, "Festa 官方微博"),
    (Channel.WECHAT, "Festa 服务号"),
    (Channel.DOUYIN, "Festa 抖音号"),
    (Channel.XIAOHONGSHU, "Festa 小红书"),
    (Channel.X, "@festa_shop"),
    (Channel.TELEGRAM, "Festa Deals"),
    (Channel.EMAIL, "Festa Newsletter"),
)
# no posting API: the dispatcher hands these posts to a person (connectors.manual)
MANUAL_CHANNELS = {Channel.DOUYIN: "manual", Channel.XIAOHONGSHU: "manual"}
DEMO_ASSIGNEE = "小林 · content@demo.festa.test"  # the demo content user: hand-offs remind them
PARTNERS = (
    ("小美爱种草", Channel.XIAOHONGSHU, "xiaomei_zhongcao"),
    ("阿强说数码", Channel.DOUYIN, "aqiang_tech"),
    ("Lily的衣橱", Channel.WEIBO, "lily_closet"),
    ("美食家老王", Channel.DOUYIN, "laowang_food"),
)


@dataclass(frozen=True)
class SeedResult:
    created: bool
    seeded_at: str
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (e-mail, role, password), shown once


def _local(d: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), ZoneInfo(TZ))


def _end_of(d: date) -> datetime:
    return datetime.combine(d, time(23, 59, 59), ZoneInfo(TZ))


def seed_demo(c: Container, now: datetime | None = None, seed: int = DEMO_SEED) -> SeedResult:
    now = now or c.clock()
    try:
        with c.uow(write=True) as uow:
            done = uow.meta.get(SEEDED_KEY)
            if done is not None:
                return SeedResult(False, done)
            camps, partners = _build(uow, now, random.Random(seed))
            accounts = _accounts(uow, now)
            _plans(uow, camps, partners, now)
            uow.meta.put(SEEDED_KEY, now.isoformat())
    except IntegrityError:  # another process seeded at the same moment
        with c.uow() as uow:
            return SeedResult(False, uow.meta.get(SEEDED_KEY) or "")
    return SeedResult(True, now.isoformat(), accounts)


def _accounts(uow, now: datetime) -> list[tuple[str, str, str]]:
    """One demo account per role, each with a fresh random password."""
    made = []
    for role in Role:
        email = f"{role}@demo.festa.test"
        if uow.users.by_email(email) is None:
            password = new_password()
            uow.users.add(
                UserAccount(
                    email=email,
                    display_name=f"Demo {role}",
                    role=role,
                    password_hash=HASHER.hash(password),
                    created_at=now,
                )
            )
            made.append((email, str(role), password))
    return made


def _build(uow, now: datetime, rng: random.Random) -> tuple[list[Campaign], list[Partner]]:
    ws = uow.workspaces.add(
        Workspace(
            slug=DEMO_SLUG,
            name="Festa 演示店 · Demo Shop",
            timezone=TZ,
            currency=CURRENCY,
            created_at=now,
            salt=secrets.token_hex(32),
        )
    )
    accounts = {
        ch: uow.channel_accounts.add(
            ChannelAccount(
                workspace_id=ws.id, connector=MANUAL_CHANNELS.get(ch, "sandbox"), channel=ch, name=name, timezone=TZ
            )
        )
        for ch, name in ACCOUNTS
    }
    partners = [
        uow.partners.add(Partner(workspace_id=ws.id, name=n, platform=p, handle=h, created_at=now))
        for n, p, h in PARTNERS
    ]
    demo_kol.enrich(uow, partners, CURRENCY)
    past = _past_double_11(uow, ws.id, now)
    running = _running(uow, ws.id, now)
    planned = _planned(uow, ws.id, running.ends_at)
    _metrics(uow, ws.id, past, partners, rng, now)
    _orders(uow, ws, past, rng)
    _posts(uow, ws.id, now, accounts, past, running, rng)
    return [past, running, planned], partners


def _plans(uow, camps: list[Campaign], partners: list[Partner], now: datetime) -> None:
    """Owner, segments, budget lines and targets of the demo campaigns; offers; the KOL deals."""
    past, running, planned = camps
    owner = uow.users.by_email(f"{Role.MARKETER}@demo.festa.test")
    owner_id = owner.id if owner else None
    demo_budget.plan(uow, past, partners, owner_id, ["active", "vip"], {"gmv": 500_000_000, "roi": "3"})
    demo_budget.plan(uow, running, partners, owner_id, ["new", "active"], {"gmv": 150_000_000})
    demo_budget.plan(uow, planned, partners, owner_id, ["lapsed", "vip", "返乡人群"], {"exposure": 30_000_000})
    demo_budget.offers(uow, past.workspace_id, running, running.starts_at)
    demo_kol.deals(uow, past, running, partners, owner.email if owner else "demo", now)


def _campaign(uow, ws_id, name, festival_key, status, phases, budget_yuan, objective=Objective.GMV) -> Campaign:
    starts, ends = phases[0][1], phases[-1][2]
    camp = uow.campaigns.add(
        Campaign(
            workspace_id=ws_id,
            name=name,
            festival_key=festival_key,
            objective=objective,
            status=status,
            timezone=TZ,
            starts_at=starts,
            ends_at=ends,
            budget_minor=budget_yuan * 100,
            currency=CURRENCY,
        )
    )
    shares = (0.15, 0.30, 0.45, 0.10)
    for (kind, first, last), share in zip(phases, shares, strict=False):
        uow.campaigns.add(
            CampaignPhase(
                campaign_id=camp.id,
                kind=kind,
                name=kind,
                starts_at=first,
                ends_at=last,
                budget_minor=int(budget_yuan * 100 * share),
            )
        )
    return camp


def _past_double_11(uow, ws_id: int, now: datetime) -> Campaign:
    year = now.year if now.astimezone(ZoneInfo(TZ)).date() > date(now.year, 11, 13) else now.year - 1
    d = date(year, 11, 11)
    phases = [
        (PhaseKind.WARM_UP, _local(date(year, 10, 15)), _end_of(date(year, 10, 20))),
        (PhaseKind.LAUNCH, _local(date(year, 10, 21)), _end_of(date(year, 10, 31))),
        (PhaseKind.PEAK, _local(date(year, 11, 1)), _end_of(d)),
        (PhaseKind.ENCORE, _local(date(year, 11, 12)), _end_of(date(year, 11, 13))),
    ]
    return _campaign(uow, ws_id, f"双11 {year} · Double 11", "double_11", CampaignStatus.FINISHED, phases, 500_000)


def _running(uow, ws_id: int, now: datetime) -> Campaign:
    today = now.astimezone(ZoneInfo(TZ)).date()
    fest = next(
        f for f in calendar.upcoming(now, days=400) if f.key in RUNNING_FESTIVALS and f.end >= today + timedelta(days=4)
    )
    day = fest.end
    start = min(today - timedelta(days=6), day - timedelta(days=10))
    phases = [
        (PhaseKind.WARM_UP, _local(start), _end_of(day - timedelta(days=4))),
        (PhaseKind.LAUNCH, _local(day - timedelta(days=3)), _end_of(day - timedelta(days=1))),
        (PhaseKind.PEAK, _local(day), _end_of(day)),
        (PhaseKind.ENCORE, _local(day + timedelta(days=1)), _end_of(day + timedelta(days=2))),
    ]
    name = {
        "double_12": "双12",
        "double_11": "双11",
        "day_618": "618",
        "day_520": "520",
        "day_99": "99",
        "queen_day": "38女王节",
    }[fest.key]
    return _campaign(uow, ws_id, f"{name} {day.year}", fest.key, CampaignStatus.RUNNING, phases, 200_000)


def _planned(uow, ws_id: int, after: datetime) -> Campaign:
    year = after.year
    sf = calendar.find("spring_festival", year)
    if _local(sf.start) <= after + timedelta(days=30):
        sf = calendar.find("spring_festival", year + 1)
    d = sf.start
    phases = [
        (PhaseKind.WARM_UP, _local(d - timedelta(days=25)), _end_of(d - timedelta(days=11))),
        (PhaseKind.LAUNCH, _local(d - timedelta(days=10)), _end_of(d - timedelta(days=6))),
        (PhaseKind.PEAK, _local(d - timedelta(days=5)), _end_of(d - timedelta(days=1))),
        (PhaseKind.ENCORE, _local(d + timedelta(days=6)), _end_of(d + timedelta(days=10))),
    ]
    name = f"年货节 {d.year} · Spring Festival"
    return _campaign(uow, ws_id, name, "spring_festival", CampaignStatus.PLANNED, phases, 300_000)


# Daily base figures per channel: impressions, engagement rate, CTR, CVR, order value (yuan), CPM (yuan)
_CHANNEL_PROFILE = {
    Channel.WEIBO: (180_000, 0.031, 0.012, 0.021, 189, 28),
    Channel.WECHAT: (60_000, 0.052, 0.034, 0.040, 239, 0),
    Channel.DOUYIN: (420_000, 0.045, 0.009, 0.018, 159, 35),
    Channel.XIAOHONGSHU: (150_000, 0.062, 0.015, 0.026, 219, 42),
    Channel.X: (40_000, 0.018, 0.010, 0.012, 329, 22),
}


def _shape(day: date, peak: date) -> float:
    """Traffic rises into the launch (Oct 21) and peaks on the festival day."""
    to_peak = (peak - day).days
    launch = 1.8 if day.month == 10 and day.day in (20, 21, 22) else 1.0
    return (1.0 + 4.0 * math.exp(-abs(to_peak) / 1.6)) * launch


def _metrics(uow, ws_id: int, camp: Campaign, partners: list[Partner], rng: random.Random, now: datetime) -> None:
    """A month of daily figures, stored as the facts of one "seed" batch and rolled up as imports are."""
    first = camp.starts_at.astimezone(ZoneInfo(TZ)).date()
    last = camp.ends_at.astimezone(ZoneInfo(TZ)).date()
    peak = date(first.year, 11, 11)
    rows = []
    day = first
    while day <= last:
        k = _shape(day, peak)
        for ch, (imp, er, ctr, cvr, aov, cpm) in _CHANNEL_PROFILE.items():
            rows.append(_row(ws_id, camp.id, ch, None, day, imp * k, er, ctr, cvr, aov, cpm, rng))
        for p in partners:
            imp, er, ctr, cvr, aov, _ = _CHANNEL_PROFILE[p.platform]
            # No spend: KOL fees are the deals' (demo_kol.deals), paid to the partner, not bought on a platform.
            rows.append(_row(ws_id, camp.id, p.platform, p.id, day, imp * 0.6 * k, er * 1.4, ctr, cvr, aov, 0, rng))
        day += timedelta(days=1)
    batch = uow.measure.add_batch(
        ImportBatch(
            workspace_id=ws_id,
            source="seed",
            filename="demo",
            file_sha256="",
            rows_read=len(rows),
            rows_written=len(rows),
            day_min=first,
            day_max=last,
            created_by="system",
            created_at=now,
        )
    )
    for i, row in enumerate(rows):
        row.update(batch_id=batch.id, source="seed", row_key=facts.key_of(("seed", i)))
    uow.measure.insert_facts(rows)
    uow.measure.rebuild_rollup(uow.measure.batch_spans(batch.id))


def _row(ws_id, camp_id, channel, partner_id, day, imp, er, ctr, cvr, aov, cpm, rng, fee_yuan=0) -> dict:
    impressions = int(imp * rng.uniform(0.85, 1.15))
    clicks = int(impressions * ctr * rng.uniform(0.9, 1.1))
    conversions = int(clicks * cvr * rng.uniform(0.85, 1.15))
    return {
        "workspace_id": ws_id,
        "campaign_id": camp_id,
        "channel": str(channel),
        "partner_id": partner_id,
        "day": day,
        "impressions": impressions,
        "engagements": int(impressions * er * rng.uniform(0.9, 1.1)),
        "clicks": clicks,
        "conversions": conversions,
        "orders": conversions,  # the shop's own orders: first-party figures
        "revenue_minor": int(conversions * aov * rng.uniform(0.9, 1.1) * 100),
        "spend_minor": int(impressions / 1000 * cpm * 100) + fee_yuan * 100,
        "currency": CURRENCY,
    }


DEMO_CUSTOMERS = [f"1380013{n:04d}" for n in range(250)]  # phone numbers, as shops export them
_SOURCES = (("weibo", "social"), ("wechat", "social"), ("douyin", "kol"), ("xiaohongshu", "kol"), ("x", "social"))


def _orders(uow, ws: Workspace, camp: Campaign, rng: random.Random) -> None:
    """Orders of the finished Double 11; customers only as salted hashes."""
    days = (camp.ends_at - camp.starts_at).days + 1
    rows = []
    for i in range(400):
        source, medium = rng.choice(_SOURCES)
        rows.append(
            {
                "workspace_id": ws.id,
                "campaign_id": camp.id,
                "order_ref": f"D11-{camp.starts_at.year}-{i + 1:05d}",
                "ordered_at": camp.starts_at + timedelta(days=rng.randrange(days), minutes=rng.randrange(24 * 60)),
                "amount_minor": rng.randrange(5_900, 89_900),
                "currency": CURRENCY,
                "coupon_code": rng.choice([None, None, "D11-300-50", "VIP-20"]),
                "utm_source": source,
                "utm_medium": medium,
                "utm_campaign": "double11",
                "customer_hash": customer_hash(ws.salt, rng.choice(DEMO_CUSTOMERS)),
            }
        )
    uow.orders.bulk_insert(rows)


# what the Health page shows for the demo's troubled posts
MINUTE = timedelta(minutes=1)
_DEMO_TROUBLE = {
    PostState.RETRY_WAIT: "429 Too Many Requests: waiting for the rate limit to reset",
    PostState.FAILED: "401 Unauthorized: the access token was revoked",
    PostState.UNKNOWN: "read timeout after sending: check the platform, then resolve",
    PostState.MISSED: "not sent: more than 1:00:00 late (the worker was stopped)",
    PostState.HANDED_OFF: f"{DEMO_ASSIGNEE} must post this by hand, then mark it published with its URL",
}
_POST_TITLES = ("倒计时开抢", "爆款预告", "满300减50攻略", "直播间福利", "会员专享券", "限时秒杀", "返场最后一天")


def _posts(uow, ws_id, now, accounts, past: Campaign, running: Campaign, rng: random.Random) -> None:
    chans = list(accounts)
    hour = timedelta(hours=1)

    def post(state: PostState, when: datetime | None, camp: Campaign, i: int, published: bool = False) -> None:
        acct = accounts[chans[i % len(chans)]]
        title = f"{_POST_TITLES[i % len(_POST_TITLES)]} #{i + 1}"
        uow.posts.add(
            Post(
                workspace_id=ws_id,
                campaign_id=camp.id,
                channel_account_id=acct.id,
                title=title,
                body=f"{camp.name}: {title}",
                state=state,
                scheduled_at=when,
                run_at=when
                if state is PostState.SCHEDULED
                else (now + 15 * MINUTE if state is PostState.RETRY_WAIT else None),
                timezone=TZ,
                approved_revision=None if state in (PostState.DRAFT, PostState.IN_REVIEW) else 1,
                last_error=_DEMO_TROUBLE.get(state),
                assignee=DEMO_ASSIGNEE if acct.connector == "manual" else None,
                external_url=f"https://sandbox.festa.local/{ws_id}/{i}" if published else None,
                published_at=when if published else None,
                created_at=now,
                updated_at=now,
            )
        )

    base = now.replace(minute=0, second=0, microsecond=0)
    step = (running.ends_at - base - 6 * hour) / 12
    for i in range(12):  # the queue, spread over the rest of the running campaign
        post(PostState.SCHEDULED, base + 6 * hour + i * step + rng.randint(0, 3) * hour, running, i)
    for i in range(8):  # what went out for Double 11
        post(PostState.SENT, past.starts_at + timedelta(days=3 * i, hours=10), past, i, published=True)
    for i in range(3):
        post(PostState.SENT, base - (20 + 24 * i) * hour, running, 20 + i, published=True)
    later = base + 72 * hour
    for i, state in enumerate((PostState.DRAFT, PostState.IN_REVIEW, PostState.APPROVED, PostState.CANCELLED)):
        post(state, later + i * hour, running, 30 + i)
    troubled = (PostState.RETRY_WAIT, PostState.FAILED, PostState.UNKNOWN, PostState.MISSED, PostState.HANDED_OFF)
    for i, state in enumerate(troubled):
        post(state, base - (3 + i) * hour, running, 40 + i)

"""The demo workspace's KOL roster (the four demo partners' accounts, categories, regions and rate cards) and
their deals, so the roster, the shortlist, the deals and the KOL results have something to work with."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.services.kol_deals import sync_budget
from app.services.offer_exchange import slug
from campaigns import kol_deals as kd
from data.models import Campaign, Partner
from data.models_deals import KolDeal, KolDealEvent, KolDeliverable, KolPayment
from data.models_kol import PartnerAccount

# handle -> (region, categories, tags, contact, rate card in yuan, [(platform, handle, followers, views, ER, variant)])
DETAILS = {
    "xiaomei_zhongcao": (
        "上海", ["美妆", "护肤"], ["双11常驻", "种草"], "微信 xiaomei_biz",
        {"image_post": 28_000, "short_video": 45_000},
        [("xiaohongshu", "xiaomei_zhongcao", 860_000, 120_000, "0.062", "views"),
         ("douyin", "xiaomei_dy", 240_000, 60_000, "0.041", "views")],
    ),
    "aqiang_tech": (
        "深圳", ["数码", "3C"], ["测评"], "经纪人 王先生 138-0000-0000",
        {"short_video": 90_000, "live_stream": 150_000, "long_video": 120_000},
        [("douyin", "aqiang_tech", 2_300_000, 450_000, "0.038", "views"),
         ("bilibili", "aqiang_tech", 680_000, 210_000, "0.055", "views")],
    ),
    "lily_closet": (
        "杭州", ["服饰", "穿搭"], ["种草"], "lily@agency.example",
        {"image_post": 18_000, "short_video": 30_000},
        [("weibo", "lily_closet", 420_000, 80_000, "0.021", "eri")],
    ),
    "laowang_food": (
        "成都", ["美食"], ["年货节", "直播"], "微信 laowang_eats",
        {"short_video": 35_000, "live_stream": 60_000},
        [("douyin", "laowang_food", 95_000, 70_000, "0.072", "views")],
    ),
}  # fmt: skip


def enrich(uow, partners: list[Partner], currency: str) -> None:
    """Details and accounts for the demo partners (each keeps its own platform and handle as its first account)."""
    for p in partners:
        region, categories, tags, contact, card, accounts = DETAILS[p.handle]
        p.region, p.categories, p.tags, p.contact, p.currency = region, categories, tags, contact, currency
        p.rate_card = {kind: yuan * 100 for kind, yuan in card.items()}
        rows = [
            PartnerAccount(
                platform=platform, handle=handle, followers=followers, typical_views=views,
                engagement_rate=Decimal(er), er_variant=variant,
            )
            for platform, handle, followers, views, er, variant in accounts
        ]  # fmt: skip
        uow.kol.replace_accounts(p, rows)


# The finished Double 11's deals, in PARTNERS order: (code, deliverable, days after the start, fee in yuan, days late)
_PAST = (
    ("MEI11DEMO", "image_post", 3, 72_000, 0),
    ("AQIANG11DEMO", "short_video", 8, 110_000, 1),  # over its budget line, and published a day late
    ("LILY11DEMO", "image_post", 17, 60_000, 0),
    ("LAOWANG11DEMO", "live_stream", 20, 70_000, 0),
)
_LIVE = (  # the running campaign: (partner index, code, deliverable, hours from now, fee in yuan, status)
    (0, "MEI12DEMO", "image_post", 48, 28_000, "approved"),
    (1, "AQIANG12DEMO", "short_video", -24, 90_000, "agreed"),  # overdue
    (2, "LILY12DEMO", "short_video", 120, 30_000, "invited"),
)
_URL = {"xiaohongshu": "https://www.xiaohongshu.com/explore/", "douyin": "https://www.douyin.com/video/"}


def deals(uow, past: Campaign, running: Campaign, partners: list[Partner], owner: str, now: datetime) -> None:
    """Paid deals for every partner in the finished Double 11 (their fees committed and paid, one late), and
    three deals under way in the running campaign (approved, overdue, invited) owned by the demo marketer."""
    zone = ZoneInfo(past.timezone)
    first = past.starts_at.astimezone(zone).date()
    for p, (code, kind, after, yuan, late) in zip(partners, _PAST, strict=True):
        due = datetime.combine(first + timedelta(days=after), time(20), zone).astimezone(UTC)
        out = due + timedelta(days=late, hours=-2)
        d = _deal(uow, past, p, code, kd.Status.PAID, owner, past.starts_at)
        item = _deliverable(d, kind, p.platform, due, yuan, f"{_URL.get(p.platform, 'https://weibo.com/')}{code}", out)
        uow.deals.replace_deliverables(d.id, [item])
        for step, (was, to) in enumerate(zip(kd.FLOW, kd.FLOW[1:], strict=False)):
            at = out if to is kd.Status.PUBLISHED else past.starts_at + timedelta(hours=step)
            uow.deals.add(KolDealEvent(deal_id=d.id, from_status=was, to_status=to, comment="", who=owner, at=at))
        paid_on = due.astimezone(zone).date()
        uow.deals.add(KolPayment(deal_id=d.id, day=paid_on, amount_minor=yuan * 100, who=owner, at=due))
        sync_budget(uow, d, past, [item], p.name, owner, past.starts_at)
    for i, code, kind, hours, yuan, status in _LIVE:
        p = partners[i]
        d = _deal(uow, running, p, code, kd.Status(status), owner, now)
        item = _deliverable(d, kind, p.platform, now + timedelta(hours=hours), yuan, "", None)
        uow.deals.replace_deliverables(d.id, [item])
        uow.deals.add(KolDealEvent(deal_id=d.id, to_status=status, comment="", who=owner, at=now))
        sync_budget(uow, d, running, [item], p.name, owner, now)


def _deal(uow, camp: Campaign, p: Partner, code: str, status, owner: str, at: datetime) -> KolDeal:
    brief = "双11 全场每满 300 减 50，会员再享 9 折" if "11" in code else "双12 每满 300 减 50"
    link = kd.tracking_link("https://shop.festa.example/sale", slug(camp.name), p.platform, code)
    return uow.deals.add(
        KolDeal(
            workspace_id=camp.workspace_id, campaign_id=camp.id, partner_id=p.id, status=status.value,
            currency=camp.currency, key_messages=brief, must_say=["每满300减50"], must_not_say=["全网最低价"],
            hashtags=["#好物推荐"], landing_url="https://shop.festa.example/sale", tracking_code=code,
            tracking_link=link, owner=owner, created_by=owner, created_at=at, updated_at=at,
        )
    )  # fmt: skip


def _deliverable(d: KolDeal, kind: str, platform: str, due: datetime, yuan: int, url: str, out) -> KolDeliverable:
    return KolDeliverable(
        deal_id=d.id, kind=kind, platform=platform, due_at=due, fee_minor=yuan * 100, usage_rights="品牌自有渠道 90 天",
        usage_days=90, exclusivity_days=7, published_url=url, published_at=out,
    )  # fmt: skip

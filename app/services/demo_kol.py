"""The demo workspace's KOL roster: the four demo partners' accounts, categories, regions and rate cards,
so the roster page and the shortlist have something to work with."""

from __future__ import annotations

from decimal import Decimal

from data.models import Partner
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

"""The demo campaigns' plans beyond their phases: owner, segments, budget lines per channel and KOL partner,
targets, and the running campaign's offers. (The KOL fees committed are the deals', demo_kol.deals: one
partner's Double 11 fee is over its line, so the budget view has a warning to show.)"""

from __future__ import annotations

from campaigns.planning import KOL
from data.models import Campaign, CampaignBudget, Partner

# (channel, share of the budget); KOL partners' lines follow
_CHANNEL_SHARES = (("douyin", 17), ("xiaohongshu", 12), ("weibo", 8), ("x", 4), ("wechat", 2))
_PARTNER_SHARES = (15, 16, 12, 14)  # per cent of the budget, in PARTNERS order


def plan(uow, camp: Campaign, partners: list[Partner], owner_id: int | None, segments: list[str], targets: dict):
    camp.owner_id, camp.segments, camp.targets = owner_id, segments, targets
    budget = camp.budget_minor
    lines = [(ch, None, budget * share // 100) for ch, share in _CHANNEL_SHARES]
    lines += [(KOL, p.id, budget * share // 100) for p, share in zip(partners, _PARTNER_SHARES, strict=True)]
    uow.budgets.replace_lines(
        camp.id, [CampaignBudget(campaign_id=camp.id, channel=ch, partner_id=p, amount_minor=a) for ch, p, a in lines]
    )


def offers(uow, ws_id: int, running: Campaign, now) -> None:
    """Three offers of the running campaign, so the Offers page and its simulator have something to price."""
    from campaigns.promotions import rules as r
    from campaigns.promotions.serialize import to_json
    from data.models import OfferRow

    window = r.Window(running.starts_at, running.ends_at, running.timezone)
    made = [
        r.Offer(
            "shop-every-300-50",
            "每满300减50 · ¥50 off every ¥300",
            "CNY",
            r.Stage.SHOP,
            r.EveryStep(30_000, 5_000, cap_minor=15_000),
            window=window,
        ),
        r.Offer(
            "vip-10-off",
            "VIP 9折 · VIP 10% off",
            "CNY",
            r.Stage.ITEM,
            r.PercentOff(10),
            eligibility=r.Eligibility(segments={"vip"}),
            window=window,
        ),
        r.Offer(
            "free-shipping-99",
            "满99包邮 · free shipping over ¥99",
            "CNY",
            r.Stage.SHIPPING,
            r.FreeShipping(),
            min_spend_minor=9_900,
        ),
    ]
    for o in made:
        uow.offers.add(
            OfferRow(
                workspace_id=ws_id,
                campaign_id=running.id,
                key=o.key,
                name=o.name,
                stage=str(o.stage),
                kind=o.kind,
                body=to_json(o),
                updated_by="demo",
                updated_at=now,
            )
        )

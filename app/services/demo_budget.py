"""The demo campaigns' plans beyond their phases: owner, segments, budget lines per channel and
KOL partner, targets, and the KOL fees committed for the finished Double 11 (one partner over
its line, so the budget view has a warning to show)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from campaigns.planning import KOL
from data.models import BudgetCommitment, Campaign, CampaignBudget, Partner

# (channel, share of the budget); KOL partners' lines follow
_CHANNEL_SHARES = (("douyin", 17), ("xiaohongshu", 12), ("weibo", 8), ("x", 4), ("wechat", 2))
_PARTNER_SHARES = (15, 16, 12, 14)  # per cent of the budget, in PARTNERS order
_FEES = (72_000, 110_000, 60_000, 70_000)  # yuan committed per partner; the second is over its line
_FEE_DAYS = (3, 8, 17, 20)  # days after the campaign starts: warm-up, launch, peak, peak


def plan(uow, camp: Campaign, partners: list[Partner], owner_id: int | None, segments: list[str], targets: dict):
    camp.owner_id, camp.segments, camp.targets = owner_id, segments, targets
    budget = camp.budget_minor
    lines = [(ch, None, budget * share // 100) for ch, share in _CHANNEL_SHARES]
    lines += [(KOL, p.id, budget * share // 100) for p, share in zip(partners, _PARTNER_SHARES, strict=True)]
    uow.budgets.replace_lines(
        camp.id, [CampaignBudget(campaign_id=camp.id, channel=ch, partner_id=p, amount_minor=a) for ch, p, a in lines]
    )


def commit_fees(uow, camp: Campaign, partners: list[Partner], who: str) -> None:
    first = camp.starts_at.astimezone(ZoneInfo(camp.timezone)).date()
    for p, fee, after in zip(partners, _FEES, _FEE_DAYS, strict=True):
        uow.budgets.add_commitment(
            BudgetCommitment(
                campaign_id=camp.id,
                channel=KOL,
                partner_id=p.id,
                day=first + timedelta(days=after),
                amount_minor=fee * 100,
                source="manual",
                note=f"{p.name} · 达人合作费",
                created_by=who,
                created_at=camp.starts_at,
            )
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

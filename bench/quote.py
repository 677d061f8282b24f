"""How long a quote takes: a 50-line cart against 200 active offers of mixed kinds and scopes.

Offers are prepared once into an OfferBook (as a service caches it per campaign) and the cart is
quoted many times; the cold figure includes building the book. Seeded, so every run prices the
same cart against the same offers.
Target (issue 5, Promote): median ≤ 5 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaigns.promotions.book import OfferBook  # noqa: E402
from campaigns.promotions.cart import Cart, Context, Line, Shopper, Usage  # noqa: E402
from campaigns.promotions.quote import quote  # noqa: E402
from campaigns.promotions.rules import (  # noqa: E402
    AmountOff,
    Basis,
    BudgetMode,
    BuyGet,
    Deposit,
    Eligibility,
    EveryStep,
    FixedPrice,
    FreeShipping,
    Gift,
    Limits,
    Offer,
    PercentOff,
    Points,
    Scope,
    Stacking,
    Stage,
    Tier,
    Tiers,
    Window,
)

TARGET_MS = 5.0
RUNS = 300
NOW = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)
WINDOW = Window(NOW - timedelta(days=10), NOW + timedelta(days=1), "Asia/Shanghai")
PRODUCTS = [f"sku{i:03}" for i in range(400)]
CATEGORIES = [f"cat{i}" for i in range(20)]
TAGS = [f"tag{i}" for i in range(30)]
SHOPS = [f"shop{i}" for i in range(5)]


def catalogue(rnd: random.Random) -> dict[str, tuple[int, str, frozenset[str], str]]:
    """Product -> (list price, category, tags, shop)."""
    return {
        p: (rnd.randrange(990, 59_900, 10), rnd.choice(CATEGORIES), frozenset(rnd.sample(TAGS, 2)), rnd.choice(SHOPS))
        for p in PRODUCTS
    }


def cart(rnd: random.Random, cat: dict) -> Cart:
    lines = []
    for i, p in enumerate(rnd.sample(PRODUCTS, 50)):
        price, category, tags, shop = cat[p]
        lines.append(Line(f"L{i:02}", p, price, rnd.randint(1, 3), category, tags, shop))
    return Cart("CNY", tuple(lines), shipping_minor=1200)


def offers(rnd: random.Random, cat: dict) -> list[Offer]:
    out: list[Offer] = []

    def add(stage: Stage, benefit, scope: Scope = Scope(), **kw) -> None:
        key = f"o{len(out):03}"
        out.append(Offer(key, f"offer {key}", "CNY", stage, benefit, scope, window=WINDOW, **kw))

    for p in rnd.sample(PRODUCTS, 90):  # flash prices (秒杀) and single-item discounts, one product each
        if rnd.random() < 0.6:
            price = cat[p][0] * rnd.choice([6, 7, 8]) // 10
            add(Stage.ITEM, FixedPrice(price), Scope(products={p}), limits=Limits(units_per_order=5, stock=1000))
        else:
            add(Stage.ITEM, AmountOff(rnd.choice([200, 500]), per_unit=True), Scope(products={p}))
    for c in CATEGORIES:  # one category discount each
        add(Stage.ITEM, PercentOff(rnd.choice([5, 10, Decimal("7.5")])), Scope(categories={c}, exclude={"sku000"}))
    for _ in range(15):  # buy 2 get 1 on a tag
        add(Stage.ITEM, BuyGet(2, 1), Scope(tags={rnd.choice(TAGS)}), priority=rnd.randint(0, 3))
    for shop in SHOPS:  # shop 满减 tiers, shop coupons, a gift
        add(Stage.SHOP, Tiers((Tier(20_000, 2_000), Tier(50_000, 6_000), Tier(100_000, 15_000))), Scope(shops={shop}))
        for amount, spend in ((500, 9_900), (2_000, 39_900)):
            add(
                Stage.SHOP,
                AmountOff(amount),
                Scope(shops={shop}),
                min_spend_minor=spend,
                limits=Limits(uses_per_customer=1),
            )
        add(Stage.SHOP, Gift(f"tote-{shop}", 1_500), Scope(shops={shop}), min_spend_minor=30_000)
    add(Stage.PLATFORM, EveryStep(30_000, 5_000, cap_minor=50_000), Scope(exclude={"sku001"}))  # 跨店满减
    for _ in range(15):  # platform coupons by segment
        add(
            Stage.PLATFORM,
            PercentOff(rnd.choice([3, 5, 8])),
            Scope(categories=set(rnd.sample(CATEGORIES, 3))),
            min_spend_minor=50_000,
            budget_minor=10_000_000,
            budget_mode=BudgetMode.PARTIAL_FILL,
            eligibility=Eligibility(segments={rnd.choice(["vip", "new", "active"])}),
        )
    for _ in range(10):  # 红包, one per customer
        add(
            Stage.PLATFORM,
            AmountOff(rnd.choice([300, 500, 800])),
            priority=-1,
            basis=Basis.ORIGINAL,
            limits=Limits(uses=100_000, uses_per_customer=1),
        )
    for segment in ("svip", "staff"):  # exclusive offers for other audiences
        add(Stage.PLATFORM, PercentOff(12), exclusive=True, priority=9, eligibility=Eligibility(segments={segment}))
    add(Stage.PLATFORM, PercentOff(15), exclusive=True, priority=8, budget_minor=5_000_000)  # its budget is spent
    for shop in SHOPS:
        add(Stage.SHIPPING, FreeShipping(), Scope(shops={shop}), min_spend_minor=9_900)
    for _ in range(4):
        add(Stage.SETTLEMENT, Deposit(5_000, 10_000), Scope(products={rnd.choice(PRODUCTS)}))
    add(Stage.SETTLEMENT, Points(100, 100, max_percent=20))
    while len(out) < 200:  # more single-product offers, mostly for products not in this cart
        add(Stage.ITEM, AmountOff(rnd.choice([100, 300]), per_unit=True), Scope(products={rnd.choice(PRODUCTS)}))
    return out


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rnd = random.Random(20261111)
    cat = catalogue(rnd)
    the_cart, the_offers = cart(rnd, cat), offers(rnd, cat)
    stacking = {Stage.SHOP: Stacking.SEQUENTIAL, Stage.PLATFORM: Stacking.PARALLEL}
    usage = {o.key: Usage(uses=40, customer_uses=int(o.key < "o150"), spent_minor=50_000) for o in the_offers[::2]}
    usage.update({o.key: Usage(spent_minor=4_999_000) for o in the_offers if o.budget_minor == 5_000_000})
    ctx = Context(at=NOW, shopper=Shopper("c1", {"vip"}, points=5_000), channel="app", usage=usage)
    book = OfferBook(the_offers, stacking)
    q = quote(the_cart, book, ctx)
    for _ in range(20):  # warm up
        quote(the_cart, book, ctx)
    warm = median_ms(lambda: quote(the_cart, book, ctx), RUNS)
    cold = median_ms(lambda: quote(the_cart, OfferBook(the_offers, stacking), ctx), RUNS // 3)
    print(
        f"cart: {len(the_cart.lines)} lines; offers: {len(the_offers)} active; "
        f"applied {len(q.applied)}, not applied {len(q.rejected)}, hints {len(q.hints)}"
    )
    print(f"total {q.original_minor / 100:,.2f} -> {q.total_minor / 100:,.2f} CNY")
    verdict = "ok" if warm <= TARGET_MS else "OVER TARGET"
    print(f"median quote (prepared OfferBook): {warm:6.2f} ms   (target: median <= {TARGET_MS:.0f} ms) {verdict}")
    print(f"median quote incl. building the OfferBook: {cold:6.2f} ms")


if __name__ == "__main__":
    main()

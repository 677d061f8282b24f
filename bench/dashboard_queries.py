"""Every query behind the Results dashboard, warm, with 1,000,000 fact rows stored.

The workspace is the demo one plus a campaign per template for last year and this year (as in
``import_metrics.py``). A million facts are stored as imports store them (one batch per source, written by
``MeasureRepo.insert_fact_columns``, the rollup rebuilt for each batch's campaigns and days): Google Ads, Meta, X,
Xiaohongshu, Ocean Engine, WeChat and shop orders; rows tied to accounts, KOL partners and posts where the
platform has them; some in USD; some unassigned. Then each service call the page makes is timed after one
warm-up run: ``measure.report`` for one campaign and for all, with and without filters,
``measure.year_over_year``, and ``measure.campaigns_with_figures``. Each prints its median and slowest run
beside the target, and the slowest variant's time per repository query.

On SQLite the file is fresh and nothing is run that the console would not run (no ANALYZE). With --postgres a
database of its own is made (and dropped) on FESTA_BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres) and VACUUM ANALYZEd once the rows are in (as autovacuum would, and
so that it does not run during the timing).

Target (issue 8, Speed): every query behind a dashboard page ≤ 300 ms warm.
Run: .venv/bin/python bench/dashboard_queries.py [--postgres] [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from import_metrics import analyst, container, workspace  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

TARGET_MS = 300.0
BASE = os.environ.get("FESTA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# source: (share of the rows, attribution, currencies)
SOURCES = {
    "google_ads": (0.30, "google_ads:conversions", ("CNY", "USD")),
    "meta": (0.15, "7-day click or 1-day view", ("CNY", "USD")),
    "x": (0.08, "", ("CNY",)),
    "xiaohongshu": (0.12, "", ("CNY",)),
    "ocean_engine": (0.12, "", ("CNY",)),
    "wechat": (0.05, "", ("CNY",)),
    "orders": (0.18, "", ("CNY",)),
}
ORDER_CHANNELS = ("wechat", "weibo", "xiaohongshu", "douyin", "web", "shop")
CHUNK = 100_000


def seed_facts(c, rows: int, seed: int = 20261204) -> dict:
    """``rows`` facts over the workspace's campaigns (and some unassigned), one batch per source."""
    from campaigns import facts
    from data.models import ChannelAccount, Partner, Post
    from data.models_measure import ImportBatch

    rng = np.random.default_rng(seed)
    tz = ZoneInfo("Asia/Shanghai")
    with c.uow() as uow:
        ws = uow.workspaces.current()
        camps = [
            (k.id, k.starts_at.astimezone(tz).date(), k.ends_at.astimezone(tz).date()) for k in uow.campaigns.all(ws.id)
        ]
        accounts = {
            a.channel: a.id for a in uow.session.execute(select(ChannelAccount)).scalars() if a.workspace_id == ws.id
        }
        partners = [p.id for p in uow.session.execute(select(Partner).where(Partner.workspace_id == ws.id)).scalars()]
        posts = list(uow.session.execute(select(Post.id).where(Post.workspace_id == ws.id)).scalars())
        ws_id = ws.id
    today = datetime.now(tz).date()
    counts = {source: int(rows * share) for source, (share, _, _) in SOURCES.items()}
    counts["orders"] += rows - sum(counts.values())
    for source, (_, attribution, currencies) in SOURCES.items():
        n = counts[source]
        with c.uow(write=True) as uow:
            batch = uow.measure.add_batch(
                ImportBatch(workspace_id=ws_id, source=source, filename=f"{source}.csv", file_sha256=uuid.uuid4().hex,
                            rows_read=n, rows_written=n, created_by="bench", created_at=datetime.now(UTC))
            )  # fmt: skip
            written = uow.measure.insert_fact_columns(
                _chunks(rng, n, source, attribution, currencies, camps, accounts, partners, posts, today, ws_id,
                        batch.id, facts)
            )  # fmt: skip
            uow.measure.rebuild_rollup(uow.measure.batch_spans(batch.id))
            assert written == n
    return {"campaigns": len(camps)}


def _chunks(rng, n, source, attribution, currencies, camps, accounts, partners, posts, today, ws_id, batch_id, facts):
    channel = facts.SOURCE_CHANNEL[source]
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        which = rng.integers(0, len(camps) + 1, m)  # len(camps): unassigned
        first = np.array([a for _, a, _ in camps] + [today - timedelta(days=365)], dtype="datetime64[D]")
        span = np.array([(b - a).days + 10 for _, a, b in camps] + [365])
        day = first[which] - np.timedelta64(7, "D") + rng.integers(0, 1 << 30, m) % span[which]
        day = np.minimum(day, np.datetime64(today))
        cid = [None if w == len(camps) else camps[w][0] for w in which.tolist()]
        keys = rng.integers(-(1 << 62), 1 << 62, m)
        cols = {
            "workspace_id": ws_id,
            "batch_id": batch_id,
            "row_key": keys.tolist(),
            "source": source,
            "day": day.astype(object).tolist(),
            "campaign_id": cid,
            "attribution": attribution,
            "account": f"{source} account",
            "campaign_name": "",
            "entity": "",
            "external_post_id": "",
            "utm_source": "",
            "utm_medium": "",
            "utm_campaign": "",
            "utm_content": "",
            "code": "",
            "customer_hash": "",
        }
        if source == "orders":
            chans = rng.choice(ORDER_CHANNELS, m)
            cols["channel"] = chans.tolist()
            cols["utm_source"] = chans.tolist()
            cols["account_id"] = [accounts.get(ch) for ch in chans.tolist()]
            cols["orders"] = 1
            cols["revenue_minor"] = rng.integers(1_000, 200_000, m).tolist()
            cols["customer_hash"] = [f"{h:016x}" for h in rng.integers(0, 1 << 62, m).tolist()]
            cols["entity"] = [f"order-{k}" for k in range(start, start + m)]
        else:
            cols["channel"] = channel
            cols["account_id"] = accounts.get(channel)
            impressions = rng.lognormal(6, 1.5, m).astype(np.int64)
            clicks = (impressions * rng.beta(2, 40, m)).astype(np.int64)
            cols["impressions"] = impressions.tolist()
            cols["clicks"] = clicks.tolist()
            cols["engagements"] = (clicks * 3).tolist()
            cols["spend_minor"] = (clicks * rng.integers(20, 400, m)).tolist()
            cols["conversions"] = np.round(clicks * rng.beta(1, 30, m), 2).tolist()
            cols["revenue_minor"] = (np.array(cols["conversions"]) * 10_000).astype(np.int64).tolist()
            cols["video_views"] = (impressions // 3).tolist() if source in ("ocean_engine", "x") else 0
            cols["entity"] = [f"ad {k % 500}" for k in range(start, start + m)]
        if source in ("xiaohongshu", "ocean_engine") and partners:
            who = rng.integers(0, len(partners) * 3, m)
            cols["partner_id"] = [partners[w] if w < len(partners) else None for w in who.tolist()]
        if source in ("x", "xiaohongshu", "wechat") and posts:
            which_post = rng.integers(0, len(posts) * 5, m)
            cols["post_id"] = [posts[w] if w < len(posts) else None for w in which_post.tolist()]
        if len(currencies) > 1:
            cols["currency"] = rng.choice(np.array(currencies), m, p=[0.9, 0.1]).tolist()
        else:
            cols["currency"] = currencies[0]
        for name in (*facts.COUNTS, *facts.MONEY, "partner_id", "post_id"):
            cols.setdefault(name, None if name.endswith("_id") else 0)
        cols.setdefault("conversions", 0.0)
        yield cols, m


def _timed(store: dict, name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            store[name] += time.perf_counter() - start

    return wrapper


def variants(c) -> list[tuple[str, object]]:
    from app.services import measure
    from app.services.measure import Filters

    with c.uow() as uow:
        ws = uow.workspaces.current()
        camps = uow.campaigns.all(ws.id)
        f = select(text("campaign_id"), func.count()).select_from(text("metric_fact")).group_by(text("campaign_id"))
        sizes = {cid: n for cid, n in uow.session.execute(f).all() if cid is not None}
    biggest = max(camps, key=lambda k: sizes.get(k.id, 0))
    year = datetime.now(UTC).year
    yoy = next((k for k in camps if k.name == f"double_11 {year}"), biggest)
    tz = ZoneInfo(biggest.timezone)
    first, last = biggest.starts_at.astimezone(tz).date(), biggest.ends_at.astimezone(tz).date()
    today = datetime.now(tz).date()
    one = (biggest.id,)
    days = {"day_from": first, "day_to": last}
    recent = {"day_from": today - timedelta(days=90), "day_to": today}
    channels, sources = ("google", "xiaohongshu"), ("google_ads", "meta", "orders")
    out = [
        (f"report: one campaign ({sizes.get(biggest.id, 0):,} facts)", Filters(campaign_ids=one)),
        ("report: every campaign", Filters()),
        ("report: one campaign, days + channels", Filters(campaign_ids=one, channels=channels, **days)),
        ("report: every campaign, last 90 days + sources", Filters(sources=sources, **recent)),
    ]
    out = [(name, lambda a, f=f: measure.report(c, a, f)) for name, f in out]
    out.append((f"year_over_year ({yoy.name})", lambda a: measure.year_over_year(c, a, yoy.id)))
    if hasattr(measure, "campaigns_with_figures"):
        out.append(("campaigns_with_figures", lambda a: measure.campaigns_with_figures(c, a)))
    return out


def run(url: str, rows: int, runs: int, label: str) -> bool:
    from data import measure_repos

    with tempfile.TemporaryDirectory() as tmp:
        c = container(Path(tmp) / "local", url)
        workspace(c)
        who = analyst(c)
        start = time.perf_counter()
        seed_facts(c, rows)
        seeded = time.perf_counter() - start
        if c.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load, done before timing
            with c.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        with c.engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM metric_fact")).scalar_one()
            rolled = conn.execute(text("SELECT count(*) FROM metric_daily")).scalar_one()
        print(f"{label}: {stored:,} facts, {rolled:,} rollup rows (stored in {seeded:.1f} s)")
        ok = True
        slowest = (0.0, "", {})
        repo = measure_repos.MeasureRepo
        originals = {n: getattr(repo, n) for n in ("sums", "attributions", "last_days") if hasattr(repo, n)}
        for name, call in variants(c):
            call(who)  # warm
            times, per_query = [], defaultdict(float)
            for n, fn in originals.items():
                setattr(repo, n, _timed(per_query, n, fn))
            for _ in range(runs):
                t = time.perf_counter()
                call(who)
                times.append((time.perf_counter() - t) * 1000)
            for n, fn in originals.items():
                setattr(repo, n, fn)
            median, worst = statistics.median(times), max(times)
            verdict = "ok" if worst <= TARGET_MS else "SLOW"
            ok &= worst <= TARGET_MS
            print(f"  {name:<52} median {median:7.1f} ms  max {worst:7.1f} ms   target ≤ {TARGET_MS:.0f} ms  {verdict}")
            if median > slowest[0]:
                slowest = (median, name, {k: v * 1000 / runs for k, v in per_query.items()})
        parts = ", ".join(f"{k} {v:.1f} ms" for k, v in sorted(slowest[2].items(), key=lambda kv: -kv[1]))
        print(f"  slowest ({slowest[1]}), per run: {parts}")
        c.engine.dispose()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="(with --postgres) PostgreSQL only")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    ok = True
    if not (args.no_sqlite and args.postgres):
        with tempfile.TemporaryDirectory() as tmp:
            ok = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.rows, args.runs, "SQLite")
    if args.postgres:
        name = f"festa_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            ok &= run(url, args.rows, args.runs, "PostgreSQL")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print("every query ≤ 300 ms: " + ("ok" if ok else "SLOW"))


if __name__ == "__main__":
    main()

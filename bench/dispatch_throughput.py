"""How fast one worker sends: 5,000 posts due at once on SQLite, the sandbox connector (nothing leaves).

Each post goes through the full protocol: claimed in a batch with a lease, its attempt recorded before
the connector is called (T2), its outcome written fenced by attempt and lease owner (T3).
Target (dispatcher): ≥ 200 posts/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app.bootstrap import build_container  # noqa: E402
from app.config import Settings  # noqa: E402
from app.services.dispatch import Dispatcher  # noqa: E402
from data import migrate  # noqa: E402
from data.models import ChannelAccount, Post, Workspace  # noqa: E402
from data.models_publish import DispatchAttempt  # noqa: E402

TARGET_PER_S = 200.0


def container(data_dir: Path, url: str, clock=None):
    settings = Settings.from_env({"FESTA_DATA_DIR": str(data_dir), "FESTA_DATABASE_URL": url})
    c = build_container(settings) if clock is None else build_container(settings, clock=clock)
    migrate.upgrade(c.engine)
    return c


def seed(c, times: list[datetime], accounts: int = 4) -> None:
    """One workspace, a few sandbox accounts, one scheduled post per time (round-robin over accounts)."""
    now = datetime.now(UTC)
    with c.uow(write=True) as uow:
        ws = Workspace(slug="bench", name="bench", timezone="UTC", currency="CNY", created_at=now, salt="00" * 32)
        uow.workspaces.add(ws)
        uow.session.flush()
        accts = []
        for i in range(accounts):
            a = ChannelAccount(workspace_id=ws.id, connector="sandbox", channel="x", name=f"s{i}", timezone="UTC")
            uow.session.add(a)
            uow.session.flush()
            accts.append(a.id)
        ws_id = ws.id
    for start in range(0, len(times), 2000):
        rows = [
            dict(workspace_id=ws_id, channel_account_id=accts[i % accounts], title="", body=f"post {i}",
                 state="scheduled", scheduled_at=t, run_at=t, created_at=now, revision=1, approved_revision=1,
                 timezone="UTC")
            for i, t in enumerate(times[start : start + 2000], start)
        ]  # fmt: skip
        with c.uow(write=True) as uow:
            uow.session.execute(insert(Post), rows)


def outcome(c) -> dict:
    """Posts by state; duplicates as the platform sees them (a sent post whose attempts carried more than one
    idempotency key: a replay with the same key is recognised by the sandbox, as by Mastodon, and is not a second
    post); replays (sent posts with more than one attempt); lateness percentiles."""
    with c.uow() as uow:
        s = uow.session
        states = dict(s.execute(select(Post.state, func.count()).group_by(Post.state)).all())
        per_post = (
            select(
                DispatchAttempt.post_id,
                func.count().label("n"),
                func.count(func.distinct(DispatchAttempt.idempotency_key)).label("nkeys"),
            )
            .group_by(DispatchAttempt.post_id)
            .subquery()
        )
        sent_posts = select(func.count()).select_from(per_post).join(Post, Post.id == per_post.c.post_id)
        dup = s.execute(sent_posts.where(per_post.c.nkeys > 1, Post.state == "sent")).scalar_one()
        replays = s.execute(sent_posts.where(per_post.c.n > 1, Post.state == "sent")).scalar_one()
        late = sorted(
            (p - q).total_seconds()
            for p, q in s.execute(select(Post.published_at, Post.scheduled_at).where(Post.state == "sent")).all()
        )
    pct = lambda q: late[min(len(late) - 1, int(q * len(late)))] if late else float("nan")  # noqa: E731
    return {
        "states": states,
        "duplicates": dup,
        "replays": replays,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": late[-1] if late else 0,
    }


def main(n: int = 5000, batch: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c = container(Path(tmp), f"sqlite:///{tmp}/festa.db")
        now = datetime.now(UTC)
        seed(c, [now - timedelta(seconds=1)] * n)
        kw = {"batch": batch} if batch else {}
        started = time.perf_counter()
        stats = Dispatcher(c, "bench:1", **kw).run_due()
        elapsed = time.perf_counter() - started
        out = outcome(c)
        c.engine.dispose()
    rate = n / elapsed
    print(f"posts due             {n:>10,}   claimed {stats.claimed:,}, outcomes {stats.outcomes}")
    print(f"states                {out['states']}   duplicates {out['duplicates']}")
    print(f"time to send all      {elapsed:>10.2f} s")
    ok = "ok" if rate >= TARGET_PER_S and out["states"] == {"sent": n} else "SLOW"
    print(f"throughput            {rate:>10.0f} posts/s   target ≥ {TARGET_PER_S:.0f} posts/s   {ok}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=None)
    args = ap.parse_args()
    main(args.n, args.batch)

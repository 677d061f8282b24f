"""Scale-out: 10,000 posts due in the same minute, 4 worker processes sharing one PostgreSQL.

Creates (and drops) a database of its own on the PostgreSQL of FESTA_BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres); the sandbox connector, so nothing leaves. Reports the
time until every post is sent (only ``sent`` counts: an ``unknown`` post is not out yet), lateness
(published_at − scheduled_at), duplicates as the platform sees them (more than one idempotency key for one
post), replays with the same key, and lost posts (neither sent nor unknown). ``--kill-one`` SIGKILLs one
worker mid-run: what it had in flight turns ``unknown`` once its heartbeat is stale and is then replayed with
the same key (the sandbox remembers keys); what it had claimed goes back to the queue.
Target (dispatcher): all sent within 30 s, no duplicates, none lost.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dispatch_throughput import container, outcome, seed  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 30.0
START_S = 10  # the posts fall due this long after the workers start (their start-up is not measured)
BASE = os.environ.get("FESTA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def start_workers(c, n: int, logs: Path) -> list[subprocess.Popen]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FESTA_")}
    env.update(
        FESTA_DATA_DIR=str(c.settings.data_dir),
        FESTA_DATABASE_URL=c.engine.url.render_as_string(hide_password=False),
        FESTA_SECRET_KEY=c.settings.secret_key,
        FESTA_WORKER_TICK_SECONDS="1",
    )
    return [
        subprocess.Popen(
            [sys.executable, "-m", "app", "worker"],
            cwd=ROOT,
            env=env,
            stdout=(logs / f"w{i}.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for i in range(n)
    ]


def main(n: int, workers: int, kill_one: bool, deadline: float, verbose: bool = False) -> int:
    name = f"festa_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    procs: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            c = container(Path(tmp), url)
            due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=START_S)
            seed(c, [due] * n)  # all due at one moment, once the workers are up
            with c.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
            procs = start_workers(c, workers, Path(tmp))
            time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
            started = time.monotonic()  # the moment the posts fall due
            killed = None
            done_at = None
            while time.monotonic() - started < deadline:
                with c.engine.connect() as conn:  # a light poll: the full outcome is read once at the end
                    states = dict(conn.execute(text("SELECT state, count(*) FROM post GROUP BY state")).all())
                if kill_one and killed is None and states.get("sent", 0) >= n // 3:
                    killed = procs[0]
                    killed.send_signal(signal.SIGKILL)
                    killed_at = time.monotonic() - started
                if states.get("sent", 0) == n:
                    done_at = time.monotonic() - started
                    break
                if verbose:
                    print(f"{time.monotonic() - started:6.1f} s  {states}", flush=True)
                time.sleep(0.2 if not verbose else 2)
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(60)  # a worker stops after the run it is in
                except subprocess.TimeoutExpired:
                    p.kill()
            out = outcome(c)
            tracebacks = sum("Traceback" in (Path(tmp) / f"w{i}.log").read_text() for i in range(workers))
            c.engine.dispose()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    states = out["states"]
    sent, unknown = states.get("sent", 0), states.get("unknown", 0)
    lost = n - sent - unknown
    print(
        f"posts due             {n:>10,}   {workers} workers on PostgreSQL" + ("  (one SIGKILLed)" if kill_one else "")
    )
    if killed is not None:
        print(f"worker killed at      {killed_at:>10.2f} s")
    print(f"states                {states}")
    took = f"{done_at:>10.2f} s" if done_at is not None else f"  > {deadline:.0f} s   "
    ok = "ok" if done_at is not None and done_at <= TARGET_S else "SLOW"
    print(f"time to all sent      {took}   target ≤ {TARGET_S:.0f} s   {ok}")
    print(f"lateness p50          {out['p50']:>10.2f} s")
    print(f"lateness p99          {out['p99']:>10.2f} s   (max {out['max']:.2f} s)")
    print(
        f"duplicates            {out['duplicates']:>10}   target 0   {'ok' if out['duplicates'] == 0 else 'DUPLICATES'}"
    )
    print(f"replays (same key)    {out['replays']:>10}   recognised by the platform as the same post")
    print(f"lost                  {lost:>10}   target 0   {'ok' if lost == 0 else 'LOST'}")
    print(f"unknown (not sent)    {unknown:>10}   {'(killed mid-send: not replayed in time)' if kill_one else ''}")
    print(f"worker tracebacks     {tracebacks:>10}")
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--kill-one", action="store_true")
    ap.add_argument("--deadline", type=float, default=180.0, help="give up after this many seconds")
    ap.add_argument("-v", "--verbose", action="store_true", help="print progress")
    args = ap.parse_args()
    sys.exit(main(args.n, args.workers, args.kill_one, args.deadline, args.verbose))

"""Lateness at a steady pace: 100 posts a minute spread over 3 minutes, one worker process with the
default tick (FESTA_WORKER_TICK_SECONDS unset: 5 s), SQLite, the sandbox connector.
A post due between two ticks waits for the next one, so lateness is bounded by the tick.
Target (dispatcher): p99 lateness (published_at − scheduled_at) ≤ tick + 1 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dispatch_throughput import container, outcome, seed  # noqa: E402

from app.config import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(per_minute: int, minutes: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        c = container(Path(tmp), f"sqlite:///{tmp}/festa.db")
        tick = Settings.from_env({"FESTA_DATA_DIR": tmp}).worker_tick_seconds
        n = per_minute * minutes
        first = datetime.now(UTC) + timedelta(seconds=10)
        step = timedelta(seconds=60 / per_minute)
        seed(c, [first + i * step for i in range(n)])
        env = {k: v for k, v in os.environ.items() if not k.startswith("FESTA_")}
        env.update(
            FESTA_DATA_DIR=tmp,
            FESTA_DATABASE_URL=c.engine.url.render_as_string(hide_password=False),
            FESTA_SECRET_KEY=c.settings.secret_key,
        )
        log = Path(tmp) / "worker.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "worker"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        try:
            end = first + n * step + timedelta(seconds=tick + 15)
            while datetime.now(UTC) < end and outcome(c)["states"].get("sent", 0) < n:
                time.sleep(1)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        out = outcome(c)
        c.engine.dispose()
        tracebacks = "Traceback" in log.read_text()
    target = tick + 1.0
    print(f"posts                 {n:>10,}   {per_minute}/min over {minutes} min, one worker, tick {tick} s")
    print(f"states                {out['states']}   duplicates {out['duplicates']}   tracebacks {tracebacks}")
    print(f"lateness p50          {out['p50']:>10.2f} s")
    ok = "ok" if out["p99"] <= target and out["states"].get("sent", 0) == n else "LATE"
    print(f"lateness p99          {out['p99']:>10.2f} s   target ≤ {target:.0f} s (tick + 1 s)   {ok}")
    print(f"lateness max          {out['max']:>10.2f} s")
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-minute", type=int, default=100)
    ap.add_argument("--minutes", type=int, default=3)
    args = ap.parse_args()
    sys.exit(main(args.per_minute, args.minutes))

"""Generate and store 1,000,000 unique coupon codes in a fresh SQLite file, through the service.

Target (issue 5, Speed): ≤ 20 s on SQLite, peak memory ≤ 1 GB. The batch is one transaction;
codes go in by chunks of one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING each, with no
ORM object per code. Run: .venv/bin/python bench/coupon_codes.py [COUNT]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.bootstrap import build_container  # noqa: E402
from app.config import Settings  # noqa: E402
from app.services import coupons  # noqa: E402
from app.services.auth import Actor  # noqa: E402
from data import migrate  # noqa: E402
from data.models import Workspace  # noqa: E402

TARGET_S = 20.0
TARGET_RSS_GB = 1.0


def main(count: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings.from_env({"FESTA_DATA_DIR": str(Path(tmp) / "local"), "FESTA_DATABASE_URL": url})
        c = build_container(settings)
        migrate.upgrade(c.engine)
        with c.uow(write=True) as uow:
            now = datetime.now(UTC)
            ws = Workspace(slug="b", name="b", timezone="UTC", currency="CNY", created_at=now, salt="00" * 32)
            uow.workspaces.add(ws)
        start = time.perf_counter()
        made = coupons.create_batch(c, Actor.system(), "d11-coupon", "bench", count, "single_use")
        elapsed = time.perf_counter() - start
        with c.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT count(*), count(DISTINCT code) FROM coupon_code").one()
        c.engine.dispose()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB
    print(f"codes stored          {stored[0]:>12,}  (distinct {stored[1]:,}, redrawn {made.redrawn})")
    speed = "ok" if elapsed <= TARGET_S else "SLOW"
    memory = "ok" if peak_gb <= TARGET_RSS_GB else "OVER"
    print(f"generate + store      {elapsed:>10.2f} s   target ≤ {TARGET_S:.0f} s    {speed}")
    print(f"peak memory (maxrss)  {peak_gb:>10.2f} GB  target ≤ {TARGET_RSS_GB:.0f} GB   {memory}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

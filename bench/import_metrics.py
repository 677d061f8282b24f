"""Import a 1,000,000-row, 20-column Google Ads export end to end on a fresh SQLite file, as the console does.

The file is the "CSV" download of a Campaign report segmented by day, ad group, network and device: a title
line, the date range, the header (Day, Account, Campaign, ..., Clicks, Impr., CTR, Avg. CPC, Cost, Views,
Conversions, Conv. rate, Cost / conv., Conv. value), quoted thousands separators ("1,240", "1,004.40"),
``--`` where Google has nothing to divide by, and ``Total: …`` rows at the end. Most rows belong to campaigns
of the workspace (matched by name), some to campaigns it does not know (left unassigned).

Measured, each in a process of its own so that one does not inherit the other's memory:
- Festa: ``imports.preview`` + ``imports.commit`` by an analyst (the bytes as the upload hands them over),
  with a breakdown by step; the totals stored are checked against the generator's;
- the floor: ``pyarrow.csv.read_csv`` of the same file plus ``sqlite3`` executemany of the same rows into a
  bare 20-column table of a fresh SQLite file (same journal mode), one transaction.
Peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the process that only imports (interpreter,
modules, the file's bytes and everything the import holds).

Targets (issue 8, Speed): ≤ 20 s; ≤ 3× the floor; peak memory ≤ 1.5 GB.
Run: .venv/bin/python bench/import_metrics.py [ROWS]
"""

from __future__ import annotations

import functools
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 20.0
TARGET_FLOOR_X = 3.0
TARGET_RSS_GB = 1.5
TZ = "Asia/Shanghai"

HEADER = (
    "Day",
    "Account",
    "Campaign",
    "Campaign type",
    "Campaign status",
    "Ad group",
    "Ad group status",
    "Network (with search partners)",
    "Device",
    "Currency code",
    "Clicks",
    "Impr.",
    "CTR",
    "Avg. CPC",
    "Cost",
    "Views",
    "Conversions",
    "Conv. rate",
    "Cost / conv.",
    "Conv. value",
)
# campaigns the workspace does not know: their rows stay unassigned
UNKNOWN = ("Brand Search", "Generic · 女装", "PMax · 全店", "Competitor terms", "YouTube · 品牌故事", "DSA · 全站")
TYPES = ("Search", "Performance Max", "Display", "Video")
NETWORKS = ("Google search", "Search partners", "Display Network")
DEVICES = ("Computers", "Mobile phones", "Tablets")
AD_GROUPS = 19


# --- the workspace -----------------------------------------------------------------------------------------


def container(data_dir: Path, url: str):
    from app.bootstrap import build_container
    from app.config import Settings
    from data import migrate

    c = build_container(Settings.from_env({"FESTA_DATA_DIR": str(data_dir), "FESTA_DATABASE_URL": url}))
    migrate.upgrade(c.engine)
    return c


def workspace(c) -> list[str]:
    """The demo workspace plus a campaign per template for last year and this year; the campaigns' names."""
    from app.services import planning
    from app.services.auth import Actor
    from app.services.demo import seed_demo
    from campaigns import templates

    seed_demo(c)
    year = datetime.now(UTC).year
    for key in templates.TEMPLATES:
        for y in (year - 1, year):
            planning.create_from_template(c, Actor.system(), key, y, f"{key} {y}", 10_000_000)
    with c.uow() as uow:
        return [k.name for k in uow.campaigns.all(uow.workspaces.current().id)]


def analyst(c):
    """An analyst account made as an administrator makes one, with its first password changed."""
    from app.services import accounts
    from app.services.auth import Actor
    from campaigns.access import Role

    view, first = accounts.create_user(c, Actor.system(), "analyst@bench.festa.test", "Bench analyst", Role.ANALYST)
    actor = Actor(view.id, view.email, view.name, view.role, must_change_password=True)
    accounts.change_own_password(c, actor, first, "Bench-" + secrets.token_urlsafe(18))
    return Actor(view.id, view.email, view.name, view.role)


# --- the file ----------------------------------------------------------------------------------------------


def _int(n: int) -> str:
    return f"{n:,}"


def _money(minor: int) -> str:
    return f"{minor // 100:,}.{minor % 100:02d}"


def generate(path: Path, rows: int, campaign_names: list[str], seed: int = 20261204) -> dict:
    """Writes the export; returns the totals Google would show for it (and the rows per campaign name)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    names = [*campaign_names, *UNKNOWN]
    per_day = len(names) * AD_GROUPS * len(NETWORKS) * len(DEVICES)
    days = -(-rows // per_day)
    today = datetime.now(ZoneInfo(TZ)).date()
    first = today - timedelta(days=days)
    last = first + timedelta(days=days - 1)
    impr = np.minimum(rng.lognormal(6.0, 1.6, rows).astype(np.int64), 2_000_000)
    ctr = rng.beta(2, 40, rows)
    clicks = np.minimum((impr * ctr).astype(np.int64), impr)
    cpc = rng.uniform(20, 400, rows).astype(np.int64)  # fen
    cost = clicks * cpc
    conv_x100 = (clicks * rng.beta(1, 30, rows) * 100).astype(np.int64)  # fractional: data-driven attribution
    value = conv_x100 * rng.integers(50, 400, rows)  # fen
    totals = defaultdict(int)
    by_name: dict[str, int] = defaultdict(int)
    i = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Campaign report\n")
        out.write(f'"{first:%B} {first.day}, {first.year} - {last:%B} {last.day}, {last.year}"\n')
        out.write(",".join(HEADER) + "\n")
        lines: list[str] = []
        for d in range(days):
            day = (first + timedelta(days=d)).isoformat()
            for n, name in enumerate(names):
                kind = TYPES[n % len(TYPES)]
                for g in range(AD_GROUPS):
                    group = f"AG{g:02d} · {'品牌词' if g % 3 == 0 else 'Keywords'} {n}-{g}"
                    for net in NETWORKS:
                        for dev in DEVICES:
                            if i >= rows:
                                break
                            im, cl, co, cv, va = (int(a[i]) for a in (impr, clicks, cost, conv_x100, value))
                            views = int(im * 0.3) if kind == "Video" else 0
                            cells = (
                                day,
                                "Festa 演示店 CN",
                                name,
                                kind,
                                "Enabled",
                                group,
                                "Enabled" if g % 7 else "Paused",
                                net,
                                dev,
                                "CNY",
                                _int(cl),
                                _int(im),
                                f"{cl * 100 / im:.2f}%" if im else "--",
                                _money(co // cl) if cl else "--",
                                _money(co),
                                _int(views),
                                f"{cv // 100:,}.{cv % 100:02d}",
                                f"{cv / cl:.2f}%" if cl else "--",
                                _money(co * 100 // cv) if cv else "--",
                                _money(va),
                            )
                            lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
                            totals["clicks"] += cl
                            totals["impressions"] += im
                            totals["spend_minor"] += co
                            totals["revenue_minor"] += va
                            totals["conversions_x100"] += cv
                            totals["video_views"] += views
                            by_name[name] += 1
                            i += 1
            if len(lines) > 50_000:
                out.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            out.write("\n".join(lines) + "\n")
        t = totals
        for label in ("Total: Account", "Total: Search", "Total: Display Network"):
            cells = [label, "", "", "", "", "", "", "", "", "CNY", _int(t["clicks"]), _int(t["impressions"]), "--"]
            cells += ["--", _money(t["spend_minor"]), _int(t["video_views"]), "--", "--", "--"]
            cells += [_money(t["revenue_minor"])]
            out.write(",".join(f'"{c}"' if "," in c else c for c in cells) + "\n")
    return {"totals": dict(totals), "rows": i, "by_name": dict(by_name), "first": first.isoformat()}


# --- the three runs, each in its own process -----------------------------------------------------------------


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def run_floor(path: Path, db: Path) -> dict:
    import sqlite3

    import pyarrow.csv as pacsv

    start, cpu = time.perf_counter(), time.process_time()
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=2))
    read_s = time.perf_counter() - start
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    width = table.num_columns
    con.execute(f"CREATE TABLE bare ({', '.join(f'c{i}' for i in range(width))})")
    con.execute("BEGIN")
    sql = f"INSERT INTO bare VALUES ({', '.join('?' * width)})"
    step = 100_000
    for at in range(0, table.num_rows, step):
        part = table.slice(at, step)
        con.executemany(sql, zip(*(col.to_pylist() for col in part.columns), strict=True))
    con.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    stored = con.execute("SELECT count(*) FROM bare").fetchone()[0]
    con.close()
    return {"seconds": elapsed, "cpu": cpu, "read": read_s, "rows": stored, "peak_gb": _peak_gb()}


def _hwm_gb() -> float:
    """The process's peak resident memory so far (VmHWM), which is what ru_maxrss reports at the end."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024**2


def _timed(steps: dict, name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            steps[name] += time.perf_counter() - start
            CPU[name] = CPU.get(name, 0.0) + time.process_time() - cpu
            MEMORY[name] = _hwm_gb()

    return wrapper


MEMORY: dict[str, float] = {}
CPU: dict[str, float] = {}


def _timed_iter(steps: dict, name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        it = fn(*args, **kwargs)
        while True:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                item = next(it)
            except StopIteration:
                steps[name] += time.perf_counter() - start
                CPU[name] = CPU.get(name, 0.0) + time.process_time() - cpu
                return
            steps[name] += time.perf_counter() - start
            CPU[name] = CPU.get(name, 0.0) + time.process_time() - cpu
            MEMORY[name] = _hwm_gb()
            yield item

    return wrapper


def instrument(steps: dict) -> None:
    """Wraps the steps of preview and commit with timers (the code that runs is the code the console runs)."""
    from app.services import imports
    from connectors.exports import registry
    from data import measure_repos

    registry.read = _timed(steps, "read (open, parse, values)", registry.read)
    imports._checks = _timed(steps, "checks (dates)", imports._checks)
    imports._world = _timed(steps, "match: load world", imports._world)
    imports._prepare = _timed(steps, "prepare (match, row keys)", imports._prepare)
    imports._fact_rows = _timed_iter(steps, "insert: rows (Python values)", imports._fact_rows)
    repo = measure_repos.MeasureRepo
    for method, step in (
        ("existing_keys", "duplicate check"),
        ("has_facts", "duplicate check"),
        ("insert_fact_columns", "insert: executemany"),  # the rows are made while it runs (subtracted below)
        ("insert_facts", "insert: executemany"),  # (the dict-per-row way, before insert_fact_columns)
        ("rebuild_rollup", "rollup"),
        ("batch_spans", "rollup"),
    ):
        if hasattr(repo, method):
            setattr(repo, method, _timed(steps, step, getattr(repo, method)))


def measure_repos_module():
    from data.measure_repos import MeasureRepo

    return MeasureRepo


def run_festa(path: Path, tmp: Path, expected: dict) -> dict:
    from sqlalchemy import func, select

    from app.services import imports
    from data.models import MetricDaily
    from data.models_measure import MetricFact

    c = container(tmp / "local", f"sqlite:///{tmp / 'festa.db'}")
    names = workspace(c)
    who = analyst(c)
    steps: dict[str, float] = defaultdict(float)
    instrument(steps)

    start, cpu = time.perf_counter(), time.process_time()
    raw = path.read_bytes()
    pv = imports.preview(c, who, path.name, raw)
    previewed = time.perf_counter() - start
    if not pv.ok:
        raise SystemExit(f"preview refused the file: {pv.problems[:5]} needs={pv.needs}")
    done = imports.commit(c, who, pv)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    del raw, pv

    with c.engine.connect() as conn:
        f = MetricFact
        got = conn.execute(
            select(func.count(), func.sum(f.clicks), func.sum(f.impressions), func.sum(f.spend_minor),
                   func.sum(f.revenue_minor), func.sum(f.video_views), func.sum(f.conversions))
            .where(f.batch_id == done.batch_id)
        ).one()  # fmt: skip
        m = MetricDaily
        rolled = dict(conn.execute(
            select(m.campaign_id, func.sum(m.clicks)).where(m.source == "google_ads").group_by(m.campaign_id)
        ).all())  # fmt: skip
        matched = dict(conn.execute(
            select(f.campaign_id, func.sum(f.clicks)).where(f.batch_id == done.batch_id, f.campaign_id.is_not(None))
            .group_by(f.campaign_id)
        ).all())  # fmt: skip
        rollup_rows = conn.execute(select(func.count()).select_from(m)).scalar_one()
    t = expected["totals"]
    want = (expected["rows"], t["clicks"], t["impressions"], t["spend_minor"], t["revenue_minor"], t["video_views"])
    unknown = sum(n for name, n in expected["by_name"].items() if name not in names)
    checks = {
        "totals equal the file's": tuple(got[:6]) == want and round(got[6] * 100) == t["conversions_x100"],
        "rollup equals the facts, campaign by campaign": rolled == matched,
        "unassigned rows": done.unmatched == unknown,
    }
    c.engine.dispose()
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "preview": previewed,
        "written": done.written,
        "unmatched": done.unmatched,
        "rollup_rows": rollup_rows,
        "steps": dict(steps),
        "memory": dict(MEMORY),
        "rows_made_while_inserting": hasattr(measure_repos_module(), "insert_fact_columns"),
        "cpu": dict(CPU),
        "checks": checks,
        "peak_gb": _peak_gb(),
    }


def run_generate(path: Path, rows: int, tmp: Path) -> dict:
    c = container(tmp / "local", f"sqlite:///{tmp / 'names.db'}")
    names = workspace(c)
    c.engine.dispose()
    return generate(path, rows, names)


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, check=True, capture_output=True, text=True, env=os.environ
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        csv_path = tmp / "Campaign report.csv"
        start = time.perf_counter()
        expected = _child("--generate", str(csv_path), str(rows), str(tmp / "gen"))
        size_mb = csv_path.stat().st_size / 1024**2
        print(f"file                  {expected['rows']:>12,} rows × {len(HEADER)} columns, {size_mb:,.0f} MB "
              f"(generated in {time.perf_counter() - start:.1f} s)")  # fmt: skip
        floor = _child("--floor", str(csv_path), str(tmp / "floor.db"))
        (tmp / "expected.json").write_text(json.dumps(expected))
        festa = _child("--festa", str(csv_path), str(tmp / "festa"), str(tmp / "expected.json"))

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (times are wall clock, CPU beside)")
    print(
        f"floor                 {floor['seconds']:>10.2f} s   (CPU {floor['cpu']:.1f} s; pyarrow read "
        f"{floor['read']:.2f} s, sqlite3 executemany of {floor['rows']:,} rows; peak {floor['peak_gb']:.2f} GB)"
    )
    print(f"festa written         {festa['written']:>12,}  (unassigned {festa['unmatched']:,}; "
          f"rollup rows {festa['rollup_rows']:,})")  # fmt: skip
    print("breakdown:")
    shown = 0.0
    steps, cpu = festa["steps"], festa["cpu"]
    if festa["rows_made_while_inserting"]:  # the rows' own time is shown on its line
        steps["insert: executemany"] -= steps.get("insert: rows (Python values)", 0.0)
        cpu["insert: executemany"] = cpu.get("insert: executemany", 0.0) - cpu.get("insert: rows (Python values)", 0.0)
    for name, s in steps.items():
        peak = festa["memory"].get(name, 0)
        print(f"  {name:<30} {s:>7.2f} s   (CPU {cpu.get(name, 0):5.2f} s; peak so far {peak:.2f} GB)")
        shown += s
    print(f"  {'other (sha, commit, audit…)':<30} {festa['seconds'] - shown:>7.2f} s")
    print(f"  {'(preview part)':<30} {festa['preview']:>7.2f} s")
    for name, ok in festa["checks"].items():
        print(f"check: {name:<40} {'ok' if ok else 'WRONG'}")
    ratio = festa["seconds"] / floor["seconds"]
    speed = "ok" if festa["seconds"] <= TARGET_S else "SLOW"
    near = "ok" if ratio <= TARGET_FLOOR_X else "SLOW"
    memory = "ok" if festa["peak_gb"] <= TARGET_RSS_GB else "OVER"
    total, cpu_total = festa["seconds"], festa["cpu_seconds"]
    print(f"preview + commit      {total:>10.2f} s   target ≤ {TARGET_S:.0f} s      {speed}   (CPU {cpu_total:.1f} s)")
    print(f"festa / floor         {ratio:>10.2f} ×   target ≤ {TARGET_FLOOR_X:.0f} ×      {near}")
    print(f"peak memory (maxrss)  {festa['peak_gb']:>10.2f} GB  target ≤ {TARGET_RSS_GB} GB   {memory}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--generate":
        print(json.dumps(run_generate(Path(args[1]), int(args[2]), Path(args[3]))))
    elif args and args[0] == "--floor":
        print(json.dumps(run_floor(Path(args[1]), Path(args[2]))))
    elif args and args[0] == "--festa":
        expected = json.loads(Path(args[3]).read_text())
        print(json.dumps(run_festa(Path(args[1]), Path(args[2]), expected)))
    else:
        main(int(args[0]) if args else 1_000_000)

"""`python -m app <command>`."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from data.errors import SetupError

log = logging.getLogger("festa")


def _container():
    from app.bootstrap import build_container
    from app.config import Settings

    return build_container(Settings.from_env())


def cmd_migrate(_args) -> int:
    from data import migrate

    c = _container()
    st = migrate.upgrade(c.engine)
    print(f"database at migration {st.current} (latest)")
    return 0


def cmd_seed_demo(_args) -> int:
    from app.services import health
    from app.services.demo import seed_demo

    c = _container()
    health.ensure_ready(c)
    result = seed_demo(c)
    if result.created:
        print("demo workspace seeded")
    else:
        print(f"demo workspace already seeded at {result.seeded_at}; nothing to do")
    return 0


def cmd_worker(args) -> int:
    from app.worker import Worker

    w = Worker(_container(), tick_seconds=args.tick)
    w.install_signal_handlers()
    return w.run()


def cmd_serve(_args) -> int:
    from app.config import Settings
    from app.serve import serve

    return serve(Settings.from_env())


def cmd_doctor(_args) -> int:
    from app.bootstrap import build_container
    from app.config import Settings
    from app.services import health

    settings = Settings.from_env()
    print("configuration:")
    for key, value in settings.masked().items():
        print(f"  {key:<26} {value}")
    checks = health.doctor(build_container(settings))
    for check in checks:
        print(f"{check.name:<11} {'ok' if check.ok else 'PROBLEM':<8} {check.detail}")
    return 0 if all(ch.ok for ch in checks) else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app", description="Festa: festival campaigns and social publishing.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo", help="seed the demo workspace (first start only)").set_defaults(fn=cmd_seed_demo)
    w = sub.add_parser("worker", help="run the dispatcher worker")
    w.add_argument("--tick", type=int, default=None, help="seconds between ticks (FESTA_WORKER_TICK_SECONDS)")
    w.set_defaults(fn=cmd_worker)
    sub.add_parser("serve", help="run the worker and the console (what `make run` ends with)").set_defaults(
        fn=cmd_serve
    )
    sub.add_parser("doctor", help="check configuration, database, migrations and worker").set_defaults(fn=cmd_doctor)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("FESTA_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except SetupError as err:
        print(f"festa: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

"""`python -m app <command>`."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import cli_measure, cli_promote
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
        if result.accounts:
            print("demo accounts (passwords are shown only now; note them):")
            for email, role, password in result.accounts:
                print(f"  {role:<9} {email:<32} {password}")
    else:
        print(f"demo workspace already seeded at {result.seeded_at}; nothing to do")
    return 0


def cmd_worker(args) -> int:
    import time

    from app.worker import Worker

    # `schedule` counts in naive local time: in UTC there is no DST change to skip or repeat ticks.
    os.environ["TZ"] = "UTC"
    time.tzset()
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


def cmd_rotate_key(args) -> int:
    from app.services.secrets import rotate_key

    result = rotate_key(_container(), drop_old=args.drop_old)
    where = f"; new key in {result.key_file}" if result.key_file else ""
    print(f"re-encrypted {result.rotated} secret(s) with the newest key{where}")
    if result.unreadable:
        print(
            f"festa: {len(result.unreadable)} secret(s) open with no configured key and were left as they were: "
            f"{', '.join(result.unreadable)} — add the old key to FESTA_SECRET_KEY and run rotate-key again",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_new_key(_args) -> int:
    from app.services.secrets import new_key

    print(new_key())
    return 0


def cmd_purge(_args) -> int:
    from app.services.privacy import purge

    removed = purge(_container(), source="cli")
    print(", ".join(f"{k}: {v} removed" for k, v in removed.items()) or "no retention set; nothing removed")
    return 0


def cmd_user(args) -> int:
    from app.services import accounts
    from app.services.auth import Actor

    c, op = _container(), Actor.system()
    users = {u.email: u for u in accounts.list_users(c, op)}
    if args.action == "list":
        for u in users.values():
            state = "active" if u.active else "inactive"
            print(f"{u.email:<32} {u.role:<9} {state}{' locked' if u.locked_until else ''}")
        return 0
    email = (args.email or "").strip().lower()
    if args.action == "create":
        user, password = accounts.create_user(c, op, email, args.name or email, args.role)
        print(f"created {user.email} ({user.role}); one-time password: {password}")
        return 0
    if email not in users:
        print(f"festa: no account {email!r} — `python -m app user list` shows them", file=sys.stderr)
        return 2
    if args.action == "reset-password":
        print(f"one-time password for {email}: {accounts.reset_password(c, op, users[email].id)}")
    else:
        accounts.unlock(c, op, users[email].id)
        print(f"{email} unlocked")
    return 0


def cmd_festivals(args) -> int:
    import json

    from app.config import Settings
    from app.ui.catalog import CATALOG
    from campaigns import calendar, holidays

    lang = args.lang or Settings.from_env().language
    regions = tuple(args.region or calendar.DEFAULT_REGIONS)
    if not calendar.FIRST_YEAR <= args.year <= calendar.LAST_YEAR:
        print(f"festa: {args.year} is outside {calendar.FIRST_YEAR}-{calendar.LAST_YEAR}", file=sys.stderr)
        return 2
    days = calendar.year_calendar(args.year, regions)
    first, last = holidays.covered_years()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key": f.key,
                        "name": CATALOG[f"festival.{f.key}"][lang],
                        "kind": f.kind,
                        "region": f.region,
                        "start": f.start.isoformat(),
                        "end": f.end.isoformat(),
                        "timezone": f.timezone,
                        "window_utc": [t.isoformat() for t in f.window_utc()],
                    }
                    for f in days
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{args.year} ({', '.join(regions)}) — dates are inclusive at both ends, in each festival's time zone")
    for f in days:
        span = f.start.isoformat() if f.start == f.end else f"{f.start.isoformat()} – {f.end.isoformat()}"
        print(f"  {span:<25} {f.kind:<9} {f.region:<3} {CATALOG[f'festival.{f.key}'][lang]}  [{f.timezone}]")
    if "CN" in regions:
        note = "" if first <= args.year <= last else f"; {args.year} has no published schedule, none listed"
        print(f"China's public holidays and make-up working days: published schedules {first}-{last}{note}")
    return 0


def _tick(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number of seconds from 1 to 3600")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app", description="Festa: festival campaigns and social publishing.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo", help="seed the demo workspace (first start only)").set_defaults(fn=cmd_seed_demo)
    w = sub.add_parser("worker", help="run the dispatcher worker")
    w.add_argument("--tick", type=_tick, default=None, help="seconds between ticks, 1-3600 (FESTA_WORKER_TICK_SECONDS)")
    w.set_defaults(fn=cmd_worker)
    sub.add_parser("serve", help="run the worker and the console (what `make run` ends with)").set_defaults(
        fn=cmd_serve
    )
    sub.add_parser("doctor", help="check configuration, database, migrations and worker").set_defaults(fn=cmd_doctor)
    r = sub.add_parser("rotate-key", help="re-encrypt stored secrets with a new key")
    r.add_argument(
        "--drop-old",
        action="store_true",
        help="re-encrypt with the newest key in the file and forget the older ones "
        "(only once every Festa process has restarted since the last rotation)",
    )
    r.set_defaults(fn=cmd_rotate_key)
    sub.add_parser("new-key", help="print a new key for FESTA_SECRET_KEY").set_defaults(fn=cmd_new_key)
    sub.add_parser("purge", help="delete data older than its retention setting").set_defaults(fn=cmd_purge)
    f = sub.add_parser("festivals", help="the festivals of a year (with China's holidays and 调休)")
    f.add_argument("year", type=int)
    f.add_argument("--region", action="append", choices=["CN", "US", "UK"], help="repeat for several (default CN, US)")
    f.add_argument("--json", action="store_true", help="machine-readable output")
    f.add_argument("--lang", choices=["zh-CN", "en"], help="names in this language (default FESTA_LANGUAGE)")
    f.set_defaults(fn=cmd_festivals)
    cli_promote.add_parsers(sub, _container)
    cli_measure.add_parsers(sub, _container)
    u = sub.add_parser("user", help="accounts from the command line (when no admin can sign in)")
    u.add_argument("action", choices=["list", "create", "reset-password", "unlock"])
    u.add_argument("email", nargs="?")
    u.add_argument("--role", default="content", help="admin, manager, marketer, content or analyst")
    u.add_argument("--name", default="")
    u.set_defaults(fn=cmd_user)
    return p


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def main(argv: list[str] | None = None) -> int:
    level = os.environ.get("FESTA_LOG_LEVEL", "INFO").strip().upper()
    if level not in LOG_LEVELS:
        print(
            f"festa: FESTA_LOG_LEVEL {level!r} is not a log level — use one of {', '.join(LOG_LEVELS)}", file=sys.stderr
        )
        return 2
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except SetupError as err:
        print(f"festa: {err}", file=sys.stderr)
        return 2
    except ValueError as err:  # a refused input (e.g. accounts.AccountError)
        log.debug("refused", exc_info=True)
        print(f"festa: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

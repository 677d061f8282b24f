"""`python -m app serve`: the worker and the Streamlit console together, as `make run` starts
them. Ctrl-C (or SIGTERM) stops both; if one of them dies, the other is stopped too."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from app.config import ROOT, Settings

GRACE_SECONDS = 10


def commands(settings: Settings) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "worker": [py, "-m", "app", "worker"],
        "console": [
            py,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.address",
            settings.address,
            "--server.port",
            str(settings.port),
            "--server.headless",
            "true",
        ],
    }


def serve(settings: Settings) -> int:
    procs = {name: subprocess.Popen(cmd, cwd=ROOT) for name, cmd in commands(settings).items()}
    print(f"Festa console: http://{settings.address}:{settings.port}  (Ctrl-C stops it and the worker)", flush=True)
    stopping = False

    def on_signal(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    while not stopping:
        dead = {n: p.returncode for n, p in procs.items() if p.poll() is not None}
        if dead:
            name, code = next(iter(dead.items()))
            print(f"festa: the {name} stopped (exit {code}); stopping the rest", file=sys.stderr, flush=True)
            break
        time.sleep(0.3)
    _stop_all(procs)
    return code


def _stop_all(procs: dict[str, subprocess.Popen]) -> None:
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for p in procs.values():
        try:
            p.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

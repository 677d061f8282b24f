"""Start Festa exactly as a user does (`make run`, on a temporary database) and drive it
with Playwright in Debian's chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningFesta:
    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FESTA_")}
        self.env.update(FESTA_DATA_DIR=str(tmp / "local"), FESTA_PORT=str(self.port), FESTA_WORKER_TICK_SECONDS="1")
        self.log = tmp / "make-run.log"
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"make run exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"Festa did not answer in {timeout} s:\n{self.log.read_text()}")

    def demo_accounts(self) -> dict[str, tuple[str, str]]:
        """role -> (e-mail, password), as `seed-demo` printed them once on the first start."""
        found = {}
        for line in self.log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1].endswith("@demo.festa.test"):
                found[parts[0]] = (parts[1], parts[2])
        return found

    def ctrl_c(self, timeout: float = 30) -> int:
        """What a terminal does on Ctrl-C: SIGINT to the whole foreground process group."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise


@pytest.fixture(scope="module")
def festa(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    app = RunningFesta(tmp_path_factory.mktemp("festa-e2e"))
    try:
        app.wait_healthy()
        app.accounts = app.demo_accounts()
        yield app
    finally:
        if app.proc.poll() is None:
            app.ctrl_c()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

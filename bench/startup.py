"""How long until the Overview is on screen: first start (migrate + seed) and restarts.

Starts Festa exactly as `make run` does, on a temporary data folder, and measures from the
command's start until chromium shows the Overview with its headline figures. The browser
keeps its session cookie across restarts, as a person's browser does; only the first start
signs in (with the demo admin's password that `seed-demo` printed).
Target (issue: Foundation): a restart serves the Overview within 10 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402

TARGET_S = 10.0
RESTARTS = 3


def time_to_overview(env: dict[str, str], context, log: Path, sign_in: bool) -> float:
    start = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    page = context.new_page()
    try:
        url = f"http://127.0.0.1:{env['FESTA_PORT']}/?lang=en"
        while True:
            try:
                page.goto(url, timeout=2_000)
                break
            except Exception:
                if time.monotonic() - start > 120:
                    raise
                time.sleep(0.1)
        if sign_in:
            page.get_by_label("E-mail").wait_for(timeout=60_000)
            email, password = next(
                line.split()[1:] for line in log.read_text().splitlines() if "admin@demo.festa.test" in line
            )
            page.get_by_label("E-mail").fill(email)
            page.get_by_label("Password", exact=True).fill(password)
            page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
        page.get_by_test_id("stMetricLabel").filter(has_text="Revenue").wait_for(timeout=60_000)
        return time.monotonic() - start
    finally:
        page.close()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FESTA_")}
        env.update(FESTA_DATA_DIR=tmp, FESTA_PORT=str(_free_port()))
        context = browser.new_context()
        log = Path(tmp) / "make-run.log"
        first = time_to_overview(env, context, log, sign_in=True)
        print(f"first start (migrate + seed + serve + sign in) -> Overview: {first:5.1f} s")
        for i in range(1, RESTARTS + 1):
            s = time_to_overview(env, context, log, sign_in=False)
            verdict = "ok" if s <= TARGET_S else "OVER TARGET"
            print(f"restart {i} (still signed in) -> Overview: {s:5.1f} s   (target <= {TARGET_S:.0f} s) {verdict}")
        browser.close()


if __name__ == "__main__":
    main()

"""`python -m app ...` as a user runs it: real processes, a real SQLite file."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FESTA_")}
    env.update({"FESTA_DATA_DIR": str(tmp_path / "local"), "FESTA_WORKER_TICK_SECONDS": "1"}, **extra)
    return env


def festa(tmp_path, *args, timeout=60, **extra):
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _one_clear_line(result):
    assert result.returncode == 2, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("festa: ") and " — " in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def test_help_lists_the_commands(tmp_path):
    out = festa(tmp_path, "--help").stdout
    for command in ("seed-demo", "worker", "doctor", "migrate", "serve"):
        assert command in out


def test_migrate_seed_worker_and_doctor_work_together(tmp_path):
    assert "latest" in festa(tmp_path, "migrate").stdout
    seeded = festa(tmp_path, "seed-demo").stdout
    assert seeded.startswith("demo workspace seeded")
    for role in ("admin", "manager", "marketer", "content", "analyst"):  # one account each, password shown once
        assert f"{role}@demo.festa.test" in seeded
    assert "nothing to do" in festa(tmp_path, "seed-demo").stdout
    doctor = festa(tmp_path, "doctor")
    assert doctor.returncode == 1 and "worker      PROBLEM  no heartbeat" in doctor.stdout

    worker = subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while (doctor := festa(tmp_path, "doctor")).returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert doctor.returncode == 0, doctor.stdout
        assert "worker      ok       heartbeat" in doctor.stdout
        # secrets never printed
        key = (tmp_path / "local" / "secret.key").read_text().strip()
        assert key not in doctor.stdout and "FESTA_SECRET_KEY           ***" in doctor.stdout
        passwords = [line.split()[-1] for line in seeded.splitlines() if "@demo.festa.test" in line]
        assert len(passwords) == 5 and not any(pw in doctor.stdout for pw in passwords)
    finally:
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=15)
    assert worker.returncode == 0
    assert "stopped after" in out and "Traceback" not in out
    assert festa(tmp_path, "doctor").returncode == 1  # a cleanly stopped worker leaves no heartbeat


def test_a_malformed_database_url_is_one_line(tmp_path):
    for cmd in ("doctor", "migrate", "worker"):
        line = _one_clear_line(festa(tmp_path, cmd, FESTA_DATABASE_URL="postgres//nohost"))
        assert "FESTA_DATABASE_URL is not a database URL" in line


def test_an_unreachable_postgres_is_one_line(tmp_path):
    url = "postgresql://festa@127.0.0.1:1/festa"
    line = _one_clear_line(festa(tmp_path, "migrate", FESTA_DATABASE_URL=url))
    assert "cannot reach the database" in line and "127.0.0.1:1" in line
    doctor = festa(tmp_path, "doctor", FESTA_DATABASE_URL=url)
    assert doctor.returncode == 1 and "database    PROBLEM  cannot reach the database" in doctor.stdout
    assert "Traceback" not in doctor.stdout + doctor.stderr


def test_a_database_newer_than_the_code_is_one_line(tmp_path):
    festa(tmp_path, "migrate")
    db = sqlite3.connect(tmp_path / "local" / "festa.db")
    db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    db.commit()
    db.close()
    for cmd in ("migrate", "seed-demo", "worker"):
        line = _one_clear_line(festa(tmp_path, cmd))
        assert "newer than this Festa knows" in line
    doctor = festa(tmp_path, "doctor")
    assert doctor.returncode == 1 and "migrations  PROBLEM  the database is at migration 9999" in doctor.stdout


@pytest.mark.parametrize("cmd", ["migrate", "doctor"])
def test_an_unwritable_data_folder_is_one_line(tmp_path, cmd):
    (tmp_path / "local").write_text("not a folder")
    line = _one_clear_line(festa(tmp_path, cmd))
    assert "cannot create the secret key" in line


def test_an_unwritable_database_folder_is_one_line(tmp_path):
    blocker = tmp_path / "ro"
    blocker.write_text("not a folder")
    line = _one_clear_line(festa(tmp_path, "migrate", FESTA_DATABASE_URL=f"sqlite:///{blocker}/festa.db"))
    assert "cannot write the SQLite database folder" in line


def test_make_run_stops_at_a_bad_setting_with_one_line(tmp_path):
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=_env(tmp_path, FESTA_DATABASE_URL="postgres//nohost"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if line.startswith("festa: ")]
    assert len(ours) == 1 and "FESTA_DATABASE_URL is not a database URL" in ours[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args, env, words",
    [
        (["worker", "--tick", "-1"], {}, "from 1 to 3600"),
        (["worker", "--tick", "0"], {}, "from 1 to 3600"),
        (["doctor"], {"FESTA_LOG_LEVEL": "verbose"}, "FESTA_LOG_LEVEL"),
    ],
)
def test_bad_command_line_input_is_refused_at_once(tmp_path, args, env, words):
    result = festa(tmp_path, *args, timeout=30, **env)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


def test_festivals_prints_a_year_in_either_language(tmp_path):
    import json

    text = festa(tmp_path, "festivals", "2026", "--lang", "en").stdout
    assert "618 presale" in text and "Spring Festival holiday" in text and "Make-up working day" in text
    assert "published schedules" in text
    zh = festa(tmp_path, "festivals", "2027", "--region", "UK", "--json", "--lang", "zh-CN").stdout
    rows = json.loads(zh)
    assert {r["region"] for r in rows} == {"UK"} and "节礼日（英国）" in {r["name"] for r in rows}
    bad = festa(tmp_path, "festivals", "2150")
    assert bad.returncode == 2 and "outside 1990-2099" in bad.stderr

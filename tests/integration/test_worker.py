import logging
from datetime import timedelta

import pytest

from app.bootstrap import build_container
from app.services import health, workers
from app.worker import Worker
from data.errors import SetupError
from tests.conftest import NOW, make_settings


def test_a_tick_writes_a_heartbeat_and_a_clean_stop_removes_it(container):
    w = Worker(container, tick_seconds=1)
    assert w.tick() is None
    assert w.tick() is None
    [beat] = workers.workers(container)
    assert (beat.worker_id, beat.ticks, beat.beat_at) == (w.worker_id, 2, NOW)
    assert health.worker_check(container).ok
    w.run(max_ticks=1)  # run() ends with a clean stop
    assert workers.workers(container) == []


def test_a_stale_heartbeat_is_a_problem(container):
    Worker(container).tick()
    check = health.worker_check(container, now=NOW + timedelta(minutes=5))
    assert not check.ok and "is the worker running" in check.detail


def test_old_heartbeats_of_dead_workers_are_swept(container):
    workers.beat(container, "gone:1", "gone", 1)
    container.clock = lambda: NOW + timedelta(days=2)
    assert workers.sweep(container) == 1
    assert workers.workers(container) == []


def test_a_tick_with_a_problem_logs_one_line_and_the_worker_goes_on(tmp_path, caplog):
    # a database file that is not a database: every tick fails
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    c = build_container(make_settings(tmp_path, f"sqlite:///{bad}"))
    w = Worker(c, tick_seconds=1)
    with caplog.at_level(logging.INFO, logger="festa.worker"):
        problems = [w.tick() for _ in range(3)]
    assert all(problems) and w.problems == 3
    lines = [r for r in caplog.records if r.name == "festa.worker"]
    assert len(lines) == 3 and all("\n" not in r.getMessage() for r in lines)
    c.engine.dispose()


def test_healthy_ticks_log_nothing(container, caplog):
    w = Worker(container)
    with caplog.at_level(logging.INFO, logger="festa.worker"):
        for _ in range(5):
            w.tick()
    assert [r for r in caplog.records if r.name == "festa.worker"] == []


def test_the_worker_refuses_an_unmigrated_database(bare_container):
    with pytest.raises(SetupError, match="python -m app migrate"):
        Worker(bare_container).run(max_ticks=1)


def test_doctor_reports_each_check(container):
    names = [(c.name, c.ok) for c in health.doctor(container)]
    assert names == [("database", True), ("migrations", True), ("secrets", True), ("worker", False)]
    Worker(container).tick()
    assert all(c.ok for c in health.doctor(container))


def test_the_last_problem_is_shown_with_the_next_heartbeat(container, monkeypatch):
    w = Worker(container)
    real_beat = workers.beat
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SetupError("cannot reach the database x (connection refused)", "start it")
        return real_beat(*args, **kwargs)

    monkeypatch.setattr(workers, "beat", flaky)
    assert w.tick() is not None
    assert w.tick() is None
    [info] = workers.workers(container)
    assert "cannot reach the database" in info.last_problem


def test_a_worker_busy_with_a_long_call_keeps_beating_so_its_post_is_not_taken(container):
    import threading
    import time
    from dataclasses import replace

    from app.bootstrap import utc_now
    from app.services import dispatch
    from tests.integration import publishing_kit as kit

    c = replace(container, clock=utc_now)
    ws = kit.workspace(c)
    [pid] = kit.scheduled(c, ws, kit.account(c, ws), at=utc_now() - timedelta(seconds=1))
    calling = threading.Event()

    class Slow(kit.Scripted):
        def publish(self, post):  # one long call (X's video processing, a slow platform)
            calling.set()
            time.sleep(3.5)
            return super().publish(post)

    fake = Slow()
    w = Worker(c, tick_seconds=1)
    w.dispatcher.connect = fake.connect
    running = threading.Thread(target=w.run, kwargs={"max_ticks": 1})
    running.start()
    assert calling.wait(30)
    swept = []
    for _ in range(3):  # another worker's sweep, with a worker counted dead after 2 s without a beat
        time.sleep(1)
        swept.append(dispatch.reap(c, "other", timedelta(seconds=2)).unknown)
    running.join(30)
    assert swept == [0, 0, 0] and kit.post(c, pid).state == "sent" and len(fake.published) == 1

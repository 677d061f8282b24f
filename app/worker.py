"""`python -m app worker`: the dispatcher process. Ticks with `schedule`, stops cleanly on SIGINT/SIGTERM.
Each tick sweeps leases of workers that stopped beating and sends every post that is due
(app.services.dispatch). A thread writes the heartbeat every tick interval while the process lives, so a
long platform call does not make the worker look dead; a killed worker stops beating at once. Logs nothing
for a healthy tick and one line for a tick with a problem."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import timedelta

import schedule

from app.bootstrap import Container
from app.services import auth, dispatch, group_buys, health, presales, privacy, reconcile, workers
from data.errors import SetupError

log = logging.getLogger("festa.worker")
SWEEP_EVERY_SECONDS = 60
PURGE_EVERY_MINUTES = 60


class Worker:
    def __init__(self, c: Container, tick_seconds: int | None = None) -> None:
        self.c = c
        self.tick_seconds = tick_seconds or c.settings.worker_tick_seconds
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.worker_id = f"{self.hostname}:{self.pid}"
        self.stop_event = threading.Event()
        self.ticks = 0
        self.problems = 0
        self.last_problem: str | None = None  # shown with the heartbeat until the worker restarts
        self.dispatcher = dispatch.Dispatcher(c, self.worker_id, should_stop=self.stop_event.is_set)
        # a worker that has not beaten for this long is gone: its claims go back to the queue. The heartbeat thread
        # beats every tick even while a call to a platform is slow, so three missed beats mean the process stopped.
        self.dead_after = timedelta(seconds=max(10, 3 * self.tick_seconds))
        self._running = threading.Event()  # set while run() lasts: the heartbeat thread beats

    def _beat(self, tick: bool = True) -> None:
        workers.beat(self.c, self.worker_id, self.hostname, self.pid, self.last_problem, tick=tick)

    def _keep_beating(self) -> None:
        """The heartbeat thread: beats every tick interval, also while a tick waits for a platform."""
        while not self._running.wait(self.tick_seconds):
            try:
                self._beat(tick=False)
            except Exception:  # the tick reports database trouble; a missed beat is retried next interval
                log.debug("heartbeat failed", exc_info=True)

    def tick(self) -> str | None:
        """One round of work. Returns the problem it met, if any, after logging it once."""
        self.ticks += 1
        try:
            self._beat()
            dispatch.reap(self.c, self.worker_id, self.dead_after)
            reconcile.replay_unknown(self.c, self.worker_id)
            self.dispatcher.run_due()
            return None
        except SetupError as err:
            problem = f"{err.what} — {err.todo}"
        except Exception as exc:  # a tick must never kill the worker
            log.debug("tick failed", exc_info=True)
            problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        self.problems += 1
        self.last_problem = f"{self.c.clock():%Y-%m-%d %H:%M:%S} UTC: {problem}"[:1000]
        log.warning("tick %d: %s", self.ticks, problem)
        return problem

    def sweep(self) -> None:
        try:
            workers.sweep(self.c)
        except Exception as exc:
            log.warning("sweep: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def settle_groups(self) -> None:
        """Group buys whose time is up: refunds, virtual fill or shipping at the group price."""
        try:
            group_buys.settle_expired(self.c)
        except Exception as exc:
            log.warning("group buys: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def settle_presales(self) -> None:
        """Presale orders whose final payment did not come in its window: the deposit is forfeited."""
        try:
            presales.settle_expired(self.c)
        except Exception as exc:
            log.warning("presales: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def confirm_jobs(self) -> None:
        """Publish jobs still open (WeChat): published keeps the post sent with its URL, refused fails it."""
        try:
            reconcile.confirm_jobs(self.c, self.worker_id)
        except Exception as exc:
            log.warning("publish jobs: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def purge(self) -> None:
        """Enforce the data retention settings (Admin → Data protection)."""
        try:
            privacy.purge(self.c, source="worker")
            auth.forget_expired_sessions(self.c)
        except Exception as exc:
            log.warning("purge: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def run(self, max_ticks: int | None = None) -> int:
        health.ensure_ready(self.c)
        scheduler = schedule.Scheduler()
        scheduler.every(self.tick_seconds).seconds.do(self.tick)
        scheduler.every(SWEEP_EVERY_SECONDS).seconds.do(self.sweep)
        scheduler.every(SWEEP_EVERY_SECONDS).seconds.do(self.settle_groups)
        scheduler.every(SWEEP_EVERY_SECONDS).seconds.do(self.settle_presales)
        scheduler.every(SWEEP_EVERY_SECONDS).seconds.do(self.confirm_jobs)
        scheduler.every(PURGE_EVERY_MINUTES).minutes.do(self.purge)
        log.info("worker %s started, ticking every %d s", self.worker_id, self.tick_seconds)
        self._running.clear()
        beating = threading.Thread(target=self._keep_beating, name="festa-heartbeat", daemon=True)
        beating.start()
        try:
            self.tick()
            while not self.stop_event.is_set():
                if max_ticks is not None and self.ticks >= max_ticks:
                    break
                scheduler.run_pending()
                idle = scheduler.idle_seconds
                self.stop_event.wait(min(max(idle or 0, 0.05), 1.0))
        finally:
            self._running.set()
            beating.join()
        try:
            workers.forget(self.c, self.worker_id)
        except Exception as exc:
            log.warning("could not remove the heartbeat: %s", str(exc).splitlines()[0] if str(exc) else exc)
        log.info("worker %s stopped after %d ticks", self.worker_id, self.ticks)
        return 0

    def install_signal_handlers(self) -> None:
        def stop(signum, _frame):
            log.info("received %s, stopping", signal.Signals(signum).name)
            self.stop_event.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

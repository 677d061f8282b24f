"""Worker heartbeats: written by the worker, read by the console and `doctor`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.bootstrap import Container

FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class WorkerInfo:
    worker_id: str
    hostname: str
    pid: int
    started_at: datetime
    beat_at: datetime
    ticks: int
    last_problem: str | None


def beat(c: Container, worker_id: str, hostname: str, pid: int, problem: str | None = None, tick: bool = True) -> None:
    """``tick``: a tick's beat (counted); False for the heartbeat thread's beats in between."""
    with c.uow(write=True) as uow:
        uow.heartbeats.beat(worker_id, hostname, pid, c.clock(), problem, tick)


def forget(c: Container, worker_id: str) -> None:
    """A cleanly stopped worker leaves no heartbeat behind."""
    with c.uow(write=True) as uow:
        uow.heartbeats.remove(worker_id)


def sweep(c: Container) -> int:
    """Drop heartbeats of workers that died without stopping (older than a day)."""
    with c.uow(write=True) as uow:
        return uow.heartbeats.sweep(c.clock() - FORGET_AFTER)


def workers(c: Container) -> list[WorkerInfo]:
    with c.uow() as uow:
        return [
            WorkerInfo(b.worker_id, b.hostname, b.pid, b.started_at, b.beat_at, b.ticks, b.last_problem)
            for b in uow.heartbeats.all()
        ]

"""Composition root: settings in, the parts every process needs out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from app.config import Settings
from data.engine import make_engine
from data.uow import UnitOfWorkFactory

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock


def build_container(settings: Settings, clock: Clock = utc_now) -> Container:
    engine = make_engine(settings.database_url)
    return Container(settings=settings, engine=engine, uow=UnitOfWorkFactory(engine), clock=clock)

from datetime import UTC, datetime, timedelta, timezone

import pytest

from data.models import Workspace


def _ws(slug, created):
    return Workspace(slug=slug, name=slug, timezone="Asia/Shanghai", currency="CNY", created_at=created, salt="00" * 32)


def test_an_error_rolls_back_everything_in_the_unit(container):
    with pytest.raises(RuntimeError):
        with container.uow(write=True) as uow:
            uow.workspaces.add(_ws("half", datetime.now(UTC)))
            raise RuntimeError("boom")
    with container.uow() as uow:
        assert uow.workspaces.by_slug("half") is None


def test_times_go_in_aware_and_come_out_utc(container):
    shanghai = timezone(timedelta(hours=8))
    with container.uow(write=True) as uow:
        uow.workspaces.add(_ws("tz", datetime(2026, 11, 11, 0, 0, tzinfo=shanghai)))
    with container.uow() as uow:
        ws = uow.workspaces.by_slug("tz")
    assert ws.created_at == datetime(2026, 11, 10, 16, 0, tzinfo=UTC)  # readable after the unit closed
    assert ws.created_at.tzinfo is not None


def test_naive_times_are_refused(container):
    with pytest.raises(Exception, match="naive datetime"):
        with container.uow(write=True) as uow:
            uow.workspaces.add(_ws("naive", datetime(2026, 11, 11)))


def test_a_read_unit_writes_nothing(container):
    with container.uow() as uow:
        uow.meta.put("k", "v")
    with container.uow() as uow:
        assert uow.meta.get("k") is None

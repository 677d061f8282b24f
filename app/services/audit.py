"""The audit log: who did what, when, with what result. Append-only; never holds secrets."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.bootstrap import Container
from data.models import AuditEvent

log = logging.getLogger("festa.audit")
MAX_DETAIL = 2000


@dataclass(frozen=True)
class Who:
    """The minimum the log needs about an actor."""

    label: str  # e-mail, "anonymous" or "system"
    user_id: int | None = None


def record(c: Container, who: Who, action: str, **fields: str) -> None:
    """Write one event in its own transaction, so a refused or failed operation is still recorded.
    Never call this while holding a writing unit of work: use ``record_in`` there."""
    with c.uow(write=True) as uow:
        record_in(uow, c, who, action, **fields)


def record_in(
    uow,
    c: Container,
    who: Who,
    action: str,
    *,
    entity: str = "",
    result: str = "success",
    detail: str = "",
    source: str = "console",
) -> None:
    """Write one event inside the caller's transaction: it stands or falls with the change."""
    uow.audit.add(
        AuditEvent(
            at=c.clock(),
            actor=who.label[:254],
            actor_id=who.user_id,
            action=action,
            entity=entity[:200],
            result=result,
            detail=_one_line(detail)[:MAX_DETAIL],
            source=source,
        )
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())

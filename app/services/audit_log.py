"""Reading and exporting the audit log (admins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns.access import Permission
from campaigns.exports import to_csv
from data.models import AuditEvent

HEADER = ("at_utc", "actor", "action", "entity", "result", "detail", "source")


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    result: str = ""
    since: datetime | None = None
    until: datetime | None = None  # inclusive
    limit: int | None = 1000  # the page shows the newest; exports take everything (limit None)


@requires(Permission.VIEW_AUDIT)
def events(c: Container, actor: Actor, f: AuditFilter) -> list[AuditEvent]:
    with c.uow() as uow:
        return uow.audit.find(f.actor, f.action, f.result, f.since, f.until, f.limit)


@requires(Permission.VIEW_AUDIT)
def actions(c: Container, actor: Actor) -> list[str]:
    with c.uow() as uow:
        return uow.audit.actions()


@requires(Permission.EXPORT_AUDIT)
def export_csv(c: Container, actor: Actor, f: AuditFilter) -> bytes:
    """Every event the filter matches (no row limit) as a spreadsheet-safe CSV; the export itself
    is recorded."""
    with c.uow() as uow:
        rows = uow.audit.find(f.actor, f.action, f.result, f.since, f.until, None)
    audit.record(c, actor.who, "audit_exported", detail=f"{len(rows)} events", source=actor.source)
    return to_csv(HEADER, ((e.at, e.actor, e.action, e.entity, e.result, e.detail, e.source) for e in rows))

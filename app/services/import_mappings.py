"""Column mappings for files no reader knows: list a file's columns, save a mapping under a name, and find it
again when a file with the same columns comes back (``imports.preview`` does that by itself)."""

from __future__ import annotations

from dataclasses import dataclass

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from app.services.imports import ImportRejected, _workspace
from campaigns.access import Permission
from campaigns.facts import problem
from connectors.exports import mapping as mapping_reader
from connectors.exports.document import DocumentError, open_document
from data.models_measure import ImportMapping

NAME_MAX = 100
DATE_ORDERS = ("ymd", "dmy", "mdy")


@dataclass(frozen=True)
class Layout:
    columns: list[str]
    signature: str
    saved: str | None  # the name of a saved mapping for this layout


def fields() -> tuple[str, ...]:
    """What a column can be mapped to (campaigns.facts names)."""
    return mapping_reader.FIELDS


@requires(Permission.IMPORT_METRICS)
def layout(c: Container, actor: Actor, name: str, raw: bytes) -> Layout:
    try:
        doc = open_document(name, raw)
    except DocumentError as exc:
        raise ImportRejected([problem(name, f"file_{exc.code}", **exc.params)]) from None
    cols = mapping_reader.columns(doc)
    sig = mapping_reader.layout_signature(cols)
    with c.uow() as uow:
        saved = uow.measure.mapping_by_signature(_workspace(uow).id, sig)
    return Layout(cols, sig, saved.name if saved else None)


@requires(Permission.IMPORT_METRICS)
def save(
    c: Container,
    actor: Actor,
    name: str,
    columns: list[str],
    mapping: dict[str, str],
    date_order: str | None = None,
    date_format: str | None = None,
    currency: str | None = None,
) -> int:
    """Saves (or replaces) a named mapping for the layout of ``columns``."""
    name = name.strip()
    problems = []
    if not name or len(name) > NAME_MAX:
        problems.append(problem("", "mapping_name", max=NAME_MAX))
    unknown = [f for f in mapping if f not in mapping_reader.FIELDS]
    problems += [problem("", "unknown_field", field=f) for f in unknown]
    missing = [col for col in mapping.values() if col not in columns]
    problems += [problem("", "missing_column", column=col) for col in missing]
    if "day" not in mapping:
        problems.append(problem("", "missing_column", column="day", field="day"))
    if date_order and date_order not in DATE_ORDERS:
        problems.append(problem("", "date_order", order=date_order))
    if problems:
        raise ImportRejected(problems)
    options = {k: v for k, v in (("date_order", date_order), ("date_format", date_format), ("currency", currency)) if v}
    sig = mapping_reader.layout_signature(columns)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        row = uow.measure.mapping_by_name(ws.id, name)
        if row is None:
            row = uow.measure.add(
                ImportMapping(
                    workspace_id=ws.id, name=name, signature=sig, created_by=actor.email, created_at=c.clock()
                )
            )
        row.signature, row.mapping, row.options = sig, dict(mapping), options
        audit.record_in(uow, c, actor.who, "metrics_mapping_saved", entity=f"mapping:{name}", source=actor.source)
        return row.id


@requires(Permission.VIEW_DASHBOARDS)
def saved(c: Container, actor: Actor) -> list[ImportMapping]:
    with c.uow() as uow:
        return uow.measure.mappings(_workspace(uow).id)

"""Importing platform exports: read (connectors.exports), check, tie to campaigns (campaigns.matching), preview,
then write as one batch in one transaction; undo a batch; assign what nothing tied.

Safe by construction: ``preview`` writes nothing; ``commit`` writes only a clean preview, skips rows already
stored (the same file or the same rows twice change nothing) and writes the batch, its facts and the rebuilt
rollup in one transaction, so a failed import leaves nothing behind. Customer identifiers in order files are
hashed by the reader with the workspace's salt; the raw value is never kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import facts, matching
from campaigns.access import Permission
from campaigns.facts import Problem, problem
from campaigns.privacy import customer_hash
from connectors.exports import mapping as mapping_reader
from connectors.exports import registry
from connectors.exports.base import ReadOptions
from connectors.exports.document import DocumentError, open_document
from data.models_measure import ImportBatch, MatchRule

MAX_FUTURE_DAYS = 1  # a day after "tomorrow" in the workspace's zone is a mistake, not data
FIRST_DAY = date(2000, 1, 1)


class ImportRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.where()}: {p.code}" for p in problems[:5]))
        self.problems = problems


@dataclass
class Preview:
    """What an import would write. ``frame``: the canonical rows with their ties (campaign_id, post_fk,
    account_id, partner_id, channel), ``row_key`` and ``stored_in`` (the batch already holding the row)."""

    file: str
    sha256: str
    source: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    needs: str | None = None
    same_file_batch: int | None = None
    campaign_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.needs is None

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def duplicates(self) -> int:
        return int(self.frame["stored_in"].notna().sum()) if "stored_in" in self.frame else 0

    @property
    def new_rows(self) -> pd.DataFrame:
        return self.frame[self.frame["stored_in"].isna()] if "stored_in" in self.frame else self.frame

    @property
    def unmatched(self) -> int:
        return int(self.frame["campaign_id"].isna().sum()) if "campaign_id" in self.frame else 0

    def totals(self) -> dict[str, object]:
        """Sums of the additive measures over the new rows (money per currency), as the platform's own total
        row would show them."""
        f = self.new_rows
        out: dict[str, object] = {m: int(f[m].sum()) for m in facts.ADDITIVE if m not in facts.MONEY}
        out["conversions"] = round(float(f["conversions"].sum()), 6) if len(f) else 0.0
        for m in facts.MONEY:
            out[m] = {str(c): int(v) for c, v in f.groupby("currency")[m].sum().items() if v} if len(f) else {}
        return out


@dataclass(frozen=True)
class Imported:
    batch_id: int
    written: int
    duplicates: int
    skipped: int
    unmatched: int


def has_workspace(c: Container) -> bool:
    """Whether there is a workspace to import into (a fresh installation has none until one is made)."""
    with c.uow() as uow:
        return uow.workspaces.current() is not None


def _campaign_of(uow, ws, campaign_id: int):
    """The workspace's campaign, or ImportRejected (no_such_campaign)."""
    k = uow.campaigns.get(campaign_id)
    if k is None or k.workspace_id != ws.id:
        raise ImportRejected([problem("", "no_such_campaign", campaign=campaign_id)])
    return k


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise ImportRejected([problem("", "no_workspace")])
    return ws


@requires(Permission.IMPORT_METRICS)
def preview(
    c: Container,
    actor: Actor,
    name: str,
    raw: bytes,
    source: str = "auto",
    campaign_id: int | None = None,
    date_order: str | None = None,
    mapping: dict[str, str] | None = None,
    mapping_name: str | None = None,
    currency: str | None = None,
) -> Preview:
    """Reads ``raw`` and says what an import would write; writes nothing."""
    sha = hashlib.sha256(raw).hexdigest()
    with c.uow() as uow:
        ws = _workspace(uow)
        saved_options: dict = {}
        if mapping_name:
            saved = uow.measure.mapping_by_name(ws.id, mapping_name)
            if saved is None:
                return Preview(name, sha, source, _empty(), [problem(name, "no_such_mapping", mapping=mapping_name)])
            mapping, saved_options, source = dict(saved.mapping), dict(saved.options), "mapping"
        chosen = uow.campaigns.get(campaign_id) if campaign_id is not None else None
        if campaign_id is not None and (chosen is None or chosen.workspace_id != ws.id):
            return Preview(name, sha, source, _empty(), [problem(name, "no_such_campaign", campaign=campaign_id)])
        options = ReadOptions(
            date_order=date_order or saved_options.get("date_order"),
            currency=currency or saved_options.get("currency") or ws.currency,
            mapping=mapping,
            date_format=saved_options.get("date_format"),
            hasher=lambda value, salt=ws.salt: customer_hash(salt, value),
        )
        result = registry.read(name, raw, source, options)
        if source == "auto" and [p.code for p in result.problems] == ["unknown_layout"]:
            known = _saved_mapping_for(uow, ws.id, name, raw)
            if known is not None:  # the same layout came back: read it as it was mapped last time
                opts = dict(known.options)
                options = replace(
                    options,
                    mapping=dict(known.mapping),
                    date_order=date_order or opts.get("date_order"),
                    date_format=opts.get("date_format"),
                    currency=currency or opts.get("currency") or ws.currency,
                )
                result = registry.read(name, raw, "mapping", options)
                result.info["mapping"] = known.name
        pv = Preview(name, sha, result.source, result.frame, list(result.problems), result.skipped, result.info)
        pv.needs, pv.campaign_id = result.needs, campaign_id
        if not result.ok:
            return pv
        now = c.clock()
        pv.problems += _checks(name, _odd_days(result.frame, ws.timezone, now), ws.timezone, now)
        same = uow.measure.live_batch_of_file(ws.id, sha)
        pv.same_file_batch = same.id if same else None
        world = _world(uow, ws.id)
        pv.frame = _prepare(result.frame, world, campaign_id)
        stored = _stored(uow, ws.id, pv.frame)
        pv.frame["stored_in"] = pv.frame["row_key"].map(stored).astype("Int64")
    return pv


def _saved_mapping_for(uow, ws_id: int, name: str, raw: bytes):
    try:
        doc = open_document(name, raw)
    except DocumentError:
        return None
    return uow.measure.mapping_by_signature(ws_id, mapping_reader.layout_signature(mapping_reader.columns(doc)))


def _stored(uow, ws_id: int, frame: pd.DataFrame) -> dict[int, int]:
    """row_key -> batch of the rows already stored. A row key includes the row's source, so when the
    workspace holds no fact of the file's sources, no key is looked up (the first import of a large file)."""
    sources = [str(s) for s in frame["source"].unique()] if len(frame) else []
    if not any(uow.measure.has_facts(ws_id, s) for s in sources):
        return {}
    return uow.measure.existing_keys(ws_id, frame["row_key"].tolist())


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in facts.COLUMNS})


def _checks(name: str, frame: pd.DataFrame, tz: str, now: datetime) -> list[Problem]:
    """What a reader cannot know: days in the future (in the workspace's zone) or implausibly old."""
    out: list[Problem] = []
    today = now.astimezone(ZoneInfo(tz)).date()
    days = frame["day"]
    late = days.map(lambda d: d is not None and d > today + timedelta(days=MAX_FUTURE_DAYS))
    for r, d in zip(frame.loc[late, "_row"][:50], days[late][:50], strict=False):
        out.append(problem(name, "future_date", int(r), None, day=d.isoformat()))
    early = days.map(lambda d: d is not None and d < FIRST_DAY)
    for r, d in zip(frame.loc[early, "_row"][:50], days[early][:50], strict=False):
        out.append(problem(name, "old_date", int(r), None, day=d.isoformat()))
    return out


def _odd_days(frame: pd.DataFrame, tz: str, now: datetime) -> pd.DataFrame:
    """The rows ``_checks`` names (days in the future or too old), found once per distinct day: ``_checks`` of
    them says what ``_checks`` of the whole frame says, without a Python call per row."""
    codes, days = pd.factorize(frame["day"], use_na_sentinel=True)
    today = now.astimezone(ZoneInfo(tz)).date()
    odd = [d is not None and (d > today + timedelta(days=MAX_FUTURE_DAYS) or d < FIRST_DAY) for d in days]
    return frame[np.array([*odd, False], dtype=bool)[codes]]


def _world(uow, ws_id: int) -> matching.World:
    w = matching.World()
    w.campaigns = {k.id: k.name for k in uow.campaigns.all(ws_id)}
    w.rules = [
        matching.Rule(r.field, r.op, r.value, r.campaign_id, r.source, r.partner_id) for r in uow.measure.rules(ws_id)
    ]
    for post, account in uow.measure.published_posts(ws_id):
        w.posts[post.external_id] = matching.PostRef(post.id, post.campaign_id, account.id, account.channel)
    w.codes = {matching.code_key(code): cid for code, cid in uow.measure.campaign_codes(ws_id)}
    for code, partner_id, campaign_id in uow.deals.tracking_codes(ws_id):  # a KOL deal's code: link and coupon
        if code_key := matching.code_key(code):
            w.partner_codes[code_key] = partner_id
            w.partner_code_campaigns[code_key] = campaign_id
    for a in uow.channel_accounts.all(ws_id):
        w.accounts[matching.fold(a.name)] = (a.id, a.channel)
        w.accounts.setdefault(matching.fold(a.name).lstrip("@"), (a.id, a.channel))
    for p in uow.partners.all(ws_id):
        w.partners[matching.fold(p.handle)] = p.id
        w.partners.setdefault(matching.fold(p.name), p.id)
    return w


def _prepare(frame: pd.DataFrame, world: matching.World, campaign_id: int | None) -> pd.DataFrame:
    out = frame.reset_index(drop=True)
    ties = matching.match(out, world, campaign_id)
    for col in ties.columns:
        out[col] = ties[col].values
    out["row_key"] = row_keys(out)
    return out


def row_keys(frame: pd.DataFrame, chunk: int = 200_000) -> pd.Series:
    """``facts.key_of`` of each row, with the row's place among rows of the same key in the file (two ads with
    the same name on the same day are two rows, and the same file read again gives the same keys).

    Worked out a column at a time: rows are grouped by the codes of their fields' values, the key's text
    (the fields joined by ``\\x1f``, as ``key_of`` joins them) is built by Arrow a chunk of rows at a time,
    and only the hashing runs once per row in Python."""
    dims = {k: frame[k].astype("str") for k in facts.KEY_FIELDS if k != "day"}
    if any(d.hasnans for d in dims.values()):
        return _row_keys_one_by_one(frame)
    dims["entity"] = _with_content(dims["entity"], frame)
    day_codes, days = pd.factorize(frame["day"], use_na_sentinel=True)
    iso = np.array([d.isoformat() for d in days] + [""], dtype=object)  # code -1 (no day) is the last
    dims["day"] = pd.Series(iso[day_codes], index=frame.index, dtype="str")
    codes = [pd.factorize(dims[k])[0] for k in facts.KEY_FIELDS]
    occurrence = pd.Series(np.zeros(len(frame))).groupby(codes, sort=False).cumcount().to_numpy()
    del codes
    sep = pa.scalar(_SEP, pa.large_string())
    keys = []
    for start in range(0, len(frame), chunk):
        parts = [_large(pa.array(dims[k].iloc[start : start + chunk])) for k in facts.KEY_FIELDS]
        parts.append(pa.array(occurrence[start : start + chunk]).cast(pa.large_string()))
        keys.append(_blake2b_keys(pc.binary_join_element_wise(*parts, sep)))
    return pd.Series(np.concatenate(keys) if keys else [], index=frame.index, dtype="int64")


_SEP = "\x1f"


def _large(arr) -> pa.LargeStringArray:
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _blake2b_keys(text) -> np.ndarray:
    """``facts.key_of``'s hash of each UTF-8 text: the first 8 bytes of BLAKE2b, big-endian, signed."""
    out = []
    for chunk in text.chunks if isinstance(text, pa.ChunkedArray) else [text]:
        if not len(chunk):
            continue
        _, offsets, data = chunk.buffers()
        at = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1].tolist()
        body = memoryview(data)
        digest = hashlib.blake2b
        out.append(b"".join([digest(body[a:b], digest_size=8).digest() for a, b in zip(at, at[1:], strict=False)]))
    return np.frombuffer(b"".join(out), dtype=">i8").astype(np.int64)


def _with_content(entity: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """The entity as the key sees it: with the row's ``utm_content`` (a KOL partner's tracking code) when it has
    one, so two partners' GA4 rows of one day, source and campaign stay two rows whatever order a later export
    lists them in. Not for orders: an order's id is its identity, and order files read before ``utm_content``
    was kept must keep their keys. Rows without one keep the key they always had."""
    if "utm_content" not in frame.columns:
        return entity
    content = frame["utm_content"].fillna("").astype("str")
    extra = (content != "") & (frame["source"].astype("str") != "orders")
    if not extra.any():
        return entity
    return entity.where(~extra, entity + "\x1e" + content)


def _row_keys_one_by_one(frame: pd.DataFrame) -> pd.Series:
    dims = frame[list(facts.KEY_FIELDS)].astype("str")
    dims["entity"] = _with_content(dims["entity"], frame)
    dims["day"] = frame["day"].map(lambda d: d.isoformat() if d is not None else "")
    occurrence = dims.groupby(list(facts.KEY_FIELDS), sort=False).cumcount()
    tuples = zip(*(dims[k] for k in facts.KEY_FIELDS), occurrence, strict=True)
    return pd.Series([facts.key_of(t) for t in tuples], index=frame.index, dtype="int64")


_FACT_TEXT = {
    "account": "account",
    "campaign": "campaign_name",
    "entity": "entity",
    "post_id": "external_post_id",
    "utm_source": "utm_source",
    "utm_medium": "utm_medium",
    "utm_campaign": "utm_campaign",
    "utm_content": "utm_content",
    "code": "code",
    "currency": "currency",
    "attribution": "attribution",
    "customer_hash": "customer_hash",
}
_LIMITS = {
    "account": 200,
    "campaign_name": 200,
    "entity": 300,
    "external_post_id": 64,
    "utm_source": 100,
    "utm_medium": 100,
    "utm_campaign": 200,
    "utm_content": 100,
    "code": 64,
    "currency": 3,
    "attribution": 64,
    "customer_hash": 64,
}


def _fact_rows(frame: pd.DataFrame, ws_id: int, batch_id: int, chunk: int = 100_000):
    """The facts table's columns for ``frame`` (plain Python values; a column holding one value is given as
    that value), with the number of rows, a chunk at a time: a million rows never sit in memory as Python
    objects at once, and no Python loop runs per row and column.

    Rows go in by campaign and day: a campaign's rows then sit together in the table, where rebuilding its
    rollup reads them, and the campaign and day index grows at its ends."""
    campaign = frame["campaign_id"].astype("Int64").fillna(-1).to_numpy(dtype="int64")
    order = np.lexsort((pd.factorize(frame["day"], sort=True)[0], campaign))
    for start in range(0, len(frame), chunk):
        part = frame.take(order[start : start + chunk])
        cols: dict[str, object] = {
            "workspace_id": ws_id,
            "batch_id": batch_id,
            "row_key": part["row_key"].to_numpy(dtype="int64").tolist(),
            "source": _texts(part["source"]),
            "day": part["day"].tolist(),
            "channel": _texts(part["channel"], 32),
        }
        for name, col in (("campaign_id",) * 2, ("account_id",) * 2, ("partner_id",) * 2, ("post_id", "post_fk")):
            cols[name] = _ids(part[col])
        for src, dst in _FACT_TEXT.items():
            cols[dst] = _texts(part[src], _LIMITS[dst])
        for m in (*facts.COUNTS, *facts.MONEY):
            cols[m] = part[m].astype("int64").tolist()
        cols["conversions"] = part["conversions"].astype("float64").tolist()
        yield cols, len(part)


def _spans(frame: pd.DataFrame) -> list[tuple[int, date, date]]:
    """(campaign, first day, last day) of the rows tied to a campaign, as ``MeasureRepo.batch_spans`` gives them
    for the batch these rows become."""
    tied = frame[frame["campaign_id"].notna()]
    if not len(tied):
        return []
    codes, days = pd.factorize(tied["day"], sort=True)
    by = pd.Series(codes).groupby(tied["campaign_id"].astype("int64").to_numpy()).agg(["min", "max"])
    return [(int(cid), days[lo], days[hi]) for cid, lo, hi in by.itertuples()]


def _reporting(chunks, total: int, progress: Callable[[float], None] | None):
    """The chunks, telling ``progress`` how far the writing is once each has been written."""
    done = 0
    for columns, rows in chunks:
        yield columns, rows
        done += rows
        if progress and total:
            progress(min(1.0, done / total) * 0.9)


def _texts(col: pd.Series, limit: int | None = None) -> list | str:
    """``col.astype("str").str.slice(0, limit).tolist()``, worked out once per distinct value (a column has
    few); the value itself when every row holds the same."""
    codes, uniques = pd.factorize(col.astype("str"), use_na_sentinel=False)
    values = pd.Series(uniques, dtype="str")
    if limit is not None:
        values = values.str.slice(0, limit)
    values = values.tolist()
    if len(values) == 1:
        return values[0]
    return np.array(values + [None], dtype=object)[:-1][codes].tolist()


def _ids(col: pd.Series) -> list | None:
    """Nullable ids as Python ints and None."""
    if isinstance(col.dtype, pd.Int64Dtype):
        if col.isna().all():
            return None
        return col.to_numpy(dtype=object, na_value=None).tolist()
    return [None if pd.isna(v) else int(v) for v in col]


@requires(Permission.IMPORT_METRICS)
def commit(c: Container, actor: Actor, pv: Preview, progress: Callable[[float], None] | None = None) -> Imported:
    """Writes a clean preview as one batch. Rows stored meanwhile by another import are skipped again."""
    if not pv.ok:
        raise ImportRejected(pv.problems or [problem(pv.file, f"needs_{pv.needs}")])
    new = pv.new_rows if pv.duplicates else pv.frame  # (no copy of a million rows when none is stored)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        stored = _stored(uow, ws.id, new)
        if stored:
            new = new[~new["row_key"].isin(stored.keys())]
        days = [d for d in new["day"] if d is not None]
        batch = uow.measure.add_batch(
            ImportBatch(
                workspace_id=ws.id,
                source=pv.source,
                filename=pv.file[:255],
                file_sha256=pv.sha256,
                campaign_id=pv.campaign_id,
                rows_read=pv.rows + len(pv.skipped),
                rows_written=len(new),
                rows_skipped=len(pv.skipped),
                rows_duplicate=pv.rows - len(new),
                day_min=min(days) if days else None,
                day_max=max(days) if days else None,
                info={k: str(v) for k, v in pv.info.items()},
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        written = uow.measure.insert_fact_columns(_reporting(_fact_rows(new, ws.id, batch.id), len(new), progress))
        uow.measure.rebuild_rollup(_spans(new))  # what batch_spans(batch) would say, without reading it back
        if progress:
            progress(1.0)
        unmatched = int(new["campaign_id"].isna().sum())
        audit.record_in(
            uow,
            c,
            actor.who,
            "metrics_imported",
            entity=f"import_batch:{batch.id}",
            detail=f"{pv.file} ({pv.source}): {written} rows, {pv.rows - len(new)} already stored, "
            f"{len(pv.skipped)} skipped, {unmatched} unassigned",
            source=actor.source,
        )
    return Imported(batch.id, written, pv.rows - len(new), len(pv.skipped), unmatched)


@requires(Permission.IMPORT_METRICS)
def undo(c: Container, actor: Actor, batch_id: int) -> int:
    """Removes a batch's rows (and their share of every chart); the batch stays listed as undone."""
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        batch = uow.measure.batch(batch_id)
        if batch is None or batch.workspace_id != ws.id:
            raise ImportRejected([problem("", "no_such_batch", batch=batch_id)])
        if batch.undone_at is not None:
            raise ImportRejected([problem(batch.filename, "already_undone", batch=batch_id)])
        spans = uow.measure.delete_batch_facts(batch.id)
        uow.measure.rebuild_rollup(spans)
        batch.undone_at, batch.undone_by = c.clock(), actor.email
        audit.record_in(
            uow,
            c,
            actor.who,
            "metrics_import_undone",
            entity=f"import_batch:{batch.id}",
            detail=f"{batch.filename}: {batch.rows_written} rows",
            source=actor.source,
        )
        return batch.rows_written


@requires(Permission.VIEW_DASHBOARDS)
def batches(c: Container, actor: Actor, limit: int = 200) -> list[ImportBatch]:
    with c.uow() as uow:
        return uow.measure.batches(_workspace(uow).id, limit)


@dataclass(frozen=True)
class Unassigned:
    source: str
    campaign: str
    utm_campaign: str
    code: str
    account: str
    rows: int
    spend_minor: int
    first: date
    last: date


@requires(Permission.VIEW_DASHBOARDS)
def unassigned(c: Container, actor: Actor) -> list[Unassigned]:
    with c.uow() as uow:
        return [Unassigned(*row) for row in uow.measure.unassigned(_workspace(uow).id)]


@requires(Permission.IMPORT_METRICS)
def assign(c: Container, actor: Actor, group: Unassigned, campaign_id: int, remember: bool = True) -> int:
    """Ties a group of unassigned rows to a campaign and, with ``remember``, saves the rule that ties the next
    file's rows the same way (on the group's most specific value: code, utm campaign, campaign name, account)."""
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        _campaign_of(uow, ws, campaign_id)
        where = {
            "source": group.source,
            "campaign_name": group.campaign,
            "utm_campaign": group.utm_campaign,
            "code": group.code,
            "account": group.account,
        }
        spans = uow.measure.assign(ws.id, where, campaign_id, None)
        uow.measure.rebuild_rollup(spans)
        if remember:
            field_, value = next(
                (
                    (f, v)
                    for f, v in (
                        ("code", group.code),
                        ("utm_campaign", group.utm_campaign),
                        ("campaign", group.campaign),
                        ("account", group.account),
                    )
                    if v
                ),
                (None, ""),
            )
            if field_ and uow.measure.find_rule(ws.id, group.source, field_, "equals", matching.fold(value)) is None:
                uow.measure.add(_rule(ws.id, group.source, field_, "equals", value, campaign_id, actor, c))
        audit.record_in(
            uow,
            c,
            actor.who,
            "metrics_assigned",
            entity=f"campaign:{campaign_id}",
            detail=f"{group.source} {group.campaign or group.utm_campaign or group.code}: {group.rows} rows",
            source=actor.source,
        )
        return group.rows


def _rule(ws_id, source, field_, op, value, campaign_id, actor, c, partner_id=None) -> MatchRule:
    return MatchRule(
        workspace_id=ws_id,
        source=source,
        field=field_,
        op=op,
        value=matching.fold(value)[:200],
        campaign_id=campaign_id,
        partner_id=partner_id,
        created_by=actor.email,
        created_at=c.clock(),
    )


@requires(Permission.IMPORT_METRICS)
def add_rule(c: Container, actor: Actor, field_: str, op: str, value: str, campaign_id: int, source: str = "") -> int:
    """A rule for the next imports (and the rows already stored without a campaign)."""
    problems = []
    if field_ not in matching.RULE_FIELDS:
        problems.append(problem("", "rule_field", field=field_))
    if op not in matching.RULE_OPS:
        problems.append(problem("", "rule_op", op=op))
    if not value.strip():
        problems.append(problem("", "rule_value"))
    if source and source not in facts.SOURCES:
        problems.append(problem("", "unknown_source", source=source))
    if problems:
        raise ImportRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        _campaign_of(uow, ws, campaign_id)
        if uow.measure.find_rule(ws.id, source, field_, op, matching.fold(value)):
            raise ImportRejected([problem("", "rule_exists")])
        rule = uow.measure.add(_rule(ws.id, source, field_, op, value, campaign_id, actor, c))
        tied = _apply(uow, ws.id, rule)
        audit.record_in(
            uow,
            c,
            actor.who,
            "metrics_rule_added",
            entity=f"rule:{rule.id}",
            detail=f"{source or '*'} {field_} {op} {value!r} -> campaign {campaign_id}; {tied} stored rows tied",
            source=actor.source,
        )
        return rule.id


_RULE_COLUMN = {
    "campaign": "campaign_name",
    "utm_campaign": "utm_campaign",
    "code": "code",
    "account": "account",
    "entity": "entity",
}


def _apply(uow, ws_id: int, rule: MatchRule) -> int:
    """Ties the stored rows without a campaign that ``rule`` matches (decided as imports decide: folded text)."""
    column = _RULE_COLUMN[rule.field]
    tied, spans = 0, []
    for source, text, n in uow.measure.unassigned_values(ws_id, column, rule.source or None):
        folded = matching.fold(text)
        if folded and (folded == rule.value if rule.op == "equals" else rule.value in folded):
            spans += uow.measure.assign(ws_id, {"source": source, column: text}, rule.campaign_id, rule.partner_id)
            tied += n
    uow.measure.rebuild_rollup(spans)
    return tied


@requires(Permission.VIEW_DASHBOARDS)
def rules(c: Container, actor: Actor) -> list[MatchRule]:
    with c.uow() as uow:
        return uow.measure.rules(_workspace(uow).id)


@requires(Permission.IMPORT_METRICS)
def remove_rule(c: Container, actor: Actor, rule_id: int) -> None:
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        rule = uow.measure.rule(rule_id)
        if rule is None or rule.workspace_id != ws.id:
            raise ImportRejected([problem("", "no_such_rule", rule=rule_id)])
        uow.measure.remove(rule)
        audit.record_in(uow, c, actor.who, "metrics_rule_removed", entity=f"rule:{rule_id}", source=actor.source)

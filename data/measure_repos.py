"""Measure's queries: import batches, facts written in bulk, the rollup rebuilt in SQL, match rules, saved
mappings, and the grouped sums the dashboards read."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import islice, repeat

from sqlalchemy import and_, delete, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from data.models import ChannelAccount, CouponBatch, CouponCode, MetricDaily, OfferRow, Post
from data.models_measure import ImportBatch, ImportMapping, MatchRule, MetricFact

CHUNK = 20_000
KEY_CHUNK = 5_000
BULK_CACHE_KIB = 64 * 1024  # SQLite's page cache while a large batch goes in (the default is 2 MB)

ROLLUP_DIMS = (
    "workspace_id",
    "campaign_id",
    "source",
    "channel",
    "account_id",
    "partner_id",
    "post_id",
    "day",
    "currency",
)
ROLLUP_SUMS = (
    "impressions",
    "engagements",
    "clicks",
    "conversions",
    "orders",
    "video_views",
    "sessions",
    "revenue_minor",
    "spend_minor",
)
GROUPS = {"day", "source", "channel", "account_id", "partner_id", "post_id", "campaign_id", "currency"}


def _literal(kind, dialect, value) -> str | None:
    """``value`` as SQL text for a statement, when it is a plain value SQLAlchemy renders safely (no NUL, no
    float that is not a number); None otherwise (it is bound)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and ("\x00" in value or len(value) > 1000):
        return None
    render = kind.literal_processor(dialect)
    return render(value) if render else None


class MeasureRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    # batches
    def add_batch(self, batch: ImportBatch) -> ImportBatch:
        self.s.add(batch)
        self.s.flush()
        return batch

    def batch(self, batch_id: int) -> ImportBatch | None:
        return self.s.get(ImportBatch, batch_id)

    def batches(self, workspace_id: int, limit: int = 200) -> list[ImportBatch]:
        q = (
            select(ImportBatch)
            .where(ImportBatch.workspace_id == workspace_id)
            .order_by(ImportBatch.id.desc())
            .limit(limit)
        )
        return list(self.s.execute(q).scalars())

    def live_batch_of_file(self, workspace_id: int, sha256: str) -> ImportBatch | None:
        q = select(ImportBatch).where(
            ImportBatch.workspace_id == workspace_id,
            ImportBatch.file_sha256 == sha256,
            ImportBatch.undone_at.is_(None),
        )
        return self.s.execute(q.order_by(ImportBatch.id)).scalars().first()

    # facts
    def existing_keys(self, workspace_id: int, keys: Sequence[int]) -> dict[int, int]:
        """row_key -> batch id, for the keys already stored in the workspace."""
        found: dict[int, int] = {}
        for i in range(0, len(keys), KEY_CHUNK):
            part = list(keys[i : i + KEY_CHUNK])
            q = select(MetricFact.row_key, MetricFact.batch_id).where(
                MetricFact.workspace_id == workspace_id, MetricFact.row_key.in_(part)
            )
            found.update({k: b for k, b in self.s.execute(q).all()})
        return found

    def has_facts(self, workspace_id: int, source: str) -> bool:
        """Whether the workspace holds any fact of ``source`` (a row key includes its source, so a file of a
        source the workspace has never stored cannot repeat a stored row). A batch's facts are of the batch's
        source (an import writes the rows its reader read, under the reader's source), so this asks the
        workspace's batches of that source whether one still has a row: no index on the facts' source to keep
        up while a million rows go in."""
        b, f = ImportBatch, MetricFact
        rows = select(f.id).where(f.batch_id == b.id).exists()
        q = select(b.id).where(b.workspace_id == workspace_id, b.source == source, rows)
        return self.s.execute(q.limit(1)).first() is not None

    def insert_fact_columns(self, chunks: Iterable[tuple[dict[str, list | object], int]]) -> int:
        """Facts given a chunk of rows at a time, column by column: ``({column: a list of plain Python
        values, or one value for every row of the chunk}, number of rows)``.

        Built for a million rows: each column type's bind processing runs once per distinct value; a value
        shared by every row is written into the statement once (as SQLAlchemy renders literals) rather than
        bound a million times; the rows reach the driver's executemany as tuples, with no ORM object and no
        dict per row; on SQLite the connection's page cache is enlarged while the rows go in, so that the
        indexes' pages are not written out and read back again and again."""
        conn = self.s.connection()
        dialect = conn.dialect
        table = MetricFact.__table__
        marker = "?" if dialect.paramstyle == "qmark" else "%s"  # sqlite3; psycopg
        quote = dialect.identifier_preparer.quote
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar() if dialect.name == "sqlite" else None
        if cache is not None:
            conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        written = 0
        try:
            for columns, rows in chunks:
                names, cells, values = list(columns), [], []
                for name in names:
                    col, kind = columns[name], table.c[name].type.dialect_impl(dialect)
                    process = kind.bind_processor(dialect)
                    if isinstance(col, list):
                        if process:
                            seen: dict = {}
                            col = [seen[v] if v in seen else seen.setdefault(v, process(v)) for v in col]
                        cells.append(marker)
                        values.append(col)
                    elif (literal := _literal(kind, dialect, col)) is not None:
                        cells.append(literal)
                    else:
                        cells.append(marker)
                        values.append(repeat(process(col) if process and col is not None else col, rows))
                sql = (
                    f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                    f"VALUES ({', '.join(cells)})"
                )
                tuples = zip(*values, strict=True) if values else repeat((), rows)
                while part := list(islice(tuples, CHUNK)):
                    conn.exec_driver_sql(sql, part)
                    written += len(part)
        finally:
            if cache is not None:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
        return written

    def insert_facts(self, rows: Iterable[dict]) -> int:
        """Many rows, one executemany per chunk (no ORM objects): the way a million rows stay fast."""
        n = 0
        chunk: list[dict] = []
        table = MetricFact.__table__
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self.s.execute(insert(table), chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            self.s.execute(insert(table), chunk)
            n += len(chunk)
        return n

    def delete_batch_facts(self, batch_id: int) -> list[tuple[int, date, date]]:
        """Deletes a batch's facts; returns (campaign, first day, last day) for each campaign it touched."""
        spans = self.campaign_spans(MetricFact.batch_id == batch_id)
        self.s.execute(delete(MetricFact).where(MetricFact.batch_id == batch_id))
        return spans

    def batch_spans(self, batch_id: int) -> list[tuple[int, date, date]]:
        return self.campaign_spans(MetricFact.batch_id == batch_id)

    def published_posts(self, workspace_id: int) -> list[tuple[Post, ChannelAccount]]:
        """Posts that went out and carry the platform's id, to tie a platform's post rows to them."""
        q = (
            select(Post, ChannelAccount)
            .join(ChannelAccount, Post.channel_account_id == ChannelAccount.id)
            .where(Post.workspace_id == workspace_id, Post.external_id.is_not(None), Post.external_id != "")
        )
        return [(p, a) for p, a in self.s.execute(q).all()]

    def campaign_codes(self, workspace_id: int) -> list[tuple[str, int]]:
        """(coupon code, campaign) for codes whose batch's offer belongs to a campaign."""
        q = (
            select(CouponCode.code, OfferRow.campaign_id)
            .join(CouponBatch, CouponCode.batch_id == CouponBatch.id)
            .join(
                OfferRow, and_(OfferRow.workspace_id == CouponBatch.workspace_id, OfferRow.key == CouponBatch.offer_key)
            )
            .where(CouponCode.workspace_id == workspace_id, OfferRow.campaign_id.is_not(None))
        )
        return [(code, cid) for code, cid in self.s.execute(q).all()]

    def campaign_spans(self, *where) -> list[tuple[int, date, date]]:
        q = (
            select(MetricFact.campaign_id, func.min(MetricFact.day), func.max(MetricFact.day))
            .where(MetricFact.campaign_id.is_not(None), *where)
            .group_by(MetricFact.campaign_id)
        )
        return [(c, a, b) for c, a, b in self.s.execute(q).all()]

    def rebuild_rollup(self, spans: Iterable[tuple[int, date, date]]) -> None:
        """The rollup rows of each campaign between its two days, recomputed from the facts, in SQL."""
        f = MetricFact
        sums = [func.sum(getattr(f, m)) for m in ROLLUP_SUMS]
        for campaign_id, first, last in spans:
            self.s.execute(
                delete(MetricDaily).where(
                    MetricDaily.campaign_id == campaign_id, MetricDaily.day >= first, MetricDaily.day <= last
                )
            )
            dims = [getattr(f, d) for d in ROLLUP_DIMS]
            source = (
                select(*dims, *sums).where(f.campaign_id == campaign_id, f.day >= first, f.day <= last).group_by(*dims)
            )
            self.s.execute(insert(MetricDaily).from_select([*ROLLUP_DIMS, *ROLLUP_SUMS], source))

    # unassigned rows and rules
    def unassigned(self, workspace_id: int, limit: int = 500) -> list[tuple]:
        """Facts without a campaign, grouped by what could tie them to one: (source, campaign name, utm
        campaign, code, account, rows, spend, first day, last day)."""
        f = MetricFact
        keys = (f.source, f.campaign_name, f.utm_campaign, f.code, f.account)
        q = (
            select(*keys, func.count(), func.sum(f.spend_minor), func.min(f.day), func.max(f.day))
            .where(f.workspace_id == workspace_id, f.campaign_id.is_(None))
            .group_by(*keys)
            .order_by(func.count().desc())
            .limit(limit)
        )
        return [tuple(r) for r in self.s.execute(q).all()]

    def unassigned_values(self, workspace_id: int, column: str, source: str | None) -> list[tuple[str, str, int]]:
        """(source, value, rows) of one text column over the facts without a campaign."""
        f = MetricFact
        col = getattr(f, column)
        q = select(f.source, col, func.count()).where(f.workspace_id == workspace_id, f.campaign_id.is_(None))
        if source:
            q = q.where(f.source == source)
        return [(s, v, n) for s, v, n in self.s.execute(q.group_by(f.source, col)).all()]

    def assign(self, workspace_id: int, where: dict[str, str], campaign_id: int, partner_id: int | None) -> list:
        """Ties the unassigned facts matching ``where`` (column -> exact value) to a campaign."""
        f = MetricFact
        cond = and_(
            f.workspace_id == workspace_id, f.campaign_id.is_(None), *[getattr(f, k) == v for k, v in where.items()]
        )
        values = {"campaign_id": campaign_id} | ({"partner_id": partner_id} if partner_id else {})
        self.s.execute(update(f).where(cond).values(**values))
        return self.campaign_spans(
            f.workspace_id == workspace_id,
            f.campaign_id == campaign_id,
            *[getattr(f, k) == v for k, v in where.items()],
        )

    def rules(self, workspace_id: int) -> list[MatchRule]:
        q = select(MatchRule).where(MatchRule.workspace_id == workspace_id).order_by(MatchRule.id)
        return list(self.s.execute(q).scalars())

    def rule(self, rule_id: int) -> MatchRule | None:
        return self.s.get(MatchRule, rule_id)

    def find_rule(self, workspace_id: int, source: str, field: str, op: str, value: str) -> MatchRule | None:
        q = select(MatchRule).where(
            MatchRule.workspace_id == workspace_id,
            MatchRule.source == source,
            MatchRule.field == field,
            MatchRule.op == op,
            MatchRule.value == value,
        )
        return self.s.execute(q).scalars().first()

    def add(self, obj):
        self.s.add(obj)
        self.s.flush()
        return obj

    def remove(self, obj) -> None:
        self.s.delete(obj)
        self.s.flush()

    # mappings
    def mappings(self, workspace_id: int) -> list[ImportMapping]:
        q = select(ImportMapping).where(ImportMapping.workspace_id == workspace_id).order_by(ImportMapping.name)
        return list(self.s.execute(q).scalars())

    def mapping_by_name(self, workspace_id: int, name: str) -> ImportMapping | None:
        q = select(ImportMapping).where(ImportMapping.workspace_id == workspace_id, ImportMapping.name == name)
        return self.s.execute(q).scalars().first()

    def mapping_by_signature(self, workspace_id: int, signature: str) -> ImportMapping | None:
        q = select(ImportMapping).where(
            ImportMapping.workspace_id == workspace_id, ImportMapping.signature == signature
        )
        return self.s.execute(q.order_by(ImportMapping.id.desc())).scalars().first()

    # what the dashboards read
    def sums(
        self,
        workspace_id: int,
        group_by: Sequence[str],
        campaign_ids: Sequence[int] | None = None,
        day_from: date | None = None,
        day_to: date | None = None,
        channels: Sequence[str] | None = None,
        sources: Sequence[str] | None = None,
    ) -> list[dict]:
        """Sums of the rollup grouped by ``group_by`` (of GROUPS), each a dict of the group's values and every
        additive measure. Ratios are computed from these sums by the caller, never summed."""
        m = MetricDaily
        bad = set(group_by) - GROUPS
        if bad:
            raise ValueError(f"cannot group by {sorted(bad)}")
        dims = [getattr(m, g) for g in group_by]
        q = select(*dims, *[func.coalesce(func.sum(getattr(m, s)), 0) for s in ROLLUP_SUMS]).where(
            m.workspace_id == workspace_id
        )
        if campaign_ids is not None:
            q = q.where(m.campaign_id.in_(list(campaign_ids)))
        if day_from is not None:
            q = q.where(m.day >= day_from)
        if day_to is not None:
            q = q.where(m.day <= day_to)
        if channels:
            q = q.where(m.channel.in_(list(channels)))
        if sources:
            q = q.where(m.source.in_(list(sources)))
        if dims:
            q = q.group_by(*dims).order_by(*dims)
        names = (*group_by, *ROLLUP_SUMS)
        return [dict(zip(names, row, strict=True)) for row in self.s.execute(q).all()]

    def last_days(self, workspace_id: int) -> dict[int, date]:
        q = (
            select(MetricDaily.campaign_id, func.max(MetricDaily.day))
            .where(MetricDaily.workspace_id == workspace_id)
            .group_by(MetricDaily.campaign_id)
        )
        return {cid: d for cid, d in self.s.execute(q).all()}

    def attributions(self, workspace_id: int, campaign_ids: Sequence[int]) -> dict[str, list[str]]:
        """The attribution settings each source's conversions were counted under.

        A million rows hold a handful of (source, attribution) pairs: each pair of the workspace is found by one
        probe of ``ix_metric_fact_attribution`` (the next pair after the last one found), then asked whether
        one of the campaigns has it; the cost follows the pairs, not the rows."""
        f = MetricFact
        positive = f.conversions > literal_column("0")  # as written in the index's WHERE, not a bound value
        conn = self.s.connection()
        ids = sorted(set(campaign_ids))
        pairs = select(f.source, f.attribution).where(f.workspace_id == workspace_id, positive)
        pairs = pairs.order_by(f.source, f.attribution).limit(1)
        out: dict[str, list[str]] = {}
        last = None
        while ids:
            row = None
            if last is not None:  # the next attribution of the same source (one index seek)
                row = conn.execute(pairs.where(f.source == last[0], f.attribution > last[1])).first()
            if row is None:  # else the first of the next source
                row = conn.execute(pairs if last is None else pairs.where(f.source > last[0])).first()
            if row is None:
                break
            last = (row[0], row[1])
            held = select(f.campaign_id).where(
                f.workspace_id == workspace_id, positive, f.source == last[0], f.attribution == last[1],
                f.campaign_id.in_(ids),
            )  # fmt: skip
            # (ordered as the index is, so that PostgreSQL reads the index rather than hoping a scan ends soon)
            if conn.execute(held.order_by(f.campaign_id).limit(1)).first() is not None:
                out.setdefault(last[0], []).append(last[1])
        return out

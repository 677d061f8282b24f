"""Measure: import batches, the canonical facts (one row per platform row and day, campaigns.facts), the
rules that tie facts to campaigns, and saved column mappings. ``metric_daily`` (data.models) is the rollup
the dashboards read, rebuilt from these facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Float, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from data.models import _json, _money, _utc


def _count() -> Field:
    return Field(default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0"))


class ImportBatch(SQLModel, table=True):
    """One imported file. Undoing it deletes its facts and keeps this row (``undone_at``) as history."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_ws_sha", "workspace_id", "file_sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    source: str = Field(max_length=32)
    filename: str = Field(max_length=255)
    file_sha256: str = Field(max_length=64)
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    rows_read: int = 0
    rows_written: int = 0
    rows_skipped: int = 0  # totals, summaries, blank lines
    rows_duplicate: int = 0  # already stored by an earlier batch
    day_min: date | None = None
    day_max: date | None = None
    info: dict = _json("{}")  # what the reader said: period, title, decimal comma, options chosen
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()
    undone_at: datetime | None = _utc(nullable=True)
    undone_by: str | None = Field(default=None, max_length=254)


class MetricFact(SQLModel, table=True):
    __tablename__ = "metric_fact"
    __table_args__ = (
        UniqueConstraint("workspace_id", "row_key"),
        Index("ix_metric_fact_campaign_day", "campaign_id", "day"),
        Index("ix_metric_fact_batch", "batch_id"),
        # the attribution settings of campaigns' conversions, found by a few index probes, not a scan
        Index(
            "ix_metric_fact_attribution",
            "workspace_id",
            "source",
            "attribution",
            "campaign_id",
            sqlite_where=text("conversions > 0"),
            postgresql_where=text("conversions > 0"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    batch_id: int = Field(foreign_key="import_batch.id", ondelete="CASCADE")
    row_key: int = Field(sa_column=Column(BigInteger(), nullable=False))  # campaigns.facts.key_of
    source: str = Field(max_length=32)
    day: date
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    channel: str = Field(max_length=32)
    account_id: int | None = Field(default=None, foreign_key="channel_account.id", ondelete="SET NULL")
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="SET NULL")
    account: str = Field(default="", max_length=200)
    campaign_name: str = Field(default="", max_length=200)
    entity: str = Field(default="", max_length=300)
    external_post_id: str = Field(default="", max_length=64)
    utm_source: str = Field(default="", max_length=100)
    utm_medium: str = Field(default="", max_length=100)
    utm_campaign: str = Field(default="", max_length=200)
    # not part of row_key (campaigns.facts.KEY_FIELDS); rows stored before it was read hold ""
    utm_content: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    code: str = Field(default="", max_length=64)
    currency: str = Field(default="", max_length=3)
    attribution: str = Field(default="", max_length=64)
    customer_hash: str = Field(default="", max_length=64)
    impressions: int = _count()
    reach: int = _count()
    engagements: int = _count()
    likes: int = _count()
    comments: int = _count()
    shares: int = _count()
    saves: int = _count()
    clicks: int = _count()
    video_views: int = _count()
    sessions: int = _count()
    orders: int = _count()
    spend_minor: int = _money()
    revenue_minor: int = _money()
    conversions: float = Field(default=0.0, sa_column=Column(Float(), nullable=False, server_default="0"))


class MatchRule(SQLModel, table=True):
    """Ties imported rows to a campaign (and optionally a KOL partner): ``field`` (campaign, utm_campaign,
    code, account, entity) ``op`` (equals, contains) ``value`` (case-folded); ``source`` "" for every
    platform. Assigning unmatched rows by hand saves an ``equals`` rule, so the next file is matched."""

    __tablename__ = "metric_match_rule"
    __table_args__ = (UniqueConstraint("workspace_id", "source", "field", "op", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    source: str = Field(default="", max_length=32)
    field: str = Field(max_length=32)
    op: str = Field(max_length=16)
    value: str = Field(max_length=200)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE")
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class ImportMapping(SQLModel, table=True):
    """A saved column mapping for the generic reader, found again by the layout's signature."""

    __tablename__ = "import_mapping"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        Index("ix_import_mapping_sig", "workspace_id", "signature"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    signature: str = Field(max_length=64)
    mapping: dict = _json("{}")  # canonical name -> the file's column
    options: dict = _json("{}")  # date_order, date_format, currency
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()

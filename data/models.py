"""Tables. Times are UTC (``UTCDateTime``); money is integer minor units + currency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, Float, Index, Text, UniqueConstraint, false, func
from sqlmodel import Field, SQLModel

from data.types import UTCDateTime

# Named constraints, so that later migrations can drop or alter them (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utc(**kw) -> Field:
    nullable = kw.pop("nullable", False)
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, **kw))


def _money(nullable: bool = False) -> Field:
    return Field(sa_column=Column(BigInteger(), nullable=nullable))


def _json(empty: str) -> Field:
    """A JSON value; ``empty`` ("[]" or "{}") is what rows that predate the column hold."""
    return Field(
        default_factory=lambda: [] if empty == "[]" else {},
        sa_column=Column(JSON(), nullable=False, server_default=empty),
    )


class Meta(SQLModel, table=True):
    """Installation-wide facts, e.g. when the demo workspace was seeded."""

    __tablename__ = "festa_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1000)


class Workspace(SQLModel, table=True):
    __tablename__ = "workspace"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    created_at: datetime = _utc()
    salt: str = Field(max_length=64)  # hex; keys the hashes of customer identifiers
    # e-commerce windows that move from year to year (campaigns.calendar.Windows); None: the defaults
    calendar_windows: dict | None = Field(default=None, sa_column=Column(JSON(), nullable=True))
    # KOL tier thresholds {mega, macro, micro} in followers (campaigns.kol.Thresholds); None: the defaults
    kol_tiers: dict | None = Field(default=None, sa_column=Column(JSON(), nullable=True))


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"
    __table_args__ = (Index("ix_campaign_ws_status", "workspace_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=200)
    festival_key: str | None = Field(default=None, max_length=64)
    festival_region: str = Field(default="CN", max_length=8, sa_column_kwargs={"server_default": "CN"})
    objective: str = Field(max_length=32)
    status: str = Field(max_length=16)
    timezone: str = Field(max_length=64)
    starts_at: datetime = _utc()
    ends_at: datetime = _utc()  # inclusive
    budget_minor: int = _money()
    currency: str = Field(max_length=3)
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    segments: list = _json("[]")  # names: new, active, lapsed, vip or the workspace's own
    targets: dict = _json("{}")  # Target -> number (GMV in minor units, ROI as text of a decimal)


class CampaignPhase(SQLModel, table=True):
    __tablename__ = "campaign_phase"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    starts_at: datetime = _utc()
    ends_at: datetime = _utc()  # inclusive
    budget_minor: int = _money()
    targets: dict = _json("{}")


class CampaignBudget(SQLModel, table=True):
    """A planned budget line: a channel, a KOL partner (channel ``kol``) or the KOL pool."""

    __tablename__ = "campaign_budget"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE", index=True)
    channel: str = Field(max_length=32)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    amount_minor: int = _money()


class BudgetCommitment(SQLModel, table=True):
    """Money promised before it is spent: a KOL fee, a promotion's cost estimate, booked ad spend.
    ``source`` says which capability wrote it (``manual`` for the planner's own entries)."""

    __tablename__ = "budget_commitment"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE", index=True)
    channel: str = Field(max_length=32)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    day: date  # in the campaign's zone; places it in a phase
    amount_minor: int = _money()
    source: str = Field(max_length=16)
    note: str = Field(default="", max_length=200)
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()
    kol_deal_id: int | None = Field(default=None, foreign_key="kol_deal.id", ondelete="CASCADE", index=True)


class CampaignTemplate(SQLModel, table=True):
    """A campaign's shape saved by a planner (campaigns.templates.to_template)."""

    __tablename__ = "campaign_template"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=200)
    festival_key: str = Field(max_length=64)
    region: str = Field(max_length=8)
    objective: str = Field(max_length=32)
    phases: list = _json("[]")  # [{kind, first, last, share, name}]
    channels: list = _json("[]")  # [[channel, share]]
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class ChannelAccount(SQLModel, table=True):
    __tablename__ = "channel_account"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    connector: str = Field(max_length=32)
    channel: str = Field(max_length=32)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    credentials: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))  # Fernet token
    credentials_updated_at: datetime | None = _utc(nullable=True)
    max_per_hour: int | None = None  # Festa's own posting limits for the account (None: no limit)
    max_per_day: int | None = None
    max_lateness_minutes: int | None = None  # None: the channel's default (campaigns.dispatch)
    paused_until: datetime | None = _utc(nullable=True)  # rate-limit cool-down for this account
    needs_reauth: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    status_detail: str | None = Field(default=None, max_length=500)  # why it needs a person, if it does


class Partner(SQLModel, table=True):
    """A KOL partner (达人) with their accounts (data.models_kol.PartnerAccount). ``platform``/``handle``
    mirror the first account, which budget lines and imported metrics have named since before accounts."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=200)
    platform: str = Field(max_length=32)
    handle: str = Field(max_length=200)
    region: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    categories: list = _json("[]")
    tags: list = _json("[]")
    contact: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    notes: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    currency: str = Field(default="CNY", max_length=3, sa_column_kwargs={"server_default": "CNY"})
    rate_card: dict = _json("{}")  # campaigns.kol.Deliverable -> fee in minor units of ``currency``
    created_at: datetime = _utc(server_default=func.now())


class Post(SQLModel, table=True):
    """One post to one channel account: the dispatcher's unit of work (ARCHITECTURE.md)."""

    __tablename__ = "post"
    __table_args__ = (
        Index("ix_post_state_due", "state", "scheduled_at"),
        Index("ix_post_state_run", "state", "run_at"),
        Index("ix_post_ws_scheduled", "workspace_id", "scheduled_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL", index=True)
    phase_id: int | None = Field(default=None, foreign_key="campaign_phase.id", ondelete="SET NULL")
    channel_account_id: int = Field(foreign_key="channel_account.id", ondelete="CASCADE", index=True)
    group_key: str | None = Field(default=None, max_length=36, index=True)  # variants composed together
    series_key: str | None = Field(default=None, max_length=36)  # occurrences of one recurring post
    title: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    link: str | None = Field(default=None, max_length=2000)  # UTM-tagged when saved
    state: str = Field(max_length=16)
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # +1 on every edit
    timezone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    scheduled_at: datetime | None = _utc(nullable=True)  # the time the team chose (UTC)
    run_at: datetime | None = _utc(nullable=True)  # when the dispatcher may next try (retries move it)
    attempt: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = _utc(nullable=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    approved_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    approved_revision: int | None = None  # an approval holds for this revision only
    assignee: str | None = Field(default=None, max_length=200)  # who posts a hand-off (manual channels)
    external_id: str | None = Field(default=None, max_length=200)
    external_url: str | None = Field(default=None, max_length=2000)
    last_error: str | None = Field(default=None, max_length=1000)
    published_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime | None = _utc(nullable=True)


# The dashboards sum the rollup grouped by one of these and by source and currency, for some campaigns, days,
# channels and sources. One covering index per grouping, in its order: each sum reads only that index, in
# order, with no sort and no look-up of the table (data.measure_repos.MeasureRepo.sums).
_ROLLUP_SUMS = (
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
ROLLUP_READS = {
    name: tuple(dict.fromkeys(("workspace_id", *lead, "source", "currency", "campaign_id", "day", "channel")))
    + _ROLLUP_SUMS
    for name, lead in (
        ("source", ()),
        ("day", ("day",)),
        ("channel", ("channel",)),
        ("account", ("account_id",)),
        ("partner", ("partner_id",)),
        ("post", ("post_id",)),
        ("campaign", ("campaign_id",)),
    )
}


class MetricDaily(SQLModel, table=True):
    """The rollup the dashboards read: additive daily figures per campaign, source, channel, account, KOL
    partner and post, rebuilt from ``metric_fact`` (data.models_measure) for the days an import touches.
    Reach is not additive and is not here."""

    __tablename__ = "metric_daily"
    __table_args__ = (
        Index("ix_metric_campaign_day", "campaign_id", "day"),
        *(Index(f"ix_metric_daily_by_{name}", *columns) for name, columns in ROLLUP_READS.items()),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE")
    source: str = Field(default="seed", max_length=32, sa_column_kwargs={"server_default": "seed"})
    channel: str = Field(max_length=32)
    account_id: int | None = Field(default=None, foreign_key="channel_account.id", ondelete="SET NULL")
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="SET NULL")
    day: date
    impressions: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))
    engagements: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))
    clicks: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))
    conversions: float = Field(default=0.0, sa_column=Column(Float(), nullable=False))
    orders: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0"))
    video_views: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0"))
    sessions: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0"))
    revenue_minor: int = _money()
    spend_minor: int = _money()
    currency: str = Field(max_length=3)


class WorkerHeartbeat(SQLModel, table=True):
    __tablename__ = "worker_heartbeat"
    worker_id: str = Field(primary_key=True, max_length=200)
    hostname: str = Field(max_length=200)
    pid: int
    started_at: datetime = _utc()
    beat_at: datetime = _utc()
    ticks: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))
    last_problem: str | None = Field(default=None, max_length=1000)


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-case
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    password_hash: str | None = Field(default=None, max_length=200)  # argon2id; None: single sign-on only
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = _utc(nullable=True)
    must_change_password: bool = False
    created_at: datetime = _utc()
    last_login_at: datetime | None = _utc(nullable=True)


class UserSession(SQLModel, table=True):
    """A signed-in browser session. ``id`` is the SHA-256 of the session secret, never the secret."""

    __tablename__ = "user_session"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    method: str = Field(max_length=16)  # password | sso
    created_at: datetime = _utc()
    last_seen_at: datetime = _utc()
    expires_at: datetime = _utc()
    revoked_at: datetime | None = _utc(nullable=True)


class AuditEvent(SQLModel, table=True):
    """Append-only (database triggers refuse UPDATE and DELETE). Never holds secrets."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_at", "at"), Index("ix_audit_action", "action"))
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    actor: str = Field(max_length=254)  # e-mail, or "anonymous" / "system"
    actor_id: int | None = None  # no foreign key: the record outlives the account
    action: str = Field(max_length=64)  # OWASP-style names: authn_login_fail, authz_fail, ...
    entity: str = Field(default="", max_length=200)
    result: str = Field(max_length=16)  # success | failure | denied
    detail: str = Field(default="", max_length=2000)
    source: str = Field(max_length=16)  # console | cli | worker


class DataRetention(SQLModel, table=True):
    __tablename__ = "data_retention"
    dataset: str = Field(primary_key=True, max_length=64)
    days: int | None = None  # None: keep
    updated_at: datetime = _utc()
    updated_by: str = Field(max_length=254)


class CustomerOrder(SQLModel, table=True):
    """An order, for attributed revenue. The customer is kept only as a salted hash
    (campaigns.privacy.customer_hash), never as the identifier the shop exported."""

    __tablename__ = "customer_order"
    __table_args__ = (
        UniqueConstraint("workspace_id", "order_ref"),
        Index("ix_customer_order_customer", "workspace_id", "customer_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    order_ref: str = Field(max_length=64)
    ordered_at: datetime = _utc()
    amount_minor: int = _money()
    currency: str = Field(max_length=3)
    coupon_code: str | None = Field(default=None, max_length=64)
    utm_source: str | None = Field(default=None, max_length=100)
    utm_medium: str | None = Field(default=None, max_length=100)
    utm_campaign: str | None = Field(default=None, max_length=200)
    customer_hash: str = Field(max_length=64)


class CustomFestival(SQLModel, table=True):
    """A workspace's own festival (a brand day, a store anniversary). Dates are inclusive."""

    __tablename__ = "custom_festival"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=200)
    start: date
    end: date
    timezone: str = Field(max_length=64)
    region: str = Field(max_length=8)
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()


class CouponBatch(SQLModel, table=True):
    """A batch of unique codes for one offer (campaigns.promotions.codes). ``count``: codes made."""

    __tablename__ = "coupon_batch"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    offer_key: str = Field(max_length=64, index=True)  # campaigns.promotions.rules.Offer.key
    name: str = Field(max_length=200)
    mode: str = Field(max_length=16)  # single_use | multi_use | per_customer
    max_uses: int | None = None  # per code; None: no overall cap (per-customer codes only)
    per_customer: int | None = None
    prefix: str = Field(default="", max_length=16)
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()
    count: int


class CouponCode(SQLModel, table=True):
    """One code, stored normalised (upper case, no dashes); unique across the workspace."""

    __tablename__ = "coupon_code"
    __table_args__ = (UniqueConstraint("workspace_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    batch_id: int = Field(foreign_key="coupon_batch.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=64)
    uses: int = 0
    max_uses: int | None = None


class CouponRedemption(SQLModel, table=True):
    """An order carrying a code. A cancelled order releases its use (``released_at``)."""

    __tablename__ = "coupon_redemption"
    __table_args__ = (
        UniqueConstraint("code_id", "order_ref"),
        Index("ix_coupon_redemption_customer", "code_id", "customer_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="coupon_code.id", ondelete="CASCADE")
    order_ref: str = Field(max_length=64)
    customer_hash: str | None = Field(default=None, max_length=64)  # campaigns.privacy.customer_hash
    redeemed_at: datetime = _utc()
    released_at: datetime | None = _utc(nullable=True)


class FlashStock(SQLModel, table=True):
    """Flash-sale (秒杀) stock of one offer: ``reserved`` never exceeds ``stock``."""

    __tablename__ = "flash_stock"
    __table_args__ = (UniqueConstraint("workspace_id", "offer_key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    offer_key: str = Field(max_length=64, index=True)
    stock: int
    reserved: int = 0
    per_user_limit: int | None = None  # units over all of a customer's orders
    per_order_limit: int | None = None  # units in one order


class FlashReservation(SQLModel, table=True):
    __tablename__ = "flash_reservation"
    __table_args__ = (
        UniqueConstraint("stock_id", "order_ref"),
        Index("ix_flash_reservation_customer", "stock_id", "customer_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stock_id: int = Field(foreign_key="flash_stock.id", ondelete="CASCADE")
    order_ref: str = Field(max_length=64)
    customer_hash: str = Field(max_length=64)
    units: int
    reserved_at: datetime = _utc()
    released_at: datetime | None = _utc(nullable=True)


class OfferRow(SQLModel, table=True):
    """A promotion rule (campaigns.promotions.rules.Offer) as JSON (campaigns.promotions.serialize);
    stage and kind are columns too, for lists and filters."""

    __tablename__ = "offer"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL", index=True)
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    stage: str = Field(max_length=16)
    kind: str = Field(max_length=32)
    body: dict = _json("{}")
    active: bool = True
    updated_by: str = Field(max_length=254)
    updated_at: datetime = _utc()


import data.models_deals  # noqa: E402,F401  (registers the KOL deal tables)
import data.models_groups  # noqa: E402,F401  (registers the group-buy tables, kept in their own module)
import data.models_kol  # noqa: E402,F401  (registers the KOL account table)
import data.models_measure  # noqa: E402,F401  (registers the import and facts tables)
import data.models_presale  # noqa: E402,F401  (registers the presale tables)
import data.models_publish  # noqa: E402,F401  (registers the publishing tables)

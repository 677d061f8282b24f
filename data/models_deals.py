"""KOL deals: a partner's work for one campaign (``kol_deal``), its deliverables, what happened to it
(``kol_deal_event``: every status change and comment) and what was paid (``kol_payment``).
The domain rules are ``campaigns.kol_deals``; the service is ``app.services.kol_deals``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Column, Index, Numeric, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from data.types import UTCDateTime

LIVE = "status NOT IN ('declined', 'cancelled')"


def _utc(nullable: bool = False) -> Field:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))


def _list() -> Field:
    return Field(default_factory=list, sa_column=Column(JSON(), nullable=False, server_default="[]"))


class KolDeal(SQLModel, table=True):
    """One partner's deal in one campaign. Fees are in ``currency``; ``fx_rate`` (campaign currency per unit
    of ``currency``) is set when the two differ. ``tracking_code`` is also the partner's coupon code when a
    coupon offer was chosen (``coupon_batch_id``)."""

    __tablename__ = "kol_deal"
    __table_args__ = (
        # one live deal per partner and campaign; a declined or cancelled one leaves room for a new invitation
        Index(
            "uq_kol_deal_live_partner",
            "campaign_id",
            "partner_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
        UniqueConstraint("workspace_id", "tracking_code"),  # a cancelled deal's code stays taken
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE", index=True)
    partner_id: int = Field(foreign_key="partner.id", ondelete="RESTRICT", index=True)
    status: str = Field(max_length=16)  # campaigns.kol_deals.Status
    currency: str = Field(max_length=3)
    fx_rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 8), nullable=True))
    key_messages: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    must_say: list = _list()
    must_not_say: list = _list()
    hashtags: list = _list()
    links: list = _list()
    landing_url: str = Field(default="", max_length=2000)
    tracking_code: str = Field(max_length=64)  # normalised like a coupon code
    tracking_link: str = Field(default="", max_length=2500)
    coupon_batch_id: int | None = Field(default=None, foreign_key="coupon_batch.id", ondelete="SET NULL")
    offer_key: str = Field(default="", max_length=64)
    owner: str = Field(default="", max_length=254)  # who is reminded of the deliverables: e-mail or display name
    created_by: str = Field(max_length=254)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class KolDeliverable(SQLModel, table=True):
    """One piece of content a deal buys: due in UTC, fee in the deal's currency, published URL once out."""

    __tablename__ = "kol_deliverable"
    __table_args__ = (Index("ix_kol_deliverable_due", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="kol_deal.id", ondelete="CASCADE", index=True)
    position: int = 0
    kind: str = Field(max_length=32)  # campaigns.kol.Deliverable
    platform: str = Field(max_length=32)  # campaigns.kol.Platform
    due_at: datetime = _utc()
    fee_minor: int = Field(sa_column=Column(BigInteger(), nullable=False))
    usage_rights: str = Field(default="", max_length=200)
    usage_days: int | None = None
    exclusivity_days: int = 0
    published_url: str = Field(default="", max_length=2000)
    published_at: datetime | None = _utc(nullable=True)


class KolDealEvent(SQLModel, table=True):
    """A status change (``to_status`` set) or a comment on a deal, with who and when."""

    __tablename__ = "kol_deal_event"
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="kol_deal.id", ondelete="CASCADE", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    comment: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    who: str = Field(max_length=254)
    at: datetime = _utc()


class KolPayment(SQLModel, table=True):
    """Money paid to the partner for a deal, in the deal's currency: the budget's actual KOL spend."""

    __tablename__ = "kol_payment"
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="kol_deal.id", ondelete="CASCADE", index=True)
    day: date
    amount_minor: int = Field(sa_column=Column(BigInteger(), nullable=False))
    note: str = Field(default="", max_length=200)
    who: str = Field(max_length=254)
    at: datetime = _utc()

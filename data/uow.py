"""Unit of work: one transaction, its repositories, commit on success, rollback on error."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from data import deal_repos as de
from data import dispatch_repos as dr
from data import group_repos as gr
from data import kol_repos as kr
from data import measure_repos as me
from data import planning_repos as pr
from data import presale_repos as ps
from data import promotion_repos as pm
from data import publishing_repos as pu
from data import repositories as r
from data.migrate import unreachable


class UnitOfWork:
    def __init__(self, engine: Engine, write: bool) -> None:
        # On SQLite a writing unit takes the write lock at BEGIN (see data.engine).
        self._engine = engine.execution_options(festa_write=True) if write else engine
        self._write = write

    def __enter__(self) -> UnitOfWork:
        self.session = Session(self._engine, expire_on_commit=False)
        s = self.session
        self.meta = r.MetaRepo(s)
        self.workspaces = r.WorkspaceRepo(s)
        self.campaigns = r.CampaignRepo(s)
        self.channel_accounts = r.ChannelAccountRepo(s)
        self.partners = r.PartnerRepo(s)
        self.kol = kr.KolRepo(s)
        self.deals = de.DealRepo(s)
        self.posts = r.PostRepo(s)
        self.metrics = r.MetricRepo(s)
        self.heartbeats = r.HeartbeatRepo(s)
        self.users = r.UserRepo(s)
        self.sessions = r.SessionRepo(s)
        self.audit = r.AuditRepo(s)
        self.retention = r.RetentionRepo(s)
        self.orders = r.OrderRepo(s)
        self.festivals = r.FestivalRepo(s)
        self.budgets = pr.BudgetRepo(s)
        self.templates = pr.TemplateRepo(s)
        self.coupons = pm.CouponRepo(s)
        self.flash = pm.FlashRepo(s)
        self.offers = pm.OfferRepo(s)
        self.groups = gr.GroupRepo(s)
        self.presales = ps.PresaleRepo(s)
        self.dispatch = dr.DispatchRepo(s)
        self.bulk_dispatch = dr.BulkDispatch(s)
        self.publishing = pu.PublishingRepo(s)
        self.measure = me.MeasureRepo(s)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self._write:
                self.session.commit()
            elif exc_type is not None:
                self.session.rollback()
        finally:
            # close() ends the transaction and detaches objects without expiring them,
            # so what a reading unit loaded stays readable after it.
            self.session.close()
        if isinstance(exc, OperationalError) and _is_connection_error(exc):
            raise unreachable(self._engine, exc) from None


def _is_connection_error(exc: OperationalError) -> bool:
    return bool(getattr(exc, "connection_invalidated", False)) or "connect" in str(exc.orig).lower()


class UnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write)

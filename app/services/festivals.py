"""The festival calendar of a workspace: built-in festivals, China's holidays, custom festivals,
and the campaigns laid over them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import budget, calendar, holidays
from campaigns.access import Permission
from campaigns.planning import BudgetLine, CampaignStatus
from data.models import CustomFestival


@dataclass(frozen=True)
class CampaignBar:
    id: int
    name: str
    status: str
    phase: str | None  # None: the campaign's whole window
    starts_at: datetime
    ends_at: datetime  # inclusive
    timezone: str  # the campaign's own zone: its bars are drawn in it, as festivals are in theirs


@dataclass(frozen=True)
class YearView:
    year: int
    festivals: list[calendar.Festival]
    holiday_years: tuple[int, int]
    campaigns: list[CampaignBar]
    timezone: str
    clashes: list[budget.Clash]  # campaigns of the year whose windows overlap (budget clashes flagged)
    windows: calendar.Windows


def windows_of(ws) -> calendar.Windows:
    """The workspace's e-commerce windows, or the defaults."""
    w = ws.calendar_windows if ws is not None else None
    return calendar.Windows(*(tuple(w[k]) for k in WINDOW_FIELDS)) if w else calendar.Windows()


WINDOW_FIELDS = ("presale_618", "presale_double_11", "nianhuo_days_before")


class FestivalRejected(ValueError):
    """code: catalog key under ``festival_error.``"""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _workspace(uow, c: Container):
    ws = uow.workspaces.current()
    if ws is None:
        raise FestivalRejected("no_workspace")
    return ws


@requires(Permission.VIEW_OVERVIEW)
def year_view(c: Container, actor: Actor, year: int, regions: tuple[str, ...] = calendar.DEFAULT_REGIONS) -> YearView:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        built_in = calendar.year_calendar(year, regions, windows_of(ws))
        own = uow.festivals.in_year(ws.id, year) if ws else []
        camps = uow.campaigns.in_year(ws.id, year) if ws else []
        phases = uow.campaigns.phases(k.id for k in camps)
        lines = uow.budgets.lines(k.id for k in camps)
    mine = [calendar.Festival(f"custom_{f.id}", "custom", f.region, f.start, f.end, f.timezone, f.name) for f in own]
    bars = [CampaignBar(k.id, k.name, k.status, None, k.starts_at, k.ends_at, k.timezone) for k in camps]
    by_id = {k.id: k for k in camps}
    bars += [
        CampaignBar(
            p.campaign_id,
            by_id[p.campaign_id].name,
            by_id[p.campaign_id].status,
            p.kind,
            p.starts_at,
            p.ends_at,
            by_id[p.campaign_id].timezone,
        )
        for p in phases
    ]
    return YearView(
        year,
        sorted(built_in + mine, key=lambda f: (f.start, f.key)),
        holidays.covered_years(),
        bars,
        ws.timezone if ws else c.settings.timezone,
        budget.clashes(
            [
                budget.Window(
                    k.id,
                    k.name,
                    k.starts_at,
                    k.ends_at,
                    tuple(BudgetLine(x.channel, x.partner_id, x.amount_minor) for x in lines if x.campaign_id == k.id),
                )
                for k in camps
                if k.status != CampaignStatus.ARCHIVED
            ]
        ),
        windows_of(ws),
    )


class WindowsRejected(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {code}" for f, code in problems))
        self.problems = problems


@requires(Permission.EDIT_CAMPAIGNS)
def set_windows(c: Container, actor: Actor, windows: calendar.Windows) -> None:
    """The workspace's presale and 年货节 windows; every year's calendar follows them."""
    problems = windows.problems()
    if problems:
        raise WindowsRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow, c)
        ws.calendar_windows = {k: list(getattr(windows, k)) for k in WINDOW_FIELDS}
        audit.record_in(uow, c, actor.who, "calendar_windows", detail=str(ws.calendar_windows), source=actor.source)


@requires(Permission.EDIT_CAMPAIGNS)
def add_custom(c: Container, actor: Actor, name: str, start: date, end: date, timezone: str, region: str) -> int:
    try:
        f = calendar.custom("new", name, start, end, timezone, region)
    except ValueError as err:
        raise FestivalRejected(str(err)) from None
    with c.uow(write=True) as uow:
        ws = _workspace(uow, c)
        row = uow.festivals.add(
            CustomFestival(
                workspace_id=ws.id,
                name=f.name,
                start=f.start,
                end=f.end,
                timezone=f.timezone,
                region=f.region,
                created_by=actor.email,
                created_at=c.clock(),
            )
        )
        audit.record_in(
            uow,
            c,
            actor.who,
            "festival_added",
            entity=f.name,
            detail=f"{f.start.isoformat()}..{f.end.isoformat()} {f.timezone}",
            source=actor.source,
        )
        return row.id


@requires(Permission.EDIT_CAMPAIGNS)
def remove_custom(c: Container, actor: Actor, festival_id: int) -> None:
    with c.uow(write=True) as uow:
        row = uow.festivals.get(festival_id)
        if row is None:
            raise FestivalRejected("no_such_festival")
        uow.session.delete(row)
        audit.record_in(uow, c, actor.who, "festival_removed", entity=row.name, source=actor.source)

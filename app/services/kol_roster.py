"""The KOL roster: partners with their accounts, tiers, filters and sorting, CSV/XLSX import and export,
and shortlisting within a budget. Changing needs EDIT_KOL_DEALS; reading VIEW_OVERVIEW.

Writes are all or nothing: a partner (or a whole file) with any problem is refused with every problem at its
field (file, row, column) and nothing is saved. A handle is unique on its platform across the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import kol, kol_io, kol_shortlist
from campaigns.access import Permission
from campaigns.kol import Problem
from data.models import Partner
from data.models_kol import PartnerAccount

SORTS = ("followers", "engagement_rate", "cpe", "past_cpe", "name")
FORMATS = ("csv", "xlsx")


class KolRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class PartnerView:
    id: int
    draft: kol.PartnerDraft
    tier: kol.Tier
    followers: int  # of the main account
    engagement_rate: Decimal | None  # of the main account
    er_variant: str | None
    engagements: int | None  # expected per post, from the main account
    fee_minor: int | None  # for the deliverable asked (or the lowest on the card)
    cpe: Decimal | None  # fee ÷ expected engagements, minor units of the partner's currency
    created_at: datetime | None
    past_cpe: Decimal | None = None  # from past deals (app.services.kol_results.past_cpe), workspace currency


@dataclass(frozen=True)
class RosterFilter:
    platform: str | None = None
    tier: str | None = None
    category: str | None = None
    region: str | None = None
    tag: str | None = None
    text: str = ""  # in the name, a handle, notes or contact
    deliverable: str | None = None  # for fees and cost per engagement; None: the lowest fee on the card
    sort: str = "followers"


@dataclass(frozen=True)
class Roster:
    partners: list[PartnerView]
    thresholds: kol.Thresholds
    currency: str  # the workspace's


@dataclass(frozen=True)
class ImportResult:
    partners: int  # added
    accounts: int
    problems: list[Problem] = field(default_factory=list)
    updated: int = 0  # partners already on the roster, changed to the file's (``update=True``)


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise KolRejected([Problem("workspace", "no_workspace")])
    return ws


def _thresholds(stored: dict | None) -> kol.Thresholds:
    return kol.Thresholds(**stored) if stored else kol.DEFAULT_THRESHOLDS


def _account(a: PartnerAccount) -> kol.Account:
    er = None if a.engagement_rate is None else Decimal(a.engagement_rate)
    return kol.Account(a.platform, a.handle, a.url, a.followers, a.typical_views, er, a.er_variant)


def _draft(p: Partner, accounts: list[PartnerAccount]) -> kol.PartnerDraft:
    return kol.PartnerDraft(
        p.name, tuple(_account(a) for a in accounts), p.currency, p.region, tuple(p.categories), tuple(p.tags),
        p.contact, p.notes, dict(p.rate_card),
    )  # fmt: skip


def _view(pid: int, d: kol.PartnerDraft, t: kol.Thresholds, deliverable: str | None, created) -> PartnerView:
    main = kol.main_account(d.accounts)
    eng = kol.expected_engagements(main)
    fee = kol.fee_for(d.rate_card, deliverable)
    followers = main.followers if main else 0
    er, variant = (main.engagement_rate, main.er_variant) if main else (None, None)
    cpe = kol.cost_per_engagement(fee, eng)
    return PartnerView(pid, d, kol.tier(followers, t), followers, er, variant, eng, fee, cpe, created)


def _matches(v: PartnerView, f: RosterFilter) -> bool:
    d = v.draft
    fold = str.casefold
    if f.platform and all(a.platform != f.platform for a in d.accounts):
        return False
    if f.tier and v.tier != f.tier:
        return False
    if f.category and fold(f.category) not in map(fold, d.categories):
        return False
    if f.tag and fold(f.tag) not in map(fold, d.tags):
        return False
    if f.region and fold(f.region.strip()) != fold(d.region):
        return False
    text = fold(f.text.strip())
    haystack = [d.name, d.notes, d.contact, *(a.handle for a in d.accounts)]
    return not text or any(text in fold(h) for h in haystack)


def _sort_key(sort: str, ws_currency: str):
    if sort == "name":
        return lambda v: (v.draft.name.casefold(), v.id)
    if sort == "engagement_rate":
        return lambda v: (v.engagement_rate is None, -(v.engagement_rate or 0), v.id)
    if sort == "cpe":  # cheapest first; other currencies after the workspace's, unknown last
        return lambda v: (v.cpe is None, v.draft.currency != ws_currency, v.cpe or 0, v.id)
    if sort == "past_cpe":  # cheapest in past deals first (already in the workspace's currency), none last
        return lambda v: (v.past_cpe is None, v.past_cpe or 0, v.id)
    return lambda v: (-v.followers, v.id)


@requires(Permission.VIEW_OVERVIEW)
def roster(
    c: Container, actor: Actor, f: RosterFilter = RosterFilter(), past_cpe: Mapping[int, Decimal | None] | None = None
) -> Roster:
    """``past_cpe``: cost per engagement from past deals per partner, for the column and the ``past_cpe`` sort
    (the caller reads it with kol_results.past_cpe when the person may read dashboards)."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return Roster([], kol.DEFAULT_THRESHOLDS, "CNY")
        t = _thresholds(ws.kol_tiers)
        rows = uow.kol.roster(ws.id)
    views = [_view(p.id, _draft(p, accts), t, f.deliverable, p.created_at) for p, accts in rows]
    views = [replace(v, past_cpe=(past_cpe or {}).get(v.id)) for v in views if _matches(v, f)]
    views.sort(key=_sort_key(f.sort if f.sort in SORTS else "followers", ws.currency))
    return Roster(views, t, ws.currency)


def _checked(d: kol.PartnerDraft) -> kol.PartnerDraft:
    d = kol.normalise(d)
    problems = kol.validate(d)
    if problems:
        raise KolRejected(problems)
    return d


def _clashes(uow, ws_id: int, d: kol.PartnerDraft, partner_id: int | None) -> list[Problem]:
    taken = uow.kol.taken(ws_id, [(a.platform, a.handle) for a in d.accounts])
    out = []
    for i, a in enumerate(d.accounts):
        owner = taken.get((a.platform, a.handle))
        if owner and owner[0] != partner_id:
            out.append(Problem(f"accounts.{i}.handle", "handle_taken", {"handle": a.handle, "partner": owner[1]}))
    return out


def _rows(d: kol.PartnerDraft) -> list[PartnerAccount]:
    return [
        PartnerAccount(
            platform=a.platform, handle=a.handle, url=a.url, followers=a.followers, typical_views=a.typical_views,
            engagement_rate=a.engagement_rate, er_variant=a.er_variant,
        )
        for a in d.accounts
    ]  # fmt: skip


def _store(uow, ws_id: int, d: kol.PartnerDraft, now: datetime, partner: Partner | None = None) -> Partner:
    first = d.accounts[0]
    if partner is None:
        partner = Partner(workspace_id=ws_id, name=d.name, platform=first.platform, handle=first.handle, created_at=now)
        uow.session.add(partner)
    for key in ("name", "region", "contact", "notes", "currency"):
        setattr(partner, key, getattr(d, key))
    partner.categories, partner.tags, partner.rate_card = list(d.categories), list(d.tags), dict(d.rate_card)
    uow.session.flush()
    uow.kol.replace_accounts(partner, _rows(d))
    return partner


@requires(Permission.EDIT_KOL_DEALS)
def add_partner(c: Container, actor: Actor, draft: kol.PartnerDraft) -> int:
    d = _checked(draft)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        problems = _clashes(uow, ws.id, d, None)
        if problems:
            raise KolRejected(problems)
        p = _store(uow, ws.id, d, c.clock())
        audit.record_in(uow, c, actor.who, "kol_partner_added", entity=d.name, detail=_handles(d), source=actor.source)
        return p.id


@requires(Permission.EDIT_KOL_DEALS)
def edit_partner(c: Container, actor: Actor, partner_id: int, draft: kol.PartnerDraft) -> None:
    d = _checked(draft)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        partner = uow.kol.partner(ws.id, partner_id)
        if partner is None:
            raise KolRejected([Problem("partner", "no_such_partner")])
        problems = _clashes(uow, ws.id, d, partner_id)
        if problems:
            raise KolRejected(problems)
        _store(uow, ws.id, d, c.clock(), partner)
        audit.record_in(uow, c, actor.who, "kol_partner_edited", entity=d.name, detail=_handles(d), source=actor.source)


@requires(Permission.EDIT_KOL_DEALS)
def remove_partner(c: Container, actor: Actor, partner_id: int) -> None:
    """Budget lines and metrics that named the partner keep their money and figures, without the name."""
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        partner = uow.kol.partner(ws.id, partner_id)
        if partner is None:
            raise KolRejected([Problem("partner", "no_such_partner")])
        if uow.deals.has_deals(partner.id):  # their deals hold fees, payments and codes: cancel, do not erase
            raise KolRejected([Problem("partner", "has_deals", {"name": partner.name})])
        name = partner.name
        uow.kol.remove(partner)
        audit.record_in(uow, c, actor.who, "kol_partner_removed", entity=name, source=actor.source)


def _handles(d: kol.PartnerDraft) -> str:
    return ", ".join(f"{a.platform}:@{a.handle}" for a in d.accounts)


@requires(Permission.VIEW_OVERVIEW)
def export_roster(c: Container, actor: Actor, fmt: str = "csv", tier_names: Mapping[str, str] | None = None) -> bytes:
    """Every partner, one row per account (``kol_io.EXPORT_COLUMNS``), spreadsheet-safe; audited."""
    if fmt not in FORMATS:
        raise KolRejected([Problem("format", "bad_format")])
    r = roster(c, actor, RosterFilter(sort="name"))
    names = tier_names or {}
    data = kol_io.export([(v.draft, names.get(v.tier, str(v.tier))) for v in r.partners], fmt)
    audit.record(
        c, actor.who, "kol_roster_exported", entity=fmt, detail=f"{len(r.partners)} partners", source=actor.source
    )
    return data


@requires(Permission.EDIT_KOL_DEALS)
def import_roster(
    c: Container,
    actor: Actor,
    data: bytes,
    filename: str,
    rates: Mapping[str, Decimal] | None = None,
    dry_run: bool = False,
    update: bool = False,
) -> ImportResult:
    """Every partner of the file saved, or none: a problem anywhere (a handle the file repeats or the
    workspace already has, a fee in another currency without a rate ...) saves nothing. ``dry_run`` checks only.

    ``update``: a partner of the file whose accounts are on the roster already — all of them one partner's —
    replaces that partner (details, rate card and accounts, as the file has them; their deals stay theirs), so
    an exported roster, edited, can come back. Without it such a partner is a duplicate."""
    with c.uow(write=not dry_run) as uow:
        ws = _workspace(uow)
        parsed = kol_io.parse(data, filename, ws.currency, rates)
        problems = list(parsed.problems)
        file = str(filename or "roster.csv")[:200]
        taken = uow.kol.taken(ws.id, parsed.rows)
        owner: dict[int, int] = {}  # draft index -> the partner on the roster it replaces
        if update:
            for i, (_, d) in enumerate(parsed.drafts):
                owners = {taken[k][0] for k in _keys(d) if k in taken}
                if len(owners) == 1 and (pid := owners.pop()) not in owner.values():  # once per partner
                    owner[i] = pid
        for i, (_, d) in enumerate(parsed.drafts):
            for key in _keys(d):
                if key in taken and owner.get(i) != taken[key][0]:
                    params = {"handle": key[1], "partner": taken[key][1]}
                    problems.append(Problem("handle", "handle_taken", params, row=parsed.rows.get(key), file=file))
        problems.sort(key=lambda p: (p.row or 0, p.field))
        accounts = sum(len(d.accounts) for _, d in parsed.drafts)
        added = len(parsed.drafts) - len(owner)
        if problems or dry_run:
            return ImportResult(*((0, 0, problems) if problems else (added, accounts)), updated=len(owner))
        now = c.clock()
        for i, (_, d) in enumerate(parsed.drafts):
            _store(uow, ws.id, d, now, uow.kol.partner(ws.id, owner[i]) if i in owner else None)
        detail = f"{added} added, {len(owner)} updated, {accounts} accounts from {file}"
        audit.record_in(uow, c, actor.who, "kol_roster_imported", entity=file, detail=detail, source=actor.source)
        return ImportResult(added, accounts, updated=len(owner))


def _keys(d: kol.PartnerDraft) -> list[tuple[str, str]]:
    return [(a.platform, kol.clean_handle(a.handle)) for a in d.accounts]


@requires(Permission.EDIT_KOL_DEALS)
def set_tiers(c: Container, actor: Actor, t: kol.Thresholds) -> None:
    problems = t.problems()
    if problems:
        raise KolRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        uow.kol.set_tiers(ws.id, {"mega": t.mega, "macro": t.macro, "micro": t.micro})
        detail = f"mega ≥ {t.mega}, macro ≥ {t.macro}, micro ≥ {t.micro}"
        audit.record_in(uow, c, actor.who, "kol_tiers_set", detail=detail, source=actor.source)


@dataclass(frozen=True)
class Shortlist:
    result: kol_shortlist.Result
    currency: str
    deliverable: str
    skipped: list[tuple[str, str]]  # (partner name, why): no fee, no estimate, another currency without a rate


@requires(Permission.VIEW_OVERVIEW)
def shortlist(
    c: Container,
    actor: Actor,
    budget_minor: int,
    deliverable: str,
    method: str = "knapsack",
    unit_minor: int = 10_000,
    f: RosterFilter = RosterFilter(),
    currency: str | None = None,
    rates: Mapping[str, Decimal] | None = None,
) -> Shortlist:
    """Partners (those ``f`` lets through) for ``budget_minor`` in ``currency`` (the workspace's by default),
    maximising expected engagements for one ``deliverable`` each. A fee in another currency counts only
    with a rate (``rates["USD/CNY"]``)."""
    problems = []
    if budget_minor < 0:
        problems.append(Problem("budget", "negative"))
    if deliverable not in set(kol.Deliverable):
        problems.append(Problem("deliverable", "unknown_deliverable", {"value": str(deliverable)[:40]}))
    if method not in set(kol_shortlist.Method):
        problems.append(Problem("method", "bad_method"))
    if unit_minor <= 0:
        problems.append(Problem("unit", "not_positive"))
    if problems:
        raise KolRejected(problems)
    r = roster(c, actor, replace(f, deliverable=deliverable))
    cur = currency or r.currency
    candidates, skipped = [], []
    for v in r.partners:
        fee = v.fee_minor
        if fee is not None and v.draft.currency != cur:
            fx = (rates or {}).get(f"{v.draft.currency}/{cur}")
            fee = None if fx is None else int((Decimal(fee) * fx).to_integral_value())
            if fee is None:
                skipped.append((v.draft.name, "other_currency"))
                continue
        if fee is None:
            skipped.append((v.draft.name, "no_fee"))
        elif not v.engagements:
            skipped.append((v.draft.name, "no_estimate"))
        else:
            candidates.append(kol_shortlist.Candidate(v.id, v.draft.name, fee, v.engagements))
    result = kol_shortlist.shortlist(candidates, budget_minor, method, unit_minor)
    return Shortlist(result, cur, deliverable, skipped)

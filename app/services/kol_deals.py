"""KOL deals: invite a partner to a campaign with deliverables and a brief, give them a tracking link and a
personal coupon code, and follow the work to payment. Changing needs EDIT_KOL_DEALS; reading VIEW_OVERVIEW.

Every write is one transaction: a deal with any problem is refused with every problem at its field and
nothing is saved (no deal, no coupon batch, no budget line). From ``agreed`` on, the deal's fees are the
campaign's committed KOL money (``budget_commitment`` rows with source ``kol``, one per deliverable on its
due day, converted to the campaign's currency); payments are its actual KOL money (``app.services.budgets``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from app.bootstrap import Container
from app.services import audit, auth
from app.services.auth import Actor, requires
from app.services.kol_roster import KolRejected
from app.services.offer_exchange import slug
from campaigns import kol_deals as kd
from campaigns.access import Permission
from campaigns.kol import Problem
from campaigns.kol_deals import Status
from campaigns.planning import KOL
from campaigns.promotions import codes
from data.models import BudgetCommitment, Campaign, CouponBatch
from data.models_deals import KolDeal, KolDealEvent, KolDeliverable, KolPayment

SOURCE = "kol"  # budget_commitment.source of a deal's fees
CODE_TRIES = 20  # suggested codes drawn before giving up (32^5 random endings each)
MAX_COMMENT = 2000


@dataclass(frozen=True)
class DealView:
    deal: KolDeal
    partner_name: str
    partner_handle: str
    campaign_name: str
    campaign_currency: str
    campaign_tz: str
    deliverables: list[KolDeliverable]
    payments: list[KolPayment]
    fee_minor: int  # in the deal's currency
    fee_campaign_minor: int  # in the campaign's
    paid_minor: int  # in the deal's currency
    overdue: tuple[int, ...]  # ids of overdue deliverables

    @property
    def status(self) -> Status:
        return Status(self.deal.status)

    @property
    def next(self) -> tuple[Status, ...]:
        return kd.NEXT[self.status]

    @property
    def brief(self) -> kd.Brief:
        d = self.deal
        return kd.Brief(
            d.key_messages, tuple(d.must_say), tuple(d.must_not_say), tuple(d.hashtags), tuple(d.links), d.landing_url
        )


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise KolRejected([Problem("workspace", "no_workspace")])
    return ws


def _campaign(uow, ws_id: int, campaign_id: int) -> Campaign:
    k = uow.campaigns.get(campaign_id)
    if k is None or k.workspace_id != ws_id:
        raise KolRejected([Problem("campaign", "no_such_campaign")])
    return k


def _deal(uow, ws_id: int, deal_id: int, lock: bool = False) -> KolDeal:
    d = uow.deals.lock(ws_id, deal_id) if lock else uow.deals.get(ws_id, deal_id)
    if d is None:
        raise KolRejected([Problem("deal", "no_such_deal")])
    return d


def _views(uow, ws_id: int, deals: list[KolDeal], now: datetime) -> list[DealView]:
    ids = [d.id for d in deals]
    items, paid = uow.deals.deliverables(ids), uow.deals.payments(ids)
    partners = {p.id: p for p in uow.partners.all(ws_id)}
    camps = {k.id: k for k in uow.campaigns.all(ws_id)}
    out = []
    for d in deals:
        k, p = camps[d.campaign_id], partners[d.partner_id]
        rows = items[d.id]
        fee = sum(x.fee_minor for x in rows)
        late = tuple(x.id for x in rows if kd.overdue(x.due_at, bool(x.published_url), d.status, now))
        out.append(
            DealView(
                d,
                p.name,
                p.handle,
                k.name,
                k.currency,
                k.timezone,
                rows,
                paid[d.id],
                fee,
                kd.in_campaign_currency(fee, d.currency, d.fx_rate, k.currency),
                sum(x.amount_minor for x in paid[d.id]),
                late,
            )
        )
    return out


@requires(Permission.VIEW_OVERVIEW)
def deals(c: Container, actor: Actor, campaign_id: int | None = None, partner_id: int | None = None) -> list[DealView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if ws is None:
            return []
        rows = uow.deals.deals(
            ws.id, [campaign_id] if campaign_id is not None else None, [partner_id] if partner_id is not None else None
        )
        return _views(uow, ws.id, rows, c.clock())


@requires(Permission.VIEW_OVERVIEW)
def deal(c: Container, actor: Actor, deal_id: int) -> DealView:
    with c.uow() as uow:
        ws = _workspace(uow)
        return _views(uow, ws.id, [_deal(uow, ws.id, deal_id)], c.clock())[0]


@requires(Permission.VIEW_OVERVIEW)
def events(c: Container, actor: Actor, deal_id: int) -> list[KolDealEvent]:
    with c.uow() as uow:
        ws = _workspace(uow)
        return uow.deals.events(_deal(uow, ws.id, deal_id).id)


def _checked(draft: kd.DealDraft, k: Campaign) -> kd.DealDraft:
    clean, problems = kd.check(draft, k.starts_at, k.ends_at, k.currency)
    if problems:
        raise KolRejected(problems)
    return clean


def _deliverable_rows(deal_id: int, d: kd.DealDraft) -> list[KolDeliverable]:
    return [
        KolDeliverable(
            deal_id=deal_id,
            position=i,
            kind=x.kind,
            platform=x.platform,
            due_at=x.due_at,
            fee_minor=x.fee_minor,
            usage_rights=x.usage_rights,
            usage_days=x.usage_days,
            exclusivity_days=x.exclusivity_days,
        )
        for i, x in enumerate(d.deliverables)
    ]


def _set_brief(row: KolDeal, b: kd.Brief) -> None:
    row.key_messages, row.landing_url = b.key_messages, b.landing_url
    row.must_say, row.must_not_say = list(b.must_say), list(b.must_not_say)
    row.hashtags, row.links = list(b.hashtags), list(b.links)


def _code(uow, ws_id: int, typed: str, handle: str, deal_id: int | None = None) -> str:
    """The typed code (cleaned, checked against every coupon code and deal code), or a free suggested one."""
    if typed.strip():
        code = kd.clean_code(typed)
        bad = kd.code_problem(code)
        if bad:
            raise KolRejected([bad])
        taken = uow.deals.code_taken(ws_id, code, deal_id)
        if taken:
            raise KolRejected([Problem("tracking_code", f"code_taken_{taken}", {"code": code})])
        return code
    for _ in range(CODE_TRIES):
        code = kd.suggest_code(handle)
        if not uow.deals.code_taken(ws_id, code, deal_id):
            return code
    raise KolRejected([Problem("tracking_code", "no_free_code")])


def _coupon(uow, c: Container, actor: Actor, ws_id: int, k: Campaign, offer_key: str, code: str, name: str, may_issue):
    """The code as a one-code coupon batch: for the chosen offer (each customer once), or, with no offer, a
    reserved code nobody can redeem. Either way it sits in the one table where codes are unique per workspace,
    so no coupon batch can ever draw it and two deals cannot take it at once."""
    key = offer_key.strip()
    if key:
        if not may_issue:
            raise KolRejected([Problem("offer_key", "no_coupon_rights")])
        offer = uow.offers.by_key(ws_id, key)
        if offer is None or offer.campaign_id not in (None, k.id) or not offer.active:
            raise KolRejected([Problem("offer_key", "no_such_offer", {"offer": key})])
        policy = codes.usage("per_customer", None, 1)
        mode, cap, per_customer, label = policy.mode, policy.max_uses, policy.per_customer, f"KOL · {name}"
    else:
        mode, cap, per_customer, label = "single_use", 0, None, f"KOL · {name} · tracking only"
    batch = uow.coupons.add(
        CouponBatch(
            workspace_id=ws_id,
            offer_key=key,
            name=label[:200],
            mode=mode,
            max_uses=cap,
            per_customer=per_customer,
            prefix="",
            created_by=actor.email,
            created_at=c.clock(),
            count=1,
        )
    )
    if not uow.coupons.insert_codes(ws_id, batch.id, cap, [code]):  # taken since we looked
        raise KolRejected([Problem("tracking_code", "code_taken_coupon", {"code": code})])
    detail = f"1 code, {mode}, offer {key}"
    audit.record_in(uow, c, actor.who, "coupon_batch_created", entity=label, detail=detail, source=actor.source)
    return batch


def sync_budget(uow, d: KolDeal, k: Campaign, items: list[KolDeliverable], partner_name: str, by: str, now) -> None:
    """The deal's fees as committed budget while it is agreed or later; nothing once declined or cancelled."""
    rows = []
    if Status(d.status) in kd.COMMITTED:
        zone = ZoneInfo(k.timezone)
        for x in items:
            if not x.fee_minor:
                continue
            rows.append(
                BudgetCommitment(
                    campaign_id=k.id,
                    channel=KOL,
                    partner_id=d.partner_id,
                    day=x.due_at.astimezone(zone).date(),
                    amount_minor=kd.in_campaign_currency(x.fee_minor, d.currency, d.fx_rate, k.currency),
                    source=SOURCE,
                    note=f"{partner_name} · {x.kind}"[:200],
                    created_by=by,
                    created_at=now,
                    kol_deal_id=d.id,
                )
            )
    uow.deals.replace_commitments(d.id, rows)


def _event(uow, d: KolDeal, who: str, now, to: str | None = None, was: str | None = None, comment: str = ""):
    uow.deals.add(KolDealEvent(deal_id=d.id, from_status=was, to_status=to, comment=comment, who=who, at=now))


@requires(Permission.EDIT_KOL_DEALS)
def create_deal(
    c: Container,
    actor: Actor,
    campaign_id: int,
    partner_id: int,
    draft: kd.DealDraft,
    code: str = "",
    offer_key: str = "",
    owner: str = "",
    platform: str | None = None,
) -> int:
    """Invite ``partner_id`` to the campaign. ``code`` empty: one is suggested from the partner's handle;
    ``offer_key`` set: the code is also the partner's personal coupon code for that offer (each customer once).
    ``platform``: the tracking link's utm_source (default: the first deliverable's platform)."""
    now = c.clock()
    may_issue = bool(offer_key.strip()) and auth.may(c, actor, Permission.ISSUE_COUPONS)  # a coupon code too
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        k = _campaign(uow, ws.id, campaign_id)
        partner = uow.kol.partner(ws.id, partner_id)
        if partner is None:
            raise KolRejected([Problem("partner", "no_such_partner")])
        clean = _checked(draft, k)
        if uow.deals.of(k.id, partner.id) is not None:
            raise KolRejected([Problem("partner", "already_in_campaign", {"name": partner.name})])
        campaign_slug = slug(k.name)
        tracking = _code(uow, ws.id, code, partner.handle)
        batch = _coupon(uow, c, actor, ws.id, k, offer_key, tracking, partner.name, may_issue)
        source = platform or clean.deliverables[0].platform
        row = KolDeal(
            workspace_id=ws.id,
            campaign_id=k.id,
            partner_id=partner.id,
            status=Status.INVITED.value,
            currency=clean.currency,
            fx_rate=clean.fx_rate,
            tracking_code=tracking,
            tracking_link=kd.tracking_link(clean.brief.landing_url, campaign_slug, source, tracking),
            coupon_batch_id=batch.id,
            offer_key=offer_key.strip(),
            owner=owner.strip()[:254],
            created_by=actor.email,
            created_at=now,
            updated_at=now,
        )
        _set_brief(row, clean.brief)
        try:
            with uow.session.begin_nested():  # someone invited the partner at the same moment
                uow.deals.add(row)
        except IntegrityError:
            raise KolRejected([Problem("partner", "already_in_campaign", {"name": partner.name})]) from None
        uow.deals.replace_deliverables(row.id, _deliverable_rows(row.id, clean))
        _event(uow, row, actor.email, now, to=Status.INVITED.value)
        audit.record_in(
            uow,
            c,
            actor.who,
            "kol_deal_created",
            entity=partner.name,
            detail=f"{k.name} {tracking}",
            source=actor.source,
        )
        return row.id


@requires(Permission.EDIT_KOL_DEALS)
def edit_deal(c: Container, actor: Actor, deal_id: int, draft: kd.DealDraft, owner: str | None = None) -> None:
    """Change deliverables, fees, currency and brief while the deal is invited or agreed (afterwards the
    content is under way: cancel and make a new deal). An agreed deal's committed fees follow."""
    now = c.clock()
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        d = _deal(uow, ws.id, deal_id, lock=True)
        if Status(d.status) not in kd.EDITABLE:
            raise KolRejected([Problem("status", "not_editable", {"status": d.status})])
        k = _campaign(uow, ws.id, d.campaign_id)
        clean = _checked(draft, k)
        partner = uow.kol.partner(ws.id, d.partner_id)
        if (clean.currency, clean.fx_rate) != (d.currency, d.fx_rate) and uow.deals.paid(d.id):
            raise KolRejected([Problem("currency", "paid_in_currency", {"currency": d.currency})])
        d.currency, d.fx_rate, d.updated_at = clean.currency, clean.fx_rate, now
        if owner is not None:
            d.owner = owner.strip()[:254]
        _set_brief(d, clean.brief)
        source = clean.deliverables[0].platform
        d.tracking_link = kd.tracking_link(clean.brief.landing_url, slug(k.name), source, d.tracking_code)
        items = _deliverable_rows(d.id, clean)
        uow.deals.replace_deliverables(d.id, items)
        sync_budget(uow, d, k, items, partner.name, actor.email, now)
        _event(uow, d, actor.email, now)  # no status, no comment: an edit
        audit.record_in(uow, c, actor.who, "kol_deal_edited", entity=partner.name, detail=k.name, source=actor.source)


@requires(Permission.EDIT_KOL_DEALS)
def move(
    c: Container, actor: Actor, deal_id: int, to: str, comment: str = "", urls: dict[int, str] | None = None
) -> None:
    """Move the deal along its flow. To ``published`` every deliverable needs its URL (``urls``: deliverable
    id -> URL, for those without one yet); to ``paid`` what is still owed is recorded as paid today."""
    now = c.clock()
    if len(comment) > MAX_COMMENT:
        raise KolRejected([Problem("comment", "too_long", {"max": MAX_COMMENT})])
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        d = _deal(uow, ws.id, deal_id, lock=True)
        bad = kd.transition_problem(d.status, to)
        if bad:
            raise KolRejected([bad])
        was, target = d.status, Status(to)
        k = _campaign(uow, ws.id, d.campaign_id)
        items = uow.deals.deliverables([d.id])[d.id]
        if target is Status.PUBLISHED:
            _record_urls(items, urls or {}, now)
        if target is Status.PAID:
            owed = sum(x.fee_minor for x in items) - sum(p.amount_minor for p in uow.deals.payments([d.id])[d.id])
            if owed > 0:
                day = now.astimezone(ZoneInfo(k.timezone)).date()
                uow.deals.add(KolPayment(deal_id=d.id, day=day, amount_minor=owed, note="", who=actor.email, at=now))
        d.status, d.updated_at = target.value, now
        if target not in kd.ACTIVE and d.coupon_batch_id is not None:  # declined or cancelled: no more uses
            uow.deals.close_coupon(d.coupon_batch_id)
        partner = uow.kol.partner(ws.id, d.partner_id)
        sync_budget(uow, d, k, items, partner.name, actor.email, now)
        _event(uow, d, actor.email, now, to=target.value, was=was, comment=comment.strip())
        audit.record_in(
            uow, c, actor.who, "kol_deal_moved", entity=partner.name, detail=f"{was} → {target}", source=actor.source
        )


def _record_urls(items: list[KolDeliverable], urls: dict[int, str], now: datetime) -> None:
    problems = []
    for i, x in enumerate(items):
        url = (urls.get(x.id) or x.published_url or "").strip()
        if not url:
            problems.append(Problem(f"deliverables.{i}.published_url", "url_needed"))
        elif not kd.is_url(url):
            problems.append(Problem(f"deliverables.{i}.published_url", "not_a_url", {"value": url[:80]}))
        elif url != x.published_url:
            x.published_url, x.published_at = url, now
    if problems:
        raise KolRejected(problems)


@requires(Permission.EDIT_KOL_DEALS)
def record_link(
    c: Container, actor: Actor, deal_id: int, deliverable_id: int, url: str, published_at: datetime | None = None
) -> None:
    """One deliverable's published URL and when it went out (default: now; not in the future), while the deal
    is approved or published: a deal's deliverables go out one by one, and on-time counts use this time."""
    now = c.clock()
    at = published_at or now
    link = url.strip()
    problems = []
    if not kd.is_url(link):
        problems.append(Problem("published_url", "not_a_url", {"value": link[:80]}))
    if at.tzinfo is None or at > now:
        problems.append(Problem("published_at", "in_the_future"))
    if problems:
        raise KolRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        d = _deal(uow, ws.id, deal_id, lock=True)
        if Status(d.status) not in kd.LINKABLE:
            raise KolRejected([Problem("status", "not_approved", {"status": d.status})])
        item = next((x for x in uow.deals.deliverables([d.id])[d.id] if x.id == deliverable_id), None)
        if item is None:
            raise KolRejected([Problem("deliverable", "no_such_deliverable")])
        item.published_url, item.published_at, d.updated_at = link, at, now
        _event(uow, d, actor.email, now, comment=link)
        partner = uow.kol.partner(ws.id, d.partner_id)
        audit.record_in(uow, c, actor.who, "kol_link_recorded", entity=partner.name, detail=link, source=actor.source)


@requires(Permission.EDIT_KOL_DEALS)
def comment(c: Container, actor: Actor, deal_id: int, text: str) -> None:
    body = text.strip()
    if not body or len(body) > MAX_COMMENT:
        raise KolRejected([Problem("comment", "too_long" if body else "empty", {"max": MAX_COMMENT})])
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        d = _deal(uow, ws.id, deal_id)
        _event(uow, d, actor.email, c.clock(), comment=body)


@requires(Permission.EDIT_KOL_DEALS)
def pay(c: Container, actor: Actor, deal_id: int, amount_minor: int, day: date, note: str = "") -> int:
    """Record a payment (a deposit, an instalment) in the deal's currency: from agreed until paid, never more
    than is still owed."""
    now = c.clock()
    problems = []
    if not isinstance(amount_minor, int) or not 0 < amount_minor <= kd.MAX_FEE:
        problems.append(Problem("amount", "fee_out_of_range"))
    if len(note) > 200:
        problems.append(Problem("note", "too_long", {"max": 200}))
    if problems:
        raise KolRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        d = _deal(uow, ws.id, deal_id, lock=True)
        if Status(d.status) not in kd.COMMITTED or d.status == Status.PAID:
            raise KolRejected([Problem("status", "not_agreed", {"status": d.status})])
        owed = sum(x.fee_minor for x in uow.deals.deliverables([d.id])[d.id]) - uow.deals.paid(d.id)
        if amount_minor > owed:
            raise KolRejected([Problem("amount", "more_than_owed", {"owed": owed, "currency": d.currency})])
        row = uow.deals.add(
            KolPayment(deal_id=d.id, day=day, amount_minor=amount_minor, note=note.strip(), who=actor.email, at=now)
        )
        partner = uow.kol.partner(ws.id, d.partner_id)
        audit.record_in(
            uow,
            c,
            actor.who,
            "kol_deal_paid",
            entity=partner.name,
            detail=f"{amount_minor} {d.currency}",
            source=actor.source,
        )
        return row.id


def partners_paid_by_deals(uow, k: Campaign) -> set[int]:
    """Partners with an agreed (or later) deal in the campaign: their KOL money is the deal's."""
    return {d.partner_id for d in uow.deals.deals(k.workspace_id, [k.id]) if Status(d.status) in kd.COMMITTED}


def payments_as_spend(uow, k: Campaign) -> list[tuple[str, int, date, int]]:
    """(channel, partner id, day, amount in the campaign's currency) of the campaign's KOL payments."""
    return [
        (KOL, d.partner_id, p.day, kd.in_campaign_currency(p.amount_minor, d.currency, d.fx_rate, k.currency))
        for d, p in uow.deals.payments_in(k.id)
    ]

"""Offers (promotion rules) of a workspace: stored, checked as a set, and quoted against a cart."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns import privacy
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.promotions import serialize
from campaigns.promotions.cart import Cart, Context, Usage
from campaigns.promotions.quote import Quote, quote
from campaigns.promotions.rules import Offer
from campaigns.promotions.validate import validate_cart, validate_offer, validate_offers
from data.models import OfferRow


class OfferRejected(ValueError):
    """``problems``: each at its field of the offer (``benefit.percent``) or of the cart (``lines.0.key``)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class StoredOffer:
    offer: Offer
    campaign_id: int | None
    active: bool
    uses: int  # coupon uses so far over the offer's codes
    units: int  # flash-sale units reserved so far


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise OfferRejected([Problem("workspace", "required")])
    return ws


@requires(Permission.VIEW_OVERVIEW)
def offers(c: Container, actor: Actor) -> list[StoredOffer]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        return _stored(uow, ws.id) if ws else []


def _stored(uow, ws_id: int, active_only: bool = False, for_campaign: int | None = None) -> list[StoredOffer]:
    rows = uow.offers.all(ws_id, active_only, for_campaign)
    uses, units = uow.offers.coupon_uses(ws_id), uow.offers.flash_units(ws_id)
    return [
        StoredOffer(serialize.from_json(r.body), r.campaign_id, r.active, uses.get(r.key, 0), units.get(r.key, 0))
        for r in rows
    ]


def prepare(offer: Offer) -> tuple[Offer, list[Problem]]:
    """The offer with its key and name trimmed, and what is wrong with it on its own (stored lengths too)."""
    offer = replace(offer, key=offer.key.strip(), name=offer.name.strip())
    problems = validate_offer(offer)
    if len(offer.key) > 64:
        problems.append(Problem("key", "too_long", {"max": 64}))
    if len(offer.name) > 200:
        problems.append(Problem("name", "too_long", {"max": 200}))
    return offer, problems


def _renumbered(p: Problem, skip: int) -> Problem | None:
    """``offers.{skip + n}...`` -> ``offers.{n}...``; None for a problem of one of the first ``skip`` offers."""
    head, _, rest = p.field.removeprefix("offers.").partition(".")
    if not head.isdigit() or int(head) < skip:
        return None
    return replace(p, field=f"offers.{int(head) - skip}" + (f".{rest}" if rest else ""))


def store(uow, c: Container, actor: Actor, ws, batch: list[Offer], campaign_id: int | None, active: bool) -> None:
    """Write prepared offers in ``uow``, each added or replacing the stored offer with its key. Raises
    OfferRejected, having written nothing, when they clash with each other or with the workspace's other
    active offers (fields ``offers.N...``, N counting ``batch``) or the campaign is not the workspace's."""
    keys = {o.key for o in batch}
    others = [serialize.from_json(r.body) for r in uow.offers.all(ws.id, active_only=True) if r.key not in keys]
    problems: list[Problem] = []
    if active:  # the new offers go last: set problems land on the later offer, so on them
        problems = [q for p in validate_offers([*others, *batch]) if (q := _renumbered(p, len(others)))]
    if campaign_id is not None:
        k = uow.campaigns.get(campaign_id)
        if k is None or k.workspace_id != ws.id:
            problems.append(Problem("campaign", "required"))
    if problems:
        raise OfferRejected(problems)
    for offer in batch:
        row = uow.offers.by_key(ws.id, offer.key) or uow.offers.add(
            OfferRow(workspace_id=ws.id, key=offer.key, name="", stage="", kind="", updated_by="", updated_at=c.clock())
        )
        row.name, row.stage, row.kind = offer.name, str(offer.stage), offer.kind
        row.body, row.campaign_id, row.active = serialize.to_json(offer), campaign_id, active
        row.updated_by, row.updated_at = actor.email, c.clock()
        audit.record_in(uow, c, actor.who, "offer_saved", entity=offer.key, detail=offer.kind, source=actor.source)


@requires(Permission.EDIT_PROMOTIONS)
def save(c: Container, actor: Actor, offer: Offer, campaign_id: int | None = None, active: bool = True) -> None:
    """Add the offer, or replace the one with its key. Refused, with nothing stored, when the offer is
    wrong on its own or clashes with the workspace's other active offers (e.g. two exclusive offers of
    equal priority on the same items)."""
    offer, problems = prepare(offer)
    if problems:
        raise OfferRejected(problems)
    with c.uow(write=True) as uow:
        try:
            store(uow, c, actor, _workspace(uow), [offer], campaign_id, active)
        except OfferRejected as err:  # only this offer: "offers.0.key" -> "key"
            raise OfferRejected(
                [replace(p, field=p.field.removeprefix("offers.0").lstrip(".") or "key") for p in err.problems]
            ) from None


@requires(Permission.EDIT_PROMOTIONS)
def set_active(c: Container, actor: Actor, key: str, active: bool) -> None:
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        row = uow.offers.by_key(ws.id, key)
        if row is None:
            raise OfferRejected([Problem("key", "unknown_offer", {"key": key})])
        row.active = active
        audit.record_in(
            uow, c, actor.who, "offer_active" if active else "offer_paused", entity=key, source=actor.source
        )


@requires(Permission.VIEW_OVERVIEW)
def quote_cart(c: Container, actor: Actor, cart: Cart, ctx: Context, campaign_id: int | None = None) -> Quote:
    """What the cart costs under the workspace's active offers, explained; with ``campaign_id``, under the
    campaign's own and the workspace-wide ones (as its cost estimate counts them). The offers' usage so
    far (coupon uses, flash units reserved) counts against their limits."""
    problems = validate_cart(cart)
    if problems:
        raise OfferRejected(problems)
    with c.uow() as uow:  # offers, their usage and the shopper's, read together
        ws = uow.workspaces.current()
        stored = _stored(uow, ws.id, True, campaign_id) if ws else []
        mine_uses, mine_units = _customer_usage(uow, ws, ctx.shopper.id)
    usage = {
        s.offer.key: Usage(
            uses=s.uses,
            units=s.units,
            customer_uses=mine_uses.get(s.offer.key, 0),
            customer_units=mine_units.get(s.offer.key, 0),
        )
        for s in stored
    }
    return quote(cart, [s.offer for s in stored], replace(ctx, usage={**usage, **ctx.usage}))


def _customer_usage(uow, ws, customer: str) -> tuple[dict[str, int], dict[str, int]]:
    """The shopper's coupon uses and flash units so far, per offer (stored as salted hashes)."""
    if ws is None or not customer.strip():
        return {}, {}
    who = privacy.customer_hash(ws.salt, customer)
    return uow.offers.customer_coupon_uses(ws.id, who), uow.offers.customer_flash_units(ws.id, who)

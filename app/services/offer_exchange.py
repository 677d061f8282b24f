"""A campaign's rules in and out as ``festa.rules`` JSON (campaigns.promotions.exchange), and campaigns
found by what a person types at the command line (id, name or slug)."""

from __future__ import annotations

import re
import unicodedata

from app.bootstrap import Container
from app.services import audit, offers
from app.services.auth import Actor, requires
from app.services.offers import OfferRejected
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.promotions import exchange, serialize


def slug(name: str) -> str:
    """A campaign name as typed on a command line: lower case, each run of spaces and punctuation one
    hyphen. "Double 11 · 2027" -> "double-11-2027"; "双11 大促" -> "双11-大促" (campaigns store no slug)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "-", folded).strip("-")


def _workspace(uow):
    ws = uow.workspaces.current()
    if ws is None:
        raise OfferRejected([Problem("workspace", "required")])
    return ws


def _campaign(uow, ws, campaign_id: int):
    k = uow.campaigns.get(campaign_id)
    if k is None or k.workspace_id != ws.id:
        raise OfferRejected([Problem("campaign", "no_such_campaign", {"campaign": str(campaign_id)})])
    return k


@requires(Permission.VIEW_OVERVIEW)
def find_campaign(c: Container, actor: Actor, ref: str) -> int:
    """The id of the one campaign ``ref`` names by id, exact name or slug; OfferRejected (field
    ``campaign``: ``no_such_campaign`` or ``ambiguous``, with the candidates) otherwise."""
    with c.uow() as uow:
        ws = _workspace(uow)
        rows = uow.campaigns.all(ws.id)
    ref = ref.strip()
    wanted = slug(ref)
    hits = (
        [k for k in rows if str(k.id) == ref]
        or [k for k in rows if k.name == ref]
        or [k for k in rows if wanted and slug(k.name) == wanted]
    )
    if len(hits) == 1:
        return hits[0].id
    code = "ambiguous" if hits else "no_such_campaign"
    choices = [f"{k.id} {slug(k.name)}" for k in (hits or rows)]
    raise OfferRejected([Problem("campaign", code, {"campaign": ref, "choices": choices})])


@requires(Permission.VIEW_OVERVIEW)
def export_rules(c: Container, actor: Actor, campaign_id: int) -> dict:
    """The campaign's own active offers as a rules document (paused ones stay out: they are not rules
    in force, and two of them may be meant never to run together)."""
    with c.uow() as uow:
        ws = _workspace(uow)
        _campaign(uow, ws, campaign_id)
        rows = [r for r in uow.offers.all(ws.id, active_only=True) if r.campaign_id == campaign_id]
    return exchange.rules_to_json([serialize.from_json(r.body) for r in rows])


@requires(Permission.EDIT_PROMOTIONS)
def import_rules(c: Container, actor: Actor, campaign_id: int, data: object) -> list[str]:
    """Store every offer of a rules document as an active offer of the campaign, adding new keys and
    replacing the campaign's own; returns the keys. All or nothing, in one unit of work: any problem
    (an offer wrong on its own, the set, a clash with the workspace's other active offers, a key that
    belongs to another campaign or to the whole workspace) raises OfferRejected at ``offers.N.field``."""
    try:
        batch = exchange.rules_from_json(data)
    except exchange.JsonRejected as err:
        raise OfferRejected(err.problems) from None
    prepared = [offers.prepare(o) for o in batch]
    batch = [o for o, _ in prepared]
    problems = [Problem(f"offers.{i}.{p.field}", p.code, p.params) for i, (_, ps) in enumerate(prepared) for p in ps]
    if problems:
        raise OfferRejected(problems)
    with c.uow(write=True) as uow:
        ws = _workspace(uow)
        k = _campaign(uow, ws, campaign_id)
        for i, o in enumerate(batch):
            row = uow.offers.by_key(ws.id, o.key)
            if row is not None and row.campaign_id != campaign_id:
                owner = uow.campaigns.get(row.campaign_id) if row.campaign_id is not None else None
                problems.append(
                    Problem(f"offers.{i}.key", "taken", {"offer_key": o.key, "campaign": owner.name if owner else ""})
                )
        if problems:
            raise OfferRejected(problems)
        offers.store(uow, c, actor, ws, batch, campaign_id, True)
        audit.record_in(
            uow, c, actor.who, "rules_imported", entity=k.name, detail=f"{len(batch)} offers", source=actor.source
        )
    return [o.key for o in batch]

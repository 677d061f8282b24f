"""`python -m app quote` and `python -m app rules`: carts, quotes and rules files as JSON."""

from __future__ import annotations

import sys


class BadInput(ValueError):
    """A refused input file or option; the message names it and the field."""


def _phrase(p) -> str:
    """One problem in English: the catalog's text where it has the code, and the parameters it leaves out."""
    import string

    from app.ui.catalog import CATALOG

    text = CATALOG.get(f"promo_error.{p.code}", {}).get("en", "")
    used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    try:
        text = text.format(**p.params).rstrip(".")
    except (KeyError, IndexError, ValueError):
        text, used = "", set()
    rest = ", ".join(f"{k} {v}" for k, v in p.params.items() if k not in used and not isinstance(v, list | dict))
    return (text or p.code.replace("_", " ")) + (f" ({rest})" if rest else "")


def _refused(where: str, problems) -> BadInput:
    shown = "; ".join(f"{p.field or 'the file'}: {_phrase(p)}" for p in problems[:10])
    more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
    return BadInput(f"{where} — {shown}{more}")


def _read_json(path: str):
    import json
    from pathlib import Path

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"{path} — cannot be read: {getattr(err, 'strerror', None) or err}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise BadInput(f"{path} — not JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None


def _print_json(data, out=None) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2), file=out or sys.stdout)


def _campaign_id(c, actor, ref: str) -> int:
    from app.services.offer_exchange import find_campaign
    from app.services.offers import OfferRejected

    try:
        return find_campaign(c, actor, ref)
    except OfferRejected as err:
        p = err.problems[0]
        known = ", ".join(p.params.get("choices", [])) or "none"
        raise BadInput(f"--campaign {ref!r} — {p.code.replace('_', ' ')}; campaigns (id slug): {known}") from None


def cmd_quote(args) -> int:
    from dataclasses import replace
    from datetime import UTC, datetime

    from app.services.auth import Actor
    from campaigns.promotions import exchange
    from campaigns.promotions.quote import quote

    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            raise BadInput(f"--at {args.at!r} — not an ISO 8601 moment, e.g. 2027-11-11T10:00+08:00") from None
        if at.utcoffset() is None:
            raise BadInput(f"--at {args.at!r} — has no UTC offset: write one, e.g. 2027-11-11T10:00+08:00")
    data = _read_json(args.cart)
    c = None if args.rules else args.container()
    problems = []
    try:
        cart = exchange.cart_from_json(data)
    except exchange.JsonRejected as err:
        problems += err.problems
    try:
        context = data.get("context", {}) if isinstance(data, dict) else {}
        ctx = exchange.context_from_json(context, now=c.clock() if c else datetime.now(UTC))
    except exchange.JsonRejected as err:  # its fields are under "context" in the file
        problems += [replace(p, field=f"context.{p.field}".rstrip(".")) for p in err.problems]
    if problems:
        raise _refused(args.cart, problems)
    ctx = replace(ctx, at=at or ctx.at)
    if args.customer is not None:
        ctx = replace(ctx, shopper=replace(ctx.shopper, id=args.customer))
    if args.rules:  # the file's offers only: no database
        rules = _read_json(args.rules)
        try:
            q = quote(cart, exchange.rules_from_json(rules), ctx)
        except exchange.JsonRejected as err:
            raise _refused(args.rules, err.problems) from None
    else:
        from app.services import health, offers

        health.ensure_ready(c)
        actor = Actor.system()
        campaign = _campaign_id(c, actor, args.campaign) if args.campaign else None
        q = offers.quote_cart(c, actor, cart, ctx, campaign_id=campaign)
    _print_json(exchange.quote_to_json(q))
    return 0


def cmd_rules(args) -> int:
    from app.services import health, offer_exchange
    from app.services.auth import Actor
    from app.services.offers import OfferRejected

    c, actor = args.container(), Actor.system()
    health.ensure_ready(c)
    campaign = _campaign_id(c, actor, args.campaign)
    if args.action == "export":
        data = offer_exchange.export_rules(c, actor, campaign)
        if args.output is None:
            _print_json(data)
            return 0
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                _print_json(data, out)
        except OSError as err:
            raise BadInput(f"{args.output} — cannot be written: {err.strerror or err}") from None
        print(f"exported {len(data['offers'])} offer(s) of campaign {args.campaign} to {args.output}")
        return 0
    data = _read_json(args.file)
    try:
        keys = offer_exchange.import_rules(c, actor, campaign, data)
    except OfferRejected as err:
        raise _refused(f"{args.file} (nothing imported)", err.problems) from None
    print(f"imported {len(keys)} offer(s) into campaign {args.campaign}: {', '.join(keys) or '-'}")
    return 0


def add_parsers(sub, container) -> None:
    """The quote and rules commands; ``container`` builds the application container when one is needed."""
    q = sub.add_parser("quote", help="price a cart (JSON) and print the quote as JSON")
    q.add_argument("cart", help="cart file (format in the README)")
    src = q.add_mutually_exclusive_group()
    src.add_argument("--rules", help="offers from this rules file; the database is not used")
    src.add_argument("--campaign", help="the campaign's active offers and the workspace-wide ones (id, name or slug)")
    q.add_argument("--at", help="the moment, ISO 8601 with UTC offset (default: the cart's context.at, else now)")
    q.add_argument("--customer", help="the shopper's id (their coupon and flash-sale usage counts)")
    q.set_defaults(fn=cmd_quote, container=container)
    rules = sub.add_parser("rules", help="export or import a campaign's offers as a rules file (JSON)")
    rsub = rules.add_subparsers(dest="action", required=True, metavar="action")
    ex = rsub.add_parser("export", help="the campaign's active offers")
    ex.add_argument("--campaign", required=True, help="id, name or slug")
    ex.add_argument("-o", "--output", help="write to this file (default: standard output)")
    ex.set_defaults(fn=cmd_rules, container=container)
    im = rsub.add_parser("import", help="add or replace the campaign's offers from a file: all or nothing")
    im.add_argument("file")
    im.add_argument("--campaign", required=True, help="id, name or slug")
    im.set_defaults(fn=cmd_rules, container=container)

"""`python -m app import FILE` and `python -m app report --campaign SLUG`."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from app.cli_promote import BadInput, _campaign_id

SOURCES = ("auto", "x", "meta", "google-ads", "tiktok", "ga4", "ocean-engine", "wechat", "xiaohongshu", "orders")


def _source(values: list[str]) -> tuple[str, str | None]:
    """``--source google-ads`` -> ("google_ads", None); ``--source mapping NAME`` -> ("mapping", NAME)."""
    first = values[0]
    if first == "mapping":
        if len(values) != 2:
            raise BadInput("--source mapping needs the mapping's name: --source mapping NAME")
        return "mapping", values[1]
    if first not in SOURCES or len(values) != 1:
        raise BadInput(f"--source {' '.join(values)!r} — use one of {', '.join(SOURCES)}, or mapping NAME")
    return first.replace("-", "_"), None


def _plain(value):
    if isinstance(value, Decimal):
        return float(round(value, 6))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def cmd_import(args) -> int:
    from app.services import imports
    from app.services.auth import Actor
    from app.ui.problems import phrase

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BadInput(f"{path} — cannot be read: {err.strerror or err}") from None
    source, mapping_name = _source(args.source)
    c, actor = args.container(), Actor.system()
    campaign = _campaign_id(c, actor, args.campaign) if args.campaign else None
    pv = imports.preview(
        c,
        actor,
        path.name,
        raw,
        "auto" if mapping_name else source,
        campaign,
        args.date_order,
        mapping_name=mapping_name,
    )
    out = {
        "file": str(path),
        "source": pv.source,
        "rows": pv.rows,
        "already_stored": pv.duplicates,
        "skipped": [{"row": r, "reason": why} for r, why in pv.skipped],
        "unassigned": pv.unmatched,
        "problems": [phrase(p) for p in pv.problems],
        "info": pv.info,
        "totals": pv.totals() if pv.ok else {},
        "written": 0,
        "batch": None,
    }
    if pv.needs == "date_order":
        out["problems"].append(f"{path.name}: dates could be day or month first — say --date-order dmy|mdy|ymd")
    if pv.ok and not args.dry_run:
        done = imports.commit(c, actor, pv)
        out["written"], out["batch"] = done.written, done.batch_id
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print_import(out, args.dry_run, pv.same_file_batch)
    return 0 if not out["problems"] else 2


def _print_import(out: dict, dry_run: bool, same_file: int | None) -> None:
    print(f"{out['file']}: {out['source']}, {out['rows']} rows read")
    if same_file:
        print(f"  this file was imported before (batch {same_file}): its rows are already stored")
    for problem in out["problems"]:
        print(f"  problem: {problem}", file=sys.stderr)
    reasons: dict[str, list[int]] = {}
    for s in out["skipped"]:
        reasons.setdefault(s["reason"], []).append(s["row"])
    for reason, rows in reasons.items():
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        print(f"  skipped {len(rows)} {reason} row(s): {shown}")
    if out["problems"]:
        print("  nothing written")
        return
    print(f"  already stored: {out['already_stored']}; not tied to a campaign: {out['unassigned']}")
    for name, value in out["totals"].items():
        if isinstance(value, dict):
            for currency, minor in value.items():
                print(f"  {name.removesuffix('_minor'):<14} {_money(minor, currency)}")
        elif value:
            print(f"  {name:<14} {value}")
    print("  dry run: nothing written" if dry_run else f"  written: {out['written']} rows as batch {out['batch']}")


def _money(minor: int, currency: str) -> str:
    from campaigns.promotions.money import exponent

    exp = exponent(currency)
    return f"{Decimal(minor).scaleb(-exp):,.{exp}f} {currency}"


def cmd_report(args) -> int:
    from app.services import measure
    from app.services.auth import Actor

    c, actor = args.container(), Actor.system()
    cid = _campaign_id(c, actor, args.campaign)
    rep = measure.report(c, actor, measure.Filters(campaign_ids=(cid,)), margin=Decimal(args.margin))
    t = rep.totals
    data = {
        "campaign": args.campaign,
        "currency": rep.currency,
        "totals": {k: getattr(t, k) for k in t.__dataclass_fields__},
        "kpis": _plain(rep.kpis),
        "roi": _plain(rep.roi),
        "margin": float(rep.margin),
        "emv_minor": rep.emv_minor,
        "emv_cpm_minor": rep.emv_cpm_minor,
        "targets": {k: [_plain(p), _plain(a)] for k, (p, a) in rep.targets.items()},
        "by_source": {
            s: {**{k: getattr(v, k) for k in v.__dataclass_fields__}, "roas": _plain(measure.kpis(v)["roas"])}
            for s, v in rep.by_source.items()
        },
        "attributions": rep.attributions,
        "left_out_currencies": rep.other_currencies,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    cur = rep.currency
    print(f"{args.campaign} ({cur})")
    for k, v in data["totals"].items():
        print(f"  {k.removesuffix('_minor'):<16} {_money(v, cur) if k.endswith('_minor') else v}")
    for k, v in rep.kpis.items():
        kind = measure.metrics.KPIS[k].kind
        shown = "—" if v is None else _money(int(v.to_integral_value()), cur) if kind == "money" else round(v, 4)
        print(f"  {k:<16} {shown}")
    print(f"  {'roi':<16} {'—' if data['roi'] is None else round(data['roi'], 4)} (gross margin {data['margin']})")
    for source, figures in data["by_source"].items():
        how = ", ".join(rep.attributions.get(source, [])) or "—"
        print(
            f"  {source}: conversions {figures['conversions']} ({how}), value {_money(figures['revenue_minor'], cur)},"
            f" spend {_money(figures['spend_minor'], cur)}, ROAS {figures['roas']}"
        )
    for other, spend in rep.other_currencies.items():
        print(f"  left out: spend {_money(spend, other)} (not the campaign's currency)")
    return 0


def add_parsers(sub, container) -> None:
    i = sub.add_parser("import", help="import a platform export (CSV/XLSX) into the workspace's metrics")
    i.add_argument("file")
    i.add_argument(
        "--source",
        nargs="+",
        default=["auto"],
        metavar="SOURCE",
        help=f"{'|'.join(SOURCES)}, or: mapping NAME (a saved column mapping)",
    )
    i.add_argument("--campaign", help="tie every row to this campaign (id, name or slug)")
    i.add_argument("--date-order", choices=("dmy", "mdy", "ymd"), help="when dates could be day or month first")
    i.add_argument("--dry-run", action="store_true", help="read and check, write nothing")
    i.add_argument("--json", action="store_true", help="print the result as JSON")
    i.set_defaults(fn=cmd_import, container=container)
    r = sub.add_parser("report", help="print a campaign's KPIs")
    r.add_argument("--campaign", required=True, help="id, name or slug")
    r.add_argument("--margin", default="0.4", help="gross margin for ROI (default 0.4)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(fn=cmd_report, container=container)

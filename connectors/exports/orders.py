"""A shop's orders export, for attributed revenue: one row per order.

Festa's own layout is ``order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,
utm_content,customer_id`` (``utm_content``, a KOL partner's tracking code from the tracking link, may be left
out); common variants are read too (``订单号``, ``下单时间``, ``实付金额``, ``币种``, ``优惠码``, ``买家ID``;
``Order ID``, ``Created at``, ``Total``, ``Discount Code``, ``Email``). The day is the date as written in the
order time (``2026-11-11T00:05:12+08:00``, ``2026/11/11 00:05:12``): no zone is applied. Negative amounts
(refunds) are refused as bad money. Coupon codes are trimmed and upper-cased.

Customer identifiers are hashed as the file is read (``ReadOptions.hasher``); the raw value is never put in
the frame nor in a problem. Without a hasher, ``customer_hash`` is empty.
"""

from __future__ import annotations

import itertools

import pandas as pd

from campaigns.facts import problem
from connectors.exports import values as v
from connectors.exports.base import ReadOptions, ReadResult, Spec, blank, build, column, drop_rows, fold
from connectors.exports.document import Document

key = "orders"

_ID = ("order_id", "订单号", "订单编号", "Order ID", "Order number")
_AT = ("ordered_at", "下单时间", "订单创建时间", "创建时间", "Created at", "Order date")
_AMOUNT = ("amount", "实付金额", "买家实际支付金额", "实付款", "Total")
_CUSTOMER = ("customer_id", "买家ID", "买家id", "buyer_id", "Email", "邮箱", "手机号", "Phone")
_TOTAL = r"^\s*(合计|总计|total)\s*[:：]?\s*$"
# the date part of a time as written: 2026-11-11T…, 2026/11/11 …, 11/11/2026 … (day or month first: asked)
_DATE_PART = r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})"


def _day_part(col: pd.Series) -> pd.Series:
    part = col.astype("str").str.extract(_DATE_PART)[0]
    year_first = part.str.match(r"^\d{4}").fillna(False).astype(bool)
    part = part.where(~year_first, part.str.replace(r"[/.]", "-", regex=True))
    return part.fillna(col.astype("str"))


SPEC = Spec(
    source=key,
    day=_AT,
    day_formats=("%Y-%m-%d",),
    slashed=True,
    day_transform=_day_part,
    text={
        "code": ("coupon_code", "优惠码", "优惠券码", "Discount Code"),
        "utm_source": ("utm_source",),
        "utm_medium": ("utm_medium",),
        "utm_campaign": ("utm_campaign",),
        "utm_content": ("utm_content",),
    },
    ids={"entity": _ID},
    money={"revenue_minor": _AMOUNT},
    required=("day", "entity", "revenue_minor"),
    fixed={"attribution": ""},
)


def _header(doc: Document) -> int | None:
    """An order id column beside an order time or an amount (the reader then names what is missing)."""
    ids, others = {fold(h) for h in _ID}, {fold(h) for h in _AT + _AMOUNT}
    for i, row in enumerate(doc.first.head):
        cells = {fold(c) for c in row}
        if cells & ids and cells & others:
            return i
    return None


def sniff(doc: Document) -> bool:
    return _header(doc) is not None


def read(doc: Document, options: ReadOptions) -> ReadResult:
    table = doc.first.table(_header(doc))
    skipped: list[tuple[int, str]] = []
    table = drop_rows(table, blank(table), "blank", skipped)
    id_col = column(table, *_ID)
    table = drop_rows(table, table[id_col].astype("str").str.match(_TOTAL, case=False), "total", skipped)
    problems = []
    ids = v.text(table[id_col])
    for r in table.loc[ids == "", "_row"][:50]:
        problems.append(problem(doc.name, "missing_order_id", int(r), id_col))
    dup = ids.duplicated(keep=False) & (ids != "")
    for order, rows in itertools.islice(table.loc[dup, "_row"].groupby(ids[dup], sort=False), 50):
        rows = [int(r) for r in rows[:20]]
        problems.append(
            problem(doc.name, "duplicate_order", rows[1], id_col, order=order, rows=", ".join(map(str, rows)))
        )
    info = {"customers": "not kept"} if column(table, *_CUSTOMER) else {}
    result = build(doc.name, table, SPEC, options, info)
    result.problems = problems + result.problems
    result.skipped = skipped
    f = result.frame
    if not len(f):
        return result
    f["orders"] = 1
    f["code"] = f["code"].str.strip().str.upper()
    cust_col = column(table, *_CUSTOMER)
    if cust_col is not None and options.hasher is not None:
        who = v.text(table[cust_col])
        hashes = {w: _hash(options.hasher, w) for w in who.unique() if w}
        f["customer_hash"] = who.map(lambda w: hashes.get(w, "")).to_numpy()
        result.info["customers"] = "hashed"
    return result


def _hash(hasher, identifier: str) -> str:
    try:
        return hasher(identifier)
    except ValueError:  # nothing left after normalising (e.g. only punctuation): no customer
        return ""

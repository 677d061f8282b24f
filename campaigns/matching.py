"""Tying imported rows to Festa's world: campaign, channel, account, KOL partner and post.

For each row, the first that applies wins:
1. the campaign the person chose for the whole file;
2. the platform post id of a post Festa published (its campaign, account and channel);
3. the workspace's rules: ``equals`` rules, then ``contains`` rules, in the order they were made
   (field: campaign, utm_campaign, code, account, entity; a rule may be for one source or all);
4. ``utm_campaign`` equal to a campaign's slug (Festa tags its links that way, campaigns.compose.utm_for);
5. a coupon code from one of the campaign's batches, then a KOL partner's code (its deal's campaign): the code
   is the partner's personal coupon code (``code``) and rides in the deal's tracking link as ``utm_content``
   (campaigns.kol_deals.tracking_link); ``code`` is looked at before ``utm_content``;
6. the platform's campaign name equal to a campaign's name or slug.
Rows nothing ties stay unassigned; the person assigns them and the assignment becomes an ``equals`` rule.
The account is the matched post's, else the workspace's channel account the file names (``account``), whose
channel the row then takes. The KOL partner comes from a rule, then a partner's code (in ``code``, then in
``utm_content``; whatever tied the campaign, the chosen campaign included), then the partner's handle.
Codes compare as coupon codes do (``code_key``); which deals' codes count (not declined or cancelled ones) is
for whoever builds the ``World`` to say.
Matching looks at each distinct value once, so a million rows cost as much as their distinct names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from campaigns.facts import SOURCE_CHANNEL

RULE_FIELDS = ("campaign", "utm_campaign", "code", "account", "entity")
RULE_OPS = ("equals", "contains")


def fold(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).casefold().strip()


def slug(name: str) -> str:
    """As campaigns are named in UTM tags and on the command line: "Double 11 · 2027" -> "double-11-2027"."""
    return re.sub(r"[\W_]+", "-", fold(name)).strip("-")


def code_key(code: str) -> str:
    """Coupon codes compare upper-case without dashes or spaces (campaigns.promotions.codes stores them so)."""
    return re.sub(r"[\s\-]+", "", str(code)).upper()


@dataclass(frozen=True)
class Rule:
    field: str
    op: str
    value: str  # folded
    campaign_id: int
    source: str = ""  # "" for every source
    partner_id: int | None = None


@dataclass(frozen=True)
class PostRef:
    post_id: int
    campaign_id: int | None
    account_id: int
    channel: str


@dataclass
class World:
    """What the workspace holds that rows can be tied to."""

    campaigns: dict[int, str] = field(default_factory=dict)  # id -> name
    rules: list[Rule] = field(default_factory=list)
    posts: dict[str, PostRef] = field(default_factory=dict)  # platform post id -> post
    codes: dict[str, int] = field(default_factory=dict)  # code_key -> campaign id
    partner_codes: dict[str, int] = field(default_factory=dict)  # code_key -> partner id
    partner_code_campaigns: dict[str, int] = field(default_factory=dict)  # code_key -> the deal's campaign id
    partners: dict[str, int] = field(default_factory=dict)  # folded handle or name -> partner id
    accounts: dict[str, tuple[int, str]] = field(default_factory=dict)  # folded name -> (account id, channel)


def _by_value(values: pd.Series, decide) -> pd.Series:
    """``decide(value)`` once per distinct value, spread back over the rows (as ``values.map`` of the
    decisions would: the same values, the same dtype), by the rows' codes rather than by looking each up."""
    if not len(values):
        return values.map({})
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    decided = pd.Series([decide(v) for v in uniques])
    return pd.Series(decided.take(codes).to_numpy(), index=values.index, dtype=decided.dtype)


def match(frame: pd.DataFrame, world: World, chosen_campaign: int | None = None) -> pd.DataFrame:
    """Columns campaign_id, post_fk (the Festa post), account_id, partner_id (nullable Int64) and channel for
    ``frame`` (the canonical frame of one source, whose ``post_id`` is the platform's)."""
    n = len(frame)
    idx = frame.index
    out = pd.DataFrame({name: _none(idx) for name in ("campaign_id", "post_fk", "account_id", "partner_id")})
    if n == 0:
        out["channel"] = pd.Series(dtype="str")
        return out
    source = str(frame["source"].iloc[0])
    out["channel"] = _default_channel(frame, source)

    if world.posts:
        refs = _by_value(frame["post_id"].astype("str"), lambda v: world.posts.get(v))
        hit = refs.notna()
        if hit.any():
            out.loc[hit, "post_fk"] = refs[hit].map(lambda r: r.post_id).astype("Int64")
            out.loc[hit, "account_id"] = refs[hit].map(lambda r: r.account_id).astype("Int64")
            out.loc[hit, "channel"] = refs[hit].map(lambda r: r.channel)
            out.loc[hit, "campaign_id"] = refs[hit].map(lambda r: r.campaign_id).astype("Int64")

    def fill(candidate: pd.Series) -> None:
        todo = out["campaign_id"].isna() & candidate.notna()
        out.loc[todo, "campaign_id"] = candidate[todo].astype("Int64")

    rules = [r for r in world.rules if r.source in ("", source)]
    for op in RULE_OPS:
        for r in (r for r in rules if r.op == op):
            col = frame[r.field if r.field != "campaign" else "campaign"].astype("str")
            folded = _by_value(col, fold)
            hit = folded == r.value if op == "equals" else folded.str.contains(r.value, regex=False)
            hit = hit & (r.value != "")
            fill(pd.Series(r.campaign_id, index=idx).where(hit))
            if r.partner_id is not None:
                todo = hit & out["partner_id"].isna()
                out.loc[todo, "partner_id"] = r.partner_id

    slugs = {slug(name): cid for cid, name in world.campaigns.items()}
    names = {fold(name): cid for cid, name in world.campaigns.items()}
    fill(_by_value(frame["utm_campaign"].astype("str"), lambda v: slugs.get(slug(v)) if v else None))
    codes = _by_value(frame["code"].astype("str"), lambda v: code_key(v) if v else "")
    fill(_by_value(codes, lambda k: world.codes.get(k) if k else None))
    # a KOL partner's code, as the row's coupon code or in its tracking link's utm_content (the coupon code first)
    contents = _by_value(frame["utm_content"].astype("str"), lambda v: code_key(v) if v else "")
    partner_by_code = _by_value(codes, lambda k: world.partner_codes.get(k) if k else None)
    partner_by_content = _by_value(contents, lambda k: world.partner_codes.get(k) if k else None)
    partner_code = codes.where(partner_by_code.notna(), contents.where(partner_by_content.notna(), ""))
    fill(_by_value(partner_code, lambda k: world.partner_code_campaigns.get(k) if k else None))
    partner_by_code = partner_by_code.where(partner_by_code.notna(), partner_by_content)
    fill(
        _by_value(frame["campaign"].astype("str"), lambda v: (names.get(fold(v)) or slugs.get(slug(v))) if v else None)
    )
    if chosen_campaign is not None:
        out["campaign_id"] = pd.Series(chosen_campaign, index=idx, dtype="Int64")

    todo = out["partner_id"].isna() & partner_by_code.notna()
    out.loc[todo, "partner_id"] = partner_by_code[todo].astype("Int64")
    if world.partners:
        by_account = _by_value(frame["account"].astype("str"), lambda v: world.partners.get(fold(v)) if v else None)
        todo = out["partner_id"].isna() & by_account.notna()
        out.loc[todo, "partner_id"] = by_account[todo].astype("Int64")
    if world.accounts:  # the file names one of the workspace's own channel accounts
        own = _by_value(frame["account"].astype("str"), lambda v: world.accounts.get(fold(v)) if v else None)
        todo = out["account_id"].isna() & own.notna()
        if todo.any():
            out.loc[todo, "account_id"] = own[todo].map(lambda a: a[0]).astype("Int64")
            out.loc[todo, "channel"] = own[todo].map(lambda a: a[1])
    return out


def _none(idx: pd.Index) -> pd.Series:
    """A nullable Int64 column with every row missing."""
    n = len(idx)
    return pd.Series(pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool)), index=idx)


def _default_channel(frame: pd.DataFrame, source: str) -> pd.Series:
    """The source's channel; for orders, web analytics and mapped files, the row's utm_source when it has one."""
    base = SOURCE_CHANNEL.get(source, "other")
    if source in ("orders", "ga4", "mapping"):
        utm = _by_value(frame["utm_source"].astype("str"), lambda v: fold(v)[:32] if v else "")
        return utm.where(utm != "", base)
    return pd.Series(base, index=frame.index, dtype="str")

"""Shared pieces of the publishing pages (compose, review, posts calendar): post problems in words,
local times of a DST change, labels of accounts, channels, states and events, and a link to a post's review."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st
from babel import dates as bdates

from app.ui import format as fmt
from app.ui.catalog import CATALOG
from app.ui.i18n import language, message, t

REVIEW_PAGE = "app/pages/review.py"
REVIEW_PATH = "review"  # url path of the review page (streamlit_app.PAGES)
_LOCAL_PARAMS = ("local", "gap_start", "gap_end", "suggested", "fold_start", "fold_end")
_BYTES = ("media_too_big", "media_total_too_big")


def channel_name(channel: str) -> str:
    return message(f"channel.{channel}", channel)


def account_label(name: str, channel: str) -> str:
    return f"{name} · {channel_name(channel)}"


def state_name(state: str) -> str:
    return message(f"post_state.{state}", state)


def event_name(kind: str) -> str:
    return message(f"post_event.{kind}", kind)


def local_text(iso: str) -> str:
    """A naive local time (ISO text) in the reader's format, as the wall clock shows it."""
    try:
        naive = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return bdates.format_datetime(naive, format="short", locale=fmt.LOCALES[language()])


def moment(dt: datetime | None, tz: str) -> str:
    return fmt.moment(dt, tz, language()) if dt else fmt.NONE


def day_header(d: date) -> str:
    """ "Mon, Nov 24" / "11月24日周一"."""
    return bdates.format_skeleton("MMMEd", d, locale=fmt.LOCALES[language()])


def clock(dt: datetime, tz: str) -> str:
    """The time of day of an instant in ``tz``, e.g. "8:00 PM" / "20:00"."""
    return bdates.format_time(dt.astimezone(ZoneInfo(tz)), format="short", locale=fmt.LOCALES[language()])


def _megabytes(n) -> str:
    return f"{fmt.number(round(int(n) / 1_000_000, 1), language())} MB"


def readable_params(code: str, params: dict) -> dict:
    out = dict(params)
    for name in _LOCAL_PARAMS:
        if name in out:
            out[name] = local_text(out[name])
    for name in ("earlier_utc", "later_utc"):
        if name in out and "zone" in out:
            try:
                out[name] = fmt.moment(datetime.fromisoformat(out[name]), out["zone"], language())
            except (TypeError, ValueError):
                pass
    if "index" in out and isinstance(out["index"], int):
        out["index"] = out["index"] + 1  # people count files from 1
    if code in _BYTES:
        if "limit" in out and "max" not in out:  # publish_views.add_media names Festa's own cap "limit"
            out["max"] = out["limit"]
        out.update({k: _megabytes(out[k]) for k in ("size", "max") if k in out})
    if "state" in out:
        out["state"] = state_name(str(out["state"]))
    if "action" in out:
        out["action"] = message(f"post_action.{out['action']}", str(out["action"]))
    return out


def problem_text(field: str, code: str, params: dict) -> str:
    """One problem of a post service in words: where (the field, or the account it is about) and what."""
    base = field.split(".", 1)[0]
    key = f"compose_error.{code}"
    if base == "comment" and code == "too_long":
        key = "compose_error.comment_too_long"
    values = readable_params(code, params)
    if key not in CATALOG:
        what = t("compose_error.unknown", code=code)
    else:
        try:
            what = t(key, **values)
        except (KeyError, IndexError, ValueError):  # a parameter the text needs is missing: say it plainly
            what = t("compose_error.unknown", code=code)
    if base in ("variant", "media") and "account" in params:
        where = str(params["account"])
    else:
        where = message(f"compose_field.{base}", base)
    return t("compose.problem", where=where, what=what)


def show_problems(problems) -> None:
    for p in problems:
        st.error(problem_text(p.field, p.code, dict(p.params)))


def review_link(post_id: int) -> str:
    """A relative address of the post on the review page (for a LinkColumn)."""
    return f"{REVIEW_PATH}?post={post_id}"

"""KOL deliverables beside the owned posts: which ones remind their deal's owner.

Pure. A deliverable reminds while its deal still expects content (``kol_deals.OPEN``), it has no published URL,
and it is due within ``REMIND_AHEAD`` from now or is already overdue (``kol_deals.overdue``), however late.
Deliverables are moved and marked published on their deal, never from the calendar or a reminder.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from campaigns.kol_deals import OPEN

REMIND_AHEAD = timedelta(hours=48)


def reminds(due_at: datetime, published: bool, status: str, now: datetime, ahead: timedelta = REMIND_AHEAD) -> bool:
    """Whether a deliverable reminds its deal's owner now: an open deal, nothing published yet, due at or before
    ``now + ahead`` (overdue ones included)."""
    return not published and status in OPEN and due_at <= now + ahead

"""Which KOL deliverables remind their deal's owner: open deal, nothing published, due within 48 hours or
overdue however late."""

from datetime import UTC, datetime, timedelta

import pytest

from campaigns.kol_deals import Status, overdue
from campaigns.kol_schedule import REMIND_AHEAD, reminds

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (NOW - timedelta(days=90), True),  # long overdue still reminds
        (NOW - H, True),
        (NOW, True),
        (NOW + 47 * H, True),
        (NOW + REMIND_AHEAD, True),  # the window's end is inclusive
        (NOW + REMIND_AHEAD + timedelta(seconds=1), False),
        (NOW + timedelta(days=7), False),
    ],
)
def test_due_within_48_hours_or_overdue_reminds(due, expected):
    assert reminds(due, False, "agreed", NOW) is expected


@pytest.mark.parametrize("status", list(Status))
def test_only_deals_that_still_expect_content_remind(status):
    expected = status in {Status.AGREED, Status.SUBMITTED, Status.APPROVED}  # an invitation owes nothing yet
    assert reminds(NOW - H, False, status.value, NOW) is expected
    assert reminds(NOW + H, False, status.value, NOW) is expected


def test_a_published_deliverable_reminds_nobody():
    assert not reminds(NOW - H, True, "approved", NOW)
    assert not reminds(NOW + H, True, "approved", NOW)


def test_due_soon_is_a_reminder_but_not_overdue():
    assert reminds(NOW + H, False, "approved", NOW) and not overdue(NOW + H, False, "approved", NOW)
    assert reminds(NOW - H, False, "approved", NOW) and overdue(NOW - H, False, "approved", NOW)


def test_the_window_can_be_chosen():
    assert not reminds(NOW + 2 * H, False, "agreed", NOW, ahead=H)
    assert reminds(NOW + 2 * H, False, "agreed", NOW, ahead=3 * H)

"""KOL deliverables on the calendar and on the reminder surfaces, on a real SQLite file and a real PostgreSQL:
the calendar lists every deliverable due in the range with its deal's status and an overdue mark, filtered by
campaign; reminders are the open deals' unpublished deliverables due within 48 hours or overdue, matched to the
deal's owner by e-mail or display name."""

from datetime import timedelta

from app.services import accounts, kol_schedule
from app.services.auth import Actor
from tests.conftest import NOW
from tests.integration import kol_schedule_kit as kit

SYSTEM = Actor.system()
H = timedelta(hours=1)
URL = "https://www.xiaohongshu.com/explore/abc"


def _user(c, email: str, name: str) -> Actor:
    user, _ = accounts.create_user(c, SYSTEM, email, name, "content")
    with c.uow(write=True) as uow:
        uow.users.get(user.id).must_change_password = False
    return Actor(user.id, user.email, user.name, "content")


def test_the_calendar_lists_deliverables_in_range_with_status_and_overdue_mark(clocked_shop):
    c = clocked_shop
    spring, autumn = kit.campaign(c, "Spring"), kit.campaign(c, "Autumn")
    late, soon = kit.deal(
        c, spring, "小美", "agreed", "lin@shop.test",
        ("short_video", "douyin", NOW - 5 * H, ""), ("image_post", "xiaohongshu", NOW + 5 * H, ""),
    )  # fmt: skip
    (out,) = kit.deal(c, spring, "阿强", "published", "", ("image_post", "xiaohongshu", NOW - 3 * H, URL))
    (gone,) = kit.deal(c, autumn, "Lily", "cancelled", "lin@shop.test", ("live_stream", "weibo", NOW - H, ""))
    (far,) = kit.deal(c, autumn, "老王", "invited", "", ("article", "weibo", NOW + timedelta(days=9), ""))

    week = kol_schedule.deliverables_between(c, SYSTEM, NOW - timedelta(days=1), NOW + timedelta(days=6))
    assert [x.id for x in week] == [late, out, gone, soon]  # by due time; the one in 9 days is outside
    by_id = {x.id: x for x in week}
    assert (by_id[late].partner, by_id[late].campaign, by_id[late].kind, by_id[late].platform) == (
        "小美", "Spring", "short_video", "douyin",
    )  # fmt: skip
    assert (by_id[late].status, by_id[late].owner, by_id[late].overdue) == ("agreed", "lin@shop.test", True)
    assert not by_id[soon].overdue  # not due yet
    assert not by_id[out].overdue and by_id[out].published_url == URL  # published
    assert not by_id[gone].overdue and by_id[gone].status == "cancelled"  # a cancelled deal expects nothing
    assert far not in by_id

    only_autumn = kol_schedule.deliverables_between(
        c, SYSTEM, NOW - timedelta(days=1), NOW + timedelta(days=10), [autumn]
    )
    assert [x.id for x in only_autumn] == [gone, far]
    assert kol_schedule.deliverables_between(c, SYSTEM, NOW - timedelta(days=1), NOW, []) == []
    end = kol_schedule.deliverables_between(c, SYSTEM, NOW - 5 * H, NOW + 5 * H)  # [start, end): end excluded
    assert [x.id for x in end] == [late, out, gone]


def test_reminders_are_open_unpublished_deliverables_due_within_48_hours_or_overdue(clocked_shop):
    c = clocked_shop
    lin = _user(c, "lin@shop.test", "Lin")
    mei = _user(c, "mei@shop.test", "Mei Chen")
    k = kit.campaign(c, "Double 12")
    (ancient,) = kit.deal(
        c, k, "P1", "approved", "Lin <LIN@shop.test>", ("story", "weibo", NOW - timedelta(days=60), "")
    )
    soon, later = kit.deal(
        c, k, "P2", "agreed", "mei chen",
        ("short_video", "douyin", NOW + 47 * H, ""), ("short_video", "douyin", NOW + 49 * H, ""),
    )  # fmt: skip
    kit.deal(c, k, "P3", "submitted", "lin@shop.test", ("image_post", "xiaohongshu", NOW - H, URL))  # published
    kit.deal(c, k, "P4", "published", "lin@shop.test", ("image_post", "xiaohongshu", NOW - H, ""))  # not open
    kit.deal(c, k, "P5", "declined", "lin@shop.test", ("image_post", "xiaohongshu", NOW + H, ""))
    kit.deal(c, k, "P8", "invited", "lin@shop.test", ("image_post", "xiaohongshu", NOW - H, ""))  # owes nothing yet
    (stranger,) = kit.deal(c, k, "P6", "agreed", "小林 · agency", ("article", "weibo", NOW + 2 * H, ""))
    (nobody,) = kit.deal(c, k, "P7", "agreed", "", ("article", "weibo", NOW + 3 * H, ""))

    found = kol_schedule.reminders(c, SYSTEM)
    assert [r.item.id for r in found] == [ancient, stranger, nobody, soon]  # overdue first, then by due time
    assert [(r.owner, r.user, r.item.overdue) for r in found] == [
        ("Lin <LIN@shop.test>", "Lin", True),
        ("小林 · agency", None, False),  # matches no Festa user: listed on health, reminds nobody
        ("", None, False),
        ("mei chen", "Mei Chen", False),  # by display name, any case
    ]
    assert [r.item.id for r in kol_schedule.mine(c, lin)] == [ancient]
    assert [r.item.id for r in kol_schedule.mine(c, mei)] == [soon]
    assert kol_schedule.mine(c, SYSTEM) == []

    c.test_clock.now += 2 * H  # the 49-hour one enters the window; nothing leaves it
    assert [r.item.id for r in kol_schedule.mine(c, mei)] == [soon, later]
    assert [r.item.overdue for r in kol_schedule.mine(c, lin)] == [True]


def test_an_inactive_owner_is_not_matched(clocked_shop):
    c = clocked_shop
    gone = _user(c, "gone@shop.test", "Gone")
    with c.uow(write=True) as uow:
        uow.users.get(gone.user_id).active = False
    k = kit.campaign(c, "K")
    kit.deal(c, k, "P", "agreed", "gone@shop.test", ("story", "weibo", NOW + H, ""))
    [r] = kol_schedule.reminders(c, SYSTEM)
    assert (r.owner, r.user) == ("gone@shop.test", None)


def test_no_workspace_means_nothing_to_show(container):
    assert kol_schedule.deliverables_between(container, SYSTEM, NOW, NOW + H) == []
    assert kol_schedule.reminders(container, SYSTEM) == []

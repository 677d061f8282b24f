"""Posts from CSV on SQLite and PostgreSQL: a file with one bad row saves nothing and names the row and column;
a good file makes drafts in one go, links UTM-tagged; roles; export reads back."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.services import post_csv
from app.services.auth import AccessDenied, Actor
from campaigns.access import Role
from campaigns.publishing import PostState
from data.models import AuditEvent, Post
from data.models_publish import PostEvent

HEADER = "account,scheduled_local,timezone,title,body,link,campaign,phase,assignee"


def _actor(c, role: Role) -> Actor:
    with c.uow(write=True) as uow:
        user = uow.users.by_email(f"{role}@demo.festa.test")
        user.must_change_password = False
        return Actor(user.id, user.email, user.display_name, user.role)


def _names(c):
    """The demo's running campaign and one of its phases."""
    with c.uow() as uow:
        ws = uow.workspaces.current()
        camp = next(k for k in uow.campaigns.all(ws.id) if k.status == "running")
        phase = uow.campaigns.phases([camp.id])[0]
        return camp.name, phase.name, phase.id, camp.id


def _file(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8-sig")


def _count(c, model) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_one_bad_row_saves_nothing_and_names_its_row_and_column(demo):
    c, content = demo, _actor(demo, Role.CONTENT)
    campaign, phase, _, _ = _names(c)
    before = _count(c, Post), _count(c, PostEvent)
    data = _file(
        f"@festa_shop,2027-01-10 20:00,Asia/Shanghai,,fine,https://festa.example/a,{campaign},{phase},",
        f"@festa_shop,2027-01-10 21:00,Asia/Shanghai,,{'长' * 200},,,,",  # 400 weighted on X: too long
        "No such account,2027-01-10 21:00,Asia/Shanghai,,x,,,,",
        f"Festa 官方微博,2027-01-10 22:00,Asia/Shanghai,,y,,{campaign},No such phase,",
        "Festa 官方微博,2027-01-11 22:00,Asia/Shanghai,,z,,Nope,,",
        "Festa 抖音号,,,,口播脚本,,,,",  # Douyin posts need a video, which a CSV cannot carry
    )
    got = post_csv.import_posts(c, content, data, "bad.csv")
    assert got.created == []
    assert [(p.file, p.row, p.column, p.code) for p in got.problems] == [
        ("bad.csv", 3, "body", "too_long"),
        ("bad.csv", 4, "account", "account_not_found"),
        ("bad.csv", 5, "phase", "phase_not_found"),
        ("bad.csv", 6, "campaign", "campaign_not_found"),
        ("bad.csv", 7, None, "media_required"),
        ("bad.csv", 7, "assignee", "required"),  # a hand-off channel: someone must post it
    ]
    assert got.problems[0].params["max"] == 280 and got.problems[0].params["account"] == "@festa_shop"
    assert (_count(c, Post), _count(c, PostEvent)) == before
    with c.uow() as uow:
        assert uow.session.execute(select(AuditEvent).where(AuditEvent.action == "posts_imported")).first() is None


def test_a_file_level_problem_saves_nothing(demo):
    before = _count(demo, Post)
    got = post_csv.import_posts(demo, _actor(demo, Role.CONTENT), b"account,text\r\nx,y\r\n", "h.csv")
    assert [(p.row, p.code) for p in got.problems] == [(1, "unknown_columns"), (1, "missing_columns")]
    assert _count(demo, Post) == before


def test_a_good_file_makes_drafts_in_one_go_with_tagged_links(demo):
    c, content = demo, _actor(demo, Role.CONTENT)
    campaign, phase, phase_id, camp_id = _names(c)
    before = _count(c, Post)
    data = _file(
        f"@festa_shop,2027-01-10 20:00,Asia/Shanghai,,=1+1 is text,https://festa.example/a?x=1,{campaign},{phase},",
        "Festa 官方微博,2027/1/10 9:00,Europe/Berlin,标题,预售开启 https://festa.example/b,,,,",
        "Festa Deals,,,,频道通知,,,,小王",  # no time yet
    )
    dry = post_csv.import_posts(c, content, data, "good.csv", dry_run=True)
    assert dry.ok and dry.created == [] and len(dry.rows) == 3 and _count(c, Post) == before
    got = post_csv.import_posts(c, content, data, "good.csv")
    assert got.ok and len(got.created) == 3 and _count(c, Post) == before + 3
    with c.uow() as uow:
        rows = [uow.session.get(Post, i) for i in got.created]
        events = uow.session.execute(select(PostEvent.body).where(PostEvent.post_id.in_(got.created))).scalars().all()
        audit = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "posts_imported")).scalars().all()
    x, weibo, telegram = rows
    assert all(p.state == PostState.DRAFT and p.author_id == content.user_id for p in rows)
    assert x.body == "=1+1 is text" and x.campaign_id == camp_id and x.phase_id == phase_id
    assert x.link.startswith("https://festa.example/a?x=1&utm_source=x&utm_medium=social&utm_campaign=")
    assert x.scheduled_at.replace(tzinfo=UTC) == datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    assert weibo.body == "预售开启 https://festa.example/b" and weibo.link is None  # no campaign: not tagged
    assert weibo.timezone == "Europe/Berlin" and weibo.scheduled_at.replace(tzinfo=UTC) == datetime(
        2027, 1, 10, 8, 0, tzinfo=UTC
    )
    assert telegram.scheduled_at is None and telegram.assignee == "小王" and telegram.timezone == "Asia/Shanghai"
    assert sorted(events) == ["good.csv row 2", "good.csv row 3", "good.csv row 4"]
    assert len(audit) == 1 and audit[0].entity == "good.csv" and audit[0].detail.startswith("3 drafts")


def test_a_campaign_tags_links_in_the_body_too(demo):
    c = demo
    campaign, _, _, _ = _names(c)
    got = post_csv.import_posts(
        c, _actor(c, Role.CONTENT), _file(f"Festa 官方微博,,,,看这里 https://festa.example/c,,{campaign},,"), "t.csv"
    )
    with c.uow() as uow:
        body = uow.session.get(Post, got.created[0]).body
    assert "https://festa.example/c?utm_source=weibo&utm_medium=social&utm_campaign=" in body


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MARKETER, Role.MANAGER, Role.ADMIN])
def test_only_roles_that_compose_may_import(demo, role):
    before = _count(demo, Post)
    with pytest.raises(AccessDenied):
        post_csv.import_posts(demo, _actor(demo, role), _file("Festa 官方微博,,,,hi,,,,"), "r.csv")
    assert _count(demo, Post) == before
    with demo.uow() as uow:
        denied = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "authz_fail")).scalars().all()
    assert denied[-1].entity == "post_csv.import_posts"


def test_an_export_is_formula_safe_and_imports_back_as_new_drafts(demo):
    c, content = demo, _actor(demo, Role.CONTENT)
    campaign, phase, _, _ = _names(c)
    data = _file(
        f'@festa_shop,2027-01-10 20:00,Asia/Shanghai,-50%,=HYPERLINK("http://evil"),,{campaign},{phase},',
    )
    made = post_csv.import_posts(c, content, data, "one.csv").created
    start = datetime(2027, 1, 10, tzinfo=UTC)
    out = post_csv.export_posts(c, _actor(c, Role.ANALYST), start, start + timedelta(days=1))
    header, *rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    (row,) = [dict(zip(header, r, strict=True)) for r in rows if r[header.index("id")] == str(made[0])]
    assert row["body"].startswith("'=HYPERLINK(\"http://evil/?utm_source=x&") and row["title"] == "'-50%"
    assert (row["scheduled_local"], row["campaign"], row["phase"], row["state"]) == (
        "2027-01-10 20:00",
        campaign,
        phase,
        "draft",
    )
    again = post_csv.import_posts(c, content, out, "export.csv")
    assert again.ok and len(again.created) == len(rows)
    with c.uow() as uow:
        first = uow.session.get(Post, made[0])
        copy = uow.session.get(Post, again.created[rows.index(next(r for r in rows if r[-2] == str(made[0])))])
    assert first.body.startswith('=HYPERLINK("http://evil/?utm_source=x&')  # text, tagged like any link
    assert (copy.body, copy.title, copy.phase_id) == (first.body, "-50%", first.phase_id)  # tagging twice: no change


def test_the_template_imports_where_its_names_exist(demo):
    got = post_csv.import_posts(demo, _actor(demo, Role.CONTENT), post_csv.template(), "template.csv", dry_run=True)
    # the example names a campaign the demo does not have; the account exists
    assert [(p.row, p.column, p.code) for p in got.problems] == [(2, "campaign", "campaign_not_found")]


def test_the_link_counts_as_the_connector_sends_it(demo):
    body = "a" * 257  # with the line break and the link (23 on X), 281
    got = post_csv.import_posts(
        demo, _actor(demo, Role.CONTENT), _file(f"@festa_shop,,,,{body},https://festa.example/a,,,"), "l.csv"
    )
    assert [(p.row, p.column, p.code, p.params["length"]) for p in got.problems] == [(2, "body", "too_long", 281)]

"""The Posts CSV page: renders in both languages, offers the template, exports; imports go through the service
(AppTest cannot drive a file uploader)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from app.services import post_csv
from app.services.auth import Actor
from app.ui.catalog import CATALOG
from tests.app.conftest import run_app, token_for, visible_text

PAGE = "app/pages/posts_csv.py"


def _page(c, role="content", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_page_speaks_both_languages_and_offers_the_template(demo_app, lang):
    at = _page(demo_app, lang=lang)
    text = visible_text(at)
    assert CATALOG["page.posts_csv"][lang] in [e.value for e in at.title]
    assert CATALOG["post_csv.template_header"][lang] in text and "⟦" not in text
    buttons = at.get("download_button")
    assert buttons, "no template download"
    assert CATALOG["post_csv.download_template"][lang] in str(buttons[0].proto)


def test_a_role_that_cannot_compose_is_told_so_and_may_still_export(demo_app):
    at = _page(demo_app, role="analyst")
    assert CATALOG["post_csv.no_permission"]["en"] in visible_text(at)
    at.button[0].click().run()  # prepare the export
    assert not at.exception and len(at.get("download_button")) == 2


def test_an_import_through_the_service_shows_up_in_the_export(demo_app):
    c = demo_app
    with c.uow() as uow:
        user = uow.users.by_email("content@demo.festa.test")
        actor = Actor(user.id, user.email, user.display_name, user.role)
    local = datetime.now(UTC) + timedelta(days=3)
    data = (
        "account,scheduled_local,timezone,body\r\n"
        f"@festa_shop,{local:%Y-%m-%d} 20:00,Asia/Shanghai,=SUM(A1) from the page test\r\n"
    ).encode("utf-8-sig")
    made = post_csv.import_posts(c, actor, data, "page.csv")
    assert made.ok and len(made.created) == 1
    at = _page(c)
    at.button[0].click().run()
    assert not at.exception
    start = datetime.now(UTC) - timedelta(days=1)
    out = post_csv.export_posts(c, actor, start, start + timedelta(days=40))
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert any(r["body"] == "'=SUM(A1) from the page test" for r in rows)

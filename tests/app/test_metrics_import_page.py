"""The Import data page: both languages; a preview (as the uploader leaves it) is shown with its totals and
imported with one click; problems are listed at file, row and column; unassigned rows are tied to a campaign
and remembered; an import is undone after a confirmation. (AppTest cannot drive a file uploader: the preview
is made by the service, as the page makes it, and handed to the page's state.)"""

import pytest

from app.services import imports
from app.services.auth import Actor
from app.ui.catalog import CATALOG
from data.models_measure import MetricFact
from tests.app.conftest import run_app, token_for, visible_text
from tests.integration.test_imports import ADS

PAGE = "app/pages/metrics_import.py"


def _page(c, role="analyst", lang="en", preview=None):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE)
    if preview is not None:
        at.session_state["measure_preview"] = preview
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at, key):
    return next(b for b in at.button if b.label.startswith(CATALOG[key]["en"].split("{")[0].strip()))


def _facts(c) -> int:
    with c.uow() as uow:
        return uow.session.query(MetricFact).count()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_page_speaks_both_languages(demo_app, lang):
    at = _page(demo_app, lang=lang)
    text = visible_text(at)
    assert CATALOG["page.metrics_import"][lang] in [e.value for e in at.title] and "⟦" not in text
    assert CATALOG["measure.batches_header"][lang] in text


def test_a_preview_is_shown_and_imported_with_one_click(demo_app):
    before = _facts(demo_app)
    pv = imports.preview(demo_app, Actor.system(), "campaign.csv", ADS.encode())
    at = _page(demo_app, preview=pv)
    text = visible_text(at)
    assert "campaign.csv: read as Google Ads" in text and "Skipped 1 rows (total): rows 7" in text
    assert "¥1,325.45" in text or "CN¥1,325.45" in text
    _button(at, "measure.import_button").click().run()
    assert not at.exception
    assert _facts(demo_app) == before + 3
    assert "Imported 3 rows" in visible_text(at)


def test_problems_are_listed_where_they_are_and_nothing_can_be_imported(demo_app):
    pv = imports.preview(demo_app, Actor.system(), "campaign.csv", ADS.replace("316.05", "abc").encode())
    at = _page(demo_app, preview=pv)
    table = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert table.iloc[0].to_dict() == {
        "File": "campaign.csv",
        "Row": "5",
        "Column": "Cost",
        "Problem": "Not a valid amount (or negative): abc",
    }
    assert not [b for b in at.button if b.label.startswith("Import ")]


def test_unassigned_rows_are_tied_and_remembered_and_an_import_undone(demo_app):
    done = imports.commit(demo_app, Actor.system(), imports.preview(demo_app, Actor.system(), "c.csv", ADS.encode()))
    at = _page(demo_app)
    assert "Brand Search" in visible_text(at)
    submit = next(b for b in at.button if b.label == CATALOG["measure.assign_button"]["en"])
    submit.click().run()
    assert not at.exception
    assert imports.unassigned(demo_app, Actor.system()) == []
    assert "brand search" in visible_text(at)  # the rule it made
    at.checkbox[-1].check()
    next(b for b in at.button if b.label == CATALOG["measure.undo_button"]["en"]).click().run()
    assert not at.exception
    assert f"Import {done.batch_id} undone: 3 rows removed." in visible_text(at)


def test_a_manager_sees_the_imports_but_cannot_import(demo_app):
    at = _page(demo_app, role="manager")
    assert CATALOG["measure.no_permission"]["en"] in visible_text(at)
    assert not [b for b in at.button if b.label == CATALOG["measure.undo_button"]["en"]]

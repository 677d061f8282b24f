"""The Results page: headline figures as ratios of sums, definitions one click away, filters that survive a
visit to another page, breakdowns, platform conversions apart, exports; both languages."""

import pytest

from app.services import imports
from app.services.auth import Actor
from app.ui.catalog import CATALOG
from tests.app.conftest import run_app, token_for, visible_text

PAGE = "app/pages/results.py"


def _page(c, role="manager", lang="en"):
    at = run_app(lang, token_for(c, role))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _metric(at, label):
    return next(m for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_page_shows_the_finished_double_11_in_both_languages(demo_app, lang):
    at = _page(demo_app, lang=lang)
    text = visible_text(at)
    assert CATALOG["page.results"][lang] in [e.value for e in at.title] and "⟦" not in text
    assert CATALOG["results.funnel"][lang] in text and CATALOG["results.by_source"][lang] in text
    roas = _metric(at, CATALOG["kpi.roas"][lang])
    assert roas.value not in ("", "—") and CATALOG["kpi_def.roas"][lang] in roas.proto.help
    assert len(at.get("download_button")) == 3


def test_headline_ctr_is_the_ratio_of_the_sums(demo_app):
    from app.services import measure

    at = _page(demo_app)
    campaign = at.selectbox[0].value
    rep = measure.report(demo_app, Actor.system(), measure.Filters(campaign_ids=(campaign,)))
    expected = rep.totals.clicks / rep.totals.impressions
    shown = _metric(at, "CTR").value
    assert shown == f"{expected:.2%}"


def test_filters_survive_a_visit_to_another_page(demo_app):
    at = _page(demo_app)
    at.selectbox[0].select_index(0).run()  # every campaign
    assert at.selectbox[0].value is None
    at.switch_page("app/pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception and at.selectbox[0].value is None


def test_imported_platform_conversions_stay_with_their_platform(demo_app):
    from tests.integration.test_imports import ADS

    with demo_app.uow(write=True) as uow:
        uow.users.by_email("analyst@demo.festa.test").must_change_password = False
    pv = imports.preview(demo_app, Actor.system(), "campaign.csv", ADS.encode())
    campaigns = {k for k in pv.frame["campaign_id"].dropna()}
    imports.commit(demo_app, Actor.system(), pv)
    at = _page(demo_app)
    at.selectbox[0].select(int(next(iter(campaigns)))).run()
    assert not at.exception
    text = visible_text(at)
    assert "google_ads:conversions" in text and "Google Ads" in text
    assert _metric(at, "Orders").value == "0"  # Google's 12.87 conversions are not the shop's orders


def test_a_role_without_dashboards_does_not_get_the_page(demo_app):
    at = run_app("en", token_for(demo_app, "content"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)

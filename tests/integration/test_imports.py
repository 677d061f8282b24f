"""Imports on SQLite and PostgreSQL: preview writes nothing; a clean file becomes one batch whose totals equal
the platform's; the same file or the same rows twice change nothing; undo restores every chart; a failed
import leaves nothing; unmatched rows are assigned and remembered; roles."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.services import imports, measure
from app.services.auth import AccessDenied, Actor
from app.services.measure import Filters
from campaigns.access import Role
from data.models import AuditEvent, Campaign, MetricDaily
from data.models_measure import ImportBatch, MetricFact

ADS = (
    "Campaign report\n"
    '"November 20, 2026 - November 21, 2026"\n'
    "Day,Campaign,Clicks,Impr.,CTR,Currency code,Cost,Conversions,Conv. value\n"
    '2026-11-20,双12 2026,"1,240",13220,9.38%,CNY,"1,004.40",12.37,"5,120.00"\n'
    "2026-11-21,双12 2026,310,4100,7.56%,CNY,316.05,0.5,250.00\n"
    "2026-11-21,Brand Search,10,100,10.00%,CNY,5.00,--,--\n"
    "Total: Account,,1560,17420,8.96%,CNY,1325.45,12.87,5370.00\n"
)


def _actor(c, role: Role) -> Actor:
    with c.uow(write=True) as uow:
        user = uow.users.by_email(f"{role}@demo.festa.test")
        user.must_change_password = False
        return Actor(user.id, user.email, user.display_name, user.role)


def _running(c) -> int:
    with c.uow() as uow:
        return next(k.id for k in uow.campaigns.all(uow.workspaces.current().id) if k.name == "双12 2026")


def _count(c, model) -> int:
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _report(c, campaign_id):
    return measure.report(c, Actor.system(), Filters(campaign_ids=(campaign_id,)))


@pytest.fixture
def analyst(demo):
    return _actor(demo, Role.ANALYST)


def test_preview_writes_nothing_and_commit_writes_the_platforms_totals(demo, analyst):
    before = (_count(demo, MetricFact), _count(demo, MetricDaily), _count(demo, ImportBatch))
    pv = imports.preview(demo, analyst, "campaign.csv", ADS.encode())
    assert pv.ok and pv.source == "google_ads" and pv.rows == 3 and pv.unmatched == 1
    assert pv.totals()["clicks"] == 1560 and pv.totals()["spend_minor"] == {"CNY": 132545}
    assert (_count(demo, MetricFact), _count(demo, MetricDaily), _count(demo, ImportBatch)) == before

    done = imports.commit(demo, analyst, pv)
    assert (done.written, done.duplicates, done.skipped, done.unmatched) == (3, 0, 1, 1)
    rep = _report(demo, _running(demo))
    # the matched campaign's rows, summed as Google shows them; the unmatched row waits for a person
    assert (rep.totals.clicks, rep.totals.impressions, rep.totals.spend_minor) == (1550, 17320, 132045)
    assert rep.by_source["google_ads"].conversions == pytest.approx(12.87)
    assert rep.by_source["google_ads"].revenue_minor == 537000
    # a platform's conversions and value never become the campaign's orders and revenue
    assert (rep.totals.orders, rep.totals.revenue_minor) == (0, 0)
    assert rep.attributions == {"google_ads": ["google_ads:conversions"]}
    with demo.engine.connect() as conn:
        assert conn.execute(select(AuditEvent.action).where(AuditEvent.action == "metrics_imported")).first()


def test_the_same_file_twice_changes_nothing(demo, analyst):
    imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    facts = _count(demo, MetricFact)
    again = imports.preview(demo, analyst, "campaign (1).csv", ADS.encode())
    assert again.same_file_batch is not None and again.duplicates == 3
    done = imports.commit(demo, analyst, again)
    assert (done.written, done.duplicates) == (0, 3)
    assert _count(demo, MetricFact) == facts
    assert _report(demo, _running(demo)).totals.clicks == 1550


def test_overlapping_rows_in_another_file_are_not_counted_twice(demo, analyst):
    imports.commit(demo, analyst, imports.preview(demo, analyst, "a.csv", ADS.encode()))
    more = ADS.replace("2026-11-21,Brand Search,10,100,10.00%,CNY,5.00,--,--\n", "2026-11-22,双12 2026,1,10,,CNY,1,,\n")
    done = imports.commit(demo, analyst, imports.preview(demo, analyst, "b.csv", more.encode()))
    assert (done.written, done.duplicates) == (1, 2)
    assert _report(demo, _running(demo)).totals.clicks == 1551


def test_undo_restores_every_figure_and_can_happen_once(demo, analyst):
    cid = _running(demo)
    before = _report(demo, cid).totals
    done = imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    assert _report(demo, cid).totals != before
    assert imports.undo(demo, analyst, done.batch_id) == 3
    assert _report(demo, cid).totals == before
    with demo.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(MetricFact.batch_id == done.batch_id)).scalar_one() == 0
    batch = next(b for b in imports.batches(demo, analyst) if b.id == done.batch_id)
    assert batch.undone_at is not None and batch.undone_by == analyst.email
    with pytest.raises(imports.ImportRejected) as err:
        imports.undo(demo, analyst, done.batch_id)
    assert err.value.problems[0].code == "already_undone"
    # undone rows may come back
    assert imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode())).written == 3


def test_a_file_with_a_problem_is_refused_whole(demo, analyst):
    bad = ADS.replace("316.05", "-316.05")
    pv = imports.preview(demo, analyst, "campaign.csv", bad.encode())
    assert [(p.code, p.row, p.column) for p in pv.problems] == [("bad_money", 5, "Cost")]
    with pytest.raises(imports.ImportRejected):
        imports.commit(demo, analyst, pv)
    assert _count(demo, ImportBatch) == 1  # the demo's seed batch only


def test_days_in_the_future_are_named(demo, analyst):
    future = ADS.replace("2026-11-21,Brand", "2027-01-05,Brand")
    pv = imports.preview(demo, analyst, "campaign.csv", future.encode())
    assert [(p.code, p.row, p.param("day")) for p in pv.problems] == [("future_date", 6, "2027-01-05")]


def test_a_failed_write_leaves_nothing_behind(demo, analyst, monkeypatch):
    pv = imports.preview(demo, analyst, "campaign.csv", ADS.encode())
    before = (_count(demo, MetricFact), _count(demo, MetricDaily), _count(demo, ImportBatch))
    from data import measure_repos

    def broken(self, cid_spans):
        raise RuntimeError("disk full")

    monkeypatch.setattr(measure_repos.MeasureRepo, "rebuild_rollup", broken)
    with pytest.raises(RuntimeError):
        imports.commit(demo, analyst, pv)
    assert (_count(demo, MetricFact), _count(demo, MetricDaily), _count(demo, ImportBatch)) == before


def test_unmatched_rows_are_assigned_and_the_next_file_follows(demo, analyst):
    imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    groups = imports.unassigned(demo, analyst)
    assert [(g.source, g.campaign, g.rows) for g in groups] == [("google_ads", "Brand Search", 1)]
    cid = _running(demo)
    imports.assign(demo, analyst, groups[0], cid)
    assert imports.unassigned(demo, analyst) == []
    assert _report(demo, cid).totals.clicks == 1560
    assert [(r.field, r.op, r.value) for r in imports.rules(demo, analyst)] == [("campaign", "equals", "brand search")]
    later = "Day,Campaign,Clicks,Impr.,Cost,Currency code\n2026-11-22,BRAND SEARCH,5,50,2.50,CNY\n"
    pv = imports.preview(demo, analyst, "later.csv", later.encode())
    assert pv.unmatched == 0 and int(pv.frame.loc[0, "campaign_id"]) == cid


def test_a_rule_ties_rows_by_part_of_the_name(demo, analyst):
    cid = _running(demo)
    imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    assert [g.campaign for g in imports.unassigned(demo, analyst)] == ["Brand Search"]
    imports.add_rule(demo, analyst, "campaign", "contains", "brand", cid)
    assert imports.unassigned(demo, analyst) == []  # rows already stored follow the new rule
    assert _report(demo, cid).totals.clicks == 1560
    pv = imports.preview(demo, analyst, "campaign.csv", ADS.encode())
    assert pv.unmatched == 0
    with pytest.raises(imports.ImportRejected) as err:
        imports.add_rule(demo, analyst, "campaign", "contains", "Brand", cid)
    assert err.value.problems[0].code == "rule_exists"


def test_the_person_may_choose_the_campaign_for_the_whole_file(demo, analyst):
    with demo.uow() as uow:
        past = uow.session.execute(select(Campaign.id).where(Campaign.status == "finished")).scalar_one()
    pv = imports.preview(demo, analyst, "campaign.csv", ADS.encode(), campaign_id=past)
    assert set(pv.frame["campaign_id"].astype(int)) == {past}


def test_order_files_keep_no_customer_identifier(demo, analyst):
    orders = (
        "order_id,ordered_at,amount,currency,coupon_code,utm_source,utm_medium,utm_campaign,customer_id\n"
        "A-1,2026-11-20 10:00:00,299.00,CNY,,wechat,social,双12-2026,li.wei@example.com\n"
        "A-2,2026-11-21 11:00:00,100.50,CNY,,weibo,social,双12-2026,13800138000\n"
    )
    done = imports.commit(demo, analyst, imports.preview(demo, analyst, "orders.csv", orders.encode()))
    assert (done.written, done.unmatched) == (2, 0)
    rep = _report(demo, _running(demo))
    assert (rep.totals.orders, rep.totals.revenue_minor) == (2, 39950)
    assert set(rep.by_channel) >= {"wechat", "weibo"}
    with demo.engine.connect() as conn:
        dump = " ".join(str(r) for r in conn.execute(select(MetricFact)).all())
    assert "li.wei" not in dump and "13800138000" not in dump


def test_only_people_who_import_metrics_may_import(demo):
    content = _actor(demo, Role.CONTENT)
    with pytest.raises(AccessDenied):
        imports.preview(demo, content, "campaign.csv", ADS.encode())
    manager = _actor(demo, Role.MANAGER)
    assert imports.batches(demo, manager)  # managers see the imports


def test_year_over_year_lines_up_by_days_to_the_festival(demo, analyst):
    with demo.uow() as uow:
        past = uow.session.execute(select(Campaign).where(Campaign.status == "finished")).scalar_one()
    yoy = measure.year_over_year(demo, analyst, past.id)
    assert yoy is not None and yoy.festival == "double_11" and yoy.last_year is None
    assert yoy.this_year[0].impressions > 0 and min(yoy.this_year) < 0 < max(yoy.this_year)


def test_the_rollup_matches_the_facts_after_every_change(demo, analyst):
    done = imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    imports.assign(demo, analyst, imports.unassigned(demo, analyst)[0], _running(demo))
    imports.undo(demo, analyst, done.batch_id)
    q = "SELECT COALESCE(SUM(clicks), 0), COALESCE(SUM(spend_minor), 0) FROM {} WHERE campaign_id IS NOT NULL"
    with demo.engine.connect() as conn:
        assert conn.execute(text(q.format("metric_fact"))).one() == conn.execute(text(q.format("metric_daily"))).one()
    assert date(2026, 11, 20) not in _report(demo, _running(demo)).by_day


SHEET = "日期,活动,曝光,点击,花费\n2026-11-20,双12 2026,1000,50,20.50\n2026-11-21,双12 2026,800,40,10.00\n"


def test_a_mapped_layout_is_saved_and_found_again(demo, analyst):
    from app.services import import_mappings

    unknown = imports.preview(demo, analyst, "sheet.csv", SHEET.encode())
    assert [p.code for p in unknown.problems] == ["unknown_layout"]
    lay = import_mappings.layout(demo, analyst, "sheet.csv", SHEET.encode())
    assert lay.columns == ["日期", "活动", "曝光", "点击", "花费"] and lay.saved is None
    mapping = {"day": "日期", "campaign": "活动", "impressions": "曝光", "clicks": "点击", "spend_minor": "花费"}
    with pytest.raises(imports.ImportRejected) as err:
        import_mappings.save(demo, analyst, "our sheet", lay.columns, {**mapping, "reach": "触达"})
    assert [p.code for p in err.value.problems] == ["missing_column"]
    import_mappings.save(demo, analyst, "our sheet", lay.columns, mapping)
    pv = imports.preview(demo, analyst, "sheet.csv", SHEET.encode(), mapping_name="our sheet")
    assert pv.ok and pv.source == "mapping" and pv.totals()["spend_minor"] == {"CNY": 3050}
    # next month's file, same columns in another order: recognised without asking
    later = "活动,日期,点击,曝光,花费\n双12 2026,2026-11-22,5,100,1\n"
    again = imports.preview(demo, analyst, "sheet-dec.csv", later.encode())
    assert again.ok and again.info["mapping"] == "our sheet" and again.unmatched == 0
    assert import_mappings.layout(demo, analyst, "sheet-dec.csv", later.encode()).saved == "our sheet"


def test_erasure_unlinks_imported_orders_and_retention_purges_imported_rows(demo, analyst):
    from sqlalchemy import update

    from app.services import privacy

    orders = "order_id,ordered_at,amount,currency,customer_id\nE-1,2026-11-20 10:00:00,10.00,CNY,+86 138-0013-8000\n"
    imports.commit(demo, analyst, imports.preview(demo, analyst, "orders.csv", orders.encode()))
    with demo.engine.connect() as conn:
        before = conn.execute(select(MetricFact.customer_hash).where(MetricFact.entity == "E-1")).scalar_one()
    assert before and len(before) == 64
    removed = privacy.erase_customer(demo, Actor.system(), "13800138000")
    assert removed["metric_fact"] == 1
    with demo.engine.connect() as conn:
        after = conn.execute(select(MetricFact.customer_hash).where(MetricFact.entity == "E-1")).scalar_one()
    assert after != before  # the figures stay, the link to the person is gone

    imports.commit(demo, analyst, imports.preview(demo, analyst, "campaign.csv", ADS.encode()))
    with demo.uow(write=True) as uow:  # pretend the import is old: retention counts days, not import time
        uow.session.execute(update(MetricFact).where(MetricFact.source == "google_ads").values(day=date(2025, 1, 1)))
    privacy.set_retention(demo, Actor.system(), "metric_daily", 365)
    privacy.purge(demo)
    with demo.engine.connect() as conn:
        left = conn.execute(select(func.count()).where(MetricFact.source == "google_ads")).scalar_one()
    assert left == 0


def test_rows_naming_one_of_our_accounts_are_tied_to_it_and_its_channel(demo, analyst):
    from app.services import import_mappings

    sheet = "日期,活动,账号,曝光\n2026-11-20,双12 2026,Festa 服务号,1000\n2026-11-20,双12 2026,someone else,5\n"
    lay = import_mappings.layout(demo, analyst, "wx.csv", sheet.encode())
    mapping = {"day": "日期", "campaign": "活动", "account": "账号", "impressions": "曝光"}
    import_mappings.save(demo, analyst, "wx", lay.columns, mapping)
    pv = imports.preview(demo, analyst, "wx.csv", sheet.encode())
    with demo.uow() as uow:
        wechat = next(a for a in uow.channel_accounts.all(uow.workspaces.current().id) if a.name == "Festa 服务号")
    assert int(pv.frame.loc[0, "account_id"]) == wechat.id and pv.frame.loc[0, "channel"] == "wechat"
    assert pv.frame["account_id"].isna().iloc[1] and pv.frame.loc[1, "channel"] == "other"


def test_a_known_layout_with_its_columns_shuffled_reads_the_same(demo, analyst):
    import csv
    import io

    lines = [ln for ln in ADS.splitlines() if not ln.startswith("Total:")]
    order = [3, 0, 6, 1, 4, 2, 5, 7, 8]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[i] for i in order] for r in csv.reader(lines[2:]))
    shuffled = "\n".join(lines[:2]) + "\n" + out.getvalue()
    a = imports.preview(demo, analyst, "a.csv", ("\n".join(lines) + "\n").encode())
    b = imports.preview(demo, analyst, "b.csv", shuffled.encode())
    assert a.ok and b.ok and a.totals() == b.totals() and list(a.frame["row_key"]) == list(b.frame["row_key"])


def test_rows_in_another_currency_keep_their_counts_and_name_their_money(demo, analyst):
    usd = ADS.replace("CNY", "USD")
    imports.commit(demo, analyst, imports.preview(demo, analyst, "usd.csv", usd.encode()))
    rep = _report(demo, _running(demo))
    assert (rep.totals.clicks, rep.totals.impressions) == (1550, 17320)  # counts are counts in any currency
    assert rep.totals.spend_minor == 0 and rep.other_currencies == {"USD": 132045}
    assert rep.by_source["google_ads"].spend_minor == 0


def test_year_over_year_anchors_on_the_festival_inside_the_window(demo, analyst):
    from datetime import UTC, datetime

    cid = _running(demo)
    with demo.uow(write=True) as uow:  # an encore that runs into the new year
        uow.campaigns.get(cid).ends_at = datetime(2027, 1, 3, 15, 59, tzinfo=UTC)
    yoy = measure.year_over_year(demo, analyst, cid)
    assert yoy.festival == "double_12" and max(yoy.this_year) == 22 and min(yoy.this_year) > -40


GA4_HEAD = (
    "# GA4\n# Start date: 20261120\n# End date: 20261120\n\nDate,Session source / medium,Sessions,Total revenue\n"
)


def test_rows_that_differ_only_by_source_and_medium_are_different_rows(demo, analyst):
    a = GA4_HEAD + "20261120,google / cpc,100,0\n20261120,facebook / paid,50,0\n"
    b = GA4_HEAD + "20261120,newsletter / email,30,0\n"
    imports.commit(demo, analyst, imports.preview(demo, analyst, "a.csv", a.encode()))
    pv = imports.preview(demo, analyst, "b.csv", b.encode())
    assert pv.ok and pv.duplicates == 0 and pv.totals()["sessions"] == 30

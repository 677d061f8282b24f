from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.services import audit_log, festivals, planning
from app.services.auth import Actor

SYSTEM = Actor.system()


def _by_name(c, name):
    return next(k for k in planning.campaigns(c, SYSTEM) if k.name == name)


def test_a_campaign_from_the_double_11_template(demo):
    cid = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "双11 2027", 60_000_000)
    k = _by_name(demo, "双11 2027")
    assert k.id == cid and k.status == "draft" and k.festival_key == "double_11"
    assert [p.kind for p in k.plan.phases] == ["warm_up", "launch", "peak", "encore"]
    assert sum(p.budget_minor for p in k.plan.phases) == 60_000_000
    bars = [b for b in festivals.year_view(demo, SYSTEM, 2027).campaigns if b.id == cid]
    assert len(bars) == 5  # the window and its four phases, on the timeline


def test_a_bad_edit_is_refused_and_nothing_is_saved(demo):
    cid = planning.create_from_template(demo, SYSTEM, "day_618", 2027, "618 2027", 10_000)
    plan = _by_name(demo, "618 2027").plan
    bad = replace(
        plan, phases=(replace(plan.phases[0], ends_at=plan.phases[0].starts_at - timedelta(days=1)), *plan.phases[1:])
    )
    with pytest.raises(planning.PlanRejected) as err:
        planning.save(demo, SYSTEM, cid, bad)
    assert ("phases.0.ends_at", "end_before_start") in {(p.field, p.code) for p in err.value.problems}
    assert _by_name(demo, "618 2027").plan == plan


def test_editing_a_phase_is_kept(demo):
    cid = planning.create_from_template(demo, SYSTEM, "double_11", 2027, "D11", 100_00)
    plan = _by_name(demo, "D11").plan
    later = replace(plan.phases[0], starts_at=plan.phases[0].starts_at + timedelta(days=2))
    planning.save(demo, SYSTEM, cid, replace(plan, phases=(later, *plan.phases[1:])))
    assert _by_name(demo, "D11").plan.phases[0].starts_at == later.starts_at
    assert "campaign_edited" in [e.action for e in audit_log.events(demo, SYSTEM, audit_log.AuditFilter())]


def test_copy_to_next_year_follows_the_festival(demo):
    past = next(k for k in planning.campaigns(demo, SYSTEM) if k.name.startswith("双11 2026"))
    cid = planning.copy_to_year(demo, SYSTEM, past.id, 2027)
    copy = next(k for k in planning.campaigns(demo, SYSTEM) if k.id == cid)
    assert copy.name.startswith("双11 2027") and copy.status == "draft"
    first = copy.plan.phases[0].starts_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (first.date(), first.hour) == (date(2027, 10, 15), 0)  # the demo's 15 Oct 00:00, a year on
    with pytest.raises(planning.PlanRejected) as err:
        planning.copy_to_year(demo, SYSTEM, past.id, 2100)
    assert err.value.problems[0].code == "year_out_of_range"


def test_status_moves_only_along_the_flow(demo):
    cid = planning.create_from_template(demo, SYSTEM, "black_friday", 2027, "BF", 100)
    planning.set_status(demo, SYSTEM, cid, "planned")
    with pytest.raises(planning.PlanRejected) as err:
        planning.set_status(demo, SYSTEM, cid, "finished")
    assert err.value.problems[0].code == "bad_transition"
    planning.set_status(demo, SYSTEM, cid, "running")
    assert _by_name(demo, "BF").status == "running"


def test_template_inputs_are_checked(demo):
    with pytest.raises(planning.PlanRejected):
        planning.create_from_template(demo, SYSTEM, "no_such", 2027, "x", 100)
    with pytest.raises(planning.PlanRejected):
        planning.create_from_template(demo, SYSTEM, "double_11", 2027, "x", -1)
    with pytest.raises(planning.PlanRejected):
        planning.create_from_template(demo, SYSTEM, "double_11", 2027, "  ", 100)

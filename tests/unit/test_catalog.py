"""Every visible string goes through the one catalog, in both languages."""

import ast
import re
import string
from pathlib import Path

import pytest

from app.services.festivals import WINDOW_FIELDS
from app.ui.catalog import CATALOG, LANGUAGE_NAMES
from campaigns import calendar, holidays
from campaigns.planning import BUDGET_CHANNELS, CampaignStatus, Objective, PhaseKind, Segment, Target
from campaigns.publishing import Channel, PostState

ROOT = Path(__file__).resolve().parents[2]


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_every_language_with_the_same_placeholders(key):
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGE_NAMES), f"{key} lacks {set(LANGUAGE_NAMES) - set(entry)}"
    assert all(v.strip() for v in entry.values()), f"{key} has an empty text"
    assert _fields(entry["zh-CN"]) == _fields(entry["en"]), f"{key}: placeholders differ"


def _literal_keys():
    files = [ROOT / "streamlit_app.py", *(ROOT / "app").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    yield path.name, arg.value
                elif isinstance(arg, ast.JoinedStr):  # t(f"channel.{c}"): check the prefix exists
                    yield path.name, re.sub(r"\{.*", "", ast.unparse(arg)[2:-1]) + "*"


def test_every_key_used_in_the_code_is_in_the_catalog():
    used = list(_literal_keys())
    assert used, "no t() calls found: the scan is broken"
    for where, key in used:
        if key.endswith("*"):
            assert any(k.startswith(key[:-1]) for k in CATALOG), f"{where}: no keys start with {key[:-1]}"
        else:
            assert key in CATALOG, f"{where} uses {key!r}, which is not in the catalog"


def _message_keys():
    """Catalog keys of SetupError codes and health checks, with the parameters the code passes."""
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "data").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None)
            if name == "SetupError" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                yield path.name, f"setup.{node.args[2].value}", {k.arg for k in node.keywords}
            if name == "Check" and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                yield path.name, node.args[3].value, None


def test_every_setup_problem_and_check_speaks_both_languages():
    found = list(_message_keys())
    assert len(found) >= 15, "the scan is broken"
    for where, key, params in found:
        assert key in CATALOG, f"{where}: {key} is not in the catalog"
        if params is not None:
            assert _fields(CATALOG[key]["en"]) == params, f"{where}: {key} placeholders differ from the code's"


def test_every_domain_value_shown_on_pages_has_a_label():
    needed = {f"phase.{p}" for p in PhaseKind} | {f"channel.{c}" for c in Channel}
    for year in (2025, 2026, 2027):
        needed |= {f"festival.{f.key}" for f in calendar.year_calendar(year, calendar.REGIONS)}
    needed |= {f"status.{s}" for s in CampaignStatus}
    needed |= {f"calendar.kind_{k}" for k in ("lunar", "ecommerce", "western", "holiday", "workday", "custom")}
    needed |= {
        f"festival_error.{k}"
        for k in (
            "empty_name",
            "end_before_start",
            "year_out_of_range",
            "bad_timezone",
            "no_workspace",
            "no_such_festival",
        )
    }
    needed |= {f"festival.holiday_{k}" for k in holidays._KEYS.values()}
    needed |= {f"festival.workday_{k}" for k in holidays._KEYS.values()}
    needed |= {f"objective.{o}" for o in Objective} | {f"segment.{x}" for x in Segment}
    needed |= {f"target.{x}" for x in Target} | {f"channel.{x}" for x in BUDGET_CHANNELS}
    needed |= {f"post_state.{x}" for x in PostState} | {f"calendar.{f}" for f in WINDOW_FIELDS}
    assert needed - set(CATALOG) == set()


def test_every_offer_kind_stage_reason_and_problem_has_a_message():
    from campaigns.promotions import explain, rules

    needed = {f"offer.kind_{k}" for k in rules._KIND_NAMES.values()} | {f"offer.stage_{s}" for s in rules.Stage}
    needed |= {f"reason.{x}" for x in explain.Reason}
    source = (ROOT / "campaigns" / "promotions" / "validate.py").read_text(encoding="utf-8")
    source += (ROOT / "app" / "services" / "offers.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Problem\([^,]+, "([a-z_0-9]+)"', source))  # and validate._int's two:
    codes |= {"negative", "not_positive"}
    assert len(codes) >= 15, "the scan is broken"
    needed |= {f"promo_error.{c}" for c in codes}
    assert needed - set(CATALOG) == set()


def _problem_codes():
    """Codes of every Problem(field, code) that planning raises, as written in the code."""
    files = ("campaigns/planning.py", "campaigns/templates.py", "app/services/planning.py", "app/services/budgets.py")
    for path in (ROOT / f for f in files):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem" and len(node.args) >= 2:
                if isinstance(node.args[1], ast.Constant):
                    yield path.name, node.args[1].value


def test_every_plan_problem_has_a_message():
    found = list(_problem_codes())
    assert len(found) >= 20, "the scan is broken"
    for where, code in found:
        assert f"plan_error.{code}" in CATALOG, f"{where}: plan_error.{code} is not in the catalog"

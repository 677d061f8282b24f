from datetime import UTC, datetime, timedelta
from decimal import Decimal

from campaigns import passwords
from campaigns.access import Role, allows, may_approve
from campaigns.exports import safe_cell, to_csv
from campaigns.privacy import customer_hash

SALT = "ab" * 32


def test_customer_ids_hash_the_same_whatever_the_spacing_or_case():
    assert customer_hash(SALT, " Li.Wei@Example.com ") == customer_hash(SALT, "li.wei@example.com")
    assert customer_hash(SALT, "13800138000") != customer_hash("cd" * 32, "13800138000")
    assert "13800138000" not in customer_hash(SALT, "13800138000")


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    for dangerous in ('=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell(-5) == -5 and safe_cell(Decimal("1.5")) == Decimal("1.5")
    assert safe_cell("双11") == "双11"
    csv = to_csv(["name", "n"], [["=cmd|' /C calc'!A0", -5]]).decode("utf-8-sig")
    assert csv.splitlines()[1] == "'=cmd|' /C calc'!A0,-5"


def test_password_policy():
    assert passwords.policy_problems("correct horse battery") == []
    assert "too_short" in passwords.policy_problems("short")
    assert "whitespace" in passwords.policy_problems(" correct horse battery")
    assert "contains_email" in passwords.policy_problems("wangfang-2026-festa", "wangfang@example.com")
    assert "too_simple" in passwords.policy_problems("aaaaaaaaaaaaaaaa")


def test_a_lock_runs_out_after_its_time():
    now = datetime(2026, 11, 11, tzinfo=UTC)
    locked = now + passwords.LOCK_FOR
    assert passwords.LOCK_FOR == timedelta(minutes=15) and passwords.MAX_FAILURES == 5
    assert passwords.is_locked(locked, now + timedelta(minutes=14))
    assert not passwords.is_locked(locked, now + timedelta(minutes=15))
    assert not passwords.is_locked(None, now)


def test_nobody_approves_their_own_post_and_content_cannot_approve():
    assert may_approve(Role.MANAGER, approver_id=1, author_id=2)
    assert not may_approve(Role.MANAGER, approver_id=1, author_id=1)
    assert not may_approve(Role.CONTENT, approver_id=1, author_id=2)
    assert not allows("superuser", "view_overview")


def test_phone_numbers_match_however_they_are_written():
    same = customer_hash(SALT, "13800130007")
    for written in ("+86 138-0013-0007", "0086 13800130007", "138 0013 0007", "(138) 0013-0007"):
        assert customer_hash(SALT, written) == same
    assert customer_hash(SALT, "8613800130007") == same
    assert customer_hash(SALT, "li.wei+86@example.com") != customer_hash(SALT, "li.wei86@example.com")

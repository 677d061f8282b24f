from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.promotions import presale as p

DEPOSIT_FROM = datetime(2027, 10, 24, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
FINAL_FROM = datetime(2027, 10, 31, 12, 0, tzinfo=UTC)
PLAN = p.Presale(
    "d11-tea-presale",
    5_000,  # ¥50 deposit
    10_000,  # counts as ¥100
    DEPOSIT_FROM,
    FINAL_FROM - timedelta(seconds=1),
    FINAL_FROM,
    FINAL_FROM + timedelta(days=3),
)
SECOND = timedelta(seconds=1)


def _paid(units=1, plan=PLAN):
    return p.pay_deposit(plan, "buyer", units, DEPOSIT_FROM + timedelta(hours=1))


def test_a_deposit_worth_more_at_final_payment():
    order = _paid(units=2)
    assert (order.state, order.deposit_paid_minor) == ("deposit_paid", 10_000)
    assert p.final_due(PLAN, 30_000, 2) == 40_000  # (300 − 100) × 2
    done = p.pay_final(PLAN, order, 30_000, FINAL_FROM)
    assert (done.state, done.final_paid_minor, done.kept_minor) == ("completed", 40_000, 50_000)


@given(st.integers(0, 10**9), st.integers(1, 1_000))
def test_what_is_due_is_never_negative(price, units):
    assert p.final_due(PLAN, price, units) == max(0, price - PLAN.worth_minor) * units >= 0


def test_a_price_below_the_deposits_worth_leaves_nothing_due():
    done = p.pay_final(PLAN, _paid(), 8_000, FINAL_FROM)
    assert (done.final_paid_minor, done.kept_minor) == (0, 5_000)


@pytest.mark.parametrize(
    "at, accepted",
    [
        (FINAL_FROM - SECOND, False),
        (FINAL_FROM, True),  # inclusive start
        (PLAN.final_until, True),  # inclusive end
        (PLAN.final_until + SECOND, False),
    ],
)
def test_the_final_window_is_inclusive_at_both_ends(at, accepted):
    assert p.in_final_window(PLAN, at) is accepted
    if accepted:
        assert p.pay_final(PLAN, _paid(), 30_000, at).state == "completed"
    else:
        with pytest.raises(p.PresaleRefused) as err:
            p.pay_final(PLAN, _paid(), 30_000, at)
        assert err.value.code == ("final_not_open" if at < FINAL_FROM else "final_closed")


def test_the_deposit_window_is_inclusive_and_counts_units():
    assert p.pay_deposit(PLAN, "b", 1, PLAN.deposit_until).deposit_paid_at == PLAN.deposit_until
    for at, units, code in (
        (DEPOSIT_FROM - SECOND, 1, "deposit_closed"),
        (FINAL_FROM, 1, "deposit_closed"),
        (DEPOSIT_FROM, 0, "units_not_positive"),
    ):
        with pytest.raises(p.PresaleRefused) as err:
            p.pay_deposit(PLAN, "b", units, at)
        assert err.value.code == code


def test_a_final_payment_is_taken_once():
    done = p.pay_final(PLAN, _paid(), 30_000, FINAL_FROM)
    with pytest.raises(p.PresaleRefused) as err:
        p.pay_final(PLAN, done, 30_000, FINAL_FROM + SECOND)
    assert (err.value.code, err.value.params) == ("order_closed", {"state": "completed"})


def test_settling_forfeits_only_an_unpaid_order_past_the_window():
    order = _paid()
    assert p.settle(PLAN, order, PLAN.final_until) is order  # the last moment still belongs to the buyer
    lost = p.settle(PLAN, order, PLAN.final_until + SECOND)
    assert (lost.state, lost.kept_minor, lost.refunded_minor) == ("forfeited", 5_000, 0)
    assert lost.settled_at == PLAN.final_until + SECOND
    done = p.pay_final(PLAN, order, 30_000, FINAL_FROM)
    assert p.settle(PLAN, done, PLAN.final_until + timedelta(days=9)) is done


def test_a_cancelled_deposit_is_kept_unless_the_plan_refunds_it_before_the_final_window():
    before = FINAL_FROM - SECOND
    assert p.cancel(PLAN, _paid(), before).state == "forfeited"
    refundable = replace(PLAN, deposit_refundable=True)
    back = p.cancel(refundable, _paid(plan=refundable), before)
    assert (back.state, back.refunded_minor, back.kept_minor) == ("refunded", 5_000, 0)
    assert p.cancel(refundable, _paid(plan=refundable), FINAL_FROM).state == "forfeited"
    with pytest.raises(p.PresaleRefused):
        p.cancel(PLAN, back, before)


def _problems(plan):
    return {(x.field, x.code) for x in p.validate_presale(plan)}


def test_a_good_plan_has_no_problems():
    assert p.validate_presale(PLAN) == []


def test_amounts_and_key_are_checked():
    assert _problems(replace(PLAN, offer_key=" ", deposit_minor=0)) == {
        ("offer_key", "required"),
        ("deposit_minor", "not_positive"),
    }
    assert _problems(replace(PLAN, worth_minor=4_999)) == {("worth_minor", "below_deposit")}
    assert _problems(replace(PLAN, worth_minor=5_000)) == set()  # no swell is allowed


def test_windows_must_follow_each_other():
    assert _problems(replace(PLAN, deposit_until=DEPOSIT_FROM)) == {("deposit_until", "ends_before_start")}
    assert _problems(replace(PLAN, final_from=PLAN.deposit_until)) == {("final_from", "before_deposit_ends")}
    assert _problems(replace(PLAN, final_until=FINAL_FROM)) == {("final_until", "ends_before_start")}


def test_naive_times_are_refused():
    naive = replace(PLAN, final_from=FINAL_FROM.replace(tzinfo=None))
    assert _problems(naive) == {("final_from", "naive_time")}


def test_every_presale_problem_field_and_refusal_has_a_message():
    import re
    from pathlib import Path

    from app.ui.catalog import CATALOG

    root = Path(__file__).resolve().parents[2]
    source = "".join((root / f).read_text(encoding="utf-8") for f in ("campaigns/promotions/presale.py",
                                                                      "app/services/presales.py"))  # fmt: skip
    problems = re.findall(r'Problem\(\s*(?:\w+|"([a-z_]+)"),\s*"([a-z_]+)"', source)
    assert len(problems) >= 10, "the scan is broken"
    needed = {f"presale_error.{code}" for _, code in problems} | {f"presale.field_{f}" for f, _ in problems if f}
    needed |= {f"presale.field_{f}" for f in p.WINDOW_FIELDS} | {f"presale.state_{s}" for s in p.PresaleState}
    needed |= {f"presale.refused_{code}" for code in re.findall(r'PresaleRefused\("([a-z_]+)"', source)}
    assert needed - set(CATALOG) == set()

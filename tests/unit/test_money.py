from decimal import Decimal

import pytest

from campaigns.promotions.money import Money, exponent


def test_currency_exponents_come_from_cldr():
    assert (exponent("CNY"), exponent("USD"), exponent("JPY")) == (2, 2, 0)


def test_amount_is_exact_in_major_units():
    assert Money(1999, "CNY").amount == Decimal("19.99")
    assert Money(500, "JPY").amount == Decimal(500)


def test_money_refuses_floats_and_bad_codes():
    with pytest.raises(TypeError):
        Money(19.99, "CNY")
    with pytest.raises(ValueError):
        Money(100, "yuan")

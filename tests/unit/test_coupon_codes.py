import csv
import io
import math
import random

import pytest

from campaigns.promotions import codes
from campaigns.promotions.codes import CodeRow, InvalidInput, Mode


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_alphabet_has_no_look_alikes():
    assert codes.ALPHABET == "ACDEFGHJKMNPQRTUVWXY34679"
    assert len(codes.ALPHABET) == 25 == len(set(codes.ALPHABET))
    assert not set("0O1IL2Z5S8B") & set(codes.ALPHABET)


def test_default_codes_carry_at_least_60_bits():
    length = codes.length_for()
    assert length == 13
    assert length * math.log2(25) == pytest.approx(60.37, abs=0.01) and length * math.log2(25) >= 60
    assert (length - 1) * math.log2(25) < 60  # the shortest length that does
    assert codes.length_for(80) == 18 and 18 * math.log2(25) >= 80 > 17 * math.log2(25)


def test_generated_codes_are_unique_and_from_the_alphabet():
    made = codes.generate(20_000)
    assert len(made) == len(set(made)) == 20_000
    assert all(len(c) == 13 and set(c) <= set(codes.ALPHABET) for c in made)


def test_a_prefix_is_kept_and_checked():
    made = codes.generate(3, prefix="ny-")
    assert all(c.startswith("NY") and len(c) == 15 for c in made)
    assert codes.display(made[0], "ny-") == f"NY-{made[0][2:7]}-{made[0][7:11]}-{made[0][11:]}"
    assert codes.display(made[0], "NY") == codes.display(made[0], "NY-")
    assert codes.generate(1, prefix="d11-vip")[0].startswith("D11VIP")  # the marketer's own words
    for bad in ("A B", "=CMD", "-AC", "双11"):
        with pytest.raises(InvalidInput) as err:
            codes.generate(1, prefix=bad)
        assert err.value.field == "prefix"
    with pytest.raises(InvalidInput):
        codes.generate(1, prefix="A" * 17)


def test_codes_are_shown_in_balanced_groups():
    assert codes.display("ACDEFGHJKMNPQ") == "ACDEF-GHJK-MNPQ"
    assert codes.display("ACDEFGHJ") == "ACDE-FGHJ"
    assert codes.display("ACD") == "ACD"


def test_the_normaliser_takes_what_customers_type():
    assert codes.normalise(" ny-acdef ghjk-mnpq ") == "NYACDEFGHJKMNPQ"
    assert codes.normalise("ＮＹ－ａｃｄｅ") == "NYACDE"  # full-width input from a Chinese IME
    assert codes.normalise("ny–acde") == "NYACDE"  # an en dash a word processor put in
    assert codes.normalise("  - ") == ""


def test_excluded_codes_are_never_drawn_again():
    first = codes.generate(50, rng=random.Random(7))
    again = codes.generate(60, exclude=first, rng=random.Random(7))  # same draws, all 50 taken
    assert not set(first) & set(again) and len(set(again)) == 60


@pytest.mark.parametrize(
    "count, bits, field",
    [(0, 60, "count"), (-5, 60, "count"), (1_000_001, 60, "count"), (True, 60, "count"), (100, 12, "count")],
)
def test_bad_batch_sizes_name_the_field(count, bits, field):
    with pytest.raises(InvalidInput) as err:
        codes.generate(count, bits=bits)
    assert err.value.field == field and isinstance(err.value, ValueError)


def test_usage_modes():
    assert codes.usage("single_use") == codes.Usage(Mode.SINGLE_USE, 1, None)
    assert codes.usage("multi_use", 100) == codes.Usage(Mode.MULTI_USE, 100, None)
    assert codes.usage("per_customer", per_customer=2) == codes.Usage(Mode.PER_CUSTOMER, None, 2)
    assert codes.usage("per_customer", 10, 2) == codes.Usage(Mode.PER_CUSTOMER, 10, 2)
    bad = [
        (("sometimes",), "mode"),
        (("single_use", 3), "max_uses"),
        (("multi_use",), "max_uses"),
        (("multi_use", 0), "max_uses"),
        (("multi_use", 5, 1), "per_customer"),
        (("per_customer",), "per_customer"),
        (("per_customer", 1, 2), "max_uses"),
        (("per_customer", None, 0), "per_customer"),
    ]
    for args, field in bad:
        with pytest.raises(InvalidInput) as err:
            codes.usage(*args)
        assert err.value.field == field, args


ROWS = [CodeRow("NY-ACDEF-GHJK-MNPQ", 0, 1, None), CodeRow("-AC-ACDEF-GHJK-MNPQ", 2, 5, 1)]


def test_festa_csv_is_formula_safe():
    rows = _rows(codes.festa_csv(ROWS))
    assert rows[0] == ["code", "uses", "max_uses", "per_customer"]
    assert rows[1] == ["NY-ACDEF-GHJK-MNPQ", "0", "1", ""]
    assert rows[2] == ["'-AC-ACDEF-GHJK-MNPQ", "2", "5", "1"]  # a '-' prefix would be read as a formula


def test_shopify_format():
    rows = _rows(codes.shopify_csv("=Double 11", ROWS))
    assert rows[0] == ["Title", "Command", "Code"]
    assert rows[1] == ["'=Double 11", "MERGE", "NY-ACDEF-GHJK-MNPQ"]
    assert rows[2] == ["'=Double 11", "MERGE", "'-AC-ACDEF-GHJK-MNPQ"]


def test_woocommerce_format():
    rows = _rows(codes.woocommerce_csv("Double 11", ROWS, discount_type="percent", amount="10"))
    assert rows[0] == [
        "post_title",
        "post_excerpt",
        "post_status",
        "discount_type",
        "coupon_amount",
        "individual_use",
        "usage_limit",
        "usage_limit_per_user",
    ]
    assert rows[1] == ["NY-ACDEF-GHJK-MNPQ", "Double 11", "publish", "percent", "10", "no", "1", ""]
    assert rows[2] == ["'-AC-ACDEF-GHJK-MNPQ", "Double 11", "publish", "percent", "10", "no", "5", "1"]
    with pytest.raises(InvalidInput) as err:
        codes.woocommerce_csv("x", ROWS, discount_type="bogo")
    assert err.value.field == "discount_type"

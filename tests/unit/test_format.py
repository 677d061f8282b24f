from datetime import UTC, date, datetime
from decimal import Decimal

from app.ui import format as fmt
from campaigns.promotions.money import Money


def test_money_is_formatted_for_the_locale():
    assert fmt.money(Money(123456789, "CNY"), "zh-CN") == "¥1,234,567.89"
    assert fmt.money(Money(123456789, "CNY"), "en") == "CN¥1,234,567.89"
    assert fmt.money(Money(1500, "JPY"), "en") == "¥1,500"


def test_headline_money_is_compact_for_the_locale():
    assert fmt.compact_money(Money(345392994, "CNY"), "zh-CN") == "¥345.39万"
    assert fmt.compact_money(Money(345392994, "CNY"), "en") == "CN¥3.45M"


def test_large_numbers_use_wan_in_chinese():
    assert fmt.compact(68_192_000, "zh-CN") == "6819.2万"
    assert fmt.compact(68_192_000, "en") == "68.2M"


def test_percent_and_missing_ratio():
    assert fmt.percent(Decimal("0.01154"), "en") == "1.15%"
    assert fmt.percent(None, "zh-CN") == "—"


def test_dates_and_times_in_the_zone_they_belong_to():
    assert fmt.day(date(2026, 11, 11), "zh-CN") == "2026年11月11日"
    assert fmt.day(date(2026, 11, 11), "en") == "Nov 11, 2026"
    # 16:00 UTC on the 10th is midnight of Double 11 in Shanghai
    assert fmt.moment(datetime(2026, 11, 10, 16, 0, tzinfo=UTC), "Asia/Shanghai", "zh-CN") == "2026/11/11 00:00"

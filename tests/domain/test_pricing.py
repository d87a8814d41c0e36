"""Prices follow the console's structure: per GB, a year is ten months, pay-per-use by the hour."""

from decimal import Decimal

from cbr_tui.domain.enums import ChargingMode, ConsistentLevel, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.pricing import expansion_amount, quote_vault, refund_amount


def quote(**changes):  # type: ignore[no-untyped-def]
    fields = dict(object_type=ObjectType.SERVER, protect_type=ProtectType.BACKUP,
                  consistent_level=ConsistentLevel.CRASH, multi_az=False, size_gb=100,
                  charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.MONTH, period_num=1)
    return quote_vault(**(fields | changes))


def test_monthly_is_size_times_unit_price_times_months() -> None:
    assert quote().amount == Decimal("5.00")
    assert quote(period_num=3).amount == Decimal("15.00")


def test_a_year_costs_ten_months() -> None:
    assert quote(period_type=PeriodType.YEAR, period_num=1).amount == quote(period_num=10).amount


def test_multi_az_and_application_consistency_cost_more() -> None:
    assert quote(multi_az=True).amount > quote().amount
    assert quote(consistent_level=ConsistentLevel.APP).amount > quote().amount


def test_pay_per_use_is_billed_hourly_with_nothing_up_front() -> None:
    q = quote(charging_mode=ChargingMode.POST_PAID, period_type=None, period_num=None)
    assert q.amount == 0 and q.hourly > 0
    assert q.to_api()["hourly_price"] == str(q.hourly)


def test_expansion_and_refund_are_prorated() -> None:
    assert expansion_amount(Decimal("0.05"), 100, 30) == Decimal("5.00")
    assert expansion_amount(Decimal("0.05"), 100, 15) == Decimal("2.50")
    assert refund_amount(Decimal("10.00"), 30, 15) == Decimal("5.00")
    assert refund_amount(Decimal("10.00"), 30, -1) == Decimal("0.00")

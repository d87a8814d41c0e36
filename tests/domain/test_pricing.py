"""Prices follow the console's structure: per GB, a year is ten months, pay-per-use by the hour."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from cbr_tui.domain.enums import ChargingMode, ConsistentLevel, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.pricing import expansion_amount, handling_fee_rate, quote_vault, unsubscription_refund


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



def test_unsubscription_returns_the_payment_less_what_was_used_and_a_handling_fee() -> None:
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    year = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
    refund = unsubscription_refund(Decimal("365.00"), start, year, start + timedelta(days=100, hours=5),
                                   PeriodType.YEAR, 1)
    assert (refund.consumed, refund.handling_fee, refund.amount) == (Decimal("100.00"), Decimal("36.50"),
                                                                     Decimal("228.50"))
    assert unsubscription_refund(Decimal("365.00"), start, year, start + timedelta(days=4, hours=23),
                                 PeriodType.YEAR, 1).amount == Decimal("365.00")  # five days, unconditional
    assert unsubscription_refund(Decimal("365.00"), start, year, year + timedelta(days=3), PeriodType.YEAR,
                                 1).amount == Decimal("0.00")  # used up: nothing, never below zero
    assert [handling_fee_rate(PeriodType.YEAR, 3, days) for days in (10, 400, 800, 1200)] == [
        Decimal("0.15"), Decimal("0.10"), Decimal("0.05"), Decimal(0)]
    assert handling_fee_rate(PeriodType.YEAR, 2, 500) == Decimal("0.10")
    assert handling_fee_rate(PeriodType.MONTH, 9, 100) == Decimal("0.10")

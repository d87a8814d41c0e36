"""Prices of the simulated cloud, in USD, and the quote the purchase wizard shows.

The figures are this simulator's own list prices (the real ones vary by region and change); the structure is
the console's: storage capacity billed per GB, yearly/monthly paid up front for the whole duration, a year
costing ten months, pay-per-use billed by the hour, multi-AZ redundancy costing more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cbr_tui.domain.enums import ChargingMode, ConsistentLevel, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.errors import invalid

CURRENCY = "USD"
TOP_UP_MAX = Decimal("1000000")
HOURS_PER_MONTH = 730
MONTHS_BILLED_PER_YEAR = 10
PAY_PER_USE_MARKUP = Decimal("1.25")
MULTI_AZ_MARKUP = Decimal("1.5")
CENT = Decimal("0.01")
HOURLY_PRECISION = Decimal("0.0001")

# USD per GB per month, yearly/monthly.
_MONTHLY_PER_GB: dict[tuple[ObjectType, ProtectType, ConsistentLevel], Decimal] = {
    (ObjectType.SERVER, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0500"),
    (ObjectType.SERVER, ProtectType.BACKUP, ConsistentLevel.APP): Decimal("0.0650"),
    (ObjectType.DISK, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0400"),
    (ObjectType.TURBO, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0500"),
    (ObjectType.WORKSPACE, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0500"),
    (ObjectType.VMWARE, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0400"),
    (ObjectType.FILE, ProtectType.BACKUP, ConsistentLevel.CRASH): Decimal("0.0400"),
}
_REPLICATION_PER_GB = Decimal("0.0400")


def monthly_price_per_gb(
    object_type: ObjectType, protect_type: ProtectType, consistent_level: ConsistentLevel, multi_az: bool
) -> Decimal:
    if protect_type is ProtectType.REPLICATION:
        base = _REPLICATION_PER_GB
    else:
        base = _MONTHLY_PER_GB[(object_type, protect_type, consistent_level)]
    return base * MULTI_AZ_MARKUP if multi_az else base


@dataclass(frozen=True)
class Quote:
    """What the wizard's price summary shows, and what the order charges."""

    charging_mode: ChargingMode
    size_gb: int
    monthly_per_gb: Decimal
    period_type: PeriodType | None = None
    period_num: int | None = None
    amount: Decimal = Decimal(0)
    hourly: Decimal = Decimal(0)

    @property
    def amount_cents(self) -> int:
        return int(self.amount * 100)

    def to_api(self) -> dict[str, object]:
        shaped: dict[str, object] = {
            "currency": CURRENCY,
            "charging_mode": self.charging_mode.value,
            "size": self.size_gb,
            "unit_price_per_gb_month": str(self.monthly_per_gb),
        }
        if self.charging_mode is ChargingMode.PRE_PAID:
            shaped |= {
                "period_type": self.period_type.value if self.period_type else None,
                "period_num": self.period_num,
                "amount": str(self.amount),
            }
        else:
            monthly = _cents(self.hourly * HOURS_PER_MONTH)
            shaped |= {"hourly_price": str(self.hourly), "estimated_monthly": str(monthly)}
        return shaped


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def billed_months(period_type: PeriodType, period_num: int) -> int:
    return period_num * (MONTHS_BILLED_PER_YEAR if period_type is PeriodType.YEAR else 1)


def quote_vault(
    *,
    object_type: ObjectType,
    protect_type: ProtectType,
    consistent_level: ConsistentLevel,
    multi_az: bool,
    size_gb: int,
    charging_mode: ChargingMode,
    period_type: PeriodType | None = None,
    period_num: int | None = None,
) -> Quote:
    per_gb = monthly_price_per_gb(object_type, protect_type, consistent_level, multi_az)
    if charging_mode is ChargingMode.PRE_PAID:
        assert period_type is not None and period_num is not None
        amount = _cents(per_gb * size_gb * billed_months(period_type, period_num))
        return Quote(charging_mode, size_gb, per_gb, period_type, period_num, amount=amount)
    hourly = (per_gb * PAY_PER_USE_MARKUP * size_gb / HOURS_PER_MONTH).quantize(
        HOURLY_PRECISION, rounding=ROUND_HALF_UP
    )
    return Quote(charging_mode, size_gb, per_gb, hourly=hourly)


def expansion_amount(per_gb_month: Decimal, added_gb: int, remaining_days: float) -> Decimal:
    """What a yearly/monthly vault pays to grow by `added_gb` for the rest of its subscription."""
    months_left = Decimal(str(max(remaining_days, 0.0))) / Decimal(30)
    return _cents(per_gb_month * added_gb * months_left)


UNCONDITIONAL_DAYS = 5


@dataclass(frozen=True)
class Refund:
    """What unsubscribing returns, and how it was worked out."""

    amount: Decimal
    consumed: Decimal
    handling_fee: Decimal
    days_used: int
    days_subscribed: int
    unconditional: bool = False


def handling_fee_rate(period_type: PeriodType, period_num: int, days_used: int) -> Decimal:
    """The unsubscription handling fee's share of the payment, by the subscription's term and the time used:
    10% for a monthly or one-year term; for two years 15% in the first year used, then 10%; for three years
    (and, here, longer terms) 15%, 10%, then 5% in the third year and nothing after."""
    years = period_num if period_type is PeriodType.YEAR else 0
    if years <= 1:
        return Decimal("0.10")
    rates = ("0.15", "0.10") if years == 2 else ("0.15", "0.10", "0.05")
    used_year = days_used // 365  # 0 in the first year used
    return Decimal(rates[used_year]) if used_year < len(rates) else Decimal(0)


def unsubscription_refund(paid: Decimal, start: datetime, end: datetime, now: datetime, period_type: PeriodType,
                          period_num: int) -> Refund:
    """Huawei Cloud's unsubscription rules for yearly/monthly resources (Billing Center, "Unsubscription Rules"):
    refund = actual payment - consumption - handling fee, never below zero; consumption = payment x days used /
    days subscribed, in whole days, the day of unsubscription not counted; within five days of the purchase the
    whole payment is returned (five-day unconditional unsubscription)."""
    days_subscribed = max((end.date() - start.date()).days, 1)
    days_used = min(max((now.date() - start.date()).days, 0), days_subscribed)
    if now - start < timedelta(days=UNCONDITIONAL_DAYS):
        return Refund(_cents(paid), Decimal(0), Decimal(0), days_used, days_subscribed, unconditional=True)
    consumed = _cents(paid * days_used / days_subscribed)
    fee = _cents(paid * handling_fee_rate(period_type, period_num, days_used))
    return Refund(max(_cents(paid - consumed - fee), Decimal(0)), consumed, fee, days_used, days_subscribed)


def check_top_up(amount: Decimal) -> Decimal:
    """A top-up is 0.01 to 1,000,000 dollars, in whole cents."""
    if not amount.is_finite() or amount <= 0 or amount > TOP_UP_MAX or amount != amount.quantize(CENT):
        raise invalid(f"A top-up is between 0.01 and {TOP_UP_MAX:,} {CURRENCY}, in cents; {amount} is not.")
    return amount

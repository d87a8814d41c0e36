"""Billing over time (reference 2.2 and 4.1): yearly/monthly vaults expire and renew, pay-per-use vaults are
charged by the hour, and expiry or arrears freeze a vault until it is renewed or the balance is topped up.

The periods are Huawei Cloud International's (price documentation, "Arrears": "Both the grace period and
retention period for Huawei Cloud International are 15 days"):
- a pay-per-use vault stays available for the 15-day grace period after the balance goes negative (its
  charges keep accruing), then it is frozen;
- a yearly/monthly vault is frozen when it expires without being renewed;
- a frozen vault is kept for the 15-day retention period, then released with its data.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from cbr_tui.domain.clock import as_utc
from cbr_tui.domain.enums import PeriodType

GRACE_PERIOD = timedelta(days=15)
RETENTION_PERIOD = timedelta(days=15)
HOUR = timedelta(hours=1)
E4_PER_CENT = 100  # charges accrue in ten-thousandths of a dollar; the balance moves in whole cents


class FrozenScene(StrEnum):
    """Why a vault is frozen (`billing.frozen_scene`)."""

    EXPIRED = "expired"
    ARREARS = "arrears"


def term(period_type: PeriodType, count: int = 1) -> relativedelta:
    """`count` months or years: the seed renews monthly billing each month, yearly billing each year."""
    return relativedelta(years=count) if period_type is PeriodType.YEAR else relativedelta(months=count)


def e4(amount: Decimal) -> int:
    """Dollars as whole ten-thousandths (the hourly price's precision)."""
    return int(amount * 10000)


def cents_due(total_before_e4: int, total_after_e4: int) -> int:
    """What a vault's accrued charges take from the balance: the whole cents they crossed, so that the sum of
    every deduction is the accrued total to the cent, whatever the hourly price's fraction."""
    return total_after_e4 // E4_PER_CENT - total_before_e4 // E4_PER_CENT


@dataclass(frozen=True)
class Hours:
    """Whole hours of use from `start`, within one UTC day: one line of the hourly charges."""

    start: datetime
    hours: int

    @property
    def end(self) -> datetime:
        return self.start + self.hours * HOUR


def billable_hours(since: datetime, until: datetime) -> list[Hours]:
    """The whole hours from `since` up to `until`, one line per UTC day they fall in."""
    lines: list[Hours] = []
    start, until = as_utc(since), as_utc(until)
    while start + HOUR <= until:
        midnight = datetime.combine(start.date() + timedelta(days=1), time(), UTC)
        end = min(until, midnight)
        hours = max(int((end - start) / HOUR), 1)  # a part hour spanning midnight goes with the day it began
        lines.append(Hours(start, hours))
        start += hours * HOUR
    return lines

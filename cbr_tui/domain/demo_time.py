"""The installation's demo clock: cloud time that runs faster than real time or jumps ahead, so that a class
can watch a month of policies, retention and billing in minutes.

Cloud time is `anchor_cloud + (real - anchor_real) * rate`. Changing the rate re-anchors at the present, so
cloud time never jumps when only its speed changes. Real time is the identity (rate 1, no offset).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cbr_tui.domain.clock import as_utc
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.numbers import parse_whole_number, shown

RATE_MAX = 100_000  # a week in six seconds of real time
LATEST = datetime(9000, 1, 1, tzinfo=UTC)  # cloud time stops here rather than overflow (a year 9999 limit)
ADVANCE_MAX = timedelta(days=5 * 366)  # the longest subscription, five years, and a little over
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1),
          "s": timedelta(seconds=1)}
_PART = re.compile(r"([0-9]{1,7})([wdhms])")
_EXAMPLE = "such as 7d, 12h, 1w2d or 90m (w, d, h, m, s)"


@dataclass(frozen=True)
class ClockSetting:
    anchor_real: datetime
    anchor_cloud: datetime
    rate: int = 1

    def at(self, real: datetime) -> datetime:
        """Cloud time when the real clock shows `real` (rate 0: standing still, while a jump does its work)."""
        cloud = as_utc(self.anchor_cloud)
        try:
            return min(cloud + (as_utc(real) - as_utc(self.anchor_real)) * self.rate, LATEST)
        except OverflowError:
            return LATEST

    def running_at(self, real: datetime, rate: int) -> "ClockSetting":
        """The same cloud time from `real` on, at another speed."""
        return ClockSetting(as_utc(real), self.at(real), rate)

    def moved(self, real: datetime, cloud: datetime) -> "ClockSetting":
        """Cloud time set to `cloud` at the real moment `real`, keeping the speed."""
        return ClockSetting(as_utc(real), as_utc(cloud), self.rate)

    def offset(self, real: datetime) -> timedelta:
        return self.at(real) - as_utc(real)


def check_rate(rate: int) -> int:
    if not 1 <= rate <= RATE_MAX:
        raise invalid(f"The clock runs 1 to {RATE_MAX:,} times real time; {rate:,} is not in that range.")
    return rate


def parse_rate(text: str) -> int:
    """Seconds of cloud time per real second, e.g. 3600 (an hour a second)."""
    return check_rate(parse_whole_number(text, "the clock rate (cloud seconds per real second)"))


def parse_duration(text: str) -> timedelta:
    """How far to move the clock: one or more parts such as `7d`, `12h`, `1w2d`, `90m`, `30s`."""
    raw = text.strip(" ").lower()
    if not raw:
        raise invalid(f"Enter how far to move the clock, {_EXAMPLE}.")
    parts = _PART.findall(raw)
    if "".join(number + unit for number, unit in parts) != raw:
        raise invalid(f"{shown(text)} is not a duration; write it {_EXAMPLE}.")
    total = sum((int(number) * _UNITS[unit] for number, unit in parts), timedelta())
    return check_advance(total)


def check_advance(delta: timedelta) -> timedelta:
    if not timedelta(seconds=1) <= delta <= ADVANCE_MAX:
        raise invalid(f"The clock moves ahead by 1 second to {ADVANCE_MAX.days} days at a time; "
                      f"{_spoken(delta)} is not in that range.")
    return delta


def _spoken(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400} days"
    return f"{seconds:,} seconds"


def describe_offset(offset: timedelta) -> str:
    """`+7d 3h` for the header: how far cloud time is ahead of (or behind) real time."""
    sign = "-" if offset < timedelta() else "+"
    seconds = round(abs(offset.total_seconds()) / 60) * 60  # to the nearest minute
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{minutes}m"] * bool(minutes)
    return sign + (" ".join(parts) if parts else "0m")

"""Time is injected: services, the scheduler and the UI ask a `Clock`, never `datetime.now()`.

Times are timezone-aware UTC everywhere inside; only the API shapes write them the CBR way, without a zone
(`2020-02-05T10:38:34.209782`).
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Protocol, overload

from cbr_tui.domain.errors import invalid


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to: tests and snapshot runs use it."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = as_utc(at)


def real_clock(clock: Clock) -> Clock:
    """The real clock behind one that simulates cloud time (the demo clock's `real`), or the clock itself:
    task leases and timeouts are kept on it, so that a fast cloud clock never sets off a takeover."""
    real = getattr(clock, "real", None)
    return real if real is not None else clock


def as_utc(moment: datetime) -> datetime:
    """Treat a naive time as UTC; convert an aware one to UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@overload
def api_time(moment: datetime) -> str: ...


@overload
def api_time(moment: None) -> None: ...


@overload
def api_time(moment: datetime | None) -> str | None: ...


def api_time(moment: datetime | None) -> str | None:
    """Format a time the way the CBR API does: UTC, microseconds, no zone."""
    if moment is None:
        return None
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f")


_API_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")


def parse_api_time(text: str, what: str) -> datetime:
    """A time as the API takes it in a query (`2018-02-01T12:00:00Z`; no zone means UTC); refused plainly."""
    if not _API_TIME.fullmatch(text.strip()):
        raise invalid(f"{what} is a time like 2026-12-01T12:00:00Z; {text[:40]!r} is not.")
    try:
        return as_utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        raise invalid(f"{what} is not a real time: {text[:40]!r}.") from None


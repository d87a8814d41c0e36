"""Backup and replication policy rules: RRULE triggers as CBR accepts them, and retention (reference §2.8).

Triggers are iCalendar RRULEs in UTC, at most 24 per policy, only FREQ (WEEKLY|DAILY), BYDAY, BYHOUR,
BYMINUTE and INTERVAL, runs at least one hour apart and at most 24 a day. dateutil's rrule expands them so
that the spacing rule is checked on real occurrences, not guessed from the text.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from dateutil.rrule import rrulestr

from cbr_tui.domain.errors import invalid

MAX_PATTERNS = 24
MAX_RUNS_PER_DAY = 24
MIN_GAP = timedelta(hours=1)
DAY_BASED_MAX_INTERVAL = 30
RETENTION_MAX = 99_999
CONSOLE_RETENTION_MIN = 2  # the console's retention quantity and days start at 2 (the API accepts 1)
LONG_TERM_MAX = 100
FULL_BACKUP_INTERVAL_MAX = 100
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALLOWED_KEYS = {"FREQ", "BYDAY", "BYHOUR", "BYMINUTE", "INTERVAL"}
_TIMEZONE_RE = re.compile(r"UTC[+-](0\d|1[0-4]):[0-5]\d")
# A Monday at midnight: occurrences are expanded from here to check spacing.
_ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)
_HORIZON = timedelta(days=2 * DAY_BASED_MAX_INTERVAL + 7)


def _parse(pattern: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in pattern.strip().removeprefix("RRULE:").split(";"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep or not value:
            raise invalid(f"The trigger {pattern!r} has a malformed part {part!r}; write KEY=VALUE.")
        if key not in _ALLOWED_KEYS:
            raise invalid(
                f"The trigger {pattern!r} uses {key}; only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL are allowed."
            )
        fields[key] = value.strip().upper()
    return fields


def _ints(pattern: str, name: str, raw: str, low: int, high: int) -> list[int]:
    try:
        values = [int(v) for v in raw.split(",")]
    except ValueError:
        raise invalid(f"{name} in {pattern!r} must be whole numbers, not {raw!r}.") from None
    if any(not low <= v <= high for v in values):
        raise invalid(f"{name} in {pattern!r} must lie between {low} and {high}.")
    return values


def check_pattern(pattern: str) -> str:
    """One trigger rule, normalised (`FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=22;BYMINUTE=00`)."""
    fields = _parse(pattern)
    freq = fields.get("FREQ")
    if freq not in ("WEEKLY", "DAILY"):
        raise invalid(f"The trigger {pattern!r} needs FREQ=WEEKLY or FREQ=DAILY.")
    if "BYHOUR" not in fields or "BYMINUTE" not in fields:
        raise invalid(f"The trigger {pattern!r} needs an execution time: BYHOUR and BYMINUTE.")
    _ints(pattern, "BYHOUR", fields["BYHOUR"], 0, 23)
    _ints(pattern, "BYMINUTE", fields["BYMINUTE"], 0, 59)
    if "BYDAY" in fields:
        days = fields["BYDAY"].split(",")
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise invalid(f"BYDAY in {pattern!r} has {','.join(unknown)}; use MO, TU, WE, TH, FR, SA, SU.")
    elif freq == "WEEKLY":
        raise invalid(f"The weekly trigger {pattern!r} needs the days of the week (BYDAY).")
    if "INTERVAL" in fields:
        high = DAY_BASED_MAX_INTERVAL if freq == "DAILY" else 52
        _ints(pattern, "INTERVAL", fields["INTERVAL"], 1, high)
    order = ("FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE")
    return ";".join(f"{k}={fields[k]}" for k in order if k in fields)


def occurrences(patterns: Iterable[str], start: datetime, end: datetime, *,
                anchor: datetime | None = None) -> list[datetime]:
    """Every run of the triggers in [start, end), in order, without duplicates.

    "Every 3 days" and "every 2 weeks" count from the day of `anchor` (the policy's start), so the same
    policy gives the same runs whenever it is asked; without an anchor they count from `start`'s day."""
    base = _midnight(anchor or start)
    runs: set[datetime] = set()
    for pattern in patterns:
        rule = rrulestr(pattern, dtstart=_same_phase_before(base, start, pattern))
        runs.update(rule.between(start, end, inc=True))
    return sorted(r for r in runs if start <= r < end)


def next_run(patterns: Sequence[str], after: datetime, *, anchor: datetime | None = None) -> datetime | None:
    """The first run strictly after `after` (None for no patterns)."""
    if not patterns:
        return None
    future = [r for r in occurrences(patterns, after, after + _HORIZON, anchor=anchor or after) if r > after]
    return future[0] if future else None


def latest_due(patterns: Sequence[str], after: datetime, now: datetime, *,
               anchor: datetime | None = None) -> datetime | None:
    """The last run in (after, now]: what a scheduler that last looked at `after` owes now. Runs missed
    while nothing was running are owed once, not once each."""
    if not patterns or now <= after:
        return None
    due = [r for r in occurrences(patterns, after, now + timedelta(microseconds=1), anchor=anchor) if r > after]
    return due[-1] if due else None


def _midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _same_phase_before(base: datetime, start: datetime, pattern: str) -> datetime:
    """The latest day on or before `start` that is a whole number of periods after `base`: expanding from
    there gives the runs `base` would, without walking every run since a policy's first day."""
    if start <= base:
        return base
    fields = _parse(pattern)
    period = int(fields.get("INTERVAL", "1")) * (7 if fields.get("FREQ") == "WEEKLY" else 1)
    return base + timedelta(days=(start - base).days // period * period)


def check_trigger(patterns: Sequence[str] | None) -> list[str]:
    """A policy's triggers: 1–24 rules whose runs are at least an hour apart and at most 24 a day."""
    if not patterns:
        raise invalid("A policy needs at least one execution time (trigger pattern).")
    if len(patterns) > MAX_PATTERNS:
        raise invalid(f"A policy can have at most {MAX_PATTERNS} trigger patterns; {len(patterns)} were given.")
    normalised = [check_pattern(p) for p in patterns]
    runs = occurrences(normalised, _ANCHOR, _ANCHOR + _HORIZON)
    for earlier, later in pairwise(runs):
        if later - earlier < MIN_GAP:
            raise invalid(
                f"Backups would run at {earlier:%a %H:%M} and then {later:%a %H:%M} (UTC), less than an hour "
                "apart; execution times must be at least one hour apart."
            )
    busiest = max(Counter(r.date() for r in runs).values(), default=0)
    if busiest > MAX_RUNS_PER_DAY:
        raise invalid(f"A policy can run at most {MAX_RUNS_PER_DAY} times a day; these triggers run {busiest}.")
    return normalised


def weekly_patterns(days: Sequence[str], times: Sequence[str]) -> list[str]:
    """The console's "Weekly" frequency: the chosen days at each execution time (HH:MM, UTC)."""
    picked = ",".join(d.upper() for d in days)
    return [f"FREQ=WEEKLY;BYDAY={picked};BYHOUR={h:02d};BYMINUTE={m:02d}" for h, m in map(_time, times)]


@dataclass(frozen=True)
class Schedule:
    """What the console's form shows of a trigger: weekly days (or every N days) and execution times."""

    days: tuple[str, ...]
    times: tuple[str, ...]
    every_days: int | None = None


def schedule_of(patterns: Sequence[str]) -> Schedule:
    """The form's view of a trigger the console made (all its patterns share their days)."""
    days: set[str] = set()
    times: set[str] = set()
    every_days = None
    for pattern in patterns:
        fields = _parse(pattern)
        times.update(f"{int(h):02d}:{int(m):02d}" for h in fields.get("BYHOUR", "0").split(",")
                     for m in fields.get("BYMINUTE", "0").split(","))
        if fields.get("FREQ") == "DAILY":
            every_days = int(fields.get("INTERVAL", "1"))
        else:
            days.update(fields.get("BYDAY", ",".join(WEEKDAYS)).split(","))
    return Schedule(tuple(d for d in WEEKDAYS if d in days), tuple(sorted(times)), every_days)


def describe_patterns(patterns: Sequence[str]) -> str:
    """A trigger in the console's words: `Every day at 22:00`, `MO,FR at 02:00, 14:00`, `Every 3 days at 01:30`."""
    schedule = schedule_of(patterns)
    if schedule.every_days is not None:
        when = "Every day" if schedule.every_days == 1 else f"Every {schedule.every_days} days"
    else:
        when = "Every day" if len(schedule.days) == len(WEEKDAYS) else ",".join(schedule.days)
    return f"{when} at {', '.join(schedule.times)}"


def day_based_patterns(every_days: int, times: Sequence[str]) -> list[str]:
    """The console's "Day-based" frequency: every 1–30 days at each execution time (HH:MM, UTC)."""
    if not 1 <= every_days <= DAY_BASED_MAX_INTERVAL:
        raise invalid(f"Day-based backups run every 1 to {DAY_BASED_MAX_INTERVAL} days; {every_days} was given.")
    return [f"FREQ=DAILY;INTERVAL={every_days};BYHOUR={h:02d};BYMINUTE={m:02d}" for h, m in map(_time, times)]


def _time(text: str) -> tuple[int, int]:
    hour, sep, minute = text.partition(":")
    try:
        h, m = int(hour), int(minute or "0")
    except ValueError:
        raise invalid(f"The execution time {text!r} must look like 22:00.") from None
    if not sep or not (0 <= h <= 23 and 0 <= m <= 59):
        raise invalid(f"The execution time {text!r} must look like 22:00 (00:00 to 23:59).")
    return h, m


@dataclass(frozen=True)
class Retention:
    """How long automatic backups are kept; manual backups are never pruned by a policy."""

    max_backups: int | None = None
    retention_duration_days: int | None = None
    day_backups: int = 0
    week_backups: int = 0
    month_backups: int = 0
    year_backups: int = 0
    timezone: str | None = None
    full_backup_interval: int = -1

    @property
    def permanent(self) -> bool:
        counts = (self.max_backups, self.retention_duration_days)
        return all(c in (None, -1) for c in counts) and not self.long_term

    @property
    def long_term(self) -> bool:
        return any((self.day_backups, self.week_backups, self.month_backups, self.year_backups))

    @classmethod
    def from_api(cls, definition: Mapping[str, Any]) -> "Retention":
        """The rule as `to_api` stored it in a policy's operation definition (-1 back to "not set")."""
        fields = {k: v for k, v in definition.items() if k in cls.__dataclass_fields__}
        for key in ("max_backups", "retention_duration_days"):
            if fields.get(key) == -1:
                fields[key] = None
        return cls(**fields)

    def to_api(self) -> dict[str, object]:
        shaped: dict[str, object] = {
            "max_backups": self.max_backups if self.max_backups is not None else -1,
            "retention_duration_days": (
                self.retention_duration_days if self.retention_duration_days is not None else -1
            ),
            "full_backup_interval": self.full_backup_interval,
        }
        if self.long_term:
            shaped |= {
                "day_backups": self.day_backups,
                "week_backups": self.week_backups,
                "month_backups": self.month_backups,
                "year_backups": self.year_backups,
                "timezone": self.timezone,
            }
        return shaped


def _bounded(name: str, value: int | None, low: int, high: int, allow_unset: bool = True) -> int | None:
    if value is None or (allow_unset and value == -1):
        return value
    if not low <= value <= high:
        raise invalid(f"{name} must be -1 or between {low:,} and {high:,}; {value:,} was given.")
    return value


def check_retention(
    *,
    max_backups: int | None = None,
    retention_duration_days: int | None = None,
    day_backups: int = 0,
    week_backups: int = 0,
    month_backups: int = 0,
    year_backups: int = 0,
    timezone: str | None = None,
    full_backup_interval: int = -1,
) -> Retention:
    _bounded("max_backups", max_backups, 1, RETENTION_MAX)
    _bounded("retention_duration_days", retention_duration_days, 1, RETENTION_MAX)
    for name, value in (("day_backups", day_backups), ("week_backups", week_backups),
                        ("month_backups", month_backups), ("year_backups", year_backups)):
        if not 0 <= value <= LONG_TERM_MAX:
            raise invalid(f"{name} must be between 0 and {LONG_TERM_MAX}; {value} was given.")
    _bounded("full_backup_interval", full_backup_interval, 0, FULL_BACKUP_INTERVAL_MAX)
    retention = Retention(max_backups, retention_duration_days, day_backups, week_backups, month_backups,
                          year_backups, timezone, full_backup_interval)
    by_time = retention_duration_days not in (None, -1)
    if by_time and (max_backups not in (None, -1) or retention.long_term):
        raise invalid("Retention by time period cannot be combined with retention by backup quantity.")
    if retention.long_term and not (timezone and _TIMEZONE_RE.fullmatch(timezone)):
        raise invalid("Long-term retention (day/week/month/year backups) needs a time zone such as UTC+08:00.")
    return retention


def checked_retention(retention: Retention) -> Retention:
    """A rule however it was built (a form, the CLI, the API): refused unless `check_retention` accepts it."""
    return check_retention(**asdict(retention))


def check_console_retention_count(count: int | None, unit: str = "backups") -> int | None:
    """The console's Retention Rule: keep 2 to 99,999 backups (or days), or all (None)."""
    if count is not None and not CONSOLE_RETENTION_MIN <= count <= RETENTION_MAX:
        raise invalid(f"Keep {CONSOLE_RETENTION_MIN} to {RETENTION_MAX:,} {unit} (or leave it empty to keep all); "
                      f"{count:,} was given.")
    return count

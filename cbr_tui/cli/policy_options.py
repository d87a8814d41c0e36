"""The policy form's fields as options, shared by `policy create`/`modify` and `vault create --new-policy`."""

from collections.abc import Callable
from typing import Any

import click

from cbr_tui.cli import params
from cbr_tui.domain.policy_rules import (
    Retention,
    check_console_retention_count,
    check_retention,
    day_based_patterns,
    weekly_patterns,
)

EVERY_DAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_OPTIONS = (
    click.option("--days", help="Weekly frequency: days such as MO,WE,FR (default: every day)."),
    click.option("--every-days", type=params.WHOLE, help="Day-based frequency: every N days (1-30)."),
    click.option("--at", "times", multiple=True, help="Execution time HH:MM in UTC (repeatable; default 22:00)."),
    click.option("--pattern", "patterns", multiple=True, help="A raw RRULE trigger instead (repeatable)."),
    click.option("--retain-count", type=params.WHOLE, help="Keep this many backups (2-99999)."),
    click.option("--retain-days", type=params.WHOLE, help="Keep backups this many days (2-99999)."),
    click.option("--day-backups", type=params.WHOLE, default=0, help="Long-term: keep the latest backup of N days."),
    click.option("--week-backups", type=params.WHOLE, default=0, help="Long-term: ... of N weeks."),
    click.option("--month-backups", type=params.WHOLE, default=0, help="Long-term: ... of N months."),
    click.option("--year-backups", type=params.WHOLE, default=0, help="Long-term: ... of N years."),
    click.option("--timezone", help="Time zone of long-term retention, e.g. UTC+08:00."),
    click.option("--full-backup-interval", type=params.SIGNED, default=-1,
                 help="A full backup every N backups (-1 never)."),
)
SCHEDULE_KEYS = ("days", "every_days", "times", "patterns")
RETENTION_KEYS = ("retain_count", "retain_days", "day_backups", "week_backups", "month_backups", "year_backups",
                  "timezone", "full_backup_interval")


def policy_form(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        function = option(function)
    return function


def schedule_given(values: dict[str, Any]) -> bool:
    return any(values.get(k) for k in SCHEDULE_KEYS)


def retention_given(values: dict[str, Any]) -> bool:
    return any(values.get(k) not in (None, 0, -1) for k in RETENTION_KEYS)


def patterns_from(values: dict[str, Any]) -> list[str]:
    if values.get("patterns"):
        if values.get("days") or values.get("every_days") or values.get("times"):
            raise click.UsageError("Give --pattern alone, or --days/--every-days with --at, not both.")
        return list(values["patterns"])
    times = values.get("times") or ("22:00",)
    if values.get("every_days") is not None:
        if values.get("days"):
            raise click.UsageError("Choose weekly (--days) or day-based (--every-days) frequency, not both.")
        return day_based_patterns(values["every_days"], times)
    days = values["days"].split(",") if values.get("days") else EVERY_DAY
    return weekly_patterns([d.strip() for d in days], times)


def retention_from(values: dict[str, Any]) -> Retention:
    """The console's retention rule (2-99,999 backups or days), then the API's."""
    return check_retention(
        max_backups=check_console_retention_count(values.get("retain_count")),
        retention_duration_days=check_console_retention_count(values.get("retain_days"), "days"),
        day_backups=values.get("day_backups") or 0,
        week_backups=values.get("week_backups") or 0,
        month_backups=values.get("month_backups") or 0,
        year_backups=values.get("year_backups") or 0,
        timezone=values.get("timezone"),
        full_backup_interval=values.get("full_backup_interval", -1),
    )


def pop_form(values: dict[str, Any]) -> dict[str, Any]:
    """Take the policy form's values out of a command's keyword arguments."""
    return {k: values.pop(k) for k in (*SCHEDULE_KEYS, *RETENTION_KEYS)}

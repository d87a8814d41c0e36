"""Policy triggers (RRULEs as CBR accepts them) and retention."""

from datetime import UTC, datetime, timedelta

import pytest

from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.policy_rules import (
    WEEKDAYS,
    check_pattern,
    check_retention,
    check_trigger,
    day_based_patterns,
    describe_patterns,
    latest_due,
    next_run,
    weekly_patterns,
)


def test_console_frequencies_become_rrules() -> None:
    assert weekly_patterns(["MO", "FR"], ["22:00", "06:30"]) == [
        "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=22;BYMINUTE=00",
        "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=06;BYMINUTE=30",
    ]
    assert day_based_patterns(3, ["01:00"]) == ["FREQ=DAILY;INTERVAL=3;BYHOUR=01;BYMINUTE=00"]


@pytest.mark.parametrize("pattern", [
    "FREQ=HOURLY;BYHOUR=1;BYMINUTE=0",
    "FREQ=DAILY;BYHOUR=24;BYMINUTE=0",
    "FREQ=DAILY;BYHOUR=1;BYMINUTE=60",
    "FREQ=DAILY;BYHOUR=1",
    "FREQ=WEEKLY;BYHOUR=1;BYMINUTE=0",
    "FREQ=WEEKLY;BYDAY=XX;BYHOUR=1;BYMINUTE=0",
    "FREQ=DAILY;INTERVAL=31;BYHOUR=1;BYMINUTE=0",
    "FREQ=DAILY;COUNT=3;BYHOUR=1;BYMINUTE=0",
    "FREQ=DAILY;BYHOUR",
])
def test_unsupported_triggers_are_refused(pattern: str) -> None:
    with pytest.raises(CbrError):
        check_pattern(pattern)


def test_runs_must_be_an_hour_apart_even_across_midnight() -> None:
    with pytest.raises(CbrError, match="less than an hour apart"):
        check_trigger(weekly_patterns(["MO"], ["01:00", "01:30"]))
    with pytest.raises(CbrError, match="less than an hour apart"):
        check_trigger(["FREQ=DAILY;BYHOUR=23;BYMINUTE=30", "FREQ=DAILY;BYHOUR=00;BYMINUTE=10"])
    assert check_trigger(["FREQ=WEEKLY;BYDAY=MO;BYHOUR=23;BYMINUTE=30", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=00;BYMINUTE=10"])


def test_at_most_24_patterns_and_24_runs_a_day() -> None:
    hourly = day_based_patterns(1, [f"{h:02d}:00" for h in range(24)])
    assert len(check_trigger(hourly)) == 24
    with pytest.raises(CbrError, match="at most 24"):
        check_trigger([*hourly, "FREQ=DAILY;BYHOUR=00;BYMINUTE=30"])
    with pytest.raises(CbrError):
        check_trigger([])


def test_next_run_follows_the_trigger() -> None:
    now = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # a Wednesday
    assert next_run(weekly_patterns(["MO"], ["22:00"]), now) == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    assert next_run(day_based_patterns(1, ["22:00"]), now) == datetime(2026, 11, 26, 22, 0, tzinfo=UTC)


def test_every_n_days_and_weeks_count_from_the_policys_start_whenever_asked() -> None:
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)  # a Thursday; the first run is that day at 22:00
    every_3 = day_based_patterns(3, ["22:00"])
    runs = [next_run(every_3, start + timedelta(days=d, hours=14), anchor=start) for d in range(0, 400, 37)]
    assert all(r is not None and (r.date() - start.date()).days % 3 == 0 for r in runs)
    assert next_run(every_3, start, anchor=start) == datetime(2026, 1, 1, 22, 0, tzinfo=UTC)
    fortnightly = ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=01;BYMINUTE=00"]
    mondays = [next_run(fortnightly, start + timedelta(days=d), anchor=start) for d in range(0, 300, 23)]
    assert all(r is not None and (r.date() - datetime(2026, 1, 12).date()).days % 14 == 0 for r in mondays)


def test_latest_due_owes_missed_runs_once() -> None:
    daily = day_based_patterns(1, ["22:00"])
    after = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    assert latest_due(daily, after, after + timedelta(minutes=59)) is None
    assert latest_due(daily, after, after + timedelta(hours=1)) == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)
    assert latest_due(daily, after, after + timedelta(days=3)) == datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert latest_due(daily, datetime(2026, 11, 25, 22, 0, tzinfo=UTC), after + timedelta(hours=2)) is None


def test_retention_rules() -> None:
    assert check_retention().permanent
    assert check_retention(max_backups=7).to_api()["max_backups"] == 7
    assert check_retention(retention_duration_days=30).to_api()["retention_duration_days"] == 30
    long_term = check_retention(max_backups=3, week_backups=4, timezone="UTC+08:00")
    assert long_term.to_api()["week_backups"] == 4
    for bad in ({"max_backups": 0}, {"max_backups": 100_000}, {"retention_duration_days": 0},
                {"week_backups": 101}, {"week_backups": 1}, {"week_backups": 1, "timezone": "CET"},
                {"retention_duration_days": 30, "max_backups": 5}, {"full_backup_interval": 101}):
        with pytest.raises(CbrError):
            check_retention(**bad)


def test_triggers_are_described_in_the_consoles_words() -> None:
    assert describe_patterns(weekly_patterns(WEEKDAYS, ["22:00"])) == "Every day at 22:00"
    assert describe_patterns(weekly_patterns(["MO", "FR"], ["14:00", "02:00"])) == "MO,FR at 02:00, 14:00"
    assert describe_patterns(day_based_patterns(3, ["01:30"])) == "Every 3 days at 01:30"

"""The demo clock's arithmetic and parsers, and the hours a pay-per-use vault is charged for."""

from datetime import UTC, datetime, timedelta

import pytest

from cbr_tui.domain.billing import Hours, billable_hours, cents_due
from cbr_tui.domain.demo_time import LATEST, ClockSetting, describe_offset, parse_duration, parse_rate
from cbr_tui.domain.errors import CbrError

REAL = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_cloud_time_runs_at_its_rate_and_a_new_rate_keeps_the_present() -> None:
    setting = ClockSetting(REAL, REAL + timedelta(days=2), rate=3600)
    assert setting.at(REAL + timedelta(seconds=10)) == REAL + timedelta(days=2, hours=10)
    slower = setting.running_at(REAL + timedelta(seconds=10), 1)
    assert slower.at(REAL + timedelta(seconds=10)) == REAL + timedelta(days=2, hours=10)
    assert slower.at(REAL + timedelta(seconds=20)) == REAL + timedelta(days=2, hours=10, seconds=10)
    assert describe_offset(slower.offset(REAL + timedelta(seconds=10))) == "+2d 10h"  # to the nearest minute
    assert describe_offset(timedelta(minutes=-90)) == "-1h 30m"


def test_cloud_time_never_overflows_however_long_it_runs_fast() -> None:
    setting = ClockSetting(REAL, REAL, rate=100_000)
    assert setting.at(REAL + timedelta(days=3650)) == LATEST
    assert ClockSetting(REAL, REAL, rate=0).at(REAL + timedelta(days=1)) == REAL  # standing still


@pytest.mark.parametrize(("text", "delta"), [("7d", timedelta(days=7)), ("1w2d", timedelta(days=9)),
                                            ("90m", timedelta(minutes=90)), (" 12H ", timedelta(hours=12)),
                                            ("1d12h30m5s", timedelta(days=1, hours=12, minutes=30, seconds=5))])
def test_durations_are_read_in_weeks_days_hours_minutes_and_seconds(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta


@pytest.mark.parametrize(("text", "reason"), [("", "Enter how far"), ("7", "not a duration"), ("d7", "not a duration"),
                                             ("-1d", "not a duration"), ("1.5d", "not a duration"),
                                             ("٧d", "not a duration"), ("0s", "1 second to"),
                                             ("2000d", "1 second to 1830 days"), ("99999999d", "not a duration")])
def test_a_bad_duration_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(CbrError) as caught:
        parse_duration(text)
    assert caught.value.code == "BackupService.9900" and reason in caught.value.message


def test_the_rate_is_a_whole_number_from_1_to_100_000() -> None:
    assert parse_rate("3600") == 3600 and parse_rate("100,000") == 100_000
    for text in ("0", "100001", "2.5", "-3", "fast"):
        with pytest.raises(CbrError):
            parse_rate(text)


def test_whole_hours_are_billed_one_line_per_utc_day() -> None:
    start = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)
    lines = billable_hours(start, start + timedelta(days=1, hours=3, minutes=59))
    assert lines == [Hours(start, 2), Hours(start + timedelta(hours=2), 1),  # 23:30-00:30 goes with the 1st
                     Hours(start + timedelta(hours=3), 23), Hours(start + timedelta(hours=26), 1)]
    assert sum(line.hours for line in lines) == 27
    assert billable_hours(start, start + timedelta(minutes=59)) == []


def test_deductions_add_up_to_the_accrued_total_to_the_cent() -> None:
    hourly = 171  # 0.0171 USD
    total = taken = 0
    for _hour in range(1000):
        taken += cents_due(total, total + hourly)
        total += hourly
    assert taken == total // 100 == 1710

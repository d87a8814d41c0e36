"""Retention: what a backup policy deletes, and what it must never delete."""

from datetime import UTC, datetime, timedelta

from cbr_tui.domain.policy_rules import Retention, check_retention
from cbr_tui.domain.retention import Candidate, to_delete

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def daily(count: int, *, resource: str = "srv", automatic: bool = True, start: datetime = NOW,
          prefix: str = "b", **fields: object) -> list[Candidate]:
    """`count` backups one day apart, the last one `start`."""
    return [Candidate(id=f"{prefix}{n:03d}", resource_id=resource, created_at=start - timedelta(days=count - 1 - n),
                      available=True, failed=False, automatic=automatic, **fields)  # type: ignore[arg-type]
            for n in range(count)]


def test_quantity_keeps_the_newest_n_of_each_resource() -> None:
    backups = daily(5, resource="a", prefix="a") + daily(2, resource="b", prefix="b")
    assert to_delete(backups, Retention(max_backups=3), NOW) == ["a000", "a001"]


def test_manual_backups_are_never_counted_or_deleted_by_a_policy() -> None:
    backups = daily(3) + daily(4, automatic=False, prefix="m")
    assert to_delete(backups, Retention(max_backups=1), NOW) == ["b000", "b001"]


def test_without_a_policy_or_with_permanent_retention_only_expiry_deletes() -> None:
    backups = daily(4)
    assert to_delete(backups, None, NOW) == []
    assert to_delete(backups, Retention(), NOW) == []
    expiring = daily(2, expired_at=NOW - timedelta(days=1), prefix="x", automatic=False)
    assert to_delete(backups + expiring, None, NOW) == ["x000", "x001"]
    assert to_delete(daily(1, expired_at=NOW + timedelta(seconds=1)), None, NOW) == []


def test_expired_backups_go_in_the_batch_window_from_0800_to_2000_the_next_day() -> None:
    expired = daily(1, expired_at=datetime(2026, 11, 30, 23, 0, tzinfo=UTC), automatic=False)

    def deleted_at(hour: int, minute: int = 0, day: int = 1) -> bool:
        return to_delete(expired, None, datetime(2026, 12, day, hour, minute, tzinfo=UTC)) == ["b000"]

    assert to_delete(expired, None, datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == []  # expired, not yet
    assert not deleted_at(7, 59)
    assert deleted_at(8, 0) and deleted_at(19, 59)
    assert not deleted_at(20, 0)
    assert deleted_at(9, 0, day=2)  # a window missed is caught up in the next one


def test_a_backup_an_image_was_made_from_is_not_counted_and_never_deleted() -> None:
    backups = daily(4)
    imaged = Candidate("b000", "srv", backups[0].created_at, True, False, True,
                       expired_at=NOW - timedelta(days=1), has_image=True)
    backups[0] = imaged
    assert to_delete(backups, Retention(max_backups=2), NOW) == ["b001"]


def test_the_newest_backup_of_a_resource_being_backed_up_stays() -> None:
    backups = daily(3, expired_at=NOW - timedelta(days=1))
    assert to_delete(backups, None, NOW, busy_resources=frozenset({"srv"})) == ["b000", "b001"]


def test_at_most_ten_failed_backups_are_kept_for_a_month() -> None:
    failed = [Candidate(f"f{n:02d}", "srv", NOW - timedelta(days=40 - n * 3), False, True, True) for n in range(14)]
    assert to_delete(failed, Retention(max_backups=5), NOW) == ["f00", "f01", "f02", "f03"]  # beyond ten
    assert to_delete(failed[3:6], Retention(), NOW) == ["f03"]  # 31 days old
    assert to_delete(failed[-3:], Retention(), NOW) == []


def test_day_based_long_term_keeps_the_latest_of_each_of_the_last_days_with_backups() -> None:
    twice_a_day = [Candidate(f"b{n:02d}", "srv", NOW - timedelta(hours=12 * (9 - n)), True, False, True)
                   for n in range(10)]  # five days, two backups each
    retention = check_retention(max_backups=1, day_backups=3, timezone="UTC+00:00")
    kept = {b.id for b in twice_a_day} - set(to_delete(twice_a_day, retention, NOW))
    assert kept == {"b09", "b07", "b05"}  # newest (quantity), and the latest of the last three days


def test_long_term_periods_follow_the_policys_time_zone() -> None:
    # 23:30 UTC on 30 Nov is already 1 Dec in UTC+08:00: the two backups share a local day there.
    late = Candidate("late", "srv", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), True, False, True)
    early = Candidate("early", "srv", datetime(2026, 12, 1, 1, 0, tzinfo=UTC), True, False, True)
    newest = Candidate("newest", "srv", datetime(2026, 12, 1, 11, 0, tzinfo=UTC), True, False, True)
    in_utc = check_retention(max_backups=1, day_backups=2, timezone="UTC+00:00")
    in_shanghai = check_retention(max_backups=1, day_backups=2, timezone="UTC+08:00")
    assert to_delete([late, early, newest], in_utc, NOW) == ["early"]
    assert to_delete([late, early, newest], in_shanghai, NOW) == ["late", "early"]


def test_weekly_monthly_and_yearly_rules_add_to_the_quantity_rule() -> None:
    backups = daily(400)
    retention = check_retention(max_backups=2, week_backups=2, month_backups=2, year_backups=2,
                                timezone="UTC+00:00")
    kept = [b for b in backups if b.id not in set(to_delete(backups, retention, NOW))]
    # 2 newest (Tue 1 Dec, Mon 30 Nov); weeks: Sun 29 Nov and the newest; months: 30 Nov and the newest;
    # years: 31 Dec 2025 and the newest.
    assert [b.created_at.date().isoformat() for b in kept] == ["2025-12-31", "2026-11-29", "2026-11-30",
                                                               "2026-12-01"]

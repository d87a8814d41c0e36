"""The installation's shared cloud time: `SharedClock` reads it from the store, so every process (console,
worker, CLI, served sessions) agrees on it; `ClockService` sets its speed, jumps it ahead or puts it back on
real time.

Jumping ahead stops at every moment something falls due in between (a policy's run, an expiry, the end of a
grace or retention period, a deletion window), applies it, and runs the backups it started before going on,
so a week ahead gives each day's backup, retention and charge as the real service would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import update
from sqlmodel import col, delete

from cbr_tui.domain.clock import Clock, SystemClock, api_time, as_utc
from cbr_tui.domain.demo_time import ClockSetting, check_advance, check_rate, describe_offset
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views.clock import ClockAnswer, ClockJump, ClockView, SchedulerPass
from cbr_tui.store import Store
from cbr_tui.store.models import DemoClock, VaultPolicy

REFRESH_SECONDS = 0.5  # how stale a process's copy of the clock's setting may be
MAX_STOPS = 50_000  # a jump stops at most this many times: five years of a policy running hourly is 43,920


class SharedClock:
    """Cloud time as the store keeps it (real time while no one changed it). `real` is the machine's clock,
    which task leases use; the setting is re-read at most every REFRESH_SECONDS."""

    def __init__(self, store: Store, real: Clock | None = None) -> None:
        self.store = store
        self.real = real or SystemClock()
        self._setting: ClockSetting | None = None
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        setting = self.setting()
        real = self.real.now()
        return setting.at(real) if setting else real

    def setting(self) -> ClockSetting | None:
        with self._lock:
            if time.monotonic() - self._read_at >= REFRESH_SECONDS:
                self._setting = _load(self.store)
                self._read_at = time.monotonic()
            return self._setting

    def forget(self) -> None:
        """Read the setting again at the next `now` (this process just changed it)."""
        with self._lock:
            self._read_at = float("-inf")


def _load(store: Store) -> ClockSetting | None:
    with store.read() as session:
        row = session.get(DemoClock, 1)
        return ClockSetting(as_utc(row.anchor_real), as_utc(row.anchor_cloud), row.rate) if row else None


class ClockService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def clock(self) -> SharedClock:
        if not isinstance(self.ctx.clock, SharedClock):
            raise CbrError(Codes.INVALID_PARAMETER, "This console runs on a fixed clock of its own (a test's), not "
                                                    "the installation's demo clock.")
        return self.ctx.clock

    def show(self) -> ClockAnswer:
        """Cloud time, real time, the rate, and how far apart they are (`fixed`: a test's own clock)."""
        if not isinstance(self.ctx.clock, SharedClock):
            now = self.ctx.clock.now()
            return ClockAnswer(clock=ClockView(now=api_time(now), real_now=api_time(now), rate=1, simulated=False,
                                               offset=describe_offset(timedelta()), offset_seconds=0, fixed=True))
        clock = self.clock
        setting = clock.setting()
        real = clock.real.now()
        now = setting.at(real) if setting else real
        offset = now - real
        return ClockAnswer(clock=ClockView(now=api_time(now), real_now=api_time(real),
                                           rate=setting.rate if setting else 1, simulated=setting is not None,
                                           offset=describe_offset(offset),
                                           offset_seconds=int(offset.total_seconds()), fixed=False))

    def set_rate(self, rate: int) -> ClockAnswer:
        """Run cloud time `rate` times as fast as real time, from where it is now."""
        self._permit()
        check_rate(rate)
        self._update(lambda setting, real: setting.running_at(real, rate))
        return self.show()

    def reset(self) -> ClockAnswer:
        """Back to real time. Policy runs already looked at in the future are looked at again from now, so
        they fire at their next real time rather than once real time has caught up."""
        self._permit()
        real = self.clock.real.now()
        with self.ctx.store.write() as session:
            session.exec(delete(DemoClock))
            session.exec(update(VaultPolicy).where(
                col(VaultPolicy.scheduled_through) > real).values(scheduled_through=real))
        self.clock.forget()
        return self.show()

    def advance(self, delta: timedelta, *, tick: Callable[[], SchedulerPass],
                next_due: Callable[[datetime], datetime | None], run_tasks: Callable[[], int]) -> ClockJump:
        """Move cloud time ahead by `delta`, stopping wherever something falls due: `tick` applies billing,
        policies and retention at the clock's time, `run_tasks` runs the tasks that started, `next_due`
        says where the next stop is. Cloud time stands still at each stop while its work runs (rate 0), and
        runs at its own speed again at the end, `delta` ahead of where it would have been."""
        self._permit()
        check_advance(delta)
        started = self.clock.real.now()
        before: list[ClockSetting] = []

        def begin(setting: ClockSetting, real: datetime) -> ClockSetting:
            """One jump at a time for the whole installation: a clock standing still is one under way."""
            if setting.rate == 0:
                raise invalid("The clock is already being moved ahead (it stands still meanwhile); wait until that "
                              "finishes. If no jump is running (a process stopped half-way), `cbr-tui clock rate 1` "
                              "runs the clock again.")
            before.append(setting)
            return ClockSetting(real, setting.at(real), 0)

        self._update(begin)
        rate = before[0].rate
        target = self.clock.now() + delta
        stops: list[SchedulerPass] = []
        complete = False
        try:
            for _ in range(MAX_STOPS):
                at = next_due(self.clock.now())
                at = target if at is None or at > target else at
                self._update(partial(_standing_still, at))
                report = tick()
                if run_tasks():
                    report = report.merged(tick())  # retention after the backups that just finished
                if report.eventful:
                    stops.append(report)
                if at >= target:
                    complete = True
                    break
        finally:  # even when tasks failed to finish: the clock runs again from where the jump stopped
            ended_at = self.clock.now()
            elapsed = (self.clock.real.now() - started) * rate
            self._update(lambda _setting, real: ClockSetting(real, (target if complete else ended_at) + elapsed,
                                                             rate))
        return ClockJump(clock=self.show().clock, stops=stops, stopped_short=None if complete else (
            f"The jump stopped after {MAX_STOPS:,} stops, at {api_time(ended_at)}; move the clock on again."))

    def _update(self, change: Callable[[ClockSetting, datetime], ClockSetting]) -> None:
        """Change the setting as it is in the store now (read and written in one transaction, the row locked
        on PostgreSQL), so that two processes moving the clock never undo each other."""
        with self.ctx.store.write() as session:
            row = session.get(DemoClock, 1, with_for_update=not self.ctx.store.is_sqlite, populate_existing=True)
            real = self.clock.real.now()
            current = ClockSetting(as_utc(row.anchor_real), as_utc(row.anchor_cloud), row.rate) if row \
                else ClockSetting(real, real)
            setting = change(current, real)
            row = row or DemoClock(id=1, anchor_real=setting.anchor_real, anchor_cloud=setting.anchor_cloud,
                                   updated_at=real)
            row.anchor_real, row.anchor_cloud, row.rate = setting.anchor_real, setting.anchor_cloud, setting.rate
            row.updated_at = real
            session.add(row)
        self.clock.forget()

    def _permit(self) -> None:
        """The clock is the whole installation's: only its first account's administrators move it."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        if not self.ctx.first_account:
            raise CbrError(Codes.NOT_AUTHORIZED, "The demo clock is the whole installation's; only the "
                                                 "administrator of its first account may change it.")


def _standing_still(at: datetime, _current: ClockSetting, real: datetime) -> ClockSetting:
    """Cloud time at `at`, not moving (a jump's stop)."""
    return ClockSetting(real, at, 0)

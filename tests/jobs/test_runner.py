"""The runner: one runner per task, leases taken over, cancellation, full vaults, full disks, progress."""

import errno
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest

from cbr_tui.domain.clock import FixedClock, real_clock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.ids import SeededIds
from cbr_tui.engine.objects import LocalObjectStore
from cbr_tui.jobs import runner as runner_module
from cbr_tui.jobs.backup import run_backup
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import LeaseLost, claim, owned
from cbr_tui.services.cloud_time import SharedClock
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store import open_store
from cbr_tui.store.models import Task, Vault
from tests.conftest import T0
from tests.data import disk_path, resource_digest
from tests.jobs.helpers import back_up, run
from tests.services.helpers import buy, refused

DISKS = ("evs-data-01", "evs-data-02", "evs-secure-01", "ecs-spare-01-volume-0000")


def test_two_runners_never_run_the_same_task(console: Console) -> None:
    for disk in DISKS:
        console.resources.write_data(disk, 1, seed=disk)
    buy(console, ObjectType.DISK, size_gb=1000, resources=DISKS, name="vault-disks")
    console.backups.perform("vault-disks")
    calls: Counter[str] = Counter()

    def counting(job, task):  # type: ignore[no-untyped-def]
        calls[task.id] += 1
        run_backup(job, task)

    handlers = {"backup": runner_module.Handler(counting, runner_module.abandon_backup)}
    runners = [console.runner(handlers=handlers) for _ in range(3)]
    threads = [threading.Thread(target=r.run_until_idle) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(calls) == 4 and set(calls.values()) == {1}
    statuses = {b.status for b in console.backups.list().backups}
    assert statuses == {"available"}


def test_an_expired_lease_is_taken_over_and_the_old_runner_is_stopped(console: Console, clock: FixedClock) -> None:
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    console.resources.write_data("evs-data-01", 2, seed="x")
    console.backups.perform("vault-disks")
    lease = timedelta(seconds=30)
    stalled = claim(console.ctx.store, "runner-a", clock.now(), lease, ("backup",))
    assert stalled is not None
    assert claim(console.ctx.store, "runner-b", clock.now(), lease, ("backup",)) is None  # still held
    clock.advance(timedelta(seconds=31))
    console.run_tasks()  # another runner takes it over
    task = console.tasks.show(stalled.id)
    assert task.status == "success"
    with console.ctx.store.read() as session:
        assert session.get(Task, stalled.id).attempts == 2
        with pytest.raises(LeaseLost):
            owned(session, stalled.id, "runner-a")


def test_leases_are_kept_on_real_time_so_a_fast_demo_clock_takes_nothing_over(settings: Settings) -> None:
    real = FixedClock(T0)
    store = open_store(settings.database_url)
    console = open_console(settings, clock=SharedClock(store, real=real), store=store, ids=SeededIds(7))
    try:
        buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
        console.backups.perform("vault-disks")
        runner = console.runner(owner="runner-a", lease=timedelta(seconds=30))
        held = claim(store, "runner-a", console.ctx.clock.now(), runner.lease, ("backup",),
                     lease_now=real_clock(console.ctx.clock).now())
        assert held is not None
        console.clock.set_rate(100_000)
        real.advance(timedelta(seconds=20))  # 20 real seconds: about 23 days of cloud time
        assert console.ctx.clock.now() - T0 > timedelta(days=20)
        other = console.runner(owner="runner-b", lease=timedelta(seconds=30))
        assert other.run_once() is False  # the lease has 10 real seconds left
        real.advance(timedelta(seconds=11))
        assert other.run_once() is True  # now it has expired, in real time
    finally:
        console.close()


def test_a_waiting_task_is_cancelled_at_once(console: Console) -> None:
    buy(console, resources=("ecs-web-01",), name="vault-web")
    backup = console.backups.perform("vault-web").checkpoint.backups[0]
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    cancelled = console.tasks.cancel(task.id).operation_log
    assert cancelled.status == "failed" and "cancelled" in cancelled.error_info.message
    assert console.backups.show(backup.id).status == "error"
    assert console.run_tasks() == 0
    console.backups.delete(backup.id)
    refused(Codes.INVALID_PARAMETER, lambda: console.tasks.cancel(task.id), "only a waiting or running")


def test_a_running_backup_stops_when_cancelled(console: Console, clock: FixedClock) -> None:
    console.resources.write_data("evs-data-01", 4, seed="c")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = console.backups.perform("vault-disks").checkpoint.backups[0]
    task = claim(console.ctx.store, "me", clock.now(), timedelta(seconds=30), ("backup",))
    assert task is not None
    console.tasks.cancel(task.id)  # running: the job sees the request at its next progress step
    job = JobContext(console.ctx.store, clock, console.ctx.ids, console.ctx.layout.home, "me",
                     timedelta(seconds=30), task.id)
    run_backup(job, task)
    assert console.tasks.show(task.id).status == "failed"
    assert console.backups.show(backup.id).status == "error"
    later = back_up(console, "vault-disks")[0]
    assert later.status == "available" and later.stats.read_bytes >= 4 << 20


def test_a_backup_that_would_overfill_the_vault_fails_with_6114(console: Console) -> None:
    console.resources.write_data("evs-data-01", 8, seed="big", pattern="random")
    vault = buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disks")
    first = back_up(console, "vault-disks")[0]
    with console.ctx.store.write() as session:
        row = session.get(Vault, vault.id)
        row.used_bytes = 100 * (1 << 30) - (1 << 20)  # 1 MiB left
        session.add(row)
    console.resources.write_data("evs-data-01", 8, seed="more", pattern="random")
    failed = back_up(console, "vault-disks")[0]
    assert failed.status == "error" and "expand it" in failed.extend_info.fail_reason
    task = console.tasks.list(operation_type="backup", status="failed").operation_logs[0]
    assert task.error_info.code == Codes.VAULT_FULL.code
    assert console.backups.show(first.id).status == "available"


def test_a_full_disk_under_the_vault_fails_the_backup_cleanly(console: Console,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    console.resources.write_data("evs-data-01", 6, seed="a", pattern="random")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    good = back_up(console, "vault-disks")[0]
    expected = resource_digest(console, "evs-data-01")
    console.resources.write_data("evs-data-01", 6, seed="b", pattern="random")
    real_put = LocalObjectStore.put
    writes = {"n": 0}

    def filling_up(self, key, data):  # type: ignore[no-untyped-def]
        writes["n"] += 1
        if writes["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_put(self, key, data)

    monkeypatch.setattr(LocalObjectStore, "put", filling_up)
    failed = back_up(console, "vault-disks")[0]
    monkeypatch.setattr(LocalObjectStore, "put", real_put)
    assert failed.status == "error" and "no space left" in failed.extend_info.fail_reason
    task = console.tasks.list(operation_type="backup", status="failed").operation_logs[0]
    assert task.error_info.code == Codes.VAULT_FULL.code
    console.resources.damage_data("evs-data-01")
    assert run(console, console.restores.restore_disk(good.id)).status == "success"
    assert resource_digest(console, "evs-data-01") == expected
    collected = console.maintenance.collect_garbage("vault-disks", grace_minutes=0, wait=True).gc
    assert collected.deleted_objects >= 2  # what the failed backup had written
    assert console.maintenance.audit("vault-disks").audit.clean
    assert console.maintenance.verify("vault-disks", read_share=1).verify.clean


def test_progress_is_written_while_a_throttled_backup_runs(console: Console) -> None:
    console.resources.write_data("evs-data-01", 8, seed="p", pattern="random")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    console.backups.perform("vault-disks")
    background = console.runner(workers=1, poll_interval=0.05)
    background.throttle = runner_module.Throttle(4 << 20)  # about two seconds for 8 MiB
    seen: list[int] = []
    background.start()
    try:
        for _ in range(2400):
            task = console.tasks.list(operation_type="backup").operation_logs[0]
            seen.append(task.extra_info.common.progress)
            if task.status == "success":
                break
            time.sleep(0.025)
    finally:
        background.stop()
    assert seen[-1] == 100
    assert any(0 < p < 100 for p in seen)
    common = console.tasks.list(operation_type="backup").operation_logs[0].extra_info.common
    assert common.bytes_done == common.bytes_total >= 8 << 20


def test_a_disk_that_vanished_fails_its_backup_with_a_reason(console: Console) -> None:
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = console.backups.perform("vault-disks").checkpoint.backups[0]
    disk_path(console, "evs-data-01").unlink()  # gone behind CBR's back
    console.run_tasks()
    failed = console.backups.show(backup.id)
    assert failed.status == "error" and "No such file" in failed.extend_info.fail_reason
    assert console.vaults.show("vault-disks").resources[0].protect_status == "error"


def test_a_task_that_keeps_killing_its_runner_is_given_up(console: Console, clock: FixedClock) -> None:
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = console.backups.perform("vault-disks").checkpoint.backups[0]
    lease = timedelta(seconds=30)
    for attempt in range(runner_module.MAX_ATTEMPTS):  # each runner dies holding the task
        assert claim(console.ctx.store, f"doomed-{attempt}", clock.now(), lease, ("backup",)) is not None
        clock.advance(lease + timedelta(seconds=1))
    console.run_tasks()
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    assert task.status == "failed" and "given up after 3 attempts" in task.error_info.message
    assert console.backups.show(backup.id).status == "error"


def test_a_handler_that_breaks_fails_its_task_instead_of_retrying_forever(console: Console) -> None:
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = console.backups.perform("vault-disks").checkpoint.backups[0]

    def broken(job, task):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    runner = console.runner(handlers={"backup": runner_module.Handler(broken, runner_module.abandon_backup)})
    assert runner.run_until_idle() == 1
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    assert task.status == "failed" and "a bug" in task.error_info.message
    assert console.backups.show(backup.id).status == "error"


def test_stopping_the_runner_hands_a_running_backup_back_and_the_next_runner_finishes_it(console: Console) -> None:
    """Quitting the console mid-backup: the job stops at its next block (not after its copy), the task is
    waiting again with the attempt not counted, and the next runner makes a backup that restores exactly."""
    console.resources.write_data("evs-data-01", 8, seed="quit")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = console.backups.perform("vault-disks").checkpoint.backups[0]
    expected = resource_digest(console, "evs-data-01")
    first = console.runner(workers=1)
    held = threading.Event()
    release = threading.Event()

    class Hold:
        def consume(self, _amount: int) -> None:
            held.set()
            release.wait(30)

    first.throttle = Hold()  # type: ignore[assignment]
    first.start()
    assert held.wait(30)
    stopping = threading.Thread(target=first.stop)
    stopping.start()
    release.set()
    stopping.join(30)
    assert not stopping.is_alive(), "the runner stopped within the block it was copying"
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    assert task.status == "waiting"
    with console.ctx.store.read() as session:
        row = session.get(Task, task.id)
        assert row is not None and row.attempts == 0 and row.lease_owner is None
    assert console.backups.show(backup.id).status == "protecting"
    assert console.run_tasks() == 1
    assert console.backups.show(backup.id).status == "available"
    console.resources.damage_data("evs-data-01")
    assert run(console, console.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(console, "evs-data-01") == expected


def test_taking_over_from_a_live_runner_is_not_counted_as_an_attempt(console: Console, clock: FixedClock) -> None:
    """The reported failure: under load, renewals came late, healthy tasks were taken over back and forth,
    and one was failed as 'given up after 3 attempts' although both runners were alive."""
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    console.backups.perform("vault-disks")
    lease = timedelta(seconds=30)
    alive = runner_module.runner_identity()  # this process: alive
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    dead = f"{socket.gethostname()}:{gone}:deadbeef"
    task = claim(console.ctx.store, alive, clock.now(), lease, ("backup",))
    assert task is not None and task.attempts == 1
    clock.advance(lease + timedelta(seconds=1))  # expired, but its runner is alive: its renewal may be queued
    assert claim(console.ctx.store, alive, clock.now(), lease, ("backup",)) is None
    for _round in range(runner_module.MAX_ATTEMPTS + 1):  # live runners trading the task: never counted
        clock.advance(lease)  # a lease of grace on top of the lease
        task = claim(console.ctx.store, alive, clock.now(), lease, ("backup",))
        assert task is not None and task.attempts == 1
        clock.advance(lease + timedelta(seconds=1))
    clock.advance(lease)
    task = claim(console.ctx.store, dead, clock.now(), lease, ("backup",))
    assert task is not None and task.attempts == 1  # taken from a live runner: still not counted
    clock.advance(lease + timedelta(seconds=1))
    task = claim(console.ctx.store, "elsewhere:1:abc", clock.now(), lease, ("backup",))
    assert task is not None and task.attempts == 2  # its holder's process has ended: that attempt counts
    clock.advance(lease + timedelta(seconds=1))  # a runner on another host: gone, as far as one can tell
    console.run_tasks()
    assert console.tasks.show(task.id).status == "success"

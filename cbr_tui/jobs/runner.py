"""`Runner`: worker threads that claim tasks, run them, and keep their leases alive.

Used in-process by the console (and by `--wait` on the command line) and headless by `cbr-tui worker`.
A job that raises is recorded as failed by its handler; the runner itself never dies of one.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cbr_tui.domain.clock import Clock, real_clock
from cbr_tui.domain.enums import OperationType
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.ids import IdSource
from cbr_tui.engine.placement import Placement
from cbr_tui.engine.progress import Throttle
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import Interrupted, LeaseLost, claim, release, renew
from cbr_tui.jobs.outcome import describe
from cbr_tui.store import Store
from cbr_tui.store.models import Task

log = logging.getLogger(__name__)


# The jobs bring the engine with them (chunking, hashing, compression): they are imported when a runner
# first claims a task of theirs, not when the console or a command line starts one.

def run_backup(job: JobContext, task: Task) -> None:
    from cbr_tui.jobs.backup import run_backup

    run_backup(job, task)


def abandon_backup(job: JobContext, task: Task, error: CbrError) -> None:
    from cbr_tui.jobs.backup import abandon_backup

    abandon_backup(job, task, error)


def run_restore(job: JobContext, task: Task) -> None:
    from cbr_tui.jobs.restore import run_restore

    run_restore(job, task)


def abandon_restore(job: JobContext, task: Task, error: CbrError) -> None:
    from cbr_tui.jobs.restore import abandon_restore

    abandon_restore(job, task, error)


def run_replication(job: JobContext, task: Task) -> None:
    from cbr_tui.jobs.replication import run_replication

    run_replication(job, task)


@dataclass(frozen=True)
class Handler:
    """How to carry out a task type, and how to end it in failure when it cannot be carried out."""

    run: Callable[[JobContext, Task], None]
    abandon: Callable[[JobContext, Task, CbrError], None]


HANDLERS: dict[str, Handler] = {
    OperationType.BACKUP.value: Handler(run_backup, abandon_backup),
    OperationType.RESTORE.value: Handler(run_restore, abandon_restore),
    OperationType.REPLICATION.value: Handler(run_replication, abandon_backup),
    # a backup synchronised from on-premises is copied like a replica: the chunks the vault lacks, verified
    OperationType.SYNC.value: Handler(run_replication, abandon_backup),
}
DEFAULT_LEASE = timedelta(seconds=30)
MAX_ATTEMPTS = 3


def runner_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Runner:
    def __init__(self, store: Store, clock: Clock, ids: IdSource, home: Path, *, owner: str | None = None,
                 lease: timedelta = DEFAULT_LEASE, workers: int = 2, poll_interval: float = 0.5,
                 bandwidth: float | None = None, handlers: dict[str, Handler] | None = None,
                 placement: Placement | None = None) -> None:
        self.store, self.clock, self.ids, self.home = store, clock, ids, home
        self.placement = placement or Placement(home)
        self.owner = owner or runner_identity()
        self.lease = lease
        self.workers = workers
        self.poll_interval = poll_interval
        self.throttle = Throttle(bandwidth) if bandwidth else None
        self.handlers = handlers or HANDLERS
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- running tasks ------------------------------------------------------------------------------

    def run_once(self, only: set[str] | None = None) -> bool:
        """Claim one runnable task and run it to the end; False when there was none."""
        task = claim(self.store, self.owner, self.clock.now(), self.lease, tuple(self.handlers), only,
                     lease_now=real_clock(self.clock).now())
        if task is None:
            return False
        job = JobContext(self.store, self.clock, self.ids, self.home, self.owner, self.lease, task.id,
                         throttle=self.throttle, stopping=self._stop, stores=self.placement)
        handler = self.handlers[task.operation_type]
        with _Heartbeat(job):
            try:
                if task.attempts > MAX_ATTEMPTS:
                    raise CbrError(Codes.UNKNOWN, f"The task was given up after {MAX_ATTEMPTS} attempts that "
                                                  "ended without a result (the process running it stopped).")
                handler.run(job, task)
            except Interrupted:
                release(self.store, task.id, self.owner, self.clock.now())
            except LeaseLost:
                log.warning("task %s was taken over by another runner", task.id)
            except Exception as error:
                if not isinstance(error, CbrError):
                    log.exception("task %s failed outside its handler's care", task.id)
                with suppress(LeaseLost):
                    handler.abandon(job, task, describe(error, "its vault"))
        return True

    def run_until_idle(self, only: set[str] | None = None) -> int:
        """Run tasks until none is runnable (the command line's --wait); returns how many ran."""
        count = 0
        while not self._stop.is_set() and self.run_once(only):
            count += 1
        return count

    # --- in the background --------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        for number in range(self.workers):
            thread = threading.Thread(target=self._loop, name=f"cbr-runner-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10) -> None:
        """Stop the workers: running jobs stop at their next block and hand their tasks back (waiting),
        so that quitting the console is quick and the next runner carries on."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:
                log.exception("the runner could not claim a task")
                ran = False
            if not ran:
                self._stop.wait(self.poll_interval)


class _Heartbeat:
    """Renews the job's lease regularly, even through phases that report no progress (sync, commit)."""

    def __init__(self, job: JobContext) -> None:
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="cbr-heartbeat", daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = max(self.job.lease.total_seconds() / 4, 0.05)
        while not self._stop.wait(interval):
            try:
                done, total = self.job.progress()
                renew(self.job.store, self.job.task_id, self.job.owner, self.job.clock, self.job.lease,
                      done, total)
            except LeaseLost:
                return
            except Exception:
                log.exception("could not renew the lease of task %s", self.job.task_id)

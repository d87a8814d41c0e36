"""Claiming tasks and keeping them: the lease is the only lock, so nobody ever has to unlock anything."""

import os
import socket
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select, update

from cbr_tui.domain.clock import Clock, real_clock
from cbr_tui.domain.enums import TaskStatus
from cbr_tui.store import Store
from cbr_tui.store.models import Task


class LeaseLost(Exception):
    """Another runner took the task over (this one stalled past its lease); stop without touching it."""


class Interrupted(LeaseLost):
    """This runner is stopping (the console quits): the job stops like one whose lease was lost, and the
    runner hands the task back so that the next runner resumes it at once."""


CANDIDATES = 20


def claim(store: Store, owner: str, now: datetime, lease: timedelta, operation_types: tuple[str, ...],
          only: set[str] | None = None, *, lease_now: datetime | None = None) -> Task | None:
    """Take the oldest runnable task: waiting, or running under a lease that has expired. `now` is cloud
    time (the task's start); `lease_now` real time, which leases are counted in (by default, `now`).

    A runner still alive on this host gets one more lease of grace before its task is taken: its renewal
    may be waiting behind another process's long write (SQLite has one writer at a time), and taking the
    task then would only stop healthy work half-way."""
    lease_now = lease_now or now
    with store.write() as session:
        query = (
            select(Task)
            .where(col(Task.operation_type).in_(operation_types),
                   or_(Task.status == TaskStatus.WAITING.value,
                       (col(Task.status) == TaskStatus.RUNNING.value) & (col(Task.lease_expires_at) < lease_now)))
            .order_by(col(Task.created_at), col(Task.id))
            .limit(CANDIDATES)
        )
        if only is not None:
            query = query.where(col(Task.id).in_(list(only)))
        if not store.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        task = next((t for t in session.exec(query) if not _in_grace(t, lease_now, lease)), None)
        if task is None:
            return None
        taken_over = task.status == TaskStatus.RUNNING.value
        if not (taken_over and owner_alive(task.lease_owner)):
            task.attempts += 1  # a late renewal by a live runner is not an attempt that ended without a result
        task.status = TaskStatus.RUNNING.value
        task.lease_owner = owner
        task.lease_expires_at = lease_now + lease
        task.started_at = task.started_at or now
        task.updated_at = now
        session.add(task)
        return task


def _in_grace(task: Task, now: datetime, lease: timedelta) -> bool:
    expires = task.lease_expires_at
    if task.status != TaskStatus.RUNNING.value or expires is None:
        return False
    if expires.tzinfo is None and now.tzinfo is not None:  # SQLite hands datetimes back without their zone
        expires = expires.replace(tzinfo=now.tzinfo)
    return now < expires + lease and owner_alive(task.lease_owner)


def owner_alive(owner: str | None) -> bool:
    """Whether the runner named `owner` (host:pid:nonce, see `runner_identity`) is a process alive on this
    host. A runner on another host cannot be asked: it counts as gone."""
    host, _, rest = (owner or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, run by another user
    return True


def renew(store: Store, task_id: str, owner: str, clock: Clock, lease: timedelta, done: int, total: int) -> bool:
    """Extend the lease and record progress; returns whether cancellation was asked. Raises LeaseLost.

    The new expiry is counted from when the write lock is held, not from when the renewal was asked: a
    renewal that waited behind another writer still gives a whole lease."""
    with store.write() as session:
        session.connection()  # begins the transaction: with SQLite, waits for the write lock here
        now, lease_now = clock.now(), real_clock(clock).now()
        progress = min(99, done * 100 // total) if total else 0
        changed = session.exec(
            update(Task)
            .where(col(Task.id) == task_id, col(Task.lease_owner) == owner,
                   col(Task.status) == TaskStatus.RUNNING.value)
            .values(lease_expires_at=lease_now + lease, bytes_done=done, bytes_total=total, progress=progress,
                    updated_at=now)
        ).rowcount
        if not changed:
            raise LeaseLost(task_id)
        return bool(session.exec(select(Task.cancel_requested).where(Task.id == task_id)).one())


def release(store: Store, task_id: str, owner: str, now: datetime) -> None:
    """Hand a task back as waiting, the interrupted attempt not counted against it."""
    with store.write() as session:
        session.exec(
            update(Task)
            .where(col(Task.id) == task_id, col(Task.lease_owner) == owner,
                   col(Task.status) == TaskStatus.RUNNING.value)
            .values(status=TaskStatus.WAITING.value, lease_owner=None, lease_expires_at=None,
                    attempts=Task.attempts - 1, updated_at=now)
        )


def owned(session: Session, task_id: str, owner: str) -> Task:
    """The task row, locked, provided this runner still holds it (inside a finishing transaction)."""
    task = session.get(Task, task_id, with_for_update=True, populate_existing=True)
    if task is None or task.lease_owner != owner or task.status != TaskStatus.RUNNING.value:
        raise LeaseLost(task_id)
    return task

"""Finishing tasks: success, or failure with an error a person can act on (never a stack trace)."""

import errno
from datetime import datetime
from typing import Any

from cbr_tui.cloud.kms import KeyUnavailable
from cbr_tui.domain.enums import TaskStatus
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine.blobs import MissingKey
from cbr_tui.engine.progress import Cancelled
from cbr_tui.store.models import Task


def describe(error: BaseException, vault_name: str) -> CbrError:
    """The error a failed task shows."""
    if isinstance(error, CbrError):
        return error
    if isinstance(error, MissingKey | KeyUnavailable):
        return CbrError(Codes.ENCRYPTION_KEY_NOT_FOUND, f"The data is encrypted and its key cannot be used: {error}. "
                        "Nothing was written; the backups stay whole and open again once the KMS key is back.")
    if isinstance(error, Cancelled):
        return CbrError(Codes.UNKNOWN, "The task was cancelled; nothing of it was kept.")
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return CbrError(Codes.VAULT_FULL,
                        f"The storage behind vault {vault_name} has no space left on the device; nothing of this "
                        "backup was kept and earlier backups are unaffected.")
    if isinstance(error, OSError):
        return CbrError(Codes.UNKNOWN, f"A storage error stopped the task: {error.strerror or error}.")
    return CbrError(Codes.UNKNOWN, f"The task failed unexpectedly ({type(error).__name__}: {error}).")


def succeed(task: Task, now: datetime, extra: dict[str, Any] | None = None) -> None:
    task.status = TaskStatus.SUCCESS.value
    task.progress = 100
    task.bytes_done = max(task.bytes_done, task.bytes_total)
    task.ended_at = task.updated_at = now
    task.lease_owner = task.lease_expires_at = None
    if extra:
        task.extra = {**task.extra, **extra}


def fail(task: Task, now: datetime, error: CbrError) -> None:
    task.status = TaskStatus.FAILED.value
    task.error_code, task.error_message = error.code, error.message
    task.ended_at = task.updated_at = now
    task.lease_owner = task.lease_expires_at = None

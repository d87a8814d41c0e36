"""Tasks (operation logs): what a job recorded, with the sections the front ends read named."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from cbr_tui.services.views.base import Transfer, View
from cbr_tui.v3 import models as v3


class Record(BaseModel):
    """A section of a task's record as the job wrote it: the fields the front ends read are named, the
    rest (which differs by operation) is kept and printed as it is."""

    model_config = ConfigDict(strict=True, extra="allow")


class TaskCommon(Record):
    progress: int
    request_id: str
    bytes_done: int
    bytes_total: int
    rate: int | None
    eta_seconds: float | None

    def transfer(self) -> Transfer:
        return Transfer(bytes_done=self.bytes_done, bytes_total=self.bytes_total, rate=self.rate,
                        eta_seconds=self.eta_seconds)


class TaskResource(Record):
    id: str | None
    name: str | None
    type: str | None


class BackupRecord(Record):
    """The backup a task made, restored, replicated or deleted."""

    backup_id: str | None = None
    backup_name: str | None = None
    incremental: bool | None = None  # a backup task's: what the engine did (text in the SDK's model)
    # a backup task's in a database server vault: application-consistent ("1") or not ("0") and why
    app_consistency_status: str | None = None
    app_consistency_error_code: str | None = None
    app_consistency_error_message: str | None = None


class SkipRecord(Record):
    code: str = ""
    reason: str = ""


class TaskExtra(Record):
    common: TaskCommon
    resource: TaskResource
    backup: BackupRecord | None = None
    restore: BackupRecord | None = None
    delete: BackupRecord | None = None
    skipped: SkipRecord | None = None

    def record_of(self, operation_type: str) -> BackupRecord | None:
        """The backup the task is about: a backup task's own, or its operation's."""
        found = self.backup or getattr(self, operation_type, None)
        return found if isinstance(found, BackupRecord) else None


class TaskView(v3.OperationLog):
    id: str
    project_id: str
    operation_type: str
    status: str
    provider_id: str | None
    checkpoint_id: str | None
    policy_id: str | None
    vault_id: str | None
    vault_name: str | None
    error_info: v3.OpErrorInfo
    extra_info: TaskExtra  # type: ignore[assignment]  # the SDK's OpExtraInfo, with what the job recorded
    created_at: str
    started_at: str | None
    ended_at: str | None
    updated_at: str

    @property
    def running(self) -> bool:
        return self.status in ("running", "waiting")


class TaskAnswer(View):
    operation_log: TaskView


class TaskPage(View):
    operation_logs: list[TaskView]
    count: int
    limit: int | None = None
    offset: int | None = None

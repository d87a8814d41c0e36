"""The Tasks page: operation logs, recorded by every backup, restore and deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from cbr_tui.domain.enums import BackupStatus, OperationType, ProtectStatus, TaskStatus
from cbr_tui.domain.errors import CbrError, Codes, invalid, spec_of
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import check_choice, check_paging
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.shapes import task_view
from cbr_tui.services.views import TaskAnswer, TaskPage, TaskView
from cbr_tui.store import Store
from cbr_tui.store.models import Backup, Task, Vault, VaultResource

TASK_HORIZON = timedelta(days=30)


def record_task(session: Session, ctx: ServiceContext, operation_type: OperationType, status: TaskStatus, *,
                vault: Vault | None = None, resource: tuple[str, str, str] | None = None,
                backup: tuple[str, str] | None = None, checkpoint_id: str | None = None,
                policy_id: str | None = None, provider_id: str | None = None,
                extra: dict[str, Any] | None = None) -> Task:
    """Add one operation log row; finished operations get their end time and 100% at once."""
    now = ctx.clock.now()
    done = status in (TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.SKIPPED)
    task = Task(
        id=ctx.ids.uuid(), project_id=ctx.project_id, operation_type=operation_type.value, status=status.value,
        provider_id=provider_id, checkpoint_id=checkpoint_id, policy_id=policy_id,
        vault_id=vault.id if vault else None, vault_name=vault.name if vault else None,
        resource_id=resource[0] if resource else None, resource_name=resource[1] if resource else None,
        resource_type=resource[2] if resource else None,
        backup_id=backup[0] if backup else None, backup_name=backup[1] if backup else None,
        progress=100 if status is TaskStatus.SUCCESS else 0, extra=extra or {},
        created_at=now, started_at=now if done else None, ended_at=now if done else None, updated_at=now,
    )
    session.add(task)
    return task


def _cancel_backup(session: Session, task: Task, now: datetime) -> None:
    """A backup that will never run ends in Error, so it can be deleted, and its resource is free again."""
    if task.operation_type not in (OperationType.BACKUP, OperationType.REPLICATION) or not task.backup_id:
        return
    rows = session.exec(select(Backup).where(or_(Backup.id == task.backup_id, Backup.parent_id == task.backup_id)))
    for row in rows:
        row.status, row.fail_reason, row.updated_at = BackupStatus.ERROR.value, "Cancelled.", now
        session.add(row)
    member = session.exec(select(VaultResource).where(VaultResource.resource_id == task.resource_id)).first()
    if member is not None and task.operation_type == OperationType.BACKUP:
        member.protect_status = ProtectStatus.AVAILABLE.value
        session.add(member)


def _visible_tasks(ctx: ServiceContext) -> list[Any]:
    """Someone who sees only some enterprise projects sees the tasks of those projects' vaults."""
    clause = lookups.visible_clause(Vault, ctx)
    return [col(Task.vault_id).in_(select(Vault.id).where(*clause))] if clause else []


@dataclass(frozen=True)
class TaskFilter:
    """ListOpLogs' filters beyond the Tasks page's: a time range of creation, the vault's and the resource's
    names (containing), the vault type's provider, the vault's enterprise project."""

    created_from: datetime | None = None
    created_to: datetime | None = None
    vault_name: str | None = None
    resource_name: str | None = None
    provider_id: str | None = None
    enterprise_project_id: str | None = None

    def clauses(self) -> list[Any]:
        found: list[Any] = []
        if self.created_from:
            found.append(col(Task.created_at) >= self.created_from)
        if self.created_to:
            found.append(col(Task.created_at) <= self.created_to)
        if self.vault_name:
            found.append(col(Task.vault_name).contains(self.vault_name, autoescape=True))
        if self.resource_name:
            found.append(col(Task.resource_name).contains(self.resource_name, autoescape=True))
        if self.provider_id:
            found.append(col(Task.provider_id) == self.provider_id)
        if self.enterprise_project_id:
            found.append(col(Task.vault_id).in_(select(Vault.id).where(
                col(Vault.enterprise_project_id) == self.enterprise_project_id)))
        return found


class TaskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, *, operation_type: str | None = None, status: str | None = None, vault_id: str | None = None,
             resource_id: str | None = None, limit: int = 50, offset: int = 0,
             include_older: bool = False, narrower: TaskFilter | None = None) -> TaskPage:
        """Tasks of the last 30 days (the console's horizon), newest first; ListOpLogs' further filters come
        in `narrower`."""
        check_paging(limit, offset)
        query = select(Task).where(Task.project_id == self.ctx.project_id, *_visible_tasks(self.ctx),
                                   *(narrower.clauses() if narrower else ()))
        if not include_older:
            query = query.where(Task.created_at >= self.ctx.clock.now() - TASK_HORIZON)
        if operation_type:
            query = query.where(Task.operation_type == check_choice(OperationType, operation_type, "task type").value)
        if status:
            query = query.where(Task.status == check_choice(TaskStatus, status, "task status").value)
        if vault_id:
            query = query.where(Task.vault_id == vault_id)
        if resource_id:
            query = query.where(Task.resource_id == resource_id)
        with self.ctx.store.read() as session:
            total = lookups.count(session, query)
            rows = session.exec(
                query.order_by(col(Task.created_at).desc(), col(Task.id)).offset(offset).limit(limit)
            ).all()
            return TaskPage(operation_logs=[task_view(t) for t in rows], count=total, limit=limit, offset=offset)

    def held_by(self, runner_owner: str) -> TaskPage:
        """The tasks one runner is running now, in every region (what quitting its process interrupts)."""
        with self.ctx.store.read() as session:
            rows = session.exec(select(Task).where(Task.lease_owner == runner_owner,
                                                   Task.status == TaskStatus.RUNNING.value)
                                .order_by(col(Task.created_at))).all()
            return TaskPage(operation_logs=[task_view(t) for t in rows], count=len(rows))

    def cancel(self, task_id: str) -> TaskAnswer:
        """Cancel a waiting or running task; a running one stops at its next progress step."""
        with self.ctx.store.write() as session:
            task = lookups.task(session, self.ctx, task_id)
            vault = session.get(Vault, task.vault_id) if task.vault_id else None
            lookups.permit(session, self.ctx, Action.TASK_CANCEL, vault.enterprise_project_id if vault else None)
            if task.status not in (TaskStatus.WAITING, TaskStatus.RUNNING):
                raise invalid(f"The task is {task.status}; only a waiting or running task can be cancelled.")
            task.cancel_requested = True
            if task.status == TaskStatus.WAITING:
                now = self.ctx.clock.now()
                task.status, task.ended_at, task.updated_at = TaskStatus.FAILED.value, now, now
                task.error_code, task.error_message = Codes.UNKNOWN.code, "The task was cancelled before it started."
                _cancel_backup(session, task, now)
            session.add(task)
            return TaskAnswer(operation_log=task_view(task))

    def require_success(self, task_ids: set[str]) -> None:
        """After running tasks to their end (`--wait`): refuse with the first failed task's own error, so that
        a script waiting on a backup or restore sees the failure in its exit status."""
        with self.ctx.store.read() as session:
            tasks = sorted((lookups.task(session, self.ctx, task_id) for task_id in task_ids),
                           key=lambda task: (task.created_at, task.id))
        for task in tasks:
            if task.status == TaskStatus.SUCCESS:
                continue
            what = f"The {task.operation_type} task {task.id} ({task.resource_name or task.vault_name})"
            if task.status in (TaskStatus.WAITING, TaskStatus.RUNNING):
                raise CbrError(Codes.UNKNOWN, f"{what} is still {task.status}: another worker holds it.")
            reason = task.error_message or "no reason was recorded"
            raise CbrError(spec_of(task.error_code or ""), f"{what} ended {task.status}: {reason}")

    def show(self, task_id: str) -> TaskView:
        with self.ctx.store.read() as session:
            return task_view(lookups.task(session, self.ctx, task_id))


def unsettled_tasks(store: Store) -> int:
    """Tasks of the whole installation still waiting or running."""
    with store.read() as session:
        return int(session.exec(select(func.count()).select_from(Task).where(
            col(Task.status).in_((TaskStatus.WAITING.value, TaskStatus.RUNNING.value)))).one())

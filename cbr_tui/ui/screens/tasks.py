"""The Tasks page: backups, restores and deletions of the last 30 days, with live progress."""



from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Select

from cbr_tui.domain.enums import OperationType, TaskStatus
from cbr_tui.domain.labels import TASK_STATUS
from cbr_tui.ui import format as fmt
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import TaskPage, TaskView

TASK_TYPES = {
    OperationType.BACKUP: "Backup", OperationType.RESTORE: "Restore", OperationType.DELETE: "Delete backup",
    OperationType.VAULT_DELETE: "Delete vault", OperationType.REMOVE_RESOURCE: "Dissociate",
    OperationType.REPLICATION: "Replication",
}


class TasksPage(ListPage):
    live = True

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Tasks", classes="title")
            yield Label("Tasks of the last 30 days", classes="muted")
        with Horizontal(classes="filters"):
            yield Select([("All task types", "")] + [(label, t.value) for t, label in TASK_TYPES.items()],
                         value="", allow_blank=False, id="task-type", compact=True)
            yield Select([("All statuses", "")] + [(TASK_STATUS[s], s.value) for s in TaskStatus],
                         value="", allow_blank=False, id="task-status", compact=True)
        # Fits 140 columns beside the navigation, details (bytes, rate, time left, or the failure) included.
        yield ConsoleTable((("Task", 9), ("Type", 11), ("Status", 12), ("Progress", 15), ("Resource", 12),
                            ("Vault", 10), ("Started", 10), ("Details", 18)), id="task-table")
        yield Pager(id="task-pager")

    def refresh_data(self) -> None:
        pager = self.query_one(Pager)
        kind = self.query_one("#task-type", Select).value
        status = self.query_one("#task-status", Select).value
        tasks = self.console.tasks
        self.ask(lambda: tasks.list(operation_type=kind or None if isinstance(kind, str) else None,
                                    status=status or None if isinstance(status, str) else None,
                                    limit=pager.page_size, offset=pager.first_row), self._show)

    def _show(self, result: TaskPage) -> None:
        self.query_one(ConsoleTable).replace_rows([(t.id, self._cells(t)) for t in result.operation_logs], height=2)
        self.query_one(Pager).show_total(result.count)

    def _cells(self, task: TaskView) -> tuple[object, ...]:
        common = task.extra_info.common
        return (
            fmt.short_id(task.id),
            TASK_TYPES.get(OperationType(task.operation_type), task.operation_type),
            fmt.task_status(task.status),
            fmt.progress_bar(common.bytes_done, common.bytes_total, width=10) if task.running
            else f"{common.progress}%",
            fmt.one_line(task.extra_info.resource.name or "--"),
            fmt.one_line(task.vault_name or "--"),
            fmt.when(task.started_at).replace(" ", "\n"),
            self._details(task),
        )

    @staticmethod
    def _details(task: TaskView) -> Text:
        """What the task is about: the failure, the transfer while it runs, else the backup it made or used."""
        extra = task.extra_info
        if task.status == "failed":
            return Text(task.error_info.message or "", style="red")
        if task.running:
            return Text(fmt.transfer(extra.common.transfer()))
        if task.status == "skipped":
            return Text(extra.skipped.reason if extra.skipped else "", style="grey50")
        record = extra.record_of(task.operation_type)
        name = record.backup_name if record and record.backup_name else ""
        return Text(f"from {name}" if name and task.operation_type == "restore" else name)

    @on(Select.Changed)
    def _filter(self) -> None:
        self.restart()

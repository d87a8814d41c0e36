"""The Backups tab of a backup page: backups of this type, their status and, while they run, progress."""



from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select

from cbr_tui.domain.enums import BackupStatus, ObjectType, ResourceType
from cbr_tui.domain.labels import BACKUP_STATUS
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.backup_actions import DIALOGS, backup_actions
from cbr_tui.ui.dialogs.menu import MenuDialog
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import BackupPage, BackupView


class BackupList(ListPage):
    live = True
    BINDINGS = [
        Binding("r", "restore", "Restore", id="backups.restore"),
        Binding("o", "operations", "Operations", id="backups.operations"),
        Binding("d", "operate('delete')", "Delete", id="backups.delete"),
        Binding("i", "operate('details')", "Details", id="backups.details"),
        Binding("slash", "focus_search", "Search", id="backups.search"),
        Binding("y", "synchronize", "Synchronize", id="backups.synchronize"),
    ]

    def __init__(self, object_type: ObjectType, *, vault_id: str | None = None, id: str | None = None,
                 resource_type: ResourceType | None = None) -> None:
        """`resource_type`: only backups of LUNs (Storage Backups) or of VMs (VMware Backups) of a hybrid page."""
        super().__init__(id=id)
        self.object_type = object_type
        self.vault_id = vault_id
        self.resource_type = resource_type

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Input(placeholder="Search by backup name or ID, or resource name", id="backup-search")
            yield Select([("All statuses", "")] + [(BACKUP_STATUS[s], s.value) for s in
                                                  (BackupStatus.AVAILABLE, BackupStatus.PROTECTING,
                                                   BackupStatus.RESTORING, BackupStatus.ERROR)],
                         value="", allow_blank=False, id="backup-status", compact=True)
        with Horizontal(classes="operations"):
            if self.object_type is ObjectType.VMWARE:
                yield Button("Synchronize (y)", id="op-sync", variant="primary", compact=True)
            yield Button("Restore (r)", id="op-restore", compact=True)
            yield Button("Operations ▾ (o)", id="op-operations", compact=True)
            yield Button("Delete (d)", id="op-delete", compact=True)
        yield ConsoleTable((("Name/ID", 18), ("Status", 26), ("Resource", 12), ("Vault", 10), ("Type", 11),
                            ("Created", 10), ("New data", 9)), id="backup-table")
        yield Pager(id="backup-pager")

    def refresh_data(self) -> None:
        pager = self.query_one(Pager)
        search = self.query_one("#backup-search", Input).value.strip() or None
        chosen = self.query_one("#backup-status", Select).value
        backups = self.console.backups
        self.ask(lambda: backups.list(vault=self.vault_id, object_type=self.object_type.value,
                                      status=chosen if isinstance(chosen, str) and chosen else None,
                                      search=search, limit=pager.page_size, offset=pager.first_row,
                                      resource_type=self.resource_type.value if self.resource_type else None),
                 self._show)

    def _show(self, result: BackupPage) -> None:
        self.query_one(ConsoleTable).replace_rows([(b.id, self._cells(b)) for b in result.backups], height=2)
        self.query_one(Pager).show_total(result.count)

    def _cells(self, backup: BackupView) -> tuple[object, ...]:
        status: Text = fmt.backup_status(backup.status, backup.extend_info.damaged)
        transfer = backup.transfer
        if transfer is not None:
            status = Text.assemble(status, "\n", fmt.progress_bar(transfer.bytes_done, transfer.bytes_total,
                                                                  width=8),
                                   f" {fmt.rate(transfer)}")
        elif backup.status == "error" and backup.extend_info.fail_reason:
            status = Text.assemble(status, "\n", (fmt.clip(backup.extend_info.fail_reason, 26), "red"))
        created = fmt.when(backup.created_at)
        return (
            fmt.name_and_id(backup.name, backup.id),
            status,
            fmt.one_line(backup.resource_name),
            fmt.one_line(backup.vault_name or fmt.short_id(backup.vault_id)),
            ("Automatic" if backup.extend_info.auto_trigger else "Manual") + "\n"
            + ("Incremental" if backup.incremental else "Full"),
            created.replace(" ", "\n"),
            fmt.size(backup.stats.new_bytes) if backup.status == "available" else "--",
        )

    @property
    def selected_backup(self) -> str | None:
        return self.query_one(ConsoleTable).selected_key

    @on(Input.Changed, "#backup-search")
    @on(Select.Changed, "#backup-status")
    def _filter(self) -> None:
        self.restart()

    def _with_backup(self, then: Callable[[BackupView], object]) -> None:
        self.with_selected(self.console.backups.show, "There is no backup here yet: perform a backup first.", then)

    @on(Button.Pressed, "#op-restore")
    def action_restore(self) -> None:
        """The row's first action: Restore (or Create File System for SFS Turbo, which never restores in place)."""
        self._with_backup(lambda backup: self._open(backup, backup_actions(backup)[0][1]))

    @on(Button.Pressed, "#op-operations")
    @on(ConsoleTable.RowSelected)
    def action_operations(self) -> None:
        self._with_backup(lambda backup: self.app.push_screen(
            MenuDialog(f"Operations: {backup.name}", backup_actions(backup)),
            callback=lambda action: self._open(backup, action) if action else None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Synchronize is a hybrid page's only (its backups are not made on the console)."""
        return self.object_type is ObjectType.VMWARE if action == "synchronize" else True

    @on(Button.Pressed, "#op-sync")
    def action_synchronize(self) -> None:
        from cbr_tui.ui.dialogs.hybrid_actions import SyncDialog

        self.app.push_screen(SyncDialog(), callback=self.finished)

    @on(Button.Pressed, "#op-delete")
    def _delete_pressed(self) -> None:
        self.action_operate("delete")

    def action_operate(self, action: str) -> None:
        self._with_backup(lambda backup: self._open(backup, action))

    def _open(self, backup: BackupView, action: str) -> None:
        self.app.push_screen(DIALOGS[action](backup), callback=self.finished)

    def action_focus_search(self) -> None:
        self.query_one("#backup-search", Input).focus()

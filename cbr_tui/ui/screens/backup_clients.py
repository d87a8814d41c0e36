"""File Backups > Backup Clients: the hosts whose agents back up directories, their status, paths and vault."""



from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button

from cbr_tui.domain.enums import ResourceKind
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.client_actions import AddPathDialog, ClientBackupDialog, ConfigureVaultDialog
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import ResourcePage, ResourceView


class BackupClientList(ListPage):
    live = True
    BINDINGS = [
        Binding("b", "backup", "Perform Backup", id="clients.backup"),
        Binding("c", "configure", "Configure Vault", id="clients.configure"),
        Binding("p", "add_path", "Add Path", id="clients.add_path"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="operations"):
            yield Button("Perform Backup (b)", id="op-client-backup", compact=True)
            yield Button("Configure Vault (c)", id="op-configure", compact=True)
            yield Button("Add Path (p)", id="op-add-path", compact=True)
        yield ConsoleTable((("Host/ID", 20), ("Status", 10), ("IP address", 14), ("OS", 20), ("Vault", 16),
                            ("Backup paths", 30)), id="client-table")
        yield Pager(id="client-pager")

    def refresh_data(self) -> None:
        resources, pager = self.console.resources, self.pager
        self.ask(lambda: resources.list(ResourceKind.AGENT, limit=pager.page_size, offset=pager.first_row),
                 self._show)

    def _show(self, result: ResourcePage) -> None:
        self.query_one(ConsoleTable).replace_rows([(a.id, self._cells(a)) for a in result.resources],
                                                  height=2)
        self.pager.show_total(result.count)

    @staticmethod
    def _cells(agent: ResourceView) -> tuple[object, ...]:
        return (
            fmt.name_and_id(agent.name, agent.id),
            fmt.resource_status(agent.status),
            agent.host_ip or "--",
            agent.host_os or "--",
            fmt.one_line(agent.vault.name) if agent.vault else "Not configured",
            "\n".join(fmt.tail_path(p.dir_path, 30) for p in (agent.paths or [])[:2])
            + (" …" if len(agent.paths or []) > 2 else "") or "no paths",
        )

    def _with_agent(self, then: Callable[[ResourceView], object]) -> None:
        self.with_selected(self.console.resources.show,
                           "There is no backup client: install an agent on a host first.", then)

    @on(Button.Pressed, "#op-client-backup")
    def action_backup(self) -> None:
        """A client without a vault is refused at once, before the dialog."""
        console = self.console

        def with_its_vault(key: str) -> ResourceView:
            agent = console.resources.show(key)
            console.backups.client_vault(agent.id)
            return agent

        self.with_selected(with_its_vault,
                           "There is no backup client: install an agent on a host first.",
                           lambda agent: self.app.push_screen(ClientBackupDialog(agent), callback=self.finished))

    @on(Button.Pressed, "#op-configure")
    def action_configure(self) -> None:
        self._with_agent(lambda agent: self.app.push_screen(ConfigureVaultDialog(agent), callback=self.finished))

    @on(Button.Pressed, "#op-add-path")
    def action_add_path(self) -> None:
        self._with_agent(lambda agent: self.app.push_screen(AddPathDialog(agent), callback=self.finished))

"""A backup-type page of the console (Cloud Server Backups, ...): its title, the Buy button, and tabs."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label, TabbedContent, TabPane

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui.screens.backup_clients import BackupClientList
from cbr_tui.ui.screens.backups import BackupList
from cbr_tui.ui.screens.base import ListPage, Page
from cbr_tui.ui.screens.vaults import VaultList
from cbr_tui.ui.wizards.purchase import PurchaseWizard


class BackupTypePage(Page):
    live = True
    BINDINGS = [
        Binding("n", "buy", "Buy vault", id="page.buy"),
        Binding("1", "tab('tab-vaults')", "Vaults tab", show=False, id="page.tab_vaults"),
        Binding("2", "tab('tab-backups')", "Backups tab", show=False, id="page.tab_backups"),
        Binding("3", "tab('tab-clients')", "Backup Clients tab", show=False, id="page.tab_clients"),
    ]

    def __init__(self, object_type: ObjectType, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.object_type = object_type
        self.vtype = vault_type(object_type)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label(self.vtype.page, classes="title")
            yield Button(self.vtype.buy_label, id="buy-vault", variant="primary", compact=True)
        with TabbedContent(id="tabs"):
            with TabPane("Vaults", id="tab-vaults"):
                yield VaultList(self.object_type)
            with TabPane("Backups", id="tab-backups"):
                yield BackupList(self.object_type)
            if self.object_type is ObjectType.FILE:
                with TabPane("Backup Clients", id="tab-clients"):
                    yield BackupClientList()

    def refresh_data(self) -> None:
        active = self.query_one(TabbedContent).active_pane
        if active is not None:
            active.query_one(ListPage).refresh_data()

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.refresh_data()

    def action_tab(self, tab_id: str) -> None:
        """Show a tab and put the cursor in its list, so that its keys work at once."""
        tabs = self.query_one(TabbedContent)
        if not tabs.query(f"#{tab_id}"):
            return
        tabs.active = tab_id
        self.call_after_refresh(lambda: tabs.query_one(f"#{tab_id} ConsoleTable").focus())

    @on(Button.Pressed, "#buy-vault")
    def action_buy(self) -> None:
        self.app.push_screen(PurchaseWizard(self.object_type), callback=lambda _vault_id: self.finished(None))

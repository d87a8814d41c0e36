"""A backup-type page of the console (Cloud Server Backups, ...): its title, the Buy button, and tabs."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label, TabbedContent, TabPane, Tabs

from cbr_tui.domain.enums import ObjectType, ResourceType
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui.screens.base import ListPage, Page, shown
from cbr_tui.ui.screens.vaults import VaultList
from cbr_tui.ui.widgets.table import ConsoleTable


class BackupTypePage(Page):
    live = True
    BINDINGS = [
        Binding("n", "buy", "Buy vault", id="page.buy"),
        Binding("1", "tab('tab-vaults')", "Vaults tab", show=False, id="page.tab_vaults"),
        Binding("2", "tab('tab-backups')", "Backups tab", show=False, id="page.tab_backups"),
        Binding("3", "third_tab", "Backup Clients or VMware Backups tab", show=False, id="page.tab_clients"),
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
            if self.object_type is ObjectType.VMWARE:  # seed 3.5: hybrid vaults hold storage and VMware backups
                yield TabPane("Storage Backups", id="tab-backups")
                yield TabPane("VMware Backups", id="tab-vmware")
            else:
                yield TabPane("Backups", id="tab-backups")
            if self.object_type is ObjectType.FILE:
                yield TabPane("Backup Clients", id="tab-clients")

    def refresh_data(self) -> None:
        if self.cbr_app.ready:
            self.offer(self.query_one("#buy-vault", Button), Action.VAULT_CREATE)
        active = self.query_one(TabbedContent).active_pane
        if active is not None and self.cbr_app.ready:
            for listing in active.query(ListPage):
                if listing.is_mounted:  # a tab's list being built loads itself once it is
                    listing.refresh_data()

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab chosen by key or mouse: its list (built the first time it is shown) gets the keys, so the
        footer shows them."""
        pane = event.pane
        if not pane.children:
            if pane.id in ("tab-backups", "tab-vmware"):
                from cbr_tui.ui.screens.backups import BackupList

                kind = None if self.object_type is not ObjectType.VMWARE else \
                    ResourceType.SERVER if pane.id == "tab-vmware" else ResourceType.VOLUME
                await pane.mount(BackupList(self.object_type, resource_type=kind))
            else:
                from cbr_tui.ui.screens.backup_clients import BackupClientList

                await pane.mount(BackupClientList())
        else:
            self.refresh_data()
        self.call_after_refresh(self._focus_tab)

    def _focus_tab(self) -> None:
        focused = self.screen.focused
        tables = list(self.query(ConsoleTable))
        if focused is None or isinstance(focused, Tabs) or not shown(focused) or focused in tables:
            control = self.main_control()
            if control is not None:
                control.focus()

    def action_tab(self, tab_id: str) -> None:
        """Show a tab and put the cursor in its list, so that its keys work at once."""
        tabs = self.query_one(TabbedContent)
        if tabs.query(f"#{tab_id}"):
            tabs.active = tab_id

    def action_third_tab(self) -> None:
        self.action_tab("tab-vmware" if self.object_type is ObjectType.VMWARE else "tab-clients")

    @on(Button.Pressed, "#buy-vault")
    def action_buy(self) -> None:
        from cbr_tui.ui.wizards.purchase import PurchaseWizard  # loaded when a vault is first bought

        if not self.permitted(Action.VAULT_CREATE):
            return
        self.app.push_screen(PurchaseWizard(self.object_type), callback=lambda _vault_id: self.finished(None))

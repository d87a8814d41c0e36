"""The Vaults tab of a backup page: the console's vault list with search, tag filter, paging and sorting."""



from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label

from cbr_tui.domain import purchase_form as form
from cbr_tui.domain.eligibility import backup_kind_refusal
from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui import format as fmt
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.errors import show_error
from cbr_tui.ui.widgets.fields import parse_pairs
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import VaultPage, VaultView

SORTS = ("created_at:desc", "name:asc", "size:desc", "used:desc")


class VaultList(ListPage):
    BINDINGS = [
        Binding("b", "operate('backup')", "Perform Backup", id="vaults.backup"),
        Binding("a", "operate('associate')", "Associate", id="vaults.associate"),
        Binding("m", "more", "More", id="vaults.more"),
        Binding("slash", "focus_search", "Search", id="vaults.search"),
        Binding("s", "next_sort", "Sort", id="vaults.sort"),
    ]

    def __init__(self, object_type: ObjectType, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.object_type = object_type
        self.vtype = vault_type(object_type)
        self.sort = SORTS[0]
        self.tag_filter: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Input(placeholder="Search by name or ID", id="vault-search")
            yield Input(placeholder="Tags: key=value, ... (up to 5; any matches)", id="vault-tags")
            yield Label(f"Sort: {self.sort}", id="vault-sort", classes="muted")
        yield Label("", id="vault-filter-error", classes="field-error")
        with Horizontal(classes="operations"):
            if self.vtype.takes_resources:
                yield Button("Perform Backup (b)", id="op-backup", compact=True)
                yield Button(f"Associate {self.vtype.resource_noun.title()} (a)", id="op-associate", compact=True)
            yield Button("More ▾ (m)", id="op-more", compact=True)
            yield Button("Details (enter)", id="op-details", compact=True)
        yield ConsoleTable((("Name/ID", 18), ("Status", 11), ("Used/Total", 13), ("Associated", 10), ("Type", 22),
                            ("Billing", 14), ("Tags/Project", 12)), id="vault-table")
        yield Pager(id="vault-pager")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys a vault of this type can never use are not offered (a hybrid cloud vault takes no backups on
        the console, and no resources)."""
        if (action, parameters) == ("operate", ("associate",)):
            return self.vtype.takes_resources
        if (action, parameters) == ("operate", ("backup",)):
            return backup_kind_refusal("", self.object_type.value, ProtectType.BACKUP.value) is None
        return True

    # --- loading ----------------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        pager = self.query_one(Pager)
        search = self.query_one("#vault-search", Input).value.strip() or None
        console, tags, sort = self.console, list(self.tag_filter), self.sort

        def vaults_and_projects() -> tuple[VaultPage, dict[str, str]]:
            listed = console.vaults.list(object_type=self.object_type.value, search=search, tags=tags,
                                         limit=pager.page_size, offset=pager.first_row, sort=sort)
            projects = console.accounts.enterprise_projects().enterprise_projects
            return listed, {p.id: p.name for p in projects}

        self.ask(vaults_and_projects, self._show)

    def _show(self, answer: tuple[VaultPage, dict[str, str]]) -> None:
        result, projects = answer
        self.query_one(ConsoleTable).replace_rows([(v.id, self._cells(v, projects)) for v in result.vaults],
                                                  height=2)
        self.query_one(Pager).show_total(result.count)
        for button, action in (("#op-backup", Action.VAULT_BACKUP), ("#op-associate", Action.VAULT_ADD_RESOURCES)):
            for found in self.query(button):
                self.offer(found, action)

    def _cells(self, vault: VaultView, projects: dict[str, str]) -> tuple[object, ...]:
        billing = vault.billing
        used_gb = billing.used // 1024  # the API gives MB; the console rounds down, under 1 GB shows 0
        associated = "Automatic\nassociation" if vault.auto_bind else str(len(vault.resources))
        specification = form.specification(self.vtype, billing.protect_type, billing.consistent_level)
        unit = self.vtype.capacity_unit
        used = self.vtype.size_in_console_unit(used_gb)
        return (
            fmt.name_and_id(vault.name, vault.id),
            fmt.vault_status(billing.status),
            f"{used:,}/{self.vtype.size_in_console_unit(billing.size):,} {unit}",
            associated,
            ("Replication vault" if billing.protect_type == "replication" else "Backup vault")
            + "\n" + specification,
            fmt.billing(billing.charging_mode) + "\n" + (
                f"to {billing.expired_at[:10]}" if billing.expired_at
                else "Multi-AZ" if billing.is_multi_az else "Single-AZ"),
            fmt.tags(vault.tags) + "\n" + projects.get(vault.enterprise_project_id, vault.enterprise_project_id),
        )

    @property
    def selected_vault(self) -> str | None:
        return self.query_one(ConsoleTable).selected_key

    # --- interaction ------------------------------------------------------------------------------------

    @on(Input.Submitted, "#vault-search")
    @on(Input.Changed, "#vault-search")
    def _search(self) -> None:
        self.restart()

    @on(Input.Submitted, "#vault-tags")
    def _filter_tags(self, event: Input.Submitted) -> None:
        """The service checks the tags (how many, their lengths) by listing with them; the list is filtered
        only when it takes them."""
        error_label = self.query_one("#vault-filter-error", Label)
        pairs = parse_pairs(event.value)
        vaults = self.console.vaults

        def taken(_checked: object) -> None:
            show_error(error_label, "")
            self.tag_filter = pairs
            self.restart()

        self.ask(lambda: vaults.list(object_type=self.object_type.value, tags=pairs, limit=1), taken,
                 refused=lambda error: show_error(error_label, error.message), load=False)

    @on(Button.Pressed, "#op-backup")
    def _backup_pressed(self) -> None:
        self.action_operate("backup")

    @on(Button.Pressed, "#op-associate")
    def _associate_pressed(self) -> None:
        self.action_operate("associate")

    @on(Button.Pressed, "#op-more")
    def _more_pressed(self) -> None:
        self.action_more()

    @on(Button.Pressed, "#op-details")
    @on(ConsoleTable.RowSelected)
    def _details(self) -> None:
        from cbr_tui.ui.screens.vault_details import VaultDetails  # the dialogs and details load when first used

        vault_id = self.selected_vault
        if vault_id is not None:
            self.app.push_screen(VaultDetails(vault_id), callback=lambda _result: self.refresh_data())

    def _with_vault(self, then: Callable[[VaultView], object]) -> None:
        self.with_selected(self.console.vaults.show, "There is no vault here yet: buy one first.", then)

    def action_operate(self, action: str) -> None:
        from cbr_tui.ui.dialogs.vault_actions import open_vault_dialog

        self._with_vault(lambda vault: open_vault_dialog(self.app, action, vault, self.finished))

    def action_more(self) -> None:
        from cbr_tui.ui.dialogs.menu import MenuDialog
        from cbr_tui.ui.dialogs.vault_actions import more_actions

        self._with_vault(lambda vault: self.app.push_screen(
            MenuDialog(f"More: {vault.name}", more_actions(vault)),
            callback=lambda action: self.action_operate(action) if action else None))

    def action_focus_search(self) -> None:
        self.query_one("#vault-search", Input).focus()

    def action_next_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.query_one("#vault-sort", Label).update(f"Sort: {self.sort}")
        self.refresh_data()

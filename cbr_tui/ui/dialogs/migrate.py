"""Migrate: an associated resource moves to another vault of the same type, with its backups. Their data is
copied (and verified) in a worker thread, so the console stays usable while a large resource moves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, Label, Select

from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui.dialogs.base import Dialog

if TYPE_CHECKING:
    from cbr_tui.services.views import VaultView


class MigrateDialog(Dialog[str | None]):
    """Dismisses with what was done, for the page to show."""

    ok_label = "Migrate"

    def __init__(self, vault: VaultView, resource_id: str) -> None:
        super().__init__()
        self.vault = vault
        self.resource_id = resource_id
        self.resource_name = next(r.name for r in vault.resources if r.id == resource_id)
        self.title_text = f"Migrate {self.resource_name}"
        self.targets: dict[str, str] = {}

    def body(self) -> ComposeResult:
        vtype = vault_type(self.vault.billing.object_type)
        targets = self.services.migration.destinations(self.vault.id).vaults
        self.targets = {t.id: t.name for t in targets}
        yield Label(f"{self.resource_name} leaves {self.vault.name} for another {vtype.vault_label} with all its "
                    "backups, which keep restoring from there; that vault's policy applies to it from now on.",
                    classes="dialog-text")
        if targets:
            yield Label("Destination vault", classes="field-label")
            yield Select([(t.name, t.id) for t in targets], value=targets[0].id, allow_blank=False,
                         id="migrate-to")
        else:
            yield Label(f"No other {vtype.vault_label} of the same kind can take it now: buy one first.",
                        id="migrate-none", classes="dialog-text")
        yield Label("", id="migrate-progress", classes="dialog-text")

    def submit(self) -> None:
        chosen = self.query("#migrate-to")
        if not chosen:
            self.show_error(f"There is no vault to migrate {self.resource_name} to.")
            return
        destination = chosen.first(Select).value
        if not isinstance(destination, str):
            return
        self.query_one("#ok", Button).disabled = True
        self.query_one("#migrate-progress", Label).update("Copying and verifying the backups' data…")
        self._migrate(destination, self.targets.get(destination, destination))

    @work(thread=True, exclusive=True, name="migrate")
    def _migrate(self, destination: str, destination_name: str) -> None:
        try:
            self.services.migration.migrate(self.vault.id, destination, [self.resource_id])
        except CbrError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, f"{self.resource_name} migrated to {destination_name} with its "
                                                "backups.")

    def _refused(self, error: CbrError) -> None:
        self.query_one("#migrate-progress", Label).update("")
        self.query_one("#ok", Button).disabled = False
        self.show_error(error)

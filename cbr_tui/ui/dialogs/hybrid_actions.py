"""Synchronize Backups (Hybrid Cloud Backups): the data center's backups into a hybrid cloud backup vault."""

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Select

from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.ui.dialogs.base import Dialog


class SyncDialog(Dialog[str | None]):
    title_text = "Synchronize Backups"
    ok_label = "Synchronize"

    def body(self) -> ComposeResult:
        vaults = self.services.vaults.list(object_type=ObjectType.VMWARE.value,
                                           protect_type=ProtectType.BACKUP.value, limit=100).vaults
        local = self.services.hybrid.local_backups(limit=1).count
        yield Label("Backups of the on-premises storage systems and VMware hosts are synchronised to the cloud, "
                    "copying only the data the vault lacks; hybrid cloud backups are not created on the console. "
                    + (f"The data center has {local} backup{'s' if local != 1 else ''}; those not in the vault yet "
                       "are synchronised." if local else
                       "The data center has no backups yet: its systems back up on their own (`cbr-tui hybrid "
                       "site` lists them, `cbr-tui hybrid back-up NAME` backs one up)."), classes="dialog-text")
        yield Label("Hybrid cloud backup vault", classes="field-label")
        yield Select([(v.name, v.id) for v in vaults], id="sync-vault", allow_blank=True,
                     prompt="Buy a hybrid cloud backup vault first" if not vaults else "Choose a vault",
                     value=vaults[0].id if len(vaults) == 1 else Select.NULL)

    def submit(self) -> None:
        chosen: Any = self.query_one("#sync-vault", Select).value
        if not isinstance(chosen, str):
            self.show_error("Choose the hybrid cloud backup vault to synchronise into (buy one first if there is "
                            "none).")
            return
        self.run(lambda: self.services.hybrid.sync(chosen), "Synchronising: see the backups and the Tasks page.")

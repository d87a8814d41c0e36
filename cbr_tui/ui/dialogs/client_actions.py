"""Dialogs of File Backups > Backup Clients: Perform Backup, Configure Vault and Add Path."""



from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label, Select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.rules import check_description, check_name
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field

if TYPE_CHECKING:
    from cbr_tui.services.views import ResourceView


class ConfigureVaultDialog(Dialog[str | None]):
    def __init__(self, agent: ResourceView) -> None:
        super().__init__()
        self.agent = agent
        self.title_text = f"Configure Vault for {agent.name}"

    def body(self) -> ComposeResult:
        vaults = self.services.vaults.list(object_type=ObjectType.FILE.value, limit=100).vaults
        usable = [v for v in vaults if v.billing.protect_type == "backup"]
        yield Label("The client stores its file backups in this vault. Moving it to another vault keeps the "
                    "backups already made where they are.", classes="dialog-text")
        current = self.agent.vault.id if self.agent.vault else Select.NULL
        yield Select([(v.name, v.id) for v in usable], value=current, prompt="Choose a file backup vault",
                     id="client-vault")

    def submit(self) -> None:
        chosen = self.query_one("#client-vault", Select).value
        if not isinstance(chosen, str):
            self.show_error("Choose a file backup vault (buy one on the Vaults tab if there is none).")
            return
        names = {value: str(label) for label, value in self.query_one("#client-vault", Select)._options}
        self.run(lambda: self.services.associations.configure_client(self.agent.id, chosen),
                 f"{self.agent.name} stores its backups in {names.get(chosen, 'the chosen vault')}.")


class AddPathDialog(Dialog[str | None]):
    def __init__(self, agent: ResourceView) -> None:
        super().__init__()
        self.agent = agent
        self.title_text = f"Add a Backup Path to {agent.name}"

    def body(self) -> ComposeResult:
        yield Label("An existing directory on this machine, backed up with everything under it (the simulated "
                    "host's own files are in the directory its first path names).", classes="dialog-text")
        yield Field("Directory (absolute path)", _absolute, placeholder="/var/www", id="client-path")

    def submit(self) -> None:
        path = self.query_one("#client-path", Field).validate()
        if path is not None:
            self.run(lambda: self.services.resources.add_agent_path(self.agent.id, path), f"{path} added.")


def _absolute(text: str) -> str:
    path = text.strip()
    if not path.startswith("/"):
        raise invalid(f"A backup path must be absolute; {path!r} is not.")
    return path


class ClientBackupDialog(Dialog[str | None]):
    """Perform Backup of a backup client (seed 5.5): its paths, now, into the vault it is configured with."""

    def __init__(self, agent: ResourceView) -> None:
        super().__init__()
        self.agent = agent
        self.title_text = f"Perform Backup of {agent.name}"

    def body(self) -> ComposeResult:
        vault = self.agent.vault.name if self.agent.vault else "its vault"
        paths = "\n".join(f"• {fmt.tail_path(p.dir_path, 60)}" for p in self.agent.paths or ()) or "• no paths yet"
        yield Label(f"The files under these paths of {self.agent.name} are backed up now into {vault}:\n{paths}",
                    classes="dialog-text")
        yield Field("Name", lambda text: check_name(text, "backup"), value=self.services.backups.default_name(),
                    id="client-backup-name")
        yield Field("Description (optional, up to 255 characters)", check_description, id="client-backup-description")

    def submit(self) -> None:
        name = self.query_one("#client-backup-name", Field).validate()
        description = self.query_one("#client-backup-description", Field)
        if name is None or (description.text and description.validate() is None):
            return
        self.run(lambda: self.services.backups.perform_for_client(self.agent.id, name=name,
                                                                  description=description.text or None),
                 "Backup started: watch it on the Backups tab.")

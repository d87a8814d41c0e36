"""Dialogs of File Backups > Backup Clients: Configure Vault and Add Path."""

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import invalid
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field


class ConfigureVaultDialog(Dialog[str | None]):
    def __init__(self, agent: dict[str, Any]) -> None:
        super().__init__()
        self.agent = agent
        self.title_text = f"Configure Vault for {agent['name']}"

    def body(self) -> ComposeResult:
        vaults = self.services.vaults.list(object_type=ObjectType.FILE.value, limit=100)["vaults"]
        usable = [v for v in vaults if v["billing"]["protect_type"] == "backup"]
        yield Label("The client stores its file backups in this vault. Moving it to another vault keeps the "
                    "backups already made where they are.", classes="dialog-text")
        current = self.agent["vault"]["id"] if self.agent["vault"] else Select.NULL
        yield Select([(v["name"], v["id"]) for v in usable], value=current, prompt="Choose a file backup vault",
                     id="client-vault")

    def submit(self) -> None:
        chosen = self.query_one("#client-vault", Select).value
        if not isinstance(chosen, str):
            self.show_error("Choose a file backup vault (buy one on the Vaults tab if there is none).")
            return
        self.run(lambda: self.services.associations.configure_client(self.agent["id"], chosen),
                 f"{self.agent['name']} stores its backups in the chosen vault.")


class AddPathDialog(Dialog[str | None]):
    def __init__(self, agent: dict[str, Any]) -> None:
        super().__init__()
        self.agent = agent
        self.title_text = f"Add a Backup Path to {agent['name']}"

    def body(self) -> ComposeResult:
        yield Label("An existing directory on the host, backed up with everything under it.", classes="dialog-text")
        yield Field("Directory (absolute path)", _absolute, placeholder="/var/www", id="client-path")

    def submit(self) -> None:
        path = self.query_one("#client-path", Field).validate()
        if path is not None:
            self.run(lambda: self.services.resources.add_agent_path(self.agent["id"], path), f"{path} added.")


def _absolute(text: str) -> str:
    path = text.strip()
    if not path.startswith("/"):
        raise invalid(f"A backup path must be absolute; {path!r} is not.")
    return path

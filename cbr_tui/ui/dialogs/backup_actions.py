"""The dialogs of a backup's Operation column: Details, Restore (server, desktop, disk, files), Create Disk, Create
Image, Create File System, Replicate, Delete. Each states what will be overwritten or created; the service decides."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Switch

from cbr_tui.domain.enums import ObjectType, ResourceType
from cbr_tui.domain.errors import CbrError, invalid
from cbr_tui.domain.labels import BACKUP_STATUS
from cbr_tui.domain.rules import check_name
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field, whole_number
from cbr_tui.ui.widgets.switch import WordedSwitch

if TYPE_CHECKING:
    from cbr_tui.services.views import BackupView, DiskView

STARTED = "Restoration started: watch it on the Tasks page."


class BackupDialog(Dialog[str | None]):
    """A dialog about one backup; dismisses with a short message for the caller to show."""

    def __init__(self, backup: BackupView) -> None:
        super().__init__()
        self.backup = backup


class RestoreServerDialog(BackupDialog):
    ok_label = "Restore"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Restore Server {backup.resource_name}"

    def body(self) -> ComposeResult:
        disks = self._server_disks()
        yield Label(f"Data on the disks of {self.backup.resource_name} is replaced by the backup "
                    f"{self.backup.name} ({fmt.when(self.backup.created_at)}). The server is stopped while "
                    "it is restored. Choose the disk each disk backup goes to.", classes="dialog-text")
        options = [(f"{d.name} ({d.size} GB, {'system' if d.bootable else 'data'} disk)", d.id)
                   for d in disks]
        attached = {d.id for d in disks}
        for child in self.backup.children:
            kind = "system" if child.extend_info.bootable else "data"
            yield Label(f"{child.resource_name} ({child.resource_size} GB {kind} disk backup) →",
                        classes="field-label")
            original = child.resource_id if child.resource_id in attached else Select.NULL
            yield Select(options, value=original, prompt="Choose a disk of the server", id=f"map-{child.id}")
        yield WordedSwitch("Start the server immediately after restoration", True, id="power-on", on_word="Yes",
                           off_word="No")

    def _server_disks(self) -> list[DiskView]:
        try:
            return list(self.services.resources.show(self.backup.resource_id).volumes or ())
        except CbrError:
            return []  # the server is gone: the service says so when OK is pressed

    def submit(self) -> None:
        mappings = {}
        for child in self.backup.children:
            chosen = self.query_one(f"#map-{child.id}", Select).value
            if isinstance(chosen, str):
                mappings[child.id] = chosen
        power_on = self.query_one("#power-on", Switch).value
        self.run(lambda: self.services.restores.restore_server(self.backup.id, mappings=mappings,
                                                               power_on=power_on), STARTED)


class RestoreDesktopDialog(BackupDialog):
    ok_label = "Restore"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Restore Desktop {backup.resource_name}"

    def body(self) -> ComposeResult:
        disks = ", ".join(child.resource_name for child in self.backup.children)
        yield Label(f"Data on the disks of {self.backup.resource_name} ({disks}) is replaced by the backup "
                    f"{self.backup.name} ({fmt.when(self.backup.created_at)}). Each disk goes back onto "
                    "the desktop's own disk; data written since the backup is lost.", classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.restores.restore_desktop(self.backup.id), STARTED)


class RestoreDiskDialog(BackupDialog):
    ok_label = "Restore"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Restore Disk {backup.resource_name}"

    def body(self) -> ComposeResult:
        yield Label(f"All data on the disk {self.backup.resource_name} is replaced by the backup "
                    f"{self.backup.name} ({fmt.when(self.backup.created_at)}). The disk must be detached "
                    "from its server (Available) while it is restored.", classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.restores.restore_disk(self.backup.id), STARTED)


class _CreateFromBackup(BackupDialog):
    """Create something new from a backup: a name and a size no smaller than the backup's."""

    noun = ""

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Create {self.noun.title()} from {backup.name}"

    def body(self) -> ComposeResult:
        yield Label(f"A new {self.noun} holding the data of {self.backup.resource_name} as it was at "
                    f"{fmt.when(self.backup.created_at)}.", classes="dialog-text")
        yield Field("Name (1-64 letters, digits, _ or -)", lambda text: check_name(text, self.noun),
                    value=f"{self.backup.resource_name}-restored"[:64], id="new-name")
        yield Field(f"Size (GB, at least {self.backup.resource_size}, the size of the backup)",
                    lambda text: whole_number(text, "the size in GB"), value=str(self.backup.resource_size),
                    id="new-size")

    def submit(self) -> None:
        name = self.query_one("#new-name", Field).validate()
        size = self.query_one("#new-size", Field).validate()
        if name is not None and size is not None:
            self.run(lambda: self.create(name, size), f"Creating {name}: watch it on the Tasks page.")

    def create(self, name: str, size: int) -> object:
        raise NotImplementedError


class CreateDiskDialog(_CreateFromBackup):
    noun = "disk"

    def create(self, name: str, size: int) -> object:
        return self.services.restores.create_disk(self.backup.id, name, size_gb=size)


class CreateFileSystemDialog(_CreateFromBackup):
    noun = "file system"

    def create(self, name: str, size: int) -> object:
        return self.services.restores.create_file_system(self.backup.id, name, size_gb=size)


class CreateImageDialog(BackupDialog):
    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Create Image from {backup.name}"

    def body(self) -> ComposeResult:
        yield Label(f"A full-server image of {self.backup.resource_name} (all its disks). New servers can be "
                    "created from it on the Images page.", classes="dialog-text")
        yield Field("Image name (1-64 letters, digits, _ or -)", lambda text: check_name(text, "image"),
                    value=f"image-{self.backup.name}"[:64], id="image-name")

    def submit(self) -> None:
        name = self.query_one("#image-name", Field).validate()
        if name is not None:
            self.run(lambda: self.services.restores.create_image(self.backup.id, name), f"Image {name} created.")


class RestoreFilesDialog(BackupDialog):
    ok_label = "Restore"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Restore Files of {backup.resource_name}"

    def body(self) -> ComposeResult:
        yield Label(f"Files of the backup {self.backup.name} go back to where they came from on "
                    f"{self.backup.resource_name} (replacing files of the same name), or under a new directory.",
                    classes="dialog-text")
        yield WordedSwitch("Restore to the original path", True, id="original-path", on_word="Yes",
                           off_word="No: under the new path below")
        yield Field("New path (absolute; used when the switch is off)", self._path, placeholder="/restore",
                    id="new-path")

    @staticmethod
    def _path(text: str) -> str:
        path = text.strip()
        if not path.startswith("/") or len(path) > 255:
            raise invalid("The destination path must be an absolute path of 1 to 255 characters.")
        return path

    def submit(self) -> None:
        if self.query_one("#original-path", Switch).value:
            self.run(lambda: self.services.restores.restore_files(self.backup.id), STARTED)
            return
        path = self.query_one("#new-path", Field).validate()
        if path is not None:
            self.run(lambda: self.services.restores.restore_files(self.backup.id, path), STARTED)


class ReplicateBackupDialog(BackupDialog):
    ok_label = "Replicate"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Replicate {backup.name}"

    def body(self) -> ComposeResult:
        choices = self.services.replication.destinations().destinations
        yield Label(f"A copy of {self.backup.name} ({self.backup.resource_name}, all its disks) goes to a "
                    "server replication vault in another region. Only the data that vault does not hold yet is "
                    "copied.", classes="dialog-text")
        if not choices:
            yield Label("There is no replication vault in another region yet: buy one there (Cloud Server "
                        "Backups, Protection Type Replication) first.", classes="dialog-text")
        yield Label("Destination vault", classes="field-label")
        yield Select([(f"{c.vault_name} ({c.region_name})", f"{c.region_id}|{c.vault_id}")
                      for c in choices], prompt="Choose a replication vault", id="destination")
        yield Field("Replica name (1-64 letters, digits, _ or -)", lambda text: check_name(text, "backup"),
                    value=self.backup.name, id="replica-name")

    def submit(self) -> None:
        chosen = self.query_one("#destination", Select).value
        name = self.query_one("#replica-name", Field).validate()
        if not isinstance(chosen, str):
            self.show_error("Choose the destination vault.")
            return
        if name is not None:
            region, vault = chosen.split("|", 1)
            self.run(lambda: self.services.replication.replicate(
                self.backup.id, destination_region=region, destination_vault=vault, name=name),
                "Replication started: watch it on the Tasks page.")


class DeleteBackupDialog(BackupDialog):
    ok_label = "Delete"
    ok_variant = "error"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Delete {backup.name}"

    def body(self) -> ComposeResult:
        lines = [f"The backup {self.backup.name} of {self.backup.resource_name} is deleted and can no longer "
                 "be used to restore data.",
                 "Stored data that no other backup uses is freed; the other backups of this resource still restore "
                 "in full."]
        if self.backup.children:
            lines.append(f"It holds {len(self.backup.children)} disk backups; all are deleted.")
        yield Label("\n".join(f"• {line}" for line in lines), classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.backups.delete(self.backup.id), f"{self.backup.name} deleted.")


ACTIONS_BY_TYPE: dict[str, list[tuple[str, str]]] = {
    ResourceType.SERVER.value: [("Restore Server", "restore_server"), ("Create Image", "create_image"),
                                ("Replicate", "replicate")],
    ResourceType.VOLUME.value: [("Restore Disk", "restore_disk"), ("Create Disk", "create_disk")],
    ResourceType.TURBO.value: [("Create File System", "create_file_system")],
    ResourceType.DESKTOP.value: [("Restore Desktop", "restore_desktop")],
    ResourceType.NATIVE.value: [("Restore Files", "restore_files")],
}


HYBRID_PROVIDER = vault_type(ObjectType.VMWARE).provider_id


def backup_actions(backup: BackupView) -> list[tuple[str, str]]:
    """The Operation menu of a backup row: (label, action name). A replica is not replicated again; a hybrid
    cloud backup restores to the data center it came from, or deploys on the cloud (seed 3.5)."""
    if backup.provider_id == HYBRID_PROVIDER and backup.resource_type in (ResourceType.VOLUME,
                                                                                ResourceType.SERVER):
        deploy = ("Create Disk", "create_disk") if backup.resource_type == ResourceType.VOLUME else \
            ("Create Image", "create_image")
        return [("Restore to On-premises", "restore_on_premises"), deploy, ("Delete", "delete"), ("Details", "details")]
    actions = ACTIONS_BY_TYPE.get(backup.resource_type, [])
    if backup.image_type == "replication":
        actions = [a for a in actions if a[1] != "replicate"]
    return [*actions, ("Delete", "delete"), ("Details", "details")]


class RestoreOnPremisesDialog(BackupDialog):
    ok_label = "Restore"

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Restore {backup.resource_name} On-premises"

    def body(self) -> ComposeResult:
        what = "the LUN" if self.backup.resource_type == ResourceType.VOLUME else "the disks of the VM"
        yield Label(f"All data on {what} {self.backup.resource_name} in the on-premises data center is replaced "
                    f"by the hybrid cloud backup {self.backup.name} ({fmt.when(self.backup.created_at)}), read "
                    "from the cloud and verified. A VM is stopped while it runs and started afterwards.",
                    classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.restores.restore_on_premises(self.backup.id), STARTED)


class BackupDetailsDialog(BackupDialog):
    """What a backup holds and what the engine did to make it: incremental (only what changed was read) or
    full, and why everything was read."""

    def __init__(self, backup: BackupView) -> None:
        super().__init__(backup)
        self.title_text = f"Backup {backup.name}"

    def buttons(self) -> Iterable[Button]:
        yield Button("Close", id="cancel", variant="primary", compact=True)

    def first_focus(self) -> Widget | None:
        return self.query_one("#cancel")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing to confirm: Esc or Close, and no OK in the footer."""
        return action != "submit"

    def body(self) -> ComposeResult:
        backup, stats = self.backup, self.backup.stats
        done = backup.status == "available"
        kind = "Incremental: only what changed since the last backup was read" if backup.incremental else \
            "Full" + (f": everything was read ({stats.read_reason})" if done and stats.read_reason else "")
        rows = [("ID", backup.id), ("Status", BACKUP_STATUS.get(backup.status, backup.status)
                                        + (" (damaged)" if backup.extend_info.damaged else "")),
                ("Resource", f"{backup.resource_name} ({backup.resource_type})"),
                ("Vault", backup.vault_name or backup.vault_id),
                ("Made", ("Automatic" if backup.extend_info.auto_trigger else "Manual") + ", "
                 + fmt.when(backup.created_at)),
                ("Type", kind if done else ("Incremental" if backup.incremental else "Full") + " (requested)"),
                ("Expires", fmt.when(backup.expired_at) if backup.expired_at else "Never")]
        if done:
            rows += [("Data", f"{fmt.size(stats.logical_bytes)} backed up, {fmt.size(stats.read_bytes)} read, "
                              f"{fmt.size(stats.new_bytes)} new in the vault")]
        consistency = backup.extend_info.app_consistency
        if consistency is not None:
            rows.append(("Consistency", "Application-consistent: the CBR Agent quiesced the databases"
                         if consistency.app_consistency_status == "1" else
                         f"Crash-consistent ({consistency.app_consistency_error_code}: "
                         f"{consistency.app_consistency_error_message})"))
        for child in backup.children:
            reason = child.stats.read_reason
            rows.append((child.resource_name, ("incremental" if child.incremental else "full")
                         + (f" ({reason})" if reason and not child.incremental else "")))
        yield Label("\n".join(f"{name}: {value}" for name, value in rows), classes="dialog-text")


DIALOGS: dict[str, type[BackupDialog]] = {
    "details": BackupDetailsDialog,
    "restore_on_premises": RestoreOnPremisesDialog,
    "restore_server": RestoreServerDialog,
    "restore_disk": RestoreDiskDialog,
    "restore_desktop": RestoreDesktopDialog,
    "create_disk": CreateDiskDialog,
    "create_file_system": CreateFileSystemDialog,
    "create_image": CreateImageDialog,
    "restore_files": RestoreFilesDialog,
    "replicate": ReplicateBackupDialog,
    "delete": DeleteBackupDialog,
}

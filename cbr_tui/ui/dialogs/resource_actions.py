"""Dialogs of the Resources area (the simulated cloud, not CBR): write data, damage data, attach a disk.

Writing and damaging bytes can take a while, so these dialogs only collect the choice; the page carries it
out in a worker thread and reports when it is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label, Select, Switch

from cbr_tui.domain.labels import RESOURCE_NOUN
from cbr_tui.domain.rules import WRITE_MB_MAX, check_write_amount
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field, whole_number
from cbr_tui.ui.widgets.switch import WordedSwitch

if TYPE_CHECKING:
    from cbr_tui.services.views import ResourceView

NEW_DISK = "__new__"


@dataclass(frozen=True)
class WriteRequest:
    megabytes: int
    pattern: str
    scattered: bool


class WriteDataDialog(Dialog[WriteRequest | None]):
    ok_label = "Write"

    def __init__(self, resource: ResourceView) -> None:
        super().__init__()
        self.resource = resource
        self.title_text = f"Write Data to {resource.name}"

    def body(self) -> ComposeResult:
        where = ("as new files under its directory" if self.resource.kind in ("turbo", "agent")
                 else "into its disks (shared among them), recording the changed blocks")
        yield Label(f"Writes realistic data {where}, so that the next backup has something to copy.",
                    classes="dialog-text")
        yield Field(f"Amount (MB, 1-{WRITE_MB_MAX})", self._megabytes, value="64", id="write-mb")
        yield Label("Kind of data", classes="field-label")
        patterns = self.services.resources.data_patterns()
        yield Select([(p, p) for p in patterns], value=patterns[0], allow_blank=False, id="write-pattern")
        if self.resource.kind not in ("turbo", "agent"):
            yield WordedSwitch("Write pattern", False, id="write-scattered", on_word="Scattered 4 KiB writes",
                               off_word="1 MiB extents")

    @staticmethod
    def _megabytes(text: str) -> int:
        amount = whole_number(text)
        check_write_amount(amount)
        return amount

    def submit(self) -> None:
        megabytes = self.query_one("#write-mb", Field).validate()
        if megabytes is None:
            return
        scattered = self.query("#write-scattered")
        self.dismiss(WriteRequest(megabytes, str(self.query_one("#write-pattern", Select).value),
                                  bool(scattered and scattered.first(Switch).value)))


class AttachDiskDialog(Dialog[str | None]):
    ok_label = "Attach"

    def __init__(self, server: ResourceView) -> None:
        super().__init__()
        self.server = server
        self.title_text = f"Attach a Disk to {server.name}"

    def body(self) -> ComposeResult:
        free = [d for d in self.services.resources.list("disk", status="available").resources
                if d.server_id is None and d.availability_zone == self.server.availability_zone]
        yield Label("Attach an Available disk of the same AZ, or a new one. If the server is associated with a "
                    "vault, the disk is backed up from its next backup on.", classes="dialog-text")
        options = [("A new disk", NEW_DISK)] + [(f"{d.name} ({d.size} GB)", d.id) for d in free]
        yield Select(options, value=NEW_DISK, allow_blank=False, id="attach-disk")
        yield Field("Size of a new disk (GB, 10-32,768)", whole_number, value="100", id="attach-size")
        yield WordedSwitch("Encrypt a new disk", False, id="attach-encrypted", on_word="Encrypted",
                           off_word="Not encrypted")

    def submit(self) -> None:
        chosen = self.query_one("#attach-disk", Select).value
        if chosen != NEW_DISK:
            self.run(lambda: self.services.resources.attach_disk(self.server.id, str(chosen)), "Disk attached.")
            return
        size = self.query_one("#attach-size", Field).validate()
        if size is not None:
            encrypted = self.query_one("#attach-encrypted", Switch).value
            self.run(lambda: self.services.resources.attach_new_disk(self.server.id, size, encrypted=encrypted),
                     "New disk attached.")


def damage_warning(resource: ResourceView) -> str:
    noun = RESOURCE_NOUN.get(resource.kind, resource.kind)  # type: ignore[call-overload]
    how = ("files are deleted and others garbled" if resource.kind in ("turbo", "agent")
           else "blocks of its disks are overwritten with garbage")
    return (f"Damage the data of the {noun} {resource.name}: {how}. This is how you make something to "
            "restore; what was backed up can be restored byte for byte.")

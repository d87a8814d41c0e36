"""Dialogs of the Images page (the simulated IMS, not CBR): a new server from an image, deleting an image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label

from cbr_tui.domain.rules import check_name
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field

if TYPE_CHECKING:
    from cbr_tui.services.views.maintenance import ImageView


class ImageDialog(Dialog[str | None]):
    """A dialog about one image; dismisses with a short message for the page to show."""

    def __init__(self, image: ImageView) -> None:
        super().__init__()
        self.image = image


class CreateServerDialog(ImageDialog):
    ok_label = "Create"

    def __init__(self, image: ImageView) -> None:
        super().__init__(image)
        self.title_text = f"Create Server from {image.name}"

    def body(self) -> ComposeResult:
        yield Label(f"A new server with disks shaped like those of the backup {self.image.backup_name} "
                    f"(at least {self.image.min_disk:,} GB in all), holding its data. It is Building while the "
                    "data is written, then starts.", classes="dialog-text")
        yield Field("Server name (1-64 letters, digits, _ or -)", lambda text: check_name(text, "server"),
                    value=f"ecs-{self.image.name}"[:64], id="server-name")

    def submit(self) -> None:
        name = self.query_one("#server-name", Field).validate()
        if name is not None:
            self.run(lambda: self.services.restores.create_server_from_image(self.image.id, name),
                     f"Creating the server {name} from {self.image.name}: see Tasks.")


class DeleteImageDialog(ImageDialog):
    ok_label = "Delete"
    ok_variant = "error"

    def __init__(self, image: ImageView) -> None:
        super().__init__(image)
        self.title_text = f"Delete {image.name}"

    def body(self) -> ComposeResult:
        yield Label(f"The image goes; the backup {self.image.backup_name} it was made from stays, and a new "
                    "image can be made from it again. Servers created from the image keep their data.",
                    classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.restores.delete_image(self.image.id), f"{self.image.name} deleted.")

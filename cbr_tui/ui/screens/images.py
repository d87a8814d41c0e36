"""The Images page: full-server images made from server backups (Backups > Operations > Create Image), and
new servers made from them. Like Simulated resources, it stands for the rest of the cloud (IMS), not CBR."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label

from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.image_actions import CreateServerDialog, DeleteImageDialog
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views.maintenance import ImageView


class ImagesPage(ListPage):
    BINDINGS = [
        Binding("c", "create_server", "Create Server", id="images.create_server"),
        Binding("d", "delete", "Delete", id="images.delete"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Images (simulated cloud)", classes="title")
            yield Label("Made from server backups: Backups > Operations > Create Image", classes="muted")
        with Horizontal(classes="operations"):
            yield Button("Create Server (c)", id="op-create-server", compact=True)
            yield Button("Delete (d)", id="op-delete-image", compact=True)
        yield ConsoleTable((("Name/ID", 26), ("Status", 10), ("Min disk GB", 11), ("From backup", 30),
                            ("Created", 19)), id="image-table")
        yield Pager(id="image-pager")

    def refresh_data(self) -> None:
        self.ask(self.console.restores.list_images,
                 lambda result: self.show_whole_list(result.images, _cells, key=lambda image: image.id))

    def _with_image(self, then: Callable[[ImageView], object]) -> None:
        restores = self.console.restores
        self.with_selected(lambda key: next((i for i in restores.list_images().images if i.id == key), None),
                           "There is no image yet: create one from a server backup (Backups > Operations).", then)

    @on(Button.Pressed, "#op-create-server")
    def action_create_server(self) -> None:
        self._with_image(lambda image: self.app.push_screen(CreateServerDialog(image), callback=self.finished))

    @on(Button.Pressed, "#op-delete-image")
    def action_delete(self) -> None:
        self._with_image(lambda image: self.app.push_screen(DeleteImageDialog(image), callback=self.finished))


def _cells(image: ImageView) -> tuple[object, ...]:
    return (
        fmt.name_and_id(image.name, image.id),
        fmt.status("ACTIVE" if image.status == "active" else image.status, image.status.title()),
        f"{image.min_disk:,}",
        Text.assemble(image.backup_name, "\n", (fmt.short_id(image.backup_id), "grey50")),
        fmt.when(image.created_at),
    )

"""Building blocks of the console's dialogs: a framed modal with a title, a body and OK/Cancel."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from cbr_tui.domain.errors import CbrError
from cbr_tui.ui.widgets.errors import show_error
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.widgets.form import FormScroll, focus_first_control

if TYPE_CHECKING:
    from cbr_tui.services.console import Console

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    """A modal with the console's shape: title, body, then the buttons (OK is the default action)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "OK", priority=True, id="dialog.ok"),
    ]
    title_text = ""
    ok_label = "OK"
    ok_variant = "primary"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with FormScroll(classes="dialog-body"):
                yield from self.body()
            yield Label("", id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, id="ok", variant=self.ok_variant)  # type: ignore[arg-type]
                yield Button("Cancel", id="cancel")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        focus_first_control(self.query_one(".dialog-body"), self.query_one("#ok", Button))

    def body(self) -> ComposeResult:
        yield from ()

    @property
    def services(self) -> "Console":
        return self.app.services  # type: ignore[attr-defined]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field means OK, as in a web form."""
        event.stop()
        self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self.query("#ok"):
            self.submit()

    def submit(self) -> None:
        """Do what OK means; refused operations are shown in the dialog, which stays open."""
        self.dismiss(None)

    def run(self, call: Callable[[], object], done: T) -> None:
        """Carry out the operation and close with `done`; a refusal stays in the dialog, beside the buttons."""
        try:
            call()
        except CbrError as error:
            self.show_error(error)
            return
        self.dismiss(done)

    def show_error(self, error: CbrError | str) -> None:
        text = f"{error.code}: {error.message}" if isinstance(error, CbrError) else error
        show_error(self.query_one("#dialog-error", Label), text)


class ConfirmDialog(Dialog[bool]):
    """A question with its consequences stated; dismisses with True when confirmed."""

    def __init__(self, title: str, message: str, ok_label: str = "OK", danger: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.ok_label = ok_label
        self.ok_variant = "error" if danger else "primary"

    def body(self) -> ComposeResult:
        yield Label(self.message, classes="dialog-text")

    def submit(self) -> None:
        self.dismiss(True)


class MessageDialog(Dialog[None]):
    """An error (or note) the console shows in a dialog: the code and the sentence."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def body(self) -> ComposeResult:
        yield Label(self.message, classes="dialog-text")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.message, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="cancel", variant="primary")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @classmethod
    def of(cls, error: CbrError) -> "MessageDialog":
        return cls(error.code, error.message)

"""Building blocks of the console's dialogs: a framed modal with a title, a body and OK/Cancel.

The body scrolls when it does not fit, so that a long form or message never pushes the buttons off a small
terminal (80x24); a refusal is shown whole, wrapped, between the body and the buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from cbr_tui.domain.errors import CbrError
from cbr_tui.ui import reach
from cbr_tui.ui.calls import OPERATIONS, Asks
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.errors import show_error
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.widgets.form import FormScroll, focus_first_control

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.services.views import TaskView

T = TypeVar("T")
Answer = TypeVar("Answer")
MIN_BODY_ROWS = 3
SCREEN_MARGIN = 1  # rows kept free above and below a dialog, so that it reads as one


class Dialog(Guarded, Asks, ModalScreen[T], Generic[T]):
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
                yield from self.buttons()
        yield ConsoleFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def buttons(self) -> Iterable[Button]:
        yield Button(self.ok_label, id="ok", variant=self.ok_variant, compact=True)  # type: ignore[arg-type]
        yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        first = self.first_focus()
        if first is not None:
            first.focus()
        else:
            focus_first_control(self.query_one(".dialog-body"), self.query(Button).first())
        self.call_after_refresh(self.fit_body)

    def first_focus(self) -> Widget | None:
        """Where the cursor starts, if not on the body's first control (or OK when the body has none)."""
        return None

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self.fit_body)

    def fit_body(self) -> None:
        """Give the body the rows the screen has left after the title, the message and the buttons."""
        frame = self.query_one(".dialog", Vertical)
        body = self.query_one(".dialog-body", FormScroll)
        footer = self.query_one(ConsoleFooter)
        tallest = max(self.size.height - footer.outer_size.height - 2 * SCREEN_MARGIN, MIN_BODY_ROWS)
        frame.styles.max_height = tallest
        others = sum(_rows(child, frame.content_size) for child in frame.children
                     if child is not body and child.display)
        room = tallest - frame.styles.gutter.height - others - body.styles.margin.height
        body.styles.max_height = max(room, MIN_BODY_ROWS)

    @property
    def services(self) -> Console:
        return reach.services(self)

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

    def run(self, call: Callable[[], Answer], done: T | Callable[[Answer], T]) -> None:
        """Carry out the operation in a worker and close with `done` (or what `done` makes of the answer); a
        refusal stays in the dialog, beside the buttons. OK does nothing while the operation is under way, so
        that a second press cannot do it twice."""
        if not self.busy(OPERATIONS):
            self.ask(call, lambda answer: self.dismiss(done(answer) if callable(done) else done),
                     refused=self.show_error, load=False)

    def show_error(self, error: CbrError | str) -> None:
        text = f"{error.code}: {error.message}" if isinstance(error, CbrError) else error
        show_error(self.query_one("#dialog-error", Label), text)
        self.fit_body()  # the refusal's rows are counted from its words: no need to wait for its layout


def _rows(widget: Widget, room: Size) -> int:
    """The rows a part of the dialog takes; a refusal's are counted from its words, since it may be shown
    before it was ever laid out."""
    if isinstance(widget, Label) and widget.id == "dialog-error":
        gutter = widget.styles.gutter
        width = room.width - gutter.width - widget.styles.margin.width
        return widget.get_content_height(room, room, width) + gutter.height + widget.styles.margin.height
    return widget.outer_size.height + widget.styles.margin.height


class ConfirmDialog(Dialog[bool]):
    """A question with its consequences stated; dismisses with True when confirmed."""

    def __init__(self, title: str, message: str, ok_label: str = "OK", danger: bool = False,
                 cancel_first: bool = False) -> None:
        """`cancel_first`: the cursor starts on Cancel (paying takes a deliberate move, not a second Enter)."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.ok_label = ok_label
        self.ok_variant = "error" if danger else "primary"
        self.cancel_first = cancel_first

    def body(self) -> ComposeResult:
        yield Label(self.message, classes="dialog-text")

    def first_focus(self) -> Widget | None:
        return self.query_one("#cancel", Button) if self.cancel_first else None

    def submit(self) -> None:
        self.dismiss(True)


class MessageDialog(Dialog[None]):
    """A refusal (or note) the console shows in a dialog: the code as its title and the whole sentence."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def body(self) -> ComposeResult:
        yield Label(self.message, classes="dialog-text", id="message")

    def buttons(self) -> Iterable[Button]:
        yield Button("OK", id="ok", variant="primary", compact=True)

    @classmethod
    def of(cls, error: CbrError) -> MessageDialog:
        return cls(error.code, error.message)


class QuitDialog(ConfirmDialog):
    """Quitting while this console runs backups or restores: what becomes of them, before they stop."""

    def __init__(self, running: list[TaskView]) -> None:
        names = ", ".join(f"{task.operation_type} of {task.extra_info.resource.name}" for task in running)
        super().__init__(
            "Quit while tasks run?",
            f"This console is running {len(running)} task{'s' if len(running) != 1 else ''}: {names}. Quitting "
            "stops them within a block; they carry on at the next start of cbr-tui, or in `cbr-tui worker`, "
            "without copying again the data already in the vault.", "Quit")


class NoticeScreen(Guarded, ModalScreen[None]):
    """A notice while the console does something that takes a moment and needs nothing from you."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.message, classes="dialog-text")

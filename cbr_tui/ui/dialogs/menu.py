"""A small menu (the console's More drop-down): choose one action, or Escape."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.footer import ConsoleFooter


class MenuDialog(Guarded, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="menu.close")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog menu"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*(Option(label, id=action) for label, action in self.options), id="menu")
        yield ConsoleFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

"""Paging under a list: 10, 20 or 50 per page, as the console offers; lists never load all rows at once."""

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Label, Select

from cbr_tui.ui.guard import Guarded

PAGE_SIZES = (10, 20, 50)


class Pager(Guarded, Horizontal):
    class Changed(Message):
        def __init__(self, pager: "Pager") -> None:
            super().__init__()
            self.pager = pager

    page_size: reactive[int] = reactive(10)
    page: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)

    def compose(self) -> ComposeResult:
        yield Label("", id="pager-summary")
        yield Select([(f"{n} per page", n) for n in PAGE_SIZES], value=10, allow_blank=False, compact=True,
                     id="pager-size")
        yield Button("‹ Prev", id="pager-prev", compact=True)
        yield Button("Next ›", id="pager-next", compact=True)

    @property
    def first_row(self) -> int:
        """Where the page shown starts in the whole list (not `offset`: Textual's widgets have their own)."""
        return self.page * self.page_size

    def show_total(self, total: int) -> None:
        self.total = total
        last = max((total - 1) // self.page_size, 0)
        if self.page > last:
            self.page = last
        self._render_summary()

    def _render_summary(self) -> None:
        if not self.is_mounted:
            return
        first = self.first_row + 1 if self.total else 0
        last = min(self.first_row + self.page_size, self.total)
        self.query_one("#pager-summary", Label).update(f"{first}-{last} of {self.total}")
        self.query_one("#pager-prev", Button).disabled = self.page == 0
        self.query_one("#pager-next", Button).disabled = last >= self.total

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.turn(-1 if event.button.id == "pager-prev" else 1)

    def turn(self, step: int) -> None:
        last = max((self.total - 1) // self.page_size, 0)
        page = min(max(self.page + step, 0), last)
        if page != self.page:
            self.page = page
            self.post_message(self.Changed(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int) and event.value != self.page_size:
            self.page_size, self.page = event.value, 0
            self.post_message(self.Changed(self))

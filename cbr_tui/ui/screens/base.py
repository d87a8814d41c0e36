"""What every console page shares: access to the console (services), and a way to show service errors."""

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.permissions import Action
from cbr_tui.ui.calls import Asks
from cbr_tui.ui.dialogs.base import MessageDialog
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

Row = TypeVar("Row")

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.ui.app import CbrApp


def shown(widget: Widget) -> bool:
    """Whether the widget and every container around it are displayed (not on a hidden page or tab)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


class Page(Guarded, Asks, Widget):
    """A console page: it reads through `self.console` and reloads in `refresh_data`, which asks the services
    in a worker (`ask`) and shows their answer when it comes."""

    DEFAULT_CSS = "Page { height: 1fr; }"
    live = False  # reload every second while shown (pages that show progress)

    class Finished(Message):
        """An operation of the page finished: what the whole screen shows (the balance) may have changed."""

    @property
    def console(self) -> "Console":
        return self.cbr_app.services

    @property
    def cbr_app(self) -> "CbrApp":
        return self.app  # type: ignore[return-value]

    def refresh_data(self) -> None:
        """Reload what the page shows from the services."""

    def refresh_live(self) -> None:
        """The once-a-second reload of a live page: a beat is skipped while the last load is still asked."""
        if not self.busy():
            self.refresh_data()

    def main_control(self) -> Widget | None:
        """What the keys should act on when the page is opened: its visible list, else its first control."""
        tables = [table for table in self.query(ConsoleTable) if shown(table)]
        if tables:
            return tables[0]
        return next((widget for widget in self.query("*") if widget.focusable and shown(widget)), None)

    def finished(self, message: str | None) -> None:
        """An operation (or its dialog) finished: say what it did, if anything, and show the new state."""
        if message:
            self.app.notify(message)
        self.refresh_data()
        self.post_message(self.Finished())

    def operate(self, call: Callable[[], Row], done: Callable[[Row], str | None]) -> None:
        """Carry out an operation in a worker; then say what it did (`done` words the answer) and reload, or
        show its refusal whole."""
        self.ask(call, lambda answer: self.finished(done(answer)), refused=self.report, load=False)

    def report(self, error: CbrError) -> None:
        """Show a refused operation as the console does: its code and its whole sentence, until read."""
        self.app.push_screen(MessageDialog.of(error))

    def refusal(self, action: Action) -> CbrError | None:
        """Why the signed-in user may not take this action anywhere (the domain's refusal), or None."""
        try:
            self.console.principal.require(action)
        except CbrError as error:
            return error
        return None

    def permitted(self, action: Action) -> bool:
        """Whether the user may take the action; if not, the refusal is shown whole."""
        refused = self.refusal(action)
        if refused is not None:
            self.report(refused)
        return refused is None

    def offer(self, button: Widget, action: Action) -> None:
        """A button the user may not use is disabled, and its tooltip says why."""
        refused = self.refusal(action)
        button.disabled = refused is not None
        button.tooltip = refused.message if refused is not None else None


class ListPage(Page):
    """A page showing one paged list: a new filter starts again at the first page, paging reloads."""

    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "Next page", show=False, id="list.next_page"),
        Binding("left_square_bracket", "page(-1)", "Previous page", show=False, id="list.previous_page"),
    ]

    def on_mount(self) -> None:
        """Load the list; while the store is still being opened (the console's first second) show that it
        is loading (the main screen reloads it once the store is open)."""
        if self.cbr_app.ready:
            self.refresh_data()
        else:
            self.loading = True

    @property
    def pager(self) -> Pager:
        return self.query_one(Pager)

    def restart(self) -> None:
        """Reload from the first page (the filter changed)."""
        self.pager.page = 0
        self.refresh_data()

    @on(Pager.Changed)
    def _paged(self) -> None:
        self.refresh_data()

    def action_page(self, step: int) -> None:
        self.pager.turn(step)

    def with_selected(self, fetch: Callable[[str], Row | None], nothing: str, then: Callable[[Row], object]) -> None:
        """Act on what the highlighted row shows, asked fresh from the services in a worker. When the list is
        empty, say `nothing`; when the item went meanwhile (the command line, another console), say why and
        reload the list."""
        key = self.query_one(ConsoleTable).selected_key
        if key is None:
            self.app.notify(nothing, severity="warning")
            return

        def found(row: Row | None) -> None:
            if row is None:
                self.refresh_data()
            else:
                then(row)

        def refused(error: CbrError) -> None:
            self.report(error)
            self.refresh_data()

        self.ask(lambda: fetch(key), found, refused=refused, load=False)

    def show_whole_list(self, items: list[Row], cells: Callable[[Row], tuple[object, ...]],
                        key: Callable[[Row], str]) -> None:
        """Show one page of a list the service returns whole (policies, images: a few dozen at most)."""
        pager = self.pager
        shown = items[pager.first_row:pager.first_row + pager.page_size]
        self.query_one(ConsoleTable).replace_rows([(key(item), cells(item)) for item in shown], height=2)
        pager.show_total(len(items))

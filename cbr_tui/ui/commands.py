"""The command palette's console actions: go to any page, and do what the page shown offers (its keys)."""

from collections.abc import AsyncIterator, Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Provider
from textual.widget import Widget

from cbr_tui.ui.screens.base import ListPage, Page, shown
from cbr_tui.ui.screens.main import MainScreen


class ConsoleCommands(Provider):
    """Commands are built from the navigation and from the bindings of the page on screen, so the palette
    always offers exactly what the keys do."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            (f"Go to {label}", partial(screen.go_to, page_id), "Open this page") for label, page_id in screen.pages()
        ]
        clock_key = next(b for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id == "main.clock")
        commands.append(("Demo clock: run fast, jump ahead, real time", screen.action_clock,
                         f"Key: {self.app.get_key_display(clock_key)}"))
        page = screen.current_page
        for node in [page, *page.query(ListPage).results()]:
            if not shown(node):
                continue
            for binding in _own_bindings(node):
                commands.append((binding.description, partial(self._run, node, binding.action),
                                 f"Key: {self.app.get_key_display(binding)}"))
        return commands

    def _run(self, node: object, action: str) -> None:
        self.app.call_later(node.run_action, action)  # type: ignore[attr-defined]

    async def discover(self) -> AsyncIterator[DiscoveryHit]:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _own_bindings(node: Widget) -> list[Binding]:
    """The page's own actions (not scrolling or paging, which every list shares)."""
    return [b for cls in type(node).__mro__ if issubclass(cls, Page)
            for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.show]

"""The footer of keys: one line drawn from the screen's active bindings, Help first, then the keys that fit
beside the command palette's key (Help lists the others). Each key can be clicked.

Textual's Footer mounts a widget per key and mounts them again whenever the keys change (every page switch
and most focus moves); each mount restyles the key, a third of the time of opening a page. This footer is
one widget that redraws its line, and only when the keys it shows change."""

from typing import Any, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

NARROW = 100  # columns: below this the keys are drawn closer together


class FooterKey(NamedTuple):
    key: str  # what clicking it presses
    display: str  # how the key is written (^q, ?, pgdn)
    description: str
    enabled: bool


class ConsoleFooter(Widget):
    COMPONENT_CLASSES = {"console-footer--key", "console-footer--description"}
    DEFAULT_CSS = """
    ConsoleFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    ConsoleFooter > .console-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    ConsoleFooter > .console-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[FooterKey, ...], FooterKey | None] | None = None
        self._spans: list[tuple[int, int, str]] = []  # where each drawn key is, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[Any]) -> None:
        shown = self.keys()
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def keys(self) -> tuple[tuple[FooterKey, ...], FooterKey | None]:
        """The keys to show (Help first), and the command palette's key (drawn at the right)."""
        palette = None
        keys: list[FooterKey] = []
        actions: set[str] = set()
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            shown = FooterKey(key, self.app.get_key_display(binding), binding.description, enabled)
            if key == self.app.COMMAND_PALETTE_BINDING:  # Textual hides it from the keys; the footer shows it
                palette = shown
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(shown)
        keys.sort(key=lambda shown: shown.description != "Help")
        return tuple(keys), palette

    @property
    def text(self) -> str:
        """What the footer shows, as plain text (tests)."""
        return self.render().plain

    def render(self) -> Text:
        keys, palette = self._shown if self._shown is not None else self.keys()
        narrow = self.app.size.width < NARROW
        key_style = self.get_component_rich_style("console-footer--key")
        description_style = self.get_component_rich_style("console-footer--description")
        right = self._key(palette, narrow, key_style, description_style) if palette else Text()
        if palette:
            right = Text.assemble(("▏", Style(dim=True)), right)
        line = Text(no_wrap=True, overflow="crop")
        room = self.size.width - right.cell_len
        self._spans = []
        for shown in keys:
            part = self._key(shown, narrow, key_style, description_style)
            if line.cell_len + part.cell_len > room:
                break
            self._spans.append((line.cell_len, line.cell_len + part.cell_len, shown.key))
            line.append_text(part)
        line.append(" " * max(room - line.cell_len, 0))
        if palette:
            self._spans.append((line.cell_len, line.cell_len + right.cell_len, palette.key))
        line.append_text(right)
        return line

    @staticmethod
    def _key(shown: FooterKey, narrow: bool, key_style: Style, description_style: Style) -> Text:
        dim = Style(dim=not shown.enabled)
        key = f"{shown.display} " if narrow else f" {shown.display} "
        return Text.assemble((key, key_style + dim), (f"{shown.description} ", description_style + dim))

    def on_click(self, event: events.Click) -> None:
        """A click on a key does what pressing it does."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

    def on_resize(self) -> None:
        self.refresh()

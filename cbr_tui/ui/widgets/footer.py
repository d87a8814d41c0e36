"""The footer of keys: Help first (on a small terminal the last keys are cut off, and Help lists them all),
rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its keys on every change of the bindings, which happens several times
whenever the focus moves; on a page switch that was a third of the time."""

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 100  # columns: below this the keys are drawn compact


class ConsoleFooter(Footer):
    _shown: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        """Help first, then the keys that fit whole beside the palette key (Help lists the others)."""
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        keys.sort(key=lambda key: key.action != "help")
        others = [w for w in widgets if w not in keys]
        room = self.size.width - sum(_width(w, self.compact) + 2 for w in others)  # the palette key's border
        for key in keys:
            room -= _width(key, self.compact)
            if room < 0 and self.size.width:
                break
            yield key
        yield from others

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        self.compact = self.app.size.width < NARROW
        shown = self._keys_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def on_resize(self) -> None:
        if self._shown is not None and self._shown[0] != (self.app.size.width < NARROW):
            self.call_after_refresh(self.recompose)

    def _keys_shown(self) -> tuple[Any, ...] | None:
        if not self._bindings_ready:
            return None
        keys = [(binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show]
        return (self.app.size.width < NARROW, *keys)


def _width(key: FooterKey, compact: bool) -> int:
    """Columns a key takes: its key and description with Textual's padding (compact: less padding, a margin)."""
    return len(key.key_display) + len(key.description) + (2 if compact else 3)

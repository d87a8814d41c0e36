"""The footer of keys, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its keys on every change of the bindings, which happens several times
whenever the focus moves; on a page switch that was a third of the time."""

from typing import Any

from textual.widgets import Footer


class ConsoleFooter(Footer):
    _shown: tuple[Any, ...] | None = None

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys_shown(self) -> tuple[Any, ...] | None:
        if not self._bindings_ready:
            return None
        return tuple((binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                     for _node, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)

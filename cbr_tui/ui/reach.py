"""The one way the console's screens, dialogs and widgets reach the services: the app's `Console`, typed, so
that a type checker follows every call from a screen to the service that answers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


def services(node: DOMNode) -> Console:
    """The services of the region the console shows (the app swaps them when the region changes)."""
    return cast("Console", node.app.services)  # type: ignore[attr-defined]

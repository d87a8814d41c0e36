"""UI fixtures: the console over the demo template, a fixed clock and size, no background runner."""

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)


@pytest.fixture
def console(sqlite_console: Console) -> Console:
    """UI tests run on SQLite only: what they check is the screen, the services have their own suite."""
    return sqlite_console


@pytest.fixture
def app(console: Console) -> Iterator[CbrApp]:
    yield CbrApp(console, run_tasks=False)

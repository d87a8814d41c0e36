"""The console asks the services in workers: keys are answered while the database is slow, and an older
answer never replaces a newer one on screen.

These tests hold a question to the services on purpose, so they drive Pilot without the fixture's wait for
every answer (which would wait for the held one)."""

import threading
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.calls import ServiceAnswer
from cbr_tui.ui.screens.main import MainScreen
from cbr_tui.ui.screens.vaults import VaultList
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, settle, table

HELD_SECONDS = 30  # a bound, not a timing: a test that never releases fails instead of hanging


@pytest.fixture
def pilot_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's own waiting (the screen's messages), not the answers of the services."""
    monkeypatch.setattr(Pilot, "_wait_for_screen", ORIGINAL_WAIT)


ORIGINAL_WAIT = Pilot._wait_for_screen


def held(call: Callable[..., object], when: Callable[[dict[str, object]], bool],
         release: threading.Event, reached: threading.Event) -> Callable[..., object]:
    """The service call, held until `release` when `when(kwargs)` holds."""

    def holding(*args: object, **kwargs: object) -> object:
        if when(kwargs):
            reached.set()
            assert release.wait(HELD_SECONDS), "the held call was never released"
        return call(*args, **kwargs)

    return holding


async def search_held(pilot: Pilot, console: Console, monkeypatch: pytest.MonkeyPatch, text: str,
                      release: threading.Event, *, vaults: int) -> Input:
    """Once the vault list shows `vaults`, type `text` in its search: the list it asks for is held (the
    database "waits") until `release`."""
    app = pilot.app
    await until(pilot, lambda: getattr(app, "ready", False) and table(pilot, "#vault-table").row_count == vaults)
    reached = threading.Event()
    monkeypatch.setattr(console.vaults, "list", held(console.vaults.list, lambda kw: kw.get("search") == text,
                                                     release, reached))
    search = app.screen.query_one("#page-server #vault-search", Input)
    search.focus()
    await pilot.press(*text)
    await until(pilot, reached.is_set)
    return search


async def until(pilot: Pilot, condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.025)
    raise AssertionError("the screen never reached the expected state")


@pytest.mark.usefixtures("pilot_without_waiting")
async def test_keys_are_answered_while_a_load_waits_on_the_database(console: Console, app: CbrApp,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    buy(console, size_gb=300, name="vault-web")
    release = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        search = await search_held(pilot, console, monkeypatch, "w", release, vaults=1)
        nav = app.screen.query_one("#nav", OptionList)
        nav.focus()
        await pilot.press("down")  # the next page of the navigation, while the load is held
        await until(pilot, lambda: nav.highlighted == 1 and app.screen.query("#page-disk #vault-table"))
        assert isinstance(app.screen, MainScreen) and search.value == "w"
        release.set()
        await settle(app)
    assert app.unexpected_errors == []


@pytest.mark.usefixtures("pilot_without_waiting")
async def test_an_older_answer_never_replaces_a_newer_one(console: Console, app: CbrApp,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The first search is answered last (the database was slow for it): the list shows the second's."""
    buy(console, size_gb=300, name="vault-web")
    buy(console, size_gb=300, name="vault-db")
    release = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await search_held(pilot, console, monkeypatch, "v", release, vaults=2)
        await pilot.press("a", "u", "l", "t", "-", "d")  # "vault-d": only vault-db, answered at once
        vaults = table(pilot, "#page-server #vault-table")
        await until(pilot, lambda: vaults.row_count == 1)
        answers: list[ServiceAnswer] = []
        handle = VaultList.on_service_answer

        def recorded(page: VaultList, message: ServiceAnswer) -> None:
            answers.append(message)
            handle(page, message)

        monkeypatch.setattr(VaultList, "on_service_answer", recorded)
        release.set()  # now the answer to "v" (both vaults) comes back: it was replaced, and is not shown
        await until(pilot, lambda: any(answer.worker.is_cancelled for answer in answers))
        await pilot.pause()
        assert [name.split("\n")[0] for name in cell_texts(vaults, 0)] == ["vault-db"]
    assert app.unexpected_errors == []

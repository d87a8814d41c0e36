"""`cbr-tui` draws its screen first and opens the store beside it: the page shows that it is loading, then
fills in; a store that cannot be opened is explained, and the console ends with a failure status."""

import threading

from cbr_tui.domain.errors import invalid
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import MessageDialog
from cbr_tui.ui.screens.vaults import VaultList
from tests.ui.conftest import SMALL
from tests.ui.pilot import screen_text, shows_whole, wait_for


async def test_the_screen_is_drawn_before_the_store_is_open(console: Console) -> None:
    opened = threading.Event()

    def open_slowly() -> Console:
        assert opened.wait(30)
        return console

    app = CbrApp(open_slowly, settings=console.settings, run_tasks=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert shows_whole(pilot, "Cloud Server Backups") and shows_whole(pilot, "Buy Server Backup Vault")
        assert shows_whole(pilot, "cn-north-4"), "the region from the settings, before the store is open"
        listing = app.screen.query_one(VaultList)
        assert listing.loading and not app.ready
        await pilot.press("n")  # nothing to buy with yet: the keys wait for the store
        await pilot.pause()
        assert not listing.loading or app.screen.query("#region-opening")
        opened.set()
        await wait_for(pilot, lambda: app.ready and not listing.loading)
        await wait_for(pilot, lambda: shows_whole(pilot, "0-0 of 0"))
        await wait_for(pilot, lambda: shows_whole(pilot, "CN North-Beijing4 (cn-north-4)"))
        assert app.focused is not None and app.focused.id == "vault-table", screen_text(pilot)
    assert app.unexpected_errors == []


async def test_a_store_that_cannot_be_opened_is_explained_and_the_console_ends(console: Console) -> None:
    def refuse() -> Console:
        raise invalid("There is no region 'mars-1'; `cbr-tui region list` shows them.")

    app = CbrApp(refuse, settings=console.settings, run_tasks=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MessageDialog)
                       and shows_whole(pilot, "BackupService.9900"))  # drawn, not only pushed
        assert shows_whole(pilot, "There is no region 'mars-1'; `cbr-tui region list` shows them.")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1

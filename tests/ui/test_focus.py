"""After every way of moving around, the keys act on what is shown: the focus lands on the new page's list and
the footer lists that list's keys (never the previous page's)."""

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.screens.base import shown
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.ui.conftest import SIZES
from tests.ui.pilot import shows_whole, wait_for


def footer_keys(pilot: Pilot) -> str:
    return pilot.app.screen.query_one(ConsoleFooter).text


def focused_id(pilot: Pilot) -> str | None:
    focused = pilot.app.focused
    assert focused is not None and shown(focused), "the focus is on something shown"
    return focused.id


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_palette_goes_to_a_page_and_its_keys_work_at_once(console: Console, app: CbrApp,
                                                                     size: str) -> None:
    async with app.run_test(size=SIZES[size]) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Policies")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert focused_id(pilot) == "policy-table"
        assert "Create" in footer_keys(pilot) and "Buy vault" not in footer_keys(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert shows_whole(pilot, "Create Backup Policy"), "c acts on the Policies page at once"


async def test_escape_from_the_region_picker_and_the_navigation_returns_to_the_page(console: Console,
                                                                                    app: CbrApp) -> None:
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert focused_id(pilot) == "region"
        await pilot.press("escape")
        await pilot.pause()
        assert focused_id(pilot) == "vault-table"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert focused_id(pilot) == "nav", "the navigation shows over the page on a small terminal"
        await pilot.press("escape")
        await pilot.pause()
        assert focused_id(pilot) == "vault-table"
        assert not app.screen.query_one("#nav").display, "and hides again"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PurchaseWizard)


async def test_a_region_change_leaves_the_keys_on_the_page(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZES["140x42"]) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        app.screen.query_one("#region", Select).value = "cn-east-3"
        await pilot.pause()
        await pilot.pause()
        assert app.services.region_id == "cn-east-3"
        assert focused_id(pilot) == "vault-table"
        assert "Perform Backup" in footer_keys(pilot)


async def test_choosing_a_tab_with_the_mouse_gives_its_list_the_keys(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZES["140x42"]) as pilot:
        await pilot.pause()
        await pilot.click("#page-server Tab#--content-tab-tab-backups")
        await pilot.pause()
        await pilot.pause()
        assert focused_id(pilot) == "backup-table"
        assert "Restore" in footer_keys(pilot) and "Perform Backup" not in footer_keys(pilot)


async def test_the_navigation_opens_a_page_with_its_keys(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZES["140x42"]) as pilot:
        await wait_for(pilot, lambda: app.ready)  # once the store is open the page takes the focus back
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: focused_id(pilot) == "nav")  # under load the keys must wait for the focus
        await pilot.press("down", "down", "enter")
        # a page is built the first time it is chosen: under load that takes more than one pause
        await wait_for(pilot, lambda: bool(app.screen.query("#page-turbo")) and focused_id(pilot) == "vault-table")
        assert app.screen.query_one("#page-turbo").display
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PurchaseWizard) and app.screen.vtype.page == "SFS Turbo Backups"


async def test_a_click_on_a_footer_key_does_what_the_key_does(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(ConsoleFooter)
        column = footer.text.index("? Help")
        await pilot.click(ConsoleFooter, offset=(column + 2, 0))
        await pilot.pause()
        assert shows_whole(pilot, "Getting started (as in the CBR user guide)"), "? opens Help"

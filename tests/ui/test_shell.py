"""The console shell: navigation, region picker, vault list, backups, tasks, help and the command palette."""

from textual.command import CommandList

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.policy_actions import PolicyDialog
from cbr_tui.ui.dialogs.vault_actions import PerformBackupDialog
from cbr_tui.ui.screens.help import HelpScreen
from cbr_tui.ui.screens.main import MainScreen
from cbr_tui.ui.widgets.table import ConsoleTable
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import wait_for


def seed_vaults(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web", tags=[("env", "prod")])
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")


async def test_the_server_page_lists_server_vaults(console: Console, app: CbrApp) -> None:
    seed_vaults(console)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#page-server #vault-table", ConsoleTable)
        assert table.row_count == 1 and table.selected_key is not None
        assert "vault-web" in str(table.get_row_at(0)[0])


async def test_navigation_switches_pages(console: Console, app: CbrApp) -> None:
    seed_vaults(console)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.query_one("#nav").focus()
        await pilot.press("down")
        await pilot.pause()
        assert screen.current_page.id == "page-disk"
        table = screen.query_one("#page-disk #vault-table", ConsoleTable)
        assert "vault-disks" in str(table.get_row_at(0)[0])


async def test_switching_region_shows_that_regions_vaults(console: Console, app: CbrApp) -> None:
    seed_vaults(console)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#region").value = "cn-north-1"
        await pilot.pause()
        table = app.screen.query_one("#page-server #vault-table", ConsoleTable)
        assert app.services.region_id == "cn-north-1"
        assert table.row_count == 1 and "vault-legacy-az2" in str(table.get_row_at(0)[0])



async def test_help_lists_the_keys_of_the_page_shown(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = {key: does for key, does, _binding_id in app.screen.keys}
        assert keys["b"] == "Perform Backup" and keys["n"] == "Buy vault"
        assert next(iter(keys)) == "b", "the page's own keys come first"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_command_palette_offers_pages_and_the_pages_actions(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"go to policies")
        await wait_for(pilot, lambda: "Go to Policies" in highlighted_command(app))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.current_page.id == "page-policies"
        await pilot.press("ctrl+p")
        await pilot.press(*"create policy")
        await wait_for(pilot, lambda: "Create Policy" in highlighted_command(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PolicyDialog))


def highlighted_command(app: CbrApp) -> str:
    options = app.screen.query_one(CommandList)
    if options.highlighted is None:
        return ""
    return str(options.get_option_at_index(options.highlighted).prompt)


async def test_keys_are_remapped_by_binding_id(console: Console) -> None:
    seed_vaults(console)
    app = CbrApp(console, run_tasks=False, keymap={"vaults.backup": "f5"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")
        assert isinstance(app.screen, MainScreen), "the old key no longer opens Perform Backup"
        await pilot.press("f5")
        assert isinstance(app.screen, PerformBackupDialog)

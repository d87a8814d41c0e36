"""A newcomer's first session, by keys alone (no clicks, nothing set behind the screen's back): buy a server
backup vault with two servers in the wizard, back both up while the bars move, damage a disk, restore it."""

import threading

from textual.pilot import Pilot

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.backup_actions import RestoreServerDialog
from cbr_tui.ui.dialogs.base import ConfirmDialog
from cbr_tui.ui.dialogs.vault_actions import PerformBackupDialog
from cbr_tui.ui.widgets.table import ConsoleTable
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.data import resource_digest
from tests.ui.conftest import SIZE
from tests.ui.gate import gated_runner
from tests.ui.pilot import cell_texts, shows_whole, table, tick, wait_for
from tests.ui.test_seed_flows import percent


async def row_to(pilot: Pilot, name: str) -> None:
    """Move the cursor of the focused list down to the row whose first cell starts with `name`."""
    rows = pilot.app.focused
    assert isinstance(rows, ConsoleTable)
    await pilot.press("home")
    for _ in range(rows.row_count):
        if str(rows.get_row_at(rows.cursor_row)[0]).startswith(name):
            return
        await pilot.press("j")
    raise AssertionError(f"no row {name}")


async def test_buy_back_up_damage_and_restore_by_keys_alone(console: Console, app: CbrApp) -> None:
    runner, gate = gated_runner(console, "ecs-web-01", "ecs-web-02")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PurchaseWizard))  # each key waits for its screen
        wizard = app.screen
        assert isinstance(wizard, PurchaseWizard)
        while wizard.steps[wizard.index] != "resources":
            await pilot.press("pagedown")
        await pilot.pause()
        await tick(pilot, "ecs-web-01")
        await tick(pilot, "ecs-web-02")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: wizard.steps[wizard.index] == "capacity")  # PgDn in the list is Next
        assert wizard.steps[wizard.index] == "capacity", "PgDn in the list is Next, not a page of the list"
        assert app.focused is not None and getattr(app.focused, "value", None) == "280", \
            "the capacity proposed covers the two servers, and the cursor is in it"
        while wizard.steps[wizard.index] != "confirm":
            await pilot.press("pagedown")
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen is wizard and wizard.step == "confirm", "moving on never pays"
        await pilot.press("enter")  # Buy Now has the cursor
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert shows_whole(pilot, "Pay 14.00 USD from the account balance")
        await pilot.press("ctrl+s")  # Pay (the cursor starts on Cancel)
        await wait_for(pilot, lambda: not isinstance(app.screen, (PurchaseWizard, ConfirmDialog)))
        vault = console.vaults.list().vaults[0]
        assert sorted(r.name for r in console.vaults.show(vault.id).resources) == \
            ["ecs-web-01", "ecs-web-02"]
        assert "balance 4986.00 USD" in str(app.screen.query_one("#balance").render()), \
            "the header shows the balance less the month of 280 GB just paid (5000.00 - 14.00)"

        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, PerformBackupDialog))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, PerformBackupDialog))
        await pilot.press("2")
        await wait_for(pilot, lambda: app.focused is table(pilot, "#page-server #backup-table"))
        backups = table(pilot, "#page-server #backup-table")
        worker = threading.Thread(target=runner.run_until_idle, daemon=True)
        worker.start()
        assert gate.reached.wait(30)
        def midway() -> list[int]:
            return sorted(percent(text) or 0 for text in cell_texts(backups, 1))

        await wait_for(pilot, lambda: 0 < midway()[1] < 100)  # the page reloads itself every second
        assert 0 < midway()[1] < 100, f"a bar part-way, drawn from the copied bytes: {midway()}"
        gate.release.set()
        worker.join(60)
        await wait_for(pilot, lambda: cell_texts(backups, 1) == ["● Available", "● Available"])
        healthy = resource_digest(console, "ecs-web-01")

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "nav")
        await pilot.press("end", "up", "up", "up", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "resource-table")
        await row_to(pilot, "ecs-web-01")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: resource_digest(console, "ecs-web-01") != healthy)

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "nav")
        await pilot.press("home", "enter", "2")
        await wait_for(pilot, lambda: app.focused is backups)
        await row_to(pilot, next(n for n in cell_texts(backups, 0) if n.split("\n")[0].endswith("-0001")))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreServerDialog))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: cell_texts(backups, 1)[
            [n.split("\n")[0][-5:] for n in cell_texts(backups, 0)].index("-0001")].startswith("◐ Restoring"))
        console.run_tasks()
        await wait_for(pilot, lambda: cell_texts(backups, 1) == ["● Available", "● Available"])
    assert resource_digest(console, "ecs-web-01") == healthy
    assert console.resources.show("ecs-web-01").status == "ACTIVE", "started after the restore"

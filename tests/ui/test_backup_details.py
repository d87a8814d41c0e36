"""A backup's details say what the engine did: only what changed was read, or everything and why."""

from datetime import timedelta

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.backup_actions import BackupDetailsDialog
from cbr_tui.ui.dialogs.menu import MenuDialog
from tests.jobs.helpers import back_up
from tests.services.helpers import buy
from tests.ui.conftest import SMALL
from tests.ui.pilot import screen_text, wait_for
from tests.ui.test_restore_flows import open_backups


async def test_details_show_a_full_read_s_reason_then_an_incremental_backup(console: Console, app: CbrApp) -> None:
    console.resources.write_data("evs-data-01", 4, seed="base")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    back_up(console, "vault-disks", name="first")
    console.resources.write_data("evs-data-01", 1, seed="more")
    back_up(console, "vault-disks", name="second")
    async with app.run_test(size=SMALL) as pilot:
        await open_backups(pilot, ObjectType.DISK)  # newest first: "second"
        await pilot.press("i")
        assert isinstance(app.screen, BackupDetailsDialog)
        text = screen_text(pilot)
        assert "Incremental: only what changed since the last backup was read" in text
        await pilot.press("escape")
        await pilot.press("down", "enter")  # the row's menu: Details is its last entry
        assert isinstance(app.screen, MenuDialog)
        await pilot.press("end", "enter")
        assert isinstance(app.screen, BackupDetailsDialog)
        text = screen_text(pilot)
        assert "Full: everything was read (no earlier backup to build on)" in text
        assert "Data:" in text and "new in the vault" in text
        await pilot.press("enter")  # Close has the focus
        assert not isinstance(app.screen, BackupDetailsDialog)


async def test_details_say_whether_a_database_server_backup_is_application_consistent(
        console: Console, app: CbrApp, clock: FixedClock) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-db", app_consistent=True)
    back_up(console, "vault-db", name="plain")
    console.resources.install_agent("ecs-web-01")
    clock.advance(timedelta(minutes=5))
    back_up(console, "vault-db", name="consistent")
    async with app.run_test(size=SMALL) as pilot:
        await open_backups(pilot, ObjectType.SERVER)  # newest first: "consistent"
        await pilot.press("i")
        assert isinstance(app.screen, BackupDetailsDialog)
        assert "Consistency: Application-consistent" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.press("down", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, BackupDetailsDialog))
        assert "Consistency: Crash-consistent (BackupService.7410: No CBR Agent is installed on ecs-web-01" in \
            screen_text(pilot)

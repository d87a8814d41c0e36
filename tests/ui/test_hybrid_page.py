"""The Hybrid Cloud Backups page: Storage Backups and VMware Backups tabs, Synchronize, and restoring a
hybrid cloud backup to the data center, on screen."""

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.backup_actions import CreateDiskDialog, RestoreOnPremisesDialog
from cbr_tui.ui.dialogs.hybrid_actions import SyncDialog
from tests.services.helpers import buy
from tests.ui.conftest import SIZES
from tests.ui.pilot import cell_texts, choose_option, open_page, show_tab, shows_whole, table, wait_for
from tests.ui.test_snapshots import close_to


def backed_up_on_premises(console: Console) -> None:
    console.hybrid.site()
    for name in ("lun-finance-01", "vm-erp-01"):
        console.hybrid.back_up(name, name=f"{name.split('-')[0]}-local")
    console.run_tasks()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
async def test_synchronize_then_restore_on_premises_and_deploy(console: Console, app: CbrApp,
                                                               size: tuple[int, int]) -> None:
    backed_up_on_premises(console)
    async with app.run_test(size=size) as pilot:
        await open_page(pilot, ObjectType.VMWARE)
        main = app.screen
        storage = await show_tab(pilot, ObjectType.VMWARE, "tab-backups", "backup-table")
        storage.focus()
        await pilot.press("y")
        assert isinstance(app.screen, SyncDialog)
        await pilot.press("ctrl+s")  # no vault yet: said in the dialog, which stays
        await wait_for(pilot, lambda: shows_whole(pilot, "Choose the hybrid cloud backup vault to synchronise into"))
        assert isinstance(app.screen, SyncDialog)
        await close_to(pilot, main)
        buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid")
        storage.focus()
        await pilot.press("y")
        await choose_option(pilot, "sync-vault", "vault-hybrid")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SyncDialog))
        console.run_tasks()
        await wait_for(pilot, lambda: bool(cell_texts(storage, 0)) and "lun-local" in cell_texts(storage, 0)[0]
                       and "Available" in cell_texts(storage, 1)[0])
        storage.focus()
        await pilot.press("y")  # everything is there: the service's refusal, whole
        await choose_option(pilot, "sync-vault", "vault-hybrid")
        await pilot.press("ctrl+s")
        assert shows_whole(pilot, "BackupService.0001: Every backup of the data center is already in vault-hybrid")
        await close_to(pilot, main)

        storage.focus()
        await pilot.press("o")
        await pilot.press("down", "enter")  # Create Disk: deploy the LUN on the cloud
        assert isinstance(app.screen, CreateDiskDialog)
        await close_to(pilot, main)
        await show_tab(pilot, ObjectType.VMWARE, "tab-vmware", "backup-table")
        vmware = table(pilot, "#page-vmware #tab-vmware #backup-table")
        await wait_for(pilot, lambda: vmware.row_count == 1)
        vmware.focus()
        await pilot.press("r")
        assert isinstance(app.screen, RestoreOnPremisesDialog)
        assert shows_whole(pilot, "All data on the disks of the VM vm-erp-01 in the on-premises data center is "
                                  "replaced")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RestoreOnPremisesDialog))
    console.run_tasks()
    restores = console.tasks.list(operation_type="restore").operation_logs
    assert [t.status for t in restores] == ["success"]
    assert app.unexpected_errors == []

"""The seed's restore flows through the console: damage data, restore it from the Backups tab, get the same bytes."""

from pathlib import Path
from typing import Any

from textual.widgets import Select, Switch

from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.backup_actions import (
    CreateDiskDialog,
    DeleteBackupDialog,
    ReplicateBackupDialog,
    RestoreDesktopDialog,
    RestoreDiskDialog,
    RestoreFilesDialog,
    RestoreServerDialog,
)
from cbr_tui.ui.dialogs.menu import MenuDialog
from tests.data import resource_digest, tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, field_error, open_page, show_tab, table, type_into, wait_for


async def open_backups(pilot: Any, object_type: ObjectType) -> None:
    """The Backups tab of a backup page, its list focused."""
    await open_page(pilot, object_type)
    (await show_tab(pilot, object_type, "tab-backups", "backup-table")).focus()
    await pilot.pause()


def error_shown(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#dialog-error").render())


async def test_a_damaged_disk_is_restored_byte_for_byte_from_the_backups_tab(console: Console, app: CbrApp) -> None:
    console.resources.write_data("evs-data-01", 6, seed="disk")
    buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    back_up(console, "vault-disk", name="before-damage")
    healthy = resource_digest(console, "evs-data-01")
    console.resources.damage_data("evs-data-01", seed="oops")
    assert resource_digest(console, "evs-data-01") != healthy
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.DISK)
        await pilot.press("r")
        assert isinstance(app.screen, RestoreDiskDialog)
        assert "replaced by the backup before-damage" in str(app.screen.query_one(".dialog-text").render())
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, RestoreDiskDialog)
        backups = table(pilot, "#page-disk #backup-table")
        assert cell_texts(backups, 1)[0].startswith("◐ Restoring\n")
        console.run_tasks()
        await wait_for(pilot, lambda: cell_texts(backups, 1) == ["● Available"])
    assert resource_digest(console, "evs-data-01") == healthy


async def test_a_server_is_restored_with_its_disk_mapping_and_left_stopped(console: Console, app: CbrApp) -> None:
    console.resources.write_data("ecs-web-01", 6, seed="server")
    buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-web")
    back_up(console, "vault-web", name="good")
    healthy = resource_digest(console, "ecs-web-01")
    console.resources.damage_data("ecs-web-01", seed="oops")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.SERVER)
        await pilot.press("o")
        menu = app.screen
        assert isinstance(menu, MenuDialog)
        assert [label for label, _action in menu.options] == ["Restore Server", "Create Image", "Replicate", "Delete",
                                                                "Details"]
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, RestoreServerDialog)
        mapped = [select.value for select in dialog.query("Select")]
        assert mapped == [v.id for v in console.resources.show("ecs-web-01").volumes], \
            "each disk backup goes back to its own disk by default"
        dialog.query_one("#power-on", Switch).value = False
        await pilot.click("#ok")
        await pilot.pause()
        console.run_tasks()
    assert resource_digest(console, "ecs-web-01") == healthy
    assert console.resources.show("ecs-web-01").status == "SHUTOFF", "Power on was switched off"


async def test_restoring_an_attached_disk_is_refused_in_the_dialog(console: Console, app: CbrApp) -> None:
    buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    back_up(console, "vault-disk")
    console.resources.attach_disk("ecs-spare-01", "evs-data-01")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.DISK)
        await pilot.press("r")
        await pilot.click("#ok")
        await pilot.pause()
        assert isinstance(app.screen, RestoreDiskDialog), "a refusal keeps the dialog open"
        assert "BackupService." in error_shown(pilot) and "detach it" in error_shown(pilot)


async def test_create_disk_checks_the_size_and_makes_a_disk_holding_the_backup(console: Console,
                                                                              app: CbrApp) -> None:
    console.resources.write_data("evs-data-01", 4, seed="copy")
    buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    back_up(console, "vault-disk")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.DISK)
        await pilot.press("o")
        await pilot.press("down", "enter")
        assert isinstance(app.screen, CreateDiskDialog)
        await type_into(pilot, "new-name", "evs-copy")
        await type_into(pilot, "new-size", "20")
        await pilot.click("#ok")
        await pilot.pause()
        assert isinstance(app.screen, CreateDiskDialog), "the service's refusal keeps the dialog open"
        assert "BackupService.2001: The new disk must be at least 50 GB, the size of the backup." in \
            str(app.screen.query_one("#dialog-error").render())
        await type_into(pilot, "new-size", "60")
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, CreateDiskDialog)
    console.run_tasks()
    copy = console.resources.show("evs-copy")
    assert copy.size == 60 and copy.status == "available"
    assert resource_digest(console, "evs-copy", with_size=False) == resource_digest(console, "evs-data-01",
                                                                                    with_size=False)


async def test_files_are_restored_under_a_new_path(console: Console, app: CbrApp, tmp_path: Path) -> None:
    documents = laptop_with_documents(console, tmp_path)
    back_up(console, "vault-files")
    elsewhere = tmp_path / "restored"
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.FILE)
        await pilot.press("r")
        assert isinstance(app.screen, RestoreFilesDialog)
        app.screen.query_one("#original-path", Switch).value = False
        await type_into(pilot, "new-path", "relative/path")
        assert "absolute path" in field_error(pilot, "new-path")
        await type_into(pilot, "new-path", str(elsewhere))
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, RestoreFilesDialog)
    console.run_tasks()
    assert tree_digest(elsewhere.joinpath(*documents.parts[1:])) == tree_digest(documents)


async def test_delete_states_the_consequences_and_removes_the_backup(console: Console, app: CbrApp) -> None:
    buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    back_up(console, "vault-disk", name="old-one")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.DISK)
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, DeleteBackupDialog)
        assert "can no longer be used to restore" in str(dialog.query_one(".dialog-text").render())
        await pilot.click("#ok")
        await pilot.pause()
        assert table(pilot, "#page-disk #backup-table").row_count == 0
    assert console.backups.list().count == 0


async def test_a_desktop_is_restored_from_the_backups_tab(console: Console, app: CbrApp) -> None:
    console.resources.write_data("desktop-alice", 4, seed="alice")
    buy(console, ObjectType.WORKSPACE, 500, resources=("desktop-alice",), name="vault-desktops")
    back_up(console, "vault-desktops", name="alice-good")
    healthy = resource_digest(console, "desktop-alice")
    console.resources.damage_data("desktop-alice", seed="oops")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.WORKSPACE)
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, RestoreDesktopDialog)
        assert "replaced by the backup alice-good" in str(dialog.query_one(".dialog-text").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RestoreDesktopDialog)
        console.run_tasks()
        backups = table(pilot, "#page-workspace #backup-table")
        await wait_for(pilot, lambda: cell_texts(backups, 1) == ["● Available"])
    assert resource_digest(console, "desktop-alice") == healthy


async def test_a_server_backup_is_replicated_to_another_region(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-web")
    back_up(console, "vault-web", name="good")
    there = console.in_region("cn-east-3")
    dr = buy(there, size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.SERVER)
        await pilot.press("o", "down", "down", "enter")
        dialog = app.screen
        assert isinstance(dialog, ReplicateBackupDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose the destination vault" in error_shown(pilot)
        dialog.query_one("#destination", Select).value = f"cn-east-3|{dr.id}"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ReplicateBackupDialog)
    console.run_tasks()
    [replica] = there.backups.list().backups
    assert (replica.name, replica.status, replica.image_type) == ("good", "available", "replication")

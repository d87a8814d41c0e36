"""Migrate, from a vault's associated resources: the dialog offers only the vaults that can take the
resource, moves it with its backups in a worker, and keeps a refusal on screen whole."""

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.migrate import MigrateDialog
from cbr_tui.ui.screens.vault_details import VaultDetails
from tests.jobs.helpers import back_up
from tests.services.helpers import buy
from tests.ui.conftest import SIZE, SMALL
from tests.ui.pilot import screen_text, shows_whole, table, wait_for


async def open_migrate(pilot, app: CbrApp, vault_id: str) -> MigrateDialog:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: app.ready)
    app.push_screen(VaultDetails(vault_id))
    await wait_for(pilot, lambda: isinstance(app.screen, VaultDetails) and bool(app.screen.query("#resource-table"))
                   and table(pilot, "#resource-table").row_count > 0)
    table(pilot, "#resource-table").focus()
    await pilot.press("g")
    await wait_for(pilot, lambda: isinstance(app.screen, MigrateDialog))
    assert isinstance(app.screen, MigrateDialog)
    return app.screen


async def test_a_server_migrates_with_its_backups(console: Console, app: CbrApp) -> None:
    console.resources.write_data("ecs-web-01", 4, seed="web")
    old = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    backup = back_up(console, "vault-old")[0]
    new = buy(console, size_gb=300, name="vault-new")
    buy(console, ObjectType.DISK, size_gb=300, name="vault-disks")  # another type: not offered
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_migrate(pilot, app, old.id)
        assert dialog.targets == {new.id: "vault-new"}
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, VaultDetails))
        await wait_for(pilot, lambda: table(pilot, "#resource-table").row_count == 0)
    assert [r.name for r in console.vaults.show("vault-new").resources] == ["ecs-web-01"]
    assert console.backups.show(backup.id).vault_id == new.id


async def test_a_refusal_stays_in_the_dialog(console: Console, app: CbrApp) -> None:
    old = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    buy(console, size_gb=300, name="vault-new")
    console.backups.perform("vault-old")  # waiting to run: the migration must wait for it
    async with app.run_test(size=SMALL) as pilot:
        await open_migrate(pilot, app, old.id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Codes.BACKUP_IN_PROGRESS.code in screen_text(pilot))
        assert isinstance(app.screen, MigrateDialog)
        assert shows_whole(pilot, "migrate when it has finished")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, VaultDetails))
    assert [r.name for r in console.vaults.show("vault-old").resources] == ["ecs-web-01"]


async def test_with_no_vault_to_go_to_the_dialog_says_so(console: Console, app: CbrApp) -> None:
    old = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    async with app.run_test(size=SMALL) as pilot:
        await open_migrate(pilot, app, old.id)
        assert "buy one first" in screen_text(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "no vault to migrate" in screen_text(pilot))
        assert isinstance(app.screen, MigrateDialog)

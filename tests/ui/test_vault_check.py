"""Check Data from a vault's More menu: a healthy vault is reported clean; a damaged stored block is found
when the data is read, and its backup is marked damaged in the Backups tab."""

from textual.widgets import Select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.vault_check import CheckDataDialog
from tests.jobs.helpers import back_up, damage_one_chunk
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import choose_in_more_menu, open_page, wait_for


def result_text(app: CbrApp) -> str:
    return str(app.screen.query_one("#check-result").render())


async def open_check(pilot, app: CbrApp) -> CheckDataDialog:  # type: ignore[no-untyped-def]
    await open_page(pilot, ObjectType.DISK)
    await choose_in_more_menu(pilot, "Check Data")
    dialog = app.screen
    assert isinstance(dialog, CheckDataDialog)
    return dialog


async def test_reading_all_data_finds_a_damaged_block_and_marks_its_backup(console: Console,
                                                                           app: CbrApp) -> None:
    console.resources.write_data("evs-data-01", 4, seed="check")
    vault = buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    backup = back_up(console, "vault-disk")[0]
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot, app)
        await pilot.press("ctrl+s")  # structure only
        await wait_for(pilot, lambda: result_text(app).startswith("No problem found"))
        assert "1 backups" in result_text(app)
        await pilot.press("ctrl+s")  # Close
        await pilot.pause()
        assert not isinstance(app.screen, CheckDataDialog)

        damage_one_chunk(console, vault.id)
        dialog = await open_check(pilot, app)
        dialog.query_one("#read-share", Select).value = 1.0
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: result_text(app).startswith("Problems found"))
        assert "1 backups reference damaged or missing data" in result_text(app)
    assert console.backups.show(backup.id).extend_info.damaged is True

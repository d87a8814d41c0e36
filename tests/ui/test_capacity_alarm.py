"""The capacity alarm in the console: set from a vault's More menu (its range refused beside the field), and
a notification (SMN) sent while the console is open appears as a toast."""

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.vault_actions import CapacityAlarmDialog
from cbr_tui.ui.screens.main import MainScreen
from tests.jobs.helpers import back_up
from tests.services.helpers import buy, set_vault
from tests.ui.conftest import SIZE, SMALL
from tests.ui.pilot import choose_in_more_menu, field_error, open_page, type_into, wait_for


async def test_the_alarm_is_set_from_the_more_menu(console: Console, app: CbrApp) -> None:
    buy(console, ObjectType.DISK, size_gb=100, name="vault-disks")
    async with app.run_test(size=SMALL) as pilot:
        await open_page(pilot, ObjectType.DISK)
        await choose_in_more_menu(pilot, "Capacity Alarm")
        assert isinstance(app.screen, CapacityAlarmDialog)
        await type_into(pilot, "alarm-threshold", "0")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "1 to 100" in field_error(pilot, "alarm-threshold"))
        assert isinstance(app.screen, CapacityAlarmDialog)
        await type_into(pilot, "alarm-threshold", "60")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CapacityAlarmDialog))
    shown = console.vaults.show("vault-disks")
    assert (shown.threshold, shown.smn_notify) == (60, True)


async def test_a_notification_sent_meanwhile_appears_as_a_toast(console: Console, app: CbrApp) -> None:
    vault = buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disks")
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.DISK)
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: main.notices_seen is not None)  # the console has looked once
        set_vault(console, vault.id, used_bytes=80 * (1 << 30) - (1 << 20))
        console.resources.write_data("evs-data-01", 4, pattern="random", seed="fill")
        back_up(console, "vault-disks")
        await wait_for(pilot, lambda: any("reaching its alarm threshold of 80%" in str(n.message)
                                          for n in app._notifications))

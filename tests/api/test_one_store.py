"""The API and the console share one store: what one makes, the other shows."""

from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import ListOpLogsRequest, ShowOpLogRequest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.vault_actions import PerformBackupDialog
from tests.api.conftest import ServedApi
from tests.api.test_operations import new_vault
from tests.ui.pilot import cell_texts, open_page, table, wait_for


async def test_a_vault_bought_through_the_api_appears_in_an_open_console_and_its_backup_in_the_api(
        served_api: ServedApi, cbr: CbrClient) -> None:
    app = CbrApp(served_api.console, run_tasks=False)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_page(pilot, ObjectType.DISK)
        vaults = table(pilot, "#page-disk #vault-table")
        assert not any("sdk-live" in text for text in cell_texts(vaults, 0))
        vault_id = new_vault(cbr, "sdk-live", size=80)
        # no key pressed: the page reloads itself every second
        await wait_for(pilot, lambda: any("sdk-live" in text for text in cell_texts(vaults, 0)))

        served_api.console.associations.associate(vault_id, [ResourceSelection("evs-secure-01")])
        vaults.move_cursor(row=next(i for i, text in enumerate(cell_texts(vaults, 0)) if "sdk-live" in text))
        await pilot.press("b")
        assert isinstance(app.screen, PerformBackupDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PerformBackupDialog)
    logs = cbr.list_op_logs(ListOpLogsRequest(vault_id=vault_id, operation_type="backup")).operation_logs
    [log] = logs
    shown = cbr.show_op_log(ShowOpLogRequest(operation_log_id=log.id)).operation_log
    assert shown.vault_name == "sdk-live"
    assert 0 <= shown.extra_info.common.progress <= 100
    assert shown.status in ("waiting", "running", "success")
    assert app.unexpected_errors == []

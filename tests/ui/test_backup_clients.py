"""File Backups > Backup Clients: configure a client's vault and add a backup path, with the rules' messages."""

from pathlib import Path

from textual.widgets import Select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.client_actions import AddPathDialog, ConfigureVaultDialog
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, field_error, open_page, show_tab, type_into


async def test_a_client_gets_a_vault_and_a_new_path(console: Console, app: CbrApp, tmp_path: Path) -> None:
    vault = buy(console, ObjectType.FILE, 1024, name="vault-files")
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.FILE)
        clients = await show_tab(pilot, ObjectType.FILE, "tab-clients", "client-table")
        clients.focus()
        assert [t.split("\n")[0] for t in cell_texts(clients, 0)] == ["host-files-01", "host-files-02"]
        assert cell_texts(clients, 4)[0] == "Not configured"
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, ConfigureVaultDialog)
        await pilot.click("#ok")
        assert "Choose a file backup vault" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#client-vault", Select).value = vault.id
        await pilot.pause(0.3)  # a button ignores clicks while it still shows the last one
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is not dialog, str(dialog.query_one("#dialog-error").render())
        assert cell_texts(clients, 4)[0] == "vault-files"
        await pilot.press("p")
        assert isinstance(app.screen, AddPathDialog)
        await type_into(pilot, "client-path", "var/www")
        assert "must be absolute" in field_error(pilot, "client-path")
        await type_into(pilot, "client-path", str(tmp_path / "missing"))
        await pilot.press("enter")
        assert "not an existing directory" in str(app.screen.query_one("#dialog-error").render())
        await type_into(pilot, "client-path", str(tmp_path))
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AddPathDialog)
    paths = [p.dir_path for p in console.resources.show("host-files-01").paths]
    assert str(tmp_path) in paths

"""An image from a server backup, and a new server from the image, through the screens: the new server
holds the backed-up bytes and starts."""

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.backup_actions import CreateImageDialog
from cbr_tui.ui.dialogs.image_actions import CreateServerDialog, DeleteImageDialog
from tests.data import resource_digest
from tests.jobs.helpers import back_up
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, open_nav, table, type_into, wait_for
from tests.ui.test_restore_flows import open_backups


async def test_create_image_then_a_server_from_it(console: Console, app: CbrApp) -> None:
    console.resources.write_data("ecs-web-01", 6, seed="image")
    buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-web")
    back_up(console, "vault-web", name="golden")
    backed_up = resource_digest(console, "ecs-web-01")
    async with app.run_test(size=SIZE) as pilot:
        await open_backups(pilot, ObjectType.SERVER)
        await pilot.press("o", "down", "enter")
        assert isinstance(app.screen, CreateImageDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [i.name for i in console.restores.list_images().images] == ["image-golden"]

        await wait_for(pilot, lambda: app.ready)  # the navigation takes keys once the store is open
        await pilot.press("ctrl+n", "end", "up", "up", "enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#image-table"))
                       and table(pilot, "#image-table").row_count == 1)
        images = table(pilot, "#image-table")
        assert app.focused is images
        assert [name.split("\n")[0] for name in cell_texts(images, 0)] == ["image-golden"]
        await pilot.press("c")
        assert isinstance(app.screen, CreateServerDialog)
        await type_into(pilot, "server-name", "bad name!")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CreateServerDialog), "a name the rules refuse keeps the dialog open"
        await type_into(pilot, "server-name", "ecs-web-clone")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CreateServerDialog)
        console.run_tasks()
    clone = console.resources.show("ecs-web-clone")
    assert clone.status == "ACTIVE"
    assert resource_digest(console, "ecs-web-clone") == backed_up


async def test_deleting_an_image_keeps_its_backup(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web", name="golden")[0]
    console.restores.create_image(backup.id, "img-web")
    async with app.run_test(size=SIZE) as pilot:
        # reaching the page by its keys and finding them on its list is test_focus's and test_first_session's
        await wait_for(pilot, lambda: app.ready)
        await open_nav(pilot, "page-images")
        await wait_for(pilot, lambda: table(pilot, "#image-table").row_count == 1)
        table(pilot, "#image-table").focus()
        await pilot.pause()
        await pilot.press("d")
        assert isinstance(app.screen, DeleteImageDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cell_texts(table(pilot, "#image-table"), 0) == []
    assert console.restores.list_images().count == 0
    assert console.backups.show(backup.id).status == "available"

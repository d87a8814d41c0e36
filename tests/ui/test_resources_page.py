"""The Resources area: start and stop servers, attach and detach disks, write and damage data, from the keys."""

from textual.pilot import Pilot
from textual.widgets import Input, Select

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import ConfirmDialog, MessageDialog
from cbr_tui.ui.dialogs.resource_actions import AttachDiskDialog, WriteDataDialog
from cbr_tui.ui.screens.resources import ResourcesPage
from cbr_tui.ui.widgets.table import ConsoleTable
from tests.data import resource_digest
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, field_error, open_nav, shows_whole, type_into, wait_for


async def open_resources(pilot: Pilot, kind: str = "server") -> tuple[ResourcesPage, ConsoleTable]:
    await open_nav(pilot, "page-resources")
    page = pilot.app.screen.query_one(ResourcesPage)
    page.query_one("#resource-kind", Select).value = kind
    await pilot.pause()
    resources = page.query_one(ConsoleTable)
    resources.focus()
    return page, resources


async def select_row(pilot: Pilot, resources: ConsoleTable, name: str) -> None:
    """Search for the resource by name, as a person would, and leave its row selected."""
    pilot.app.screen.query_one("#resource-search", Input).value = name
    await pilot.pause()
    assert [text.split("\n")[0] for text in cell_texts(resources, 0)] == [name]
    resources.focus()
    await pilot.pause()


def status_of(resources: ConsoleTable, name: str) -> str:
    names = [text.split("\n")[0] for text in cell_texts(resources, 0)]
    return cell_texts(resources, 1)[names.index(name)].split("\n")[0]


async def test_servers_start_and_stop_and_a_wrong_state_is_explained(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        _page, resources = await open_resources(pilot)
        await select_row(pilot, resources, "ecs-batch-01")
        assert status_of(resources, "ecs-batch-01") == "○ Stopped"
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert shows_whole(pilot, "only a Running server can be stopped")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert status_of(resources, "ecs-batch-01") == "● Running"
    assert console.resources.show("ecs-batch-01").status == "ACTIVE"


async def test_write_then_damage_data_change_the_bytes_off_the_ui_thread(console: Console, app: CbrApp) -> None:
    before = resource_digest(console, "evs-data-01")
    async with app.run_test(size=SIZE) as pilot:
        _page, resources = await open_resources(pilot, "disk")
        await select_row(pilot, resources, "evs-data-01")
        await pilot.press("w")
        assert isinstance(app.screen, WriteDataDialog)
        await type_into(pilot, "write-mb", "0")
        assert "at most 4,096 MB" in field_error(pilot, "write-mb")
        await type_into(pilot, "write-mb", "3")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = resource_digest(console, "evs-data-01")
        assert written != before
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#ok")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert resource_digest(console, "evs-data-01") not in (before, written)


async def test_a_new_disk_is_attached_and_an_existing_one_detached(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        _page, resources = await open_resources(pilot)
        await select_row(pilot, resources, "ecs-spare-01")
        await pilot.press("a")
        assert isinstance(app.screen, AttachDiskDialog)
        await type_into(pilot, "attach-size", "5")
        await pilot.click("#ok")
        await pilot.pause()
        assert "10 to 32,768 GB" in str(app.screen.query_one("#dialog-error").render()), "the service's size rule"
        await type_into(pilot, "attach-size", "20")
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, AttachDiskDialog)
        volumes = console.resources.show("ecs-spare-01").volumes
        assert [v.size for v in volumes or ()] == [20]
        _page, resources = await open_resources(pilot, "disk")
        await select_row(pilot, resources, (volumes or [])[0].name)
        await pilot.press("u")
        await pilot.pause()
    assert console.resources.show((volumes or [])[0].id).status == "available"


async def test_the_cbr_agent_is_installed_and_removed_from_the_keys(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        _page, resources = await open_resources(pilot)
        await select_row(pilot, resources, "ecs-web-01")
        await pilot.press("g")
        await wait_for(pilot, lambda: "CBR Agent 2.5.1" in cell_texts(resources, 4)[0])
        assert console.resources.show("ecs-web-01").agent_version == "2.5.1"
        await pilot.press("g")
        await wait_for(pilot, lambda: "CBR Agent" not in cell_texts(resources, 4)[0])
        assert console.resources.show("ecs-web-01").agent_version is None

"""SVG snapshots of every page, every wizard step of every vault type, and every dialog.

Deterministic: the demo inventory with seeded IDs, a fixed clock, a fixed terminal size, no task runner, and
no cursor blink. Review changes in snapshot_report.html, then `pytest tests/ui --snapshot-update`."""

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, TabbedContent

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.vault_types import VAULT_TYPES
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from tests.data import disk_path, disks_of
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.pilot import open_nav, open_page

Steps = Callable[[Pilot], Awaitable[None]]


def seeded(console: Console) -> Console:
    """Vaults of several types and states, and backups, so every column has something to show."""
    buy(console, size_gb=800, resources=("ecs-web-01", "ecs-web-02"), name="vault-web",
        tags=[("env", "prod"), ("app", "web")], enterprise_project="production")
    buy(console, size_gb=500, resources=("ecs-db-01",), name="vault-db", charging_mode="pre_paid",
        period_type="month", period_num=3, multi_az=True, app_consistent=True)
    buy(console, ObjectType.DISK, size_gb=200, resources=("evs-data-01",), name="vault-disks")
    buy(console, ObjectType.TURBO, size_gb=1000, resources=("sfs-turbo-share",), name="vault-turbo")
    buy(console, ObjectType.FILE, size_gb=2048, name="vault-files")
    buy(console, ObjectType.WORKSPACE, size_gb=300, resources=("desktop-alice",), name="vault-desktops")
    buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid", protect_type="replication")
    console.backups.perform("vault-web", name="nightly")
    console.run_tasks()
    fail_one_backup(console)
    return console


def fail_one_backup(console: Console) -> None:
    """A backup of ecs-web-01 that really fails: its data disk is away while the runner copies it."""
    console.backups.perform("vault-web", resources=["ecs-web-01"], name="broken")
    disk = disk_path(console, disks_of(console, "ecs-web-01")[1])
    away = disk.with_name(disk.name + ".away")
    disk.rename(away)
    try:
        console.run_tasks()
    finally:
        away.rename(disk)


def with_backups_of_each_kind(console: Console) -> Console:
    """`seeded`, plus backups of a disk, an SFS Turbo file system and a backup client (their restore dialogs)."""
    seeded(console)
    console.backups.perform("vault-disks", name="disk-daily")
    console.backups.perform("vault-turbo", name="share-daily")
    console.associations.configure_client("host-files-01", "vault-files")
    console.backups.perform("vault-files", name="files-daily")
    console.run_tasks()
    return console


def snapshot(snap_compare, console: Console, steps: Steps | None = None) -> bool:  # type: ignore[no-untyped-def]
    return snap_compare(CbrApp(console, run_tasks=False), terminal_size=SIZE, run_before=steps)


def on_page(object_type: ObjectType, *keys: str, tab: str | None = None) -> Steps:
    async def steps(pilot: Pilot) -> None:
        await open_page(pilot, object_type)
        if tab:
            page = pilot.app.screen.query_one(f"#page-{object_type.value}")
            page.query_one("#tabs", TabbedContent).active = tab
            await pilot.pause()
            page.query_one(f"#{tab} ConsoleTable").focus()
            await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
    return steps


# --- pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("object_type", list(VAULT_TYPES))
def test_vault_list_of_each_backup_type(snap_compare, console: Console, object_type: ObjectType) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(object_type))


def test_backups_tab(snap_compare, console: Console) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(ObjectType.SERVER, tab="tab-backups"))


def test_vault_details(snap_compare, console: Console) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(ObjectType.SERVER, "enter"))


def test_tasks_page(snap_compare, console: Console) -> None:  # type: ignore[no-untyped-def]
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-tasks")

    assert snapshot(snap_compare, seeded(console), steps)


@pytest.mark.parametrize("view", ["list", "create-server"])
def test_images_page(snap_compare, console: Console, view: str) -> None:  # type: ignore[no-untyped-def]
    seeded(console)
    golden = console.backups.list(vault="vault-web", status="available")["backups"][-1]
    console.restores.create_image(golden["id"], "image-web")

    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-images")
        pilot.app.screen.query_one("#image-table").focus()
        if view == "create-server":
            await pilot.press("c")
        await pilot.pause()

    assert snapshot(snap_compare, console, steps)


def on_resources(*keys: str, kind: str = "server") -> Steps:
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-resources")
        pilot.app.screen.query_one("#resource-kind", Select).value = kind
        await pilot.pause()
        pilot.app.screen.query_one("#resource-table").focus()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
    return steps


RESOURCE_VIEWS = {
    "servers": on_resources(),
    "disks": on_resources(kind="disk"),
    "backup-clients": on_resources(kind="agent"),
    "write-data": on_resources("j", "w"),
    "attach-disk": on_resources("a"),
    "damage-data": on_resources("x", kind="turbo"),
}


@pytest.mark.parametrize("view", list(RESOURCE_VIEWS))
def test_resources_area(snap_compare, console: Console, view: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), RESOURCE_VIEWS[view])


POLICY_VIEWS = {"page": (), "create": ("c",), "modify": ("enter",), "delete": ("d",)}


@pytest.mark.parametrize("view", list(POLICY_VIEWS))
def test_policies(snap_compare, console: Console, view: str) -> None:  # type: ignore[no-untyped-def]
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-policies")
        pilot.app.screen.query_one("#policy-table").focus()
        await pilot.press(*POLICY_VIEWS[view])
        await pilot.pause()

    assert snapshot(snap_compare, seeded(console), steps)


CLIENT_VIEWS = {"list": (), "configure-vault": ("c",), "add-path": ("p",)}


@pytest.mark.parametrize("view", list(CLIENT_VIEWS))
def test_backup_clients(snap_compare, console: Console, view: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(ObjectType.FILE, *CLIENT_VIEWS[view], tab="tab-clients"))


def test_help(snap_compare, console: Console) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(ObjectType.SERVER, "question_mark"))


def test_empty_vault_list(snap_compare, console: Console) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, console)


# --- purchase wizards -------------------------------------------------------------------------------------

WIZARD_STEPS = [(t, index, step) for t, vtype in VAULT_TYPES.items() for index, step in enumerate(vtype.wizard_steps)]


@pytest.mark.parametrize(("object_type", "index", "step"), WIZARD_STEPS,
                         ids=[f"{t.value}-{i + 1:02d}-{s}" for t, i, s in WIZARD_STEPS])
def test_wizard_step(snap_compare, console: Console, object_type: ObjectType, index: int, step: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, console, on_page(object_type, "n", *["pagedown"] * index))


# --- dialogs ----------------------------------------------------------------------------------------------

DIALOG_KEYS = {
    "perform-backup": ("b",),
    "associate": ("a",),
    "more-menu": ("m",),
    "expand": ("m", "down", "enter"),
    "automatic-association": ("m", "down", "down", "enter"),
    "apply-policy": ("m", "down", "down", "down", "enter"),
    "apply-replication-policy": ("m", "down", "down", "down", "down", "enter"),
    "edit-tags": ("m", "down", "down", "down", "down", "down", "enter"),
    "check-data": ("m", "down", "down", "down", "down", "down", "down", "enter"),
    "delete": ("m", "down", "down", "down", "down", "down", "down", "down", "enter"),
}


@pytest.mark.parametrize("dialog", list(DIALOG_KEYS))
def test_vault_dialog(snap_compare, console: Console, dialog: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded(console), on_page(ObjectType.SERVER, *DIALOG_KEYS[dialog]))


BACKUP_DIALOGS = {
    "operations-menu": (ObjectType.SERVER, ("o",)),
    "restore-server": (ObjectType.SERVER, ("r",)),
    "create-image": (ObjectType.SERVER, ("o", "down", "enter")),
    "replicate": (ObjectType.SERVER, ("o", "down", "down", "enter")),
    "delete-backup": (ObjectType.SERVER, ("d",)),
    "restore-disk": (ObjectType.DISK, ("r",)),
    "create-disk": (ObjectType.DISK, ("o", "down", "enter")),
    "create-file-system": (ObjectType.TURBO, ("r",)),
    "restore-files": (ObjectType.FILE, ("r",)),
}


@pytest.mark.parametrize("dialog", list(BACKUP_DIALOGS))
def test_backup_dialog(snap_compare, console: Console, dialog: str) -> None:  # type: ignore[no-untyped-def]
    object_type, keys = BACKUP_DIALOGS[dialog]
    assert snapshot(snap_compare, with_backups_of_each_kind(console),
                    on_page(object_type, *keys, tab="tab-backups"))

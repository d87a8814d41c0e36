"""SVG snapshots of every page, every wizard step of every vault type, and every dialog, at 140x42 and 80x24.

Deterministic: the demo inventory with seeded IDs, a fixed clock, a fixed terminal size, no task runner, and
no cursor blink. Review changes in snapshot_report.html (`pytest -n 0 tests/ui`), then
`pytest -n 0 tests/ui --snapshot-update`."""

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, TabbedContent

from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.domain.vault_types import VAULT_TYPES
from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.services.helpers import buy
from tests.ui.conftest import SIZES
from tests.ui.pilot import open_nav, open_page

Steps = Callable[[Pilot], Awaitable[None]]
SIZE_IDS = list(SIZES)


def snapshot(snap_compare, console: Console, size: str, steps: Steps | None = None) -> bool:  # type: ignore[no-untyped-def]
    app = CbrApp(console, run_tasks=False)
    matches = snap_compare(app, terminal_size=SIZES[size], run_before=steps)
    assert app.unexpected_errors == [], app.unexpected_errors
    return bool(matches)


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


async def in_one_run(console: Console, size: str, screens, views: list[tuple[str, Steps]]) -> None:  # type: ignore[no-untyped-def]
    """Each view reached in turn in one run of the console (Esc back to the main screen in between), and
    compared as snap_compare draws it: one start of the console instead of one per view."""
    app = CbrApp(console, run_tasks=False)
    async with app.run_test(size=SIZES[size]) as pilot:
        main = app.screen
        for name, steps in views:
            await steps(pilot)
            assert await screens(pilot, name, simplify=True), name
            await close_to(pilot, main)
    assert app.unexpected_errors == []


# --- pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZE_IDS)
async def test_vault_lists(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """The vault list of each backup type, each page opened in turn in one run of the console."""
    await in_one_run(seeded, size, screens, [(t.value, on_page(t)) for t in VAULT_TYPES])


@pytest.mark.parametrize("size", SIZE_IDS)
def test_backups_tab(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.SERVER, tab="tab-backups"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_vault_details(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.SERVER, "enter"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_navigation_open(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """ctrl+n: the navigation (over the page on a small terminal)."""
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.SERVER, "ctrl+n"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_tasks_page(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-tasks")

    assert snapshot(snap_compare, seeded, size, steps)


@pytest.mark.parametrize("size", SIZE_IDS)
@pytest.mark.parametrize("view", ["list", "create-server"])
def test_images_page(snap_compare, seeded: Console, view: str, size: str) -> None:  # type: ignore[no-untyped-def]
    golden = seeded.backups.list(vault="vault-web", status="available").backups[-1]
    seeded.restores.create_image(golden.id, "image-web")

    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-images")
        pilot.app.screen.query_one("#image-table").focus()
        if view == "create-server":
            await pilot.press("c")
        await pilot.pause()

    assert snapshot(snap_compare, seeded, size, steps)


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


@pytest.mark.parametrize("size", SIZE_IDS)
@pytest.mark.parametrize("view", list(RESOURCE_VIEWS))
def test_resources_area(snap_compare, seeded: Console, view: str, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded, size, RESOURCE_VIEWS[view])


POLICY_VIEWS = {"page": (), "create": ("c",), "modify": ("enter",), "delete": ("d",)}


def on_policies(*keys: str) -> Steps:
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-policies")
        pilot.app.screen.query_one("#policy-table").focus()
        await pilot.press(*keys)
        await pilot.pause()
    return steps


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_policies(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    await in_one_run(seeded, size, screens, [(view, on_policies(*keys)) for view, keys in POLICY_VIEWS.items()])


CLIENT_VIEWS = {"list": (), "configure-vault": ("c",), "add-path": ("p",), "perform-backup": ("b",)}


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_backup_clients(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    await in_one_run(seeded, size, screens, [(view, on_page(ObjectType.FILE, *keys, tab="tab-clients"))
                                             for view, keys in CLIENT_VIEWS.items()])


@pytest.mark.parametrize("size", SIZE_IDS)
def test_help(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.SERVER, "question_mark"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_empty_vault_list(snap_compare, console: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, console, size)


# --- purchase wizards: every step of every type, and the question before paying ----------------------------

@pytest.mark.parametrize("size", SIZE_IDS)
@pytest.mark.parametrize("object_type", list(VAULT_TYPES))
async def test_wizard_steps(screens, console: Console, object_type: ObjectType, size: str) -> None:  # type: ignore[no-untyped-def]
    app = CbrApp(console, run_tasks=False)
    async with app.run_test(size=SIZES[size]) as pilot:
        await open_page(pilot, object_type)
        await pilot.press("n")
        wizard = app.screen
        assert isinstance(wizard, PurchaseWizard)
        for index, step in enumerate(wizard.steps):
            assert wizard.step == step
            assert await screens(pilot, f"{index + 1:02d}-{step}")
            await pilot.press("pagedown")
        await pilot.press("enter")
        assert await screens(pilot, "pay")
    assert app.unexpected_errors == []


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
    "capacity-alarm": ("m", "down", "down", "down", "down", "down", "down", "enter"),
    "check-data": ("m", "down", "down", "down", "down", "down", "down", "down", "enter"),
    "delete": ("m", "down", "down", "down", "down", "down", "down", "down", "down", "enter"),
}


async def close_to(pilot: Pilot, screen: object) -> None:
    """Esc until `screen` is on top again (a dialog opened from a menu takes two)."""
    for _ in range(4):
        if pilot.app.screen is screen:
            return
        await pilot.press("escape")
        await pilot.pause()
    assert pilot.app.screen is screen


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_vault_dialogs(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """Every dialog of the vault list, each opened in turn in one run of the console and closed with Esc."""
    await in_one_run(seeded, size, screens, [(dialog, on_page(ObjectType.SERVER, *keys))
                                             for dialog, keys in DIALOG_KEYS.items()])


BACKUP_DIALOGS = {
    "operations-menu": (ObjectType.SERVER, ("o",)),
    "restore-server": (ObjectType.SERVER, ("r",)),
    "create-image": (ObjectType.SERVER, ("o", "down", "enter")),
    "replicate": (ObjectType.SERVER, ("o", "down", "down", "enter")),
    "delete-backup": (ObjectType.SERVER, ("d",)),
    "backup-details": (ObjectType.SERVER, ("i",)),
    "restore-disk": (ObjectType.DISK, ("r",)),
    "create-disk": (ObjectType.DISK, ("o", "down", "enter")),
    "create-file-system": (ObjectType.TURBO, ("r",)),
    "restore-files": (ObjectType.FILE, ("r",)),
}


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_backup_dialogs(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """Every dialog of the Backups tabs, each opened in turn in one run of the console and closed with Esc."""
    await in_one_run(seeded, size, screens, [(dialog, on_page(object_type, *keys, tab="tab-backups"))
                                             for dialog, (object_type, keys) in BACKUP_DIALOGS.items()])


@pytest.mark.parametrize("size", SIZE_IDS)
def test_a_refusal_in_a_dialog(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """Perform Backup on a server replication vault: the service's code and whole sentence, at once."""
    buy(seeded, size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.SERVER, "b"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_perform_backup_without_full_backup(snap_compare, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """SFS Turbo's Perform Backup asks for a name and a description only (seed 5.3)."""
    assert snapshot(snap_compare, seeded, size, on_page(ObjectType.TURBO, "b"))


def on_billing(*keys: str) -> Steps:
    async def steps(pilot: Pilot) -> None:
        await open_nav(pilot, "page-billing")
        pilot.app.screen.query_one("#order-table").focus()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
    return steps


def in_more_menu(pilot_vault: str, label: str) -> Steps:
    async def steps(pilot: Pilot) -> None:
        from tests.ui.pilot import choose_in_more_menu, table

        await open_page(pilot, ObjectType.SERVER)
        vaults = table(pilot, "#page-server #vault-table")
        names = [str(vaults.get_row_at(row)[0]).split("\n")[0] for row in range(vaults.row_count)]
        vaults.move_cursor(row=names.index(pilot_vault))
        await choose_in_more_menu(pilot, label)
        await pilot.pause()
    return steps


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_billing_and_clock(screens, seeded: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """The Billing page with its Top Up dialog, the demo clock (ctrl+k), and Renew, Auto-Renew and Unsubscribe of
    a yearly/monthly vault."""
    await in_one_run(seeded, size, screens, [("billing", on_billing()), ("top-up", on_billing("t")),
                                             ("clock", on_page(ObjectType.SERVER, "ctrl+k")),
                                             ("renew", in_more_menu("vault-db", "Renew")),
                                             ("auto-renew", in_more_menu("vault-db", "Enable Auto-Renew")),
                                             ("unsubscribe", in_more_menu("vault-db", "Unsubscribe"))])


@pytest.mark.parametrize("size", SIZE_IDS)
async def test_hybrid_cloud_backups(screens, console: Console, size: str) -> None:  # type: ignore[no-untyped-def]
    """Seed 3.5: the Storage Backups and VMware Backups tabs, Synchronize, and Restore to On-premises."""
    from tests.ui.test_hybrid_page import backed_up_on_premises

    backed_up_on_premises(console)
    buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid")
    console.hybrid.sync("vault-hybrid")
    console.run_tasks()
    console.hybrid.back_up("lun-archive-01", name="archive-local")  # one more, not synchronised yet
    console.run_tasks()
    await in_one_run(console, size, screens, [
        ("storage-backups", on_page(ObjectType.VMWARE, tab="tab-backups")),
        ("vmware-backups", on_page(ObjectType.VMWARE, tab="tab-vmware")),
        ("synchronize", on_page(ObjectType.VMWARE, "y", tab="tab-backups")),
        ("restore-on-premises", on_page(ObjectType.VMWARE, "r", tab="tab-vmware")),
    ])

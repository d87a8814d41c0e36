"""Every refusal a screen can meet is shown whole, with its code, and the console keeps running.

Each test brings the store into the state that makes a service say no, asks the service itself for the
refusal it gives (so the text checked is the service's own), then goes through the screens as a person does
and finds that code and the whole sentence on a small terminal (80x24), then goes on using the console."""

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType, ProtectType, VaultStatus
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.services.errorlog import log_path
from cbr_tui.services.vaults import VaultSpec
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import ConfirmDialog, Dialog, MessageDialog
from cbr_tui.ui.screens.main import MainScreen
from cbr_tui.ui.screens.vaults import VaultList
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.jobs.helpers import back_up, damage_one_chunk
from tests.services.helpers import buy, refused, set_vault
from tests.ui.conftest import SIZES, SMALL
from tests.ui.pilot import (
    choose_in_more_menu,
    choose_radio,
    open_nav,
    open_page,
    screen_text,
    shows_whole,
    tick,
    type_into,
)
from tests.ui.test_restore_flows import open_backups


def on_screen(pilot: Pilot, error: CbrError) -> None:
    """The refusal's code and its whole sentence are drawn."""
    assert shows_whole(pilot, error.code), (error.code, screen_text(pilot))
    assert shows_whole(pilot, error.message), (error.message, screen_text(pilot))


async def still_running(pilot: Pilot) -> None:
    """Close what is open and prove the console answers: the Tasks page opens and draws."""
    for _ in range(6):
        screen = pilot.app.screen
        if isinstance(screen, MainScreen):
            break
        leaving = isinstance(screen, ConfirmDialog) and screen.title_text == "Cancel the purchase?"
        await pilot.press("ctrl+s" if leaving else "escape")
        await pilot.pause()
    assert isinstance(pilot.app.screen, MainScreen)
    await open_nav(pilot, "page-tasks")
    assert shows_whole(pilot, "Tasks of the last 30 days")


async def ok_is_refused(pilot: Pilot, error: CbrError) -> None:
    """OK (ctrl+s) in the dialog open: the refusal is on screen, then the console goes on."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    on_screen(pilot, error)
    await still_running(pilot)


async def open_wizard_at(pilot: Pilot, step: str) -> PurchaseWizard:
    await pilot.pause()
    await pilot.press("n")
    wizard = pilot.app.screen
    assert isinstance(wizard, PurchaseWizard)
    while wizard.step != step:
        await pilot.press("pagedown")
    return wizard


# --- the purchase wizard ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", list(SIZES))
async def test_paying_with_a_short_balance(console: Console, app: CbrApp, size: str) -> None:
    buy(console, size_gb=99_980, charging_mode="pre_paid", period_type="month", period_num=1, name="vault-big")
    error = refused(Codes.VAULT_CREATION_FAILED, lambda: console.vaults.create(VaultSpec(
        ObjectType.SERVER, 100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.MONTH, period_num=1,
        name="vault_0219")), "top up")
    async with app.run_test(size=SIZES[size]) as pilot:
        wizard = await open_wizard_at(pilot, "confirm")
        await pilot.press("enter", "ctrl+s")  # Buy Now, Pay
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        on_screen(pilot, error)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is wizard, "the refusal closes, the wizard is still there to change the purchase"
        await still_running(pilot)
    assert console.vaults.list(object_type="server").count == 1


async def test_automatic_association_without_room_holds_its_step(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        wizard = await open_wizard_at(pilot, "resources")
        await tick(pilot, "ecs-web-01")
        await tick(pilot, "ecs-web-02")
        await pilot.press("pagedown")
        await type_into(pilot, "capacity", "300")
        while wizard.step != "auto_bind":
            await pilot.press("pagedown")
        await choose_radio(pilot, "auto-bind", "Configure")
        error = refused(Codes.VAULT_CANNOT_UPDATE, lambda: console.vaults.check(wizard.spec()), "40 GB")
        await pilot.press("pagedown")
        await pilot.pause()
        assert wizard.step == "auto_bind"
        on_screen(pilot, error)
        await still_running(pilot)


async def test_a_server_taken_by_another_vault_meanwhile(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        wizard = await open_wizard_at(pilot, "resources")
        await tick(pilot, "ecs-web-01")
        while wizard.step != "confirm":
            await pilot.press("pagedown")
        buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-other")  # the command line, meanwhile
        error = refused(Codes.RESOURCE_IN_OTHER_VAULT, lambda: console.vaults.create(wizard.spec()))
        await pilot.press("enter")  # Buy Now: the confirmation opens
        await pilot.press("ctrl+s")
        await pilot.pause()
        on_screen(pilot, error)
        await still_running(pilot)


async def test_typed_values_get_the_rules_whole_message(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        wizard = await open_wizard_at(pilot, "capacity")
        await type_into(pilot, "capacity", "١٠٠")
        assert shows_whole(pilot, "Enter the capacity in GB as a whole number in the digits 0-9, such as 100 or "
                                  "1,024; '١٠٠' is not one.")
        await type_into(pilot, "capacity", "10485761")
        assert shows_whole(pilot, "The capacity of a server backup vault ranges from 10 to 10,485,760 GB; "
                                  "10,485,761 GB was given.")
        await pilot.press("pagedown")
        assert wizard.step == "capacity"
        await type_into(pilot, "capacity", "100")
        while wizard.step != "tags":
            await pilot.press("pagedown")
        await type_into(pilot, "tags", ",".join(f"k{i}=v" for i in range(11)))
        assert shows_whole(pilot, "11 tags were given; a vault can have at most 10.")
        await type_into(pilot, "tags", "")
        await pilot.press("pagedown")
        await type_into(pilot, "name", "x" * 65)
        assert shows_whole(pilot, "The vault name has 65 characters; it can have at most 64.")
        await still_running(pilot)


# --- vault dialogs -------------------------------------------------------------------------------------------

async def test_perform_backup_in_a_frozen_vault(seeded: Console) -> None:
    vault = seeded.vaults.show("vault-web")
    set_vault(seeded, vault.id, status=VaultStatus.FROZEN.value)
    error = refused(Codes.VAULT_STATUS_FORBIDS_BACKUP, lambda: seeded.backups.perform("vault-web"))
    app = CbrApp(seeded, run_tasks=False)
    async with app.run_test(size=SMALL) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        await pilot.press("b")
        await ok_is_refused(pilot, error)
    assert app.unexpected_errors == []


async def test_perform_backup_in_a_replication_vault_is_refused_at_once(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    error = refused(Codes.VAULT_TYPE_FORBIDS_BACKUP, lambda: console.backups.perform("vault-dr"))
    async with app.run_test(size=SMALL) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        on_screen(pilot, error)
        await still_running(pilot)


async def test_associating_beyond_the_capacity(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=150, name="vault-small")
    error = refused(Codes.INVALID_VAULT_CAPACITY, lambda: console.associations.associate(
        "vault-small", [ResourceSelection("ecs-web-01"), ResourceSelection("ecs-web-02")]))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(SelectionList).focus()
        await tick(pilot, "ecs-web-01")
        await tick(pilot, "ecs-web-02")
        await ok_is_refused(pilot, error)


async def test_expanding_to_less_than_the_vault_has(console: Console, app: CbrApp) -> None:
    vault = buy(console, size_gb=300, name="vault-web")
    error = refused(Codes.VAULT_EXPANSION_FAILED, lambda: console.vaults.expand(vault.id, 200))
    async with app.run_test(size=SMALL) as pilot:
        await choose_in_more_menu(pilot, "Expand Capacity")
        await type_into(pilot, "new-size", "200")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Dialog)
        on_screen(pilot, error)
        await still_running(pilot)


async def test_deleting_a_vault_while_it_backs_up(console: Console, app: CbrApp) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    console.backups.perform("vault-web")
    error = refused(Codes.PERFORMING_BACKUPS, lambda: console.vaults.delete(vault.id))
    async with app.run_test(size=SMALL) as pilot:
        await choose_in_more_menu(pilot, "Delete")
        await ok_is_refused(pilot, error)


# --- backup dialogs ------------------------------------------------------------------------------------------

async def test_restoring_a_damaged_backup(console: Console, app: CbrApp) -> None:
    console.resources.write_data("evs-data-01", 4, seed="disk", pattern="random")
    vault = buy(console, ObjectType.DISK, 100, resources=("evs-data-01",), name="vault-disk")
    backup = back_up(console, "vault-disk")[0]
    damage_one_chunk(console, vault.id)
    console.maintenance.verify("vault-disk", read_share=1)
    error = refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_disk(backup.id), "damaged")
    async with app.run_test(size=SMALL) as pilot:
        await open_backups(pilot, ObjectType.DISK)
        await pilot.press("r")
        await ok_is_refused(pilot, error)


async def test_replicating_a_backup_twice(console: Console, app: CbrApp) -> None:
    console.resources.write_data("ecs-web-01", 2, seed="web")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    dr = buy(console.in_region("cn-east-3"), size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    backup = back_up(console, "vault-web")[0]
    console.replication.replicate(backup.id, destination_region="cn-east-3", destination_vault=dr.id)
    error = refused(Codes.ALREADY_REPLICATED, lambda: console.replication.replicate(
        backup.id, destination_region="cn-east-3", destination_vault=dr.id))
    async with app.run_test(size=SMALL) as pilot:
        await open_backups(pilot, ObjectType.SERVER)
        await pilot.press("o")
        await pilot.pause()
        menu = app.screen.query_one("#menu")
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        menu.highlighted = labels.index("Replicate")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#destination").value = f"cn-east-3|{dr.id}"
        await ok_is_refused(pilot, error)


# --- backup clients -----------------------------------------------------------------------------------------

async def test_backing_up_a_client_without_a_vault_is_refused_at_once(console: Console, app: CbrApp) -> None:
    error = refused(Codes.RESOURCE_NOT_IN_VAULT, lambda: console.backups.perform_for_client("host-files-01"))
    async with app.run_test(size=SMALL) as pilot:
        await open_page(pilot, ObjectType.FILE)
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        on_screen(pilot, error)
        await still_running(pilot)


async def test_associating_with_a_replication_vault_is_refused_at_once(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    error = refused(Codes.VAULT_CANNOT_ADD_RESOURCES, lambda: console.associations.associate(
        "vault-dr", [ResourceSelection("ecs-web-01")]))
    async with app.run_test(size=SMALL) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog), "refused once, up front, not per server in a list"
        on_screen(pilot, error)
        await still_running(pilot)


# --- what nobody expected ------------------------------------------------------------------------------------

async def test_an_unexpected_error_is_shown_with_its_log_and_the_console_goes_on(
        console: Console, app: CbrApp, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        monkeypatch.setattr(console.backups, "list", broken)
        await pilot.press("2")  # the Backups tab asks for backups, and the service breaks
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        log = log_path(console.settings.home)
        assert shows_whole(pilot, "Something went wrong that the console did not expect: RuntimeError: the disk "
                                  f"caught fire. Its details are in {log}.")
        assert "RuntimeError: the disk caught fire" in log.read_text()
        assert oct(log.stat().st_mode & 0o777) == "0o600"
        monkeypatch.undo()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # the page it broke on still answers
        await pilot.pause()
        app.screen.query_one("#page-server Pager", Pager).turn(1)
        await still_running(pilot)
    assert [type(e).__name__ for e in app.unexpected_errors] == ["RuntimeError"]
    app.unexpected_errors.clear()


async def test_a_handler_that_breaks_leaves_its_widget_working(console: Console, app: CbrApp,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual ends a widget's message loop when its handler raises; the console's widgets keep theirs."""
    restart = VaultList.restart
    broke: list[str] = []

    def breaks_once(page: VaultList) -> None:
        if not broke:
            broke.append("once")
            raise ValueError("once")
        restart(page)

    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        monkeypatch.setattr(VaultList, "restart", breaks_once)
        await search_twice(pilot, console, monkeypatch)
    assert broke and [type(e).__name__ for e in app.unexpected_errors] == ["ValueError"]
    app.unexpected_errors.clear()


async def test_a_question_that_breaks_in_its_worker_is_shown_and_asked_again(
        console: Console, app: CbrApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The services are asked in a worker: what breaks there is shown as unexpected, and the next question
    (the next key of the search) is asked and answered."""
    listing = console.vaults.list
    broke: list[str] = []

    def breaks_on_x(*args: object, **kwargs: object) -> object:
        if kwargs.get("search") == "x" and not broke:  # once: the page's live reload asks again each second
            broke.append("once")
            raise ValueError("once")
        return listing(*args, **kwargs)

    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        monkeypatch.setattr(console.vaults, "list", breaks_on_x)
        await search_twice(pilot, console, monkeypatch)
    assert [type(e).__name__ for e in app.unexpected_errors] == ["ValueError"]
    app.unexpected_errors.clear()


async def search_twice(pilot: Pilot, console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    """Type x (it breaks, and the break is shown), close the message, type y: the list answers "xy"."""
    searched: list[object] = []
    listing = console.vaults.list

    def recorded(*args: object, **kwargs: object) -> object:
        searched.append(kwargs.get("search"))
        return listing(*args, **kwargs)

    monkeypatch.setattr(console.vaults, "list", recorded)
    search = pilot.app.screen.query_one("#page-server #vault-search", Input)
    search.focus()
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MessageDialog)
    await pilot.press("enter")
    await pilot.pause()
    search.focus()
    await pilot.press("y")
    await pilot.pause()
    assert search.value == "xy"
    assert "xy" in searched, "the list answered the second search: its handler runs again"
    await still_running(pilot)


def test_the_log_is_private(tmp_path: Path) -> None:
    from cbr_tui.services.errorlog import record_unexpected

    where = record_unexpected(RuntimeError("x"), tmp_path / "home")
    assert where is not None and oct(where.parent.stat().st_mode & 0o777) == "0o700"

"""The seed's Getting Started, end to end through the screens: buy, associate, automatic association,
perform backup with real progress."""

import re
import threading

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, SelectionList

from cbr_tui.domain.enums import ObjectType, PolicyOperationType, ProtectType
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import ConfirmDialog
from cbr_tui.ui.dialogs.vault_actions import (
    ApplyReplicationPolicyDialog,
    AssociateDialog,
    AutoBindDialog,
    PerformBackupDialog,
)
from cbr_tui.ui.screens.backup_page import BackupTypePage
from cbr_tui.ui.widgets.fields import Field
from cbr_tui.ui.widgets.resource_picker import ResourcePicker
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.services.helpers import buy
from tests.ui.conftest import SIZE
from tests.ui.gate import gated_runner
from tests.ui.pilot import cell_texts, choose_in_more_menu, field_error, show_tab, table, type_into, wait_for


async def open_wizard(pilot: Pilot) -> PurchaseWizard:
    """Press the Buy key of the page shown and return the wizard it opens."""
    await pilot.pause()
    await pilot.press("n")
    wizard = pilot.app.screen
    assert isinstance(wizard, PurchaseWizard)
    return wizard


async def advance_to(pilot: Pilot, wizard: PurchaseWizard, step: str) -> None:
    """Press Next (PgDn) until the wizard shows this step; each step on the way must accept its defaults."""
    for _ in wizard.steps:
        if wizard.steps[wizard.index] == step:
            return
        await pilot.press("pagedown")
    assert wizard.steps[wizard.index] == step, f"the wizard stayed at {wizard.steps[wizard.index]}"


def pick(picker: ResourcePicker, *names: str) -> None:
    """Tick resources in a picker by name, as space on each row does."""
    selection = picker.query_one(SelectionList)
    for resource_id, item in picker.instances.items():
        if item.name in names:
            selection.select(f"res:{resource_id}")


async def test_wizard_fields_show_the_rules_message_and_hold_the_step(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_wizard(pilot)
        await advance_to(pilot, wizard, "capacity")
        await type_into(pilot, "capacity", "lots")
        assert "whole number" in field_error(pilot, "capacity")
        await type_into(pilot, "capacity", "5")
        assert "10" in field_error(pilot, "capacity")
        await pilot.press("pagedown")
        assert wizard.steps[wizard.index] == "capacity"
        await type_into(pilot, "capacity", "100")
        assert field_error(pilot, "capacity") == ""
        await advance_to(pilot, wizard, "name")
        await type_into(pilot, "name", "bad name!")
        assert field_error(pilot, "name") != ""
        await pilot.press("pagedown")
        assert wizard.steps[wizard.index] == "name"
        wizard.query_one("#name", Field).text = "x" * 65
        await pilot.pause()
        assert "64" in field_error(pilot, "name")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog), "past its first step, leaving the wizard asks first"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PurchaseWizard)
        assert console.vaults.list().count == 0, "cancelling buys nothing"


async def test_associate_shows_ineligible_servers_disabled_and_associates_two(console: Console,
                                                                                app: CbrApp) -> None:
    buy(console, size_gb=500, name="vault-web")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AssociateDialog)
        picker = dialog.query_one(ResourcePicker)
        options = picker.query_one(SelectionList)
        disabled = {picker.instances[o.value.split(":")[1]].name
                    for o in options._options if o.disabled and o.value.startswith("res:")}
        assert {"ecs-test-01", "ecs-spare-01"} <= disabled
        pick(picker, "ecs-web-01", "ecs-web-02")
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, AssociateDialog)
        assert cell_texts(table(pilot, "#page-server #vault-table"), 3) == ["2"]


@pytest.mark.parametrize(("size_gb", "allowed"), [(800, True), (300, False)])
async def test_automatic_association_follows_the_40_gb_rule(console: Console, app: CbrApp, size_gb: int,
                                                            allowed: bool) -> None:
    buy(console, size_gb=size_gb, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    async with app.run_test(size=SIZE) as pilot:
        await choose_in_more_menu(pilot, "Enable Automatic Association")
        assert isinstance(app.screen, AutoBindDialog)
        await type_into(pilot, "bind-tags", "env=prod")
        await pilot.click("#ok")
        await pilot.pause()
        vault = console.vaults.show("vault-web")
        assert vault.auto_bind is allowed
        if allowed:
            assert cell_texts(table(pilot, "#page-server #vault-table"), 3) == ["Automatic\nassociation"]
        else:
            error = str(app.screen.query_one("#dialog-error").render())
            assert isinstance(app.screen, AutoBindDialog) and "20 GB" in error and "40 GB" in error


def percent(status_cell: str) -> int | None:
    """The percentage of a status cell's progress bar (None when it shows none)."""
    found = re.search(r"(\d+)%", status_cell)
    return int(found.group(1)) if found else None


async def test_perform_backup_of_two_servers_shows_progress_until_available(console: Console,
                                                                           app: CbrApp) -> None:
    runner, gate = gated_runner(console, "ecs-web-01", "ecs-web-02")
    buy(console, size_gb=500, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")
        dialog = app.screen
        assert isinstance(dialog, PerformBackupDialog)
        assert len(dialog.query_one("#backup-resources", SelectionList).selected) == 2
        await type_into(pilot, "backup-name", "manualbk")
        await pilot.click("#ok")
        await pilot.pause()
        page = app.screen.query_one("#page-server", BackupTypePage)
        backups = await show_tab(pilot, ObjectType.SERVER, "tab-backups", "backup-table")
        assert sorted(name.split("\n")[0] for name in cell_texts(backups, 0)) == ["manualbk-0001", "manualbk-0002"]
        assert [percent(text) for text in cell_texts(backups, 1)] == [0, 0]

        worker = threading.Thread(target=runner.run_until_idle, daemon=True)
        worker.start()
        assert gate.reached.wait(30)
        page.refresh_data()
        await pilot.pause()
        midway = sorted(percent(text) for text in cell_texts(backups, 1))
        assert midway[0] == 0 and 0 < midway[1] < 100, midway
        gate.release.set()
        worker.join(60)
        page.refresh_data()
        await wait_for(pilot, lambda: cell_texts(backups, 1) == ["● Available", "● Available"])
        stored = console.backups.list(vault=console.vaults.show("vault-web").id).backups
        assert all(b.stats.new_bytes > 0 for b in stored)


async def test_a_replication_policy_is_applied_with_its_destination_vault(console: Console, app: CbrApp) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    dr = buy(console.in_region("cn-east-3"), size_gb=300, protect_type=ProtectType.REPLICATION, name="vault-dr")
    policy = console.policies.create(PolicySpec(pattern=["FREQ=DAILY;INTERVAL=1;BYHOUR=02;BYMINUTE=00"],
                                                name="to-shanghai", operation_type=PolicyOperationType.REPLICATION,
                                                destination_region="cn-east-3")).policy
    async with app.run_test(size=SIZE) as pilot:
        await choose_in_more_menu(pilot, "Apply Replication Policy")
        dialog = app.screen
        assert isinstance(dialog, ApplyReplicationPolicyDialog)
        dialog.query_one("#policy", Select).value = policy.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose the destination vault" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#destination", Select).value = dr.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ApplyReplicationPolicyDialog)
    links = console.vaults.show("vault-web").policies
    assert [(p.policy_id, p.operation_type, p.destination_vault_id) for p in links] == [
        (policy.id, "replication", dr.id)]

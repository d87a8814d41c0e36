"""The seed's six purchase procedures (sections 3.1-3.6), step by step, by keys: every step shows where it is,
the confirm step lists exactly what is bought, moving on never pays, and Buy Now asks with the amount before
the balance is charged. The procedures take turns between a large terminal (140x42) and a small one (80x24):
the snapshot tests already draw every step of every wizard at both sizes."""

from decimal import Decimal

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from cbr_tui.domain import purchase_form as form
from cbr_tui.domain.enums import ObjectType, PolicyOperationType
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import ConfirmDialog
from cbr_tui.ui.screens.main import MainScreen
from cbr_tui.ui.wizards.purchase import PurchaseWizard
from tests.ui.conftest import SIZES
from tests.ui.pilot import (
    cell_texts,
    choose_option,
    choose_radio,
    open_page,
    screen_text,
    shows_whole,
    table,
    tick,
    type_into,
)


class Purchase:
    """A person going through a purchase wizard: each step must be the one the seed names next, and say so."""

    def __init__(self, pilot: Pilot, object_type: ObjectType) -> None:
        self.pilot = pilot
        self.object_type = object_type

    @property
    def wizard(self) -> PurchaseWizard:
        wizard = self.pilot.app.screen
        assert isinstance(wizard, PurchaseWizard)
        return wizard

    async def start(self, buy_label: str) -> None:
        await open_page(self.pilot, self.object_type)
        assert shows_whole(self.pilot, buy_label), "the page's purchase button (seed step 2)"
        await self.pilot.press("n")
        await self.pilot.pause()
        assert shows_whole(self.pilot, buy_label)

    async def at(self, step: str) -> None:
        """The wizard shows this step, and its head says which one of how many."""
        wizard = self.wizard
        assert wizard.step == step, f"expected {step}, the wizard shows {wizard.step}"
        position = f"Step {wizard.index + 1} of {len(wizard.steps)}: {form.STEP_TITLES[step]}"
        assert shows_whole(self.pilot, position), position

    async def next(self) -> None:
        await self.pilot.press("pagedown")
        await self.pilot.pause()

    async def keep(self, *steps: str) -> None:
        """Go through these steps in order, each as the seed names it, keeping what it proposes."""
        for step in steps:
            await self.at(step)
            await self.next()

    async def confirm_and_pay(self, *lines: str, question: str) -> None:
        """The confirm step lists these lines; PgDn does not pay; Buy Now asks `question`; Pay buys."""
        await self.at("confirm")
        for line in lines:
            assert shows_whole(self.pilot, line), (line, screen_text(self.pilot))
        await self.pilot.press("pagedown")
        await self.pilot.pause()
        assert self.pilot.app.screen is self.wizard, "moving on from the last step never pays"
        await self.pilot.press("enter")  # Buy Now has the cursor
        await self.pilot.pause()
        assert isinstance(self.pilot.app.screen, ConfirmDialog)
        assert shows_whole(self.pilot, question), (question, screen_text(self.pilot))
        assert self.pilot.app.focused is not None and self.pilot.app.focused.id == "cancel", \
            "the cursor starts on Cancel: a second Enter does not pay"
        await self.pilot.press("ctrl+s")  # Pay
        await self.pilot.pause()
        assert isinstance(self.pilot.app.screen, MainScreen), "bought: back on the page (seed: the last step)"


def balance(console: Console) -> Decimal:
    return Decimal(console.accounts.show().account.balance)


def listed(pilot: Pilot, object_type: ObjectType) -> list[str]:
    return [name.split("\n")[0] for name in cell_texts(table(pilot, f"#page-{object_type.value} #vault-table"), 0)]


@pytest.mark.parametrize("size", ["140x42"])
async def test_3_1_a_server_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    before = balance(console)
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.SERVER)
        await buying.start("Buy Server Backup Vault")
        await buying.at("billing")
        await choose_radio(pilot, "billing", "Yearly/Monthly")
        await buying.next()
        await buying.at("protection")
        await choose_radio(pilot, "protection", "Backup")
        await buying.next()
        await buying.at("app_consistent")
        await pilot.press("enter")
        assert shows_whole(pilot, "Enabled"), "the switch says what it is set to"
        await buying.next()
        await buying.at("redundancy")
        await choose_radio(pilot, "redundancy", "Multi-AZ")
        await buying.next()
        await buying.at("resources")
        await tick(pilot, "ecs-web-01")
        await tick(pilot, "ecs-db-01")
        await tick(pilot, "ecs-db-01-volume-0002")  # one data disk of ecs-db-01 left out (seed step 7)
        assert shows_whole(pilot, "2 selected, 380 GB in total")
        await buying.next()
        await buying.at("capacity")
        await type_into(pilot, "capacity", "300")
        await buying.next()
        await buying.at("capacity")
        assert shows_whole(pilot, "380 GB"), "the refusal gives the size of the selected servers"
        await type_into(pilot, "capacity", "800")
        await buying.next()
        await buying.at("auto_backup")
        await choose_option(pilot, "auto-backup", "Configure: create a new backup policy")
        await type_into(pilot, "policy-name", "nightly")
        await type_into(pilot, "policy-times", "02:00")
        await buying.next()
        await buying.at("enterprise_project")
        await choose_option(pilot, "enterprise-project", "production")
        await buying.next()
        await buying.at("auto_bind")
        await choose_radio(pilot, "auto-bind", "Configure")
        await type_into(pilot, "bind-tags", "env=prod")
        await buying.next()
        await buying.at("tags")
        await type_into(pilot, "tags", "app=web")
        await buying.next()
        await buying.at("name")
        await type_into(pilot, "name", "vault-web")
        await buying.next()
        await buying.at("duration")
        await choose_radio(pilot, "period-type", "Monthly")
        await choose_option(pilot, "period-num-month", "3 months")
        pilot.app.screen.query_one("#auto-renew").focus()
        await pilot.press("space")
        await buying.next()
        await buying.confirm_and_pay(
            "Application-consistent backup: Enabled", "Backup data redundancy: Multi-AZ",
            "Servers: ecs-db-01 (2 of 3 disks), ecs-web-01 (380 GB)", "Capacity: 800 GB",
            "Auto backup: Configure: new policy nightly", "Enterprise project: production",
            "Automatic association: Configure, tags env=prod", "Tags: app=web", "Name: vault-web",
            "Required duration: 3 months", "Auto renewal: Enabled", "Price: 234.00 USD for 3 months (800 GB)",
            question="Pay 234.00 USD from the account balance for vault-web")
        assert "vault-web" in listed(pilot, ObjectType.SERVER)
    vault = console.vaults.show("vault-web")
    billing = vault.billing
    assert (billing.consistent_level, billing.is_multi_az, billing.size) == ("app_consistent", True, 800)
    assert vault.auto_bind and vault.bind_rules.model_dump() == {"tags": [{"key": "env", "value": "prod"}]}
    assert {r.name: len(r.extra_info.exclude_volumes) for r in vault.resources} == \
        {"ecs-web-01": 0, "ecs-db-01": 1}
    assert balance(console) == before - Decimal("234.00")


@pytest.mark.parametrize("size", ["80x24"])
async def test_3_2_a_disk_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.DISK)
        await buying.start("Buy Disk Backup Vault")
        await buying.keep("billing")
        await buying.at("resources")
        await tick(pilot, "evs-data-01")
        await buying.next()
        await buying.keep("capacity", "auto_backup", "auto_bind", "enterprise_project", "tags")
        await buying.at("name")
        await type_into(pilot, "name", "vault-disks")
        await buying.next()
        await buying.at("duration")
        await choose_radio(pilot, "period-type", "Yearly")
        choices = [label for label, _value in pilot.app.screen.query_one("#period-num-year", Select)._options]
        assert choices == ["1 year", "2 years", "3 years", "4 years", "5 years"], "1 month to 5 years (seed)"
        await choose_option(pilot, "period-num-year", "2 years")
        assert shows_whole(pilot, "2 years"), "the list shows what was chosen"
        await buying.next()
        await buying.confirm_and_pay("Disks: evs-data-01", "Required duration: 2 years", "Auto renewal: Disabled",
                                     question="Pay 80.00 USD from the account balance for vault-disks")
        assert listed(pilot, ObjectType.DISK) == ["vault-disks"]


@pytest.mark.parametrize("size", ["140x42"])
async def test_3_3_an_sfs_turbo_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.TURBO)
        await buying.start("Buy SFS Turbo Backup Vault")
        await buying.at("billing")
        await choose_radio(pilot, "billing", "Pay-per-use")
        await buying.next()
        await buying.at("protection")
        assert shows_whole(pilot, "An SFS Turbo backup vault stores SFS Turbo backups.")
        await choose_radio(pilot, "protection", "Replication")
        assert "resources" not in buying.wizard.steps, "a replication vault selects no file systems (seed step 4)"
        await choose_radio(pilot, "protection", "Backup")
        await buying.next()
        await buying.keep("redundancy")
        await buying.at("resources")
        await tick(pilot, "sfs-turbo-share")
        await buying.next()
        await buying.keep("capacity", "auto_backup", "enterprise_project", "tags")
        await buying.at("name")
        await type_into(pilot, "name", "vault-share")
        await buying.next()
        await buying.at("duration")
        assert shows_whole(pilot, form.NO_DURATION_TEXT)
        await buying.next()
        await buying.confirm_and_pay("Billing mode: Pay-per-use", "File systems: sfs-turbo-share",
                                     question="Buy vault-share, a pay-per-use SFS Turbo backup vault")
        assert listed(pilot, ObjectType.TURBO) == ["vault-share"]
    assert [r.name for r in console.vaults.show("vault-share").resources] == ["sfs-turbo-share"]


@pytest.mark.parametrize("size", ["80x24"])
async def test_3_4_a_desktop_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    console.policies.create(PolicySpec(pattern=["FREQ=WEEKLY;BYDAY=MO;BYHOUR=22;BYMINUTE=00"], name="weekly",
                                       operation_type=PolicyOperationType.BACKUP))
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.WORKSPACE)
        await buying.start("Buy Desktop Backup Vault")
        await buying.keep("billing")
        await buying.at("resources")
        await tick(pilot, "desktop-alice")
        await buying.next()
        await buying.keep("capacity")
        await buying.at("auto_backup")
        await choose_option(pilot, "auto-backup", "Configure: use policy weekly")
        await buying.next()
        await buying.keep("enterprise_project", "tags")
        await buying.at("name")
        await type_into(pilot, "name", "vault-desktops")
        await buying.next()
        await buying.keep("duration")
        await buying.confirm_and_pay("Desktops: desktop-alice", "Auto backup: Configure: policy weekly",
                                     question="Pay 9.00 USD from the account balance for vault-desktops, a "
                                              "desktop backup vault of 180 GB")
    assert console.vaults.show("vault-desktops").policies[0].operation_type == "backup"


@pytest.mark.parametrize("size", ["140x42"])
async def test_3_5_a_hybrid_cloud_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.VMWARE)
        await buying.start("Buy Hybrid Cloud Backup Vault")
        await buying.keep("billing")
        await buying.at("protection")
        assert shows_whole(pilot, "A hybrid cloud backup vault stores backups.")
        await choose_radio(pilot, "protection", "Replication (cross-region)")
        await buying.next()
        await buying.keep("redundancy")
        await buying.at("capacity")
        assert shows_whole(pilot, "Capacity (TB), 1 to 10,240")
        await type_into(pilot, "capacity", "2")
        await buying.next()
        await buying.keep("enterprise_project", "tags")
        await buying.at("name")
        await type_into(pilot, "name", "vault-onprem")
        await buying.next()
        await buying.keep("duration")
        await buying.confirm_and_pay("Protection type: Replication (cross-region)", "Capacity: 2 TB",
                                     question="for vault-onprem, a hybrid cloud replication vault of 2 TB")
        assert listed(pilot, ObjectType.VMWARE) == ["vault-onprem"]
        assert "0/2 TB" in cell_texts(table(pilot, "#page-vmware #vault-table"), 2)


@pytest.mark.parametrize("size", ["80x24"])
async def test_3_6_a_file_backup_vault(console: Console, app: CbrApp, size: str) -> None:
    async with app.run_test(size=SIZES[size]) as pilot:
        buying = Purchase(pilot, ObjectType.FILE)
        await buying.start("Buy Hybrid Cloud Backup Vault")
        await buying.keep("billing")
        await buying.at("redundancy")
        await choose_radio(pilot, "redundancy", "Multi-AZ")
        await buying.next()
        await buying.keep("capacity", "auto_backup")
        await buying.at("tags")
        await type_into(pilot, "tags", "team=ops")
        await buying.next()
        await buying.at("name")
        await type_into(pilot, "name", "vault-files")
        await buying.next()
        await buying.at("duration")
        await choose_radio(pilot, "period-type", "Yearly")
        await buying.next()
        await buying.confirm_and_pay("Backup data redundancy: Multi-AZ", "Capacity: 1 TB", "Tags: team=ops",
                                     "Required duration: 1 year",
                                     question="for vault-files, a file backup vault of 1 TB")
        assert listed(pilot, ObjectType.FILE) == ["vault-files"]

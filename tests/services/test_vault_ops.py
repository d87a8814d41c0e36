"""The vault list and the Operation column: search, details, rename, expand, tags, delete, unsubscribe."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.services.views import TagView, VaultPage, VaultView
from tests.services.helpers import buy, finish_backups, refused, set_vault


@pytest.fixture
def three(console: Console, clock: FixedClock) -> list[VaultView]:
    made = []
    for name, kind, tags in (("vault-web", ObjectType.SERVER, [("env", "prod")]),
                             ("vault-db", ObjectType.SERVER, [("env", "dev"), ("tier", "db")]),
                             ("vault-disks", ObjectType.DISK, [("owner", "ops")])):
        made.append(buy(console, kind, name=name, tags=tags))
        clock.advance(timedelta(minutes=1))
    return made


def names(result: VaultPage) -> list[str]:
    return [v.name for v in result.vaults]


def test_list_by_type_newest_first(console: Console, three: list[VaultView]) -> None:
    assert names(console.vaults.list(object_type="server")) == ["vault-db", "vault-web"]
    assert names(console.vaults.list(object_type="disk")) == ["vault-disks"]
    assert console.vaults.list().count == 3


def test_search_by_name_or_id(console: Console, three: list[VaultView]) -> None:
    assert names(console.vaults.list(search="db")) == ["vault-db"]
    assert names(console.vaults.list(search=three[0].id)) == ["vault-web"]
    assert console.vaults.list(search="nothing").count == 0


def test_search_by_up_to_five_tags_any_matching(console: Console, three: list[VaultView]) -> None:
    assert names(console.vaults.list(tags=[("env", "prod"), ("owner", "ops")])) == ["vault-disks", "vault-web"]
    assert names(console.vaults.list(tags=[("tier", "")])) == ["vault-db"]
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.list(tags=[(f"k{i}", "v") for i in range(6)]))


def test_paging_and_sorting(console: Console, three: list[VaultView]) -> None:
    page = console.vaults.list(limit=2, offset=0, sort="name:asc")
    assert names(page) == ["vault-db", "vault-disks"] and page.count == 3
    assert names(console.vaults.list(limit=2, offset=2, sort="name:asc")) == ["vault-web"]
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.list(sort="color"))
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.list(limit=0))


def test_project_tags_list_every_key_and_value(console: Console, three: list[VaultView]) -> None:
    assert console.vaults.project_tags().model_dump()["tags"] == [
        {"key": "env", "values": ["dev", "prod"]}, {"key": "owner", "values": ["ops"]},
        {"key": "tier", "values": ["db"]}]


def test_show_by_name_or_id_and_unknown_vaults(console: Console, three: list[VaultView]) -> None:
    assert console.vaults.show("vault-web").id == three[0].id
    refused(Codes.VAULT_NOT_FOUND, lambda: console.vaults.show("vault-nope"))
    buy(console, name="vault-web")
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.show("vault-web"), "give the ID")


def test_rename_and_describe(console: Console, three: list[VaultView]) -> None:
    updated = console.vaults.update("vault-web", name="vault-frontend", description="web tier").vault
    assert (updated.name, updated.description) == ("vault-frontend", "web tier")
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.update("vault-frontend", name="a b"))


def test_expand_capacity(console: Console) -> None:
    vault = buy(console, size_gb=100)
    assert console.vaults.expand(vault.id, 110).vault.billing.size == 110
    refused(Codes.VAULT_EXPANSION_FAILED, lambda: console.vaults.expand(vault.id, 110), "only be expanded")
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: console.vaults.expand(vault.id, 10_485_761))
    set_vault(console, vault.id, status="lock")
    refused(Codes.EXPANSION_IN_PROGRESS, lambda: console.vaults.expand(vault.id, 200))
    hybrid = buy(console, ObjectType.VMWARE, 1024)
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: console.vaults.expand(hybrid.id, 1500), "whole number")
    assert console.vaults.expand(hybrid.id, 2048).vault.billing.size == 2048


def test_expanding_a_yearly_monthly_vault_pays_for_the_rest_of_the_subscription(console: Console,
                                                                                 clock: FixedClock) -> None:
    vault = buy(console, size_gb=100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.MONTH,
                period_num=1)
    clock.advance(timedelta(days=15))
    before = Decimal(console.accounts.show().account.balance)
    result = console.vaults.expand(vault.id, 200)
    paid = Decimal(result.orders[0].amount)
    assert Decimal("2.40") < paid < Decimal("2.60")  # 100 GB x 0.05 for about half of a month
    assert Decimal(console.accounts.show().account.balance) == before - paid


def test_expansion_needs_the_money(console: Console) -> None:
    vault = buy(console, size_gb=100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.YEAR,
                period_num=5)
    refused(Codes.VAULT_EXPANSION_FAILED, lambda: console.vaults.expand(vault.id, 1_000_000), "top up")
    assert console.vaults.show(vault.id).billing.size == 100


def test_tags_are_added_replaced_and_removed(console: Console, three: list[VaultView]) -> None:
    vault = console.vaults.add_tags("vault-web", [("env", "staging"), ("team", "a")]).vault
    assert [t.model_dump() for t in vault.tags] == [{"key": "env", "value": "staging"}, {"key": "team", "value": "a"}]
    refused(Codes.TAG_QUOTA, lambda: console.vaults.add_tags("vault-web", [(f"k{i}", "") for i in range(9)]))
    assert console.vaults.remove_tags("vault-web", ["team"]).vault.tags == [TagView(key="env", value="staging")]
    refused(Codes.TAG_KEY_NOT_FOUND, lambda: console.vaults.remove_tags("vault-web", ["team"]))


def test_delete_removes_the_vault_its_backups_and_records_a_task(console: Console) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"))
    console.backups.perform(vault.id)
    refused(Codes.PERFORMING_BACKUPS, lambda: console.vaults.delete(vault.id))
    finish_backups(console)
    result = console.vaults.delete(vault.id)
    assert result.deleted_backups == 2
    refused(Codes.VAULT_NOT_FOUND, lambda: console.vaults.show(vault.id))
    assert console.backups.list().count == 0
    task = console.tasks.list(operation_type="vault_delete").operation_logs[0]
    assert task.status == "success" and task.vault_id == vault.id
    again = buy(console, resources=("ecs-web-01",))  # the servers are free again
    assert again.resources[0].name == "ecs-web-01"


def test_delete_is_allowed_only_when_available_or_error(console: Console) -> None:
    vault = buy(console)
    for status in ("lock", "frozen", "deleting"):
        set_vault(console, vault.id, status=status)
        refused(Codes.INVALID_VAULT_STATUS, lambda: console.vaults.delete(vault.id))
    set_vault(console, vault.id, status="error")
    assert console.vaults.delete(vault.id).vault_id == vault.id


def test_yearly_monthly_vaults_are_unsubscribed_with_a_refund(console: Console, clock: FixedClock) -> None:
    vault = buy(console, size_gb=100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.MONTH,
                period_num=2)
    refused(Codes.VAULT_CANNOT_DELETE, lambda: console.vaults.delete(vault.id), "unsubscribed")
    clock.advance(timedelta(days=30))
    before = Decimal(console.accounts.show().account.balance)
    result = console.vaults.unsubscribe(vault.id)
    refund = -Decimal(result.orders[0].amount)
    # 10.00 paid for 61 days, 30 used: 4.92 consumed, a 10% handling fee of 1.00
    assert refund == Decimal("4.08")
    detail = result.orders[0].detail
    assert (detail["consumed"], detail["handling_fee"]) == ("4.92", "1.00")
    assert Decimal(console.accounts.show().account.balance) == before + refund
    early = buy(console, size_gb=100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.YEAR,
                period_num=1)
    clock.advance(timedelta(days=4))
    assert console.vaults.unsubscribe(early.id).orders[0].amount == "-50.00"  # the five-day rule
    refused(Codes.VAULT_CANNOT_DELETE, lambda: console.vaults.unsubscribe(buy(console).id), "delete it instead")

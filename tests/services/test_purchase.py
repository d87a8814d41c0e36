"""Buying vaults of all six types: each wizard step's options, defaults, rules, price and payment."""

import re
from decimal import Decimal

import pytest
from sqlmodel import func, select

from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.policy_rules import check_retention, weekly_patterns
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.vaults import VaultSpec
from cbr_tui.store.models import Policy, Vault, VaultResource
from tests.services.helpers import buy, refused

TB = 1024


@pytest.mark.parametrize(("object_type", "size", "spec_code", "provider"), [
    (ObjectType.SERVER, 100, "vault.backup.server.normal", "0daac4c5-6707-4851-97ba-169e36266b66"),
    (ObjectType.DISK, 100, "vault.backup.volume.normal", "d1603440-187d-4516-af25-121250c7cc97"),
    (ObjectType.TURBO, 100, "vault.backup.turbo.normal", "3f3c3220-245c-4805-b811-758870015881"),
    (ObjectType.WORKSPACE, 100, "vault.backup.workspace.normal", "86a80900-71bf-4961-956a-d52df944f84a"),
    (ObjectType.VMWARE, 2 * TB, "vault.hybrid.server.normal", "a13639de-00be-4e94-af30-26912d75e4a2"),
    (ObjectType.FILE, 1 * TB, "vault.hybrid.server.normal", "a13639de-00be-4e94-af30-26912d75e4a2"),
])
def test_every_vault_type_can_be_bought_with_the_defaults(console: Console, object_type: ObjectType, size: int,
                                                          spec_code: str, provider: str) -> None:
    vault = buy(console, object_type, size)
    assert re.fullmatch(r"vault_[0-9a-f]{4}", vault.name)
    assert vault.billing.object_type == object_type.value
    assert vault.billing.spec_code == spec_code
    assert vault.provider_id == provider
    assert vault.billing.status == "available"
    assert vault.billing.size == size
    assert vault.billing.charging_mode == "post_paid"
    assert vault.enterprise_project_id == "0"
    assert console.vaults.show(vault.id) == vault


def test_a_server_vault_with_two_servers_adds_up_their_sizes(console: Console) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    assert vault.billing.allocated == 280
    assert [r.name for r in vault.resources] == ["ecs-web-01", "ecs-web-02"]
    assert all(r.type == "OS::Nova::Server" and r.protect_status == "available" for r in vault.resources)


def test_only_some_disks_of_a_server_can_be_selected(console: Console) -> None:
    only_system = buy(console, resources=(ResourceSelection("ecs-db-01", include_volumes=("ecs-db-01-volume-0000",)),))
    assert only_system.billing.allocated == 40
    excluded = only_system.resources[0].extra_info.exclude_volumes
    assert len(excluded) == 2
    console.vaults.delete(only_system.id)
    all_but_one = buy(console, resources=(ResourceSelection("ecs-db-01", exclude_volumes=("ecs-db-01-volume-0002",)),))
    assert all_but_one.billing.allocated == 240


def test_a_server_with_every_disk_left_out_is_refused(console: Console) -> None:
    everything = ("ecs-web-01-volume-0000", "ecs-web-01-volume-0001")
    refused(Codes.SERVER_WITHOUT_DISKS, lambda: buy(console, resources=(
        ResourceSelection("ecs-web-01", exclude_volumes=everything),)))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, resources=(
        ResourceSelection("ecs-web-01", include_volumes=("evs-data-01",)),)), "not attached to ecs-web-01")


def test_capacity_must_cover_the_selected_resources(console: Console) -> None:
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: buy(console, size_gb=200, resources=("ecs-web-01", "ecs-web-02")),
            "at least the total size")
    assert buy(console, size_gb=280, resources=("ecs-web-01", "ecs-web-02")).billing.allocated == 280


@pytest.mark.parametrize(("object_type", "size"), [(ObjectType.SERVER, 9), (ObjectType.DISK, 10_485_761),
                                                   (ObjectType.VMWARE, 512), (ObjectType.FILE, 10_241 * TB)])
def test_capacity_out_of_range_is_refused(console: Console, object_type: ObjectType, size: int) -> None:
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: buy(console, object_type, size))


def test_options_a_vault_type_does_not_offer_are_refused(console: Console) -> None:
    refused(Codes.REPLICATION_NOT_ALLOWED, lambda: buy(console, ObjectType.DISK, protect_type=ProtectType.REPLICATION))
    refused(Codes.REPLICATION_NOT_ALLOWED, lambda: buy(console, ObjectType.WORKSPACE,
                                                       protect_type=ProtectType.REPLICATION))
    refused(Codes.DATABASE_BACKUP_NOT_ALLOWED, lambda: buy(console, ObjectType.DISK, app_consistent=True))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, ObjectType.DISK, multi_az=True), "Single-AZ")
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, ObjectType.WORKSPACE, multi_az=True))


def test_server_vault_options(console: Console) -> None:
    database = buy(console, app_consistent=True, multi_az=True)
    assert database.billing.consistent_level == "app_consistent"
    assert database.billing.spec_code == "vault.backup.database.normal"
    assert database.billing.is_multi_az is True
    replication = buy(console, protect_type=ProtectType.REPLICATION)
    assert replication.billing.spec_code == "vault.replication.server.normal"
    hybrid_replica = buy(console, ObjectType.VMWARE, 1 * TB, protect_type=ProtectType.REPLICATION)
    assert hybrid_replica.billing.protect_type == "replication"


@pytest.mark.parametrize(("fields", "match"), [
    ({"protect_type": ProtectType.REPLICATION}, "replication vault"),
    ({"object_type": ObjectType.VMWARE, "size_gb": TB}, "hybrid cloud backup vault"),
    ({"object_type": ObjectType.FILE, "size_gb": TB}, "backup client"),
])
def test_vaults_that_take_no_resources_refuse_them(console: Console, fields: dict, match: str) -> None:
    spec = {"object_type": ObjectType.SERVER, "size_gb": 500} | fields
    refused(Codes.VAULT_CANNOT_ADD_RESOURCES, lambda: console.vaults.create(
        VaultSpec(**spec, resources=(ResourceSelection("ecs-web-01"),))), match)


def test_yearly_monthly_is_paid_from_the_balance(console: Console) -> None:
    spec = VaultSpec(object_type=ObjectType.SERVER, size_gb=100, charging_mode=ChargingMode.PRE_PAID,
                     period_type=PeriodType.MONTH, period_num=3, auto_renew=True)
    price = Decimal(console.vaults.quote(spec).price.amount)
    before = Decimal(console.accounts.show().account.balance)
    result = console.vaults.create(spec)
    vault = result.vault
    assert Decimal(result.orders[0].amount) == price == Decimal("15.00")
    assert Decimal(console.accounts.show().account.balance) == before - price
    assert vault.billing.charging_mode == "pre_paid"
    assert vault.billing.order_id == result.orders[0].order_id
    assert vault.billing.is_auto_renew is True
    assert vault.billing.expired_at.startswith("2027-02-25T10:00")


def test_a_yearly_vault_expires_after_its_years(console: Console) -> None:
    vault = buy(console, size_gb=100, charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.YEAR, period_num=2)
    assert vault.billing.expired_at.startswith("2028-11-25")


def test_a_short_balance_buys_nothing_and_leaves_nothing_behind(console: Console) -> None:
    def counts() -> tuple[int, int, int]:
        with console.ctx.store.read() as session:
            return tuple(session.exec(select(func.count()).select_from(m)).one()  # type: ignore[return-value]
                         for m in (Vault, VaultResource, Policy))
    before = counts()
    spec = VaultSpec(object_type=ObjectType.SERVER, size_gb=100_000, charging_mode=ChargingMode.PRE_PAID,
                     period_type=PeriodType.YEAR, period_num=5, resources=(ResourceSelection("ecs-web-01"),),
                     new_policy=PolicySpec(pattern=weekly_patterns(["MO"], ["22:00"])))
    refused(Codes.VAULT_CREATION_FAILED, lambda: console.vaults.create(spec), "top up")
    assert counts() == before
    assert console.accounts.show().account.balance == "5000.00"


def test_duration_belongs_to_yearly_monthly_only(console: Console) -> None:
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, period_type=PeriodType.MONTH, period_num=1))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, charging_mode=ChargingMode.PRE_PAID))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, charging_mode=ChargingMode.PRE_PAID,
                                                 period_type=PeriodType.MONTH, period_num=10))


def test_auto_backup_with_an_existing_or_a_new_policy(console: Console) -> None:
    existing = console.policies.list().policies[0]
    vault = buy(console, policy="policy-daily-2200")
    assert [(p.policy_id, p.operation_type, p.destination_vault_id) for p in vault.policies] == [
        (existing.id, "backup", None)]
    fresh = buy(console, new_policy=PolicySpec(pattern=weekly_patterns(["MO"], ["03:00"]), name="policy-monday",
                                               retention=check_retention(max_backups=4)))
    created = console.policies.show("policy-monday")
    assert fresh.policies[0].policy_id == created.id
    assert created.associated_vaults[0].vault_id == fresh.id
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, policy="policy-daily-2200", new_policy=PolicySpec(
        pattern=weekly_patterns(["MO"], ["03:00"]))))
    refused(Codes.POLICY_NOT_FOUND, lambda: buy(console, policy="nope"))


def test_policies_cannot_go_to_hybrid_or_replication_vaults(console: Console) -> None:
    refused(Codes.HYBRID_VAULT_NO_POLICY, lambda: buy(console, ObjectType.VMWARE, TB, policy="policy-daily-2200"))
    refused(Codes.POLICY_NOT_APPLICABLE, lambda: buy(console, protect_type=ProtectType.REPLICATION,
                                                     policy="policy-daily-2200"))


def test_enterprise_project_by_name(console: Console) -> None:
    production = next(e for e in console.accounts.enterprise_projects().enterprise_projects
                      if e.name == "production")
    assert buy(console, enterprise_project="production").enterprise_project_id == production.id
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, enterprise_project="nope"), "does not exist")


def test_automatic_association_at_purchase(console: Console) -> None:
    vault = buy(console, size_gb=800, resources=("ecs-web-01",), auto_bind=True, bind_tags=[("env", "prod")])
    assert vault.auto_bind is True
    assert vault.bind_rules.model_dump() == {"tags": [{"key": "env", "value": "prod"}]}
    refused(Codes.VAULT_CANNOT_UPDATE, lambda: buy(console, size_gb=200, resources=("ecs-web-02",), auto_bind=True),
            "greater than both 40 GB")
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, auto_bind=True,
                                                 bind_tags=[(f"k{i}", "v") for i in range(6)]), "at most 5 tags")
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, bind_tags=[("env", "prod")]), "automatic association")
    refused(Codes.VAULT_CANNOT_UPDATE, lambda: buy(console, protect_type=ProtectType.REPLICATION, auto_bind=True))


def test_tags_name_and_description_are_checked(console: Console) -> None:
    vault = buy(console, name="备份-vault_01", description="for the web tier", tags=[("env", "prod"), ("team", "")])
    assert vault.name == "备份-vault_01"
    assert [t.model_dump() for t in vault.tags] == [{"key": "env", "value": "prod"}, {"key": "team", "value": ""}]
    refused(Codes.TAG_QUOTA, lambda: buy(console, tags=[(f"k{i}", "v") for i in range(11)]))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, tags=[("env", "a"), ("env", "b")]))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, name="bad name"))
    refused(Codes.INVALID_PARAMETER, lambda: buy(console, description="x" * 256))


def test_no_new_resources_in_az2_of_cn_north_1(console: Console) -> None:
    beijing1 = console.in_region("cn-north-1")
    refused(Codes.VAULT_CANNOT_ADD_RESOURCES, lambda: buy(beijing1, resources=("ecs-bj1-01",), availability_zone="AZ2"),
            "AZ2")
    assert buy(beijing1, resources=("ecs-bj1-01",), availability_zone="AZ1").billing.allocated == 40
    assert buy(beijing1).availability_zone == "cn-north-1a"

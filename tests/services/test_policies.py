"""Backup and replication policies: create, modify, delete, apply, remove, and where they may go."""

from cbr_tui.domain.enums import ObjectType, PolicyOperationType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.policy_rules import check_retention, day_based_patterns, weekly_patterns
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.views import PolicyView
from tests.services.helpers import buy, refused

WEEKLY = weekly_patterns(["MO", "WE", "FR"], ["22:00"])


def create(console: Console, name: str = "policy-a", **fields) -> PolicyView:  # type: ignore[no-untyped-def]
    return console.policies.create(PolicySpec(pattern=fields.pop("pattern", WEEKLY), name=name, **fields)).policy


def test_create_show_and_list(console: Console) -> None:
    policy = create(console, retention=check_retention(max_backups=7))
    assert policy.trigger.properties.pattern == WEEKLY
    assert policy.operation_definition.max_backups == 7
    assert policy.enabled and policy.operation_type == "backup"
    assert policy.next_run == "2026-11-25T22:00:00.000000"  # 10:00 on a Wednesday
    assert console.policies.show("policy-a").id == policy.id
    assert {p.name for p in console.policies.list().policies} == {"policy-a", "policy-daily-2200"}
    every_two_days = create(console, "policy-b", pattern=day_based_patterns(2, ["04:00"]), enabled=False)
    assert every_two_days.next_run is None


def test_bad_policies_are_refused(console: Console) -> None:
    refused(Codes.INVALID_PARAMETER, lambda: create(console, "bad name"))
    refused(Codes.INVALID_PARAMETER, lambda: create(console, pattern=[]))
    refused(Codes.INVALID_PARAMETER, lambda: create(console, pattern=["FREQ=HOURLY;BYHOUR=1;BYMINUTE=0"]))
    refused(Codes.INVALID_PARAMETER, lambda: create(console, operation_type=PolicyOperationType.REPLICATION),
            "destination region")
    refused(Codes.INVALID_PARAMETER, lambda: create(console, operation_type=PolicyOperationType.REPLICATION,
                                                    destination_region="cn-north-4"), "must differ")


def test_at_most_32_policies_of_a_type_per_account(console: Console) -> None:
    for index in range(31):  # the demo has one already
        create(console, f"p{index}")
    refused(Codes.POLICY_QUOTA, lambda: create(console, "p31"), "at most 32 backup")
    assert create(console, "rep", operation_type=PolicyOperationType.REPLICATION,
                  destination_region="cn-east-3").operation_type == "replication"


def test_modify_keeps_the_type(console: Console) -> None:
    create(console)
    updated = console.policies.update("policy-a", name="policy-z", enabled=False,
                                      pattern=["FREQ=DAILY;BYHOUR=1;BYMINUTE=0"],
                                      retention=check_retention(retention_duration_days=30)).policy
    assert updated.name == "policy-z" and not updated.enabled
    assert updated.trigger.properties.pattern == ["FREQ=DAILY;BYHOUR=1;BYMINUTE=0"]
    assert updated.operation_definition.retention_duration_days == 30
    refused(Codes.INVALID_PARAMETER, lambda: console.policies.update("policy-z", pattern=["FREQ=DAILY"]))


def test_apply_replace_and_remove(console: Console) -> None:
    vault = buy(console, name="vault-web")
    first, second = create(console, "first"), create(console, "second")
    console.policies.apply("vault-web", "first")
    console.policies.apply("vault-web", "second")  # a vault has one backup policy: it is replaced
    assert [p.policy_id for p in console.vaults.show(vault.id).policies] == [second.id]
    assert console.policies.list(vault_id=vault.id).policies[0].name == "second"
    refused(Codes.POLICY_NOT_APPLIED, lambda: console.policies.remove("vault-web", first.id))
    console.policies.remove("vault-web", "second")
    assert console.vaults.show(vault.id).policies == []
    refused(Codes.POLICY_NOT_FOUND, lambda: console.policies.apply("vault-web", "nope"))


def test_where_policies_may_go(console: Console) -> None:
    create(console)
    hybrid = buy(console, ObjectType.VMWARE, 1024)
    refused(Codes.HYBRID_VAULT_NO_POLICY, lambda: console.policies.apply(hybrid.id, "policy-a"))
    replica_vault = buy(console, protect_type=ProtectType.REPLICATION)
    refused(Codes.POLICY_NOT_APPLICABLE, lambda: console.policies.apply(replica_vault.id, "policy-a"))
    assert console.policies.apply(buy(console, ObjectType.FILE, 1024).id, "policy-a")


def test_replication_policies_go_to_server_vaults_with_a_destination(console: Console) -> None:
    create(console, "rep", operation_type=PolicyOperationType.REPLICATION, destination_region="cn-east-3")
    disk_vault = buy(console, ObjectType.DISK)
    refused(Codes.POLICY_NOT_APPLICABLE, lambda: console.policies.apply(disk_vault.id, "rep", "x"))
    server_vault = buy(console, name="vault-web")
    refused(Codes.INVALID_PARAMETER, lambda: console.policies.apply("vault-web", "rep"), "destination vault")
    refused(Codes.DESTINATION_VAULT_NOT_FOUND, lambda: console.policies.apply("vault-web", "rep", "nope"))
    shanghai = console.in_region("cn-east-3")
    buy(shanghai, name="sh-backup")
    refused(Codes.DESTINATION_NOT_REPLICATION, lambda: console.policies.apply("vault-web", "rep", "sh-backup"))
    target = buy(shanghai, name="sh-replicas", protect_type=ProtectType.REPLICATION)
    applied = console.policies.apply("vault-web", "rep", "sh-replicas").associate_policy
    assert applied.destination_vault_id == target.id and applied.vault_id == server_vault.id


def test_deleting_a_policy_removes_it_from_its_vaults(console: Console) -> None:
    vault = buy(console, policy="policy-daily-2200")
    console.policies.delete("policy-daily-2200")
    assert console.vaults.show(vault.id).policies == []
    refused(Codes.POLICY_NOT_FOUND, lambda: console.policies.show("policy-daily-2200"))

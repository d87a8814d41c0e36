"""Enabling and disabling automatic association: the 40 GB rule of the seed, tag filters, vault kinds."""

from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from tests.services.helpers import buy, refused


def test_the_seeds_example_800_gb_with_two_100_gb_servers_qualifies(console: Console) -> None:
    for name in ("ecs-100-a", "ecs-100-b"):
        console.resources.create_server(name, system_disk_gb=100)
    vault = buy(console, size_gb=800, resources=("ecs-100-a", "ecs-100-b"))
    assert vault.billing.allocated == 200
    enabled = console.vaults.enable_auto_bind(vault.id, [("env", "prod"), ("app", "web")]).vault
    assert enabled.auto_bind is True
    assert [(t.key, t.value) for t in enabled.bind_rules.tags or ()] == [("app", "web"), ("env", "prod")]


def test_remaining_capacity_must_exceed_40_gb_and_the_associated_capacity(console: Console) -> None:
    tight = buy(console, size_gb=180, resources=("ecs-web-01",))  # 40 GB remaining
    refused(Codes.VAULT_CANNOT_UPDATE, lambda: console.vaults.enable_auto_bind(tight.id),
            "= 40 GB) greater than both 40 GB")
    half = buy(console, size_gb=280, resources=("ecs-web-02",))  # 140 remaining, not above 140 associated
    refused(Codes.VAULT_CANNOT_UPDATE, lambda: console.vaults.enable_auto_bind(half.id))
    console.vaults.expand(half.id, 281)
    assert console.vaults.enable_auto_bind(half.id).vault.auto_bind is True


def test_at_most_five_tags_filter_it(console: Console) -> None:
    vault = buy(console, size_gb=500)
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.enable_auto_bind(
        vault.id, [(f"k{i}", "v") for i in range(6)]))


def test_disabling_keeps_the_resources(console: Console) -> None:
    vault = buy(console, size_gb=800, resources=(ResourceSelection("ecs-web-01"),), auto_bind=True)
    disabled = console.vaults.disable_auto_bind(vault.id).vault
    assert disabled.auto_bind is False and disabled.bind_rules.tags is None
    assert [r.name for r in disabled.resources] == ["ecs-web-01"]


def test_only_vaults_that_hold_resources_associate_automatically(console: Console) -> None:
    for vault in (buy(console, protect_type=ProtectType.REPLICATION), buy(console, ObjectType.FILE, 1024)):
        refused(Codes.VAULT_CANNOT_UPDATE, lambda v=vault: console.vaults.enable_auto_bind(v.id))

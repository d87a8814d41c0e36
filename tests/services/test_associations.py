"""Associating and dissociating resources: every rule of seed chapter 4."""

from sqlmodel import select

from cbr_tui.domain.enums import BackupStatus, ObjectType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.services.views import ResourcesAdded
from cbr_tui.store.models import Backup
from tests.services.helpers import buy, finish_backups, refused


def associate(console: Console, vault: str, *refs: str) -> ResourcesAdded:
    return console.associations.associate(vault, [ResourceSelection(r) for r in refs])


def test_associate_servers_in_running_and_stopped_states(console: Console) -> None:
    vault = buy(console, size_gb=1000)
    result = associate(console, vault.id, "ecs-web-01", "ecs-batch-01")
    assert len(result.add_resource_ids) == 2
    shown = console.vaults.show(vault.id)
    assert {r.name for r in shown.resources} == {"ecs-web-01", "ecs-batch-01"}
    assert shown.billing.allocated == 180


def test_each_resource_type_goes_only_to_its_vault_type(console: Console) -> None:
    server_vault = buy(console)
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: associate(console, server_vault.id, "evs-data-01"),
            "holds only servers")
    disk_vault = buy(console, ObjectType.DISK)
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: associate(console, disk_vault.id, "ecs-web-01"))
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: associate(console, disk_vault.id, "desktop-alice-volume-0000"))
    assert associate(console, disk_vault.id, "evs-data-01", "ecs-web-01-volume-0001").add_resource_ids
    turbo_vault = buy(console, ObjectType.TURBO, 1000)
    assert associate(console, turbo_vault.id, "sfs-turbo-share").add_resource_ids
    desktop_vault = buy(console, ObjectType.WORKSPACE, 1000)
    assert associate(console, desktop_vault.id, "desktop-alice", "desktop-bob").add_resource_ids


def test_a_resource_belongs_to_one_vault(console: Console) -> None:
    first, second = buy(console, name="vault-a"), buy(console, name="vault-b")
    associate(console, first.id, "ecs-web-01")
    refused(Codes.RESOURCE_IN_OTHER_VAULT, lambda: associate(console, second.id, "ecs-web-01"), "vault-a")
    refused(Codes.RESOURCE_IN_OTHER_VAULT, lambda: associate(console, first.id, "ecs-web-01"), "this vault")
    refused(Codes.DUPLICATE_RESOURCE, lambda: associate(console, second.id, "ecs-web-02", "ecs-web-02"))


def test_only_resources_of_the_vaults_region(console: Console) -> None:
    vault = buy(console)
    refused(Codes.RESOURCE_NOT_FOUND, lambda: associate(console, vault.id, "nope"))
    shanghai_server = console.in_region("cn-east-3").resources.list("server").resources[0]
    refused(Codes.RESOURCE_NOT_FOUND, lambda: associate(console, vault.id, shanghai_server.id),
            "CN East-Shanghai1")


def test_statuses_that_allow_association(console: Console) -> None:
    server_vault = buy(console, size_gb=2000)
    refused(Codes.SERVER_STATUS_FORBIDS_BACKUP, lambda: associate(console, server_vault.id, "ecs-test-01"),
            "Error; only a server that is Running or Stopped")
    disk_vault = buy(console, ObjectType.DISK, 1000)
    refused(Codes.DISK_STATUS_FORBIDS_BACKUP, lambda: associate(console, disk_vault.id, "evs-broken-01"))
    turbo_vault = buy(console, ObjectType.TURBO, 2000)
    refused(Codes.RESOURCE_STATUS_FORBIDS_BACKUP, lambda: associate(console, turbo_vault.id, "sfs-turbo-new"),
            "Creating")
    desktop_vault = buy(console, ObjectType.WORKSPACE, 1000)
    refused(Codes.RESOURCE_STATUS_FORBIDS_BACKUP, lambda: associate(console, desktop_vault.id, "desktop-carol"))


def test_a_server_needs_at_least_one_disk(console: Console) -> None:
    vault = buy(console)
    refused(Codes.SERVER_WITHOUT_DISKS, lambda: associate(console, vault.id, "ecs-spare-01"), "no disks")


def test_a_vault_holds_at_most_256_resources(console: Console) -> None:
    vault = buy(console, ObjectType.DISK, size_gb=10_000)
    for index in range(255):
        console.resources.create_disk(f"bulk-{index:03d}", 10)
    names = [f"bulk-{i:03d}" for i in range(255)]
    associate(console, vault.id, "evs-data-01", *names)
    assert len(console.vaults.show(vault.id).resources) == 256
    refused(Codes.VAULT_RESOURCES_OVER_LIMIT, lambda: associate(console, vault.id, "evs-secure-01"),
            "at most 256")


def test_associated_size_never_exceeds_capacity(console: Console) -> None:
    vault = buy(console, size_gb=150)
    associate(console, vault.id, "ecs-web-01")
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: associate(console, vault.id, "ecs-batch-01"), "180 GB")


def test_vaults_that_take_no_resources(console: Console) -> None:
    for vault in (buy(console, protect_type=ProtectType.REPLICATION), buy(console, ObjectType.VMWARE, 1024),
                  buy(console, ObjectType.FILE, 1024)):
        refused(Codes.VAULT_CANNOT_ADD_RESOURCES, lambda v=vault: associate(console, v.id, "ecs-web-01"))


def test_az2_of_cn_north_1_takes_no_new_resources_but_keeps_its_own(console: Console) -> None:
    beijing1 = console.in_region("cn-north-1")
    legacy = beijing1.vaults.show("vault-legacy-az2")
    assert [r.name for r in legacy.resources] == ["ecs-legacy-01"]
    refused(Codes.VAULT_CANNOT_ADD_RESOURCES, lambda: associate(beijing1, legacy.id, "ecs-bj1-az2-02"),
            "keep being backed up")
    backups = beijing1.backups.perform("vault-legacy-az2").checkpoint.backups
    assert [b.resource_name for b in backups] == ["ecs-legacy-01"]


def test_dissociation_deletes_the_resources_backups_in_the_vault(console: Console) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"))
    console.backups.perform(vault.id)
    refused(Codes.BACKUP_IN_PROGRESS, lambda: console.associations.dissociate(vault.id, ["ecs-web-01"]))
    finish_backups(console)
    result = console.associations.dissociate(vault.id, ["ecs-web-01"])
    assert len(result.remove_resource_ids) == 1
    shown = console.vaults.show(vault.id)
    assert [r.name for r in shown.resources] == ["ecs-web-02"]
    with console.ctx.store.read() as session:
        left = session.exec(select(Backup).where(Backup.vault_id == vault.id)).all()
    assert {b.resource_name for b in left if b.parent_id is None} == {"ecs-web-02"}
    assert all(b.status == BackupStatus.AVAILABLE for b in left)
    task = console.tasks.list(operation_type="remove_resource").operation_logs[0]
    assert task.extra_info.remove_resources["deleted_backups"] == 1
    refused(Codes.RESOURCE_NOT_IN_VAULT, lambda: console.associations.dissociate(vault.id, ["ecs-web-01"]))


def test_backup_clients_are_configured_with_file_vaults(console: Console) -> None:
    file_vault = buy(console, ObjectType.FILE, 1024)
    assert console.associations.configure_client("host-files-01", file_vault.id).vault_id == file_vault.id
    assert console.vaults.show(file_vault.id).resources[0].name == "host-files-01"
    refused(Codes.RESOURCE_STATUS_FORBIDS_BACKUP,
            lambda: console.associations.configure_client("host-files-02", file_vault.id), "Offline")
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: console.associations.configure_client("host-files-01",
                                                                                        buy(console).id))


def test_protectable_list_explains_ineligible_resources(console: Console) -> None:
    vault = buy(console, size_gb=1000, resources=("ecs-web-01",), name="vault-web")
    listed = {i.name: i.protectable for i in console.protectables.list("server", vault=vault.id).instances}
    assert listed["ecs-web-02"].model_dump() == {"result": True, "code": None, "reason": None, "vault": None}
    assert listed["ecs-web-01"].code == Codes.RESOURCE_IN_OTHER_VAULT.code
    assert listed["ecs-web-01"].vault is not None and listed["ecs-web-01"].vault.name == "vault-web"
    assert listed["ecs-test-01"].code == Codes.SERVER_STATUS_FORBIDS_BACKUP.code
    assert listed["ecs-spare-01"].code == Codes.SERVER_WITHOUT_DISKS.code
    disks = {i.name for i in console.protectables.list("disk").instances}
    assert "evs-data-01" in disks and not any(n.startswith("desktop-") for n in disks)


def test_concurrent_associations_of_one_resource_let_exactly_one_win(console: Console) -> None:
    import threading

    from cbr_tui.domain.errors import CbrError

    vaults = [buy(console, name=f"vault-{i}").id for i in range(4)]
    outcomes: list[str] = []
    start = threading.Barrier(len(vaults))

    def attempt(vault_id: str) -> None:
        start.wait()
        try:
            associate(console, vault_id, "ecs-web-01")
            outcomes.append("ok")
        except CbrError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=attempt, args=(v,)) for v in vaults]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == sorted(["ok"] + [Codes.RESOURCE_IN_OTHER_VAULT.code] * 3)

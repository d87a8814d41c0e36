"""Hybrid cloud backups: the data center's LUN and VM are backed up locally, synchronised into a hybrid
cloud backup vault, the data center's copy is lost, and both come back byte for byte (one as a new cloud
disk); and the rules of synchronisation."""

from pathlib import Path

import pytest
from sqlmodel import col, select

from cbr_tui.domain.enums import ObjectType, PolicyOperationType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.policy_rules import day_based_patterns
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.store.models import Chunk, Vault
from tests.data import disk_digest
from tests.services.helpers import buy, refused, set_vault


def on_premises_digests(console: Console, name: str) -> list[str]:
    shown = console.hybrid.show(name)
    ids = [v.id for v in shown.volumes] if shown.volumes is not None else [shown.id]
    disks = console.ctx.layout.home / "cloud" / "on-premises" / "disks"
    return [disk_digest(disks / f"{disk}.img") for disk in ids]


def cloud_digest(console: Console, disk_id: str) -> str:
    return disk_digest(console.ctx.layout.home / "cloud" / console.region_id / "disks" / f"{disk_id}.img")


@pytest.fixture
def synced(sqlite_console: Console) -> tuple[Console, dict, dict[str, list[str]]]:
    """A LUN and a VM backed up in the data center and synchronised into a hybrid vault."""
    console = sqlite_console
    site = console.hybrid.site().site
    assert [(s.name, s.type) for s in site.systems] == [("oceanstor-01", "storage"), ("vcenter-01", "vmware")]
    before = {name: on_premises_digests(console, name) for name in ("lun-finance-01", "vm-erp-01")}
    for name in before:
        console.hybrid.back_up(name, name=f"{name}-local")
    console.run_tasks()
    vault = buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid")
    result = console.hybrid.sync(vault.id).sync
    assert result.sync_backup_num == 2
    console.run_tasks()
    console.tasks.require_success(set(result.operation_log_ids))
    return console, vault, before


def test_synchronised_backups_restore_to_the_data_center_and_deploy_on_the_cloud(synced) -> None:  # type: ignore[no-untyped-def]
    console, vault, before = synced
    backups = {b.resource_name: b for b in console.backups.list(vault=vault.id).backups}
    assert set(backups) == {"lun-finance-01", "vm-erp-01"}
    assert all(b.status == "available" and b.provider_id == "a13639de-00be-4e94-af30-26912d75e4a2"
               for b in backups.values())
    for name in before:  # the data center's copy is lost
        console.hybrid.damage(name, seed="lost")
        assert on_premises_digests(console, name) != before[name]

    console.restores.restore_on_premises(backups["vm-erp-01"].id)  # the VM, back in the data center
    console.restores.restore_on_premises(backups["lun-finance-01"].id)  # the LUN, in place too
    console.run_tasks()
    new_disk = console.restores.create_disk(backups["lun-finance-01"].id, "evs-from-lun")  # and on the cloud
    console.run_tasks()
    assert on_premises_digests(console, "vm-erp-01") == before["vm-erp-01"]
    assert on_premises_digests(console, "lun-finance-01") == before["lun-finance-01"]
    restored = console.resources.show("evs-from-lun")
    assert restored.status == "available" and new_disk.operation_log.status == "waiting"
    assert cloud_digest(console, restored.id) == before["lun-finance-01"][0]
    assert console.hybrid.show("vm-erp-01").status == "ACTIVE"


def test_a_new_server_is_deployed_from_a_synchronised_vm_backup(synced) -> None:  # type: ignore[no-untyped-def]
    console, vault, before = synced
    [vm_backup] = [b for b in console.backups.list(vault=vault.id).backups if b.resource_name == "vm-erp-01"]
    image = console.restores.create_image(vm_backup.id, "image-erp").image
    console.restores.create_server_from_image(image.id, "ecs-erp-cloud")
    console.run_tasks()
    server = console.resources.show("ecs-erp-cloud")
    assert server.status == "ACTIVE"
    assert [cloud_digest(console, v.id) for v in server.volumes] == before["vm-erp-01"]


def test_a_second_sync_copies_only_what_the_vault_lacks(synced) -> None:  # type: ignore[no-untyped-def]
    console, vault, _before = synced
    with console.ctx.store.read() as session:
        chunks_before = len(session.exec(select(Chunk).where(Chunk.vault_id == vault.id)).all())
    console.hybrid.write_data("lun-finance-01", 4, seed="four more megabytes")
    console.hybrid.back_up("lun-finance-01", name="lun-second")
    console.run_tasks()
    result = console.hybrid.sync(vault.id).sync
    assert result.sync_backup_num == 1  # the others are there already
    console.run_tasks()
    [task] = [t for t in console.tasks.list(operation_type="sync").operation_logs
              if t.id in result.operation_log_ids]
    assert task.status == "success"
    with console.ctx.store.read() as session:
        chunks_after = len(session.exec(select(Chunk).where(Chunk.vault_id == vault.id)).all())
    assert 0 < chunks_after - chunks_before <= 5  # the four changed megabytes, not the LUN again
    refused(Codes.NO_RESOURCE_TO_BACK_UP, lambda: console.hybrid.sync(vault.id), "already in vault-hybrid")


def test_the_rules_of_synchronisation(sqlite_console: Console, tmp_path: Path) -> None:
    console = sqlite_console
    console.hybrid.back_up("lun-archive-01", name="archive")
    console.run_tasks()
    server_vault = buy(console, size_gb=100, name="vault-servers")
    refused(Codes.VAULT_CANNOT_SYNC, lambda: console.hybrid.sync(server_vault.id), "not a hybrid cloud backup")
    replication = buy(console, ObjectType.VMWARE, size_gb=1024, protect_type=ProtectType.REPLICATION,
                      name="vault-hybrid-dr")
    refused(Codes.VAULT_CANNOT_SYNC, lambda: console.hybrid.sync(replication.id))
    vault = buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid")
    refused(Codes.INVALID_PARAMETER, lambda: console.hybrid.sync(vault.id, ["x"] * 51), "1 to 50")
    refused(Codes.BACKUP_NOT_FOUND, lambda: console.hybrid.sync(vault.id, ["no-such-backup"]))
    set_vault(console, vault.id, status="frozen")
    refused(Codes.VAULT_STATUS_FORBIDS_BACKUP, lambda: console.hybrid.sync(vault.id), "Frozen")
    set_vault(console, vault.id, status="available")
    [local] = console.hybrid.local_backups("lun-archive-01").backups
    console.hybrid.sync(vault.id, [local.id])
    refused(Codes.SYNC_IN_PROGRESS, lambda: console.hybrid.sync(vault.id), "being synchronised")
    refused(Codes.VAULT_TYPE_FORBIDS_BACKUP, lambda: console.backups.perform(vault.id), "synchronized")
    refused(Codes.RESOURCE_NOT_FOUND, lambda: console.hybrid.back_up("ecs-web-01"))  # a cloud server
    # one sync for a backup named twice
    console.hybrid.back_up("lun-finance-01", name="twice")
    console.run_tasks()
    [twice] = console.hybrid.local_backups("lun-finance-01").backups
    other = buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid-2")
    assert console.hybrid.sync(other.id, [twice.id, twice.id]).sync.sync_backup_num == 1
    # the data center is no region of the cloud
    assert "on-premises" not in [r.id for r in console.accounts.regions().regions]
    refused(Codes.INVALID_PARAMETER, lambda: console.in_region("on-premises"))
    refused(Codes.INVALID_PARAMETER, lambda: console.policies.create(PolicySpec(
        pattern=day_based_patterns(1, ["22:00"]), name="to-the-data-center",
        operation_type=PolicyOperationType.REPLICATION, destination_region="on-premises")), "no region")
    backup = buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-web")
    [web] = console.backups.perform(backup.id).checkpoint.backups
    console.run_tasks()
    refused(Codes.INVALID_PARAMETER, lambda: console.replication.replicate(
        web.id, destination_region="on-premises", destination_vault="oceanstor-01-backup"), "no region")
    assert all(r.name not in ("lun-finance-01", "vm-erp-01") for r in console.resources.list().resources)


def test_two_processes_building_the_data_center_at_once_build_it_once(sqlite_console: Console) -> None:
    import threading

    errors: list[BaseException] = []

    def build() -> None:
        try:
            sqlite_console.hybrid.site()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with sqlite_console.ctx.store.read() as session:
        names = [v.name for v in session.exec(select(Vault).where(col(Vault.name).like("%-backup"))).all()]
    assert sorted(names) == ["oceanstor-01-backup", "vcenter-01-backup"]

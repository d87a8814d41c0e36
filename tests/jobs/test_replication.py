"""Replicating a server backup to another region: the chunks really copied and verified, the replica
restorable as a disk there, and each rule of the reference with its error."""

from sqlmodel import select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.domain.enums import ObjectType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.services.views import Replication
from cbr_tui.store.models import Chunk
from tests.data import disk_digest, disk_path, disks_of
from tests.jobs.helpers import back_up, damage_one_chunk, run
from tests.services.helpers import buy, refused, set_vault

DESTINATION = "cn-east-3"


def replication_vault(console: Console, size_gb: int = 500) -> dict:
    there = console.in_region(DESTINATION)
    return buy(there, size_gb=size_gb, protect_type=ProtectType.REPLICATION, name="vault-dr")


def replicate(console: Console, backup_id: str, **options: str) -> Replication:
    return console.replication.replicate(backup_id, destination_region=DESTINATION, destination_vault="vault-dr",
                                         **options).replication


def test_a_replica_holds_the_same_bytes_in_the_other_region(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="web")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    replication_vault(console)
    queued = replicate(console, backup.id, name="web-copy")
    task = run(console, queued.replication_record_id)
    assert task.status == "success", task
    there = console.in_region(DESTINATION)
    replica = there.backups.show(queued.destination_backup_id)
    assert replica.status == "available" and replica.image_type == "replication"
    assert sorted(c.resource_name for c in replica.children) == sorted(
        c.resource_name for c in backup.children)
    vault = there.vaults.show("vault-dr")
    assert vault.billing.used > 0
    with console.ctx.store.read() as session:
        copied = {c.hash for c in session.exec(select(Chunk).where(Chunk.vault_id == vault.id))}
        source = {c.hash for c in session.exec(select(Chunk).where(Chunk.vault_id == backup.vault_id))}
    assert copied == source and copied
    assert there.maintenance.audit("vault-dr").audit.clean
    assert there.maintenance.verify("vault-dr", read_share=1.0).verify.damaged_backups == []
    # a disk made there from the replica holds the very bytes of the source server's data disk
    data_disk = next(c for c in replica.children if not c.extend_info.bootable)
    made = there.restores.create_disk(data_disk.id, "evs-from-replica")
    assert run(there, made).status == "success"
    source_disk = disk_path(console, data_disk.resource_id)
    assert DiskImage(source_disk).allocated_bytes > 0
    assert disk_digest(disk_path(there, "evs-from-replica"), with_size=False) == disk_digest(source_disk,
                                                                                             with_size=False)


def test_replication_rules(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disk")
    disk_backup = back_up(console, "vault-disk")[0]
    refused(Codes.DESTINATION_VAULT_NOT_FOUND, lambda: replicate(console, backup.id))
    buy(console.in_region(DESTINATION), size_gb=300, name="vault-dr")  # a backup vault, not a replication one
    refused(Codes.DESTINATION_NOT_REPLICATION, lambda: replicate(console, backup.id))
    console.in_region(DESTINATION).vaults.delete("vault-dr")
    replication_vault(console)
    refused(Codes.REPLICATION_SOURCE_NOT_ECS, lambda: replicate(console, disk_backup.id))
    refused(Codes.INVALID_PARAMETER, lambda: console.replication.replicate(
        backup.id, destination_region=console.region_id, destination_vault="vault-dr"), "must differ")
    queued = replicate(console, backup.id)
    refused(Codes.ALREADY_REPLICATED, lambda: replicate(console, backup.id))
    run(console, queued.replication_record_id)
    refused(Codes.ALREADY_REPLICATED, lambda: replicate(console, backup.id))
    there = console.in_region(DESTINATION)
    refused(Codes.REPLICATION_TYPE_NOT_ALLOWED, lambda: there.replication.replicate(
        queued.destination_backup_id, destination_region="cn-north-4", destination_vault="vault-web"))
    there.backups.delete(queued.destination_backup_id)
    assert replicate(console, backup.id).destination_backup_id  # again, once the replica is gone


def test_a_full_destination_fails_the_replica_and_keeps_the_source(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="web")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    vault = replication_vault(console, size_gb=10)
    set_vault(console, vault.id, used_bytes=10 << 30)
    queued = replicate(console, backup.id)
    task = run(console, queued.replication_record_id)
    assert task.status == "failed" and task.error_info.code == Codes.VAULT_FULL.code
    replica = console.in_region(DESTINATION).backups.show(queued.destination_backup_id)
    assert replica.status == "error"
    assert console.backups.show(backup.id).status == "available"


def test_a_damaged_source_chunk_is_not_copied(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="web")
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    replication_vault(console)
    damage_one_chunk(console, vault.id)
    queued = replicate(console, backup.id)
    task = run(console, queued.replication_record_id)
    assert task.status == "failed" and "damaged" in task.error_info.message


def test_a_cancelled_replication_leaves_an_error_replica_and_may_be_retried(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    replication_vault(console)
    queued = replicate(console, backup.id)
    console.tasks.cancel(queued.replication_record_id)
    replica = console.in_region(DESTINATION).backups.show(queued.destination_backup_id)
    assert replica.status == "error"
    assert console.resources.show("ecs-web-01").status == "ACTIVE"
    again = replicate(console, backup.id)
    assert run(console, again.replication_record_id).status == "success"


def test_a_replica_makes_a_server_in_its_region_through_an_image(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="web")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    replication_vault(console)
    queued = replicate(console, backup.id)
    run(console, queued.replication_record_id)
    there = console.in_region(DESTINATION)
    image = there.restores.create_image(queued.destination_backup_id, "img-web").image
    made = there.restores.create_server_from_image(image.id, "ecs-web-dr")
    assert run(there, made).status == "success"
    source = sorted(disk_digest(disk_path(console, d), with_size=False) for d in disks_of(console, "ecs-web-01"))
    copy = sorted(disk_digest(disk_path(there, d), with_size=False) for d in disks_of(there, "ecs-web-dr"))
    assert source == copy

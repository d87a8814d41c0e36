"""Migrating resources to another vault: their backups and data really move (the destination restores them
byte for byte, the source's capacity is freed once `gc` runs), and each rule of the reference refuses with
its code, leaving both vaults as they were."""

from datetime import timedelta
from pathlib import Path

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import BackupStatus, ObjectType, VaultStatus
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from tests.data import disk_digest, disk_path, disks_of, tree_digest
from tests.jobs.helpers import back_up, damage_one_chunk, laptop_with_documents, run
from tests.services.helpers import buy, finish_backups, refused, set_vault


def test_a_server_moves_with_its_backups_and_they_restore_from_the_new_vault(console: Console,
                                                                             clock: FixedClock) -> None:
    console.resources.write_data("ecs-web-01", 6, seed="web")
    source = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    first = back_up(console, "vault-old")[0]
    console.resources.write_data("ecs-web-01", 2, seed="more", scattered=True)
    second = back_up(console, "vault-old")[0]
    expected = [disk_digest(disk_path(console, disk), with_size=False) for disk in disks_of(console, "ecs-web-01")]
    destination = buy(console, size_gb=300, name="vault-new")

    moved = console.migration.migrate("vault-old", "vault-new", ["ecs-web-01"])

    assert moved.migrated_resources == [console.resources.show("ecs-web-01").id]
    assert console.vaults.show("vault-old").resources == []
    assert [r.name for r in console.vaults.show("vault-new").resources] == ["ecs-web-01"]
    backups = console.backups.list(vault=destination.id).backups
    assert sorted(b.id for b in backups) == sorted([first.id, second.id])
    assert console.backups.list(vault=source.id).backups == []
    new = console.vaults.show("vault-new")
    assert new.billing.used > 0
    for name in ("vault-old", "vault-new"):
        assert console.maintenance.audit(name).audit.clean
    assert console.maintenance.verify("vault-new", read_share=1).verify.clean
    # the source keeps nothing a backup uses; what the data took is freed, and gc removes it
    assert console.vaults.show("vault-old").billing.used == 0
    clock.advance(timedelta(minutes=1))
    assert console.maintenance.collect_garbage("vault-old", grace_minutes=0, wait=True).gc.deleted_bytes > 0
    # the latest backup restores the server's disks byte for byte from the new vault
    console.resources.damage_data("ecs-web-01", seed="oops")
    console.resources.stop_server("ecs-web-01")
    assert run(console, console.restores.restore_server(second.id)).status == "success"
    assert [disk_digest(disk_path(console, d), with_size=False) for d in disks_of(console, "ecs-web-01")] == expected
    # and the next backup goes into the new vault, building on the moved ones
    third = back_up(console, "vault-new")[0]
    assert third.status == BackupStatus.AVAILABLE and third.vault_id == destination.id


def test_file_backups_move_in_their_packs(console: Console, tmp_path: Path) -> None:
    documents = laptop_with_documents(console, tmp_path)
    backup = back_up(console, "vault-files", resources=["laptop-01"])[0]
    buy(console, ObjectType.FILE, size_gb=1024, name="vault-files-2")
    console.migration.migrate("vault-files", "vault-files-2", ["laptop-01"])
    assert console.maintenance.verify("vault-files-2", read_share=1).verify.clean
    target = tmp_path / "restored"
    assert run(console, console.restores.restore_files(backup.id, str(target))).status == "success"
    assert tree_digest(target / documents.relative_to("/")) == tree_digest(documents)


def test_migration_rules(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    back_up(console, "vault-old")
    buy(console, size_gb=100, name="vault-small")
    buy(console, ObjectType.DISK, size_gb=300, name="vault-disks")
    buy(console, size_gb=300, name="vault-new")
    migrate = console.migration.migrate
    refused(Codes.INVALID_PARAMETER, lambda: migrate("vault-old", "vault-new", []))
    refused(Codes.INVALID_PARAMETER, lambda: migrate("vault-old", "vault-old", ["ecs-web-01"]), "already")
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: migrate("vault-old", "vault-disks", ["ecs-web-01"]))
    buy(console, size_gb=300, name="vault-db", app_consistent=True)  # a database server vault: another type
    refused(Codes.RESOURCE_TYPE_MISMATCH, lambda: migrate("vault-old", "vault-db", ["ecs-web-01"]))
    assert [v.name for v in console.migration.destinations("vault-old").vaults] == ["vault-new", "vault-small"]
    refused(Codes.RESOURCE_NOT_IN_VAULT, lambda: migrate("vault-old", "vault-new", ["ecs-web-02"]))
    refused(Codes.INVALID_VAULT_CAPACITY, lambda: migrate("vault-old", "vault-small", ["ecs-web-01"]), "expand")
    refused(Codes.VAULT_NOT_FOUND, lambda: migrate("vault-old", "vault-none", ["ecs-web-01"]))
    new = console.vaults.show("vault-new")
    set_vault(console, new.id, status=VaultStatus.FROZEN.value)
    refused(Codes.INVALID_VAULT_STATUS, lambda: migrate("vault-old", "vault-new", ["ecs-web-01"]))
    set_vault(console, new.id, status=VaultStatus.AVAILABLE.value)
    console.backups.perform("vault-old")  # a backup waiting to run
    refused(Codes.BACKUP_IN_PROGRESS, lambda: migrate("vault-old", "vault-new", ["ecs-web-01"]), "Tasks")
    finish_backups(console)
    console.run_tasks()
    set_vault(console, new.id, used_bytes=new.billing.size * (1 << 30))  # no room left for the data
    refused(Codes.VAULT_FULL, lambda: migrate("vault-old", "vault-new", ["ecs-web-01"]), "The migration needs")
    # nothing moved in any of these
    assert [r.name for r in console.vaults.show("vault-old").resources] == ["ecs-web-01"]
    assert console.vaults.show("vault-new").resources == []
    assert console.maintenance.audit("vault-old").audit.clean


def test_damaged_data_refuses_the_migration_and_moves_nothing(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 4, seed="web")
    source = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-old")
    back_up(console, "vault-old")
    buy(console, size_gb=300, name="vault-new")
    damage_one_chunk(console, source.id)
    refused(Codes.INVALID_VAULT_STATUS, lambda: console.migration.migrate("vault-old", "vault-new", ["ecs-web-01"]),
            "damaged")
    assert [r.name for r in console.vaults.show("vault-old").resources] == ["ecs-web-01"]
    assert console.vaults.show("vault-new").billing.used == 0

"""Damaged data in a vault: verify finds it, restore refuses it, the next backup stores good copies."""

import json
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.store.models import Chunk, Task
from tests.data import resource_digest, tree_digest
from tests.jobs.helpers import back_up, damage_one_chunk, laptop_with_documents, run
from tests.services.helpers import buy, refused


def test_verify_finds_damage_restore_refuses_and_the_next_backup_repairs(sqlite_console: Console) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 6, seed="precious", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    good = resource_digest(console, "evs-data-01")
    damage_one_chunk(console, vault.id)

    structure = console.maintenance.verify("vault-disks").verify
    assert structure.clean  # the object is there; only reading it shows the damage
    found = console.maintenance.verify("vault-disks", read_share=1).verify
    assert not found.clean and len(found.damaged_blobs) == 1
    assert found.damaged_backups == [backup.id]
    assert console.backups.show(backup.id).extend_info.damaged is True

    console.resources.damage_data("evs-data-01", seed="new damage")
    current = resource_digest(console, "evs-data-01")
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_disk(backup.id), "damaged")
    assert resource_digest(console, "evs-data-01") == current  # nothing was written

    console.resources.write_data("evs-data-01", 1, seed="fix")  # back to a state to protect
    repaired = back_up(console, "vault-disks")[0]
    assert not repaired.incremental or repaired.stats.read_bytes >= 6 << 20  # read everything again
    assert console.maintenance.verify("vault-disks", read_share=1).verify.clean
    assert good != current


def test_a_restore_that_meets_damage_fails_without_writing(sqlite_console: Console) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 4, seed="x", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    damage_one_chunk(console, vault.id)  # not verified yet: the restore itself finds it
    console.resources.damage_data("evs-data-01", seed="y")
    before = resource_digest(console, "evs-data-01")
    task = run(console, console.restores.restore_disk(backup.id))
    assert task.status == "failed" and "damaged" in task.error_info.message
    assert resource_digest(console, "evs-data-01") == before
    assert console.backups.show(backup.id).extend_info.damaged is True


def test_two_worker_processes_share_the_tasks_without_running_one_twice(sqlite_console: Console) -> None:
    console = sqlite_console
    disks = ("evs-data-01", "evs-data-02", "evs-secure-01", "ecs-spare-01-volume-0000")
    for disk in disks:
        console.resources.write_data(disk, 3, seed=disk)
    buy(console, ObjectType.DISK, size_gb=1000, resources=disks, name="vault-disks")
    console.backups.perform("vault-disks")
    env = {"CBR_TUI_HOME": str(console.ctx.layout.home), "CBR_TUI_DEMO_SCALE": "0",
           "CBR_TUI_BANDWIDTH_MBPS": "6", "PATH": "/usr/bin:/bin"}
    workers = [subprocess.Popen([sys.executable, "-m", "cbr_tui", "worker", "--until-idle", "--workers", "1"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    ran = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
        ran.append(json.loads(out)["tasks_run"])
    assert sum(ran) == 4 and min(ran) >= 1  # both took part
    with console.ctx.store.read() as session:
        tasks = session.exec(select(Task).where(Task.operation_type == "backup")).all()
    assert len(tasks) == 4
    assert all(t.status == "success" and t.attempts == 1 for t in tasks)
    assert {t.lease_owner for t in tasks} == {None}



def test_an_unreadable_manifest_stops_the_fix_so_gc_loses_nothing(sqlite_console: Console) -> None:
    """The reported loss: `audit --fix` applied while a manifest was unreadable, then gc deleted the chunks
    that manifest (repaired later) needed. Now the fix is refused, gc keeps them, and after the repair the
    backup restores byte for byte."""
    console = sqlite_console
    console.resources.write_data("evs-data-01", 4, seed="needed", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    expected = resource_digest(console, "evs-data-01")
    objects = console.ctx.placement.local_store(vault.id)
    manifest = next(path for path in (objects.root / "manifests").rglob("*") if path.is_file())
    good = manifest.read_bytes()
    manifest.write_bytes(good[: len(good) // 2])  # a torn write: the manifest cannot be read

    assert not console.maintenance.audit("vault-disks").audit.clean
    refused(Codes.VAULT_CANNOT_UPDATE, lambda: console.maintenance.audit("vault-disks", fix=True), "cannot be read")
    collected = console.maintenance.collect_garbage("vault-disks", grace_minutes=0, wait=True).gc
    assert collected.deleted_objects == 0, collected

    manifest.write_bytes(good)  # repaired (a copy was found)
    assert console.maintenance.audit("vault-disks").audit.clean
    assert console.maintenance.verify("vault-disks", read_share=1).verify.clean
    console.resources.damage_data("evs-data-01", seed="lost")
    assert run(console, console.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(console, "evs-data-01") == expected


def test_a_repaired_backup_can_be_restored_again(sqlite_console: Console) -> None:
    """The reported dead end: a backup marked damaged stayed refused (2005) after the damage was repaired
    and verify was clean. A verify that reads everything now lifts the mark."""
    console = sqlite_console
    console.resources.write_data("evs-data-01", 4, seed="kept", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    expected = resource_digest(console, "evs-data-01")
    with console.ctx.store.read() as session:
        key = session.exec(select(Chunk.object_key).where(Chunk.vault_id == vault.id)).first()
    assert key is not None
    stored = console.ctx.placement.local_store(vault.id).root / key
    good = stored.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    stored.write_bytes(bytes(damaged))
    assert not console.maintenance.verify("vault-disks", read_share=1).verify.clean
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_disk(backup.id), "damaged")

    stored.write_bytes(good)  # the object is put back
    assert console.maintenance.verify("vault-disks", read_share=0.1).verify.clean
    assert console.backups.show(backup.id).extend_info.damaged is True  # too little read
    assert console.maintenance.verify("vault-disks", read_share=1).verify.clean
    assert console.backups.show(backup.id).extend_info.damaged is False
    console.resources.damage_data("evs-data-01", seed="lost")
    assert run(console, console.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(console, "evs-data-01") == expected


def test_a_flipped_byte_in_a_pack_is_found_repaired_by_the_next_backup_and_nothing_is_lost(
        sqlite_console: Console, tmp_path: Path) -> None:
    console = sqlite_console
    documents = laptop_with_documents(console, tmp_path)
    first = console.backups.perform_for_client("laptop-01").checkpoint.backups[0]
    console.run_tasks()
    expected = tree_digest(documents)
    vault = console.vaults.show("vault-files")
    [pack] = (console.ctx.placement.local_store(vault.id).root / "packs").iterdir()
    data = bytearray(pack.read_bytes())
    data[len(data) // 3] ^= 0x01  # inside a blob, not the pack's index at its end
    pack.write_bytes(bytes(data))

    found = console.maintenance.verify("vault-files", read_share=1).verify
    assert not found.clean and found.damaged_blobs and found.damaged_backups == [first.id]
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_files(first.id, str(tmp_path / "x")))
    assert console.maintenance.audit("vault-files", fix=True).audit.clean  # counts were right: no change
    console.maintenance.collect_garbage("vault-files", grace_minutes=0)
    assert pack.exists()  # still referenced: gc keeps it

    console.backups.perform_for_client("laptop-01")  # reads everything again: the damaged backup is no base
    console.run_tasks()
    assert console.maintenance.verify("vault-files", read_share=1).verify.clean
    assert console.backups.show(first.id).extend_info.damaged is False
    target = tmp_path / "restored"
    assert run(console, console.restores.restore_files(first.id, str(target))).status == "success"
    assert tree_digest(target / documents.relative_to("/")) == expected

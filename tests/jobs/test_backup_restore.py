"""Backups copy real bytes and every kind of restore gives them back exactly."""

from pathlib import Path

import pytest
from sqlmodel import select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console
from cbr_tui.store.models import Vault
from tests.data import disk_path, resource_digest, tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents, run
from tests.services.helpers import buy


@pytest.fixture
def console(sqlite_console: Console) -> Console:
    return sqlite_console


def test_a_server_backup_copies_each_disk_and_restores_the_server(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="os")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    assert backup.status == "available" and backup.stats.read_bytes >= 8 << 20
    assert all(c.status == "available" for c in backup.children)
    vault = console.vaults.show("vault-web")
    assert vault.billing.used >= 1 and vault.resources[0].protect_status == "available"
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    assert task.status == "success" and task.extra_info.common.progress == 100
    good = resource_digest(console, "ecs-web-01")
    console.resources.damage_data("ecs-web-01", seed="oops")
    assert resource_digest(console, "ecs-web-01") != good
    restored = run(console, console.restores.restore_server(backup.id))
    assert restored.status == "success"
    assert resource_digest(console, "ecs-web-01") == good
    assert console.resources.show("ecs-web-01").status == "ACTIVE"
    assert console.backups.show(backup.id).status == "available"


def test_restore_server_can_leave_it_stopped(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    run(console, console.restores.restore_server(backup.id, power_on=False))
    assert console.resources.show("ecs-web-01").status == "SHUTOFF"


def test_incremental_backups_read_only_what_changed(console: Console) -> None:
    console.resources.write_data("evs-data-01", 16, seed="base")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    first = back_up(console, "vault-disks")[0]
    console.resources.write_data("evs-data-01", 2, seed="more", pattern="random")
    second = back_up(console, "vault-disks")[0]
    assert not first.incremental and second.incremental
    assert first.stats.read_bytes >= 16 << 20
    assert second.stats.read_bytes <= 4 << 20
    full = back_up(console, "vault-disks", full=True)[0]
    assert full.stats.read_bytes >= 16 << 20 and full.stats.new_bytes == 0
    reasons = [(b.incremental, b.stats.read_reason) for b in (first, second, full)]
    assert reasons == [(False, "no earlier backup to build on"), (True, ""), (False, "full backup requested")]


def test_a_backup_records_what_the_engine_did_not_what_was_asked(console: Console) -> None:
    """A server backup is incremental when each of its disks was; when the change tracking of one disk
    cannot be trusted (a restore rewrote it), that disk is read whole and the backup says why."""
    buy(console, resources=("ecs-web-01",), name="vault-web", size_gb=300)
    first = back_up(console, "vault-web")[0]
    assert not first.incremental
    assert first.stats.read_reason == ("ecs-web-01-volume-0000: no earlier backup to build on; "
                                             "ecs-web-01-volume-0001: no earlier backup to build on")
    second = back_up(console, "vault-web")[0]
    assert second.incremental and all(child.incremental for child in second.children)
    assert second.stats.read_reason == ""
    run(console, console.restores.restore_server(second.id))
    third = back_up(console, "vault-web")[0]
    assert not third.incremental, "a restored disk has no change tracking to trust"
    assert third.stats.read_reason == ("ecs-web-01-volume-0000: change tracking cannot be trusted; "
                                             "ecs-web-01-volume-0001: change tracking cannot be trusted")
    tasks = console.tasks.list(operation_type="backup").operation_logs
    ended = {t.extra_info.backup.backup_id: t.extra_info.backup for t in tasks if t.extra_info.backup}
    assert ended[second.id].incremental is True and ended[third.id].incremental is False


def test_restore_disk_needs_it_detached_and_gives_back_each_backup(console: Console) -> None:
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    digests, backups = [], []
    for seed in ("one", "two", "three"):
        console.resources.write_data("evs-data-01", 3, seed=seed)
        digests.append(resource_digest(console, "evs-data-01"))
        backups.append(back_up(console, "vault-disks")[0])
    for backup, expected in zip(backups, digests, strict=True):
        assert run(console, console.restores.restore_disk(backup.id)).status == "success"
        assert resource_digest(console, "evs-data-01") == expected


def test_create_a_disk_from_a_backup(console: Console) -> None:
    console.resources.write_data("evs-secure-01", 4, seed="s")
    buy(console, ObjectType.DISK, resources=("evs-secure-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    task = run(console, console.restores.create_disk(backup.id, "evs-copy", size_gb=30))
    assert task.status == "success"
    copy = console.resources.show("evs-copy")
    assert copy.status == "available" and copy.size == 30
    assert resource_digest(console, "evs-copy", with_size=False) == resource_digest(console, "evs-secure-01",
                                                                                    with_size=False)


def test_an_image_and_a_new_server_from_it(console: Console) -> None:
    console.resources.write_data("ecs-db-01", 6, seed="db")
    buy(console, size_gb=1000, resources=("ecs-db-01",), name="vault-db")
    backup = back_up(console, "vault-db")[0]
    image = console.restores.create_image(backup.id, "img-db").image
    task = run(console, console.restores.create_server_from_image(image.id, "ecs-db-clone"))
    assert task.status == "success"
    clone = console.resources.show("ecs-db-clone")
    assert clone.status == "ACTIVE" and [v.size for v in clone.volumes] == [40, 200, 200]
    assert resource_digest(console, "ecs-db-clone") == resource_digest(console, "ecs-db-01")


def test_desktops_are_backed_up_disk_by_disk(console: Console) -> None:
    console.resources.write_data("desktop-alice", 4, seed="alice")
    buy(console, ObjectType.WORKSPACE, size_gb=500, resources=("desktop-alice",), name="vault-desktops")
    backup = back_up(console, "vault-desktops")[0]
    assert backup.status == "available" and len(backup.children) == 2
    assert backup.stats.read_bytes >= 4 << 20
    good = resource_digest(console, "desktop-alice")
    console.resources.damage_data("desktop-alice", seed="oops")
    assert resource_digest(console, "desktop-alice") != good
    restored = run(console, console.restores.restore_desktop(backup.id))
    assert restored.status == "success"
    assert resource_digest(console, "desktop-alice") == good
    assert console.resources.show("desktop-alice").status == "in-use"
    assert console.backups.show(backup.id).status == "available"


def test_an_sfs_turbo_backup_makes_a_new_file_system(console: Console) -> None:
    console.resources.write_data("sfs-turbo-share", 3, seed="files")
    buy(console, ObjectType.TURBO, size_gb=1000, resources=("sfs-turbo-share",), name="vault-turbo")
    backup = back_up(console, "vault-turbo")[0]
    assert backup.status == "available"
    task = run(console, console.restores.create_file_system(backup.id, "sfs-restored"))
    assert task.status == "success"
    home = console.ctx.layout.home
    original = home / console.resources.show("sfs-turbo-share").path
    copy = console.resources.show("sfs-restored")
    assert copy.status == "available"
    assert tree_digest(home / copy.path) == tree_digest(original)


def test_file_backups_restore_to_the_original_path_or_a_new_one(console: Console, tmp_path: Path) -> None:
    documents = laptop_with_documents(console, tmp_path)
    backup = back_up(console, "vault-files")[0]
    assert backup.status == "available" and backup.children[0].resource_name == str(documents)
    good = tree_digest(documents)
    console.resources.damage_data("laptop-01", seed="ransomware")
    assert run(console, console.restores.restore_files(backup.id)).status == "success"
    assert tree_digest(documents) == good
    elsewhere = tmp_path / "restored"
    assert run(console, console.restores.restore_files(backup.id, str(elsewhere))).status == "success"
    assert tree_digest(elsewhere.joinpath(*documents.parts[1:])) == good


def used_bytes(console: Console, vault: str) -> int:
    with console.ctx.store.read() as session:
        return session.exec(select(Vault.used_bytes).where(Vault.name == vault)).one()


def test_deleting_backups_frees_exactly_their_own_data(console: Console) -> None:
    console.resources.write_data("evs-data-01", 8, seed="a", pattern="random")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    first = back_up(console, "vault-disks")[0]
    console.resources.damage_data("evs-data-01", seed="b")  # overwrites some of the first backup's chunks
    second = back_up(console, "vault-disks")[0]
    used_both = used_bytes(console, "vault-disks")
    console.backups.delete(first.id)
    freed = used_both - used_bytes(console, "vault-disks")
    assert 0 < freed < first.stats.new_bytes  # its exclusive chunks, not what it shares
    assert console.maintenance.audit("vault-disks").audit.clean
    before = resource_digest(console, "evs-data-01")
    console.resources.damage_data("evs-data-01")
    run(console, console.restores.restore_disk(second.id))
    assert resource_digest(console, "evs-data-01") == before


def test_a_disk_image_file_keeps_its_holes_after_restore(console: Console) -> None:
    console.resources.write_data("evs-data-02", 6, seed="sparse")
    buy(console, ObjectType.DISK, resources=("evs-data-02",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    path = disk_path(console, "evs-data-02")
    allocated = path.stat().st_blocks * 512
    run(console, console.restores.restore_disk(backup.id))
    assert path.stat().st_size == 100 << 30
    assert path.stat().st_blocks * 512 <= allocated

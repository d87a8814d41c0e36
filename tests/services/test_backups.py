"""Perform Backup and the Backups tab."""

import re
from datetime import timedelta

from sqlmodel import select

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import BackupStatus, ObjectType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.store.models import Backup
from tests.services.helpers import buy, finish_backups, refused, set_vault


def test_backing_up_two_servers_names_them_0001_and_0002(console: Console) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    checkpoint = console.backups.perform("vault-web", name="nightly", description="before the upgrade").checkpoint
    assert checkpoint.status == "protecting"
    backups = checkpoint.backups
    assert [(b.name, b.resource_name) for b in backups] == [("nightly-0001", "ecs-web-01"),
                                                                 ("nightly-0002", "ecs-web-02")]
    for backup in backups:
        assert backup.status == "protecting" and backup.vault_id == vault.id
        assert backup.description == "before the upgrade"
        assert [c.resource_type for c in backup.children] == ["OS::Cinder::Volume"] * 2
        assert [c.extend_info.bootable for c in backup.children] == [True, False]
        assert backup.extend_info.contain_system_disk is True
    tasks = console.tasks.list(operation_type="backup").operation_logs
    assert sorted(t.extra_info.backup.backup_name for t in tasks) == ["nightly-0001", "nightly-0002"]
    assert all(t.status == "waiting" and t.checkpoint_id == checkpoint.id for t in tasks)
    shown = console.vaults.show("vault-web")
    assert {r.protect_status for r in shown.resources} == {"protecting"}


def test_the_default_name_is_manualbk_xxxx(console: Console) -> None:
    buy(console, resources=("ecs-web-01",), name="vault-one")
    backup = console.backups.perform("vault-one").checkpoint.backups[0]
    assert re.fullmatch(r"manualbk_[0-9a-f]{4}", backup.name)


def test_backup_names_and_descriptions_are_checked(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.perform("vault-web", name="bad name"))
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.perform("vault-web", name="b" * 60), "-0001")
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.perform("vault-web", description="<b>"))
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.perform("vault-web", retention_days=0))


def test_full_and_incremental(console: Console) -> None:
    buy(console, resources=("ecs-web-01",), name="vault-one")
    first = console.backups.perform("vault-one").checkpoint.backups[0]
    assert first.incremental is True  # asked for; the engine records a full read (nothing to build on yet)
    finish_backups(console)
    assert console.backups.perform("vault-one").checkpoint.backups[0].incremental is True
    finish_backups(console)
    assert console.backups.perform("vault-one", full=True).checkpoint.backups[0].incremental is False


def test_an_encrypted_disk_gives_an_encrypted_backup(console: Console) -> None:
    buy(console, ObjectType.DISK, resources=("evs-secure-01", "evs-data-01"), name="vault-disks")
    backups = {b.resource_name: b for b in console.backups.perform("vault-disks").checkpoint.backups}
    assert backups["evs-secure-01"].extend_info.encrypted is True
    assert backups["evs-data-01"].extend_info.encrypted is False
    buy(console, resources=("ecs-db-01",), name="vault-db")
    server = console.backups.perform("vault-db").checkpoint.backups[0]
    assert server.extend_info.encrypted is True
    assert [c.extend_info.encrypted for c in server.children] == [False, True, True]


def test_a_disk_attached_later_is_in_the_next_backup_unless_excluded(console: Console) -> None:
    buy(console, size_gb=1000, resources=(ResourceSelection("ecs-db-01", exclude_volumes=("ecs-db-01-volume-0002",)),),
        name="vault-db")
    console.resources.attach_new_disk("ecs-db-01", 50, name="ecs-db-01-extra")
    children = console.backups.perform("vault-db").checkpoint.backups[0].children
    assert [c.resource_name for c in children] == ["ecs-db-01-volume-0000", "ecs-db-01-volume-0001",
                                                      "ecs-db-01-extra"]
    assert console.vaults.show("vault-db").billing.allocated == 290


def test_a_resource_already_being_backed_up_is_skipped(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    console.backups.perform("vault-web", resources=["ecs-web-01"])
    checkpoint = console.backups.perform("vault-web").checkpoint
    assert [b.resource_name for b in checkpoint.backups] == ["ecs-web-02"]
    assert checkpoint.vault.skipped_resources[0].code == Codes.RESOURCES_BEING_BACKED_UP.code
    assert console.tasks.list(status="skipped").count == 1
    refused(Codes.NO_RESOURCE_TO_BACK_UP, lambda: console.backups.perform("vault-web"), "already being backed up")
    refused(Codes.RESOURCES_BEING_BACKED_UP, lambda: console.backups.perform("vault-web", resources=["ecs-web-01"]))


def test_resource_states_that_forbid_backup(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    console.resources.set_status("ecs-web-02", "ERROR")
    refused(Codes.SERVER_STATUS_FORBIDS_BACKUP, lambda: console.backups.perform("vault-web", resources=["ecs-web-02"]))
    checkpoint = console.backups.perform("vault-web").checkpoint
    assert [b.resource_name for b in checkpoint.backups] == ["ecs-web-01"]
    assert checkpoint.vault.skipped_resources[0].code == Codes.SERVER_STATUS_FORBIDS_BACKUP.code
    console.resources.stop_server("ecs-web-01")
    finish_backups(console)
    assert console.backups.perform("vault-web", resources=["ecs-web-01"]).checkpoint.backups


def test_a_server_whose_disks_were_all_detached_has_nothing_to_back_up(console: Console) -> None:
    buy(console, resources=("ecs-batch-01",), name="vault-batch")
    console.resources.detach_disk("ecs-batch-01-volume-0000")
    refused(Codes.SERVER_WITHOUT_DISKS, lambda: console.backups.perform("vault-batch"))


def test_which_vaults_can_back_up(console: Console) -> None:
    empty = buy(console, name="vault-empty")
    refused(Codes.NO_RESOURCE_TO_BACK_UP, lambda: console.backups.perform(empty.id), "associate resources")
    refused(Codes.RESOURCE_NOT_IN_VAULT, lambda: console.backups.perform(empty.id, resources=["ecs-web-01"]))
    replication = buy(console, protect_type=ProtectType.REPLICATION)
    refused(Codes.VAULT_TYPE_FORBIDS_BACKUP, lambda: console.backups.perform(replication.id), "replicas")
    hybrid = buy(console, ObjectType.VMWARE, 1024)
    refused(Codes.VAULT_TYPE_FORBIDS_BACKUP, lambda: console.backups.perform(hybrid.id), "synchronized")


def test_vault_states_that_allow_backup(console: Console) -> None:
    vault = buy(console, resources=("ecs-web-01",), name="vault-one")
    for status in ("frozen", "error", "deleting"):
        set_vault(console, vault.id, status=status)
        refused(Codes.VAULT_STATUS_FORBIDS_BACKUP, lambda: console.backups.perform("vault-one"))
    set_vault(console, vault.id, status="lock")
    assert console.backups.perform("vault-one").checkpoint.backups


def test_a_full_vault_refuses_backups(console: Console) -> None:
    vault = buy(console, size_gb=500, resources=("ecs-web-01",), name="vault-one")
    set_vault(console, vault.id, used_bytes=500 << 30)
    refused(Codes.VAULT_FULL, lambda: console.backups.perform("vault-one"), "expand it")


def test_delete_only_finished_backups(console: Console) -> None:
    buy(console, resources=("ecs-web-01",), name="vault-one")
    backup = console.backups.perform("vault-one").checkpoint.backups[0]
    refused(Codes.BACKUP_CANNOT_DELETE, lambda: console.backups.delete(backup.id), "protecting")
    refused(Codes.BACKUP_CANNOT_DELETE, lambda: console.backups.delete(backup.children[0].id),
            "delete the server backup")
    finish_backups(console, BackupStatus.ERROR)
    assert console.backups.delete(backup.id).backup_id == backup.id
    refused(Codes.BACKUP_NOT_FOUND, lambda: console.backups.show(backup.id))
    with console.ctx.store.read() as session:
        assert session.exec(select(Backup)).all() == []
    assert console.tasks.list(operation_type="delete").operation_logs[0].status == "success"


def test_the_latest_backup_stays_while_the_next_one_runs(console: Console, clock: FixedClock) -> None:
    buy(console, resources=("ecs-web-01",), name="vault-one")
    older = console.backups.perform("vault-one", name="older").checkpoint.backups[0]
    finish_backups(console)
    clock.advance(timedelta(hours=1))
    latest = console.backups.perform("vault-one", name="latest").checkpoint.backups[0]
    finish_backups(console)
    clock.advance(timedelta(hours=1))
    console.backups.perform("vault-one", name="running")
    refused(Codes.BACKUP_IN_USE, lambda: console.backups.delete(latest.id), "next backup is running")
    assert console.backups.delete(older.id).backup_id == older.id


def test_list_and_filter_backups(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01", "ecs-web-02"), name="vault-web")
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    console.backups.perform("vault-web", name="web")
    console.backups.perform("vault-disks", name="disk")
    assert console.backups.list().count == 3
    assert console.backups.list(object_type="disk").backups[0].name == "disk"
    assert console.backups.list(vault="vault-web", sort="name:asc").backups[0].name == "web-0001"
    assert console.backups.list(search="ecs-web-02").backups[0].name == "web-0002"
    assert console.backups.list(status="available").count == 0
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.list(sort="size"))


def test_task_progress_shows_rate_and_time_left() -> None:
    from datetime import UTC, datetime

    from cbr_tui.services.shapes import task_view
    from cbr_tui.store.models import Task

    start = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    task = Task(id="t", project_id="p", operation_type="backup", status="running", progress=25,
                bytes_done=25 << 20, bytes_total=100 << 20, created_at=start, started_at=start,
                updated_at=start + timedelta(seconds=5), extra={})
    common = task_view(task).extra_info.common
    assert common.rate == (25 << 20) // 5 and common.eta_seconds == 15.0


def test_storage_usage_counts_each_resource_s_backups_and_what_they_stored(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 3, seed="usage")
    buy(console, resources=("ecs-web-01",), name="vault-multi-az", multi_az=True, size_gb=300)
    buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    for vault in ("vault-multi-az", "vault-multi-az", "vault-disks"):
        console.backups.perform(vault)
        console.run_tasks()
    usage = {u.resource_name: u for u in console.backups.storage_usage().storage_usage}
    web, disk = usage["ecs-web-01"], usage["evs-data-01"]
    assert (web.backup_count, disk.backup_count) == (2, 1)
    assert web.backup_size >= 1 and web.backup_size_multiaz == web.backup_size
    assert disk.backup_size_multiaz == 0
    only = console.backups.storage_usage(resource_type="OS::Cinder::Volume")
    assert [u.resource_name for u in only.storage_usage] == ["evs-data-01"]
    refused(Codes.INVALID_PARAMETER, lambda: console.backups.storage_usage(resource_type="tape"))

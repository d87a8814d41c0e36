"""The rules of restoring, creating images and disks from backups, each with its error."""

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.services.views import BackupView
from cbr_tui.store.models import Task
from tests.data import resource_digest
from tests.jobs.helpers import back_up, run
from tests.services.helpers import buy, finish_backups, refused, set_vault


@pytest.fixture
def web_backup(console: Console) -> dict:
    buy(console, size_gb=500, resources=("ecs-web-01",), name="vault-web")
    return back_up(console, "vault-web")[0]


@pytest.fixture
def disk_backup(console: Console) -> BackupView:
    buy(console, ObjectType.DISK, size_gb=500, resources=("evs-data-01",), name="vault-disks")
    return back_up(console, "vault-disks")[0]


def test_only_available_backups_in_usable_vaults_restore(console: Console, web_backup: BackupView) -> None:
    console.backups.perform("vault-web")  # a new backup is running: the server is busy
    refused(Codes.RESTORE_RESOURCE_BACKING_UP, lambda: console.restores.restore_server(web_backup.id))
    finish_backups(console)
    set_vault(console, web_backup.vault_id, status="frozen")
    refused(Codes.RESTORE_VAULT_STATUS, lambda: console.restores.restore_server(web_backup.id), "Frozen")
    set_vault(console, web_backup.vault_id, status="available")
    console.restores.restore_server(web_backup.id)
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_server(web_backup.id), "restoring")


def test_restore_server_rules(console: Console, web_backup: BackupView) -> None:
    console.resources.set_status("ecs-web-01", "ERROR")
    refused(Codes.RESTORE_SERVER_STATUS, lambda: console.restores.restore_server(web_backup.id), "Error")
    console.resources.set_status("ecs-web-01", "SHUTOFF")
    system, data = (c.id for c in web_backup.children)
    refused(Codes.RESTORE_DATA_TO_SYSTEM_DISK, lambda: console.restores.restore_server(
        web_backup.id, mappings={data: "ecs-web-01-volume-0000", system: "ecs-web-01-volume-0001"}))
    refused(Codes.RESTORE_OTHER_SERVER, lambda: console.restores.restore_server(
        web_backup.id, mappings={data: "ecs-web-02-volume-0001"}))
    console.resources.detach_disk("ecs-web-01-volume-0001")
    refused(Codes.RESTORE_SOME_DISKS, lambda: console.restores.restore_server(web_backup.id), "choose a target")
    console.resources.attach_new_disk("ecs-web-01", 20, name="small")
    refused(Codes.RESTORE_DISK_TOO_SMALL, lambda: console.restores.restore_server(
        web_backup.id, mappings={data: "small"}), "smaller")
    console.resources.attach_new_disk("ecs-web-01", 200, name="bigger")
    task = run(console, console.restores.restore_server(web_backup.id, mappings={data: "bigger"}))
    assert task.status == "success"


def test_a_deleted_server_is_not_restored_in_place(console: Console, web_backup: BackupView) -> None:
    console.resources.delete("ecs-web-01")
    refused(Codes.RESTORE_SERVER_TERMINATED, lambda: console.restores.restore_server(web_backup.id), "image")


def test_restore_disk_rules(console: Console, disk_backup: BackupView) -> None:
    console.resources.attach_disk("ecs-web-01", "evs-data-01")
    refused(Codes.RESTORE_DISK_STATUS, lambda: console.restores.restore_disk(disk_backup.id), "detach it")
    console.resources.detach_disk("evs-data-01")
    refused(Codes.RESTORE_DISK_TOO_SMALL, lambda: console.restores.restore_disk(disk_backup.id, "evs-secure-01"))
    console.restores.restore_disk(disk_backup.id)
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_disk(disk_backup.id))
    refused(Codes.INVALID_PARAMETER, lambda: console.restores.restore_server(disk_backup.id))


def test_create_disk_rules(console: Console, disk_backup: BackupView) -> None:
    refused(Codes.RESTORE_DISK_TOO_SMALL, lambda: console.restores.create_disk(disk_backup.id, "tiny", size_gb=20))
    refused(Codes.INVALID_PARAMETER, lambda: console.restores.create_disk(disk_backup.id, "bad name"))


def test_image_rules(console: Console, web_backup: BackupView, disk_backup: BackupView) -> None:
    refused(Codes.IMAGE_WRONG_BACKUP_TYPE, lambda: console.restores.create_image(disk_backup.id, "img"))
    image = console.restores.create_image(web_backup.id, "img-web").image
    refused(Codes.IMAGE_EXISTS, lambda: console.restores.create_image(web_backup.id, "img-again"))
    refused(Codes.BACKUP_HAS_IMAGE, lambda: console.backups.delete(web_backup.id), "delete the image")
    console.restores.delete_image(image.id)
    assert console.backups.delete(web_backup.id)
    from cbr_tui.services.associations import ResourceSelection

    buy(console, resources=(ResourceSelection("ecs-db-01", include_volumes=("ecs-db-01-volume-0001",)),),
        name="vault-data-only", size_gb=500)
    data_only = back_up(console, "vault-data-only")[0]
    refused(Codes.IMAGE_NO_SYSTEM_DISK, lambda: console.restores.create_image(data_only.id, "img"))


def test_file_restores_need_an_absolute_path(console: Console, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "documents").mkdir()
    console.resources.register_agent("laptop-01", [str(tmp_path / "documents")])
    vault = buy(console, ObjectType.FILE, 1024, name="vault-files")
    console.associations.configure_client("laptop-01", vault.id)
    backup = back_up(console, "vault-files")[0]
    refused(Codes.INVALID_PARAMETER, lambda: console.restores.restore_files(backup.id, "relative/path"))


def test_restore_desktop_rules(console: Console, web_backup: BackupView) -> None:
    buy(console, ObjectType.WORKSPACE, size_gb=500, resources=("desktop-alice",), name="vault-desktops")
    desktop_backup = back_up(console, "vault-desktops")[0]
    refused(Codes.INVALID_PARAMETER, lambda: console.restores.restore_desktop(web_backup.id), "needs a backup of")
    refused(Codes.INVALID_PARAMETER, lambda: console.restores.restore_server(desktop_backup.id))
    queued = console.restores.restore_desktop(desktop_backup.id)
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_desktop(desktop_backup.id))
    run(console, queued)
    console.resources.set_status("desktop-alice", "error")
    refused(Codes.RESTORE_SERVER_STATUS, lambda: console.restores.restore_desktop(desktop_backup.id),
            "only an Available or In-use desktop")


def test_a_restore_whose_plan_cannot_be_read_fails_and_writes_nothing(console: Console, web_backup: BackupView) -> None:
    before = resource_digest(console, "ecs-web-01")
    queued = console.restores.restore_server(web_backup.id)
    task_id = queued.operation_log.id
    with console.ctx.store.write() as session:
        task = session.get(Task, task_id)
        assert task is not None
        task.extra = task.extra | {"params": {"kind": "server", "mappings": "garbled"}}
        session.add(task)
    ended = run(console, queued)
    assert ended.status == "failed"
    assert "plan cannot be read" in ended.error_info.message
    assert console.backups.show(web_backup.id).status == "available"
    assert resource_digest(console, "ecs-web-01") == before

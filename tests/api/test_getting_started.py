"""The seed's Getting Started through the official SDK: buy a vault with a server, back it up, watch the
task, list the backup, lose data, restore, and get the same bytes back."""

import time
from typing import Any

from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import (
    BackupRestore,
    BackupRestoreReq,
    BillingCreate,
    CheckpointParam,
    CreateCheckpointRequest,
    CreateVaultRequest,
    ListBackupsRequest,
    ListOpLogsRequest,
    ListProtectableRequest,
    ResourceCreate,
    RestoreBackupRequest,
    ShowCheckpointRequest,
    ShowOpLogRequest,
    ShowVaultRequest,
    VaultBackup,
    VaultBackupReq,
    VaultCreate,
    VaultCreateReq,
)

from tests.api.conftest import ServedApi
from tests.services.test_hybrid import cloud_digest


def wait_for_task(cbr: CbrClient, operation_log_id: str, timeout: float = 60) -> Any:
    """Poll the operation log, as a script would, until the task has ended."""
    deadline = time.monotonic() + timeout
    while True:
        log = cbr.show_op_log(ShowOpLogRequest(operation_log_id=operation_log_id)).operation_log
        if log.status not in ("waiting", "running") or time.monotonic() > deadline:
            return log
        time.sleep(0.1)


def test_a_server_is_backed_up_and_restored_byte_for_byte_through_the_sdk(served_api: ServedApi,
                                                                           cbr: CbrClient) -> None:
    instances = cbr.list_protectable(ListProtectableRequest(protectable_type="server")).instances
    server = next(i for i in instances if i.name == "ecs-web-01")
    assert server.protectable.result is True
    served_api.console.resources.write_data(server.id, 8, seed="before")

    body = VaultCreateReq(vault=VaultCreate(
        name="sdk-getting-started",
        billing=BillingCreate(cloud_type="public", consistent_level="crash_consistent", object_type="server",
                              protect_type="backup", size=200, charging_mode="post_paid"),
        resources=[ResourceCreate(id=server.id, type="OS::Nova::Server")]))
    vault = cbr.create_vault(CreateVaultRequest(body=body)).vault
    assert (vault.name, vault.billing.size, vault.billing.status) == ("sdk-getting-started", 200, "available")
    assert [r.id for r in vault.resources] == [server.id]
    assert cbr.show_vault(ShowVaultRequest(vault_id=vault.id)).vault.id == vault.id

    request = VaultBackupReq(checkpoint=VaultBackup(vault_id=vault.id, parameters=CheckpointParam(name="first")))
    checkpoint = cbr.create_checkpoint(CreateCheckpointRequest(body=request)).checkpoint
    assert checkpoint.status == "protecting"
    assert [r.id for r in checkpoint.vault.resources] == [server.id]

    logs = cbr.list_op_logs(ListOpLogsRequest(vault_id=vault.id, operation_type="backup")).operation_logs
    [task] = [log for log in logs if log.checkpoint_id == checkpoint.id]
    ended = wait_for_task(cbr, task.id)
    assert (ended.status, ended.extra_info.common.progress) == ("success", 100)

    backups = cbr.list_backups(ListBackupsRequest(vault_id=vault.id)).backups
    [backup] = backups
    assert (backup.name, backup.status, backup.checkpoint_id) == ("first", "available", checkpoint.id)
    assert {child.resource_id for child in backup.children} == {
        v.id for v in served_api.console.resources.show(server.id).volumes or ()}
    shown = cbr.show_checkpoint(ShowCheckpointRequest(checkpoint_id=checkpoint.id)).checkpoint
    assert shown.status == "available"

    disks = [child.resource_id for child in backup.children]
    before = [cloud_digest(served_api.console, disk) for disk in disks]
    served_api.console.resources.damage_data(server.id, seed="ransomware")
    assert [cloud_digest(served_api.console, disk) for disk in disks] != before

    cbr.restore_backup(RestoreBackupRequest(backup_id=backup.id,
                                            body=BackupRestoreReq(restore=BackupRestore(power_on=True))))
    restores = cbr.list_op_logs(ListOpLogsRequest(vault_id=vault.id, operation_type="restore")).operation_logs
    assert wait_for_task(cbr, restores[0].id).status == "success"
    assert [cloud_digest(served_api.console, disk) for disk in disks] == before

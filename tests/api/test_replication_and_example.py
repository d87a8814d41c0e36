"""Replication through the SDK, and the example script of the README run as a user would run it."""

import json
import subprocess
import sys
from pathlib import Path

from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import (
    BackupReplicateReq,
    BackupReplicateReqBody,
    CheckpointParam,
    CheckpointReplicateParam,
    CheckpointReplicateReq,
    CopyBackupRequest,
    CopyCheckpointRequest,
    CreateCheckpointRequest,
    ListBackupsRequest,
    ListOpLogsRequest,
    ShowBackupRequest,
    VaultBackup,
    VaultBackupReq,
)

from cbr_tui.domain.enums import ObjectType, ProtectType
from tests.api.conftest import ServedApi
from tests.api.test_getting_started import wait_for_task
from tests.api.test_operations import refusal
from tests.services.helpers import buy

ROOT = Path(__file__).resolve().parents[2]


def test_a_backup_and_then_a_whole_vault_are_replicated_to_another_region(served_api: ServedApi,
                                                                           cbr: CbrClient) -> None:
    console = served_api.console
    server = console.resources.show("ecs-batch-01")
    vault = buy(console, size_gb=100, name="sdk-replicated", resources=(server.id,))
    regions = [r.id for r in console.accounts.regions().regions if r.id != console.region_id]
    elsewhere = console.in_region(regions[0])
    destination = buy(elsewhere, size_gb=200, name="sdk-replicas", protect_type=ProtectType.REPLICATION,
                      object_type=ObjectType.SERVER)

    made = []
    for name in ("first", "second"):
        checkpoint = cbr.create_checkpoint(CreateCheckpointRequest(body=VaultBackupReq(checkpoint=VaultBackup(
            vault_id=vault.id, parameters=CheckpointParam(name=name))))).checkpoint
        logs = cbr.list_op_logs(ListOpLogsRequest(vault_id=vault.id, operation_type="backup")).operation_logs
        assert wait_for_task(cbr, next(log.id for log in logs if log.checkpoint_id == checkpoint.id)).status == \
            "success"
        made.append(cbr.list_backups(ListBackupsRequest(vault_id=vault.id, name=name)).backups[0].id)

    elsewhere_project = elsewhere.ctx.project_id
    wrong = refusal(lambda: cbr.copy_backup(CopyBackupRequest(backup_id=made[0], body=BackupReplicateReq(
        replicate=BackupReplicateReqBody(destination_region=regions[0], destination_vault_id=destination.id,
                                         destination_project_id="0" * 32)))))
    assert (wrong.status_code, wrong.error_code) == (400, "BackupService.9900")
    replication = cbr.copy_backup(CopyBackupRequest(backup_id=made[0], body=BackupReplicateReq(
        replicate=BackupReplicateReqBody(destination_region=regions[0], destination_vault_id=destination.id,
                                         name="first-replica", destination_project_id=elsewhere_project)))).replication
    assert (replication.backup_id, replication.destination_vault_id) == (made[0], destination.id)
    assert wait_for_task(cbr, replication.replication_record_id).status == "success"

    rest = cbr.copy_checkpoint(CopyCheckpointRequest(body=CheckpointReplicateReq(replicate=CheckpointReplicateParam(
        vault_id=vault.id, destination_region=regions[0], destination_vault_id=destination.id)))).replication
    assert [b.backup_id for b in rest.backups] == [made[1]]  # the first is there already
    assert wait_for_task(cbr, rest.backups[0].replication_record_id).status == "success"
    replicas = elsewhere.backups.list(vault=destination.id).backups
    assert sorted(r.name for r in replicas) == ["first-replica", "second"]
    assert cbr.show_backup(ShowBackupRequest(backup_id=made[1])).backup.status == "available"


def test_the_readme_s_example_does_the_getting_started_against_the_server(served_api: ServedApi,
                                                                         tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"credential": served_api.credential.model_dump(mode="json")}))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "getting_started_sdk.py"), "--endpoint",
                           served_api.endpoint, "--key", str(key), "--server", "ecs-web-02",
                           "--vault-name", "example-vault", "--timeout", "120"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Step 2: buy a server backup vault with ecs-web-02 (140 GB) in it" in done.stdout
    assert "  backup getting-started-backup" in done.stdout
    assert done.stdout.rstrip().endswith("restore success 100%")

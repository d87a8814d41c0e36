"""The seed's Getting Started, done through Huawei Cloud's official Python SDK against `cbr-tui serve api`.

    cbr-tui api-key create > key.json          # prints the access key, its secret and the project, once
    cbr-tui serve api --port 8443 &            # the CBR v3 API on http://127.0.0.1:8443
    python examples/getting_started_sdk.py --endpoint http://127.0.0.1:8443 --key key.json

It buys a server backup vault with a server in it, backs the server up, follows the task to the end, lists
the backup and restores the server from it. The same script works against Huawei Cloud itself, given that
region's endpoint and a real access key. Needs `pip install huaweicloudsdkcbr`.
"""

from __future__ import annotations

import argparse
import json
import sys
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
    ShowOpLogRequest,
    VaultBackup,
    VaultBackupReq,
    VaultCreate,
    VaultCreateReq,
)
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException


def client(endpoint: str, credential: dict[str, Any]) -> CbrClient:
    credentials = BasicCredentials(credential["access"], credential["secret"], credential["project_id"])
    return CbrClient.new_builder().with_credentials(credentials).with_endpoints([endpoint]).build()


def wait(cbr: CbrClient, operation_log_id: str, timeout: float) -> Any:
    """Follow a task (operation log) until it has ended, printing its progress."""
    deadline = time.monotonic() + timeout
    while True:
        log = cbr.show_op_log(ShowOpLogRequest(operation_log_id=operation_log_id)).operation_log
        print(f"  {log.operation_type} {log.status} {log.extra_info.common.progress}%")
        if log.status not in ("waiting", "running"):
            return log
        if time.monotonic() > deadline:
            raise SystemExit(f"the task {operation_log_id} was still {log.status} after {timeout:.0f} s")
        time.sleep(0.5)


def task_of(cbr: CbrClient, vault_id: str, operation_type: str, checkpoint_id: str | None = None) -> str:
    logs = cbr.list_op_logs(ListOpLogsRequest(vault_id=vault_id, operation_type=operation_type)).operation_logs
    return next(log.id for log in logs if checkpoint_id is None or log.checkpoint_id == checkpoint_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:8443")
    parser.add_argument("--key", required=True, help="the JSON `cbr-tui api-key create` printed")
    parser.add_argument("--server", help="the server to protect (default: the first one that can be)")
    parser.add_argument("--vault-name", default="getting-started")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    with open(args.key, encoding="utf-8") as handle:
        cbr = client(args.endpoint, json.load(handle)["credential"])
    try:
        servers = cbr.list_protectable(ListProtectableRequest(protectable_type="server")).instances
        server = next(s for s in servers if (s.name == args.server if args.server else s.protectable.result))
        print(f"Step 2: buy a server backup vault with {server.name} ({server.size} GB) in it")
        vault = cbr.create_vault(CreateVaultRequest(body=VaultCreateReq(vault=VaultCreate(
            name=args.vault_name, resources=[ResourceCreate(id=server.id, type="OS::Nova::Server")],
            billing=BillingCreate(cloud_type="public", consistent_level="crash_consistent", object_type="server",
                                  protect_type="backup", size=max(100, 2 * server.size),
                                  charging_mode="post_paid"))))).vault
        print(f"  vault {vault.name} ({vault.id}), {vault.billing.size} GB, {vault.billing.status}")
        print("Step 3: back the server up")
        checkpoint = cbr.create_checkpoint(CreateCheckpointRequest(body=VaultBackupReq(checkpoint=VaultBackup(
            vault_id=vault.id, parameters=CheckpointParam(name="getting-started-backup"))))).checkpoint
        if wait(cbr, task_of(cbr, vault.id, "backup", checkpoint.id), args.timeout).status != "success":
            return 1
        [backup] = cbr.list_backups(ListBackupsRequest(vault_id=vault.id)).backups
        print(f"  backup {backup.name} ({backup.id}) is {backup.status}, {len(backup.children)} disk backups")
        print("Step 4: restore the server from its backup")
        cbr.restore_backup(RestoreBackupRequest(backup_id=backup.id, body=BackupRestoreReq(
            restore=BackupRestore(power_on=True))))
        return 0 if wait(cbr, task_of(cbr, vault.id, "restore"), args.timeout).status == "success" else 1
    except ClientRequestException as refused:
        print(f"refused: {refused.status_code} {refused.error_code}: {refused.error_msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

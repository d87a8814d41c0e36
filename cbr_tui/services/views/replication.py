"""Replication of backups to another region, and where they can go."""

from __future__ import annotations

from cbr_tui.services.views.base import View
from cbr_tui.v3 import models as v3


class Replication(v3.BackupReplicateRespBody):
    backup_id: str
    destination_project_id: str
    destination_region: str
    destination_vault_id: str
    project_id: str
    provider_id: str
    replication_record_id: str  # the task that copies it
    source_region: str
    # beyond the SDK's BackupReplicateRespBody
    destination_backup_id: str


class ReplicationAnswer(View):
    replication: Replication


class ReplicatedBackup(v3.CheckpointReplicateRespbackups):
    backup_id: str
    replication_record_id: str


class VaultReplication(v3.CheckpointReplicateRespBody):
    backups: list[ReplicatedBackup]  # type: ignore[assignment]
    destination_project_id: str
    destination_region: str
    destination_vault_id: str
    project_id: str
    provider_id: str
    source_region: str
    vault_id: str


class VaultReplicationAnswer(View):
    replication: VaultReplication


class Destination(View):
    """A server replication vault of another region: where this region's backups can be replicated to."""

    region_id: str
    region_name: str
    vault_id: str
    vault_name: str


class DestinationList(View):
    destinations: list[Destination]
    count: int

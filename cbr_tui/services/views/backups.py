"""Backups and restore points, what they hold, and the data center's synchronisation."""

from __future__ import annotations

from cbr_tui.services.views.base import Transfer, View
from cbr_tui.v3 import models as v3


class AppConsistency(View):
    """A backup in a database server vault: application-consistent ("1"), or crash-consistent instead ("0")
    and why (the real API's `extend_info.app_consistency`)."""

    app_consistency_status: str
    app_consistency_error_code: str | None
    app_consistency_error_message: str | None


class BackupExtendView(v3.BackupExtendInfo):
    auto_trigger: bool
    bootable: bool
    encrypted: bool
    contain_system_disk: bool
    # beyond the SDK's BackupExtendInfo
    kms_key_id: str | None
    fail_reason: str | None
    damaged: bool
    progress: int | None
    app_consistency: AppConsistency | None = None


class BackupStats(View):
    """What the engine did for the backup: bytes it stands for, read, and newly stored, and why it read
    everything when it did (empty for an incremental one)."""

    logical_bytes: int
    read_bytes: int
    new_bytes: int
    read_reason: str
    manifest_bytes: int


class BackupView(v3.BackupResp):
    id: str
    checkpoint_id: str
    parent_id: str | None
    name: str
    description: str | None
    status: str
    image_type: str
    incremental: bool
    resource_id: str
    resource_name: str
    resource_type: str
    resource_size: int
    resource_az: str | None
    vault_id: str
    project_id: str
    provider_id: str
    enterprise_project_id: str
    created_at: str
    updated_at: str
    protected_at: str | None
    expired_at: str | None
    extend_info: BackupExtendView
    children: list[BackupView]  # type: ignore[assignment]  # the disks of a server backup
    # beyond the SDK's BackupResp
    stats: BackupStats
    vault_name: str | None = None
    transfer: Transfer | None = None  # while it is being made or restored


class BackupAnswer(View):
    backup: BackupView


class BackupPage(View):
    backups: list[BackupView]
    count: int
    limit: int
    offset: int


class BackupList(View):
    """Backups listed whole, without paging (the replicas of one backup)."""

    backups: list[BackupView]
    count: int


class CheckpointResourceView(v3.CheckpointResourceResp):
    id: str
    name: str
    type: str
    resource_size: str  # text, as the SDK's model has it


class SkippedResource(v3.CheckpointCreateSkippedResource):
    """A resource the restore point left out, with the refusal that kept it out."""

    id: str
    name: str
    type: str
    code: str
    reason: str


class CheckpointVaultView(v3.CheckpointPlanCreate):
    id: str
    name: str
    resources: list[CheckpointResourceView]  # type: ignore[assignment]
    skipped_resources: list[SkippedResource]  # type: ignore[assignment]


class CheckpointView(v3.CheckpointCreate):
    id: str
    project_id: str
    status: str
    created_at: str
    extra_info: v3.CheckpointExtraInfoResp
    vault: CheckpointVaultView
    # beyond the SDK's CheckpointCreate: the backups it is making, one per resource
    backups: list[BackupView]


class CheckpointAnswer(View):
    checkpoint: CheckpointView


class LocalBackupAnswer(CheckpointAnswer):
    """A backup the data center makes of its own system, with the tasks that make it."""

    operation_log_ids: list[str]


class StorageUsageView(v3.StorageUsage):
    resource_id: str
    resource_name: str
    resource_type: str
    backup_count: int
    backup_size: int  # MB the resource's backups added to their vaults
    backup_size_multiaz: int


class StorageUsageAnswer(View):
    resource_count: int
    storage_usage: list[StorageUsageView]


class BackedUpServer(View):
    id: str
    name: str
    availability_zone: str | None
    flavor: str | None  # None once the server is gone
    image: str | None


class BackedUpDisk(View):
    id: str
    name: str
    size: int
    bootable: bool
    encrypted: bool
    backup_id: str


class BackupMetadata(View):
    """What a server backup recorded of its server and each of its disks, as they were backed up."""

    backup_id: str
    server: BackedUpServer
    volumes: list[BackedUpDisk]


class SyncStarted(View):
    """Backups of the data center being synchronised into a hybrid cloud backup vault, one task each."""

    vault_id: str
    sync_backup_num: int
    backups: list[str]
    operation_log_ids: list[str]


class SyncAnswer(View):
    sync: SyncStarted


class ClientVault(View):
    """The vault a backup client backs up into."""

    vault_id: str
    agent_id: str

"""Rows turned into the CBR v3 API's JSON shapes (reference §2 and §9), loaded in batches for lists."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from cbr_tui.domain.clock import api_time
from cbr_tui.domain.enums import ConsistentLevel, ProtectType, ResourceKind
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services.capacity import disks_by_parent, resource_size
from cbr_tui.services.views import (
    AgentPathView,
    AppConsistency,
    BackupExtendView,
    BackupStats,
    BackupView,
    CheckpointResourceView,
    CheckpointVaultView,
    CheckpointView,
    DiskView,
    NamedRef,
    ResourceView,
    SkippedResource,
    TagView,
    TaskExtra,
    TaskView,
    Transfer,
    VaultBillingView,
    VaultPolicyLink,
    VaultResourceExtra,
    VaultResourceView,
    VaultView,
)
from cbr_tui.store.models import (
    AgentPath,
    Backup,
    Checkpoint,
    Resource,
    ResourceTag,
    Task,
    Vault,
    VaultPolicy,
    VaultResource,
    VaultTag,
)
from cbr_tui.v3 import models as v3

MB = 1 << 20


def tag_views(rows: Sequence[VaultTag | ResourceTag]) -> list[TagView]:
    return [TagView(key=t.key, value=t.value) for t in sorted(rows, key=lambda t: t.key)]


# --- vaults ---------------------------------------------------------------------------------------------


def vault_views(session: Session, vaults: Sequence[Vault]) -> list[VaultView]:
    """Views of several vaults with their resources, tags and policies, in a fixed number of queries."""
    ids = [v.id for v in vaults]
    if not ids:
        return []
    memberships = session.exec(
        select(VaultResource, Resource)
        .join(Resource, col(Resource.id) == VaultResource.resource_id)
        .where(col(VaultResource.vault_id).in_(ids))
        .order_by(col(VaultResource.created_at), col(Resource.name))
    ).all()
    disks = disks_by_parent(session, (r.id for _m, r in memberships))
    counts: dict[tuple[str, str], int] = {
        (vault_id, resource_id): n
        for vault_id, resource_id, n in session.exec(
            select(Backup.vault_id, Backup.resource_id, func.count())
            .where(col(Backup.vault_id).in_(ids), col(Backup.parent_id).is_(None))
            .group_by(Backup.vault_id, Backup.resource_id)
        ).all()
    }
    resources: dict[str, list[VaultResourceView]] = defaultdict(list)
    allocated: dict[str, int] = defaultdict(int)
    for member, res in memberships:
        size = resource_size(res, disks.get(res.id, []), member.exclude_volumes)
        allocated[member.vault_id] += size
        resources[member.vault_id].append(VaultResourceView(
            id=res.id, name=res.name, type=member.resource_type, protect_status=member.protect_status, size=size,
            backup_size=0, backup_count=counts.get((member.vault_id, res.id), 0), auto_protect=member.auto_protect,
            extra_info=VaultResourceExtra(exclude_volumes=list(member.exclude_volumes)),
        ))
    tags: dict[str, list[VaultTag]] = defaultdict(list)
    for tag in session.exec(select(VaultTag).where(col(VaultTag.vault_id).in_(ids))).all():
        tags[tag.vault_id].append(tag)
    policies: dict[str, list[VaultPolicyLink]] = defaultdict(list)
    for link in session.exec(select(VaultPolicy).where(col(VaultPolicy.vault_id).in_(ids))).all():
        policies[link.vault_id].append(VaultPolicyLink(
            policy_id=link.policy_id, operation_type=link.operation_type,
            destination_vault_id=link.destination_vault_id))
    return [vault_view(v, resources[v.id], allocated[v.id], tag_views(tags[v.id]), policies[v.id]) for v in vaults]


def vault_view(vault: Vault, resources: list[VaultResourceView], allocated: int, tags: list[TagView],
               policies: list[VaultPolicyLink]) -> VaultView:
    vtype = vault_type(vault.object_type)
    spec_code = vtype.spec_code(ProtectType(vault.protect_type), ConsistentLevel(vault.consistent_level))
    billing = VaultBillingView(
        allocated=allocated, charging_mode=vault.charging_mode, cloud_type=vault.cloud_type,
        consistent_level=vault.consistent_level, object_type=vault.object_type, protect_type=vault.protect_type,
        size=vault.size_gb, spec_code=spec_code, status=vault.status, used=vault.used_bytes // MB,
        storage_unit=None, order_id=vault.order_id, product_id=vault.product_id, frozen_scene=vault.frozen_scene,
        is_multi_az=vault.is_multi_az, period_type=vault.period_type, period_num=vault.period_num,
        is_auto_renew=vault.is_auto_renew, is_auto_pay=vault.is_auto_pay, expired_at=api_time(vault.expires_at),
    )
    return VaultView(
        id=vault.id, name=vault.name, description=vault.description, project_id=vault.project_id,
        user_id=vault.user_id, provider_id=vtype.provider_id, billing=billing, resources=resources, tags=tags,
        enterprise_project_id=vault.enterprise_project_id, auto_bind=vault.auto_bind,
        bind_rules=v3.VaultBindRules.model_validate({"tags": vault.bind_rules} if vault.bind_rules else {}),
        auto_expand=vault.auto_expand, smn_notify=vault.smn_notify, threshold=vault.threshold, locked=vault.locked,
        availability_zone=vault.availability_zone, backup_name_prefix=vault.backup_name_prefix, policies=policies,
        created_at=api_time(vault.created_at), updated_at=api_time(vault.updated_at),
    )


# --- backups --------------------------------------------------------------------------------------------


def backup_views(session: Session, backups: Sequence[Backup]) -> list[BackupView]:
    """Backups with their per-disk children nested, as ShowBackup returns them, and their vault's name (the
    console's list shows it); a backup being created or restored carries its task's progress."""
    ids = [b.id for b in backups]
    children: dict[str, list[Backup]] = defaultdict(list)
    active: dict[str, Task] = {}
    if ids:
        query = select(Backup).where(col(Backup.parent_id).in_(ids)).order_by(col(Backup.created_at), col(Backup.name))
        for child in session.exec(query).all():
            assert child.parent_id is not None
            children[child.parent_id].append(child)
        busy = [b.id for b in backups if b.status in ("protecting", "restoring")]
        if busy:
            for task in session.exec(select(Task).where(col(Task.backup_id).in_(busy),
                                                        col(Task.status).in_(("waiting", "running")))):
                active[task.backup_id or ""] = task
    vault_ids = {b.vault_id for b in backups}
    vault_names = dict(session.exec(select(Vault.id, Vault.name).where(col(Vault.id).in_(vault_ids))).all()) \
        if vault_ids else {}
    viewed = []
    for backup in backups:
        running = active.get(backup.id)
        viewed.append(backup_view(
            backup, [backup_view(c, []) for c in children[backup.id]], vault_name=vault_names.get(backup.vault_id),
            progress=running.progress if running else None,
            transfer=transfer_of(running).model_copy(update={"task_id": running.id}) if running else None))
    return viewed


def backup_view(backup: Backup, children: list[BackupView], *, vault_name: str | None = None,
                progress: int | None = None, transfer: Transfer | None = None) -> BackupView:
    extend_info = BackupExtendView(
        auto_trigger=backup.auto_trigger, bootable=backup.bootable, encrypted=backup.encrypted,
        kms_key_id=backup.kms_key_id, contain_system_disk=backup.contain_system_disk,
        fail_reason=backup.fail_reason, damaged=backup.damaged, progress=progress,
        app_consistency=None if backup.app_consistency_status is None else AppConsistency(
            app_consistency_status=backup.app_consistency_status,
            app_consistency_error_code=backup.app_consistency_error_code,
            app_consistency_error_message=backup.app_consistency_error_message))
    stats = BackupStats(logical_bytes=backup.logical_bytes, read_bytes=backup.read_bytes, new_bytes=backup.new_bytes,
                        read_reason=backup.read_reason, manifest_bytes=backup.manifest_size)
    return BackupView(
        id=backup.id, checkpoint_id=backup.checkpoint_id, parent_id=backup.parent_id, name=backup.name,
        description=backup.description, status=backup.status, image_type=backup.image_type,
        incremental=backup.incremental, resource_id=backup.resource_id, resource_name=backup.resource_name,
        resource_type=backup.resource_type, resource_size=backup.resource_size, resource_az=backup.resource_az,
        vault_id=backup.vault_id, project_id=backup.project_id, provider_id=backup.provider_id,
        enterprise_project_id=backup.enterprise_project_id, created_at=api_time(backup.created_at),
        updated_at=api_time(backup.updated_at), protected_at=api_time(backup.protected_at),
        expired_at=api_time(backup.expired_at), extend_info=extend_info, stats=stats, children=children,
        vault_name=vault_name, transfer=transfer)


def checkpoint_view(checkpoint: Checkpoint, vault: Vault, resources: list[CheckpointResourceView],
                    skipped: list[SkippedResource], backups: list[BackupView]) -> CheckpointView:
    return CheckpointView(
        id=checkpoint.id, project_id=checkpoint.project_id, status=checkpoint.status,
        created_at=api_time(checkpoint.created_at),
        extra_info=v3.CheckpointExtraInfoResp(name=checkpoint.name, description=checkpoint.description,
                                              retention_duration=checkpoint.retention_duration_days),
        vault=CheckpointVaultView(id=vault.id, name=vault.name, resources=resources, skipped_resources=skipped),
        backups=backups)


# --- tasks ----------------------------------------------------------------------------------------------


def task_view(task: Task) -> TaskView:
    extra: dict[str, Any] = {
        "common": {"progress": task.progress, "request_id": f"req-{task.id}",
                   **transfer_of(task).model_dump(exclude={"task_id"})}
        | task.extra.get("common", {}),
        "resource": {"id": task.resource_id, "name": task.resource_name, "type": task.resource_type},
    }
    if task.backup_id:
        key = "backup" if task.operation_type in ("backup", "replication", "copy") else task.operation_type
        extra[key] = {"backup_id": task.backup_id, "backup_name": task.backup_name} | task.extra.get(key, {})
    for key, value in task.extra.items():
        extra.setdefault(key, value)
    return TaskView(
        id=task.id, project_id=task.project_id, operation_type=task.operation_type, status=task.status,
        provider_id=task.provider_id, checkpoint_id=task.checkpoint_id, policy_id=task.policy_id,
        vault_id=task.vault_id, vault_name=task.vault_name,
        error_info=v3.OpErrorInfo(code=task.error_code or "", message=task.error_message or ""),
        extra_info=TaskExtra.model_validate(extra), created_at=api_time(task.created_at),
        started_at=api_time(task.started_at), ended_at=api_time(task.ended_at), updated_at=api_time(task.updated_at))


def transfer_of(task: Task) -> Transfer:
    """Bytes done and to do, with the rate and time left they imply (what a progress bar shows)."""
    rate = eta = None
    if task.started_at and task.updated_at and task.bytes_done:
        seconds = (task.updated_at - task.started_at).total_seconds()
        if seconds > 0:
            per_second = task.bytes_done / seconds
            rate = round(per_second)
            eta = round(max(task.bytes_total - task.bytes_done, 0) / per_second, 1)
    return Transfer(bytes_done=task.bytes_done, bytes_total=task.bytes_total, rate=rate, eta_seconds=eta)


# --- simulated resources ----------------------------------------------------------------------------------


def resource_views(session: Session, resources: Sequence[Resource]) -> list[ResourceView]:
    ids = [r.id for r in resources]
    disks = disks_by_parent(session, ids)
    tags: dict[str, list[ResourceTag]] = defaultdict(list)
    paths: dict[str, list[AgentPath]] = defaultdict(list)
    vaults: dict[str, tuple[str, str]] = {}
    if ids:
        for tag in session.exec(select(ResourceTag).where(col(ResourceTag.resource_id).in_(ids))).all():
            tags[tag.resource_id].append(tag)
        for path in session.exec(select(AgentPath).where(col(AgentPath.agent_id).in_(ids))).all():
            paths[path.agent_id].append(path)
        query = (
            select(VaultResource.resource_id, Vault.id, Vault.name)
            .join(Vault, col(Vault.id) == VaultResource.vault_id)
            .where(col(VaultResource.resource_id).in_(ids))
        )
        vaults = {rid: (vid, vname) for rid, vid, vname in session.exec(query).all()}
    return [resource_view(r, disks.get(r.id, []), tags[r.id], paths[r.id], vaults.get(r.id)) for r in resources]


def resource_view(res: Resource, disks: list[Resource], tags: Sequence[ResourceTag], paths: Sequence[AgentPath],
                  vault: tuple[str, str] | None) -> ResourceView:
    kind = ResourceKind(res.kind)
    common = ResourceView(
        id=res.id, name=res.name, kind=kind.value, status=res.status, availability_zone=res.availability_zone,
        size=resource_size(res, disks), tags=tag_views(tags), enterprise_project_id=res.enterprise_project_id,
        vault=NamedRef(id=vault[0], name=vault[1]) if vault else None, created_at=api_time(res.created_at))
    if kind in (ResourceKind.SERVER, ResourceKind.DESKTOP):
        return common.model_copy(update={"flavor": res.flavor, "image": res.image_name,
                                         "volumes": [disk_view(d) for d in disks], "agent_version": res.agent_version})
    if kind is ResourceKind.DISK:
        own = disk_view(res)
        return common.model_copy(update={"device": own.device, "bootable": own.bootable, "encrypted": own.encrypted,
                                         "metadata": own.metadata, "server_id": own.server_id, "size": own.size})
    if kind is ResourceKind.TURBO:
        return common.model_copy(update={"path": res.data_path})
    if kind is ResourceKind.AGENT:
        return common.model_copy(update={
            "host_name": res.host_name, "host_ip": res.host_ip, "host_os": res.host_os,
            "agent_version": res.agent_version,
            "paths": [AgentPathView(id=p.id, dir_path=p.dir_path, status=p.status,
                                    exclude_paths=",".join(p.exclude_paths)) for p in paths]})
    return common


def disk_view(disk: Resource) -> DiskView:
    return DiskView(
        id=disk.id, name=disk.name, size=disk.size_gb, status=disk.status, device=disk.device,
        bootable=disk.bootable, encrypted=disk.encrypted,
        metadata={"__system__encrypted": "1", "__system__cmkid": disk.kms_key_id} if disk.encrypted else {},
        server_id=disk.parent_id)

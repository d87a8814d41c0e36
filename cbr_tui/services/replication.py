"""Replicating server backups to a replication vault in another region (reference §2.9).

Replicating records the replica at once (`image_type` replication, Protecting, one child per disk) in the
destination vault and queues a task in the source region; the runner copies the chunks the destination
does not hold yet, verified, and makes the replica Available. Rules: only an Available ECS backup that
contains the system disk, and not a replica, is replicated (1002, 1003); the destination is a server
replication vault of the same account in another region (6120, 6119); one replica per destination region
(1009), which can be made again once that replica is deleted.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.enums import (
    BackupStatus,
    CheckpointStatus,
    ImageType,
    ObjectType,
    OperationType,
    ProtectType,
    ResourceType,
    TaskStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.names import default_backup_name
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import check_description, check_name
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.shapes import backup_views
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views import (
    BackupList,
    Destination,
    DestinationList,
    ReplicatedBackup,
    Replication,
    ReplicationAnswer,
    VaultReplication,
    VaultReplicationAnswer,
)
from cbr_tui.store.models import Backup, Checkpoint, Project, Region, Vault

_LIVE = (BackupStatus.PROTECTING.value, BackupStatus.AVAILABLE.value, BackupStatus.WAITING_PROTECT.value)


class ReplicationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def replicate(self, backup_ref: str, *, destination_region: str, destination_vault: str,
                  name: str | None = None, description: str | None = None,
                  destination_project: str | None = None) -> ReplicationAnswer:
        """Replicate one backup (the Backups tab's Replicate, `POST /backups/{id}/replicate`)."""
        base = check_name(name or default_backup_name(self.ctx.ids), "backup")
        description = check_description(description)
        with self.ctx.store.write() as session:
            backup = lookups.backup(session, self.ctx, backup_ref, action=Action.BACKUP_REPLICATE)
            destination = self._destination(session, destination_region, destination_vault, destination_project)
            replica, task_id = start_replication(session, self.ctx, backup, destination, base, description)
            return ReplicationAnswer(replication=Replication(
                backup_id=backup.id, destination_backup_id=replica.id,
                destination_project_id=destination.project_id, destination_region=destination_region,
                destination_vault_id=destination.id, project_id=self.ctx.project_id,
                provider_id=backup.provider_id, replication_record_id=task_id, source_region=self.ctx.region_id))

    def replicate_vault(self, vault_ref: str, *, destination_region: str, destination_vault: str,
                        destination_project: str | None = None) -> VaultReplicationAnswer:
        """Replicate every backup of a vault that can be and is not yet in the destination region
        (`POST /checkpoints/replicate`); each keeps its name. None left to replicate is an empty answer."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.BACKUP_REPLICATE)
            destination = self._destination(session, destination_region, destination_vault, destination_project)
            candidates = session.exec(
                select(Backup).where(Backup.vault_id == vault.id, col(Backup.parent_id).is_(None),
                                     Backup.image_type == ImageType.BACKUP.value,
                                     Backup.status == BackupStatus.AVAILABLE.value,
                                     Backup.resource_type == ResourceType.SERVER.value,
                                     col(Backup.contain_system_disk).is_(True), col(Backup.damaged).is_(False),
                                     col(Backup.id).not_in(replicated_to(destination.project_id)))
                .order_by(col(Backup.created_at), col(Backup.id))).all()
            started = []
            for backup in candidates:
                _replica, task_id = start_replication(session, self.ctx, backup, destination, backup.name,
                                                      backup.description)
                started.append(ReplicatedBackup(backup_id=backup.id, replication_record_id=task_id))
            return VaultReplicationAnswer(replication=VaultReplication(
                backups=started, destination_project_id=destination.project_id,
                destination_region=destination_region, destination_vault_id=destination.id,
                project_id=self.ctx.project_id, provider_id=vault_type(vault.object_type).provider_id,
                source_region=self.ctx.region_id, vault_id=vault.id))

    def destinations(self) -> DestinationList:
        """Where backups of this region can be replicated to: the account's server replication vaults in
        the other regions (the Replicate dialog's choices)."""
        with self.ctx.store.read() as session:
            rows = session.exec(
                select(Vault, Region).join(Project, col(Project.id) == Vault.project_id)
                .join(Region, col(Region.id) == Project.region_id)
                .where(Project.account_id == self.ctx.account_id, Project.region_id != self.ctx.region_id,
                       Vault.protect_type == ProtectType.REPLICATION.value,
                       Vault.object_type == ObjectType.SERVER.value, *lookups.visible_clause(Vault, self.ctx))
                .order_by(col(Region.position), col(Vault.name))).all()
            found = [Destination(region_id=region.id, region_name=region.name, vault_id=vault.id,
                                 vault_name=vault.name) for vault, region in rows]
            return DestinationList(destinations=found, count=len(found))

    def replicas(self, backup_ref: str) -> BackupList:
        """The replicas made of a backup, in every region."""
        with self.ctx.store.read() as session:
            backup = lookups.backup(session, self.ctx, backup_ref)
            rows = session.exec(select(Backup).where(Backup.source_backup_id == backup.id,
                                                     *lookups.visible_clause(Backup, self.ctx))
                                .order_by(col(Backup.created_at))).all()
            return BackupList(backups=backup_views(session, list(rows)), count=len(rows))

    def _destination(self, session: Session, region_id: str, vault_ref: str,
                     project_id: str | None = None) -> Vault:
        """The destination vault, in another region of this account (whose project, when the caller names it,
        must be the account's project there)."""
        if region_id == self.ctx.region_id:
            raise invalid("A backup is replicated to another region; the destination region must differ.")
        project = session.exec(select(Project).where(Project.account_id == self.ctx.account_id,
                                                     Project.region_id == region_id)).first()
        if project is None or region_id == ON_PREMISES.id:
            raise invalid(f"There is no region {region_id!r}; `cbr-tui region list` shows them.")
        if project_id is not None and project_id != project.id:
            raise invalid(f"The destination project {project_id} is not this account's project in {region_id} "
                          f"({project.id}).")
        vault = session.exec(select(Vault).where(Vault.project_id == project.id,
                                                 (Vault.id == vault_ref) | (Vault.name == vault_ref))).first()
        if vault is None or not self.ctx.principal.sees(vault.enterprise_project_id):
            raise CbrError(Codes.DESTINATION_VAULT_NOT_FOUND, f"There is no vault {vault_ref} in {region_id}.")
        lookups.permit(session, self.ctx, Action.BACKUP_REPLICATE, vault.enterprise_project_id)
        return vault


def start_replication(session: Session, ctx: ServiceContext, backup: Backup, destination: Vault, name: str,
                      description: str | None = None, policy_id: str | None = None) -> tuple[Backup, str]:
    """Check the rules, record the replica (Protecting) and queue its task, in the caller's transaction."""
    _ensure_replicable(session, backup, destination)
    now = ctx.clock.now()
    checkpoint = Checkpoint(id=ctx.ids.uuid(), project_id=destination.project_id, vault_id=destination.id,
                            status=CheckpointStatus.PROTECTING.value, name=name, description=description,
                            incremental=False, auto_trigger=policy_id is not None, policy_id=policy_id,
                            created_at=now, updated_at=now)
    session.add(checkpoint)
    children = session.exec(select(Backup).where(Backup.parent_id == backup.id)).all()
    replica = copy_row(ctx, backup, checkpoint, destination, name, None, policy_id)
    session.add(replica)
    for child in children:
        session.add(copy_row(ctx, child, checkpoint, destination, name, replica.id, policy_id))
    source_vault = session.get(Vault, backup.vault_id)
    task = record_task(session, ctx, OperationType.REPLICATION, TaskStatus.WAITING, vault=source_vault,
                       resource=(backup.resource_id, backup.resource_name, backup.resource_type),
                       backup=(replica.id, name), checkpoint_id=checkpoint.id, policy_id=policy_id,
                       provider_id=backup.provider_id,
                       extra={"replication": {"source_backup_id": backup.id, "source_backup_name": backup.name,
                                              "destination_vault_id": destination.id,
                                              "destination_vault_name": destination.name,
                                              "destination_backup_id": replica.id}})
    session.flush()
    return replica, task.id


def _ensure_replicable(session: Session, backup: Backup, destination: Vault) -> None:
    if backup.image_type != ImageType.BACKUP or backup.parent_id:
        raise CbrError(Codes.REPLICATION_TYPE_NOT_ALLOWED,
                       f"{backup.name} is a replica or one disk of a backup; only a server backup is replicated.")
    if backup.resource_type != ResourceType.SERVER or not backup.contain_system_disk:
        raise CbrError(Codes.REPLICATION_SOURCE_NOT_ECS,
                       f"{backup.name} is not a backup of an ECS with its system disk; only those are replicated.")
    if backup.status != BackupStatus.AVAILABLE or backup.damaged:
        state = "damaged" if backup.damaged else backup.status
        raise CbrError(Codes.REPLICATION_TYPE_NOT_ALLOWED,
                       f"The backup {backup.name} is {state}; only an Available backup can be replicated.")
    if destination.protect_type != ProtectType.REPLICATION or destination.object_type != ObjectType.SERVER:
        raise CbrError(Codes.DESTINATION_NOT_REPLICATION,
                       f"The destination {destination.name} must be a server replication vault.")
    existing = session.exec(select(Backup).where(col(Backup.id).in_(_live_replicas(destination.project_id)),
                                                 Backup.source_backup_id == backup.id)).first()
    if existing is not None:
        raise CbrError(Codes.ALREADY_REPLICATED,
                       f"{backup.name} is being replicated or was replicated to that region ({existing.name}); "
                       "delete that replica to replicate it again.")


def _live_replicas(project_id: str) -> SelectOfScalar[Any]:
    """IDs of the replicas in a region that count: being made, or made (a failed one may be redone)."""
    return select(Backup.id).where(col(Backup.source_backup_id).is_not(None), col(Backup.status).in_(_LIVE),
                                   col(Backup.vault_id).in_(select(Vault.id).where(Vault.project_id == project_id)))


def replicated_to(project_id: str) -> SelectOfScalar[Any]:
    """IDs of the backups that have a replica that counts in a region (not to be replicated there again)."""
    return select(Backup.source_backup_id).where(col(Backup.id).in_(_live_replicas(project_id)))


def copy_row(ctx: ServiceContext, source: Backup, checkpoint: Checkpoint, destination: Vault, name: str,
             parent_id: str | None, policy_id: str | None, image_type: ImageType = ImageType.REPLICATION) -> Backup:
    """A copy's row (a replica, or a backup synchronised from on-premises): the source's description of the
    resource, in the destination vault, Protecting, pointing at its source."""
    now = ctx.clock.now()
    return Backup(
        id=ctx.ids.uuid(), checkpoint_id=checkpoint.id, parent_id=parent_id, project_id=destination.project_id,
        vault_id=destination.id, resource_id=source.resource_id, resource_name=source.resource_name,
        resource_type=source.resource_type, resource_size=source.resource_size, resource_az=source.resource_az,
        name=name, description=checkpoint.description, status=BackupStatus.PROTECTING.value,
        image_type=image_type.value, incremental=False, auto_trigger=policy_id is not None,
        bootable=source.bootable, encrypted=source.encrypted, kms_key_id=source.kms_key_id,
        contain_system_disk=source.contain_system_disk,
        provider_id=source.provider_id, enterprise_project_id=destination.enterprise_project_id,
        policy_id=policy_id, created_at=now, updated_at=now, source_backup_id=source.id,
    )

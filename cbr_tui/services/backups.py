"""Perform Backup, and the Backups tab: list, show and delete backups.

Performing a backup records a restore point, one backup per resource (a server's with one child per disk)
and one waiting task per backup; the task runner copies the bytes and moves them to Available or Error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from cbr_tui.domain.eligibility import (
    backup_kind_refusal,
    ensure_vault_allows_backup,
    ensure_vault_room,
    resource_status_refusal,
)
from cbr_tui.domain.enums import (
    BackupStatus,
    CheckpointStatus,
    ImageType,
    ObjectType,
    OperationType,
    ProtectStatus,
    ResourceKind,
    ResourceType,
    TaskStatus,
    VaultStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.names import default_backup_name
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import check_choice, check_description, check_name, check_paging, numbered_names
from cbr_tui.domain.vault_types import RESOURCE_TYPE_OF_KIND, VAULT_TYPES, vault_type
from cbr_tui.services import lookups
from cbr_tui.services.capacity import disks_by_parent, included_disks, resource_size
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.removal import remove_backups
from cbr_tui.services.shapes import backup_views, checkpoint_view
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views import (
    BackedUpDisk,
    BackedUpServer,
    BackupAnswer,
    BackupMetadata,
    BackupPage,
    BackupView,
    CheckpointAnswer,
    CheckpointResourceView,
    ClientVault,
    SkippedResource,
    StorageUsageAnswer,
    StorageUsageView,
)
from cbr_tui.services.views.maintenance import BackupDeleted
from cbr_tui.store.models import AgentPath, Backup, Checkpoint, Image, Resource, Task, Vault, VaultResource

MANUAL_RETENTION_MAX_DAYS = 36_500
MB = 1 << 20
RUNNING = (BackupStatus.PROTECTING.value, BackupStatus.WAITING_PROTECT.value)
_SORT_KEYS = {"created_at": Backup.created_at, "name": Backup.name, "status": Backup.status,
              "resource_name": Backup.resource_name}


@dataclass(frozen=True)
class BackupRequest:
    """What to back up and how: a Perform Backup dialog, or a run of the vault's backup policy."""

    name: str
    description: str | None = None
    resources: Sequence[str] | None = None
    full: bool = False
    retention_days: int | None = None
    policy_id: str | None = None  # set for a policy's run: its backups are automatic
    full_every: int = -1  # the policy's full-backup interval (-1: never forced)


@dataclass
class _Candidate:
    member: VaultResource
    resource: Resource
    disks: list[Resource]
    explicit: bool


@dataclass(frozen=True)
class BackupFilter:
    """ListBackups' filters beyond the Backups tab's: the restore point, replicas or backups, the zone, a
    time range of creation, several statuses, incremental or full (as the engine made them), the
    enterprise project, the resource's name."""

    checkpoint_id: str | None = None
    image_type: str | None = None
    resource_az: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    statuses: tuple[str, ...] = ()
    incremental: bool | None = None
    enterprise_project_id: str | None = None
    resource_name: str | None = None

    def clauses(self) -> list[Any]:
        found: list[Any] = []
        if self.checkpoint_id:
            found.append(col(Backup.checkpoint_id) == self.checkpoint_id)
        if self.image_type:
            found.append(col(Backup.image_type) == check_choice(ImageType, self.image_type, "image type").value)
        if self.resource_az:
            found.append(col(Backup.resource_az) == self.resource_az)
        if self.created_from:
            found.append(col(Backup.created_at) >= self.created_from)
        if self.created_to:
            found.append(col(Backup.created_at) <= self.created_to)
        if self.statuses:
            found.append(col(Backup.status).in_([check_choice(BackupStatus, s, "backup status").value
                                                 for s in self.statuses]))
        if self.incremental is not None:
            found.append(col(Backup.incremental).is_(self.incremental))
        if self.enterprise_project_id:
            found.append(col(Backup.enterprise_project_id) == self.enterprise_project_id)
        if self.resource_name:
            found.append(col(Backup.resource_name).contains(self.resource_name, autoescape=True))
        return found


class BackupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- perform backup ---------------------------------------------------------------------------------

    def default_name(self) -> str:
        """The name the Perform Backup dialog proposes (`manualbk_xxxx`)."""
        return default_backup_name(self.ctx.ids)

    def perform(self, vault_ref: str, *, resources: Sequence[str] | None = None, name: str | None = None,
                description: str | None = None, full: bool = False,
                retention_days: int | None = None) -> CheckpointAnswer:
        """Back up resources of a vault now (all of them when none are named)."""
        base = check_name(name or default_backup_name(self.ctx.ids), "backup")
        description = check_description(description)
        if retention_days is not None and retention_days != -1 and not 1 <= retention_days <= MANUAL_RETENTION_MAX_DAYS:
            raise invalid(f"A manual backup is kept 1 to {MANUAL_RETENTION_MAX_DAYS:,} days, or -1 for ever.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True, action=Action.VAULT_BACKUP)
            vtype = vault_type(vault.object_type)
            if full and not vtype.offers_full_backup:
                raise invalid(f"Full Backup is offered for server and disk backups; a {vtype.vault_label} backs up "
                              "what changed since its last backup.")
            return self.start(session, vault, BackupRequest(base, description, resources, full, retention_days))

    def client_vault(self, agent_ref: str) -> ClientVault:
        """The vault a backup client backs up into (its ID, and the client's), or the refusal when it has
        none: what Perform Backup on the Backup Clients tab needs before it can ask anything."""
        with self.ctx.store.read() as session:
            agent = lookups.resource(session, self.ctx, agent_ref, ResourceKind.AGENT)
            member = lookups.membership(session, agent.id)
            if member is None:
                raise CbrError(Codes.RESOURCE_NOT_IN_VAULT,
                               f"The backup client {agent.name} has no vault yet: choose Configure Vault first.")
            return ClientVault(vault_id=member.vault_id, agent_id=agent.id)

    def perform_for_client(self, agent_ref: str, *, name: str | None = None,
                           description: str | None = None) -> CheckpointAnswer:
        """File Backups > Backup Clients > Perform Backup (seed 5.5): back up the client's paths now, into the
        vault it is configured with."""
        found = self.client_vault(agent_ref)
        return self.perform(found.vault_id, resources=[found.agent_id], name=name, description=description)

    def start(self, session: Session, vault: Vault, request: BackupRequest) -> CheckpointAnswer:
        """Inside the caller's transaction: check the vault, record the restore point, one backup per
        resource and one waiting task per backup (the runner copies the bytes)."""
        self._ensure_vault_can_back_up(vault)
        candidates = self._candidates(session, vault, request.resources)
        if request.policy_id is not None:  # a policy skips the resources whose policy backups are suspended
            candidates = [c for c in candidates if c.member.auto_protect]
            if not candidates:
                raise CbrError(Codes.NO_RESOURCE_TO_BACK_UP, f"The policy's backups of every resource of "
                                                             f"{vault.name} are suspended.")
        chosen, skipped = self._sort_out(session, candidates)
        names = numbered_names(request.name, len(chosen))
        now = self.ctx.clock.now()
        days = request.retention_days
        checkpoint = Checkpoint(
            id=self.ctx.ids.uuid(), project_id=self.ctx.project_id, vault_id=vault.id,
            status=CheckpointStatus.PROTECTING.value, name=request.name, description=request.description,
            incremental=not request.full, auto_trigger=request.policy_id is not None, policy_id=request.policy_id,
            retention_duration_days=days if days is not None else -1, created_at=now, updated_at=now,
        )
        session.add(checkpoint)
        expires = now + timedelta(days=days) if days and days > 0 else None
        made = [self._back_up(session, vault, checkpoint, c, backup_name, request, expires)
                for c, backup_name in zip(chosen, names, strict=True)]
        for skip in skipped:
            record_task(session, self.ctx, OperationType.BACKUP, TaskStatus.SKIPPED, vault=vault,
                        checkpoint_id=checkpoint.id, provider_id=vault_type(vault.object_type).provider_id,
                        resource=(skip.id, skip.name, skip.type), policy_id=request.policy_id,
                        extra={"skipped": {"code": skip.code, "reason": skip.reason}})
        session.flush()
        resources = [CheckpointResourceView(id=c.resource.id, name=c.resource.name, type=c.member.resource_type,
                                            protect_status=c.member.protect_status, resource_size=str(self._size(c)))
                     for c in chosen]
        return CheckpointAnswer(checkpoint=checkpoint_view(checkpoint, vault, resources, skipped,
                                                           backup_views(session, made)))

    def _ensure_vault_can_back_up(self, vault: Vault) -> None:
        ensure_vault_allows_backup(vault.name, vault.status)
        refusal = backup_kind_refusal(vault.name, vault.object_type, vault.protect_type)
        if refusal is not None:
            raise refusal
        ensure_vault_room(vault.name, vault.size_gb, vault.used_bytes, auto_expand=vault.auto_expand)

    def _candidates(self, session: Session, vault: Vault, refs: Sequence[str] | None) -> list[_Candidate]:
        rows = session.exec(
            select(VaultResource, Resource)
            .join(Resource, col(Resource.id) == VaultResource.resource_id)
            .where(VaultResource.vault_id == vault.id)
            .order_by(col(VaultResource.created_at), col(Resource.name))
        ).all()
        disks = disks_by_parent(session, (r.id for _m, r in rows))
        if refs:
            by_ref = {r.id: (m, r) for m, r in rows} | {r.name: (m, r) for m, r in rows}
            picked: list[_Candidate] = []
            for ref in refs:
                if ref not in by_ref:
                    raise CbrError(Codes.RESOURCE_NOT_IN_VAULT, f"{ref} is not associated with the vault {vault.name}.")
                member, res = by_ref[ref]
                if any(c.resource.id == res.id for c in picked):
                    raise CbrError(Codes.DUPLICATE_RESOURCE, f"{res.name} is listed more than once.")
                picked.append(_Candidate(member, res, disks.get(res.id, []), explicit=True))
            return picked
        if not rows:
            raise CbrError(Codes.NO_RESOURCE_TO_BACK_UP,
                           f"No resource is available for backup: associate resources with {vault.name} first.")
        return [_Candidate(m, r, disks.get(r.id, []), explicit=False) for m, r in rows]

    def _sort_out(self, session: Session,
                  candidates: list[_Candidate]) -> tuple[list[_Candidate], list[SkippedResource]]:
        """Split into resources to back up and resources skipped (with the error that skipped them).

        A resource already being backed up is always skipped; one in a wrong state fails the request when
        it was picked by name and is skipped when the whole vault is backed up.
        """
        busy_ids = set(session.exec(select(Backup.resource_id).where(
            col(Backup.resource_id).in_([c.resource.id for c in candidates]), col(Backup.status).in_(RUNNING),
            col(Backup.parent_id).is_(None))).all())
        chosen: list[_Candidate] = []
        skipped: list[tuple[_Candidate, CbrError]] = []
        for candidate in candidates:
            error = self._refusal(candidate, busy_ids)
            if error is None:
                chosen.append(candidate)
            elif candidate.explicit and error.spec is not Codes.RESOURCES_BEING_BACKED_UP:
                raise error
            else:
                skipped.append((candidate, error))
        if not chosen:
            raise skipped[0][1] if len(skipped) == 1 else CbrError(
                Codes.NO_RESOURCE_TO_BACK_UP,
                "No resource can be backed up now: " + " ".join(e.message for _c, e in skipped))
        return chosen, [SkippedResource(id=c.resource.id, name=c.resource.name, type=c.member.resource_type,
                                        code=e.code, reason=e.message) for c, e in skipped]

    def _refusal(self, candidate: _Candidate, busy_ids: set[str]) -> CbrError | None:
        res = candidate.resource
        kind = ResourceKind(res.kind)
        if res.id in busy_ids:
            return CbrError(Codes.RESOURCES_BEING_BACKED_UP, f"{res.name} is already being backed up.")
        refusal = resource_status_refusal(kind, res.name, res.status, "backed up")
        if refusal:
            return refusal
        if kind in (ResourceKind.SERVER, ResourceKind.DESKTOP) and not included_disks(
                candidate.disks, candidate.member.exclude_volumes):
            return CbrError(Codes.SERVER_WITHOUT_DISKS, f"{res.name} has no disks to back up.")
        return None

    def _size(self, candidate: _Candidate) -> int:
        return resource_size(candidate.resource, candidate.disks, candidate.member.exclude_volumes)

    def _back_up(self, session: Session, vault: Vault, checkpoint: Checkpoint, candidate: _Candidate, name: str,
                 request: BackupRequest, expires: Any) -> Backup:
        res, member = candidate.resource, candidate.member
        kind = ResourceKind(res.kind)
        disks = included_disks(candidate.disks, member.exclude_volumes)
        now = self.ctx.clock.now()
        common = {
            "checkpoint_id": checkpoint.id, "project_id": self.ctx.project_id, "vault_id": vault.id,
            "name": name, "description": checkpoint.description, "status": BackupStatus.PROTECTING.value,
            "image_type": ImageType.BACKUP.value,
            # what is asked; the engine records what it did (nothing to build on makes a full backup too)
            "incremental": not request.full and not self._full_due(session, vault, res, request.full_every),
            "auto_trigger": checkpoint.auto_trigger, "policy_id": checkpoint.policy_id,
            "provider_id": vault_type(vault.object_type).provider_id,
            "enterprise_project_id": vault.enterprise_project_id, "created_at": now, "updated_at": now,
            "expired_at": expires,
        }
        backup = Backup(
            id=self.ctx.ids.uuid(), resource_id=res.id, resource_name=res.name,
            resource_type=RESOURCE_TYPE_OF_KIND[kind].value, resource_size=self._size(candidate),
            resource_az=res.availability_zone, bootable=res.bootable,
            encrypted=res.encrypted or any(d.encrypted for d in disks),
            kms_key_id=res.kms_key_id if kind is ResourceKind.DISK and res.encrypted else None,
            contain_system_disk=any(d.bootable for d in disks), **common,
        )
        session.add(backup)
        for disk in disks:
            session.add(Backup(
                id=self.ctx.ids.uuid(), parent_id=backup.id, resource_id=disk.id, resource_name=disk.name,
                resource_type=ResourceType.VOLUME.value, resource_size=disk.size_gb,
                resource_az=disk.availability_zone, bootable=disk.bootable, encrypted=disk.encrypted,
                kms_key_id=disk.kms_key_id if disk.encrypted else None, **common,
            ))
        if kind is ResourceKind.AGENT:  # a file backup holds one tree per backup path of the client
            for path in session.exec(select(AgentPath).where(AgentPath.agent_id == res.id)
                                     .order_by(col(AgentPath.created_at), col(AgentPath.dir_path))):
                session.add(Backup(id=self.ctx.ids.uuid(), parent_id=backup.id, resource_id=path.id,
                                   resource_name=path.dir_path, resource_type=ResourceType.NATIVE.value,
                                   **common))
        member.protect_status = ProtectStatus.PROTECTING.value
        session.add(member)
        record_task(session, self.ctx, OperationType.BACKUP, TaskStatus.WAITING, vault=vault,
                    resource=(res.id, res.name, member.resource_type), backup=(backup.id, name),
                    checkpoint_id=checkpoint.id, provider_id=backup.provider_id, policy_id=checkpoint.policy_id,
                    extra={"backup": {"incremental": backup.incremental}})
        return backup

    def _full_due(self, session: Session, vault: Vault, res: Resource, full_every: int) -> bool:
        """Whether a policy's full-backup interval N asks for a full backup now: after every N incremental
        ones in a row (0: every backup is full). Whether there is anything to build on is the engine's
        to find out; it records why it read everything."""
        if full_every < 0:
            return False
        recent = session.exec(select(Backup.incremental).where(
            Backup.vault_id == vault.id, Backup.resource_id == res.id, col(Backup.parent_id).is_(None),
            Backup.status == BackupStatus.AVAILABLE.value).order_by(col(Backup.created_at).desc())
            .limit(full_every)).all()
        return len(recent) >= full_every and all(recent)

    # --- the Backups tab --------------------------------------------------------------------------------

    def list(self, *, vault: str | None = None, object_type: str | None = None, resource_id: str | None = None,
             status: str | None = None, search: str | None = None, limit: int = 50, offset: int = 0,
             sort: str = "created_at:desc", resource_type: str | None = None,
             narrower: BackupFilter | None = None) -> BackupPage:
        """The Backups tab (and ListBackups, whose further filters come in `narrower`)."""
        check_paging(limit, offset)
        query = select(Backup).where(Backup.project_id == self.ctx.project_id, col(Backup.parent_id).is_(None),
                                     *lookups.visible_clause(Backup, self.ctx),
                                     *(narrower.clauses() if narrower else ()))
        with self.ctx.store.read() as session:
            if vault:
                query = query.where(Backup.vault_id == lookups.vault(session, self.ctx, vault).id)
            if object_type:
                query = query.where(*_of_type(self.ctx.project_id, check_choice(ObjectType, object_type, "vault type")))
            if resource_id:
                query = query.where(Backup.resource_id == resource_id)
            if resource_type:  # the Hybrid Cloud Backups page's Storage Backups and VMware Backups
                query = query.where(Backup.resource_type == check_choice(ResourceType, resource_type,
                                                                         "resource type").value)
            if status:
                query = query.where(Backup.status == check_choice(BackupStatus, status, "backup status").value)
            if search:
                query = query.where(or_(col(Backup.name).contains(search), Backup.id == search,
                                        col(Backup.resource_name).contains(search)))
            key, _, direction = sort.partition(":")
            if key not in _SORT_KEYS or direction not in ("", "asc", "desc"):
                raise invalid(f"Sort by one of {', '.join(_SORT_KEYS)}, optionally :asc or :desc; not {sort!r}.")
            column = col(_SORT_KEYS[key])
            total = lookups.count(session, query)
            # The ID breaks ties in the same direction, so that the list index serves the order (no sort).
            order = (column.asc(), col(Backup.id).asc()) if direction == "asc" else (column.desc(),
                                                                                      col(Backup.id).desc())
            rows = session.exec(query.order_by(*order)
                                .offset(offset).limit(limit)).all()
            return BackupPage(backups=backup_views(session, rows), count=total, limit=limit, offset=offset)

    def show(self, ref: str) -> BackupView:
        with self.ctx.store.read() as session:
            return backup_views(session, [lookups.backup(session, self.ctx, ref)])[0]

    def storage_usage(self, *, resource_id: str | None = None, resource_type: str | None = None, limit: int = 50,
                      offset: int = 0) -> StorageUsageAnswer:
        """Backups per resource in this region (`GET /storage_usage`): how many, and the MB they added to
        their vaults (what deduplication and incremental backups left to store)."""
        check_paging(limit, offset)
        mine = [col(Backup.project_id) == self.ctx.project_id, col(Backup.parent_id).is_(None),
                *lookups.visible_clause(Backup, self.ctx)]
        if resource_id:
            mine.append(col(Backup.resource_id) == resource_id)
        if resource_type:
            mine.append(col(Backup.resource_type) == check_choice(ResourceType, resource_type, "resource type").value)
        with self.ctx.store.read() as session:
            totals = session.exec(select(Backup.resource_id, func.count(), func.coalesce(func.sum(Backup.new_bytes), 0))
                                  .where(*mine).group_by(col(Backup.resource_id))).all()
            names = {rid: (name, kind) for rid, name, kind in session.exec(
                select(Backup.resource_id, Backup.resource_name, Backup.resource_type).where(*mine).distinct())}
            multi_az = set(session.exec(select(Vault.id).where(col(Vault.project_id) == self.ctx.project_id,
                                                               col(Vault.is_multi_az).is_(True))).all())
            in_multi_az = set(session.exec(select(Backup.resource_id).where(
                col(Backup.vault_id).in_(multi_az), col(Backup.parent_id).is_(None)).distinct()).all()) \
                if multi_az else set()
        usage = sorted((StorageUsageView(resource_id=rid, resource_name=names[rid][0], resource_type=names[rid][1],
                                         backup_count=count, backup_size=int(size) // MB,
                                         backup_size_multiaz=int(size) // MB if rid in in_multi_az else 0)
                        for rid, count, size in totals), key=lambda u: (u.resource_name, u.resource_id))
        return StorageUsageAnswer(resource_count=len(usage), storage_usage=usage[offset:offset + limit])

    def metadata(self, ref: str) -> BackupMetadata:
        """What a server backup recorded of its server (`GET /backups/{id}/metadata`): the server and each
        disk as they were backed up, as JSON text the way the API carries it."""
        with self.ctx.store.read() as session:
            backup = lookups.backup(session, self.ctx, ref)
            if backup.status != BackupStatus.AVAILABLE:
                raise CbrError(Codes.METADATA_NOT_ALLOWED,
                               f"The backup {backup.name} is {backup.status}; only an available backup has metadata.")
            disks = session.exec(select(Backup).where(Backup.parent_id == backup.id)
                                 .order_by(col(Backup.created_at), col(Backup.name))).all()
            server = session.get(Resource, backup.resource_id)
            return BackupMetadata(backup_id=backup.id, server=BackedUpServer(
                id=backup.resource_id, name=backup.resource_name, availability_zone=backup.resource_az,
                flavor=server.flavor if server is not None else None,
                image=server.image_name if server is not None else None),
                volumes=[BackedUpDisk(id=d.resource_id, name=d.resource_name, size=d.resource_size,
                                      bootable=d.bootable, encrypted=d.encrypted, backup_id=d.id) for d in disks])

    def rename(self, ref: str, name: str) -> BackupAnswer:
        """Give a backup a new name (UpdateBackup); its disks' backups keep theirs."""
        name = check_name(name, "backup")
        with self.ctx.store.write() as session:
            backup = lookups.backup(session, self.ctx, ref, action=Action.BACKUP_UPDATE)
            backup.name = name
            backup.updated_at = self.ctx.clock.now()
            session.add(backup)
            session.flush()
            return BackupAnswer(backup=backup_views(session, [backup])[0])

    def show_checkpoint(self, checkpoint_id: str) -> CheckpointAnswer:
        """A restore point as CreateCheckpoint answered it: its resources, those skipped, and its backups
        as they are now."""
        with self.ctx.store.read() as session:
            checkpoint, vault = lookups.checkpoint(session, self.ctx, checkpoint_id)
            made = session.exec(select(Backup).where(Backup.checkpoint_id == checkpoint.id,
                                                     col(Backup.parent_id).is_(None))
                                .order_by(col(Backup.created_at), col(Backup.name))).all()
            resources = [CheckpointResourceView(id=b.resource_id, name=b.resource_name, type=b.resource_type,
                                                resource_size=str(b.resource_size)) for b in made]
            skipped = [SkippedResource(id=t.resource_id or "", name=t.resource_name or "", type=t.resource_type or "",
                                       code=t.extra.get("skipped", {}).get("code", ""),
                                       reason=t.extra.get("skipped", {}).get("reason", ""))
                       for t in session.exec(select(Task).where(Task.checkpoint_id == checkpoint.id,
                                                                Task.status == TaskStatus.SKIPPED.value))]
            return CheckpointAnswer(checkpoint=checkpoint_view(checkpoint, vault, resources, skipped,
                                                               backup_views(session, list(made))))

    def delete(self, ref: str) -> BackupDeleted:
        """Delete a backup (Available or Error). Only data no other backup uses is freed."""
        with self.ctx.store.write() as session:
            backup = lookups.backup(session, self.ctx, ref, action=Action.BACKUP_DELETE)
            if backup.parent_id:
                raise CbrError(Codes.BACKUP_CANNOT_DELETE,
                               f"{backup.name} is one disk of a server backup; delete the server backup instead.")
            if backup.status not in (BackupStatus.AVAILABLE, BackupStatus.ERROR):
                raise CbrError(Codes.BACKUP_CANNOT_DELETE,
                               f"The backup {backup.name} is {backup.status}; only an Available or Error backup "
                               "can be deleted.")
            vault = session.get(Vault, backup.vault_id)
            assert vault is not None
            if vault.status == VaultStatus.DELETING:
                raise CbrError(Codes.INVALID_VAULT_STATUS, f"The vault {vault.name} is being deleted.")
            self._ensure_not_latest_while_running(session, backup)
            if session.exec(select(Image).where(Image.backup_id == backup.id)).first() is not None:
                raise CbrError(Codes.BACKUP_HAS_IMAGE,
                               f"An image was created from {backup.name}; delete the image before the backup.")
            remove_backups(session, self.ctx, vault, [backup])
            record_task(session, self.ctx, OperationType.DELETE, TaskStatus.SUCCESS, vault=vault,
                        resource=(backup.resource_id, backup.resource_name, backup.resource_type),
                        backup=(backup.id, backup.name), provider_id=backup.provider_id)
            return BackupDeleted(backup_id=backup.id)

    def _ensure_not_latest_while_running(self, session: Session, backup: Backup) -> None:
        siblings = select(Backup).where(Backup.vault_id == backup.vault_id, Backup.resource_id == backup.resource_id,
                                        col(Backup.parent_id).is_(None))
        running = session.exec(siblings.where(col(Backup.status).in_(RUNNING))).first()
        if running is None:
            return
        latest = session.exec(siblings.where(Backup.status == BackupStatus.AVAILABLE.value)
                              .order_by(col(Backup.created_at).desc(), col(Backup.id).desc())).first()
        if latest is not None and latest.id == backup.id:
            raise CbrError(Codes.BACKUP_IN_USE,
                           f"{backup.name} is the latest backup of {backup.resource_name} and the next backup is "
                           "running; delete it after that backup completes.")


def _of_type(project_id: str, object_type: ObjectType) -> list[Any]:
    """Backups in vaults of one type. A backup carries its vault type's provider ID, which the list index
    serves; only where two types share a provider (hybrid and file) is the vault's own type checked too."""
    provider = vault_type(object_type).provider_id
    conditions: list[Any] = [Backup.provider_id == provider]
    if sum(v.provider_id == provider for v in VAULT_TYPES.values()) > 1:
        conditions.append(col(Backup.vault_id).in_(select(Vault.id).where(Vault.project_id == project_id,
                                                                          Vault.object_type == object_type.value)))
    return conditions

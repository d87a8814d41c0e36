"""Associating resources with vaults and dissociating them, with every rule of seed chapter 4.

`plan_association` holds the rules once; the purchase wizard (resources chosen at purchase) and the
Associate dialog both go through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, func, select

from cbr_tui.cloud.control import CloudControl, attached_disks
from cbr_tui.domain.eligibility import ensure_vault_allows_association, resource_status_refusal
from cbr_tui.domain.enums import (
    BACKUP_BUSY,
    ObjectType,
    OperationType,
    ProtectStatus,
    ProtectType,
    ResourceKind,
    TaskStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.labels import RESOURCE_NOUN
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import RESOURCES_PER_VAULT
from cbr_tui.domain.vault_types import RESOURCE_TYPE_OF_KIND, VaultType, vault_type
from cbr_tui.services import lookups
from cbr_tui.services.capacity import allocated_gb, included_disks, resource_size
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.removal import remove_backups
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views import (
    ClientConfigured,
    ClientUnregistered,
    ResourcesAdded,
    ResourcesRemoved,
    ResourcesSet,
)
from cbr_tui.store.models import AvailabilityZone, Backup, Resource, Vault, VaultResource


@dataclass(frozen=True)
class ResourceSelection:
    """A resource to associate; for a server, optionally only some of its disks (IDs or names)."""

    resource: str
    include_volumes: tuple[str, ...] | None = None
    exclude_volumes: tuple[str, ...] = ()


@dataclass
class PlannedMember:
    resource: Resource
    exclude_volumes: list[str] = field(default_factory=list)
    size_gb: int = 0


@dataclass(frozen=True)
class VaultSlot:
    """The facts about a vault (existing or being bought) that decide what may join it."""

    vtype: VaultType
    protect_type: ProtectType
    name: str
    availability_zone: str | None
    size_gb: int
    vault_id: str | None = None
    member_count: int = 0
    allocated_gb: int = 0


def refuse_resources_for(vtype: VaultType, protect_type: ProtectType) -> CbrError | None:
    """Why a vault of this kind takes no associated resources at all, or None."""
    if protect_type is ProtectType.REPLICATION:
        return CbrError(Codes.VAULT_CANNOT_ADD_RESOURCES,
                        "A replication vault stores replicas of backups and takes no resources.")
    if vtype.object_type is ObjectType.VMWARE:
        return CbrError(Codes.VAULT_CANNOT_ADD_RESOURCES,
                        "A hybrid cloud backup vault takes no resources: synchronize on-premises backups to it.")
    if vtype.object_type is ObjectType.FILE:
        return CbrError(Codes.VAULT_CANNOT_ADD_RESOURCES,
                        "A file backup vault takes no associated resources: install a backup client and "
                        "configure it with this vault on the Backup Clients tab.")
    return None


def plan_association(session: Session, ctx: ServiceContext, slot: VaultSlot,
                     selections: Sequence[ResourceSelection]) -> list[PlannedMember]:
    """Check every rule for adding `selections` to the vault; the resources and sizes to add."""
    if not selections:
        return []
    refusal = refuse_resources_for(slot.vtype, slot.protect_type)
    if refusal:
        raise refusal
    if slot.availability_zone:
        zone = session.get(AvailabilityZone, slot.availability_zone)
        if zone is not None and not zone.accepts_new_associations:
            raise CbrError(
                Codes.VAULT_CANNOT_ADD_RESOURCES,
                f"The vault {slot.name} is in {zone.name} ({zone.id}), where new resources can no longer be "
                "associated with vaults. Resources already associated keep being backed up.",
            )
    # Locking the resources makes a concurrent association of the same resource wait, then see it taken.
    resolved = [lookups.resource(session, ctx, s.resource, for_update=True) for s in selections]
    seen: set[str] = set()
    for res in resolved:
        if res.id in seen:
            raise CbrError(Codes.DUPLICATE_RESOURCE, f"{res.name} is listed more than once.")
        seen.add(res.id)
    if slot.member_count + len(resolved) > RESOURCES_PER_VAULT:
        raise CbrError(
            Codes.VAULT_RESOURCES_OVER_LIMIT,
            f"A vault holds at most {RESOURCES_PER_VAULT} resources; {slot.name} has {slot.member_count} and "
            f"{len(resolved)} more were selected.",
        )
    planned = [_plan_one(session, slot, res, sel) for res, sel in zip(resolved, selections, strict=True)]
    total = slot.allocated_gb + sum(p.size_gb for p in planned)
    if total > slot.size_gb:
        raise CbrError(
            Codes.INVALID_VAULT_CAPACITY,
            f"The vault capacity ({slot.size_gb:,} GB) must be at least the total size of its resources "
            f"({total:,} GB with the new ones). Expand the vault or select fewer resources.",
        )
    return planned


def _plan_one(session: Session, slot: VaultSlot, res: Resource, selection: ResourceSelection) -> PlannedMember:
    kind = ResourceKind(res.kind)
    noun = RESOURCE_NOUN[kind]
    if kind is not slot.vtype.resource_kind or _is_desktop_disk(session, res):
        raise CbrError(Codes.RESOURCE_TYPE_MISMATCH,
                       f"{res.name} is a {noun}; a {slot.vtype.vault_label} holds only {slot.vtype.resource_noun}s.")
    member = lookups.membership(session, res.id)
    if member is not None:
        owner = session.get(Vault, member.vault_id)
        where = "this vault" if member.vault_id == slot.vault_id else f"the vault {owner.name if owner else '?'}"
        raise CbrError(Codes.RESOURCE_IN_OTHER_VAULT,
                       f"The {noun} {res.name} is already associated with {where}; a resource belongs to one vault.")
    refusal = resource_status_refusal(kind, res.name, res.status, "associated")
    if refusal:
        raise refusal
    if kind not in (ResourceKind.SERVER, ResourceKind.DESKTOP):
        return PlannedMember(res, [], res.size_gb)
    disks = attached_disks(session, res.id)
    if not disks:
        raise CbrError(Codes.SERVER_WITHOUT_DISKS,
                       f"The {noun} {res.name} has no disks; attach at least one disk before associating it.")
    by_ref = {d.id: d for d in disks} | {d.name: d for d in disks}
    wanted = [*(selection.include_volumes or ()), *selection.exclude_volumes]
    unknown = [v for v in wanted if v not in by_ref]
    if unknown:
        raise invalid(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not attached to {res.name}.")
    if selection.include_volumes is not None:
        keep = {by_ref[v].id for v in selection.include_volumes}
        exclude = [d.id for d in disks if d.id not in keep]
    else:
        exclude = sorted({by_ref[v].id for v in selection.exclude_volumes})
    if not included_disks(disks, exclude):
        raise CbrError(Codes.SERVER_WITHOUT_DISKS, f"Select at least one disk of {res.name} to back up.")
    return PlannedMember(res, exclude, resource_size(res, disks, exclude))


def _is_desktop_disk(session: Session, res: Resource) -> bool:
    if res.kind != ResourceKind.DISK or not res.parent_id:
        return False
    parent = session.get(Resource, res.parent_id)
    return parent is not None and parent.kind == ResourceKind.DESKTOP


def add_members(session: Session, ctx: ServiceContext, vault_id: str, planned: Sequence[PlannedMember]) -> None:
    for member in planned:
        session.add(VaultResource(
            id=ctx.ids.uuid(), vault_id=vault_id, resource_id=member.resource.id,
            resource_type=RESOURCE_TYPE_OF_KIND[ResourceKind(member.resource.kind)].value,
            protect_status=ProtectStatus.AVAILABLE.value, exclude_volumes=member.exclude_volumes,
            created_at=ctx.clock.now(),
        ))


def vault_slot(session: Session, vault: Vault) -> VaultSlot:
    members = session.exec(select(func.count()).where(VaultResource.vault_id == vault.id)).one()
    return VaultSlot(vault_type(vault.object_type), ProtectType(vault.protect_type), vault.name,
                     vault.availability_zone, vault.size_gb, vault.id, members, allocated_gb(session, vault.id))


class AssociationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def associate(self, vault_ref: str, selections: Sequence[ResourceSelection]) -> ResourcesAdded:
        """The Associate dialog: add resources to a vault."""
        if not selections:
            raise invalid("Select at least one resource to associate.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True,
                                  action=Action.VAULT_ADD_RESOURCES)
            ensure_vault_allows_association(vault.name, vault.status)
            planned = plan_association(session, self.ctx, vault_slot(session, vault), selections)
            add_members(session, self.ctx, vault.id, planned)
            vault.updated_at = self.ctx.clock.now()
            session.add(vault)
            return ResourcesAdded(add_resource_ids=[p.resource.id for p in planned])

    def dissociate(self, vault_ref: str, resource_refs: Sequence[str]) -> ResourcesRemoved:
        """Remove resources from a vault. As in CBR, their backups in this vault are deleted with them."""
        if not resource_refs:
            raise invalid("Select at least one resource to dissociate.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True,
                                  action=Action.VAULT_REMOVE_RESOURCES)
            ensure_vault_allows_association(vault.name, vault.status)
            members = [vault_member(session, vault, ref) for ref in resource_refs]
            removed: list[dict[str, str]] = []
            deleted = 0
            for member, res in members:
                backups = session.exec(select(Backup).where(
                    Backup.vault_id == vault.id, Backup.resource_id == res.id, col(Backup.parent_id).is_(None)
                )).all()
                if any(b.status in BACKUP_BUSY for b in backups):
                    raise CbrError(Codes.BACKUP_IN_PROGRESS,
                                   f"{res.name} is being backed up or restored; dissociate it when that finishes.")
                deleted += remove_backups(session, self.ctx, vault, backups)
                session.delete(member)
                removed.append({"id": res.id, "name": res.name, "type": member.resource_type})
            record_task(session, self.ctx, OperationType.REMOVE_RESOURCE, TaskStatus.SUCCESS, vault=vault,
                        provider_id=vault_type(vault.object_type).provider_id,
                        extra={"remove_resources": {"fail_count": 0, "total_count": len(removed),
                                                    "resources": removed, "deleted_backups": deleted}})
            vault.updated_at = self.ctx.clock.now()
            session.add(vault)
            return ResourcesRemoved(remove_resource_ids=[r["id"] for r in removed])

    def set_policy_backups(self, vault_ref: str, resource_refs: Sequence[str], *, suspended: bool) -> ResourcesSet:
        """Suspend or resume the policy's backups of some resources (`PUT /vaults/{id}/set-resources`): a
        suspended resource stays in the vault and can be backed up by hand, but the vault's policy skips it."""
        if not resource_refs:
            raise invalid("Name at least one resource of the vault.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True, action=Action.VAULT_UPDATE)
            members = [vault_member(session, vault, ref) for ref in dict.fromkeys(resource_refs)]
            for member, _res in members:
                member.auto_protect = not suspended
                session.add(member)
            return ResourcesSet(set_resource_ids=[res.id for _member, res in members])

    def configure_client(self, agent_ref: str, vault_ref: str) -> ClientConfigured:
        """File Backups > Backup Clients > Configure Vault: a backup client stores its file backups here."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True,
                                  action=Action.VAULT_ADD_RESOURCES)
            if vault.object_type != ObjectType.FILE or vault.protect_type != ProtectType.BACKUP:
                raise CbrError(Codes.RESOURCE_TYPE_MISMATCH,
                               f"The vault {vault.name} is not a file backup vault; backup clients store file "
                               "backups in file backup vaults.")
            ensure_vault_allows_association(vault.name, vault.status)
            agent = lookups.resource(session, self.ctx, agent_ref, ResourceKind.AGENT)
            refusal = resource_status_refusal(ResourceKind.AGENT, agent.name, agent.status, "configured")
            if refusal:
                raise refusal
            current = lookups.membership(session, agent.id)
            if current is not None and current.vault_id != vault.id:
                # moving the client takes it out of its vault: that vault's permission too
                lookups.vault(session, self.ctx, current.vault_id, action=Action.VAULT_REMOVE_RESOURCES)
                busy = session.exec(select(Backup.id).where(Backup.resource_id == agent.id,
                                                            col(Backup.status).in_(BACKUP_BUSY))).first()
                if busy:
                    raise CbrError(Codes.BACKUP_IN_PROGRESS, f"{agent.name} is being backed up; try again later.")
                session.delete(current)
                session.flush()
                current = None
            if current is None:
                add_members(session, self.ctx, vault.id, [PlannedMember(agent)])
            return ClientConfigured(agent_id=agent.id, vault_id=vault.id)

    def unregister_client(self, agent_ref: str) -> ClientUnregistered:
        """UnregisterAgent: the backup client is removed, and every backup it made with it, in one
        transaction. The host's directories and files stay where they are: only CBR's side goes."""
        self.ctx.principal.require(Action.AGENT_MANAGE)
        with self.ctx.store.write() as session:
            agent = lookups.resource(session, self.ctx, agent_ref, ResourceKind.AGENT, for_update=True)
            backups = session.exec(select(Backup).where(Backup.resource_id == agent.id,
                                                        col(Backup.parent_id).is_(None))).all()
            if any(b.status in BACKUP_BUSY for b in backups):
                raise CbrError(Codes.BACKUP_IN_PROGRESS,
                               f"{agent.name} is being backed up or restored; remove it when that finishes.")
            deleted = 0
            for vault_id in sorted({b.vault_id for b in backups}):
                vault = lookups.vault(session, self.ctx, vault_id, for_update=True, action=Action.BACKUP_DELETE)
                deleted += remove_backups(session, self.ctx, vault, [b for b in backups if b.vault_id == vault_id])
            session.exec(delete(VaultResource).where(col(VaultResource.resource_id) == agent.id))
            cloud = CloudControl(self.ctx.layout, self.ctx.clock, self.ctx.ids, self.ctx.project_id,
                                 self.ctx.region_id)
            cloud.delete(session, agent)  # its paths' files are the host's: they are not removed
            return ClientUnregistered(agent_id=agent.id, deleted_backups=deleted)


def vault_member(session: Session, vault: Vault, ref: str) -> tuple[VaultResource, Resource]:
    """The vault's membership of the resource `ref` (ID or name), refused (6135) when it is not in the vault."""
    found = session.exec(
        select(VaultResource, Resource)
        .join(Resource, col(Resource.id) == VaultResource.resource_id)
        .where(VaultResource.vault_id == vault.id, (Resource.id == ref) | (Resource.name == ref))
    ).first()
    if found is None:
        raise CbrError(Codes.RESOURCE_NOT_IN_VAULT, f"{ref} is not associated with the vault {vault.name}.")
    return found

"""Migrate: resources of a vault move to another vault of the same type, their backups and data with them
(the Migrate action of a vault's resources; `POST /vaults/{vault_id}/migrateresources`).

The rules are the reference's: both vaults Available or Locked (6112), of the same type (6102), no task
running in either (6125), the resources associated with the source (6135), and room in the destination for
their size (6101) and their data (6114). The data is copied while nothing is locked for writing; the rules
are checked again in the transaction that moves the rows, so a backup that started meanwhile refuses the
migration rather than being lost (what was copied is then garbage for `gc`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.domain.eligibility import ASSOCIATION_STATUSES, ensure_vault_allows_association, ensure_vault_room
from cbr_tui.domain.enums import BACKUP_BUSY, BackupStatus, TaskStatus
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import RESOURCES_PER_VAULT
from cbr_tui.engine import catalog, keys
from cbr_tui.engine import migrate as engine
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.progress import Meter
from cbr_tui.services import lookups
from cbr_tui.services.associations import vault_member
from cbr_tui.services.capacity import allocated_gb, disks_by_parent, resource_size
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views import MigrationTargets, NamedRef, ResourcesMigrated
from cbr_tui.store.models import Backup, Resource, Task, Vault, VaultResource

log = logging.getLogger(__name__)

_BUSY = (*BACKUP_BUSY, BackupStatus.DELETING.value)  # a backup being deleted does not move either


@dataclass
class _Checked:
    source: Vault
    destination: Vault
    members: list[tuple[VaultResource, Resource]]
    rows: list[Backup]  # every backup row that moves: the resources' backups and their disk backups


def _kind(vault: Vault) -> tuple[str, str, str]:
    """A vault's type as the reference defines it (the cloud type follows from the object type)."""
    return vault.object_type, vault.protect_type, vault.consistent_level


class MigrationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def migrate(self, vault_ref: str, destination_ref: str, resource_refs: Sequence[str]) -> ResourcesMigrated:
        """Move resources of `vault_ref`, with their backups, to `destination_ref`."""
        refs = list(dict.fromkeys(resource_refs))
        if not refs:
            raise invalid("Select at least one resource to migrate.")
        if len(refs) > RESOURCES_PER_VAULT:
            raise invalid(f"At most {RESOURCES_PER_VAULT} resources migrate at a time; {len(refs)} were given.")
        with self.ctx.store.read() as session:
            checked = self._check(session, vault_ref, destination_ref, refs)
            origin = self.ctx.objects(checked.source)
            try:
                migration = engine.plan(session, origin, checked.source.id, checked.destination.id, checked.rows)
            except engine.MigrationRefused as refused:
                raise self._refusal(checked, refused) from None
        target = self.ctx.objects(checked.destination)
        with origin.lock(exclusive=False), target.lock(exclusive=False) as held:
            try:
                written = engine.copy(migration, origin, target,
                                      keys.load(origin, KeyManagement(self.ctx.layout.home)), Meter())
            except engine.MigrationRefused as refused:
                raise self._refusal(checked, refused) from None
            held.confirm()
            with self.ctx.store.write() as session:
                again = self._check(session, checked.source.id, checked.destination.id, refs, for_update=True)
                if {r.id for r in again.rows} != {r.id for r in checked.rows}:
                    raise CbrError(Codes.BACKUP_IN_PROGRESS, "Backups of these resources were made or deleted "
                                   "while their data was being copied; migrate them again.")
                adding = sum(w.length for w in written.values()) + sum(
                    item.stored.size for item in migration.backups if item.stored is not None)
                destination = again.destination
                ensure_vault_room(destination.name, destination.size_gb, destination.used_bytes, adding=adding,
                                  auto_expand=destination.auto_expand, needing="The migration")
                old_manifests = engine.commit_move(session, origin, again.source, destination, again.rows,
                                                   migration, written, self.ctx.clock.now())
                for member, _res in again.members:
                    member.vault_id = destination.id
                    session.add(member)
                now = self.ctx.clock.now()
                again.source.updated_at = destination.updated_at = now
                session.add_all([again.source, destination])
                moved = [res.id for _member, res in again.members]
            self._describe(origin, target, checked, old_manifests)
        return ResourcesMigrated(migrated_resources=moved)

    def destinations(self, vault_ref: str) -> MigrationTargets:
        """The vaults the resources of `vault_ref` can migrate to (what the Migrate dialog offers)."""
        with self.ctx.store.read() as session:
            source = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_REMOVE_RESOURCES)
            candidates = session.exec(select(Vault).where(
                Vault.project_id == source.project_id, Vault.id != source.id,
                Vault.object_type == source.object_type, Vault.protect_type == source.protect_type,
                Vault.consistent_level == source.consistent_level,
                col(Vault.status).in_([s.value for s in ASSOCIATION_STATUSES]),
                *lookups.visible_clause(Vault, self.ctx)).order_by(col(Vault.name))).all()
            return MigrationTargets(vaults=[NamedRef(id=v.id, name=v.name) for v in candidates
                                            if self.ctx.principal.may(Action.VAULT_ADD_RESOURCES,
                                                                      v.enterprise_project_id)])

    def _check(self, session: Session, vault_ref: str, destination_ref: str, refs: list[str], *,
               for_update: bool = False) -> _Checked:
        source = lookups.vault(session, self.ctx, vault_ref, for_update=for_update,
                               action=Action.VAULT_REMOVE_RESOURCES)
        destination = lookups.vault(session, self.ctx, destination_ref, for_update=for_update,
                                    action=Action.VAULT_ADD_RESOURCES)
        if destination.id == source.id:
            raise invalid(f"The resources are in {source.name} already; choose another vault to migrate them to.")
        for vault in (source, destination):
            ensure_vault_allows_association(vault.name, vault.status)
        if _kind(source) != _kind(destination):
            raise CbrError(Codes.RESOURCE_TYPE_MISMATCH,
                           f"{destination.name} is not a vault of the same type as {source.name} (type, protection "
                           "and consistency); resources migrate only between vaults of one type.")
        running = session.exec(select(Task.vault_id).where(
            col(Task.vault_id).in_([source.id, destination.id]),
            col(Task.status).in_([TaskStatus.WAITING.value, TaskStatus.RUNNING.value]))).first()
        if running is not None:
            busy = source if running == source.id else destination
            raise CbrError(Codes.BACKUP_IN_PROGRESS, f"A task of {busy.name} is waiting or running (see Tasks); "
                                                     "migrate when it has finished.")
        members = [vault_member(session, source, ref) for ref in refs]
        self._ensure_room(session, destination, members)
        parents = list(session.exec(select(Backup).where(
            Backup.vault_id == source.id, col(Backup.parent_id).is_(None),
            col(Backup.resource_id).in_([res.id for _member, res in members]))).all())
        children = list(session.exec(select(Backup).where(
            col(Backup.parent_id).in_([b.id for b in parents]))).all()) if parents else []
        busy_backup = next((b for b in [*parents, *children] if b.status in _BUSY), None)
        if busy_backup is not None:
            raise CbrError(Codes.BACKUP_IN_PROGRESS, f"The backup {busy_backup.name} of {busy_backup.resource_name} "
                                                     f"is {busy_backup.status}; migrate when it has finished.")
        return _Checked(source, destination, members, [*parents, *children])

    @staticmethod
    def _ensure_room(session: Session, destination: Vault, members: list[tuple[VaultResource, Resource]]) -> None:
        """The destination's capacity covers its resources' sizes with the new ones (as associating them
        would), and its count of resources stays within the limit."""
        count = len(session.exec(select(VaultResource.id).where(VaultResource.vault_id == destination.id)).all())
        if count + len(members) > RESOURCES_PER_VAULT:
            raise CbrError(Codes.VAULT_RESOURCES_OVER_LIMIT,
                           f"A vault holds at most {RESOURCES_PER_VAULT} resources; {destination.name} has {count} "
                           f"and {len(members)} would join it.")
        disks = disks_by_parent(session, (res.id for _member, res in members))
        adding = sum(resource_size(res, disks.get(res.id, []), member.exclude_volumes) for member, res in members)
        total = allocated_gb(session, destination.id) + adding
        if total > destination.size_gb:
            raise CbrError(Codes.INVALID_VAULT_CAPACITY,
                           f"The capacity of {destination.name} ({destination.size_gb:,} GB) must be at least the "
                           f"total size of its resources ({total:,} GB with the migrated ones); expand it first.")

    @staticmethod
    def _refusal(checked: _Checked, refused: engine.MigrationRefused) -> CbrError:
        return CbrError(Codes.INVALID_VAULT_STATUS,
                        f"The resources cannot leave {checked.source.name}: {refused}.")

    def _describe(self, origin: ObjectStore, target: ObjectStore, checked: _Checked,
                  old_manifests: list[str]) -> None:
        """After the commit: the source's manifests go, and both stores describe their vaults again."""
        try:
            for key in old_manifests:
                origin.delete(key)
            with self.ctx.store.read() as session:
                for row in checked.rows:
                    if row.parent_id is None:
                        catalog.forget_backup(origin, row.id)
                        catalog.record_backup(session, target, row.id)
                for objects, vault_id in ((origin, checked.source.id), (target, checked.destination.id)):
                    vault = session.get(Vault, vault_id)
                    if vault is not None:
                        catalog.record_vault(session, objects, vault)
        except OSError:  # committed; `vault verify` writes the records again, `gc` removes what is left
            log.warning("could not tidy the stores after migrating from %s", checked.source.name, exc_info=True)

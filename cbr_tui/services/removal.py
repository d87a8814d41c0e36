"""Removing backups: the one place that deletes backup rows, whoever asks (a user, dissociation, a vault
deletion), so that freeing their data is done once and the same way everywhere.

Deleting a backup releases its references in the same transaction: the vault's used capacity drops by
exactly the data no other backup uses. The objects themselves are swept by garbage collection.

Deleting a vault records a `StoreRemoval` in its transaction; once that has committed, `remove_stored`
empties the vault's store. A store that does not answer then keeps the record, and each scheduler pass
(`retry_store_removals`) tries again, a minute of cloud time after the first failure and twice as long after
each next one (up to about an hour), until the store has removed everything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, delete, func, select

from cbr_tui.domain.clock import api_time
from cbr_tui.domain.enums import BackupStatus, OperationType, TaskStatus
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.engine import catalog
from cbr_tui.engine.commit import release
from cbr_tui.engine.placement import VaultZones
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views import VaultRemoval
from cbr_tui.store.models import (
    Backup,
    Checkpoint,
    Chunk,
    StoreRemoval,
    Vault,
    VaultPolicy,
    VaultResource,
    VaultTag,
)

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=1)  # of cloud time, between two tries at a store that did not answer
BUSY = (BackupStatus.PROTECTING.value, BackupStatus.WAITING_PROTECT.value, BackupStatus.RESTORING.value,
        BackupStatus.WAITING_RESTORE.value, BackupStatus.DELETING.value, BackupStatus.WAITING_DELETE.value)


def remove_backups(session: Session, ctx: ServiceContext, vault: Vault, backups: Sequence[Backup]) -> int:
    """Delete backups with their per-disk children, and restore points left without backups.

    Returns how many top-level backups were removed.
    """
    ids = [b.id for b in backups]
    if not ids:
        return 0
    children = session.exec(select(Backup).where(col(Backup.parent_id).in_(ids))).all()
    objects = ctx.objects(vault)
    release(session, objects, vault, [*backups, *children], ctx.clock.now())
    for backup in backups:  # so that a recovery never brings a deleted backup back
        catalog.forget_backup(objects, backup.id)
    checkpoints = {b.checkpoint_id for b in backups}
    session.exec(delete(Backup).where(col(Backup.parent_id).in_(ids)))
    session.exec(delete(Backup).where(col(Backup.id).in_(ids)))
    for checkpoint_id in checkpoints:
        left = session.exec(select(func.count()).where(Backup.checkpoint_id == checkpoint_id)).one()
        if left == 0:
            session.exec(delete(Checkpoint).where(col(Checkpoint.id) == checkpoint_id))
    return len(ids)


def drop_vault_data(session: Session, vault: Vault) -> None:
    """Forget every blob of a vault being deleted (its directory goes once the deletion has committed)."""
    session.exec(delete(Chunk).where(col(Chunk.vault_id) == vault.id))
    vault.used_bytes = 0


def remove_vault(session: Session, ctx: ServiceContext, vault: Vault, extra: dict[str, Any] | None = None
                 ) -> VaultRemoval:
    """Delete a vault with its backups, resources, tags and policy links (deletion, unsubscription, or release
    at the end of the retention period); its objects go once the caller has committed."""
    backups = session.exec(select(Backup).where(Backup.vault_id == vault.id, col(Backup.parent_id).is_(None))).all()
    if any(b.status in BUSY for b in backups):
        raise CbrError(Codes.PERFORMING_BACKUPS,
                       f"Backups of {vault.name} are being created, restored or deleted; delete it afterwards.")
    deleted = len(backups)
    drop_vault_data(session, vault)
    session.exec(delete(Backup).where(col(Backup.vault_id) == vault.id))
    session.exec(delete(Checkpoint).where(col(Checkpoint.vault_id) == vault.id))
    session.exec(delete(VaultResource).where(col(VaultResource.vault_id) == vault.id))
    session.exec(delete(VaultTag).where(col(VaultTag.vault_id) == vault.id))
    session.exec(delete(VaultPolicy).where(col(VaultPolicy.vault_id) == vault.id))
    now = ctx.clock.now()  # the deleting process tries first; the scheduler's passes only after a minute
    session.add(StoreRemoval(vault_id=vault.id, vault_name=vault.name, availability_zone=vault.availability_zone,
                             secondary_zone=vault.secondary_zone, requested_at=now,
                             next_attempt_at=now + RETRY_AFTER))
    record_task(session, ctx, OperationType.VAULT_DELETE, TaskStatus.SUCCESS, vault=vault,
                provider_id=vault_type(vault.object_type).provider_id,
                extra={"vault_delete": {"fail_count": 0, "total_count": deleted}} | (extra or {}))
    session.delete(vault)
    return VaultRemoval(vault_id=vault.id, deleted_backups=deleted, deleted_at=api_time(ctx.clock.now()))


def remove_stored(ctx: ServiceContext, vault_id: str) -> str | None:
    """Empty the store of a vault whose deletion has committed; None when done, else why the objects stay.
    The vault's record goes first, so that a removal cut short never leaves a vault `vault recover` would
    bring back. A store that does not answer keeps the removal for a later pass (the deletion stands)."""
    with ctx.store.read() as session:
        removal = session.get(StoreRemoval, vault_id)
        if removal is None:
            return None
        objects = ctx.objects(VaultZones(removal.vault_id, removal.availability_zone, removal.secondary_zone))
    try:
        objects.delete(catalog.VAULT_KEY)
        objects.remove_all()
    except OSError as error:  # ObjectStoreUnavailable among them
        log.warning("the objects of deleted vault %s stay until its store answers: %s", removal.vault_name, error)
        with ctx.store.write() as session:
            pending = session.get(StoreRemoval, vault_id)
            if pending is not None:
                pending.attempts += 1
                pending.last_error = str(error)
                # a minute after the first failure, then twice as long after each, up to about an hour
                pending.next_attempt_at = ctx.clock.now() + RETRY_AFTER * 2 ** min(pending.attempts - 1, 6)
                session.add(pending)
        return (f"{error}; they are removed once the store answers (the scheduler tries again after a "
                "minute, then less often).")
    with ctx.store.write() as session:
        session.exec(delete(StoreRemoval).where(col(StoreRemoval.vault_id) == vault_id))
    return None


def retry_store_removals(ctx: ServiceContext) -> list[str]:
    """Try again the removals whose store did not answer before (and whose minute has passed); the vault IDs
    whose objects are now gone."""
    with ctx.store.read() as session:
        due = session.exec(select(StoreRemoval.vault_id).where(
            StoreRemoval.next_attempt_at <= ctx.clock.now()).order_by(col(StoreRemoval.next_attempt_at))).all()
    return [vault_id for vault_id in due if _removal_pending(ctx, vault_id) and remove_stored(ctx, vault_id) is None]


def _removal_pending(ctx: ServiceContext, vault_id: str) -> bool:
    """Still to do (another process's pass may have done it since this one looked)."""
    with ctx.store.read() as session:
        return session.get(StoreRemoval, vault_id) is not None


def pending_store_removals(session: Session) -> set[str]:
    """Vaults deleted whose objects are not all removed yet: never to be recovered from their store."""
    return set(session.exec(select(StoreRemoval.vault_id)).all())

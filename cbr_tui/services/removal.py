"""Removing backups: the one place that deletes backup rows, whoever asks (a user, dissociation, a vault
deletion), so that freeing their data is done once and the same way everywhere.

Deleting a backup releases its references in the same transaction: the vault's used capacity drops by
exactly the data no other backup uses. The objects themselves are swept by garbage collection.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, func, select

from cbr_tui.engine import catalog
from cbr_tui.engine.commit import release
from cbr_tui.engine.objects import vault_objects
from cbr_tui.services.context import ServiceContext
from cbr_tui.store.models import Backup, Checkpoint, Chunk, Vault


def remove_backups(session: Session, ctx: ServiceContext, vault: Vault, backups: Sequence[Backup]) -> int:
    """Delete backups with their per-disk children, and restore points left without backups.

    Returns how many top-level backups were removed.
    """
    ids = [b.id for b in backups]
    if not ids:
        return 0
    children = session.exec(select(Backup).where(col(Backup.parent_id).in_(ids))).all()
    objects = vault_objects(ctx.layout.home, vault.id)
    release(session, objects, vault, [*backups, *children], ctx.clock.now())
    for backup in backups:  # so that a recovery never brings a deleted backup back
        catalog.forget_backup(objects, backup.id)
    checkpoints = {b.checkpoint_id for b in backups}
    session.exec(delete(Backup).where(col(Backup.parent_id).in_(ids)))
    session.exec(delete(Backup).where(col(Backup.id).in_(ids)))
    for checkpoint_id in checkpoints:
        left = session.exec(select(func.count()).where(Backup.checkpoint_id == checkpoint_id)).one()
        if left == 0:
            session.exec(delete(Checkpoint).where(Checkpoint.id == checkpoint_id))
    return len(ids)


def drop_vault_data(session: Session, vault: Vault) -> None:
    """Forget every blob of a vault being deleted (its directory goes once the deletion has committed)."""
    session.exec(delete(Chunk).where(Chunk.vault_id == vault.id))
    vault.used_bytes = 0

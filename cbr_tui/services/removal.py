"""Removing backups: the one place that deletes backup rows, whoever asks (a user, dissociation, a vault
deletion), so that freeing their data is done once and the same way everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, func, select

from cbr_tui.store.models import Backup, Checkpoint


def remove_backups(session: Session, backups: Sequence[Backup]) -> int:
    """Delete backups with their per-disk children, and restore points left without backups.

    Returns how many top-level backups were removed.
    """
    ids = [b.id for b in backups]
    if not ids:
        return 0
    checkpoints = {b.checkpoint_id for b in backups}
    session.exec(delete(Backup).where(col(Backup.parent_id).in_(ids)))
    session.exec(delete(Backup).where(col(Backup.id).in_(ids)))
    for checkpoint_id in checkpoints:
        left = session.exec(select(func.count()).where(Backup.checkpoint_id == checkpoint_id)).one()
        if left == 0:
            session.exec(delete(Checkpoint).where(Checkpoint.id == checkpoint_id))
    return len(ids)

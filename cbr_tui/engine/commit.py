"""The database half of the commit protocol, and its inverse.

Order on disk: blobs, one sync, manifests (durable), then `commit` in one transaction: index the new blobs,
count one reference per distinct blob of each manifest, make the backups visible, add what started being
used to the vault's used capacity. A crash before the transaction leaves only unreferenced objects, which
garbage collection removes; no committed backup ever points at data that is not there.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cbr_tui.engine import index, manifest
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import Manifest, StoredManifest
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.store import notices
from cbr_tui.store.models import Backup, Vault


@dataclass
class Made:
    """One backup's result: its manifest and the figures the console shows."""

    backup_id: str
    manifest: Manifest
    stored: StoredManifest
    logical_bytes: int
    read_bytes: int
    generation: int | None = None
    # what the engine did: read only what changed since the last backup, or everything (and why)
    incremental: bool = False
    read_reason: str = ""


def commit(session: Session, vault: Vault, made: Sequence[Made], written: dict[bytes, Location],
           now: datetime) -> int:
    """Record blobs and references for `made`; returns the bytes added to the vault's used capacity."""
    index.record(session, vault.id, written, now)
    gained = 0
    for item in made:
        gained += index.reference(session, vault.id, item.manifest.referenced()) + item.stored.size
        backup = session.get(Backup, item.backup_id)
        assert backup is not None
        backup.manifest_key, backup.manifest_hash = item.stored.key, item.stored.hash
        backup.manifest_size = item.stored.size
        backup.logical_bytes, backup.read_bytes = item.logical_bytes, item.read_bytes
        backup.new_bytes = sum(written[h].length for h in item.manifest.referenced() if h in written)
        backup.bitmap_generation = item.generation
        backup.incremental, backup.read_reason = item.incremental, item.read_reason
        session.add(backup)
    add_used(session, vault, gained, now)
    return gained


def add_used(session: Session, vault: Vault, gained: int, now: datetime) -> None:
    """Count what started being used in the vault's used capacity; reaching the vault's alarm threshold
    notifies (in this transaction, so only for data that commits)."""
    before = vault.used_bytes
    vault.used_bytes += gained
    session.add(vault)
    notices.used_grew(session, vault, before, now)


def release(session: Session, objects: ObjectStore, vault: Vault, backups: Sequence[Backup],
            now: datetime) -> tuple[int, list[str]]:
    """Drop the references of backups about to be deleted; returns the bytes freed and the manifest keys to
    delete once the transaction has committed. A manifest that cannot be read frees nothing here (the audit
    finds what it referenced)."""
    freed = 0
    keys: list[str] = []
    for backup in backups:
        if not backup.manifest_key or not backup.manifest_hash:
            continue
        keys.append(backup.manifest_key)
        freed += backup.manifest_size
        try:
            loaded = manifest.load(objects, backup.manifest_key, backup.manifest_hash)
        except manifest.DamagedManifest:
            continue
        freed += index.release(session, vault.id, loaded.referenced(), now)
    vault.used_bytes = max(vault.used_bytes - freed, 0)
    session.add(vault)
    return freed, keys

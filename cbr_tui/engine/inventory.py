"""What a vault's committed backups reference: read from their manifests (the ground truth of the audit)."""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cbr_tui.engine import manifest
from cbr_tui.engine.manifest import Manifest
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.store.models import Backup, Chunk


@dataclass
class Inventory:
    references: Counter[bytes] = field(default_factory=Counter)
    manifest_bytes: int = 0
    manifest_keys: set[str] = field(default_factory=set)
    unreadable: dict[str, str] = field(default_factory=dict)  # backup id -> why
    users: dict[bytes, set[str]] = field(default_factory=dict)  # blob -> backups using it


def committed(session: Session, objects: ObjectStore, vault_id: str) -> Iterator[tuple[Backup, Manifest | str]]:
    """Every backup of the vault that has a manifest, with the manifest or why it cannot be read."""
    rows = session.exec(select(Backup).where(Backup.vault_id == vault_id, col(Backup.manifest_key).is_not(None))
                        .order_by(col(Backup.created_at), col(Backup.id))).all()
    for backup in rows:
        assert backup.manifest_key is not None and backup.manifest_hash is not None
        try:
            yield backup, manifest.load(objects, backup.manifest_key, backup.manifest_hash)
        except manifest.DamagedManifest as error:
            yield backup, str(error)


def take(session: Session, objects: ObjectStore, vault_id: str, *, with_users: bool = False) -> Inventory:
    found = Inventory()
    for backup, loaded in committed(session, objects, vault_id):
        assert backup.manifest_key is not None
        found.manifest_keys.add(backup.manifest_key)
        found.manifest_bytes += backup.manifest_size
        if isinstance(loaded, str):
            found.unreadable[backup.id] = loaded
            continue
        for hash_ in loaded.referenced():
            found.references[hash_] += 1
            if with_users:
                found.users.setdefault(hash_, set()).add(backup.parent_id or backup.id)
    return found


DATA = ("chunks/", "packs/", "manifests/")  # what backups write; anything else (keys, the catalog) is kept


def needed(session: Session, vault_id: str) -> Callable[[str], bool]:
    """Whether the vault needs an object: a blob's object or a backup's manifest the database knows, or any
    object that is not backup data (key records, the vault's own record). Objects of a backup that never
    committed are not needed: gc frees them."""
    known = set(session.exec(select(Chunk.object_key).where(col(Chunk.vault_id) == vault_id)).all())
    known |= {key for key in session.exec(select(Backup.manifest_key).where(
        Backup.vault_id == vault_id, col(Backup.manifest_key).is_not(None))).all() if key is not None}
    return lambda key: key in known or not key.startswith(DATA)

"""The vault describes itself: its object store holds its own record and every backup's, so the database
can be rebuilt from the object stores alone (`cbr-tui vault recover`), as restic and PBS keep everything a
repository needs inside it.

`catalog/vault` is the vault's row (with its tags and associated resources); `catalog/backups/<id>` is one
backup with its per-disk children and its restore point, written once the backup has committed. Records are
the store's rows as JSON: what is recovered is exactly what was there. The blob index needs no record: chunk
objects are named by their hash and every pack ends with its own index (see `packs`).
"""

import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.domain.enums import BackupStatus
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.store.models import Backup, Checkpoint, Vault, VaultResource, VaultTag

VAULT_KEY = "catalog/vault"
BACKUPS = "catalog/backups/"
FORMAT = 1


def backup_key(backup_id: str) -> str:
    return f"{BACKUPS}{backup_id}"


def _put(objects: ObjectStore, key: str, record: dict[str, Any]) -> None:
    # Atomic, not synced on its own: the next backup's sync covers it, and `vault verify` writes a lost one again.
    objects.put(key, json.dumps({"v": FORMAT, **record}, sort_keys=True, default=str).encode())


def forget_backup(objects: ObjectStore, backup_id: str) -> None:
    objects.delete(backup_key(backup_id))


def record_vault(session: Session, objects: ObjectStore, vault: Vault) -> None:
    """Write the vault's record as the session sees it (call once it has committed, or just before)."""
    tags = session.exec(select(VaultTag).where(VaultTag.vault_id == vault.id)).all()
    members = session.exec(select(VaultResource).where(VaultResource.vault_id == vault.id)).all()
    _put(objects, VAULT_KEY, {"vault": vault.model_dump(mode="json"), "tags": [t.model_dump(mode="json") for t in tags],
                              "members": [m.model_dump(mode="json") for m in members]})


def record_backup(session: Session, objects: ObjectStore, backup_id: str) -> None:
    backup = session.get(Backup, backup_id)
    if backup is None:
        return
    children = session.exec(select(Backup).where(Backup.parent_id == backup_id)).all()
    checkpoint = session.get(Checkpoint, backup.checkpoint_id)
    _put(objects, backup_key(backup_id), {"backup": backup.model_dump(mode="json"),
                                          "children": [c.model_dump(mode="json") for c in children],
                                          "checkpoint": checkpoint.model_dump(mode="json") if checkpoint else None})


def record_missing(session: Session, objects: ObjectStore, vault: Vault) -> None:
    """Record the vault again, and every committed backup whose record is missing (a crash between the
    commit and its record)."""
    record_vault(session, objects, vault)
    committed = (BackupStatus.AVAILABLE.value, BackupStatus.RESTORING.value)
    for backup_id in session.exec(select(Backup.id).where(
            Backup.vault_id == vault.id, col(Backup.parent_id).is_(None), col(Backup.status).in_(committed))):
        if not objects.exists(backup_key(backup_id)):
            record_backup(session, objects, backup_id)


@dataclass
class Described:
    """What a vault's object store says about it."""

    vault: dict[str, Any] | None = None
    tags: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    backups: list[dict[str, Any]] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


def read(objects: ObjectStore) -> Described:
    found = Described()
    try:
        record = _load(objects, VAULT_KEY)
        found.vault, found.tags, found.members = record["vault"], record["tags"], record["members"]
    except FileNotFoundError:
        pass
    except ValueError as error:
        found.unreadable[VAULT_KEY] = str(error)
    for key, _size, _mtime in sorted(objects.list(BACKUPS)):
        try:
            found.backups.append(_load(objects, key))
        except (FileNotFoundError, ValueError) as error:
            found.unreadable[key] = str(error)
    return found


def _load(objects: ObjectStore, key: str) -> dict[str, Any]:
    try:
        record = json.loads(objects.get(key))
    except UnicodeDecodeError as error:
        raise ValueError(f"not a record: {error}") from None
    if not isinstance(record, dict) or record.get("v") != FORMAT:
        raise ValueError(f"unknown record format in {key}")
    return record

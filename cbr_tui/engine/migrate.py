"""Moving backups, with their data, from one vault's chunk store to another's (Migrate resources).

The order is the commit order of `engine.commit`, applied to both vaults: the objects the backups need
that the destination does not hold intact are copied (each blob read back and verified against its ID
first; sealed blobs travel with their wrapped data keys), one sync, the manifests written in the
destination; then one transaction indexes and references the data in the destination, releases it in the
source, and moves the backup rows. Only after it commits are the source's manifests deleted; what the
source no longer needs is garbage for `gc`. A crash before the commit leaves the source untouched and, in
the destination, only unreferenced objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlmodel import Session

from cbr_tui.engine import index, keys, manifest
from cbr_tui.engine.blobs import DamagedBlob, ThreadCodecs
from cbr_tui.engine.commit import add_used, release
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import Manifest, StoredManifest
from cbr_tui.engine.mirror import listing, read_checked
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.progress import Meter
from cbr_tui.store.models import Backup, Vault


@dataclass
class Moving:
    """One backup on the move: its manifest, as read (and checked) in the source."""

    backup_id: str
    manifest: Manifest
    stored: StoredManifest | None = None  # written in the destination


@dataclass
class MigrationPlan:
    source_id: str
    destination_id: str
    backups: list[Moving]
    locations: dict[bytes, Location]  # in the source, of every blob the backups reference
    missing: list[bytes]  # those the destination does not hold intact

    @property
    def bytes_to_copy(self) -> int:
        return sum(self.locations[h].length for h in self.missing)


class MigrationRefused(Exception):
    """A backup cannot move: its manifest or some of its data cannot be read in the source."""


def plan(session: Session, origin: ObjectStore, source_id: str, destination_id: str,
         backups: Sequence[Backup]) -> MigrationPlan:
    """What moving `backups` (every one with data: disk backups of a server, not the server's own row)
    needs, read in the caller's transaction."""
    moving: list[Moving] = []
    for backup in backups:
        if not backup.manifest_key or not backup.manifest_hash:
            continue  # a backup that failed holds no data: only its row moves
        try:
            moving.append(Moving(backup.id, manifest.load(origin, backup.manifest_key, backup.manifest_hash)))
        except manifest.DamagedManifest as error:
            raise MigrationRefused(f"the backup {backup.name} cannot be read ({error}); `vault verify` tells "
                                   "more, and it can be deleted before the migration") from None
    wanted = list(dict.fromkeys(h for item in moving for h in item.manifest.referenced()))
    locations = index.locate(session, source_id, wanted)
    lost = [h for h in wanted if h not in locations]
    if lost:
        raise MigrationRefused(f"{len(lost)} blocks of data its backups reference are not in the source vault")
    intact, _damaged = index.classify(session, destination_id, wanted)
    return MigrationPlan(source_id, destination_id, moving, locations, [h for h in wanted if h not in intact])


def copy(migration: MigrationPlan, origin: ObjectStore, target: ObjectStore,
         origin_keys: keys.Keyring, meter: Meter, *, workers: int = 2) -> dict[bytes, Location]:
    """Copy what the destination lacks, verified, and write the manifests there; what was written (to
    index in the destination). Objects are read, verified and written by `workers` threads (decompressing
    and hashing release the GIL), so the copy is not serialised on one core."""
    meter.add_total(migration.bytes_to_copy)
    meter.check()
    for key_object, _size, _mtime in listing(origin, keys.PREFIX):  # sealed blobs travel with their wrapped keys
        if not target.exists(key_object):
            target.put_durably(key_object, origin.get(key_object))
    by_object: dict[str, list[bytes]] = {}
    for hash_ in migration.missing:
        by_object.setdefault(migration.locations[hash_].object_key, []).append(hash_)
    codecs = ThreadCodecs(origin_keys)

    def verified(hashes: list[bytes], stored: bytes) -> bytes:
        for hash_ in hashes:
            where = migration.locations[hash_]
            codecs.codec.decode(stored[where.offset:where.offset + where.length], hash_, where.raw_size)
        return stored

    def move(object_key: str, hashes: list[bytes]) -> int:
        """One object, whole (a pack's blobs keep their offsets), once each blob the backups need is verified
        (a Multi-AZ source gives its other zone's copy when one is damaged)."""
        try:
            stored = read_checked(origin, object_key, 0, None, partial(verified, hashes))
        except DamagedBlob as error:
            raise MigrationRefused(f"a block of data in the source vault is damaged ({error}); "
                                   "`vault verify` finds the backups that use it") from None
        if not target.exists(object_key):
            target.put(object_key, stored)
        return sum(migration.locations[h].length for h in hashes)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for moved in pool.map(lambda item: move(*item), by_object.items()):
            meter.advance(moved)
    target.sync()
    for item in migration.backups:
        item.stored = manifest.save(target, item.backup_id, item.manifest)
    return {hash_: migration.locations[hash_] for hash_ in migration.missing}


def commit_move(session: Session, objects: ObjectStore, source: Vault, destination: Vault,
                rows: Sequence[Backup], migration: MigrationPlan, written: dict[bytes, Location],
                now: datetime) -> list[str]:
    """In the caller's transaction: reference the data in the destination, release it in the source, and
    move the rows (`rows`: every backup row of the migration, parents and disk backups). Returns the
    source's manifest keys, to delete once the transaction has committed."""
    stored = {item.backup_id: item for item in migration.backups}
    _freed, old_manifests = release(session, objects, source, [r for r in rows if r.id in stored], now)
    index.record(session, destination.id, written, now)
    gained = 0
    for row in rows:
        item = stored.get(row.id)
        if item is not None:
            assert item.stored is not None
            gained += index.reference(session, destination.id, item.manifest.referenced()) + item.stored.size
            row.manifest_key, row.manifest_hash = item.stored.key, item.stored.hash
            row.manifest_size = item.stored.size
        row.vault_id = destination.id
        row.updated_at = now
        session.add(row)
    add_used(session, destination, gained, now)
    return old_manifests

"""Verification: a structure check that reads no data (every manifest loads, every referenced blob is
indexed and its object is there), and a read-data check of all or a share of the blobs (oldest checked
first). Damaged blobs and the backups that use them are marked; the next backup of the resource then
reads everything and stores good copies again. A Multi-AZ vault's blobs are read in both zones: a blob whole
in one is not damaged, and the other zone's damaged copy is reported for `repair-zones` to replace."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.engine import index, inventory, manifest
from cbr_tui.engine.blobs import Codec, DamagedBlob, DataKey, MissingKey
from cbr_tui.engine.keys import PREFIX as KEY_RECORDS
from cbr_tui.engine.keys import record_of
from cbr_tui.engine.mirror import copies
from cbr_tui.engine.objects import DamagedObject, ObjectStore
from cbr_tui.store.models import Backup, Chunk, Vault


@dataclass
class VerifyReport:
    vault_id: str
    backups_checked: int = 0
    blobs_checked: int = 0
    bytes_read: int = 0
    missing_blobs: list[str] = field(default_factory=list)
    damaged_blobs: list[str] = field(default_factory=list)
    damaged_backups: list[str] = field(default_factory=list)
    unreadable_manifests: dict[str, str] = field(default_factory=dict)
    unopened_blobs: dict[str, str] = field(default_factory=dict)  # their data key cannot be opened
    # A Multi-AZ vault: for each zone, the objects whose copy there is damaged while the other zone's is whole
    damaged_in_zone: dict[str, set[str]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.missing_blobs or self.damaged_blobs or self.unreadable_manifests or self.unopened_blobs
                    or self.damaged_in_zone)

    def to_api(self) -> dict[str, Any]:
        return {"vault_id": self.vault_id, "clean": self.clean, "backups_checked": self.backups_checked,
                "blobs_checked": self.blobs_checked, "bytes_read": self.bytes_read,
                "missing_blobs": self.missing_blobs, "damaged_blobs": self.damaged_blobs,
                "damaged_backups": self.damaged_backups, "unreadable_manifests": self.unreadable_manifests,
                "blobs_with_unavailable_keys": self.unopened_blobs,
                "objects_damaged_in_zone": {zone: sorted(keys) for zone, keys in sorted(self.damaged_in_zone.items())}}


def verify(session: Session, objects: ObjectStore, vault: Vault, now: datetime, *,
           read_share: float = 0.0, keys: Mapping[bytes, DataKey] | None = None) -> VerifyReport:
    """Check the vault; with `read_share` > 0, also read and hash that share of its referenced blobs."""
    found = inventory.take(session, objects, vault.id, with_users=True)
    report = VerifyReport(vault.id, backups_checked=len(found.manifest_keys),
                          unreadable_manifests=dict(found.unreadable))
    rows = {row.hash: row for row in session.exec(select(Chunk).where(Chunk.vault_id == vault.id))}
    bad: set[bytes] = set()
    for hash_ in found.references:
        row = rows.get(hash_)
        end = objects.size(row.object_key) if row else None
        if row is None or end is None or end < row.offset + row.length:
            report.missing_blobs.append(hash_.hex())
            bad.add(hash_)
    if read_share > 0:
        # Blobs known damaged first (a repair is proven at once), then the longest unchecked.
        candidates = sorted((rows[h] for h in found.references if h in rows and h not in bad),
                            key=lambda r: (not r.damaged, r.verified_at is not None, r.verified_at or now))
        codec = Codec(keys)
        places = copies(objects)
        for row in candidates[: max(1, round(len(candidates) * min(read_share, 1.0)))]:
            report.blobs_checked += 1
            damaged_in: list[str] = []  # the zones whose copy is damaged (a Multi-AZ vault reads both)
            whole = False
            try:
                for zone, store in places:
                    try:
                        stored = store.get(row.object_key, row.offset, row.length)
                    except FileNotFoundError:  # a zone that lacks the object: `differences` names it
                        continue
                    report.bytes_read += len(stored)
                    try:
                        codec.decode(stored, row.hash, row.raw_size)
                        whole = True
                    except DamagedBlob:
                        damaged_in.append(zone)
            except MissingKey as error:  # not damage: the data may be whole, only its key is out of reach
                report.unopened_blobs[row.hash.hex()] = str(error)
                continue
            if whole:
                row.verified_at, row.damaged = now, False  # read whole and intact: repaired, if it was damaged
                session.add(row)
                for zone in damaged_in:
                    report.damaged_in_zone.setdefault(zone, set()).add(row.object_key)
            else:
                report.damaged_blobs.append(row.hash.hex())
                bad.add(row.hash)
        if len(places) > 1:
            _check_zone_records(session, places, vault, report)
    if bad:
        index.mark_damaged(session, vault.id, [h for h in bad if h in rows])
        damaged = {user for h in bad for user in found.users.get(h, set())}
        for backup in session.exec(select(Backup).where(
                (col(Backup.id).in_(damaged)) | (col(Backup.parent_id).in_(damaged)))):
            backup.damaged = True
            session.add(backup)
        report.damaged_backups = sorted(damaged)
    if read_share >= 1:
        _clear_repaired(session, vault, found, rows, bad)
    return report


def _clear_repaired(session: Session, vault: Vault, found: inventory.Inventory, rows: dict[bytes, Chunk],
                    bad: set[bytes]) -> None:
    """After a verify that read every blob: a backup marked damaged is usable again once none of its blobs
    is missing or damaged and its manifest reads (the damage was repaired: a good copy stored by a later
    backup, or the object put back). A lighter verify proves too little to lift the mark."""
    still_bad = bad | {h for h in found.references if h in rows and rows[h].damaged}
    failing = {user for h in still_bad for user in found.users.get(h, set())}
    failing |= {b.id for b in session.exec(select(Backup).where(
        Backup.vault_id == vault.id, col(Backup.manifest_key).in_(list(found.unreadable))))}
    marked = list(session.exec(select(Backup).where(Backup.vault_id == vault.id, col(Backup.damaged).is_(True))))
    for backup in marked:
        children = [b.id for b in marked if b.parent_id == backup.id]
        if backup.id not in failing and backup.parent_id not in failing and not failing.intersection(children):
            backup.damaged = False
            session.add(backup)



def _check_zone_records(session: Session, places: list[tuple[str, ObjectStore]], vault: Vault,
                        report: VerifyReport) -> None:
    """A Multi-AZ vault's manifests and key records, read in each zone: a copy damaged in one zone while
    another's is whole is reported for `repair-zones` (none whole: the manifest is unreadable, which the
    structure check reports)."""
    checks: dict[str, Callable[[bytes], object]] = {
        key: partial(manifest.checked, key, expected) for key, expected in session.exec(
            select(Backup.manifest_key, Backup.manifest_hash).where(
                Backup.vault_id == vault.id, col(Backup.manifest_key).is_not(None))).all()
        if key is not None and expected is not None}
    for _zone, store in places:
        checks |= {key: record_of for key, _size, _modified in store.list(KEY_RECORDS)}
    for key, check in sorted(checks.items()):
        damaged_in: list[str] = []
        whole = False
        for zone, store in places:
            try:
                data = store.get(key)
            except FileNotFoundError:  # a zone that lacks it: `differences` names it
                continue
            report.bytes_read += len(data)
            try:
                check(data)
                whole = True
            except DamagedObject:
                damaged_in.append(zone)
        if whole:
            for zone in damaged_in:
                report.damaged_in_zone.setdefault(zone, set()).add(key)

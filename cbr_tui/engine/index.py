"""The database side of a vault's chunk store: which blobs exist, where, and how many backups use them.

Reference counts change in the same transaction that makes a backup visible or removes it, so a vault's
used capacity is always the stored size of the blobs that some backup references (plus manifests).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from cbr_tui.store.models import Chunk

BATCH = 500


@dataclass(frozen=True)
class Location:
    object_key: str
    offset: int
    length: int
    raw_size: int


def _batches(hashes: Iterable[bytes]) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for hash_ in hashes:
        batch.append(hash_)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def locate(session: Session, vault_id: str, hashes: Iterable[bytes]) -> dict[bytes, Location]:
    located: dict[bytes, Location] = {}
    for batch in _batches(hashes):
        for row in session.exec(select(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch))):
            located[row.hash] = Location(row.object_key, row.offset, row.length, row.raw_size)
    return located


def record(session: Session, vault_id: str, written: dict[bytes, Location], now: datetime) -> None:
    """Index blobs a backup wrote (or rewrote over a damaged copy), with no references yet."""
    existing = {row.hash: row for batch in _batches(written) for row in session.exec(
        select(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch)))}
    for hash_, where in written.items():
        row = existing.get(hash_)
        if row is None:
            session.add(Chunk(vault_id=vault_id, hash=hash_, object_key=where.object_key, offset=where.offset,
                              length=where.length, raw_size=where.raw_size, refcount=0, zero_since=now,
                              created_at=now))
        else:
            row.object_key, row.offset, row.length = where.object_key, where.offset, where.length
            row.damaged = False
            session.add(row)
    session.flush()


def reference(session: Session, vault_id: str, hashes: set[bytes]) -> int:
    """One more backup uses each blob; returns the stored bytes that start being used."""
    gained = 0
    for batch in _batches(hashes):
        gained += session.exec(select(func.coalesce(func.sum(Chunk.length), 0)).where(
            col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch), col(Chunk.refcount) == 0)).one()
        session.exec(update(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch))
                     .values(refcount=Chunk.refcount + 1, zero_since=None))
    return int(gained)


def release(session: Session, vault_id: str, hashes: set[bytes], now: datetime) -> int:
    """One backup fewer uses each blob; returns the stored bytes no backup uses any more."""
    freed = 0
    for batch in _batches(hashes):
        freed += session.exec(select(func.coalesce(func.sum(Chunk.length), 0)).where(
            col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch), col(Chunk.refcount) == 1)).one()
        session.exec(update(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch),
                                         col(Chunk.refcount) > 0)
                     .values(refcount=Chunk.refcount - 1))
        session.exec(update(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch),
                                         col(Chunk.refcount) == 0, col(Chunk.zero_since).is_(None))
                     .values(zero_since=now))
    return int(freed)


def mark_damaged(session: Session, vault_id: str, hashes: Iterable[bytes]) -> None:
    for batch in _batches(hashes):
        session.exec(update(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch))
                     .values(damaged=True))


def classify(session: Session, vault_id: str, hashes: Sequence[bytes]) -> tuple[set[bytes], set[bytes]]:
    """Split `hashes` into those the vault stores intact and those it stores damaged."""
    intact: set[bytes] = set()
    damaged: set[bytes] = set()
    for batch in _batches(hashes):
        for hash_, is_damaged in session.exec(select(Chunk.hash, Chunk.damaged).where(
                col(Chunk.vault_id) == vault_id, col(Chunk.hash).in_(batch))).all():
            (damaged if is_damaged else intact).add(hash_)
    return intact, damaged

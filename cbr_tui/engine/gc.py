"""Garbage collection: delete blobs no backup references (after a grace period) and objects nothing knows
of (left by crashed backups), holding the vault alone so that no running backup is affected."""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from cbr_tui.engine import inventory
from cbr_tui.engine.mirror import copies
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.store import Store
from cbr_tui.store.models import Chunk

DEFAULT_GRACE = timedelta(minutes=10)
# Only data can be an orphan: the vault's keys and its self-description (`keys/`, `catalog/`) are never collected.
COLLECTABLE = inventory.DATA


@dataclass
class GcReport:
    vault_id: str
    ran: bool = True
    freed_blobs: int = 0
    deleted_objects: int = 0
    deleted_bytes: int = 0

    def to_api(self) -> dict[str, Any]:
        return {"vault_id": self.vault_id, "ran": self.ran, "freed_blobs": self.freed_blobs,
                "deleted_objects": self.deleted_objects, "deleted_bytes": self.deleted_bytes}


def collect(store: Store, objects: ObjectStore, vault_id: str, now: datetime,
            grace: timedelta = DEFAULT_GRACE, *, wait: bool = False) -> GcReport:
    """Collect one vault. Skips (ran=False) when backups or restores of the vault are running and not `wait`.

    Rows age by the store's clock (`now`); files age by their mtime, which the file system writes from the
    wall clock, so an orphan's grace is measured against the wall clock (a demo's fast clock or a test's
    fixed one would otherwise make every fresh orphan look too young, or too old, to collect)."""
    report = GcReport(vault_id)
    with objects.lock(exclusive=True, wait=wait) as held:
        if not held:
            report.ran = False
            return report
        for _zone, copy in copies(objects):  # every zone answers first: gc deletes in each, or in none
            next(iter(copy.list(COLLECTABLE[0])), None)
        cutoff = now - grace
        file_cutoff = time.time() - grace.total_seconds()
        held.confirm()
        with store.write() as session:
            dead = session.exec(select(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.refcount) == 0,
                                                    col(Chunk.zero_since) < cutoff)).all()
            dead_keys = {row.object_key for row in dead}
            live_keys = _live_objects(session, vault_id, dead_keys)
            session.exec(delete(Chunk).where(col(Chunk.vault_id) == vault_id, col(Chunk.refcount) == 0,
                                             col(Chunk.zero_since) < cutoff))
            report.freed_blobs = len(dead)
            known = set(session.exec(select(Chunk.object_key).where(col(Chunk.vault_id) == vault_id)).all())
            known |= inventory.take(session, objects, vault_id).manifest_keys
        # Objects go only after the rows are gone; a crash in between leaves orphans for the next pass. A lost
        # lock (a backup may have started relying on them since) leaves them too.
        held.confirm()
        for key in sorted(dead_keys - live_keys):
            _delete(objects, key, report)
        orphans = [found for prefix in COLLECTABLE for found in objects.list(prefix)]
        for key, size, mtime in orphans:
            if key not in known and key not in dead_keys and mtime < file_cutoff:
                report.deleted_bytes += size
                report.deleted_objects += 1
                objects.delete(key)
    return report


def _live_objects(session: Session, vault_id: str, keys: set[str]) -> set[str]:
    """Pack objects that still hold a referenced blob next to dead ones."""
    live: dict[str, int] = defaultdict(int)
    if keys:
        for key in session.exec(select(Chunk.object_key).where(
                col(Chunk.vault_id) == vault_id, col(Chunk.object_key).in_(list(keys)), col(Chunk.refcount) > 0)).all():
            live[key] += 1
    return set(live)


def _delete(objects: ObjectStore, key: str, report: GcReport) -> None:
    size = objects.size(key)
    if size is not None:
        report.deleted_bytes += size
        report.deleted_objects += 1
        objects.delete(key)

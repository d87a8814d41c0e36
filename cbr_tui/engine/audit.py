"""The audit: recompute every reference count and the used capacity from the manifests and compare them
with what the database says (and, asked to, correct the database)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from cbr_tui.engine import inventory
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.store.models import Chunk, Vault


@dataclass
class AuditReport:
    vault_id: str
    used_recorded: int
    used_expected: int
    refcount_mismatches: list[dict[str, Any]] = field(default_factory=list)
    missing_chunks: list[str] = field(default_factory=list)
    unreadable_manifests: dict[str, str] = field(default_factory=dict)
    fixed: bool = False

    @property
    def clean(self) -> bool:
        return (self.used_recorded == self.used_expected and not self.refcount_mismatches
                and not self.missing_chunks and not self.unreadable_manifests)

    def to_api(self) -> dict[str, Any]:
        return {"vault_id": self.vault_id, "clean": self.clean, "used_recorded": self.used_recorded,
                "used_expected": self.used_expected, "refcount_mismatches": self.refcount_mismatches,
                "missing_chunks": self.missing_chunks, "unreadable_manifests": self.unreadable_manifests,
                "fixed": self.fixed}


class FixRefused(Exception):
    """A fix was asked while some manifests cannot be read: counts made without them would release data
    those backups still need (garbage collection would then delete it for good)."""


def audit(session: Session, objects: ObjectStore, vault: Vault, now: datetime, *, fix: bool = False) -> AuditReport:
    found = inventory.take(session, objects, vault.id)
    if fix and found.unreadable:
        keys = ", ".join(sorted(found.unreadable)[:5]) + (" ..." if len(found.unreadable) > 5 else "")
        raise FixRefused(f"{len(found.unreadable)} manifest(s) of the vault cannot be read ({keys}); correcting "
                         "the counts without them would release data those backups need. Nothing was changed: "
                         "restore the manifests (or delete those backups), then fix.")
    rows = {row.hash: row for row in session.exec(select(Chunk).where(Chunk.vault_id == vault.id))}
    expected_used = found.manifest_bytes + sum(rows[h].length for h in found.references if h in rows)
    report = AuditReport(vault.id, vault.used_bytes, expected_used,
                         missing_chunks=sorted(h.hex() for h in found.references if h not in rows),
                         unreadable_manifests=dict(found.unreadable))
    for hash_, row in rows.items():
        expected = found.references.get(hash_, 0)
        if row.refcount != expected:
            report.refcount_mismatches.append({"hash": hash_.hex(), "recorded": row.refcount, "expected": expected})
            if fix:
                row.refcount = expected
                row.zero_since = None if expected else (row.zero_since or now)
                session.add(row)
    if fix and not report.clean:
        vault.used_bytes = expected_used
        session.add(vault)
        report.fixed = True
    return report

"""Rebuilding the catalog from the vaults' own object stores, for a database that lost them (`vault recover`).

Each vault's store describes the vault and its backups (`engine.catalog`); chunk objects are named by their
hash and packs carry their index. Recovery puts back the vault row, its tags and associations, every backup
whose manifest is there and matches its recorded hash, and the blob index; then the audit recounts the
references and the used capacity from the manifests. Nothing in an object store is changed or deleted, and
what is already in the database is kept as it is: recovering twice recovers nothing more.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.cloud.disk_image import CHUNK_SIZE
from cbr_tui.domain.enums import ProtectStatus
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.engine import audit, catalog, index, manifest, packs
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import ImageManifest
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.removal import pending_store_removals
from cbr_tui.services.views.maintenance import RecoveredVault, RecoveryAnswer
from cbr_tui.store.models import Backup, Checkpoint, Chunk, Project, Resource, Vault, VaultResource, VaultTag


class RecoveryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def recover(self, vault_ref: str | None = None, *, everything: bool = False) -> RecoveryAnswer:
        """Recover one vault (by name or ID, as its store describes it) or, with `everything`, every vault."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        if (vault_ref is None) == (not everything):
            raise invalid("Name one vault to recover, or ask for all of them (--all).")
        found = [(name, objects, described) for name, objects, described in self._described() if everything or (
            described.vault is not None and vault_ref in (described.vault["id"], described.vault["name"]))]
        if vault_ref is not None and not found:
            raise CbrError(Codes.VAULT_NOT_FOUND, f"No vault named {vault_ref!r} is described in "
                           f"{self.ctx.placement.home / 'vaults'} or the buckets of CBR_TUI_OBJECT_STORE; "
                           "`vault recover --all` recovers every vault there.")
        return RecoveryAnswer(recovered=[self._recover(name, objects, described) for name, objects, described in found])

    def _described(self) -> list[tuple[str, ObjectStore, catalog.Described]]:
        """Each vault's first store (a Multi-AZ vault's second copy describes the same vault), but for the
        vaults deleted whose objects a store has yet to remove."""
        with self.ctx.store.read() as session:
            deleted = pending_store_removals(session)
        firsts: dict[str, ObjectStore] = {}
        for name, objects in self.ctx.placement.every_store():
            if name not in deleted:
                firsts.setdefault(name, objects)
        return [(name, objects, catalog.read(objects)) for name, objects in sorted(firsts.items())]

    def _recover(self, name: str, objects: ObjectStore, described: catalog.Described) -> RecoveredVault:
        record = described.vault
        if record is None:
            return RecoveredVault(store=name, recovered=False,
                                  reason="the store has no vault record (it was written before vaults described "
                                         "themselves, or the record is damaged)", unreadable=described.unreadable)
        vault_id, name, unreadable = str(record["id"]), str(record["name"]), described.unreadable
        with self.ctx.store.write() as session:
            if session.get(Project, record["project_id"]) is None:
                return RecoveredVault(vault_id=vault_id, name=name, unreadable=unreadable, recovered=False,
                                      reason=f"its project {record['project_id']} is not in this database")
            vault = session.get(Vault, record["id"])
            vault_recovered = vault is None
            if vault is None:
                vault = self._put_back_vault(session, described)
            added, skipped = self._put_back_backups(session, objects, described)
            blobs = self._index_blobs(session, objects, vault.id)
            try:
                counted = audit.audit(session, objects, vault, self.ctx.clock.now(), fix=True)
            except audit.FixRefused as refused:
                raise CbrError(Codes.VAULT_CANNOT_UPDATE, str(refused)) from None
            return RecoveredVault(vault_id=vault_id, name=name, unreadable=unreadable, recovered=True,
                                  vault_recovered=vault_recovered, backups_recovered=added, backups_skipped=skipped,
                                  blobs_indexed=blobs, used_bytes=counted.used_expected)

    def _put_back_vault(self, session: Session, described: catalog.Described) -> Vault:
        assert described.vault is not None
        vault = Vault.model_validate(described.vault | {"used_bytes": 0})
        session.add(vault)
        session.flush()
        for tag in described.tags:
            session.add(VaultTag.model_validate(tag))
        for member in described.members:
            taken = session.exec(select(VaultResource).where(
                VaultResource.resource_id == member["resource_id"])).first()
            if taken is None and session.get(Resource, member["resource_id"]) is not None:
                session.add(VaultResource.model_validate(member | {"protect_status": ProtectStatus.AVAILABLE.value}))
        session.flush()
        return vault

    def _put_back_backups(self, session: Session, objects: ObjectStore,
                          described: catalog.Described) -> tuple[list[str], dict[str, str]]:
        added: list[str] = []
        skipped: dict[str, str] = {}
        for record in described.backups:
            top = record["backup"]
            if session.get(Backup, top["id"]) is not None:
                continue
            rows = [top, *record["children"]]
            problem = _manifest_problem(objects, rows)
            if problem:
                skipped[top["id"]] = problem
                continue
            checkpoint = record.get("checkpoint")
            if checkpoint and session.get(Checkpoint, checkpoint["id"]) is None:
                session.add(Checkpoint.model_validate(checkpoint))
            for row in rows:
                session.add(Backup.model_validate(row))
            added.append(top["id"])
        session.flush()
        return added, skipped

    def _index_blobs(self, session: Session, objects: ObjectStore, vault_id: str) -> int:
        """Index every blob the store holds that the database does not know; returns how many."""
        known = set(session.exec(select(Chunk.hash).where(Chunk.vault_id == vault_id)).all())
        raw_sizes = _image_raw_sizes(session, objects, vault_id)
        found: dict[bytes, Location] = {}
        for key, size, _mtime in objects.list("chunks/"):
            try:
                hash_ = bytes.fromhex(key.rsplit("/", 1)[-1])
            except ValueError:
                continue
            if hash_ not in known:
                found[hash_] = Location(key, 0, size, raw_sizes.get(hash_, CHUNK_SIZE))
        for key, _size, _mtime in objects.list("packs/"):
            try:
                held = packs.read_index(objects, key)
            except ValueError:
                continue  # a pack written before packs carried their index: its blobs stay unindexed
            found.update({h: where for h, where in held.items() if h not in known and h not in found})
        index.record(session, vault_id, found, self.ctx.clock.now())
        return len(found)


def _manifest_problem(objects: ObjectStore, rows: list[dict[str, Any]]) -> str | None:
    for row in rows:
        if row.get("manifest_key") and row.get("manifest_hash"):
            try:
                manifest.load(objects, row["manifest_key"], row["manifest_hash"])
            except manifest.DamagedManifest as error:
                return str(error)
    return None


def _image_raw_sizes(session: Session, objects: ObjectStore, vault_id: str) -> dict[bytes, int]:
    """Each image chunk's size from the manifests (the last chunk of a disk may be short)."""
    sizes: dict[bytes, int] = {}
    for key, expected in session.exec(select(Backup.manifest_key, Backup.manifest_hash).where(
            Backup.vault_id == vault_id, col(Backup.manifest_key).is_not(None))).all():
        if key is None or expected is None:
            continue
        try:
            loaded = manifest.load(objects, key, expected)
        except manifest.DamagedManifest:
            continue
        if isinstance(loaded, ImageManifest):
            for number, hash_ in enumerate(loaded.chunks):
                if hash_ is not None:
                    sizes[hash_] = min(loaded.chunk_size, loaded.disk_size - number * loaded.chunk_size)
    return sizes

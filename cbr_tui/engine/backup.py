"""Backing up a plan and committing it: the engine's one operation for a backup.

A job says what to back up (a `BackupPlan`: disks through the image engine, directory trees through the tree
engine, each into its own backup row) and what else the commit's transaction must record (its task); the
engine does the rest, in the commit order of `engine.commit`: chunks, one sync, manifests, then one
transaction that refuses an overflowing vault (6114), references the data, counts the used capacity and makes
the backups Available. Afterwards the vault's object store describes the backup (`catalog`), and the disks'
change tracking moves on; if anything fails, the tracked changes are put back for the next backup to read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from cbr_tui.cloud.disk_image import DiskImage, FrozenBitmap
from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.eligibility import ensure_vault_room
from cbr_tui.domain.enums import BackupStatus
from cbr_tui.engine import catalog, image, index, keys, manifest, tree
from cbr_tui.engine.commit import Made, commit
from cbr_tui.engine.image import ImagePlan
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import ImageManifest, TreeManifest
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.packs import PackSink
from cbr_tui.engine.progress import Meter
from cbr_tui.engine.sink import ChunkSink, Classifier
from cbr_tui.store import Store
from cbr_tui.store.models import Backup, Vault

log = logging.getLogger(__name__)

# What the job records in the commit's transaction (its task's outcome), given the backup now Available.
Within = Callable[[Session, Backup], None]


@dataclass
class DiskSource:
    """One disk into one backup; an encrypted disk names the master key its chunks are sealed under."""

    backup_id: str
    image: DiskImage
    base: ImageManifest | None  # the last intact backup of this disk in the vault, to build on
    kms_key_id: str | None = None
    frozen: FrozenBitmap | None = field(default=None, init=False)
    plan: ImagePlan | None = field(default=None, init=False)


@dataclass
class TreeSource:
    """One directory tree (a file system, or a path of a backup client) into one backup."""

    backup_id: str
    root: Path
    base: TreeManifest | None


@dataclass
class BackupPlan:
    """A backup (`backup_id`, made Available with its children) of disks or of trees, into one vault.
    `full` reads everything even where an earlier backup could be built on (Perform Backup's full backup)."""

    vault_id: str
    backup_id: str
    disks: Sequence[DiskSource] = ()
    trees: Sequence[TreeSource] = ()
    full: bool = False

    def __post_init__(self) -> None:
        assert bool(self.disks) != bool(self.trees), "a backup reads disks or trees, never both nor neither"


@dataclass
class Engine:
    """Where a backup's bytes go and how it reports: the store, the vault's objects, the keys, the meter."""

    store: Store
    objects: ObjectStore
    kms: KeyManagement
    clock: Clock
    meter: Meter
    workers: int = 2


def back_up(plan: BackupPlan, engine: Engine, within: Within) -> None:
    """Read, store, commit and describe the backup of `plan`; raises what stopped it (nothing is then
    committed, and what was written is garbage for `gc`)."""
    try:
        with engine.objects.lock(exclusive=False) as held:
            made, written = _copy_disks(plan, engine) if plan.disks else _copy_trees(plan, engine)
            held.confirm()  # gc may have run if the lock was lost: what this relied on may be gone
            commit_backups(engine.store, engine.clock, plan.vault_id, plan.backup_id, made, written, within)
            describe(engine.store, engine.objects, plan.vault_id, plan.backup_id)
    except BaseException:
        for disk in plan.disks:
            if disk.frozen is not None:
                disk.image.abort(disk.frozen)
                disk.frozen = None
        raise
    for disk in plan.disks:
        if disk.frozen is not None:
            disk.image.complete(disk.frozen)


def _classifier(store: Store, vault_id: str) -> Classifier:
    def classify(hashes: Sequence[bytes]) -> tuple[set[bytes], set[bytes]]:
        with store.read() as session:
            return index.classify(session, vault_id, hashes)

    return classify


def _copy_disks(plan: BackupPlan, engine: Engine) -> tuple[list[Made], dict[bytes, Location]]:
    objects, meter = engine.objects, engine.meter
    for disk in plan.disks:
        disk.frozen = disk.image.freeze()
        disk.plan = image.plan(disk.image, disk.frozen, disk.base, full=plan.full)
        meter.add_total(disk.plan.bytes_to_read(disk.image.size))
    meter.check()
    made = []
    with ChunkSink(objects, _classifier(engine.store, plan.vault_id), workers=engine.workers) as sink:
        for disk in plan.disks:
            assert disk.frozen is not None and disk.plan is not None
            key = keys.data_key(objects, engine.kms, disk.kms_key_id) if disk.kms_key_id else None
            result = image.back_up(disk.image, disk.frozen, disk.plan, sink, meter, key)
            made.append((disk, disk.plan, result))
        objects.sync()
        written = dict(sink.written)
    return [
        Made(disk.backup_id, result, manifest.save(objects, disk.backup_id, result),
             logical_bytes=image.stored_span(result), read_bytes=disk_plan.bytes_to_read(disk.image.size),
             generation=result.generation, incremental=disk_plan.incremental,
             read_reason="" if disk_plan.incremental else disk_plan.reason)
        for disk, disk_plan, result in made
    ], written


def _copy_trees(plan: BackupPlan, engine: Engine) -> tuple[list[Made], dict[bytes, Location]]:
    objects, meter = engine.objects, engine.meter
    scans = [tree.scan(source.root, source.base, full=plan.full) for source in plan.trees]
    for scanned in scans:
        meter.add_total(scanned.bytes_to_read)
    meter.check()
    sink = PackSink(objects, _classifier(engine.store, plan.vault_id))
    results = [tree.back_up(source.root, scanned, sink, meter, workers=engine.workers)
               for source, scanned in zip(plan.trees, scans, strict=True)]
    objects.sync()
    return [
        Made(source.backup_id, result, manifest.save(objects, source.backup_id, result),
             logical_bytes=sum(e.size for e in result.entries if e.kind == "file"),
             read_bytes=scanned.bytes_to_read, incremental=scanned.incremental,
             read_reason="" if scanned.incremental else scanned.reason)
        for source, scanned, result in zip(plan.trees, scans, results, strict=True)
    ], dict(sink.written)


def commit_backups(store: Store, clock: Clock, vault_id: str, backup_id: str, made: list[Made],
                   written: dict[bytes, Location], within: Within) -> None:
    """The database half of the commit (of backups and of replicas alike): refuse if the vault would
    overflow (6114), else reference the blobs, count the capacity, make the backup and its children
    Available with what was really done (read, new, incremental or why not), then `within`."""
    now = clock.now()
    with store.write() as session:
        vault = session.get(Vault, vault_id, with_for_update=True, populate_existing=True)
        assert vault is not None
        adding = sum(w.length for w in written.values()) + sum(m.stored.size for m in made)
        ensure_vault_room(vault.name, vault.size_gb, vault.used_bytes, adding=adding, auto_expand=vault.auto_expand)
        commit(session, vault, made, written, now)
        parent = session.get(Backup, backup_id)
        assert parent is not None
        rows = [parent, *session.exec(select(Backup).where(Backup.parent_id == backup_id)).all()]
        for item in rows:
            item.status = BackupStatus.AVAILABLE.value
            item.protected_at = item.updated_at = now
            session.add(item)
        if len(rows) > 1:
            parent.logical_bytes = sum(r.logical_bytes for r in rows[1:])
            parent.read_bytes = sum(r.read_bytes for r in rows[1:])
            parent.new_bytes = sum(r.new_bytes for r in rows[1:])
            parent.incremental = all(r.incremental for r in rows[1:])
            parent.read_reason = "; ".join(dict.fromkeys(f"{r.resource_name}: {r.read_reason}" for r in rows[1:]
                                                         if not r.incremental))
        within(session, parent)


def describe(store: Store, objects: ObjectStore, vault_id: str, backup_id: str) -> None:
    """After the commit: the vault's object store records the backup (and the vault as it is now), so the
    catalog can be rebuilt without the database. A crash before this leaves a backup that `vault verify`
    records again."""
    try:
        with store.read() as session:
            vault = session.get(Vault, vault_id)
            if vault is not None:
                catalog.record_backup(session, objects, backup_id)
                catalog.record_vault(session, objects, vault)
    except OSError:  # the backup has committed; a record that could not be written is written by `vault verify`
        log.warning("could not record backup %s in vault %s's catalog", backup_id, vault_id, exc_info=True)

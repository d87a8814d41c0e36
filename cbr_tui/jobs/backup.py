"""The backup job: copy a resource's bytes into its vault and make the backup Available (or Error).

Disks (of a disk, a server or a desktop) go through the image engine, one child backup per disk of a
server, all committed together; file systems and backup clients go through the tree engine.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from cbr_tui.cloud.disk_image import DiskImage, FrozenBitmap
from cbr_tui.domain.eligibility import ensure_vault_room
from cbr_tui.domain.enums import BackupStatus, CheckpointStatus, ProtectStatus, ResourceKind
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine import catalog, image, index, keys, manifest, tree
from cbr_tui.engine.commit import Made, commit
from cbr_tui.engine.image import ImagePlan
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import ImageManifest, Manifest, TreeManifest
from cbr_tui.engine.packs import PackSink
from cbr_tui.engine.sink import ChunkSink
from cbr_tui.jobs import outcome
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import LeaseLost, owned
from cbr_tui.store.models import Backup, Checkpoint, Project, Resource, Task, Vault, VaultResource

log = logging.getLogger(__name__)


@dataclass
class _DiskWork:
    backup_id: str
    disk: Resource
    image: DiskImage
    base: ImageManifest | None
    kms_key_id: str | None = None  # an encrypted disk: its chunks are sealed with the vault's data key under it
    frozen: FrozenBitmap | None = None
    plan: ImagePlan | None = None


@dataclass
class _TreeWork:
    backup_id: str
    root: Path
    base: TreeManifest | None


def run_backup(job: JobContext, task: Task) -> None:
    with job.store.read() as session:
        backup = session.get(Backup, task.backup_id)
        if backup is None or backup.status != BackupStatus.PROTECTING:
            _finish_stale(job, task, backup)
            return
        vault = session.get(Vault, backup.vault_id)
        resource = session.get(Resource, backup.resource_id)
        assert vault is not None
        work: list[_DiskWork] = []
        trees: list[_TreeWork] = []
        try:
            if resource is None:
                raise CbrError(Codes.RESOURCE_NOT_FOUND, f"{backup.resource_name} no longer exists.")
            if resource.kind in (ResourceKind.TURBO, ResourceKind.AGENT):
                trees = _tree_work(job, session, backup, resource)
            else:
                work = _disk_work(job, session, backup, resource)
        except CbrError as error:
            abandon_backup(job, task, error)
            return
    try:
        with job.objects(vault.id).lock(exclusive=False):
            if work:
                made, sink_written = _copy(job, vault, work)
            else:
                made, sink_written = _copy_trees(job, vault, trees)
            commit_backup(job, task, vault.id, backup.id, made, sink_written)
            describe(job, vault.id, backup.id)
    except LeaseLost:
        _abort_bitmaps(work)
        raise
    except BaseException as error:
        _abort_bitmaps(work)
        abandon_backup(job, task, outcome.describe(error, vault.name))
        if not isinstance(error, Exception):
            raise
        return
    for item in work:
        if item.frozen is not None:
            item.image.complete(item.frozen)


def _disk_work(job: JobContext, session: Session, backup: Backup, resource: Resource) -> list[_DiskWork]:
    pairs: list[tuple[Backup, Resource | None]]
    if resource.kind == ResourceKind.DISK:
        pairs = [(backup, resource)]
    elif resource.kind in (ResourceKind.SERVER, ResourceKind.DESKTOP):
        children = session.exec(select(Backup).where(Backup.parent_id == backup.id)
                                .order_by(col(Backup.created_at), col(Backup.id))).all()
        pairs = [(child, session.get(Resource, child.resource_id)) for child in children]
    else:
        raise CbrError(Codes.VAULT_TYPE_FORBIDS_BACKUP, f"{resource.name} is backed up as files, not disks.")
    work: list[_DiskWork] = []
    for row, disk in pairs:
        if disk is None or not disk.data_path:
            raise CbrError(Codes.DISK_NOT_FOUND, f"The disk of {row.resource_name} no longer exists.")
        kms_key_id = _kms_key(job, session, row, disk)
        base = _base_manifest(job, session, backup.vault_id, disk.id, kms_key_id)
        work.append(_DiskWork(row.id, disk, DiskImage(job.layout.resolve(disk.data_path)),
                              base if isinstance(base, ImageManifest) else None, kms_key_id))
    return work


def _kms_key(job: JobContext, session: Session, row: Backup, disk: Resource) -> str | None:
    """The master key an encrypted disk's backup is sealed under (a disk made before disks named their key
    uses its region's default key, as the console's encrypted disks do)."""
    if not (row.encrypted or disk.encrypted):
        return None
    found = row.kms_key_id or disk.kms_key_id
    if found is None:
        project = session.get(Project, row.project_id)
        assert project is not None
        found = job.kms.default_key(project.region_id).key_id
    return found


def _tree_work(job: JobContext, session: Session, backup: Backup, resource: Resource) -> list[_TreeWork]:
    if resource.kind == ResourceKind.TURBO:
        assert resource.data_path is not None
        pairs = [(backup.id, resource.id, job.layout.resolve(resource.data_path))]
    else:
        children = session.exec(select(Backup).where(Backup.parent_id == backup.id)
                                .order_by(col(Backup.created_at), col(Backup.resource_name))).all()
        if not children:
            raise CbrError(Codes.NO_RESOURCE_TO_BACK_UP, f"The backup client {resource.name} has no backup paths.")
        pairs = [(child.id, child.resource_id, Path(child.resource_name)) for child in children]
    work = []
    for backup_id, source_id, root in pairs:
        if not root.is_dir():
            raise CbrError(Codes.RESOURCE_NOT_FOUND, f"The directory {root} to back up does not exist.")
        base = _base_manifest(job, session, backup.vault_id, source_id)
        work.append(_TreeWork(backup_id, root, base if isinstance(base, TreeManifest) else None))
    return work


def _base_manifest(job: JobContext, session: Session, vault_id: str, source_id: str,
                   kms_key_id: str | None = None) -> Manifest | None:
    """The manifest of the source's latest intact Available backup in this vault, if it can be read (an
    encrypted disk builds only on a backup sealed under the same key, so no plain chunk is inherited)."""
    same_key = col(Backup.kms_key_id).is_(None) if kms_key_id is None else Backup.kms_key_id == kms_key_id
    latest = session.exec(
        select(Backup).where(Backup.vault_id == vault_id, Backup.resource_id == source_id,
                             Backup.status == BackupStatus.AVAILABLE.value, col(Backup.damaged).is_(False),
                             col(Backup.manifest_key).is_not(None), same_key)
        .order_by(col(Backup.created_at).desc(), col(Backup.id).desc())
    ).first()
    if latest is None or not latest.manifest_key or not latest.manifest_hash:
        return None
    try:
        return manifest.load(job.objects(vault_id), latest.manifest_key, latest.manifest_hash)
    except manifest.DamagedManifest:
        return None


def _copy(job: JobContext, vault: Vault, work: Sequence[_DiskWork]) -> tuple[list[Made], dict[bytes, Location]]:
    objects = job.objects(vault.id)
    meter = job.meter()
    with job.store.read() as session:
        full = not session.exec(select(Backup.incremental).where(Backup.id == work[0].backup_id)).one()
    for item in work:
        item.frozen = item.image.freeze()
        item.plan = image.plan(item.image, item.frozen, item.base, full=full)
        meter.add_total(item.plan.bytes_to_read(item.image.size))
    meter.check()

    def classify(hashes):  # type: ignore[no-untyped-def]
        with job.store.read() as session:
            return index.classify(session, vault.id, hashes)

    made = []
    with ChunkSink(objects, classify, workers=job.workers) as sink:
        for item in work:
            assert item.frozen is not None and item.plan is not None
            key = keys.data_key(objects, job.kms, item.kms_key_id) if item.kms_key_id else None
            result = image.back_up(item.image, item.frozen, item.plan, sink, meter, key)
            made.append((item, result))
        objects.sync()
        written = dict(sink.written)
    return [
        Made(item.backup_id, result, manifest.save(objects, item.backup_id, result),
             logical_bytes=image.stored_span(result),
             read_bytes=item.plan.bytes_to_read(item.image.size) if item.plan else 0,
             generation=result.generation, incremental=bool(item.plan and item.plan.incremental),
             read_reason=item.plan.reason if item.plan and not item.plan.incremental else "")
        for item, result in made
    ], written


def _copy_trees(job: JobContext, vault: Vault, work: Sequence[_TreeWork]) -> tuple[list[Made], dict[bytes, Location]]:
    objects = job.objects(vault.id)
    meter = job.meter()
    with job.store.read() as session:
        full = not session.exec(select(Backup.incremental).where(Backup.id == work[0].backup_id)).one()
    plans = [tree.scan(item.root, item.base, full=full) for item in work]
    for item_plan in plans:
        meter.add_total(item_plan.bytes_to_read)
    meter.check()

    def classify(hashes):  # type: ignore[no-untyped-def]
        with job.store.read() as session:
            return index.classify(session, vault.id, hashes)

    sink = PackSink(objects, classify)
    results = [tree.back_up(item.root, item_plan, sink, meter, workers=job.workers)
               for item, item_plan in zip(work, plans, strict=True)]
    objects.sync()
    return [
        Made(item.backup_id, result, manifest.save(objects, item.backup_id, result),
             logical_bytes=sum(e.size for e in result.entries if e.kind == "file"),
             read_bytes=item_plan.bytes_to_read, incremental=item_plan.incremental,
             read_reason="" if item_plan.incremental else item_plan.reason)
        for item, item_plan, result in zip(work, plans, results, strict=True)
    ], dict(sink.written)


def commit_backup(job: JobContext, task: Task, vault_id: str, backup_id: str, made: list[Made],
                  written: dict[bytes, Location]) -> None:
    """The database half of the commit: refuse if the vault would overflow (6114), else reference the
    blobs, count the capacity, and make the backup and its children Available (backups and replicas)."""
    now = job.clock.now()
    with job.store.write() as session:
        row = owned(session, task.id, job.owner)
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
        _settle(session, parent, ProtectStatus.AVAILABLE)
        outcome.succeed(row, now, {"backup": {**row.extra.get("backup", {}), "read_bytes": parent.read_bytes,
                                              "new_bytes": parent.new_bytes, "incremental": parent.incremental,
                                              "read_reason": parent.read_reason}})
        session.add(row)


def describe(job: JobContext, vault_id: str, backup_id: str) -> None:
    """After the commit: the vault's object store records the backup (and the vault as it is now), so the
    catalog can be rebuilt without the database. A crash before this leaves a backup that `vault verify`
    records again."""
    try:
        with job.store.read() as session:
            vault = session.get(Vault, vault_id)
            if vault is not None:
                objects = job.objects(vault_id)
                catalog.record_backup(session, objects, backup_id)
                catalog.record_vault(session, objects, vault)
    except OSError:  # the backup has committed; a record that could not be written is written by `vault verify`
        log.warning("could not record backup %s in vault %s's catalog", backup_id, vault_id, exc_info=True)


def _settle(session: Session, parent: Backup, protect_status: ProtectStatus) -> None:
    """The resource leaves `protecting`; the restore point is done when all its backups are."""
    member = session.exec(select(VaultResource).where(VaultResource.resource_id == parent.resource_id,
                                                      VaultResource.vault_id == parent.vault_id)).first()
    if member is not None:
        member.protect_status = protect_status.value
        session.add(member)
    checkpoint = session.get(Checkpoint, parent.checkpoint_id)
    statuses = set(session.exec(select(Backup.status).where(Backup.checkpoint_id == parent.checkpoint_id,
                                                             col(Backup.parent_id).is_(None))).all())
    if checkpoint is not None and not statuses & {BackupStatus.PROTECTING.value}:
        error = BackupStatus.ERROR.value in statuses
        checkpoint.status = (CheckpointStatus.ERROR if error else CheckpointStatus.AVAILABLE).value
        session.add(checkpoint)


def abandon_backup(job: JobContext, task: Task, error: CbrError) -> None:
    """The backup ends in Error with the reason (the task fails); it can then be deleted."""
    now = job.clock.now()
    try:
        with job.store.write() as session:
            row = owned(session, task.id, job.owner)
            backup = session.get(Backup, row.backup_id) if row.backup_id else None
            if backup is not None and backup.status == BackupStatus.PROTECTING:
                for item in [backup, *session.exec(select(Backup).where(Backup.parent_id == backup.id)).all()]:
                    item.status = BackupStatus.ERROR.value
                    item.fail_reason = error.message
                    item.updated_at = now
                    session.add(item)
                _settle(session, backup, ProtectStatus.ERROR)
            outcome.fail(row, now, error)
            session.add(row)
    except LeaseLost:
        pass


def _finish_stale(job: JobContext, task: Task, backup: Backup | None) -> None:
    """The backup is no longer in progress (committed before a crash, or deleted): close the task."""
    now = job.clock.now()
    with job.store.write() as session:
        row = owned(session, task.id, job.owner)
        if backup is not None and backup.status == BackupStatus.AVAILABLE:
            outcome.succeed(row, now)
        else:
            outcome.fail(row, now, CbrError(Codes.BACKUP_NOT_FOUND, "The backup of this task no longer exists."))
        session.add(row)


def _abort_bitmaps(work: Sequence[_DiskWork]) -> None:
    for item in work:
        if item.frozen is not None:
            item.image.abort(item.frozen)
            item.frozen = None

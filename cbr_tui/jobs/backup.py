"""The backup job: what to back up, as a plan for the engine; the task's outcome, in the engine's commit.

Disks (of a disk, a server or a desktop) go through the image engine, one child backup per disk of a
server, all committed together; file systems and backup clients go through the tree engine. The engine
reads, stores and commits (`engine.backup`); the job finds the sources and what each builds on, records
the task's outcome and settles the resource and the restore point.
"""

from pathlib import Path

from sqlmodel import Session, col, select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.domain.consistency import Consistency, server_consistency
from cbr_tui.domain.enums import BackupStatus, CheckpointStatus, ConsistentLevel, ProtectStatus, ResourceKind
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine import backup as engine
from cbr_tui.engine import manifest
from cbr_tui.engine.backup import BackupPlan, DiskSource, TreeSource, Within
from cbr_tui.engine.manifest import ImageManifest, Manifest, TreeManifest
from cbr_tui.jobs import outcome
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import LeaseLost, owned
from cbr_tui.store.models import Backup, Checkpoint, Project, Resource, Task, Vault, VaultResource


def run_backup(job: JobContext, task: Task) -> None:
    with job.store.read() as session:
        backup = session.get(Backup, task.backup_id)
        if backup is None or backup.status != BackupStatus.PROTECTING:
            _finish_stale(job, task, backup)
            return
        vault = session.get(Vault, backup.vault_id)
        resource = session.get(Resource, backup.resource_id)
        assert vault is not None
        try:
            if resource is None:
                raise CbrError(Codes.RESOURCE_NOT_FOUND, f"{backup.resource_name} no longer exists.")
            full = not backup.incremental  # Perform Backup's "full backup" (an incremental one may still read
            if resource.kind in (ResourceKind.TURBO, ResourceKind.AGENT):  # everything: the engine says why)
                plan = BackupPlan(vault.id, backup.id, trees=_trees(job, session, backup, resource), full=full)
            else:
                plan = BackupPlan(vault.id, backup.id, disks=_disks(job, session, backup, resource), full=full)
        except CbrError as error:
            abandon_backup(job, task, error)
            return
        # a database server vault: the agent quiesces the databases before the disks are read, if it can
        consistency = server_consistency(resource.name, resource.status, resource.agent_version) \
            if vault.consistent_level == ConsistentLevel.APP and resource.kind == ResourceKind.SERVER else None
    try:
        engine.back_up(plan, job.engine(vault), succeed(job, task, consistency))
    except LeaseLost:
        raise
    except BaseException as error:
        abandon_backup(job, task, outcome.describe(error, vault.name))
        if not isinstance(error, Exception):
            raise


def succeed(job: JobContext, task: Task, consistency: Consistency | None = None) -> Within:
    """What the commit's transaction records of the task: it still holds the lease (else nothing commits),
    the resource and the restore point settle, and the task succeeds with what the engine really did (and,
    in a database server vault, whether the backup is application-consistent)."""

    def within(session: Session, parent: Backup) -> None:
        row = owned(session, task.id, job.owner)
        _settle(session, parent, ProtectStatus.AVAILABLE)
        consistent: dict[str, str | None] = {}
        if consistency is not None:
            error = consistency.error
            parent.app_consistency_status = consistency.status
            parent.app_consistency_error_code = error.code if error else None
            parent.app_consistency_error_message = error.message if error else None
            session.add(parent)
            consistent = {"app_consistency_status": parent.app_consistency_status,
                          "app_consistency_error_code": parent.app_consistency_error_code,
                          "app_consistency_error_message": parent.app_consistency_error_message}
        outcome.succeed(row, job.clock.now(), {"backup": {
            **row.extra.get("backup", {}), "read_bytes": parent.read_bytes, "new_bytes": parent.new_bytes,
            "incremental": parent.incremental, "read_reason": parent.read_reason, **consistent}})
        session.add(row)

    return within


def _disks(job: JobContext, session: Session, backup: Backup, resource: Resource) -> list[DiskSource]:
    pairs: list[tuple[Backup, Resource | None]]
    if resource.kind == ResourceKind.DISK:
        pairs = [(backup, resource)]
    elif resource.kind in (ResourceKind.SERVER, ResourceKind.DESKTOP):
        children = session.exec(select(Backup).where(Backup.parent_id == backup.id)
                                .order_by(col(Backup.created_at), col(Backup.id))).all()
        pairs = [(child, session.get(Resource, child.resource_id)) for child in children]
    else:
        raise CbrError(Codes.VAULT_TYPE_FORBIDS_BACKUP, f"{resource.name} is backed up as files, not disks.")
    work: list[DiskSource] = []
    for row, disk in pairs:
        if disk is None or not disk.data_path:
            raise CbrError(Codes.DISK_NOT_FOUND, f"The disk of {row.resource_name} no longer exists.")
        kms_key_id = _kms_key(job, session, row, disk)
        base = _base_manifest(job, session, backup.vault_id, disk.id, kms_key_id)
        work.append(DiskSource(row.id, DiskImage(job.layout.resolve(disk.data_path)),
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


def _trees(job: JobContext, session: Session, backup: Backup, resource: Resource) -> list[TreeSource]:
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
        work.append(TreeSource(backup_id, root, base if isinstance(base, TreeManifest) else None))
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
        vault = session.get(Vault, vault_id)
        if vault is None:
            return None
        return manifest.load(job.objects(vault), latest.manifest_key, latest.manifest_hash)
    except manifest.DamagedManifest:
        return None


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

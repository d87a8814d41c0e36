"""The restore job: write backed-up bytes back, verified, then put resources and backups back in order.

Disk images are restored into a new image beside the disk that replaces it only once every chunk was
verified and written: a damaged or missing chunk stops the restore and the disk stays exactly as it was.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.domain.enums import BackupStatus, DiskStatus, ProtectStatus, ServerStatus, TurboStatus
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.plans import (
    DISK_PLANS,
    DiskRestorePlan,
    NewDiskRestore,
    NewServerRestore,
    NewTurboRestore,
    RestorePlan,
    ServerRestore,
    restore_plan,
)
from cbr_tui.engine import image, index, manifest
from cbr_tui.engine.manifest import ImageManifest
from cbr_tui.jobs import outcome
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import LeaseLost, owned
from cbr_tui.jobs.restore_tree import restore_tree
from cbr_tui.store.models import Backup, Resource, Task, Vault, VaultResource

UNREADABLE_PLAN = CbrError(Codes.INVALID_PARAMETER, "This restore's plan cannot be read (a task queued by another "
                                                    "version of cbr-tui, or a repaired database); start it again.")


@dataclass
class _DiskRestore:
    backup: Backup
    disk: Resource
    manifest: ImageManifest


def run_restore(job: JobContext, task: Task) -> None:
    params = _plan(task)
    if params is None:
        _finish(job, task, UNREADABLE_PLAN, None)
        return
    with job.store.read() as session:
        backup = session.get(Backup, task.backup_id)
        vault = session.get(Vault, backup.vault_id) if backup else None
    if backup is None or vault is None:
        _finish(job, task, CbrError(Codes.BACKUP_NOT_FOUND, "The backup of this restore no longer exists."), params)
        return
    not_restored: list[str] = []
    try:
        with job.objects(vault).lock(exclusive=False):
            if isinstance(params, DISK_PLANS):
                _restore_disks(job, vault, params)
            else:
                not_restored = restore_tree(job, vault, backup, params)
    except LeaseLost:
        raise
    except (image.DamagedChunk, manifest.DamagedManifest) as error:
        _mark_damaged(job, vault, backup, error)
        _finish(job, task, CbrError(Codes.RESTORE_BACKUP_STATUS,
                                    f"The backup {backup.name} references damaged data ({error}); nothing was "
                                    "written. Verify the vault, and back the resource up again."), params)
        return
    except Exception as error:
        _finish(job, task, outcome.describe(error, vault.name), params)
        return
    _finish(job, task, None, params, not_restored)


def _restore_disks(job: JobContext, vault: Vault, params: DiskRestorePlan) -> None:
    objects = job.objects(vault)
    with job.store.read() as session:
        work = []
        for child_id, disk_id in params.mappings:
            child = session.get(Backup, child_id)
            disk = session.get(Resource, disk_id)
            if child is None or disk is None or not disk.data_path:
                raise CbrError(Codes.RESTORE_SOME_DISKS, "A disk of this restore no longer exists.")
            if not child.manifest_key or not child.manifest_hash:
                raise manifest.DamagedManifest(f"{child.name} has no manifest")
            loaded = manifest.load(objects, child.manifest_key, child.manifest_hash)
            assert isinstance(loaded, ImageManifest)
            work.append(_DiskRestore(child, disk, loaded))
    meter = job.meter()
    for item in work:
        meter.add_total(image.stored_span(item.manifest))
    if isinstance(params, ServerRestore):
        _set_status(job, params.server_id, ServerStatus.SHUTOFF)
    keys = job.keys(vault)
    for item in work:
        assert item.disk.data_path is not None
        target = DiskImage(job.layout.resolve(item.disk.data_path))
        with target.replacement() as staged, staged.writer() as writer:
            image.restore(objects, item.manifest, writer, meter, target_is_empty=True, workers=job.workers,
                          keys=keys)


def _set_status(job: JobContext, resource_id: str, status: str) -> None:
    with job.store.write() as session:
        resource = session.get(Resource, resource_id)
        if resource is not None:
            resource.status = status
            resource.updated_at = job.clock.now()
            session.add(resource)


def abandon_restore(job: JobContext, task: Task, error: CbrError) -> None:
    _finish(job, task, error, _plan(task))


def _plan(task: Task) -> RestorePlan | None:
    try:
        return restore_plan(task.extra.get("params"))
    except ValueError:
        return None


def _finish(job: JobContext, task: Task, error: CbrError | None, params: RestorePlan | None,
            not_restored: list[str] | None = None) -> None:
    """Close the task; put the backup, the restored resources and the server's power back in order. What
    the backup holds but a restore cannot make (sockets, device files) is named in the task's details."""
    now = job.clock.now()
    with job.store.write() as session:
        row = owned(session, task.id, job.owner)
        backup = session.get(Backup, row.backup_id) if row.backup_id else None
        parent = session.get(Backup, backup.parent_id) if backup and backup.parent_id else backup
        if parent is not None and parent.status == BackupStatus.RESTORING:
            parent.status = BackupStatus.AVAILABLE.value
            parent.updated_at = now
            session.add(parent)
        if params is not None:
            _settle_resources(session, params, failed=error is not None, now=now)
        if parent is not None:
            member = session.exec(select(VaultResource).where(
                VaultResource.resource_id == parent.resource_id)).first()
            if member is not None and member.protect_status == ProtectStatus.RESTORING:
                member.protect_status = ProtectStatus.AVAILABLE.value
                session.add(member)
        if not_restored:
            row.extra = row.extra | {"restore": row.extra.get("restore", {}) | {"not_restored": not_restored}}
        if error is None:
            outcome.succeed(row, now)
        else:
            outcome.fail(row, now, error)
        session.add(row)


def _settle_resources(session: Session, params: RestorePlan, *, failed: bool, now: Any) -> None:
    changes: dict[str, str] = {}
    if isinstance(params, ServerRestore):
        running = params.power_on if not failed else params.was_running
        changes[params.server_id] = ServerStatus.ACTIVE if running else ServerStatus.SHUTOFF
    elif isinstance(params, NewServerRestore):
        changes[params.server_id] = ServerStatus.ERROR if failed else ServerStatus.ACTIVE
        for _child, disk_id in params.mappings:
            changes[disk_id] = DiskStatus.ERROR if failed else DiskStatus.IN_USE
    elif isinstance(params, NewDiskRestore):
        for _child, disk_id in params.mappings:
            changes[disk_id] = DiskStatus.ERROR if failed else DiskStatus.AVAILABLE
    elif isinstance(params, NewTurboRestore):
        changes[params.turbo_id] = TurboStatus.ERROR if failed else TurboStatus.AVAILABLE
    for resource_id, status in changes.items():
        resource = session.get(Resource, resource_id)
        if resource is not None:
            resource.status, resource.updated_at = str(status), now
            session.add(resource)


def _mark_damaged(job: JobContext, vault: Vault, backup: Backup, error: Exception) -> None:
    """Record the damage so the next backup of the resource reads everything and stores good copies."""
    with job.store.write() as session:
        if isinstance(error, image.DamagedChunk):
            index.mark_damaged(session, vault.id, [error.hash])
        for row in session.exec(select(Backup).where((Backup.id == backup.id) | (Backup.parent_id == backup.id))):
            row.damaged = True
            session.add(row)
        if backup.parent_id:
            parent = session.get(Backup, backup.parent_id)
            if parent is not None:
                parent.damaged = True
                session.add(parent)


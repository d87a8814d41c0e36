"""Restoring from backups, and everything the console makes from one: a new disk, an image and a server
from it, a new SFS Turbo file system, files back to their host. Each checks CBR's rules, marks what it
uses, and queues a restore task that the runner carries out with verified data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlmodel import Session, col, select

from cbr_tui.cloud.control import attached_disks
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.enums import (
    BackupStatus,
    DesktopStatus,
    DiskStatus,
    OperationType,
    ProtectStatus,
    ResourceKind,
    ResourceType,
    ServerStatus,
    TaskStatus,
    TurboStatus,
    VaultStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.labels import VAULT_STATUS, resource_status_label
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.plans import (
    DISK_PLANS,
    DesktopRestore,
    DiskRestore,
    FilesRestore,
    NewDiskRestore,
    NewServerRestore,
    NewTurboRestore,
    RestorePlan,
    ServerRestore,
    restore_plan,
    stored_plan,
)
from cbr_tui.domain.rules import check_name
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.resources import ResourceService
from cbr_tui.services.shapes import task_view
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views import TaskAnswer
from cbr_tui.services.views.maintenance import ImageAnswer, ImageDeleted, ImageList, ImageView
from cbr_tui.store.models import Backup, Image, Resource, Task, Vault, VaultResource

_BUSY = (BackupStatus.PROTECTING.value, BackupStatus.WAITING_PROTECT.value)


class RestoreService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _cloud(self) -> ResourceService:
        """The simulated cloud making the new disk, server or file system of a restore already permitted."""
        return ResourceService(self.ctx.as_administrator())

    # --- restore in place -----------------------------------------------------------------------------

    def restore_server(self, backup_ref: str, *, mappings: Mapping[str, str] | None = None,
                       power_on: bool = True) -> TaskAnswer:
        """Restore Server: each disk backup onto a disk of the original server (by default its own disk).
        The server is stopped while it runs and started afterwards unless `power_on` is False."""
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_ref, ResourceType.SERVER)
            server = session.get(Resource, backup.resource_id)
            if server is None:
                raise CbrError(Codes.RESTORE_SERVER_TERMINATED,
                               f"The server {backup.resource_name} was deleted; create an image from the backup and "
                               "a new server from the image instead.")
            server = lookups.resource(session, self.ctx, server.id, ResourceKind.SERVER, for_update=True)
            return self._queue_machine(session, backup, vault, server, "server", mappings or {}, power_on)

    def restore_desktop(self, backup_ref: str) -> TaskAnswer:
        """Restore a desktop from its backup: each disk backup goes back onto the desktop's own disk. The
        desktop must still exist and be Available or In-use; it is not switched off (desktops have no power
        state here), so its user sees the old data once the restore completes."""
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_ref, ResourceType.DESKTOP)
            desktop = session.get(Resource, backup.resource_id)
            if desktop is None:
                raise CbrError(Codes.RESTORE_SERVER_TERMINATED,
                               f"The desktop {backup.resource_name} was deleted; its backup cannot be restored to it.")
            desktop = lookups.resource(session, self.ctx, desktop.id, ResourceKind.DESKTOP, for_update=True)
            if desktop.status not in (DesktopStatus.AVAILABLE, DesktopStatus.IN_USE):
                raise CbrError(Codes.RESTORE_SERVER_STATUS,
                               f"The desktop {desktop.name} is {resource_status_label(desktop.status)}; only an "
                               "Available or In-use desktop can be restored.")
            plan = self._idle_disk_plan(session, backup, desktop, {})
            return self._queue(session, backup, vault, desktop,
                               DesktopRestore(desktop_id=desktop.id, mappings=plan))

    def restore_disk(self, backup_ref: str, target_disk: str | None = None) -> TaskAnswer:
        """Restore Disk: the disk (the original by default) must be detached, Available, and large enough."""
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_ref, ResourceType.VOLUME)
            disk = lookups.resource(session, self.ctx, target_disk or backup.resource_id, ResourceKind.DISK,
                                    for_update=True)
            return self._queue_disk(session, backup, vault, disk, "disk", "detach it so it is Available before "
                                                                          "restoring it")

    def restore_on_premises(self, backup_ref: str, *, power_on: bool = True) -> TaskAnswer:
        """Restore a hybrid cloud backup to where it came from in the data center: a LUN (Available, not
        attached), or a VM's disks (the VM stopped while it runs, started afterwards unless `power_on` is
        False). The seed's *Restoring from a Hybrid Cloud Backup*."""
        from cbr_tui.services.hybrid import is_on_premises

        with self.ctx.store.write() as session:
            backup = lookups.backup(session, self.ctx, backup_ref, action=Action.BACKUP_RESTORE)
            kind = ResourceType.SERVER if backup.resource_type == ResourceType.SERVER else ResourceType.VOLUME
            backup, vault = self._restorable(session, backup.id, kind)
            origin = session.get(Resource, backup.resource_id)
            if origin is None or not is_on_premises(session, origin, self.ctx.account_id):
                raise CbrError(Codes.RESTORE_OTHER_SERVER,
                               f"{backup.name} was not synchronised from the data center; restore it on the cloud.")
            if kind is ResourceType.VOLUME:
                return self._queue_disk(session, backup, vault, origin, "LUN", "only an Available LUN can be "
                                                                               "restored")
            return self._queue_machine(session, backup, vault, origin, "VM", {}, power_on)

    # --- make something new ---------------------------------------------------------------------------

    def create_disk(self, backup_ref: str, name: str, *, size_gb: int | None = None,
                    availability_zone: str | None = None) -> TaskAnswer:
        """Create Disk: a new disk at least the size of the backed-up disk, holding its data."""
        with self.ctx.store.read() as session:
            backup, _vault = self._restorable(session, backup_ref, ResourceType.VOLUME)
            size = size_gb or backup.resource_size
            if size < backup.resource_size:
                raise CbrError(Codes.RESTORE_DISK_TOO_SMALL,
                               f"The new disk must be at least {backup.resource_size} GB, the size of the backup.")
            backup_id = backup.id
        created = self._cloud().create_disk(name, size, availability_zone=availability_zone,
                                                        status=DiskStatus.CREATING).resource
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_id, ResourceType.VOLUME)
            disk = lookups.resource(session, self.ctx, created.id, ResourceKind.DISK)
            return self._queue(session, backup, vault, disk, NewDiskRestore(mappings=[(backup.id, disk.id)]))

    def create_image(self, backup_ref: str, name: str) -> ImageAnswer:
        """Create Image: a full-server image from a server backup that contains the system disk."""
        name = check_name(name, "image")
        with self.ctx.store.write() as session:
            backup = lookups.backup(session, self.ctx, backup_ref, action=Action.BACKUP_RESTORE)
            if backup.resource_type != ResourceType.SERVER or backup.parent_id:
                raise CbrError(Codes.IMAGE_WRONG_BACKUP_TYPE, "Only cloud server backups can be used to create images.")
            if backup.status != BackupStatus.AVAILABLE or backup.damaged:
                raise CbrError(Codes.IMAGE_BACKUP_STATUS,
                               f"The backup {backup.name} is {backup.status}; an image needs an Available backup.")
            if not backup.contain_system_disk:
                raise CbrError(Codes.IMAGE_NO_SYSTEM_DISK,
                               f"The backup {backup.name} has no system disk, so no image can be made from it.")
            if session.exec(select(Image).where(Image.backup_id == backup.id)).first():
                raise CbrError(Codes.IMAGE_EXISTS, f"An image was already created from {backup.name}.")
            image = Image(id=self.ctx.ids.uuid(), project_id=self.ctx.project_id, name=name, backup_id=backup.id,
                          status="active", min_disk_gb=backup.resource_size, created_at=self.ctx.clock.now())
            session.add(image)
            return ImageAnswer(image=_image_view(image, backup))

    def list_images(self) -> ImageList:
        with self.ctx.store.read() as session:
            rows = session.exec(select(Image, Backup).join(Backup, col(Backup.id) == Image.backup_id)
                                .where(Image.project_id == self.ctx.project_id,
                                       *lookups.visible_clause(Backup, self.ctx)).order_by(col(Image.created_at))).all()
            return ImageList(images=[_image_view(image, backup) for image, backup in rows], count=len(rows))

    def delete_image(self, image_ref: str) -> ImageDeleted:
        with self.ctx.store.write() as session:
            image = self._image(session, image_ref)
            backup = session.get(Backup, image.backup_id)
            lookups.permit(session, self.ctx, Action.BACKUP_RESTORE, backup.enterprise_project_id if backup else None)
            session.delete(image)
            return ImageDeleted(image_id=image.id)

    def create_server_from_image(self, image_ref: str, name: str, *,
                                 availability_zone: str | None = None) -> TaskAnswer:
        """A new server from an image: disks shaped like the backup's, holding its data; it starts when done."""
        with self.ctx.store.read() as session:
            image = self._image(session, image_ref)
            backup, _vault = self._restorable(session, image.backup_id, ResourceType.SERVER, for_image=True)
            children = _children(session, backup)
            sizes = [c.resource_size for c in children]
            backup_id = backup.id
        if not children or not children[0].bootable:
            raise CbrError(Codes.IMAGE_NO_SYSTEM_DISK, "The image's backup has no system disk.")
        created = self._cloud().create_server(name, system_disk_gb=sizes[0], data_disks_gb=sizes[1:],
                                                          availability_zone=availability_zone,
                                                          status=ServerStatus.BUILD).resource
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_id, ResourceType.SERVER, for_image=True)
            server = lookups.resource(session, self.ctx, created.id, ResourceKind.SERVER)
            disks = [v.id for v in created.volumes or ()]
            plan = [(child.id, disk) for child, disk in zip(_children(session, backup), disks, strict=True)]
            params = NewServerRestore(server_id=server.id, power_on=True, mappings=plan)
            return self._queue(session, backup, vault, server, params)

    def create_file_system(self, backup_ref: str, name: str, *, size_gb: int | None = None) -> TaskAnswer:
        """Create File System: a new SFS Turbo file system from a backup (the original is never overwritten)."""
        with self.ctx.store.read() as session:
            backup, _vault = self._restorable(session, backup_ref, ResourceType.TURBO)
            size = size_gb or backup.resource_size
            if size < backup.resource_size:
                raise invalid(f"The new file system must be at least {backup.resource_size} GB.")
            backup_id = backup.id
        created = self._cloud().create_turbo(name, size, status=TurboStatus.CREATING).resource
        assert created.path is not None  # a file system's view always names its directory
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_id, ResourceType.TURBO)
            turbo = lookups.resource(session, self.ctx, created.id, ResourceKind.TURBO)
            return self._queue(session, backup, vault, turbo,
                               NewTurboRestore(turbo_id=turbo.id, path=created.path))

    def restore_files(self, backup_ref: str, destination: str | None = None, *,
                      keep_owners: bool = False) -> TaskAnswer:
        """Restore a file backup to the directory it came from, or under a new directory. The files belong to
        whoever restores them (setuid and setgid bits dropped) unless `keep_owners`, which only root may ask."""
        if keep_owners and os.geteuid() != 0:
            raise invalid(f"Only a restore run as root can give files back their owners (this is uid "
                          f"{os.geteuid()}); without it the files are yours and lose setuid and setgid bits.")
        with self.ctx.store.write() as session:
            backup, vault = self._restorable(session, backup_ref, ResourceType.NATIVE)
            agent = session.get(Resource, backup.resource_id)
            if destination is not None:
                if not destination.startswith("/") or len(destination) > 255:
                    raise invalid("The destination path must be an absolute path of 1 to 255 characters.")
                self.ctx.check_host_path(Path(destination), "restore destination")
            elif agent is None:
                raise invalid(f"The backup client {backup.resource_name} is gone; restore to a new path instead.")
            return self._queue(session, backup, vault, agent,
                               FilesRestore(destination=destination, keep_owners=keep_owners))

    # --- rules ------------------------------------------------------------------------------------------

    def _restorable(self, session: Session, ref: str, resource_type: ResourceType,
                    for_image: bool = False) -> tuple[Backup, Vault]:
        backup = lookups.backup(session, self.ctx, ref, action=Action.BACKUP_RESTORE)
        if backup.parent_id and resource_type is ResourceType.VOLUME:
            pass  # a disk of a server backup can be used like a disk backup
        elif backup.parent_id or backup.resource_type != resource_type:
            raise invalid(f"{backup.name} is a backup of {backup.resource_type}; this needs a backup of "
                          f"{resource_type.value}.")
        if backup.status != BackupStatus.AVAILABLE or backup.damaged:
            state = "damaged" if backup.damaged else backup.status
            raise CbrError(Codes.RESTORE_BACKUP_STATUS,
                           f"The backup {backup.name} is {state}; only an Available backup can be restored"
                           f"{' or imaged' if for_image else ''}.")
        vault = session.get(Vault, backup.vault_id)
        assert vault is not None
        if vault.status not in (VaultStatus.AVAILABLE, VaultStatus.LOCK):
            raise CbrError(Codes.RESTORE_VAULT_STATUS,
                           f"Backups can be used only while their vault is Available; {vault.name} is "
                           f"{VAULT_STATUS[VaultStatus(vault.status)]}.")
        return backup, vault

    def _queue_disk(self, session: Session, backup: Backup, vault: Vault, disk: Resource, noun: str,
                    remedy: str) -> TaskAnswer:
        """Restore a disk backup onto `disk`: Available, not attached, large enough, idle."""
        if disk.status != DiskStatus.AVAILABLE or disk.parent_id:
            raise CbrError(Codes.RESTORE_DISK_STATUS,
                           f"The {noun} {disk.name} is {resource_status_label(disk.status)}; {remedy}.")
        self._check_disk_size(backup, disk)
        self._ensure_idle(session, [disk.id])
        return self._queue(session, backup, vault, disk, DiskRestore(mappings=[(backup.id, disk.id)]))

    def _queue_machine(self, session: Session, backup: Backup, vault: Vault, machine: Resource, noun: str,
                       mappings: Mapping[str, str], power_on: bool) -> TaskAnswer:
        """Restore a server backup onto `machine`'s disks: Running or Stopped, stopped while it runs."""
        if machine.status not in (ServerStatus.ACTIVE, ServerStatus.SHUTOFF):
            raise CbrError(Codes.RESTORE_SERVER_STATUS,
                           f"The {noun} {machine.name} is {resource_status_label(machine.status)}; only a Running or "
                           f"Stopped {noun} can be restored.")
        plan = self._idle_disk_plan(session, backup, machine, mappings)
        return self._queue(session, backup, vault, machine, ServerRestore(
            server_id=machine.id, power_on=power_on, was_running=machine.status == ServerStatus.ACTIVE, mappings=plan))

    def _idle_disk_plan(self, session: Session, backup: Backup, machine: Resource,
                        mappings: Mapping[str, str]) -> list[tuple[str, str]]:
        """Where each disk backup of a server or desktop goes, with the machine and every target disk idle."""
        self._ensure_idle(session, [machine.id])
        plan = self._disk_plan(session, backup, machine, mappings)
        self._ensure_idle(session, [disk_id for _child, disk_id in plan])
        return plan

    def _disk_plan(self, session: Session, backup: Backup, server: Resource,
                   mappings: Mapping[str, str]) -> list[tuple[str, str]]:
        disks = attached_disks(session, server.id)
        by_ref = {d.id: d for d in disks} | {d.name: d for d in disks}
        children = _children(session, backup)
        child_refs = {c.id: c for c in children} | {c.resource_name: c for c in children}
        unknown = [ref for ref in mappings if ref not in child_refs]
        if unknown:
            raise invalid(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a disk of {backup.name}.")
        chosen = {child_refs[ref].id: target for ref, target in mappings.items()}
        plan: list[tuple[str, str]] = []
        for child in children:
            target_ref = chosen.get(child.id, child.resource_id)
            disk = by_ref.get(target_ref)
            if disk is None:
                elsewhere = session.exec(select(Resource).where(
                    Resource.project_id == self.ctx.project_id, Resource.kind == ResourceKind.DISK.value,
                    (Resource.id == target_ref) | (Resource.name == target_ref))).first()
                if elsewhere is not None and target_ref != child.resource_id:
                    raise CbrError(Codes.RESTORE_OTHER_SERVER,
                                   f"Disks of {backup.name} can be restored only to disks of {server.name}.")
                raise CbrError(Codes.RESTORE_SOME_DISKS,
                               f"{child.resource_name} is no longer attached to {server.name}; choose a target disk.")
            if disk.bootable and not child.bootable:
                raise CbrError(Codes.RESTORE_DATA_TO_SYSTEM_DISK,
                               f"{child.resource_name} is a data disk backup; it cannot go to the system disk "
                               f"{disk.name}.")
            self._check_disk_size(child, disk)
            plan.append((child.id, disk.id))
        if len({d for _c, d in plan}) != len(plan):
            raise invalid("Two disk backups would be restored onto the same disk.")
        return plan

    def _check_disk_size(self, backup: Backup, disk: Resource) -> None:
        if disk.size_gb < backup.resource_size:
            raise CbrError(Codes.RESTORE_DISK_TOO_SMALL,
                           f"The disk {disk.name} ({disk.size_gb} GB) is smaller than the backup "
                           f"({backup.resource_size} GB).")

    def _ensure_idle(self, session: Session, resource_ids: list[str]) -> None:
        """Refuse while any of these resources is being backed up (2002) or restored (2010)."""
        busy = session.exec(select(Backup).where(col(Backup.resource_id).in_(resource_ids),
                                                 col(Backup.status).in_(_BUSY))).first()
        if busy is not None:
            raise CbrError(Codes.RESTORE_RESOURCE_BACKING_UP,
                           f"{busy.resource_name} is being backed up; restore it after the backup completes.")
        if set(resource_ids) & restore_targets(session, self.ctx.project_id):
            raise CbrError(Codes.RESTORE_RESOURCE_RESTORING, "The resource is being restored; wait for it to finish.")

    def _queue(self, session: Session, backup: Backup, vault: Vault, target: Resource | None,
               plan: RestorePlan) -> TaskAnswer:
        if backup.status == BackupStatus.RESTORING:
            raise CbrError(Codes.RESTORE_BACKUP_STATUS, f"{backup.name} is already being restored.")
        parent = session.get(Backup, backup.parent_id) if backup.parent_id else backup
        assert parent is not None
        parent.status = BackupStatus.RESTORING.value
        session.add(parent)
        member = session.exec(select(VaultResource).where(VaultResource.resource_id == parent.resource_id)).first()
        if member is not None and target is not None and member.resource_id == target.id:
            member.protect_status = ProtectStatus.RESTORING.value
            session.add(member)
        task = record_task(
            session, self.ctx, OperationType.RESTORE, TaskStatus.WAITING, vault=vault,
            resource=(target.id, target.name, target.kind) if target else None,
            backup=(backup.id, backup.name), checkpoint_id=backup.checkpoint_id, provider_id=backup.provider_id,
            extra={"restore": {"backup_id": backup.id, "backup_name": backup.name,
                               "target_resource_id": target.id if target else None,
                               "target_resource_name": target.name if target else None},
                   "params": stored_plan(plan)},
        )
        session.flush()
        return TaskAnswer(operation_log=task_view(task))

    def _image(self, session: Session, ref: str) -> Image:
        image = session.get(Image, ref) or session.exec(select(Image).where(
            Image.project_id == self.ctx.project_id, Image.name == ref)).first()
        backup = session.get(Backup, image.backup_id) if image is not None else None
        if image is None or image.project_id != self.ctx.project_id or (
                backup is not None and not self.ctx.principal.sees(backup.enterprise_project_id)):
            raise invalid(f"There is no image {ref!r} in this region.")
        return image


def restore_targets(session: Session, project_id: str) -> set[str]:
    """Resources that waiting or running restores write to."""
    targets: set[str] = set()
    for task in session.exec(select(Task).where(Task.project_id == project_id,
                                                Task.operation_type == OperationType.RESTORE.value,
                                                col(Task.status).in_((TaskStatus.WAITING.value,
                                                                      TaskStatus.RUNNING.value)))):
        targets.add(task.resource_id or "")
        try:
            plan = restore_plan(task.extra.get("params"))
        except ValueError:  # unreadable: the runner fails the task without writing anything
            continue
        if isinstance(plan, DISK_PLANS):
            targets.update(disk for _child, disk in plan.mappings)
    return targets


def _children(session: Session, backup: Backup) -> list[Backup]:
    return list(session.exec(select(Backup).where(Backup.parent_id == backup.id)
                             .order_by(col(Backup.bootable).desc(), col(Backup.created_at),
                                       col(Backup.resource_name))).all())


def _image_view(image: Image, backup: Backup) -> ImageView:
    return ImageView(id=image.id, name=image.name, status=image.status, backup_id=backup.id, backup_name=backup.name,
                     min_disk=image.min_disk_gb, created_at=api_time(image.created_at))

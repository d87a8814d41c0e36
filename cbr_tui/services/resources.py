"""Operations on the simulated cloud: the servers, disks, file systems, desktops and backup clients that CBR
protects. Rows go to the store; bytes go to sparse disk images and directory trees through `cbr_tui.cloud`.

Files are created before the rows that point at them are committed (and removed if the commit fails), and
removed only after the rows are gone, so a crash leaves at most unreferenced files, never a row without bytes.
"""

from __future__ import annotations

import builtins
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, func, or_, select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.cloud.regions import region_spec
from cbr_tui.cloud.workload import PATTERNS, MiB, Workload
from cbr_tui.domain.enums import (
    AgentStatus,
    BackupStatus,
    DesktopStatus,
    DiskStatus,
    ResourceKind,
    ServerStatus,
    TurboStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.ids import stable_uuid
from cbr_tui.domain.labels import RESOURCE_NOUN, resource_status_label
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import check_name, check_tags, check_write_amount
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.shapes import resource_views
from cbr_tui.services.views import (
    AgentPathsAdded,
    AgentPathsRemoved,
    DataDamaged,
    DataWritten,
    ResourceAnswer,
    ResourcePage,
    ResourceView,
)
from cbr_tui.store.models import AgentPath, Backup, Resource, ResourceTag, VaultResource

GB = 1 << 30
AGENT_PATHS_MAX = 20
DISK_SIZE_RANGE = (10, 32_768)
TURBO_SIZE_RANGE = (500, 1_048_576)
_STATUSES: dict[ResourceKind, type] = {
    ResourceKind.SERVER: ServerStatus,
    ResourceKind.DISK: DiskStatus,
    ResourceKind.TURBO: TurboStatus,
    ResourceKind.DESKTOP: DesktopStatus,
    ResourceKind.AGENT: AgentStatus,
}


class ResourceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- reading --------------------------------------------------------------------------------------

    def list(self, kind: ResourceKind | str | None = None, *, status: str | None = None, name: str | None = None,
             limit: int | None = None, offset: int = 0) -> ResourcePage:
        query = select(Resource).where(Resource.project_id == self.ctx.project_id, not_desktop_disk())
        if kind:
            query = query.where(Resource.kind == ResourceKind(kind).value)
        if status:
            query = query.where(Resource.status == status)
        if name:
            query = query.where(col(Resource.name).contains(name))
        with self.ctx.store.read() as session:
            total = lookups.count(session, query)
            query = query.order_by(Resource.kind, Resource.name, Resource.id).offset(offset)
            if limit is not None:
                query = query.limit(limit)
            rows = session.exec(query).all()
            return ResourcePage(resources=resource_views(session, rows), count=total)

    def show(self, ref: str) -> ResourceView:
        with self.ctx.store.read() as session:
            return resource_views(session, [lookups.resource(session, self.ctx, ref)])[0]

    def _answer(self, resource_id: str) -> ResourceAnswer:
        return ResourceAnswer(resource=self.show(resource_id))

    # --- creating ---------------------------------------------------------------------------------------

    def create_server(self, name: str, *, system_disk_gb: int = 40, data_disks_gb: Sequence[int] = (),
                      encrypted_data: bool = False, availability_zone: str | None = None,
                      flavor: str = "s6.large.2", image: str = "CentOS 7.9 64bit",
                      status: ServerStatus = ServerStatus.ACTIVE, tags: Any = None,
                      resource_id: str | None = None) -> ResourceAnswer:
        """An ECS with a system disk and data disks (sparse images of their nominal size)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        return self._create_with_disks(ResourceKind.SERVER, name, system_disk_gb, data_disks_gb, encrypted_data,
                                       availability_zone, flavor, image, status, tags, resource_id)

    def create_desktop(self, name: str, *, system_disk_gb: int = 80, data_disks_gb: Sequence[int] = (100,),
                       availability_zone: str | None = None, flavor: str = "workspace.x86.ultimate.large2",
                       image: str = "Windows Server 2019", status: DesktopStatus = DesktopStatus.IN_USE,
                       tags: Any = None, resource_id: str | None = None) -> ResourceAnswer:
        """A Workspace desktop with its own system and data disks."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        return self._create_with_disks(ResourceKind.DESKTOP, name, system_disk_gb, data_disks_gb, False,
                                       availability_zone, flavor, image, status, tags, resource_id)

    def create_disk(self, name: str, size_gb: int, *, encrypted: bool = False,
                    availability_zone: str | None = None, status: DiskStatus = DiskStatus.AVAILABLE,
                    tags: Any = None, resource_id: str | None = None) -> ResourceAnswer:
        """A standalone EVS disk, detached (Available) unless told otherwise."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        name = check_name(name, "disk")
        _check_size("disk", size_gb, DISK_SIZE_RANGE)
        checked_tags = check_tags(tags)
        az = self._az(availability_zone)
        disk_id = resource_id or self.ctx.ids.uuid()
        with self._new_files() as created:
            created.append(self._new_image(disk_id, size_gb))
            with self.ctx.store.write() as session:
                disk = self._disk_row(disk_id, name, size_gb, az, status, encrypted=encrypted)
                session.add(disk)
                self._add_tags(session, disk_id, checked_tags)
        return self._answer(disk_id)

    def create_turbo(self, name: str, size_gb: int = 500, *, availability_zone: str | None = None,
                     status: TurboStatus = TurboStatus.AVAILABLE, tags: Any = None,
                     resource_id: str | None = None) -> ResourceAnswer:
        """An SFS Turbo file system: a directory tree with a nominal capacity."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        name = check_name(name, "file system")
        _check_size("file system", size_gb, TURBO_SIZE_RANGE)
        checked_tags = check_tags(tags)
        az = self._az(availability_zone)
        turbo_id = resource_id or self.ctx.ids.uuid()
        relative = self.ctx.layout.turbo_root(self.ctx.region_id, turbo_id)
        with self._new_files() as created:
            root = self.ctx.layout.resolve(relative)
            if not root.is_dir():  # else left by a lost database: its files are kept
                root.mkdir(parents=True)
                created.append(root)
            with self.ctx.store.write() as session:
                session.add(self._row(turbo_id, ResourceKind.TURBO, name, status, az, size_gb, data_path=relative))
                self._add_tags(session, turbo_id, checked_tags)
        return self._answer(turbo_id)

    def register_agent(self, host_name: str, paths: Sequence[str] = (), *, host_os: str = "CentOS 7.9 64bit",
                       host_ip: str = "192.168.0.10", status: AgentStatus = AgentStatus.NORMAL,
                       agent_version: str = "2.5.1", resource_id: str | None = None) -> ResourceAnswer:
        """A file-backup client installed on a host; `paths` are real local directories it backs up.

        With no paths, the client gets a home directory of its own under the data directory.
        """
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        host_name = check_name(host_name, "backup client")
        agent_id = resource_id or self.ctx.ids.uuid()
        with self.ctx.store.read() as session:
            if resource_id is not None and session.get(Resource, resource_id) is not None:
                raise invalid(f"A client {resource_id} is registered already.")
        relative = self.ctx.host_root(host_name)
        with self._new_files() as created:
            if not paths:
                root = self.ctx.layout.resolve(relative)
                root.mkdir(parents=True, exist_ok=True)
                created.append(root)
                paths = [str(root)]
            with self.ctx.store.write() as session:
                agent = self._row(agent_id, ResourceKind.AGENT, host_name, status, None, 0, data_path=relative)
                agent.host_name, agent.host_os, agent.host_ip = host_name, host_os, host_ip
                agent.agent_version = agent_version
                session.add(agent)
                session.flush()
                for path in paths:
                    self._add_path(session, agent_id, path)
        return self._answer(agent_id)

    def _create_with_disks(self, kind: ResourceKind, name: str, system_disk_gb: int,
                           data_disks_gb: Sequence[int], encrypted_data: bool, availability_zone: str | None,
                           flavor: str, image: str, status: str, tags: Any,
                           resource_id: str | None) -> ResourceAnswer:
        noun = RESOURCE_NOUN[kind]
        name = check_name(name, noun)
        for size in (system_disk_gb, *data_disks_gb):
            _check_size("disk", size, DISK_SIZE_RANGE)
        checked_tags = check_tags(tags)
        az = self._az(availability_zone)
        owner_id = resource_id or self.ctx.ids.uuid()
        sizes = [system_disk_gb, *data_disks_gb]
        disk_ids = [self.ctx.ids.uuid() if resource_id is None else _child_id(owner_id, i) for i in range(len(sizes))]
        disk_status = DiskStatus.IN_USE
        with self._new_files() as created:
            for disk_id, size in zip(disk_ids, sizes, strict=True):
                created.append(self._new_image(disk_id, size))
            with self.ctx.store.write() as session:
                owner = self._row(owner_id, kind, name, status, az, 0)
                owner.flavor, owner.image_name = flavor, image
                session.add(owner)
                session.flush()
                for index, (disk_id, size) in enumerate(zip(disk_ids, sizes, strict=True)):
                    disk = self._disk_row(disk_id, f"{name}-volume-{index:04d}", size, az, disk_status,
                                          encrypted=encrypted_data and index > 0, parent_id=owner_id,
                                          device=_device(index), bootable=index == 0)
                    session.add(disk)
                self._add_tags(session, owner_id, checked_tags)
        return self._answer(owner_id)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def start_server(self, ref: str) -> ResourceAnswer:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        return self._power(ref, ServerStatus.SHUTOFF, ServerStatus.ACTIVE, "started")

    def stop_server(self, ref: str) -> ResourceAnswer:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        return self._power(ref, ServerStatus.ACTIVE, ServerStatus.SHUTOFF, "stopped")

    def _power(self, ref: str, source: ServerStatus, target: ServerStatus, verb: str) -> ResourceAnswer:
        with self.ctx.store.write() as session:
            server = lookups.resource(session, self.ctx, ref, ResourceKind.SERVER)
            if server.status != source:
                raise invalid(
                    f"The server {server.name} is {resource_status_label(server.status)}; only a "
                    f"{resource_status_label(source)} server can be {verb}."
                )
            server.status = target.value
            server.updated_at = self.ctx.clock.now()
            session.add(server)
            server_id = server.id
        return self._answer(server_id)

    def set_status(self, ref: str, status: str) -> ResourceAnswer:
        """Put a resource into any status of its kind, to rehearse faults (an Error server, an Offline agent)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            kind = ResourceKind(res.kind)
            allowed = _STATUSES[kind]
            if status not in {s.value for s in allowed}:  # type: ignore[attr-defined]
                words = ", ".join(s.value for s in allowed)  # type: ignore[attr-defined]
                raise invalid(f"A {RESOURCE_NOUN[kind]} status is one of {words}; {status!r} is not.")
            self._ensure_not_busy(session, res, "changed")
            res.status = status
            res.updated_at = self.ctx.clock.now()
            session.add(res)
            res_id = res.id
        return self._answer(res_id)

    def attach_new_disk(self, server_ref: str, size_gb: int, *, encrypted: bool = False,
                        name: str | None = None) -> ResourceAnswer:
        """Create a data disk and attach it; an associated server backs it up from its next backup on."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        _check_size("disk", size_gb, DISK_SIZE_RANGE)
        disk_id = self.ctx.ids.uuid()
        with self._new_files() as created:
            created.append(self._new_image(disk_id, size_gb))
            with self.ctx.store.write() as session:
                owner = self._disk_owner(session, server_ref)
                disks = lookups.attached_disks(session, owner.id)
                disk_name = check_name(name or self._free_disk_name(session, owner.name, len(disks)), "disk")
                session.add(self._disk_row(disk_id, disk_name, size_gb, owner.availability_zone,
                                           DiskStatus.IN_USE, encrypted=encrypted, parent_id=owner.id,
                                           device=_next_device(disks)))
                owner_id = owner.id
        return self._answer(owner_id)

    def attach_disk(self, server_ref: str, disk_ref: str) -> ResourceAnswer:
        """Attach an existing Available disk to a server."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            server = self._disk_owner(session, server_ref)
            disk = lookups.resource(session, self.ctx, disk_ref, ResourceKind.DISK)
            if disk.status != DiskStatus.AVAILABLE or disk.parent_id:
                raise invalid(f"The disk {disk.name} is {resource_status_label(disk.status)}; "
                              "only an Available disk can be attached.")
            if disk.availability_zone != server.availability_zone:
                raise invalid(f"The disk {disk.name} is in {disk.availability_zone} and the server in "
                              f"{server.availability_zone}; a disk attaches only to a server of its AZ.")
            self._ensure_not_busy(session, disk, "attached")
            disk.parent_id = server.id
            disk.device = _next_device(lookups.attached_disks(session, server.id))
            disk.status = DiskStatus.IN_USE.value
            disk.updated_at = self.ctx.clock.now()
            session.add(disk)
            server_id = server.id
        return self._answer(server_id)

    def detach_disk(self, disk_ref: str) -> ResourceAnswer:
        """Detach a disk from its server; a system disk detaches only from a Stopped server."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            disk = lookups.resource(session, self.ctx, disk_ref, ResourceKind.DISK)
            if not disk.parent_id:
                raise CbrError(Codes.DISK_NOT_ATTACHED, f"The disk {disk.name} is not attached to any server.")
            owner = session.get(Resource, disk.parent_id)
            assert owner is not None
            if owner.kind == ResourceKind.DESKTOP:
                raise invalid(f"The disk {disk.name} belongs to the desktop {owner.name} and cannot be detached.")
            if disk.bootable and owner.status != ServerStatus.SHUTOFF:
                raise invalid(f"The system disk {disk.name} can be detached only while {owner.name} is Stopped.")
            self._ensure_not_busy(session, owner, "changed")
            disk.parent_id, disk.device = None, None
            disk.status = DiskStatus.AVAILABLE.value
            disk.updated_at = self.ctx.clock.now()
            session.add(disk)
            disk_id = disk.id
        return self._answer(disk_id)

    def delete(self, ref: str) -> ResourceAnswer:
        """Delete a resource (a server with its disks). Its backups stay in the vault; it leaves the vault."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            if res.kind == ResourceKind.DISK and res.parent_id:
                raise invalid(f"The disk {res.name} is attached; detach it before deleting it.")
            self._ensure_not_busy(session, res, "deleted")
            doomed = [res, *lookups.attached_disks(session, res.id)]
            ids = [r.id for r in doomed]
            paths = [r.data_path for r in doomed if r.data_path]
            shaped = resource_views(session, [res])[0]
            session.exec(delete(VaultResource).where(col(VaultResource.resource_id).in_(ids)))
            session.exec(delete(ResourceTag).where(col(ResourceTag.resource_id).in_(ids)))
            session.exec(delete(AgentPath).where(col(AgentPath.agent_id).in_(ids)))
            for row in reversed(doomed):
                session.delete(row)
                session.flush()
        for relative in paths:
            _remove_bytes(self.ctx.layout.resolve(relative))
        return ResourceAnswer(resource=shaped)

    # --- data -----------------------------------------------------------------------------------------------

    @staticmethod
    def data_patterns() -> builtins.list[str]:
        """The kinds of data `write_data` can write (mixed, text, random, zeros)."""
        return list(PATTERNS)

    def write_data(self, ref: str, megabytes: float, *, pattern: str = "mixed", seed: str | None = None,
                   scattered: bool = False) -> DataWritten:
        """Write `megabytes` of data: into a disk (all disks of a server or desktop share it), or as files."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        check_write_amount(megabytes)
        mix = PATTERNS.get(pattern)
        if mix is None:
            raise invalid(f"The data pattern is one of {', '.join(PATTERNS)}; {pattern!r} is not.")
        with self.ctx.store.read() as session:
            res = lookups.resource(session, self.ctx, ref)
            targets = self._byte_targets(session, res)
        workload = Workload(seed or self.ctx.ids.uuid())
        share = int(megabytes * MiB) // len(targets)
        written = 0
        for target in targets:
            if target.is_disk and scattered:
                count = max(1, share // 4096)
                workload.scatter_writes(DiskImage(target.path), count, mix=mix)
                written += count * 4096
            elif target.is_disk:
                written += workload.fill_disk(DiskImage(target.path), share, mix=mix, dense_start=target.bootable)
            else:
                batch = target.path / f"batch-{workload.rng.getrandbits(32):08x}"
                written += workload.fill_tree(batch, max(1, share // (256 * 1024)), share, mix=mix)
        return DataWritten(resource_id=res.id, written_bytes=written, targets=[t.resource_id for t in targets])

    def damage_data(self, ref: str, *, seed: str | None = None) -> DataDamaged:
        """Corrupt data to have something to restore: overwrite blocks of disks, delete or garble files."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.read() as session:
            res = lookups.resource(session, self.ctx, ref)
            targets = self._byte_targets(session, res)
        workload = Workload(seed or self.ctx.ids.uuid())
        damaged: dict[str, Any] = {}
        for target in targets:
            if target.is_disk:
                damaged[target.resource_id] = {"overwritten_offsets": workload.damage_disk(DiskImage(target.path))}
            else:
                damaged[target.resource_id] = {"files": workload.damage_tree(target.path)}
        return DataDamaged(resource_id=res.id, damaged=damaged)

    def _byte_targets(self, session: Session, res: Resource) -> builtins.list[_ByteTarget]:
        """Where a resource's bytes are: its disks' images, its directory tree, or its client's first path."""
        if res.kind in (ResourceKind.SERVER, ResourceKind.DESKTOP):
            disks = lookups.attached_disks(session, res.id)
            if not disks:
                raise invalid(f"The {RESOURCE_NOUN[ResourceKind(res.kind)]} {res.name} has no disks to write to.")
            return [self._target(d, d.data_path) for d in disks]
        if res.kind == ResourceKind.AGENT:
            path = session.exec(select(AgentPath).where(AgentPath.agent_id == res.id)
                                .order_by(col(AgentPath.created_at))).first()
            if path is None:
                raise invalid(f"The backup client {res.name} has no backup paths; add one first.")
            return [self._target(res, path.dir_path)]
        return [self._target(res, res.data_path)]

    def _target(self, res: Resource, data_path: str | None) -> _ByteTarget:
        assert data_path is not None
        return _ByteTarget(res.id, self.ctx.layout.resolve(data_path), res.kind == ResourceKind.DISK, res.bootable)

    # --- tags and agent paths ---------------------------------------------------------------------------------

    def tag(self, ref: str, tags: Any) -> ResourceAnswer:
        """Add or overwrite tags on a resource (what automatic association filters by)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        checked = check_tags(tags)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            existing = {t.key: t for t in session.exec(select(ResourceTag).where(ResourceTag.resource_id == res.id))}
            keys = set(existing) | {t.key for t in checked}
            check_tags([(k, "") for k in sorted(keys)])
            for tag in checked:
                row = existing.get(tag.key) or ResourceTag(resource_id=res.id, key=tag.key)
                row.value = tag.value
                session.add(row)
            res_id = res.id
        return self._answer(res_id)

    def untag(self, ref: str, keys: Iterable[str]) -> ResourceAnswer:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            session.exec(delete(ResourceTag).where(col(ResourceTag.resource_id) == res.id,
                                                   col(ResourceTag.key).in_(list(keys))))
            res_id = res.id
        return self._answer(res_id)

    def add_agent_path(self, ref: str, path: str) -> AgentPathsAdded:
        return self.add_agent_paths(ref, [path])

    def add_agent_paths(self, ref: str, paths: Sequence[str]) -> AgentPathsAdded:
        """Back up more directories of a client's host: all of them, or (one refused) none. A directory it
        backs up already is reported as existing (AddAgentPath's `existed`)."""
        self.ctx.principal.require(Action.AGENT_MANAGE)
        added: builtins.list[str] = []
        existed: builtins.list[str] = []
        with self.ctx.store.write() as session:
            agent = lookups.resource(session, self.ctx, ref, ResourceKind.AGENT)
            for path in paths:
                (added if self._add_path(session, agent.id, path) else existed).append(path)
            agent_id = agent.id
        return AgentPathsAdded(resource=self.show(agent_id), added=added, existed=existed)

    def remove_agent_path(self, ref: str, path: str) -> AgentPathsRemoved:
        removed = self.remove_agent_paths(ref, [path])
        if not removed.removed:
            raise invalid(f"The backup client {removed.resource.name} does not back up {path}.")
        return removed

    def remove_agent_paths(self, ref: str, paths: Sequence[str]) -> AgentPathsRemoved:
        """Stop backing up directories of a client's host; one it does not back up is reported
        (RemoveAgentPath's `not_existed`)."""
        self.ctx.principal.require(Action.AGENT_MANAGE)
        removed: builtins.list[str] = []
        missing: builtins.list[str] = []
        with self.ctx.store.write() as session:
            agent = lookups.resource(session, self.ctx, ref, ResourceKind.AGENT)
            for path in paths:
                found = session.exec(select(AgentPath).where(
                    col(AgentPath.agent_id) == agent.id,
                    col(AgentPath.dir_path) == str(Path(path).expanduser()))).first()
                if found is None:
                    missing.append(path)
                else:
                    session.delete(found)
                    session.flush()
                    removed.append(path)
            agent_id = agent.id
        return AgentPathsRemoved(resource=self.show(agent_id), removed=removed, not_existed=missing)

    def _add_path(self, session: Session, agent_id: str, path: str) -> bool:
        """Add a directory; False when the client backs it up already."""
        directory = Path(path).expanduser()
        if not directory.is_absolute():
            raise invalid(f"A backup path must be absolute; {path!r} is not.")
        self.ctx.check_host_path(directory, "backup path")
        if not directory.is_dir():
            raise invalid(f"The backup path {path} is not an existing directory on this host.")
        duplicate = session.exec(select(AgentPath).where(AgentPath.agent_id == agent_id,
                                                         AgentPath.dir_path == str(directory))).first()
        if duplicate is not None:
            return False
        paths = session.exec(select(func.count()).where(AgentPath.agent_id == agent_id)).one()
        if paths >= AGENT_PATHS_MAX:
            raise CbrError(Codes.AGENT_PATH_QUOTA, f"A backup client can back up at most {AGENT_PATHS_MAX} paths.")
        session.add(AgentPath(id=self.ctx.ids.uuid(), agent_id=agent_id, dir_path=str(directory),
                              created_at=self.ctx.clock.now()))
        session.flush()  # a second path of the same request sees it
        return True

    # --- plumbing -----------------------------------------------------------------------------------------

    def _free_disk_name(self, session: Session, owner_name: str, first: int) -> str:
        """`<server>-volume-NNNN`, numbered past any disk of that name (a detached one keeps its name)."""
        prefix = f"{owner_name}-volume-"
        taken = set(session.exec(select(Resource.name).where(Resource.project_id == self.ctx.project_id,
                                                             col(Resource.name).startswith(prefix))).all())
        return next(name for index in range(first, first + len(taken) + 1)
                    if (name := f"{prefix}{index:04d}") not in taken)

    def _disk_owner(self, session: Session, ref: str) -> Resource:
        owner = lookups.resource(session, self.ctx, ref)
        if owner.kind not in (ResourceKind.SERVER, ResourceKind.DESKTOP):
            raise invalid(f"{owner.name} is a {RESOURCE_NOUN[ResourceKind(owner.kind)]}; disks attach to servers.")
        self._ensure_not_busy(session, owner, "changed")
        return owner

    def _ensure_not_busy(self, session: Session, res: Resource, verb: str) -> None:
        ids = [res.id, *(d.id for d in lookups.attached_disks(session, res.id))]
        busy = session.exec(
            select(Backup.id).where(col(Backup.resource_id).in_(ids), col(Backup.status).in_(_BUSY))
        ).first()
        if busy is not None:
            raise CbrError(Codes.BACKUP_IN_PROGRESS,
                           f"{res.name} is being backed up or restored; it can be {verb} when that finishes.")

    def _az(self, availability_zone: str | None) -> str:
        spec = region_spec(self.ctx.region_id)
        assert spec is not None
        if availability_zone is None:
            return spec.default_az.id
        names = {az.id: az.id for az in spec.azs} | {az.name: az.id for az in spec.azs}
        if availability_zone not in names:
            raise invalid(f"{spec.name} has the availability zones "
                          f"{', '.join(f'{a.id} ({a.name})' for a in spec.azs)}; {availability_zone!r} is not one.")
        return names[availability_zone]

    def _row(self, res_id: str, kind: ResourceKind, name: str, status: str, az: str | None, size_gb: int,
             **fields: Any) -> Resource:
        now = self.ctx.clock.now()
        return Resource(id=res_id, project_id=self.ctx.project_id, kind=kind.value, name=name, status=str(status),
                        availability_zone=az, size_gb=size_gb, created_at=now, updated_at=now, **fields)

    def _disk_row(self, disk_id: str, name: str, size_gb: int, az: str | None, status: str, *, encrypted: bool,
                  parent_id: str | None = None, device: str | None = None, bootable: bool = False) -> Resource:
        relative = self.ctx.layout.disk_image(self.ctx.region_id, disk_id)
        kms_key_id = KeyManagement(self.ctx.layout.home).default_key(self.ctx.region_id).key_id if encrypted else None
        return self._row(disk_id, ResourceKind.DISK, name, status, az, size_gb, data_path=relative,
                         encrypted=encrypted, kms_key_id=kms_key_id, parent_id=parent_id, device=device,
                         bootable=bootable)

    def _new_image(self, disk_id: str, size_gb: int) -> Path | None:
        """A new disk's image; None when one is already there (left by a lost database) and is kept."""
        path = self.ctx.layout.resolve(self.ctx.layout.disk_image(self.ctx.region_id, disk_id))
        if path.exists():
            DiskImage.adopt(path, size_gb * GB)
            return None
        DiskImage.create(path, size_gb * GB)
        return path

    @contextmanager
    def _new_files(self) -> Iterator[builtins.list[Path | None]]:
        """Files made for rows about to be committed; removed again if the commit does not happen."""
        created: list[Path | None] = []
        try:
            yield created
        except BaseException:
            for path in created:
                if path is not None:
                    _remove_bytes(path)
            raise

    def _add_tags(self, session: Session, resource_id: str, tags: Iterable[Any]) -> None:
        for tag in tags:
            session.add(ResourceTag(resource_id=resource_id, key=tag.key, value=tag.value))


@dataclass(frozen=True)
class _ByteTarget:
    resource_id: str
    path: Path
    is_disk: bool
    bootable: bool


_BUSY = (BackupStatus.PROTECTING.value, BackupStatus.WAITING_PROTECT.value, BackupStatus.RESTORING.value,
         BackupStatus.WAITING_RESTORE.value)


def not_desktop_disk() -> Any:
    """Filter out a desktop's own disks: they belong to the desktop, not to the EVS disk list."""
    desktops = select(Resource.id).where(Resource.kind == ResourceKind.DESKTOP.value)
    return or_(col(Resource.parent_id).is_(None), ~col(Resource.parent_id).in_(desktops))


def _check_size(noun: str, size_gb: int, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not low <= size_gb <= high:
        raise invalid(f"A {noun} is {low:,} to {high:,} GB; {size_gb:,} GB was given.")


def _device(index: int) -> str:
    return f"/dev/vd{'abcdefghijklmnopqrstuvwxyz'[index]}"


def _next_device(disks: Sequence[Resource]) -> str:
    used = {d.device for d in disks}
    for index in range(26):
        if _device(index) not in used:
            return _device(index)
    raise invalid("A server can have at most 26 disks attached.")


def _child_id(owner_id: str, index: int) -> str:
    return stable_uuid(owner_id, "volume", str(index))


def _remove_bytes(path: Path) -> None:
    with suppress(FileNotFoundError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
            for sidecar in (".cbt", ".lock"):
                with suppress(FileNotFoundError):
                    path.with_name(path.name + sidecar).unlink()

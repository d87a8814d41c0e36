"""The simulated cloud as the console and the CLI reach it: who may control it, which resource a name means,
CBR's own rule that a resource being backed up or restored is left alone, and the answers; the operations
themselves are the simulated cloud's (`cbr_tui.cloud.control`).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, or_, select

from cbr_tui.cloud.control import CloudControl, MachineSpec, attached_disks, new_files
from cbr_tui.cloud.workload import PATTERNS
from cbr_tui.domain.consistency import LATEST_AGENT_VERSION
from cbr_tui.domain.enums import (
    BACKUP_BUSY,
    AgentStatus,
    DesktopStatus,
    DiskStatus,
    ResourceKind,
    ServerStatus,
    TurboStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.rules import check_name, check_tags
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
from cbr_tui.store.models import Backup, Resource, VaultResource


class ResourceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.cloud = CloudControl(ctx.layout, ctx.clock, ctx.ids, ctx.project_id, ctx.region_id)

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
        return self._create_machine(ResourceKind.SERVER, name, system_disk_gb, data_disks_gb, encrypted_data,
                                    availability_zone, flavor, image, status, tags, resource_id)

    def create_desktop(self, name: str, *, system_disk_gb: int = 80, data_disks_gb: Sequence[int] = (100,),
                       availability_zone: str | None = None, flavor: str = "workspace.x86.ultimate.large2",
                       image: str = "Windows Server 2019", status: DesktopStatus = DesktopStatus.IN_USE,
                       tags: Any = None, resource_id: str | None = None) -> ResourceAnswer:
        """A Workspace desktop with its own system and data disks."""
        return self._create_machine(ResourceKind.DESKTOP, name, system_disk_gb, data_disks_gb, False,
                                    availability_zone, flavor, image, status, tags, resource_id)

    def _create_machine(self, kind: ResourceKind, name: str, system_disk_gb: int, data_disks_gb: Sequence[int],
                        encrypted_data: bool, availability_zone: str | None, flavor: str, image: str, status: str,
                        tags: Any, resource_id: str | None) -> ResourceAnswer:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        checked_tags = check_tags(tags)
        spec = MachineSpec(kind, name, [system_disk_gb, *data_disks_gb], encrypted_data,
                           self.cloud.availability_zone(availability_zone), flavor, image, status)
        with new_files() as created, self.ctx.store.write() as session:
            machine_id = self.cloud.add_machine(session, spec, checked_tags, resource_id, created)
        return self._answer(machine_id)

    def create_disk(self, name: str, size_gb: int, *, encrypted: bool = False,
                    availability_zone: str | None = None, status: DiskStatus = DiskStatus.AVAILABLE,
                    tags: Any = None, resource_id: str | None = None) -> ResourceAnswer:
        """A standalone EVS disk, detached (Available) unless told otherwise."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        checked_tags = check_tags(tags)
        az = self.cloud.availability_zone(availability_zone)
        disk_id = resource_id or self.ctx.ids.uuid()
        with new_files() as created, self.ctx.store.write() as session:
            self.cloud.add_disk(session, disk_id, name, size_gb, az, status, encrypted=encrypted, tags=checked_tags,
                                created=created)
        return self._answer(disk_id)

    def create_turbo(self, name: str, size_gb: int = 500, *, availability_zone: str | None = None,
                     status: TurboStatus = TurboStatus.AVAILABLE, tags: Any = None,
                     resource_id: str | None = None) -> ResourceAnswer:
        """An SFS Turbo file system: a directory tree with a nominal capacity."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        checked_tags = check_tags(tags)
        az = self.cloud.availability_zone(availability_zone)
        turbo_id = resource_id or self.ctx.ids.uuid()
        with new_files() as created, self.ctx.store.write() as session:
            self.cloud.add_turbo(session, turbo_id, name, size_gb, az, status, checked_tags, created)
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
        directories = [self._backup_path(path) for path in paths]
        with new_files() as created:
            if not directories:
                root = self.ctx.layout.resolve(relative)
                root.mkdir(parents=True, exist_ok=True)
                created.append(root)
                directories = [root]
            with self.ctx.store.write() as session:
                self.cloud.add_agent(session, agent_id, host_name, relative, directories, host_os=host_os,
                                     host_ip=host_ip, status=status, agent_version=agent_version)
        return self._answer(agent_id)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def start_server(self, ref: str) -> ResourceAnswer:
        return self._power(ref, ServerStatus.ACTIVE)

    def stop_server(self, ref: str) -> ResourceAnswer:
        return self._power(ref, ServerStatus.SHUTOFF)

    def _power(self, ref: str, target: ServerStatus) -> ResourceAnswer:
        return self._change(ref, lambda session, server: self.cloud.power(session, server, target),
                            ResourceKind.SERVER)

    def install_agent(self, ref: str, version: str = LATEST_AGENT_VERSION) -> ResourceAnswer:
        """Install the CBR Agent on a server, so that a database server vault backs it up consistently."""
        return self._change(ref, lambda session, server: self.cloud.install_agent(session, server, version),
                            ResourceKind.SERVER)

    def uninstall_agent(self, ref: str) -> ResourceAnswer:
        return self._change(ref, self.cloud.uninstall_agent, ResourceKind.SERVER)

    def _change(self, ref: str, change: Callable[[Session, Resource], None],
                kind: ResourceKind | None = None) -> ResourceAnswer:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref, kind)
            change(session, res)
            res_id = res.id
        return self._answer(res_id)

    def set_status(self, ref: str, status: str) -> ResourceAnswer:
        """Put a resource into any status of its kind, to rehearse faults (an Error server, an Offline agent)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            self.cloud.check_status(res, status)
            self._ensure_not_busy(session, res, "changed")
            self.cloud.set_status(session, res, status)
            res_id = res.id
        return self._answer(res_id)

    def attach_new_disk(self, server_ref: str, size_gb: int, *, encrypted: bool = False,
                        name: str | None = None) -> ResourceAnswer:
        """Create a data disk and attach it; an associated server backs it up from its next backup on."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        self.cloud.check_disk_size(size_gb)
        with new_files() as created, self.ctx.store.write() as session:
            owner = self._disk_owner(session, server_ref)
            self.cloud.attach_new_disk(session, owner, size_gb, encrypted=encrypted, name=name, created=created)
            owner_id = owner.id
        return self._answer(owner_id)

    def attach_disk(self, server_ref: str, disk_ref: str) -> ResourceAnswer:
        """Attach an existing Available disk to a server."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            server = self._disk_owner(session, server_ref)
            disk = lookups.resource(session, self.ctx, disk_ref, ResourceKind.DISK)
            self.cloud.check_attach(server, disk)
            self._ensure_not_busy(session, disk, "attached")
            self.cloud.attach(session, server, disk)
            server_id = server.id
        return self._answer(server_id)

    def detach_disk(self, disk_ref: str) -> ResourceAnswer:
        """Detach a disk from its server; a system disk detaches only from a Stopped server."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            disk = lookups.resource(session, self.ctx, disk_ref, ResourceKind.DISK)
            self._ensure_not_busy(session, self.cloud.disk_owner(session, disk), "changed")
            self.cloud.detach(session, disk)
            disk_id = disk.id
        return self._answer(disk_id)

    def delete(self, ref: str) -> ResourceAnswer:
        """Delete a resource (a server with its disks). Its backups stay in the vault; it leaves the vault."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.write() as session:
            res = lookups.resource(session, self.ctx, ref)
            self.cloud.check_deletable(res)
            self._ensure_not_busy(session, res, "deleted")
            shaped = resource_views(session, [res])[0]
            ids = [res.id, *(d.id for d in attached_disks(session, res.id))]
            session.exec(delete(VaultResource).where(col(VaultResource.resource_id).in_(ids)))
            paths = self.cloud.delete(session, res)
        for relative in paths:
            self.cloud.remove_bytes(relative)
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
        with self.ctx.store.read() as session:
            res = lookups.resource(session, self.ctx, ref)
            targets = self.cloud.byte_targets(session, res)
        written = self.cloud.write(targets, megabytes, pattern=pattern, seed=seed or self.ctx.ids.uuid(),
                                   scattered=scattered)
        return DataWritten(resource_id=res.id, written_bytes=written, targets=[t.resource_id for t in targets])

    def damage_data(self, ref: str, *, seed: str | None = None) -> DataDamaged:
        """Corrupt data to have something to restore: overwrite blocks of disks, delete or garble files."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        with self.ctx.store.read() as session:
            res = lookups.resource(session, self.ctx, ref)
            targets = self.cloud.byte_targets(session, res)
        return DataDamaged(resource_id=res.id, damaged=self.cloud.damage(targets, seed or self.ctx.ids.uuid()))

    # --- tags and agent paths ---------------------------------------------------------------------------------

    def tag(self, ref: str, tags: Any) -> ResourceAnswer:
        """Add or overwrite tags on a resource (what automatic association filters by)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        checked = check_tags(tags)
        return self._change(ref, lambda session, res: self.cloud.tag(session, res, checked))

    def untag(self, ref: str, keys: Iterable[str]) -> ResourceAnswer:
        return self._change(ref, lambda session, res: self.cloud.untag(session, res, keys))

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
                (added if self.cloud.add_path(session, agent.id, self._backup_path(path)) else existed).append(path)
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
                gone = self.cloud.remove_path(session, agent.id, Path(path).expanduser())
                (removed if gone else missing).append(path)
            agent_id = agent.id
        return AgentPathsRemoved(resource=self.show(agent_id), removed=removed, not_existed=missing)

    def _backup_path(self, path: str) -> Path:
        """A directory a client may back up: absolute, existing, and one this account may read."""
        directory = Path(path).expanduser()
        if not directory.is_absolute():
            raise invalid(f"A backup path must be absolute; {path!r} is not.")
        self.ctx.check_host_path(directory, "backup path")
        if not directory.is_dir():
            raise invalid(f"The backup path {path} is not an existing directory on this host.")
        return directory

    # --- CBR's part ------------------------------------------------------------------------------------------

    def _disk_owner(self, session: Session, ref: str) -> Resource:
        owner = lookups.resource(session, self.ctx, ref)
        self.cloud.check_disk_owner(owner)
        self._ensure_not_busy(session, owner, "changed")
        return owner

    def _ensure_not_busy(self, session: Session, res: Resource, verb: str) -> None:
        ids = [res.id, *(d.id for d in attached_disks(session, res.id))]
        busy = session.exec(
            select(Backup.id).where(col(Backup.resource_id).in_(ids), col(Backup.status).in_(BACKUP_BUSY))
        ).first()
        if busy is not None:
            raise CbrError(Codes.BACKUP_IN_PROGRESS,
                           f"{res.name} is being backed up or restored; it can be {verb} when that finishes.")


def not_desktop_disk() -> Any:
    """Filter out a desktop's own disks: they belong to the desktop, not to the EVS disk list."""
    desktops = select(Resource.id).where(Resource.kind == ResourceKind.DESKTOP.value)
    return or_(col(Resource.parent_id).is_(None), ~col(Resource.parent_id).in_(desktops))

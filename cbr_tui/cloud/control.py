"""The simulated cloud's control plane: making servers, disks, file systems, desktops and backup clients,
powering servers, attaching and detaching disks, deleting, tagging, and writing or damaging their bytes.

Each operation works inside its caller's transaction (rows of `store.models`) and on the files of
`cloud.layout`; the caller (the services) checks who may ask, resolves names, keeps CBR's own rules (a
resource being backed up is left alone) and commits. Files are made before the rows that point at them are
committed (`new_files` removes them if the commit does not happen), and removed only after the rows are gone
(`remove_bytes`), so a crash leaves at most unreferenced files, never a row without bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, func, select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.cloud.regions import region_spec
from cbr_tui.cloud.workload import PATTERNS, MiB, Workload
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.consistency import check_agent_version
from cbr_tui.domain.enums import (
    AgentStatus,
    DesktopStatus,
    DiskStatus,
    ResourceKind,
    ServerStatus,
    TurboStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.ids import IdSource, stable_uuid
from cbr_tui.domain.labels import RESOURCE_NOUN, resource_status_label
from cbr_tui.domain.rules import Tag, check_name, check_tags, check_write_amount
from cbr_tui.store.models import AgentPath, Resource, ResourceTag

GB = 1 << 30
AGENT_PATHS_MAX = 20
DISK_SIZE_RANGE = (10, 32_768)
TURBO_SIZE_RANGE = (500, 1_048_576)
STATUSES: dict[ResourceKind, type] = {
    ResourceKind.SERVER: ServerStatus,
    ResourceKind.DISK: DiskStatus,
    ResourceKind.TURBO: TurboStatus,
    ResourceKind.DESKTOP: DesktopStatus,
    ResourceKind.AGENT: AgentStatus,
}


@dataclass(frozen=True)
class ByteTarget:
    """Where some of a resource's bytes are: a disk's image, or a directory tree."""

    resource_id: str
    path: Path
    is_disk: bool
    bootable: bool


@dataclass(frozen=True)
class MachineSpec:
    """A server or a desktop to make, with its system disk first and its data disks."""

    kind: ResourceKind
    name: str
    disks_gb: Sequence[int]
    encrypted_data: bool
    availability_zone: str
    flavor: str
    image: str
    status: str


@dataclass
class CloudControl:
    """The control plane of one project in one region."""

    layout: CloudLayout
    clock: Clock
    ids: IdSource
    project_id: str
    region_id: str

    # --- making ----------------------------------------------------------------------------------------

    def availability_zone(self, given: str | None) -> str:
        """An AZ of the region by its ID or name (the region's default when none is given)."""
        spec = region_spec(self.region_id)
        assert spec is not None
        if given is None:
            return spec.default_az.id
        names = {az.id: az.id for az in spec.azs} | {az.name: az.id for az in spec.azs}
        if given not in names:
            raise invalid(f"{spec.name} has the availability zones "
                          f"{', '.join(f'{a.id} ({a.name})' for a in spec.azs)}; {given!r} is not one.")
        return names[given]

    @staticmethod
    def check_disk_size(size_gb: int) -> None:
        _check_size("disk", size_gb, DISK_SIZE_RANGE)

    def add_machine(self, session: Session, spec: MachineSpec, tags: Sequence[Tag], machine_id: str | None,
                    created: list[Path | None]) -> str:
        """A server or desktop with its disks (sparse images of their nominal size); its ID. A given ID
        (the demo inventory's) makes its disks' IDs stable too."""
        name = check_name(spec.name, RESOURCE_NOUN[spec.kind])
        for size in spec.disks_gb:
            self.check_disk_size(size)
        owner_id = machine_id or self.ids.uuid()
        disk_ids = [self.ids.uuid() if machine_id is None else stable_uuid(owner_id, "volume", str(i))
                    for i in range(len(spec.disks_gb))]
        for disk_id, size in zip(disk_ids, spec.disks_gb, strict=True):
            created.append(self.new_image(disk_id, size))
        owner = self._row(owner_id, spec.kind, name, spec.status, spec.availability_zone, 0)
        owner.flavor, owner.image_name = spec.flavor, spec.image
        session.add(owner)
        session.flush()
        for index, (disk_id, size) in enumerate(zip(disk_ids, spec.disks_gb, strict=True)):
            session.add(self._disk_row(disk_id, f"{name}-volume-{index:04d}", size, spec.availability_zone,
                                       DiskStatus.IN_USE, encrypted=spec.encrypted_data and index > 0,
                                       parent_id=owner_id, device=_device(index), bootable=index == 0))
        self.add_tags(session, owner_id, tags)
        return owner_id

    def add_disk(self, session: Session, disk_id: str, name: str, size_gb: int, availability_zone: str,
                 status: str, *, encrypted: bool, tags: Sequence[Tag], created: list[Path | None]) -> None:
        """A standalone EVS disk."""
        name = check_name(name, "disk")
        self.check_disk_size(size_gb)
        created.append(self.new_image(disk_id, size_gb))
        session.add(self._disk_row(disk_id, name, size_gb, availability_zone, status, encrypted=encrypted))
        self.add_tags(session, disk_id, tags)

    def add_turbo(self, session: Session, turbo_id: str, name: str, size_gb: int, availability_zone: str,
                  status: str, tags: Sequence[Tag], created: list[Path | None]) -> None:
        """An SFS Turbo file system: a directory tree with a nominal capacity."""
        name = check_name(name, "file system")
        _check_size("file system", size_gb, TURBO_SIZE_RANGE)
        relative = self.layout.turbo_root(self.region_id, turbo_id)
        root = self.layout.resolve(relative)
        if not root.is_dir():  # else left by a lost database: its files are kept
            root.mkdir(parents=True)
            created.append(root)
        session.add(self._row(turbo_id, ResourceKind.TURBO, name, status, availability_zone, size_gb,
                              data_path=relative))
        self.add_tags(session, turbo_id, tags)

    def add_agent(self, session: Session, agent_id: str, host_name: str, home: str, paths: Sequence[Path], *,
                  host_os: str, host_ip: str, status: str, agent_version: str) -> None:
        """A file-backup client on a host (`home`: its directory under the data directory) and the
        directories it backs up (already checked by the caller: see `add_path`)."""
        agent = self._row(agent_id, ResourceKind.AGENT, host_name, status, None, 0, data_path=home)
        agent.host_name, agent.host_os, agent.host_ip = host_name, host_os, host_ip
        agent.agent_version = agent_version
        session.add(agent)
        session.flush()
        for path in paths:
            self.add_path(session, agent_id, path)

    def attach_new_disk(self, session: Session, owner: Resource, size_gb: int, *, encrypted: bool,
                        name: str | None, created: list[Path | None]) -> None:
        """Make a data disk and attach it to `owner` (a server or desktop)."""
        self.check_disk_size(size_gb)
        disk_id = self.ids.uuid()
        disks = attached_disks(session, owner.id)
        disk_name = check_name(name or self._free_disk_name(session, owner.name, len(disks)), "disk")
        created.append(self.new_image(disk_id, size_gb))
        session.add(self._disk_row(disk_id, disk_name, size_gb, owner.availability_zone, DiskStatus.IN_USE,
                                   encrypted=encrypted, parent_id=owner.id, device=_next_device(disks)))

    # --- changing ----------------------------------------------------------------------------------------

    def power(self, session: Session, server: Resource, target: ServerStatus) -> None:
        """Start (to Running) a Stopped server, or stop (to Stopped) a Running one."""
        source, verb = ((ServerStatus.SHUTOFF, "started") if target == ServerStatus.ACTIVE
                        else (ServerStatus.ACTIVE, "stopped"))
        if server.status != source:
            raise invalid(f"The server {server.name} is {resource_status_label(server.status)}; only a "
                          f"{resource_status_label(source)} server can be {verb}.")
        self._set(session, server, status=target.value)

    def install_agent(self, session: Session, server: Resource, version: str) -> None:
        """Install (or upgrade) the CBR Agent on a server: what application-consistent backups need."""
        if server.kind != ResourceKind.SERVER:
            raise invalid(f"{server.name} is a {RESOURCE_NOUN[ResourceKind(server.kind)]}; the CBR Agent for "
                          "database backups is installed on servers.")
        self._set(session, server, agent_version=check_agent_version(version))

    def uninstall_agent(self, session: Session, server: Resource) -> None:
        if server.kind != ResourceKind.SERVER or server.agent_version is None:
            raise invalid(f"No CBR Agent is installed on {server.name}.")
        self._set(session, server, agent_version=None)

    @staticmethod
    def check_status(res: Resource, status: str) -> None:
        allowed = STATUSES[ResourceKind(res.kind)]
        if status not in {s.value for s in allowed}:  # type: ignore[attr-defined]
            words = ", ".join(s.value for s in allowed)  # type: ignore[attr-defined]
            raise invalid(f"A {RESOURCE_NOUN[ResourceKind(res.kind)]} status is one of {words}; {status!r} is not.")

    def set_status(self, session: Session, res: Resource, status: str) -> None:
        """Any status of its kind, to rehearse faults (an Error server, an Offline agent)."""
        self.check_status(res, status)
        self._set(session, res, status=status)

    @staticmethod
    def check_disk_owner(owner: Resource) -> None:
        if owner.kind not in (ResourceKind.SERVER, ResourceKind.DESKTOP):
            raise invalid(f"{owner.name} is a {RESOURCE_NOUN[ResourceKind(owner.kind)]}; disks attach to servers.")

    @staticmethod
    def check_attach(server: Resource, disk: Resource) -> None:
        if disk.status != DiskStatus.AVAILABLE or disk.parent_id:
            raise invalid(f"The disk {disk.name} is {resource_status_label(disk.status)}; "
                          "only an Available disk can be attached.")
        if disk.availability_zone != server.availability_zone:
            raise invalid(f"The disk {disk.name} is in {disk.availability_zone} and the server in "
                          f"{server.availability_zone}; a disk attaches only to a server of its AZ.")

    def attach(self, session: Session, server: Resource, disk: Resource) -> None:
        """An Available disk of the server's AZ, attached at its next free device."""
        self.check_attach(server, disk)
        self._set(session, disk, parent_id=server.id, device=_next_device(attached_disks(session, server.id)),
                  status=DiskStatus.IN_USE.value)

    @staticmethod
    def disk_owner(session: Session, disk: Resource) -> Resource:
        """The server a disk is attached to, refused when it may not be detached from it."""
        if not disk.parent_id:
            raise CbrError(Codes.DISK_NOT_ATTACHED, f"The disk {disk.name} is not attached to any server.")
        owner = session.get(Resource, disk.parent_id)
        assert owner is not None
        if owner.kind == ResourceKind.DESKTOP:
            raise invalid(f"The disk {disk.name} belongs to the desktop {owner.name} and cannot be detached.")
        if disk.bootable and owner.status != ServerStatus.SHUTOFF:
            raise invalid(f"The system disk {disk.name} can be detached only while {owner.name} is Stopped.")
        return owner

    def detach(self, session: Session, disk: Resource) -> None:
        self.disk_owner(session, disk)
        self._set(session, disk, parent_id=None, device=None, status=DiskStatus.AVAILABLE.value)

    @staticmethod
    def check_deletable(res: Resource) -> None:
        if res.kind == ResourceKind.DISK and res.parent_id:
            raise invalid(f"The disk {res.name} is attached; detach it before deleting it.")

    def delete(self, session: Session, res: Resource) -> list[str]:
        """The resource's rows (a server's with its disks'); returns the paths of its bytes, to remove with
        `remove_bytes` once the transaction has committed."""
        self.check_deletable(res)
        doomed = [res, *attached_disks(session, res.id)]
        ids = [r.id for r in doomed]
        paths = [r.data_path for r in doomed if r.data_path]
        session.exec(delete(ResourceTag).where(col(ResourceTag.resource_id).in_(ids)))
        session.exec(delete(AgentPath).where(col(AgentPath.agent_id).in_(ids)))
        for row in reversed(doomed):
            session.delete(row)
            session.flush()
        return paths

    def remove_bytes(self, relative: str) -> None:
        _remove_bytes(self.layout.resolve(relative))

    # --- tags and a client's paths -----------------------------------------------------------------------

    @staticmethod
    def add_tags(session: Session, resource_id: str, tags: Iterable[Tag]) -> None:
        for tag in tags:
            session.add(ResourceTag(resource_id=resource_id, key=tag.key, value=tag.value))

    @staticmethod
    def tag(session: Session, res: Resource, tags: Sequence[Tag]) -> None:
        """Add or overwrite tags (what automatic association filters by), within a resource's limit."""
        existing = {t.key: t for t in session.exec(select(ResourceTag).where(ResourceTag.resource_id == res.id))}
        check_tags([(k, "") for k in sorted(set(existing) | {t.key for t in tags})])
        for tag in tags:
            row = existing.get(tag.key) or ResourceTag(resource_id=res.id, key=tag.key)
            row.value = tag.value
            session.add(row)

    @staticmethod
    def untag(session: Session, res: Resource, keys: Iterable[str]) -> None:
        session.exec(delete(ResourceTag).where(col(ResourceTag.resource_id) == res.id,
                                               col(ResourceTag.key).in_(list(keys))))

    def add_path(self, session: Session, agent_id: str, directory: Path) -> bool:
        """Back up one more directory (absolute and existing, checked by the caller); False when the
        client backs it up already."""
        duplicate = session.exec(select(AgentPath).where(AgentPath.agent_id == agent_id,
                                                         AgentPath.dir_path == str(directory))).first()
        if duplicate is not None:
            return False
        paths = session.exec(select(func.count()).where(AgentPath.agent_id == agent_id)).one()
        if paths >= AGENT_PATHS_MAX:
            raise CbrError(Codes.AGENT_PATH_QUOTA, f"A backup client can back up at most {AGENT_PATHS_MAX} paths.")
        session.add(AgentPath(id=self.ids.uuid(), agent_id=agent_id, dir_path=str(directory),
                              created_at=self.clock.now()))
        session.flush()  # a second path of the same request sees it
        return True

    @staticmethod
    def remove_path(session: Session, agent_id: str, directory: Path) -> bool:
        """Stop backing up a directory; False when the client does not back it up."""
        found = session.exec(select(AgentPath).where(col(AgentPath.agent_id) == agent_id,
                                                     col(AgentPath.dir_path) == str(directory))).first()
        if found is None:
            return False
        session.delete(found)
        session.flush()
        return True

    # --- bytes -------------------------------------------------------------------------------------------

    def byte_targets(self, session: Session, res: Resource) -> list[ByteTarget]:
        """Where a resource's bytes are: its disks' images, its directory tree, or its client's first path."""
        if res.kind in (ResourceKind.SERVER, ResourceKind.DESKTOP):
            disks = attached_disks(session, res.id)
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

    def write(self, targets: Sequence[ByteTarget], megabytes: float, *, pattern: str, seed: str,
              scattered: bool) -> int:
        """Write `megabytes` of data shared among the targets (scattered: 4 KiB writes all over each disk);
        the bytes written."""
        check_write_amount(megabytes)
        mix = PATTERNS.get(pattern)
        if mix is None:
            raise invalid(f"The data pattern is one of {', '.join(PATTERNS)}; {pattern!r} is not.")
        workload = Workload(seed)
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
        return written

    @staticmethod
    def damage(targets: Sequence[ByteTarget], seed: str) -> dict[str, Any]:
        """Corrupt data to have something to restore: overwrite blocks of disks, delete or garble files;
        what was damaged, by resource."""
        workload = Workload(seed)
        damaged: dict[str, Any] = {}
        for target in targets:
            if target.is_disk:
                damaged[target.resource_id] = {"overwritten_offsets": workload.damage_disk(DiskImage(target.path))}
            else:
                damaged[target.resource_id] = {"files": workload.damage_tree(target.path)}
        return damaged

    # --- plumbing ----------------------------------------------------------------------------------------

    def new_image(self, disk_id: str, size_gb: int) -> Path | None:
        """A new disk's image; None when one is already there (left by a lost database) and is kept."""
        path = self.layout.resolve(self.layout.disk_image(self.region_id, disk_id))
        if path.exists():
            DiskImage.adopt(path, size_gb * GB)
            return None
        DiskImage.create(path, size_gb * GB)
        return path

    def _set(self, session: Session, res: Resource, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(res, name, value)
        res.updated_at = self.clock.now()
        session.add(res)

    def _target(self, res: Resource, data_path: str | None) -> ByteTarget:
        assert data_path is not None
        return ByteTarget(res.id, self.layout.resolve(data_path), res.kind == ResourceKind.DISK, res.bootable)

    def _free_disk_name(self, session: Session, owner_name: str, first: int) -> str:
        """`<server>-volume-NNNN`, numbered past any disk of that name (a detached one keeps its name)."""
        prefix = f"{owner_name}-volume-"
        taken = set(session.exec(select(Resource.name).where(Resource.project_id == self.project_id,
                                                             col(Resource.name).startswith(prefix))).all())
        return next(name for index in range(first, first + len(taken) + 1)
                    if (name := f"{prefix}{index:04d}") not in taken)

    def _row(self, res_id: str, kind: ResourceKind, name: str, status: str, az: str | None, size_gb: int,
             **fields: Any) -> Resource:
        now = self.clock.now()
        return Resource(id=res_id, project_id=self.project_id, kind=kind.value, name=name, status=str(status),
                        availability_zone=az, size_gb=size_gb, created_at=now, updated_at=now, **fields)

    def _disk_row(self, disk_id: str, name: str, size_gb: int, az: str | None, status: str, *, encrypted: bool,
                  parent_id: str | None = None, device: str | None = None, bootable: bool = False) -> Resource:
        relative = self.layout.disk_image(self.region_id, disk_id)
        kms_key_id = KeyManagement(self.layout.home).default_key(self.region_id).key_id if encrypted else None
        return self._row(disk_id, ResourceKind.DISK, name, status, az, size_gb, data_path=relative,
                         encrypted=encrypted, kms_key_id=kms_key_id, parent_id=parent_id, device=device,
                         bootable=bootable)


def attached_disks(session: Session, parent_id: str) -> list[Resource]:
    """A server's or desktop's disks, in device order."""
    query = select(Resource).where(Resource.parent_id == parent_id).order_by(col(Resource.device), Resource.id)
    return list(session.exec(query).all())


@contextmanager
def new_files() -> Iterator[list[Path | None]]:
    """Files made for rows about to be committed; removed again if the commit does not happen."""
    created: list[Path | None] = []
    try:
        yield created
    except BaseException:
        for path in created:
            if path is not None:
                _remove_bytes(path)
        raise


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


def _remove_bytes(path: Path) -> None:
    with suppress(FileNotFoundError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
            for sidecar in (".cbt", ".lock"):
                with suppress(FileNotFoundError):
                    path.with_name(path.name + sidecar).unlink()

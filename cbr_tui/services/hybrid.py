"""Hybrid cloud backups (seed 3.5 and *Restoring from a Hybrid Cloud Backup*).

The customer's own data center stands beside the cloud: an OceanStor-style storage system whose LUNs are
disks, and a VMware-style host whose VMs have disks, all holding real bytes. Each backs up locally, through
the same engine, into backup storage of its own in the data center. Those backups are synchronised into a
hybrid cloud backup vault (the reference's `checkpoints/sync` and `backups/sync`), copying only the chunks
the vault lacks, verified; then they restore to the data center, or deploy on the cloud as a new disk or a
new server (Create Disk, Create Image and a server from it), byte for byte. Nothing is backed up into a
hybrid vault on the console: backups only arrive there by synchronisation (seed 3.5).

The data center is kept in a project of its own, in a place named like a region (`on-premises`) that no
region list, picker or replication offers.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.enums import (
    BackupStatus,
    CheckpointStatus,
    CloudType,
    ImageType,
    ObjectType,
    OperationType,
    ProtectType,
    TaskStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid, spec_of
from cbr_tui.domain.ids import stable_hex32
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services import lookups
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.backups import BackupService
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.replication import copy_row
from cbr_tui.services.resources import ResourceService
from cbr_tui.services.shapes import resource_views
from cbr_tui.services.tasks import record_task
from cbr_tui.services.vaults import VaultService, VaultSpec
from cbr_tui.services.views import (
    BackupList,
    DataDamaged,
    DataWritten,
    LocalBackupAnswer,
    ResourceView,
    SiteAnswer,
    SiteResource,
    SiteSystem,
    SiteView,
    SyncAnswer,
    SyncStarted,
)
from cbr_tui.store.models import AvailabilityZone, Backup, Checkpoint, Project, Region, Resource, Task, Vault

SYNC_MAX = 50  # backups named in one `backups/sync` (reference: ImportBackup, 1-50)
_LIVE = (BackupStatus.PROTECTING.value, BackupStatus.AVAILABLE.value, BackupStatus.WAITING_PROTECT.value)


@dataclass(frozen=True)
class _Lun:
    name: str
    size_gb: int
    fill_mb: int


@dataclass(frozen=True)
class _Vm:
    name: str
    system_gb: int
    data_gb: tuple[int, ...]
    fill_mb: int


@dataclass(frozen=True)
class OnPremSystem:
    """A storage system or a VMware host of the data center, and the backup storage it backs up into."""

    name: str
    kind: str  # "storage" or "vmware"
    model: str
    backup_storage: str
    luns: tuple[_Lun, ...] = ()
    vms: tuple[_Vm, ...] = ()


SYSTEMS = (
    OnPremSystem("oceanstor-01", "storage", "OceanStor storage system (simulated)", "oceanstor-01-backup",
                 luns=(_Lun("lun-finance-01", 20, 6), _Lun("lun-archive-01", 40, 4))),
    OnPremSystem("vcenter-01", "vmware", "VMware vSphere host (simulated)", "vcenter-01-backup",
                 vms=(_Vm("vm-erp-01", 40, (20,), 6),)),
)
# (system, LUN or VM) names of the data center
_MEMBERS = tuple((system.name, name) for system in SYSTEMS
                 for name in (*(lun.name for lun in system.luns), *(vm.name for vm in system.vms)))
STORAGE_GB = 2000  # each system's backup storage in the data center


def _system_of(resource: Resource) -> OnPremSystem | None:
    return next((s for s in SYSTEMS if s.name == resource.host_name), None)


class HybridService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- the data center ------------------------------------------------------------------------------

    def site(self) -> SiteAnswer:
        """The data center's systems, their LUNs and VMs, and the local backups of each (made on first use)."""
        site = self._site()
        with self.ctx.store.read() as session:
            resources = list(session.exec(select(Resource).where(
                Resource.project_id == site.project_id, col(Resource.host_name).is_not(None),
                col(Resource.parent_id).is_(None)).order_by(Resource.name)).all())
            views = {r.id: r for r in resource_views(session, resources)}
            backed_up = set(session.exec(select(Backup.resource_id).where(
                Backup.project_id == site.project_id, col(Backup.parent_id).is_(None),
                Backup.status == BackupStatus.AVAILABLE.value)).all())
            systems: list[SiteSystem] = []
            for system in SYSTEMS:
                members = [r for r in resources if r.host_name == system.name]
                systems.append(SiteSystem(
                    name=system.name, type=system.kind, model=system.model, backup_storage=system.backup_storage,
                    resources=[SiteResource(**dict(views[r.id]), has_local_backup=r.id in backed_up) for r in members]))
        return SiteAnswer(site=SiteView(name=ON_PREMISES.name, project_id=site.project_id, systems=systems))

    def local_backups(self, resource: str | None = None, limit: int = 50, offset: int = 0) -> BackupList:
        """The backups the data center made of its own systems (the ones that can be synchronised)."""
        site = self._site_for(resource) if resource is not None else self._built_site()
        if site is None:
            return BackupList(backups=[], count=0)
        listing = BackupService(site).list(resource_id=self._resource(site, resource).id if resource else None,
                                           limit=limit, offset=offset)
        return BackupList(backups=listing.backups, count=listing.count)

    def back_up(self, resource: str, name: str | None = None) -> LocalBackupAnswer:
        """Back a LUN or a VM up in the data center, into its system's backup storage (a task, as on the cloud)."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        site = self._site_for(resource)
        target = self._resource(site, resource)
        system = _system_of(target)
        assert system is not None
        with self.ctx.store.read() as session:
            storage = session.exec(select(Vault).where(Vault.project_id == site.project_id,
                                                       Vault.name == system.backup_storage)).one()
        result = BackupService(site).perform(storage.id, resources=[target.id], name=name)
        with self.ctx.store.read() as session:
            tasks = list(session.exec(select(Task.id).where(col(Task.backup_id).in_(
                [b.id for b in result.checkpoint.backups]))).all())
        return LocalBackupAnswer(checkpoint=result.checkpoint, operation_log_ids=tasks)

    def require_backed_up(self, task_ids: Sequence[str]) -> None:
        """Refuse with the task's own error when a local backup did not succeed (the CLI's --wait)."""
        with self.ctx.store.read() as session:
            for task in session.exec(select(Task).where(col(Task.id).in_(list(task_ids)))).all():
                if task.status != TaskStatus.SUCCESS.value:
                    raise CbrError(spec_of(task.error_code or Codes.UNKNOWN.code),
                                   task.error_message or f"The local backup ended {task.status}.")

    def write_data(self, resource: str, megabytes: float, *, seed: str | None = None) -> DataWritten:
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        site = self._site_for(resource)
        return ResourceService(site).write_data(self._resource(site, resource).id, megabytes, seed=seed)

    def damage(self, resource: str, *, seed: str | None = None) -> DataDamaged:
        """Lose the data center's copy: overwrite blocks of a LUN or of a VM's disks."""
        self.ctx.principal.require(Action.CONTROL_CLOUD)
        site = self._site_for(resource)
        return ResourceService(site).damage_data(self._resource(site, resource).id, seed=seed)

    def show(self, resource: str) -> ResourceView:
        site = self._site_for(resource)
        return ResourceService(site).show(self._resource(site, resource).id)

    def _resource(self, site: ServiceContext, ref: str) -> Resource:
        with self.ctx.store.read() as session:
            found = session.exec(select(Resource).where(
                Resource.project_id == site.project_id, col(Resource.host_name).is_not(None),
                col(Resource.parent_id).is_(None), (Resource.id == ref) | (Resource.name == ref))).first()
        if found is None or _system_of(found) is None:
            raise self._unknown(ref)
        return found

    def _unknown(self, ref: str) -> CbrError:
        names = ", ".join(name for _system, name in _MEMBERS)
        return CbrError(Codes.RESOURCE_NOT_FOUND, f"The data center has no LUN or VM {ref!r}; it has {names}.")

    def _site_for(self, ref: str) -> ServiceContext:
        """The data center, for an operation on one of its LUNs or VMs: a name it can never have is refused
        before anything is built, so that a refusal writes nothing."""
        known = {name for _system, name in _MEMBERS}
        known |= {stable_hex32("on-premises", self.ctx.account_id, system, name) for system, name in _MEMBERS}
        if ref not in known:
            raise self._unknown(ref)
        return self._site()

    # --- synchronisation ------------------------------------------------------------------------------

    def sync(self, vault_ref: str, backups: Sequence[str] | None = None) -> SyncAnswer:
        """Synchronise the data center's backups into a hybrid cloud backup vault: those named (1 to 50,
        `backups/sync`) or every one not synchronised yet (`checkpoints/sync`). One sync task per backup
        copies the chunks the vault lacks; the backups appear in the vault at once, Creating."""
        if backups is not None and not 1 <= len(backups) <= SYNC_MAX:
            raise invalid(f"Name 1 to {SYNC_MAX} backups to synchronise at once; {len(backups)} were named.")
        site = self._built_site() or self._site_context()  # an empty data center has nothing to synchronise
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True, action=Action.VAULT_BACKUP)
            _ensure_syncable(session, vault)
            chosen = self._chosen(session, site, vault, backups)
            if not chosen:
                raise CbrError(Codes.NO_RESOURCE_TO_BACK_UP,
                               f"Every backup of the data center is already in {vault.name}; make a new local "
                               "backup of a LUN or a VM first (`cbr-tui hybrid back-up NAME`).")
            started = [start_sync(session, self.ctx, backup, vault) for backup in chosen]
            session.flush()
            return SyncAnswer(sync=SyncStarted(vault_id=vault.id, sync_backup_num=len(started),
                                               backups=[b.id for b, _task in started],
                                               operation_log_ids=[task for _b, task in started]))

    def _chosen(self, session: Session, site: ServiceContext, vault: Vault,
                refs: Sequence[str] | None) -> list[Backup]:
        there = set(session.exec(select(Backup.source_backup_id).where(
            Backup.vault_id == vault.id, col(Backup.status).in_(_LIVE))).all())
        if refs is None:
            rows = session.exec(select(Backup).where(
                Backup.project_id == site.project_id, col(Backup.parent_id).is_(None),
                Backup.status == BackupStatus.AVAILABLE.value, col(Backup.damaged).is_(False))
                .order_by(col(Backup.created_at), col(Backup.id))).all()
            return [b for b in rows if b.id not in there]
        chosen = []
        for ref in dict.fromkeys(refs):
            backup = lookups.backup(session, site, ref)
            if backup.status != BackupStatus.AVAILABLE or backup.damaged:
                raise invalid(f"The backup {backup.name} is {'damaged' if backup.damaged else backup.status}; only "
                              "an Available backup of the data center is synchronised.")
            if backup.id in there:
                raise CbrError(Codes.SYNC_IN_PROGRESS,
                               f"{backup.name} is being synchronised to {vault.name} or is there already.")
            chosen.append(backup)
        return chosen

    # --- the data center, made once -------------------------------------------------------------------

    @property
    def _project_id(self) -> str:
        return stable_hex32("project", self.ctx.account_id, ON_PREMISES.id)

    def _site_context(self) -> ServiceContext:
        return self.ctx.as_administrator().for_project(ON_PREMISES.id, self._project_id)

    def _built_site(self) -> ServiceContext | None:
        """The data center's context if it is built (a read, for reading operations and refusals)."""
        with self.ctx.store.read() as session:
            ready = {v.name for v in session.exec(select(Vault).where(Vault.project_id == self._project_id))}
        return self._site_context() if ready >= {s.backup_storage for s in SYSTEMS} else None

    def _site(self) -> ServiceContext:
        """The data center's context (as the account's own systems): built the first time it is asked for,
        by one process at a time (the others wait, then find it built)."""
        built = self._built_site()
        if built is not None:
            return built
        with _building(self.ctx.layout.home):
            built = self._built_site()
            if built is not None:
                return built
            site = self._site_context()
            with self.ctx.store.write() as session:
                _ensure_place(session, self.ctx, self._project_id)
            for system in SYSTEMS:
                self._build(site, system)
            return site

    def _build(self, site: ServiceContext, system: OnPremSystem) -> None:
        cloud = ResourceService(site)
        made: list[str] = []
        for lun in system.luns:
            made.append(self._make(site, system, lun.name, lambda rid, lun=lun: cloud.create_disk(
                lun.name, lun.size_gb, resource_id=rid), lun.fill_mb))
        for vm in system.vms:
            made.append(self._make(site, system, vm.name, lambda rid, vm=vm: cloud.create_server(
                vm.name, system_disk_gb=vm.system_gb, data_disks_gb=vm.data_gb, flavor="VMware VM",
                image="VMware guest OS", resource_id=rid), vm.fill_mb))
        with self.ctx.store.read() as session:
            exists = session.exec(select(Vault).where(Vault.project_id == site.project_id,
                                                      Vault.name == system.backup_storage)).first()
        if exists is None:
            kind = ObjectType.DISK if system.kind == "storage" else ObjectType.SERVER
            VaultService(site).create(VaultSpec(object_type=kind, size_gb=STORAGE_GB, name=system.backup_storage,
                                                resources=[ResourceSelection(r) for r in made]))

    def _make(self, site: ServiceContext, system: OnPremSystem, name: str, create: Any, fill_mb: int) -> str:
        resource_id = stable_hex32("on-premises", self.ctx.account_id, system.name, name)
        with self.ctx.store.read() as session:
            if session.get(Resource, resource_id) is not None:
                return resource_id
        create(resource_id)
        with self.ctx.store.write() as session:
            for row in session.exec(select(Resource).where((Resource.id == resource_id)
                                                           | (Resource.parent_id == resource_id))):
                row.host_name = system.name
                session.add(row)
        ResourceService(site).write_data(resource_id, fill_mb, seed=f"{system.name}/{name}")
        return resource_id


@contextmanager
def _building(home: Path) -> Iterator[None]:
    """An exclusive lock on the data directory's `cloud/on-premises.lock` (private to its owner)."""
    path = home / "cloud" / "on-premises.lock"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _ensure_place(session: Session, ctx: ServiceContext, project_id: str) -> None:
    if session.get(Region, ON_PREMISES.id) is None:
        session.add(Region(id=ON_PREMISES.id, name=ON_PREMISES.name, position=len(ON_PREMISES.id) + 1000))
    for az in ON_PREMISES.azs:
        if session.get(AvailabilityZone, az.id) is None:
            session.add(AvailabilityZone(id=az.id, region_id=ON_PREMISES.id, name=az.name))
    session.flush()
    if session.get(Project, project_id) is None:
        session.add(Project(id=project_id, account_id=ctx.account_id, region_id=ON_PREMISES.id,
                            name=f"{ON_PREMISES.id}_{ctx.account_id[:8]}"))


def _ensure_syncable(session: Session, vault: Vault) -> None:
    """Only a hybrid cloud backup vault (backup protection) takes synchronised backups (7300), while it may
    take backups at all (6113), one synchronisation at a time (7302)."""
    from cbr_tui.domain.eligibility import ensure_vault_allows_backup

    if (vault.object_type != ObjectType.VMWARE or vault.cloud_type != CloudType.HYBRID
            or vault.protect_type != ProtectType.BACKUP):
        raise CbrError(Codes.VAULT_CANNOT_SYNC, f"{vault.name} is not a hybrid cloud backup vault; only those take "
                                                "backups synchronised from on-premises.")
    ensure_vault_allows_backup(vault.name, vault.status)
    running = session.exec(select(Task).where(
        Task.vault_id == vault.id, Task.operation_type == OperationType.SYNC.value,
        col(Task.status).in_((TaskStatus.WAITING.value, TaskStatus.RUNNING.value)))).first()
    if running is not None:
        raise CbrError(Codes.SYNC_IN_PROGRESS, f"Backups are being synchronised to {vault.name}; wait until that "
                                               "finishes (see Tasks).")


def start_sync(session: Session, ctx: ServiceContext, backup: Backup, vault: Vault) -> tuple[Backup, str]:
    """Record the synchronised copy (Creating, one child per disk) and queue the task that copies its chunks."""
    now = ctx.clock.now()
    checkpoint = Checkpoint(id=ctx.ids.uuid(), project_id=vault.project_id, vault_id=vault.id,
                            status=CheckpointStatus.PROTECTING.value, name=backup.name, description=backup.description,
                            incremental=False, auto_trigger=False, created_at=now, updated_at=now)
    session.add(checkpoint)
    provider = vault_type(vault.object_type).provider_id
    copy = copy_row(ctx, backup, checkpoint, vault, backup.name, None, None, ImageType.BACKUP)
    copies = [copy] + [copy_row(ctx, child, checkpoint, vault, backup.name, copy.id, None, ImageType.BACKUP)
                       for child in session.exec(select(Backup).where(Backup.parent_id == backup.id)).all()]
    for row in copies:
        row.provider_id = provider  # a hybrid cloud backup, whatever it was made of
        session.add(row)
    task = record_task(session, ctx, OperationType.SYNC, TaskStatus.WAITING, vault=vault,
                       resource=(backup.resource_id, backup.resource_name, backup.resource_type),
                       backup=(copy.id, copy.name), checkpoint_id=checkpoint.id, provider_id=copy.provider_id,
                       extra={"sync": {"sync_backup_num": 1, "delete_backup_num": 0, "err_sync_backup_num": 0,
                                       "source_backup_id": backup.id}})
    return copy, task.id


def is_on_premises(session: Session, resource: Resource, account_id: str) -> bool:
    project = session.get(Project, resource.project_id)
    return project is not None and project.region_id == ON_PREMISES.id and project.account_id == account_id

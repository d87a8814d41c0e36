"""First start: the region catalogue, the account with a project per region, and the demo inventory.

The demo inventory is built through the same operations a person uses, with IDs derived from names and a
seeded ID source, so a fresh data directory looks the same on every machine. Each step skips what already
exists, so a first start interrupted half-way finishes on the next start. The console builds it in the
background once its first screen is drawn, and can stop it between two resources.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.regions import ON_PREMISES, REGIONS
from cbr_tui.cloud.workload import MiB, Workload
from cbr_tui.domain.enums import ObjectType, ResourceKind
from cbr_tui.domain.ids import SeededIds, stable_hex32, stable_uuid
from cbr_tui.domain.permissions import ADMIN_GROUP, DEFAULT_ENTERPRISE_PROJECT
from cbr_tui.domain.policy_rules import check_retention, weekly_patterns
from cbr_tui.services.associations import PlannedMember, add_members
from cbr_tui.services.capacity import disks_by_parent, resource_size
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.iam import ensure_admin_group
from cbr_tui.services.policies import PolicyService, PolicySpec
from cbr_tui.services.resources import ResourceService
from cbr_tui.services.vaults import VaultService, VaultSpec
from cbr_tui.store.demo import (
    DEMO_ACCOUNT,
    DEMO_BALANCE_CENTS,
    DEMO_ENTERPRISE_PROJECTS,
    DEMO_INVENTORY,
    DEMO_USER,
    DEMO_VERSION,
    DemoRegion,
)
from cbr_tui.store.models import (
    Account,
    AvailabilityZone,
    EnterpriseProject,
    IamGroup,
    Policy,
    Project,
    Region,
    Resource,
    Vault,
)

LOCK_POLL_SECONDS = 0.1  # how often a process waiting for another to build the demo looks again


def ensure_catalogue(session: Session) -> None:
    """Regions and AZs of the simulated cloud; new ones appear when cbr-tui learns them."""
    for position, spec in enumerate(REGIONS):
        region = session.get(Region, spec.id) or Region(id=spec.id, name=spec.name)
        region.name, region.position = spec.name, position
        session.add(region)
        for az in spec.azs:
            zone = session.get(AvailabilityZone, az.id) or AvailabilityZone(id=az.id, region_id=spec.id, name=az.name)
            zone.name, zone.accepts_new_associations = az.name, az.accepts_new_associations
            session.add(zone)


def is_set_up(session: Session, name: str = DEMO_ACCOUNT) -> bool:
    """Whether the catalogue is current and the account complete, read without a write lock: every start of
    a console after the first finds it so, and many consoles starting at once (a class logging in over SSH)
    then never queue for the database's one writer."""
    regions = {r.id: (r.name, r.position) for r in session.exec(select(Region).where(
        Region.id != ON_PREMISES.id)).all()}
    zones = {z.id: (z.region_id, z.name, z.accepts_new_associations)
             for z in session.exec(select(AvailabilityZone).where(AvailabilityZone.region_id != ON_PREMISES.id)).all()}
    if regions != {spec.id: (spec.name, position) for position, spec in enumerate(REGIONS)} or zones != {
            az.id: (spec.id, az.name, az.accepts_new_associations) for spec in REGIONS for az in spec.azs}:
        return False
    account_id = stable_hex32("account", name)
    projects = session.exec(select(Project.region_id).where(Project.account_id == account_id)).all()
    return (session.get(Account, account_id) is not None and set(projects) >= set(regions)
            and session.get(IamGroup, stable_hex32("iam-group", account_id, ADMIN_GROUP)) is not None)


def ensure_account(session: Session, now: datetime, name: str = DEMO_ACCOUNT) -> Account:
    """The account, a project in every region, and its enterprise projects ("default" is ID 0)."""
    account_id = stable_hex32("account", name)
    account = session.get(Account, account_id)
    if account is None:
        # The first account's user is the demo's `cbr_admin`; a registered account's is its own name.
        account = Account(id=account_id, name=name, user_id=stable_hex32("user", name, DEMO_USER),
                          user_name=DEMO_USER if name == DEMO_ACCOUNT else name,
                          balance_cents=DEMO_BALANCE_CENTS, created_at=now)
        session.add(account)
        session.flush()
    for spec in REGIONS:
        exists = session.exec(select(Project).where(Project.account_id == account_id,
                                                    Project.region_id == spec.id)).first()
        if exists is None:
            session.add(Project(id=stable_hex32("project", name, spec.id), account_id=account_id,
                                region_id=spec.id, name=spec.id))
    for ep_id, ep_name in ((DEFAULT_ENTERPRISE_PROJECT, "default"),
                           *((stable_uuid("enterprise-project", name, n), n) for n in DEMO_ENTERPRISE_PROJECTS)):
        if session.get(EnterpriseProject, ep_id) is None:
            session.add(EnterpriseProject(id=ep_id, account_id=account_id, name=ep_name, created_at=now))
    ensure_admin_group(session, account_id, now)
    return account


def account_exists(session: Session, name: str) -> bool:
    return session.get(Account, stable_hex32("account", name)) is not None


def account_named(session: Session, name: str) -> Account:
    account = session.get(Account, stable_hex32("account", name))
    assert account is not None, "ensure_account makes it"
    return account


def project_of(session: Session, account_id: str, region_id: str) -> Project | None:
    return session.exec(select(Project).where(Project.account_id == account_id,
                                              Project.region_id == region_id)).first()


def _never() -> bool:
    return False


def seed_demo(ctx: ServiceContext, scale: float, should_stop: Callable[[], bool] = _never) -> None:
    """Create the demo inventory once per data directory (skipping anything already there). `should_stop` is
    asked before each resource: when it says so, what is left is created at the next call.

    Several processes may start on a new data directory at once (three commands of a script, the console
    and a worker): one builds the inventory while the others wait for it, holding a lock file in the data
    directory, then find it complete."""
    if _demo_complete(ctx):
        return
    with _seeding_lock(ctx.layout.home, should_stop) as held:
        if held and not _demo_complete(ctx):
            _seed(ctx, scale, should_stop)


def _demo_complete(ctx: ServiceContext) -> bool:
    with ctx.store.read() as session:
        account = session.get(Account, ctx.account_id)
        assert account is not None
        return account.demo_inventory >= DEMO_VERSION


@contextmanager
def _seeding_lock(home: Path, should_stop: Callable[[], bool]) -> Iterator[bool]:
    """Hold the data directory's seeding lock (yields False when `should_stop` said so while waiting)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    with os.fdopen(os.open(home / ".demo-inventory.lock", os.O_RDWR | os.O_CREAT, 0o600), "r+b") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if should_stop():
                    yield False
                    return
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _seed(ctx: ServiceContext, scale: float, should_stop: Callable[[], bool]) -> None:
    with ctx.store.read() as session:
        rows = session.exec(select(Project).where(Project.account_id == ctx.account_id))
        projects = {p.region_id: p.id for p in rows}
    for region_id, demo in DEMO_INVENTORY.items():
        regional = ctx.for_project(region_id, projects[region_id])
        seed = f"demo/{region_id}" if ctx.first_account else f"demo/{ctx.account_id}/{region_id}"
        _seed_region(ServiceContext(**{**regional.__dict__, "ids": SeededIds(seed)}), demo, scale, should_stop)
        if should_stop():
            return
    with ctx.store.write() as session:
        account = session.get(Account, ctx.account_id)
        assert account is not None
        account.demo_inventory = DEMO_VERSION
        session.add(account)


def demo_id(ctx: ServiceContext, kind: str, name: str) -> str:
    """A demo resource's fixed ID: the same on every machine, and distinct for each registered account."""
    return stable_uuid(ctx.region_id, kind, name) if ctx.first_account else \
        stable_uuid(ctx.account_id, ctx.region_id, kind, name)


def _seed_region(ctx: ServiceContext, demo: DemoRegion, scale: float, should_stop: Callable[[], bool]) -> None:
    resources = ResourceService(ctx)

    def exists(kind: str, name: str) -> str | None:
        """The new resource's ID, or None when it exists already (or the seeding is to stop now)."""
        if should_stop():
            return None
        resource_id = demo_id(ctx, kind, name)
        with ctx.store.read() as session:
            return None if session.get(Resource, resource_id) else resource_id

    def fill_disks(owner_id: str, megabytes: float) -> None:
        if megabytes <= 0:
            return
        with ctx.store.read() as session:
            disks: list[Resource | None] = list(disks_by_parent(session, [owner_id]).get(owner_id, [])) \
                or [session.get(Resource, owner_id)]
        for disk in disks:
            assert disk is not None and disk.data_path
            share = int(megabytes * MiB / len(disks))
            if share >= 4096:
                Workload(disk.id).fill_disk(DiskImage(ctx.layout.resolve(disk.data_path)), share,
                                            dense_start=disk.bootable)

    for server in demo.servers:
        if (new_id := exists("server", server.name)) is None:
            continue
        resources.create_server(server.name, system_disk_gb=server.system_gb, data_disks_gb=server.data_gb,
                                encrypted_data=server.encrypted_data, availability_zone=f"AZ{server.az}",
                                status=server.status, tags=server.tags, resource_id=new_id)  # type: ignore[arg-type]
        fill_disks(new_id, server.fill_mb * scale)
        if server.detach_system_disk:
            resources.detach_disk(stable_uuid(new_id, "volume", "0"))
    for disk in demo.disks:
        if (new_id := exists("disk", disk.name)) is None:
            continue
        resources.create_disk(disk.name, disk.size_gb, encrypted=disk.encrypted, availability_zone=f"AZ{disk.az}",
                              status=disk.status, tags=disk.tags, resource_id=new_id)  # type: ignore[arg-type]
        fill_disks(new_id, disk.fill_mb * scale)
    for desktop in demo.desktops:
        if (new_id := exists("desktop", desktop.name)) is None:
            continue
        resources.create_desktop(desktop.name, status=desktop.status, tags=desktop.tags,  # type: ignore[arg-type]
                                 resource_id=new_id)
        fill_disks(new_id, desktop.fill_mb * scale)
    for turbo in demo.turbos:
        if (new_id := exists("turbo", turbo.name)) is None:
            continue
        created = resources.create_turbo(turbo.name, turbo.size_gb, status=turbo.status,  # type: ignore[arg-type]
                                         resource_id=new_id).resource
        _fill_tree(ctx, created.path or "", new_id, turbo.files, turbo.fill_mb * scale)
    for agent in demo.agents:
        if (new_id := exists("agent", agent.host_name)) is None:
            continue
        created = resources.register_agent(agent.host_name, host_os=agent.host_os, host_ip=agent.host_ip,
                                           status=agent.status, resource_id=new_id).resource  # type: ignore[arg-type]
        _fill_tree(ctx, (created.paths or [])[0].dir_path, new_id, agent.files, agent.fill_mb * scale)
    if should_stop():
        return
    _seed_policies(ctx, demo)
    _seed_legacy_vaults(ctx, demo)


def _fill_tree(ctx: ServiceContext, path: str, seed: str, files: int, megabytes: float) -> None:
    if files and megabytes > 0:
        Workload(seed).fill_tree(ctx.layout.resolve(path), files, int(megabytes * MiB))


def _seed_policies(ctx: ServiceContext, demo: DemoRegion) -> None:
    with ctx.store.read() as session:
        names = set(session.exec(select(Policy.name).where(Policy.project_id == ctx.project_id)).all())
    for policy in demo.policies:
        if policy.name not in names:
            PolicyService(ctx).create(PolicySpec(pattern=weekly_patterns(policy.days, policy.times), name=policy.name,
                                                 retention=check_retention(max_backups=policy.max_backups)))


def _seed_legacy_vaults(ctx: ServiceContext, demo: DemoRegion) -> None:
    """Vaults in a zone closed to new associations, holding the resources they had before it closed."""
    for legacy in demo.legacy_vaults:
        with ctx.store.read() as session:
            if session.exec(select(Vault).where(Vault.project_id == ctx.project_id,
                                                Vault.name == legacy.name)).first():
                continue
        vault = VaultService(ctx).create(VaultSpec(object_type=ObjectType.SERVER, size_gb=legacy.size_gb,
                                                   name=legacy.name, availability_zone=f"AZ{legacy.az}")).vault
        with ctx.store.write() as session:
            members = []
            for server_name in legacy.servers:
                server = session.get(Resource, demo_id(ctx, "server", server_name))
                assert server is not None and server.kind == ResourceKind.SERVER
                disks = disks_by_parent(session, [server.id]).get(server.id, [])
                members.append(PlannedMember(server, [], resource_size(server, disks)))
            add_members(session, ctx, vault.id, members)

"""The simulated cloud's resources, whether they can be associated, and the data center's site."""

from __future__ import annotations

from typing import Any

from cbr_tui.services.views.base import NamedRef, Refusal, TagView, View
from cbr_tui.v3 import models as v3


class DiskView(View):
    """An EVS disk's own fields: a disk resource has them, and so has each disk of a server or desktop."""

    id: str
    name: str
    size: int
    status: str
    device: str | None
    bootable: bool
    encrypted: bool
    metadata: dict[str, str | None]  # EVS names an encrypted disk's key in its system metadata
    server_id: str | None


class AgentPathView(View):
    id: str
    dir_path: str
    status: str
    exclude_paths: str


class ResourceView(View):
    """A server, disk, desktop, SFS Turbo file system or backup client of the simulated cloud. The fields
    after `created_at` belong to some kinds only and are None for the others."""

    id: str
    name: str
    kind: str
    status: str
    availability_zone: str | None
    size: int
    tags: list[TagView]
    enterprise_project_id: str
    vault: NamedRef | None  # the vault it is associated with
    created_at: str
    # servers and desktops (a server's `agent_version`: its CBR Agent for database backups, if installed)
    flavor: str | None = None
    image: str | None = None
    volumes: list[DiskView] | None = None
    # disks
    device: str | None = None
    bootable: bool | None = None
    encrypted: bool | None = None
    metadata: dict[str, str | None] | None = None
    server_id: str | None = None
    # SFS Turbo file systems
    path: str | None = None
    # backup clients
    host_name: str | None = None
    host_ip: str | None = None
    host_os: str | None = None
    agent_version: str | None = None
    paths: list[AgentPathView] | None = None


class ResourceAnswer(View):
    resource: ResourceView


class ResourcePage(View):
    resources: list[ResourceView]
    count: int


class AgentPathsAdded(ResourceAnswer):
    added: list[str]
    existed: list[str]


class AgentPathsRemoved(ResourceAnswer):
    removed: list[str]
    not_existed: list[str]


class DataWritten(View):
    resource_id: str
    written_bytes: int
    targets: list[str]


class DataDamaged(View):
    resource_id: str
    damaged: dict[str, dict[str, Any]]  # per resource: the offsets overwritten, or the files changed


class OwnerRef(View):
    """The vault a resource is in already; one the caller may not see has no ID, and a name saying so."""

    id: str | None
    name: str


class Protectability(View):
    result: bool
    code: str | None
    reason: str | None
    vault: OwnerRef | None


class ProtectableView(ResourceView):
    """A resource as the Associate dialog lists it: its resource type, and whether it can be associated."""

    type: str
    protectable: Protectability


class ProtectableList(View):
    instances: list[ProtectableView]
    count: int
    vault_refusal: Refusal | None  # why the vault takes no resources at all, when it does not


class SiteResource(ResourceView):
    has_local_backup: bool


class SiteSystem(View):
    """A storage system or virtualization platform of the on-premises data center."""

    name: str
    type: str
    model: str
    backup_storage: str
    resources: list[SiteResource]


class SiteView(View):
    name: str
    project_id: str
    systems: list[SiteSystem]


class SiteAnswer(View):
    site: SiteView


class AgentStatusView(v3.ProtectableAgentStatus):
    """Whether a server has the CBR Agent that database server vaults need (`code` 0: checked; else the
    number of the BackupService error that kept it from being checked, told in `message`)."""

    resource_id: str
    installed: bool
    is_old: bool
    version: str | None
    code: int
    message: str


class AgentCheck(View):
    agent_status: list[AgentStatusView]

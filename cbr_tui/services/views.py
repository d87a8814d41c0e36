"""What the services return to every front end: the CBR v3 models, with the fields cbr-tui always fills made
required, and the few the console shows beyond the SDK's (named here, so nothing else reads a key).

Each view subclasses the v3 model of the same thing. Inside a v3 response model a view serialises as that
model (pydantic dumps a field by its declared type), so the HTTP API serves exactly the SDK's fields; the CLI
prints a view whole (`model_dump(mode="json")`), extras included.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from cbr_tui.v3 import models as v3

# The v3 models build on first use; those a view extends are built here, so that the view inherits fields
# whose annotations are resolved (the names they use live in the v3 module, not in this one).
for _viewed in (v3.StorageUsage, v3.BackupReplicateRespBody, v3.CheckpointReplicateRespBody,
                v3.CheckpointReplicateRespbackups, v3.Tag, v3.Billing, v3.ResourceExtraInfo, v3.ResourceResp,
                v3.VaultPolicyResp, v3.Vault, v3.BackupExtendInfo, v3.BackupResp, v3.CheckpointResourceResp,
                v3.CheckpointCreateSkippedResource, v3.CheckpointPlanCreate, v3.CheckpointCreate, v3.OperationLog,
                v3.PolicyTriggerResp, v3.Policy):
    _viewed.model_rebuild()


class View(BaseModel):
    """A typed answer of the services that has no v3 model (lists with paging, removals, orders)."""

    model_config = ConfigDict(strict=True, extra="forbid")


# --- tags and orders ------------------------------------------------------------------------------------


class TagView(v3.Tag):
    key: str
    value: str


class OrderView(View):
    """An order of the simulated billing centre: a purchase, renewal, expansion or refund."""

    order_id: str
    kind: str
    vault_id: str | None
    amount: str
    currency: str
    created_at: str | None
    detail: dict[str, Any]  # the quote it paid, as recorded: a JSON document, shown whole
    vault_name: str | None = None  # filled in the account's list of orders


class OrderPage(View):
    orders: list[OrderView]
    count: int


# --- vaults ---------------------------------------------------------------------------------------------


class VaultBillingView(v3.Billing):
    allocated: int
    charging_mode: str
    cloud_type: str
    consistent_level: str
    object_type: str
    protect_type: str
    size: int
    spec_code: str
    status: str
    used: int
    is_multi_az: bool
    # beyond the SDK's Billing: the term of a yearly/monthly vault
    period_type: str | None
    period_num: int | None
    is_auto_renew: bool
    is_auto_pay: bool
    expired_at: str | None


class VaultResourceExtra(v3.ResourceExtraInfo):
    exclude_volumes: list[str]


class VaultResourceView(v3.ResourceResp):
    id: str
    name: str
    type: str
    protect_status: str
    size: int
    backup_size: int
    backup_count: int
    auto_protect: bool
    extra_info: VaultResourceExtra


class VaultPolicyLink(v3.VaultPolicyResp):
    """A policy applied to the vault (ShowVault has none; the console's details and actions need them)."""

    policy_id: str
    operation_type: str
    destination_vault_id: str | None


class VaultView(v3.Vault):
    id: str
    name: str
    description: str | None
    project_id: str
    user_id: str | None
    provider_id: str
    billing: VaultBillingView
    # a list is invariant to mypy; a view's lists are read, never appended to with the v3 base type
    resources: list[VaultResourceView]  # type: ignore[assignment]
    tags: list[TagView]  # type: ignore[assignment]
    enterprise_project_id: str
    auto_bind: bool
    bind_rules: v3.VaultBindRules
    auto_expand: bool
    smn_notify: bool
    threshold: int
    locked: bool
    availability_zone: str | None
    created_at: str
    # beyond the SDK's Vault
    backup_name_prefix: str | None
    policies: list[VaultPolicyLink]
    updated_at: str

    def policy_of(self, operation_type: str) -> VaultPolicyLink | None:
        """The backup or replication policy applied, if any (a vault has at most one of each)."""
        return next((p for p in self.policies if p.operation_type == operation_type), None)


class VaultAnswer(View):
    vault: VaultView


class VaultPurchase(View):
    """A vault bought, with the order that paid for it (none for pay-per-use)."""

    vault: VaultView
    orders: list[OrderView]


class VaultPage(View):
    vaults: list[VaultView]
    count: int
    limit: int
    offset: int


class VaultsRebilled(View):
    """Vaults changed to yearly/monthly, with one order each."""

    orders: list[OrderView]
    vaults: list[VaultView]


class VaultRemoval(View):
    vault_id: str
    deleted_backups: int
    deleted_at: str | None
    orders: list[OrderView] = []


class VaultTagDetail(View):
    vault: VaultView


class VaultTagMatch(View):
    """A vault the tag filter selects, as the resource-instances search shows it."""

    resource_id: str
    resource_name: str
    resource_detail: VaultTagDetail
    tags: list[TagView]
    sys_tags: list[TagView]


class VaultTagMatches(View):
    resources: list[VaultTagMatch]
    total_count: int


# --- backups and restore points -------------------------------------------------------------------------


class BackupExtendView(v3.BackupExtendInfo):
    auto_trigger: bool
    bootable: bool
    encrypted: bool
    contain_system_disk: bool
    # beyond the SDK's BackupExtendInfo
    kms_key_id: str | None
    fail_reason: str | None
    damaged: bool
    progress: int | None


class BackupStats(View):
    """What the engine did for the backup: bytes it stands for, read, and newly stored, and why it read
    everything when it did (empty for an incremental one)."""

    logical_bytes: int
    read_bytes: int
    new_bytes: int
    read_reason: str
    manifest_bytes: int


class Transfer(View):
    """The bytes a running task has done and has to do, with the rate and time left they imply."""

    bytes_done: int
    bytes_total: int
    rate: int | None
    eta_seconds: float | None
    task_id: str | None = None


class BackupView(v3.BackupResp):
    id: str
    checkpoint_id: str
    parent_id: str | None
    name: str
    description: str | None
    status: str
    image_type: str
    incremental: bool
    resource_id: str
    resource_name: str
    resource_type: str
    resource_size: int
    resource_az: str | None
    vault_id: str
    project_id: str
    provider_id: str
    enterprise_project_id: str
    created_at: str
    updated_at: str
    protected_at: str | None
    expired_at: str | None
    extend_info: BackupExtendView
    children: list[BackupView]  # type: ignore[assignment]  # the disks of a server backup
    # beyond the SDK's BackupResp
    stats: BackupStats
    vault_name: str | None = None
    transfer: Transfer | None = None  # while it is being made or restored


class BackupAnswer(View):
    backup: BackupView


class BackupPage(View):
    backups: list[BackupView]
    count: int
    limit: int
    offset: int


class BackupList(View):
    """Backups listed whole, without paging (the replicas of one backup)."""

    backups: list[BackupView]
    count: int


class CheckpointResourceView(v3.CheckpointResourceResp):
    id: str
    name: str
    type: str
    resource_size: str  # text, as the SDK's model has it


class SkippedResource(v3.CheckpointCreateSkippedResource):
    """A resource the restore point left out, with the refusal that kept it out."""

    id: str
    name: str
    type: str
    code: str
    reason: str


class CheckpointVaultView(v3.CheckpointPlanCreate):
    id: str
    name: str
    resources: list[CheckpointResourceView]  # type: ignore[assignment]
    skipped_resources: list[SkippedResource]  # type: ignore[assignment]


class CheckpointView(v3.CheckpointCreate):
    id: str
    project_id: str
    status: str
    created_at: str
    extra_info: v3.CheckpointExtraInfoResp
    vault: CheckpointVaultView
    # beyond the SDK's CheckpointCreate: the backups it is making, one per resource
    backups: list[BackupView]


class CheckpointAnswer(View):
    checkpoint: CheckpointView


class LocalBackupAnswer(CheckpointAnswer):
    """A backup the data center makes of its own system, with the tasks that make it."""

    operation_log_ids: list[str]


# --- tasks (operation logs) -----------------------------------------------------------------------------


class Record(BaseModel):
    """A section of a task's record as the job wrote it: the fields the front ends read are named, the
    rest (which differs by operation) is kept and printed as it is."""

    model_config = ConfigDict(strict=True, extra="allow")


class TaskCommon(Record):
    progress: int
    request_id: str
    bytes_done: int
    bytes_total: int
    rate: int | None
    eta_seconds: float | None

    def transfer(self) -> Transfer:
        return Transfer(bytes_done=self.bytes_done, bytes_total=self.bytes_total, rate=self.rate,
                        eta_seconds=self.eta_seconds)


class TaskResource(Record):
    id: str | None
    name: str | None
    type: str | None


class BackupRecord(Record):
    """The backup a task made, restored, replicated or deleted."""

    backup_id: str | None = None
    backup_name: str | None = None
    incremental: bool | None = None  # a backup task's: what the engine did (text in the SDK's model)


class SkipRecord(Record):
    code: str = ""
    reason: str = ""


class TaskExtra(Record):
    common: TaskCommon
    resource: TaskResource
    backup: BackupRecord | None = None
    restore: BackupRecord | None = None
    delete: BackupRecord | None = None
    skipped: SkipRecord | None = None

    def record_of(self, operation_type: str) -> BackupRecord | None:
        """The backup the task is about: a backup task's own, or its operation's."""
        found = self.backup or getattr(self, operation_type, None)
        return found if isinstance(found, BackupRecord) else None


class TaskView(v3.OperationLog):
    id: str
    project_id: str
    operation_type: str
    status: str
    provider_id: str | None
    checkpoint_id: str | None
    policy_id: str | None
    vault_id: str | None
    vault_name: str | None
    error_info: v3.OpErrorInfo
    extra_info: TaskExtra  # type: ignore[assignment]  # the SDK's OpExtraInfo, with what the job recorded
    created_at: str
    started_at: str | None
    ended_at: str | None
    updated_at: str

    @property
    def running(self) -> bool:
        return self.status in ("running", "waiting")


class TaskAnswer(View):
    operation_log: TaskView


class TaskPage(View):
    operation_logs: list[TaskView]
    count: int
    limit: int | None = None
    offset: int | None = None


# --- policies -------------------------------------------------------------------------------------------


class PolicyTriggerView(v3.PolicyTriggerResp):
    id: str
    name: str
    type: str
    properties: v3.PolicyTriggerPropertiesResp


class PolicyView(v3.Policy):
    id: str
    name: str
    enabled: bool
    operation_type: str
    policy_type: str
    trigger: PolicyTriggerView
    operation_definition: v3.PolicyoODCreate  # the retention rule (and a replication policy's destination)
    associated_vaults: list[v3.PolicyAssociateVault]
    # beyond the SDK's Policy
    next_run: str | None

    @property
    def pattern(self) -> list[str]:
        """The schedule's rules (RFC 5545 RRULE text), as the trigger holds them."""
        return self.trigger.properties.pattern or []


class PolicyAnswer(View):
    policy: PolicyView


class PolicyList(View):
    policies: list[PolicyView]
    count: int


class PolicyRemoval(View):
    policy_id: str


class PolicyApplied(View):
    associate_policy: v3.VaultPolicyResp


class PolicyDissociated(View):
    dissociate_policy: v3.VaultPolicyResp


# --- the simulated cloud's resources ----------------------------------------------------------------------


class NamedRef(View):
    id: str
    name: str


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
    # servers and desktops
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


class Refusal(View):
    """A refusal as the API words it."""

    error_code: str
    error_msg: str


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


# --- associations and replication -----------------------------------------------------------------------


class ResourcesAdded(View):
    add_resource_ids: list[str]


class ResourcesRemoved(View):
    remove_resource_ids: list[str]


class ResourcesSet(View):
    """Resources whose policy backups were suspended or resumed."""

    set_resource_ids: list[str]


class ClientConfigured(View):
    agent_id: str
    vault_id: str


class Replication(v3.BackupReplicateRespBody):
    backup_id: str
    destination_project_id: str
    destination_region: str
    destination_vault_id: str
    project_id: str
    provider_id: str
    replication_record_id: str  # the task that copies it
    source_region: str
    # beyond the SDK's BackupReplicateRespBody
    destination_backup_id: str


class ReplicationAnswer(View):
    replication: Replication


class ReplicatedBackup(v3.CheckpointReplicateRespbackups):
    backup_id: str
    replication_record_id: str


class VaultReplication(v3.CheckpointReplicateRespBody):
    backups: list[ReplicatedBackup]  # type: ignore[assignment]
    destination_project_id: str
    destination_region: str
    destination_vault_id: str
    project_id: str
    provider_id: str
    source_region: str
    vault_id: str


class VaultReplicationAnswer(View):
    replication: VaultReplication


class Destination(View):
    """A server replication vault of another region: where this region's backups can be replicated to."""

    region_id: str
    region_name: str
    vault_id: str
    vault_name: str


class DestinationList(View):
    destinations: list[Destination]
    count: int


# --- prices and refunds ---------------------------------------------------------------------------------


class Price(View):
    """A purchase's price as the wizard's summary shows it: a yearly/monthly term's amount, or a
    pay-per-use vault's hourly price and about what a month of it costs."""

    currency: str
    charging_mode: str
    size: int
    unit_price_per_gb_month: str
    period_type: str | None = None
    period_num: int | None = None
    amount: str | None = None
    hourly_price: str | None = None
    estimated_monthly: str | None = None


class PriceAnswer(View):
    price: Price


class PurchaseCheck(PriceAnswer):
    resources_gb: int  # what the resources chosen for association take of the capacity


class Refund(View):
    """What unsubscribing a yearly/monthly vault refunds now, and why."""

    paid: str
    consumed: str
    handling_fee: str
    refund: str
    days_used: int
    days_subscribed: int
    five_day_unconditional: bool


class TagValues(View):
    key: str
    values: list[str]


class ProjectTags(View):
    tags: list[TagValues]


class VaultSummary(View):
    """ShowSummary: the capacity of the caller's vaults in this region (GB) and what they use (MB)."""

    size: int
    used_size: int


# --- what backups hold ----------------------------------------------------------------------------------


class StorageUsageView(v3.StorageUsage):
    resource_id: str
    resource_name: str
    resource_type: str
    backup_count: int
    backup_size: int  # MB the resource's backups added to their vaults
    backup_size_multiaz: int


class StorageUsageAnswer(View):
    resource_count: int
    storage_usage: list[StorageUsageView]


class BackedUpServer(View):
    id: str
    name: str
    availability_zone: str | None
    flavor: str | None  # None once the server is gone
    image: str | None


class BackedUpDisk(View):
    id: str
    name: str
    size: int
    bootable: bool
    encrypted: bool
    backup_id: str


class BackupMetadata(View):
    """What a server backup recorded of its server and each of its disks, as they were backed up."""

    backup_id: str
    server: BackedUpServer
    volumes: list[BackedUpDisk]


class SyncStarted(View):
    """Backups of the data center being synchronised into a hybrid cloud backup vault, one task each."""

    vault_id: str
    sync_backup_num: int
    backups: list[str]
    operation_log_ids: list[str]


class SyncAnswer(View):
    sync: SyncStarted

"""The store's tables. Times are naive UTC; sizes in GB unless the name says bytes.

Foreign keys tie rows that cannot outlive each other (a vault's tags, a disk's server); history rows
(backups, tasks) keep copies of names and no foreign key, so they survive the resources they describe.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's batch mode alter SQLite tables reliably.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _json(default: Any = None) -> Any:
    factory = dict if default is dict else list
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))


# --- accounts and the region catalogue -------------------------------------------------------------


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: str = Field(primary_key=True)
    name: str = Field(unique=True)
    user_id: str
    user_name: str
    balance_cents: int = Field(default=0, sa_type=BigInteger)
    arrears_since: datetime | None = None  # when pay-per-use charges took the balance below zero
    demo_inventory: int = 0
    created_at: datetime


class Region(SQLModel, table=True):
    __tablename__ = "region"

    id: str = Field(primary_key=True)
    name: str
    position: int = 0


class AvailabilityZone(SQLModel, table=True):
    __tablename__ = "availability_zone"

    id: str = Field(primary_key=True)
    region_id: str = Field(foreign_key="region.id", index=True)
    name: str
    accepts_new_associations: bool = True


class Project(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("account_id", "region_id"),)

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    region_id: str = Field(foreign_key="region.id")
    name: str


class EnterpriseProject(SQLModel, table=True):
    __tablename__ = "enterprise_project"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    description: str | None = None
    created_at: datetime


class Order(SQLModel, table=True):
    """A payment from (positive) or refund to (negative) the account balance."""

    __tablename__ = "purchase_order"

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    project_id: str = Field(foreign_key="project.id")
    vault_id: str | None = Field(default=None, index=True)
    kind: str
    amount_cents: int = Field(sa_type=BigInteger)
    created_at: datetime
    detail: dict[str, Any] = _json(dict)


class UsageCharge(SQLModel, table=True):
    """Whole hours of a pay-per-use vault's use within one UTC day, at its size's hourly price."""

    __tablename__ = "usage_charge"
    __table_args__ = (Index("ix_usage_charge_account", "account_id", "start"),)

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id")
    project_id: str
    vault_id: str = Field(index=True)
    vault_name: str
    start: datetime
    hours: int
    size_gb: int = Field(sa_type=BigInteger)
    hourly_e4: int = Field(sa_type=BigInteger)  # the price of an hour, in ten-thousandths of a dollar
    amount_e4: int = Field(sa_type=BigInteger)
    deducted_cents: int = Field(sa_type=BigInteger)  # what it took from the balance (see billing.cents_due)


class DemoClock(SQLModel, table=True):
    """The installation's cloud time, shared by every process (no row: real time)."""

    __tablename__ = "demo_clock"

    id: int = Field(default=1, primary_key=True)
    anchor_real: datetime
    anchor_cloud: datetime
    rate: int = 1
    updated_at: datetime


# --- IAM: users, groups, grants, sessions ---------------------------------------------------------


class IamUser(SQLModel, table=True):
    """An IAM user of an account. Secrets are kept only as slow salted hashes (scrypt); a user whose password
    type is *Set by user* has none until their first login sets it."""

    __tablename__ = "iam_user"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    console_access: bool = True
    programmatic_access: bool = False
    password_hash: str | None = None
    password_setup_hash: str | None = None  # the one-time code IAM would email to a user who sets their own
    enabled: bool = True
    failed_logins: int = 0
    first_failure_at: datetime | None = None
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    created_at: datetime


class IamGroup(SQLModel, table=True):
    __tablename__ = "iam_group"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    description: str | None = None
    created_at: datetime


class IamSecurity(SQLModel, table=True):
    """An account's Security Settings, where they differ from IAM's defaults."""

    __tablename__ = "iam_security"

    account_id: str = Field(foreign_key="account.id", primary_key=True)
    password_min_length: int
    password_character_types: int
    session_timeout_minutes: int
    failures_allowed: int
    failure_window_minutes: int
    lockout_minutes: int


class IamMembership(SQLModel, table=True):
    __tablename__ = "iam_membership"

    group_id: str = Field(foreign_key="iam_group.id", primary_key=True)
    user_id: str = Field(foreign_key="iam_user.id", primary_key=True, index=True)


class IamGrant(SQLModel, table=True):
    """A system policy granted to a group, on all resources ("" here) or in one enterprise project."""

    __tablename__ = "iam_grant"

    group_id: str = Field(foreign_key="iam_group.id", primary_key=True)
    policy: str = Field(primary_key=True)
    scope: str = Field(default="", primary_key=True)
    created_at: datetime


class IamSession(SQLModel, table=True):
    """A logged-in session. The token is 256 random bits, so its SHA-256 is what is kept (a slow hash guards
    guessable secrets; this one cannot be guessed); it ends after the login policy's idle timeout."""

    __tablename__ = "iam_session"

    token_hash: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="iam_user.id", index=True)
    source: str = ""
    created_at: datetime
    last_seen_at: datetime


class IamSshKey(SQLModel, table=True):
    __tablename__ = "iam_ssh_key"
    __table_args__ = (UniqueConstraint("user_id", "fingerprint"),)

    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="iam_user.id", index=True)
    fingerprint: str
    public_key: str
    comment: str = ""
    created_at: datetime


class AccessKey(SQLModel, table=True):
    """An access key (AK/SK) of an IAM user or of the account itself (`user_id` is then the account's).
    The secret is shown once. The API must recompute request signatures with it, so it is kept sealed by the
    simulated KMS (AES-256-GCM, bound to the key's ID), not hashed; keys issued before the API existed kept
    only a hash (`secret_hash`) and cannot sign requests."""

    __tablename__ = "access_key"

    id: str = Field(primary_key=True)
    account_id: str = Field(foreign_key="account.id", index=True)
    user_id: str = Field(index=True)
    secret_sealed: bytes | None = Field(default=None, sa_type=LargeBinary)
    secret_hash: str | None = None
    status: str = "active"
    created_at: datetime


# --- the simulated cloud ---------------------------------------------------------------------------


class Resource(SQLModel, table=True):
    """A server, disk, SFS Turbo file system, Workspace desktop or file-backup client (agent).

    Disks attached to a server or a desktop point at it with `parent_id`. `data_path` is where the bytes
    live, relative to the data directory: a sparse image file for disks, a directory tree for file systems.
    """

    __tablename__ = "resource"

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    kind: str = Field(index=True)
    name: str
    status: str
    availability_zone: str | None = None
    size_gb: int = 0
    parent_id: str | None = Field(default=None, foreign_key="resource.id", index=True)
    device: str | None = None
    bootable: bool = False
    encrypted: bool = False
    kms_key_id: str | None = None  # the KMS master key of an encrypted disk
    flavor: str | None = None
    image_name: str | None = None
    host_name: str | None = None
    host_ip: str | None = None
    host_os: str | None = None
    # The CBR Agent's version: a backup client's own, or on a server the application-consistency agent's
    # (None: not installed).
    agent_version: str | None = None
    data_path: str | None = None
    enterprise_project_id: str = "0"
    created_at: datetime
    updated_at: datetime


class ResourceTag(SQLModel, table=True):
    __tablename__ = "resource_tag"

    resource_id: str = Field(foreign_key="resource.id", primary_key=True)
    key: str = Field(primary_key=True)
    value: str = ""


class AgentPath(SQLModel, table=True):
    """A directory a file-backup client backs up (real local path)."""

    __tablename__ = "agent_path"
    __table_args__ = (UniqueConstraint("agent_id", "dir_path"),)

    id: str = Field(primary_key=True)
    agent_id: str = Field(foreign_key="resource.id", index=True)
    dir_path: str
    exclude_paths: list[str] = _json(list)
    status: str = "available"
    created_at: datetime


# --- vaults ---------------------------------------------------------------------------------------


class Vault(SQLModel, table=True):
    __tablename__ = "vault"
    # The vault list: one type of a project, newest first, paged without sorting.
    __table_args__ = (Index("ix_vault_list", "project_id", "object_type", "created_at", "id"),)

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    user_id: str
    name: str = Field(index=True)
    description: str | None = None
    object_type: str = Field(index=True)
    protect_type: str
    consistent_level: str
    cloud_type: str
    charging_mode: str
    period_type: str | None = None
    period_num: int | None = None
    is_auto_renew: bool = False
    is_auto_pay: bool = False
    expires_at: datetime | None = None
    size_gb: int = Field(sa_type=BigInteger)
    used_bytes: int = Field(default=0, sa_type=BigInteger)
    status: str
    frozen_scene: str | None = None
    frozen_at: datetime | None = None
    billed_through: datetime | None = None  # pay-per-use: charged up to here
    billed_e4: int = Field(default=0, sa_type=BigInteger)  # pay-per-use: everything accrued, exactly
    is_multi_az: bool = False
    availability_zone: str | None = None
    # A Multi-AZ vault's second zone: every object is kept there too (fixed at purchase; None: Single-AZ).
    secondary_zone: str | None = None
    enterprise_project_id: str = "0"
    auto_bind: bool = False
    bind_rules: list[dict[str, str]] = _json(list)
    auto_expand: bool = False
    smn_notify: bool = True
    threshold: int = 80
    backup_name_prefix: str | None = None
    locked: bool = False
    order_id: str | None = None
    product_id: str | None = None
    created_at: datetime = Field(index=True)
    updated_at: datetime


class VaultTag(SQLModel, table=True):
    __tablename__ = "vault_tag"

    vault_id: str = Field(foreign_key="vault.id", primary_key=True)
    key: str = Field(primary_key=True, index=True)
    value: str = ""


class VaultResource(SQLModel, table=True):
    """A resource associated with a vault. `resource_id` is unique: a resource belongs to one vault."""

    __tablename__ = "vault_resource"

    id: str = Field(primary_key=True)
    vault_id: str = Field(foreign_key="vault.id", index=True)
    resource_id: str = Field(foreign_key="resource.id", unique=True)
    resource_type: str
    protect_status: str
    auto_protect: bool = True
    exclude_volumes: list[str] = _json(list)
    created_at: datetime


class Policy(SQLModel, table=True):
    __tablename__ = "policy"

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    name: str
    operation_type: str
    enabled: bool = True
    pattern: list[str] = _json(list)
    operation_definition: dict[str, Any] = _json(dict)
    created_at: datetime
    updated_at: datetime


class VaultPolicy(SQLModel, table=True):
    """A policy applied to a vault: one backup and one replication policy at most."""

    __tablename__ = "vault_policy"

    vault_id: str = Field(foreign_key="vault.id", primary_key=True)
    operation_type: str = Field(primary_key=True)
    policy_id: str = Field(foreign_key="policy.id", index=True)
    destination_vault_id: str | None = None
    destination_region: str | None = None
    # The scheduler has dealt with the policy's runs up to here (set when the policy is applied or changed).
    scheduled_through: datetime | None = None


# --- backups and tasks ----------------------------------------------------------------------------


class Checkpoint(SQLModel, table=True):
    """A restore point: one perform-backup request on a vault, producing one backup per resource."""

    __tablename__ = "checkpoint"

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    vault_id: str = Field(index=True)
    status: str
    name: str
    description: str | None = None
    incremental: bool = True
    auto_trigger: bool = False
    policy_id: str | None = None
    retention_duration_days: int = -1
    created_at: datetime
    updated_at: datetime


class Backup(SQLModel, table=True):
    """A backup of one resource; a server's backup has one child backup per disk (`parent_id`)."""

    __tablename__ = "backup"
    __table_args__ = (
        # The backups list: top-level backups of one provider (vault type) of a project, newest first.
        Index("ix_backup_list", "project_id", "provider_id", "parent_id", "created_at", "id", "vault_id"),
        # Backup counts per vault and resource (the vault list's associated resources).
        Index("ix_backup_vault", "vault_id", "parent_id", "resource_id"),
    )

    id: str = Field(primary_key=True)
    checkpoint_id: str = Field(index=True)
    parent_id: str | None = Field(default=None, index=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    vault_id: str = Field(index=True)
    resource_id: str = Field(index=True)
    resource_name: str
    resource_type: str
    resource_size: int = 0
    resource_az: str | None = None
    name: str = Field(index=True)
    description: str | None = None
    status: str = Field(index=True)
    image_type: str = "backup"
    incremental: bool = True
    auto_trigger: bool = False
    bootable: bool = False
    encrypted: bool = False
    kms_key_id: str | None = None  # an encrypted disk's backup: the disk's KMS key, whose data key sealed it
    contain_system_disk: bool = False
    provider_id: str
    enterprise_project_id: str = "0"
    policy_id: str | None = None
    fail_reason: str | None = None
    created_at: datetime = Field(index=True)
    updated_at: datetime
    protected_at: datetime | None = None
    expired_at: datetime | None = None
    # What the engine stored (disk and file backups; a server backup's figures are its children's sums).
    manifest_key: str | None = None
    manifest_hash: str | None = None
    manifest_size: int = Field(default=0, sa_type=BigInteger)
    logical_bytes: int = Field(default=0, sa_type=BigInteger)
    read_bytes: int = Field(default=0, sa_type=BigInteger)
    read_reason: str = ""  # why everything was read (a full backup), once the engine has backed it up
    # A backup in a database server (application-consistent) vault: "1" when the agent made it consistent,
    # "0" (with why) when CBR fell back to a crash-consistent backup; None elsewhere.
    app_consistency_status: str | None = None
    app_consistency_error_code: str | None = None
    app_consistency_error_message: str | None = None
    new_bytes: int = Field(default=0, sa_type=BigInteger)
    bitmap_generation: int | None = None
    damaged: bool = False
    # A replica (image_type replication): the backup it was copied from, in another region.
    source_backup_id: str | None = Field(default=None, index=True)


class Task(SQLModel, table=True):
    """An operation log row of the Tasks page: waiting -> running -> success | failed."""

    __tablename__ = "task"

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    operation_type: str = Field(index=True)
    status: str = Field(index=True)
    provider_id: str | None = None
    checkpoint_id: str | None = None
    policy_id: str | None = None
    vault_id: str | None = Field(default=None, index=True)
    vault_name: str | None = None
    resource_id: str | None = Field(default=None, index=True)
    resource_name: str | None = None
    resource_type: str | None = None
    backup_id: str | None = Field(default=None, index=True)
    backup_name: str | None = None
    progress: int = 0
    error_code: str | None = None
    error_message: str | None = None
    extra: dict[str, Any] = _json(dict)
    created_at: datetime = Field(index=True)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    updated_at: datetime
    # The runner's bookkeeping: who holds the task and until when, and how far it got.
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    attempts: int = 0
    bytes_done: int = Field(default=0, sa_type=BigInteger)
    bytes_total: int = Field(default=0, sa_type=BigInteger)
    cancel_requested: bool = False


class Chunk(SQLModel, table=True):
    """A stored blob of a vault, its place (`object_key` at `offset`, `length` stored bytes) and how many
    backups reference it. Blobs reaching zero references are freed by garbage collection after a grace."""

    __tablename__ = "chunk"
    __table_args__ = (Index("ix_chunk_vault_object", "vault_id", "object_key"),)

    vault_id: str = Field(primary_key=True)
    hash: bytes = Field(sa_type=LargeBinary, primary_key=True)
    object_key: str
    offset: int = Field(default=0, sa_type=BigInteger)
    length: int = Field(sa_type=BigInteger)
    raw_size: int = Field(sa_type=BigInteger)
    refcount: int = 0
    zero_since: datetime | None = None
    damaged: bool = False
    verified_at: datetime | None = None
    created_at: datetime


class Image(SQLModel, table=True):
    """A full-server image created from a server backup (IMS); it keeps its backup from being deleted."""

    __tablename__ = "image"

    id: str = Field(primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    name: str
    backup_id: str = Field(index=True)
    status: str
    min_disk_gb: int = 0
    created_at: datetime


class Notice(SQLModel, table=True):
    """A notification CBR sent through SMN: a vault's used capacity crossed its alarm threshold."""

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True)
    vault_id: str = Field(index=True)
    vault_name: str
    topic: str  # vault_capacity
    message: str
    created_at: datetime


class StoreRemoval(SQLModel, table=True):
    """A deleted vault whose objects are still to be removed from its store: written in the transaction that
    deletes the vault, cleared once its store (both zones') has removed them, so a bucket that did not answer
    then is emptied by a later scheduler pass instead of keeping the objects for good."""

    __tablename__ = "store_removal"

    vault_id: str = Field(primary_key=True)
    vault_name: str
    availability_zone: str | None = None
    secondary_zone: str | None = None
    requested_at: datetime
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = None

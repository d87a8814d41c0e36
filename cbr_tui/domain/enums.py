"""Enumerations with the API's own values; console labels live beside them in `labels.py`."""

from enum import StrEnum


class ObjectType(StrEnum):
    """What a vault protects (`billing.object_type`)."""

    SERVER = "server"
    DISK = "disk"
    TURBO = "turbo"
    WORKSPACE = "workspace"
    VMWARE = "vmware"
    FILE = "file"


class ProtectType(StrEnum):
    BACKUP = "backup"
    REPLICATION = "replication"


class ConsistentLevel(StrEnum):
    CRASH = "crash_consistent"
    APP = "app_consistent"


class CloudType(StrEnum):
    PUBLIC = "public"
    HYBRID = "hybrid"


class ChargingMode(StrEnum):
    """`post_paid` is pay-per-use, `pre_paid` is yearly/monthly."""

    POST_PAID = "post_paid"
    PRE_PAID = "pre_paid"


class PeriodType(StrEnum):
    MONTH = "month"
    YEAR = "year"


class VaultStatus(StrEnum):
    AVAILABLE = "available"
    LOCK = "lock"
    FROZEN = "frozen"
    DELETING = "deleting"
    ERROR = "error"


class BackupStatus(StrEnum):
    AVAILABLE = "available"
    PROTECTING = "protecting"
    DELETING = "deleting"
    RESTORING = "restoring"
    ERROR = "error"
    WAITING_PROTECT = "waiting_protect"
    WAITING_DELETE = "waiting_delete"
    WAITING_RESTORE = "waiting_restore"


# A backup being made or restored: its resource is left alone meanwhile (not detached, deleted, moved).
BACKUP_BUSY = (BackupStatus.PROTECTING.value, BackupStatus.WAITING_PROTECT.value, BackupStatus.RESTORING.value,
               BackupStatus.WAITING_RESTORE.value)


class CheckpointStatus(StrEnum):
    AVAILABLE = "available"
    PROTECTING = "protecting"
    DELETING = "deleting"
    DELETED = "deleted"
    ERROR_DELETING = "error-deleting"
    ERROR = "error"


class ImageType(StrEnum):
    BACKUP = "backup"
    REPLICATION = "replication"


class TaskStatus(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


class OperationType(StrEnum):
    """Task (operation log) types of the Tasks page."""

    BACKUP = "backup"
    COPY = "copy"
    REPLICATION = "replication"
    RESTORE = "restore"
    DELETE = "delete"
    SYNC = "sync"
    VAULT_DELETE = "vault_delete"
    REMOVE_RESOURCE = "remove_resource"


class ProtectStatus(StrEnum):
    """State of a resource inside its vault (`resources[].protect_status`)."""

    AVAILABLE = "available"
    ERROR = "error"
    PROTECTING = "protecting"
    RESTORING = "restoring"
    REMOVING = "removing"


class ResourceType(StrEnum):
    """CBR's resource type strings (`resources[].type`, `backup.resource_type`)."""

    SERVER = "OS::Nova::Server"
    BARE_METAL = "OS::Ironic::BareMetalServer"
    VOLUME = "OS::Cinder::Volume"
    TURBO = "OS::Sfs::Turbo"
    DESKTOP = "OS::Workspace::DesktopV2"
    NATIVE = "OS::Native::Server"


class ResourceKind(StrEnum):
    """Kinds of simulated cloud resources."""

    SERVER = "server"
    DISK = "disk"
    TURBO = "turbo"
    DESKTOP = "desktop"
    AGENT = "agent"


class ServerStatus(StrEnum):
    """ECS statuses (the ECS API's words; the console shows Running, Stopped, ...)."""

    ACTIVE = "ACTIVE"
    SHUTOFF = "SHUTOFF"
    ERROR = "ERROR"
    BUILD = "BUILD"
    REBOOT = "REBOOT"


class DiskStatus(StrEnum):
    AVAILABLE = "available"
    IN_USE = "in-use"
    ERROR = "error"
    CREATING = "creating"
    RESTORING = "restoring-backup"


class TurboStatus(StrEnum):
    AVAILABLE = "available"
    CREATING = "creating"
    EXPANDING = "expanding"
    ERROR = "error"


class DesktopStatus(StrEnum):
    AVAILABLE = "available"
    IN_USE = "in-use"
    ERROR = "error"
    CREATING = "creating"


class AgentStatus(StrEnum):
    NORMAL = "normal"
    OFFLINE = "offline"
    UNINSTALL = "uninstall"


class PolicyOperationType(StrEnum):
    BACKUP = "backup"
    REPLICATION = "replication"

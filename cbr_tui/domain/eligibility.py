"""Which resource and vault states allow which operation (seed table 4-1 and reference §4)."""

from cbr_tui.domain.enums import (
    AgentStatus,
    DesktopStatus,
    DiskStatus,
    ObjectType,
    ProtectType,
    ResourceKind,
    ServerStatus,
    TurboStatus,
    VaultStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, ErrorSpec
from cbr_tui.domain.labels import RESOURCE_NOUN, VAULT_STATUS, resource_status_label

# Statuses in which a resource may be associated with a vault or backed up.
PROTECTABLE_STATUSES: dict[ResourceKind, frozenset[str]] = {
    ResourceKind.SERVER: frozenset({ServerStatus.ACTIVE, ServerStatus.SHUTOFF}),
    ResourceKind.DISK: frozenset({DiskStatus.AVAILABLE, DiskStatus.IN_USE}),
    ResourceKind.TURBO: frozenset({TurboStatus.AVAILABLE}),
    ResourceKind.DESKTOP: frozenset({DesktopStatus.AVAILABLE, DesktopStatus.IN_USE}),
    ResourceKind.AGENT: frozenset({AgentStatus.NORMAL}),
}

_STATUS_ERROR: dict[ResourceKind, ErrorSpec] = {
    ResourceKind.SERVER: Codes.SERVER_STATUS_FORBIDS_BACKUP,
    ResourceKind.DISK: Codes.DISK_STATUS_FORBIDS_BACKUP,
}


def resource_status_refusal(kind: ResourceKind, name: str, status: str, action: str) -> CbrError | None:
    """The error for a resource whose status forbids `action` ("associated", "backed up"), or None."""
    allowed = PROTECTABLE_STATUSES[kind]
    if status in allowed:
        return None
    words = " or ".join(sorted(resource_status_label(s) for s in allowed))
    spec = _STATUS_ERROR.get(kind, Codes.RESOURCE_STATUS_FORBIDS_BACKUP)
    noun = RESOURCE_NOUN[kind]
    return CbrError(
        spec,
        f"The {noun} {name} is {resource_status_label(status)}; only a {noun} that is {words} can be {action}.",
    )


def _vault_refusal(spec: ErrorSpec, vault_name: str, status: str, allowed: set[VaultStatus], action: str) -> None:
    if status in allowed:
        return
    words = " or ".join(VAULT_STATUS[s] for s in sorted(allowed))
    raise CbrError(
        spec,
        f"The vault {vault_name} is {VAULT_STATUS[VaultStatus(status)]}; {action} needs a vault that is {words}.",
    )


def ensure_vault_allows_backup(vault_name: str, status: str) -> None:
    _vault_refusal(Codes.VAULT_STATUS_FORBIDS_BACKUP, vault_name, status,
                   {VaultStatus.AVAILABLE, VaultStatus.LOCK}, "a backup")


# The statuses in which a vault's resources can change (associate, dissociate, migrate).
ASSOCIATION_STATUSES = frozenset({VaultStatus.AVAILABLE, VaultStatus.LOCK})


def ensure_vault_allows_association(vault_name: str, status: str) -> None:
    _vault_refusal(Codes.INVALID_VAULT_STATUS, vault_name, status, set(ASSOCIATION_STATUSES), "changing its resources")


def ensure_vault_allows_delete(vault_name: str, status: str) -> None:
    _vault_refusal(Codes.INVALID_VAULT_STATUS, vault_name, status,
                   {VaultStatus.AVAILABLE, VaultStatus.ERROR}, "deleting it")


def ensure_vault_allows_update(vault_name: str, status: str) -> None:
    _vault_refusal(Codes.INVALID_VAULT_STATUS, vault_name, status,
                   {VaultStatus.AVAILABLE, VaultStatus.LOCK, VaultStatus.ERROR}, "changing it")


def ensure_vault_allows_expansion(vault_name: str, status: str) -> None:
    if status == VaultStatus.LOCK:
        raise CbrError(Codes.EXPANSION_IN_PROGRESS,
                       f"The vault {vault_name} is already being expanded; wait until it is Available.")
    _vault_refusal(Codes.INVALID_VAULT_STATUS, vault_name, status, {VaultStatus.AVAILABLE}, "expanding it")


GiB = 1 << 30


def ensure_vault_room(vault_name: str, size_gb: int, used_bytes: int, *, adding: int | None = None,
                      auto_expand: bool = False, needing: str = "The backup") -> None:
    """The one rule for a full vault (6114): before a backup starts, what the vault holds must be below
    its capacity; when it commits, what it holds plus `adding` must fit. A vault that expands itself
    (`auto_expand`) never refuses."""
    capacity = size_gb * GiB
    if auto_expand:
        return
    if adding is None and used_bytes >= capacity:
        raise CbrError(Codes.VAULT_FULL, f"{vault_name} has used all of its {size_gb:,} GB; expand it before "
                                         "backing up.")
    if adding is not None and used_bytes + adding > capacity:
        raise CbrError(Codes.VAULT_FULL, f"{needing} needs {adding / GiB:.2f} GB more but vault {vault_name} has "
                                         f"{max(capacity - used_bytes, 0) / GiB:.2f} GB left; expand it.")


def backup_kind_refusal(vault_name: str, object_type: str, protect_type: str) -> CbrError | None:
    """Why a vault of this kind takes no backups at all (6124), or None: replication vaults receive replicas,
    and hybrid cloud backups are synchronized from on-premises, not created on the console (seed 3.5)."""
    if protect_type == ProtectType.REPLICATION:
        return CbrError(Codes.VAULT_TYPE_FORBIDS_BACKUP,
                        f"{vault_name} is a replication vault; it receives replicas and takes no backups.")
    if object_type == ObjectType.VMWARE:
        return CbrError(Codes.VAULT_TYPE_FORBIDS_BACKUP,
                        f"{vault_name} is a hybrid cloud backup vault; hybrid cloud backups are synchronized from "
                        "on-premises, not created on the console.")
    return None


def past_alarm(used_bytes: int, size_gb: int, threshold: int) -> bool:
    """Whether a vault's used capacity is at or past its alarm threshold (% of its capacity)."""
    return used_bytes >= size_gb * GiB * threshold / 100


def crosses_alarm(used_before: int, used_after: int, size_gb: int, threshold: int) -> bool:
    """Whether a vault's used capacity has just reached its alarm threshold: CBR notifies then, once, not
    again at each backup while it stays above."""
    return not past_alarm(used_before, size_gb, threshold) and past_alarm(used_after, size_gb, threshold)

"""The console's words for API values: status labels, billing modes, vault kinds."""

from cbr_tui.domain.enums import (
    AgentStatus,
    BackupStatus,
    ChargingMode,
    DesktopStatus,
    DiskStatus,
    ResourceKind,
    ServerStatus,
    TaskStatus,
    TurboStatus,
    VaultStatus,
)

VAULT_STATUS: dict[str, str] = {  # by VaultStatus (a str)
    VaultStatus.AVAILABLE: "Available",
    VaultStatus.LOCK: "Locked",
    VaultStatus.FROZEN: "Frozen",
    VaultStatus.DELETING: "Deleting",
    VaultStatus.ERROR: "Error",
}

BACKUP_STATUS: dict[str, str] = {  # by BackupStatus (a str), so an API value looks its label up
    BackupStatus.AVAILABLE: "Available",
    BackupStatus.PROTECTING: "Creating",
    BackupStatus.DELETING: "Deleting",
    BackupStatus.RESTORING: "Restoring",
    BackupStatus.ERROR: "Error",
    BackupStatus.WAITING_PROTECT: "Waiting",
    BackupStatus.WAITING_DELETE: "Waiting to delete",
    BackupStatus.WAITING_RESTORE: "Waiting to restore",
}

TASK_STATUS: dict[str, str] = {  # by TaskStatus (a str)
    TaskStatus.WAITING: "Waiting",
    TaskStatus.RUNNING: "Running",
    TaskStatus.SUCCESS: "Successful",
    TaskStatus.FAILED: "Failed",
    TaskStatus.TIMEOUT: "Timed out",
    TaskStatus.SKIPPED: "Skipped",
}

CHARGING_MODE: dict[str, str] = {ChargingMode.PRE_PAID: "Yearly/Monthly", ChargingMode.POST_PAID: "Pay-per-use"}

RESOURCE_STATUS: dict[str, str] = {
    ServerStatus.ACTIVE: "Running",
    ServerStatus.SHUTOFF: "Stopped",
    ServerStatus.ERROR: "Error",
    ServerStatus.BUILD: "Creating",
    ServerStatus.REBOOT: "Restarting",
    DiskStatus.AVAILABLE: "Available",
    DiskStatus.IN_USE: "In-use",
    DiskStatus.ERROR: "Error",
    DiskStatus.CREATING: "Creating",
    DiskStatus.RESTORING: "Restoring",
    TurboStatus.EXPANDING: "Expanding",
    AgentStatus.NORMAL: "Normal",
    AgentStatus.OFFLINE: "Offline",
    AgentStatus.UNINSTALL: "Uninstalled",
}
# Turbo and desktop statuses share their API words (available, creating, error, in-use) with disks.
assert {s.value for s in TurboStatus} - {"expanding"} <= {s.value for s in DiskStatus}
assert {s.value for s in DesktopStatus} <= {s.value for s in DiskStatus}

RESOURCE_NOUN = {
    ResourceKind.SERVER: "server",
    ResourceKind.DISK: "disk",
    ResourceKind.TURBO: "file system",
    ResourceKind.DESKTOP: "desktop",
    ResourceKind.AGENT: "backup client",
}


def resource_status_label(status: str) -> str:
    return RESOURCE_STATUS.get(status, status)

# The Billing page's words for the account's orders (`purchase_order.kind`).
ORDER_KIND = {"new": "Purchase", "renew": "Renewal", "expand": "Expansion", "unsubscribe": "Refund",
              "top_up": "Top-up"}

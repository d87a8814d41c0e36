"""`CbrError`: the one way a rule says no, with CBR's `BackupService.NNNN` codes.

Every code carries the reference's HTTP status and short description; the raiser adds a sentence a person
understands (what was wrong and what to do), which is what the console and the CLI show.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    http_status: int
    summary: str


class CbrError(Exception):
    """A refused operation: `code` is CBR's error code, `message` says why in plain words."""

    def __init__(self, spec: ErrorSpec, message: str | None = None) -> None:
        self.spec = spec
        self.code = spec.code
        self.http_status = spec.http_status
        self.message = message or spec.summary
        super().__init__(f"{self.code}: {self.message}")

    def to_api(self) -> dict[str, str]:
        return {"error_code": self.code, "error_msg": self.message}


def _spec(number: str, http_status: int, summary: str) -> ErrorSpec:
    return ErrorSpec(f"BackupService.{number}", http_status, summary)


class Codes:
    """The error codes this product raises (reference §6), by what they mean."""

    NO_RESOURCE_TO_BACK_UP = _spec("0001", 400, "No resource is available for backup.")
    RESOURCES_BEING_BACKED_UP = _spec("0002", 500, "Resources are being backed up.")
    VAULT_EXECUTING_BACKUP = _spec("1001", 400, "The vault is executing a backup.")
    REPLICATION_TYPE_NOT_ALLOWED = _spec("1002", 400, "Replication is not allowed for the current type of backups.")
    REPLICATION_SOURCE_NOT_ECS = _spec("1003", 400,
                                       "Replication is not allowed because the backup source is not an ECS.")
    ALREADY_REPLICATED = _spec("1009", 400, "The backup is being replicated or has been replicated to the "
                                            "destination region.")
    RESTORE_DISK_TOO_SMALL = _spec("2001", 400, "Restoration cannot be executed because the size of the disk on "
                                                "the server is smaller than the backup size.")
    RESTORE_RESOURCE_BACKING_UP = _spec("2002", 400, "The resource is being backed up.")
    RESTORE_OTHER_SERVER = _spec("2003", 400, "Restoration to a different server is not allowed.")
    RESTORE_BACKUP_STATUS = _spec("2005", 400, "Restoration is not allowed in the current backup status.")
    RESTORE_SERVER_TERMINATED = _spec("2007", 400, "A terminated ECS cannot be restored.")
    RESTORE_SERVER_STATUS = _spec("2008", 400, "Restoration is not allowed in the current ECS status.")
    RESTORE_RESOURCE_RESTORING = _spec("2010", 400, "The resource is being restored.")
    RESTORE_DISK_STATUS = _spec("2011", 400, "Restoration is not allowed in the current disk status.")
    RESTORE_SOME_DISKS = _spec("2012", 400, "Restoration of some disks is not allowed.")
    RESTORE_DATA_TO_SYSTEM_DISK = _spec("2013", 400, "Backup data of a data disk cannot be restored to a system disk.")

    POLICY_NOT_FOUND = _spec("6000", 404, "The policy does not exist.")
    POLICY_QUOTA = _spec("6001", 400, "The maximum number of this type of policies has been reached.")
    POLICY_NOT_APPLIED = _spec("6002", 404, "The vault is not applied with the policy.")

    VAULT_RESOURCES_OVER_LIMIT = _spec("6100", 400, "The maximum number of vault resources has been reached.")
    INVALID_VAULT_CAPACITY = _spec("6101", 400, "Invalid vault capacity.")
    RESOURCE_TYPE_MISMATCH = _spec("6102", 400, "The vault does not support this resource type.")
    RESOURCE_IN_OTHER_VAULT = _spec("6103", 400, "The resource has been associated with a vault.")
    DUPLICATE_RESOURCE = _spec("6104", 400, "Duplicate vault resources.")
    VAULT_NOT_FOUND = _spec("6105", 404, "The vault does not exist.")
    VAULT_EXPANSION_FAILED = _spec("6107", 400, "Vault capacity expansion failed.")
    VAULT_CANNOT_ADD_RESOURCES = _spec("6108", 400, "New resources cannot be associated with the vault.")
    VAULT_CANNOT_UPDATE = _spec("6110", 400, "The vault cannot be updated.")
    VAULT_CANNOT_DELETE = _spec("6111", 400, "The vault cannot be deleted.")
    INVALID_VAULT_STATUS = _spec("6112", 400, "Invalid vault status.")
    VAULT_STATUS_FORBIDS_BACKUP = _spec("6113", 400, "Backup is not allowed in the current vault status.")
    VAULT_FULL = _spec("6114", 400, "The used capacity of the vault exceeds the maximum capacity.")
    DESTINATION_NOT_REPLICATION = _spec("6119", 400, "The destination vault does not support replication.")
    DESTINATION_VAULT_NOT_FOUND = _spec("6120", 400, "The destination vault does not exist.")
    VAULT_TYPE_FORBIDS_BACKUP = _spec("6124", 400, "Backup is not allowed for the current type of vaults.")
    EXPANSION_IN_PROGRESS = _spec("6123", 400, "Capacity expansion failed. There may be unprocessed capacity "
                                  "expansion orders or capacity expansion is in progress.")
    BACKUP_IN_PROGRESS = _spec("6125", 400, "A backup task is in progress.")
    DATABASE_BACKUP_NOT_ALLOWED = _spec("6126", 400, "Database backup is not allowed for this vault.")
    POLICY_NOT_APPLICABLE = _spec("6127", 400, "This policy cannot be applied to this vault.")
    REPLICATION_NOT_ALLOWED = _spec("6128", 400, "Replication is not allowed for the current type of vaults.")
    VAULT_CREATION_FAILED = _spec("6132", 500, "Vault creation failed.")
    RESOURCES_BEING_REMOVED = _spec("6134", 400, "Resources are being removed from the vault.")
    RESOURCE_NOT_IN_VAULT = _spec("6135", 400, "The resource does not exist in the vault.")
    HYBRID_VAULT_NO_POLICY = _spec("6136", 400, "Backup policies cannot be applied with hybrid cloud backup vaults.")

    BACKUP_NOT_FOUND = _spec("6200", 404, "The backup does not exist.")
    BACKUP_CANNOT_DELETE = _spec("6201", 400, "The backup cannot be deleted.")
    CHECKPOINT_NOT_FOUND = _spec("6217", 404, "The backup restore point does not exist.")
    METADATA_NOT_ALLOWED = _spec("6206", 400, "Metadata query is not allowed in the current backup status.")
    RESTORE_VAULT_STATUS = _spec("6202", 400, "Backups can be used for restoration only when the vault status is "
                                              "Available.")
    PERFORMING_BACKUPS = _spec("6203", 400, "Performing backups.")
    RESOURCE_STATUS_FORBIDS_BACKUP = _spec("6215", 400, "Backup is not allowed in the current resource status.")
    BACKUP_IN_USE = _spec("6216", 400, "The backup cannot be deleted because it is in use.")
    BACKUP_HAS_IMAGE = _spec("6204", 400, "The backup cannot be deleted because it has been used to create an image.")
    IMAGE_WRONG_BACKUP_TYPE = _spec("6207", 500, "This type of backups cannot be used to create images.")
    IMAGE_BACKUP_STATUS = _spec("6208", 500, "Image creation is not allowed in the current backup status.")
    IMAGE_NO_SYSTEM_DISK = _spec("6209", 500, "The backup does not contain the system disk data and cannot be used "
                                              "to create an image.")
    IMAGE_EXISTS = _spec("6210", 500, "An image has been created using the backup.")

    RESOURCE_NOT_FOUND = _spec("6302", 404, "The resource does not exist.")
    TASK_NOT_FOUND = _spec("6500", 404, "The operation log does not exist.")
    TAG_QUOTA = _spec("6600", 400, "The maximum number of tags has been reached for the resource.")
    TAG_KEY_NOT_FOUND = _spec("6601", 404, "The key does not exist.")
    # The reference has one "key does not exist" code; an encrypted backup whose KMS key is gone meets it too.
    ENCRYPTION_KEY_NOT_FOUND = TAG_KEY_NOT_FOUND

    DISK_NOT_FOUND = _spec("7000", 404, "The disk does not exist.")
    DISK_STATUS_FORBIDS_BACKUP = _spec("7003", 400, "Backup is not allowed in the current disk status.")
    SERVER_NOT_FOUND = _spec("7100", 404, "The server does not exist.")
    SERVER_STATUS_FORBIDS_BACKUP = _spec("7101", 400, "Backup is not allowed in the current server status.")
    SERVER_STOPPED = _spec("7102", 400, "The server has stopped.")
    SERVER_WITHOUT_DISKS = _spec("7108", 400, "Backup is not allowed for servers containing no disks.")
    DISK_NOT_ATTACHED = _spec("7201", 400, "The disk is not attached to any server.")
    VAULT_CANNOT_SYNC = _spec("7300", 400, "The vault does not support synchronization.")
    SYNC_IN_PROGRESS = _spec("7302", 400, "Backups are being synchronized.")
    AGENT_NOT_FOUND = _spec("7410", 404, "The client does not exist.")
    AGENT_PATH_QUOTA = _spec("7407", 400, "The number of client backup paths exceeds the threshold.")

    NOT_AUTHORIZED = _spec("8600", 403, "Not authenticated.")
    INVALID_PARAMETER = _spec("9900", 400, "Parameter verification failed.")
    UNKNOWN = _spec("9910", 500, "Unknown error.")
    # No code of the reference is about the service's own database; its damage is an internal error, said plainly.
    DATABASE_DAMAGED = UNKNOWN
    AUTHENTICATION_FAILED = _spec("9998", 500, "Authentication failed.")


def spec_of(code: str) -> ErrorSpec:
    """The error a code names (a task records only its code); unknown codes are `9910`."""
    for value in vars(Codes).values():
        if isinstance(value, ErrorSpec) and value.code == code:
            return value
    return Codes.UNKNOWN


def invalid(message: str) -> CbrError:
    """A request field failed validation (BackupService.9900) for the reason given."""
    return CbrError(Codes.INVALID_PARAMETER, message)

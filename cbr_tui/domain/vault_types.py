"""The six vault types of the console and what each one offers, straight from the seed's purchase steps.

One table decides which wizard steps a type has, which resources it takes, its capacity range and unit,
and its `spec_code` / `provider_id` (reference §1). Services and the UI both read it, so a rule lives once.
"""

from dataclasses import dataclass

from cbr_tui.domain.enums import (
    CloudType,
    ConsistentLevel,
    ObjectType,
    ProtectType,
    ResourceKind,
    ResourceType,
)

GB_PER_TB = 1024


@dataclass(frozen=True)
class VaultType:
    object_type: ObjectType
    page: str
    buy_label: str
    vault_label: str
    resource_kind: ResourceKind | None
    resource_types: tuple[ResourceType, ...]
    resource_noun: str
    provider_id: str
    cloud_type: CloudType
    capacity_unit: str
    min_size_gb: int
    max_size_gb: int
    offers_replication: bool
    offers_app_consistent: bool
    offers_redundancy: bool
    offers_auto_bind_step: bool
    offers_policy: bool
    offers_enterprise_project_step: bool
    wizard_steps: tuple[str, ...]
    # Perform Backup's Full Backup choice: seed 5.1 (servers) and 5.2 (disks) have it; 5.3 and 5.4 do not.
    offers_full_backup: bool = False

    @property
    def takes_resources(self) -> bool:
        return self.resource_kind is not None and self.object_type is not ObjectType.FILE

    def spec_code(self, protect_type: ProtectType, consistent_level: ConsistentLevel) -> str:
        if self.cloud_type is CloudType.HYBRID:
            return "vault.hybrid.server.normal"
        if protect_type is ProtectType.REPLICATION:
            return f"vault.replication.{self._spec_noun}.normal"
        if consistent_level is ConsistentLevel.APP:
            return "vault.backup.database.normal"
        return f"vault.backup.{self._spec_noun}.normal"

    @property
    def _spec_noun(self) -> str:
        return {ObjectType.DISK: "volume", ObjectType.WORKSPACE: "workspace"}.get(
            self.object_type, str(self.object_type)
        )

    def size_in_console_unit(self, size_gb: int) -> int:
        return size_gb // GB_PER_TB if self.capacity_unit == "TB" else size_gb


_GB_RANGE = (10, 10_485_760)
_TB_RANGE = (1 * GB_PER_TB, 10_240 * GB_PER_TB)

_COMMON_TAIL = ("tags", "name", "duration", "confirm")

VAULT_TYPES: dict[ObjectType, VaultType] = {
    ObjectType.SERVER: VaultType(
        ObjectType.SERVER, "Cloud Server Backups", "Buy Server Backup Vault", "server backup vault",
        ResourceKind.SERVER, (ResourceType.SERVER, ResourceType.BARE_METAL), "server",
        "0daac4c5-6707-4851-97ba-169e36266b66", CloudType.PUBLIC, "GB", *_GB_RANGE,
        offers_replication=True, offers_app_consistent=True, offers_redundancy=True,
        offers_auto_bind_step=True, offers_policy=True, offers_enterprise_project_step=True,
        wizard_steps=("billing", "protection", "app_consistent", "redundancy", "resources", "capacity",
                      "auto_backup", "enterprise_project", "auto_bind", *_COMMON_TAIL),
        offers_full_backup=True,
    ),
    ObjectType.DISK: VaultType(
        ObjectType.DISK, "Cloud Disk Backups", "Buy Disk Backup Vault", "disk backup vault",
        ResourceKind.DISK, (ResourceType.VOLUME,), "disk",
        "d1603440-187d-4516-af25-121250c7cc97", CloudType.PUBLIC, "GB", *_GB_RANGE,
        offers_replication=False, offers_app_consistent=False, offers_redundancy=False,
        offers_auto_bind_step=True, offers_policy=True, offers_enterprise_project_step=True,
        wizard_steps=("billing", "resources", "capacity", "auto_backup", "auto_bind",
                      "enterprise_project", *_COMMON_TAIL),
        offers_full_backup=True,
    ),
    ObjectType.TURBO: VaultType(
        ObjectType.TURBO, "SFS Turbo Backups", "Buy SFS Turbo Backup Vault", "SFS Turbo backup vault",
        ResourceKind.TURBO, (ResourceType.TURBO,), "file system",
        "3f3c3220-245c-4805-b811-758870015881", CloudType.PUBLIC, "GB", *_GB_RANGE,
        offers_replication=True, offers_app_consistent=False, offers_redundancy=True,
        offers_auto_bind_step=False, offers_policy=True, offers_enterprise_project_step=True,
        wizard_steps=("billing", "protection", "redundancy", "resources", "capacity", "auto_backup",
                      "enterprise_project", *_COMMON_TAIL),
    ),
    ObjectType.WORKSPACE: VaultType(
        ObjectType.WORKSPACE, "Desktop Backups", "Buy Desktop Backup Vault", "desktop backup vault",
        ResourceKind.DESKTOP, (ResourceType.DESKTOP,), "desktop",
        "86a80900-71bf-4961-956a-d52df944f84a", CloudType.PUBLIC, "GB", *_GB_RANGE,
        offers_replication=False, offers_app_consistent=False, offers_redundancy=False,
        offers_auto_bind_step=False, offers_policy=True, offers_enterprise_project_step=True,
        wizard_steps=("billing", "resources", "capacity", "auto_backup", "enterprise_project", *_COMMON_TAIL),
    ),
    ObjectType.VMWARE: VaultType(
        ObjectType.VMWARE, "Hybrid Cloud Backups", "Buy Hybrid Cloud Backup Vault", "hybrid cloud backup vault",
        None, (ResourceType.NATIVE,), "server",
        "a13639de-00be-4e94-af30-26912d75e4a2", CloudType.HYBRID, "TB", *_TB_RANGE,
        offers_replication=True, offers_app_consistent=False, offers_redundancy=True,
        offers_auto_bind_step=False, offers_policy=False, offers_enterprise_project_step=True,
        wizard_steps=("billing", "protection", "redundancy", "capacity", "enterprise_project", *_COMMON_TAIL),
    ),
    ObjectType.FILE: VaultType(
        ObjectType.FILE, "File Backups", "Buy Hybrid Cloud Backup Vault", "file backup vault",
        ResourceKind.AGENT, (ResourceType.NATIVE,), "backup client",
        "a13639de-00be-4e94-af30-26912d75e4a2", CloudType.HYBRID, "TB", *_TB_RANGE,
        offers_replication=False, offers_app_consistent=False, offers_redundancy=True,
        offers_auto_bind_step=False, offers_policy=True, offers_enterprise_project_step=False,
        wizard_steps=("billing", "redundancy", "capacity", "auto_backup", *_COMMON_TAIL),
    ),
}


def vault_type(object_type: ObjectType | str) -> VaultType:
    return VAULT_TYPES[ObjectType(object_type)]


RESOURCE_TYPE_OF_KIND: dict[ResourceKind, ResourceType] = {
    ResourceKind.SERVER: ResourceType.SERVER,
    ResourceKind.DISK: ResourceType.VOLUME,
    ResourceKind.TURBO: ResourceType.TURBO,
    ResourceKind.DESKTOP: ResourceType.DESKTOP,
    ResourceKind.AGENT: ResourceType.NATIVE,
}

OBJECT_TYPE_OF_KIND: dict[ResourceKind, ObjectType] = {
    ResourceKind.SERVER: ObjectType.SERVER,
    ResourceKind.DISK: ObjectType.DISK,
    ResourceKind.TURBO: ObjectType.TURBO,
    ResourceKind.DESKTOP: ObjectType.WORKSPACE,
    ResourceKind.AGENT: ObjectType.FILE,
}

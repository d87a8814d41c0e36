"""Vaults: their billing, resources, tags and policies, and the answers of the vault operations."""

from __future__ import annotations

from cbr_tui.services.views.base import NamedRef, TagView, View
from cbr_tui.services.views.billing import OrderView
from cbr_tui.v3 import models as v3


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
    # Why the vault's objects are still in its store (it did not answer), to be removed by a later scheduler
    # pass; None: they are gone with it.
    objects_left: str | None = None


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


class TagValues(View):
    key: str
    values: list[str]


class ProjectTags(View):
    tags: list[TagValues]


class VaultSummary(View):
    """ShowSummary: the capacity of the caller's vaults in this region (GB) and what they use (MB)."""

    size: int
    used_size: int


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


class ClientUnregistered(View):
    """A backup client removed (UnregisterAgent), and how many of its backups went with it."""

    agent_id: str
    deleted_backups: int


class ResourcesMigrated(View):
    """Resources moved to another vault, with their backups (MigrateVaultResource's answer)."""

    migrated_resources: list[str]


class MigrationTargets(View):
    """The vaults a vault's resources can migrate to: same type, in a status that takes resources."""

    vaults: list[NamedRef]


class VaultsUpdated(View):
    """BatchUpdateVault's answer: the vaults whose capacity alarm changed."""

    updated_vaults_id: list[str]


class NoticeView(View):
    """A notification CBR sent through SMN (a vault whose used capacity reached its alarm threshold)."""

    id: int
    vault_id: str
    vault_name: str
    topic: str
    message: str
    created_at: str


class NoticePage(View):
    notices: list[NoticeView]
    count: int

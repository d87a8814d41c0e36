"""The CBR v3 request and response shapes, as the official SDK (`huaweicloudsdkcbr`) names and nests
them.

Written by `tools/v3_models.py` from the SDK's models; do not edit by hand. Every field is optional, as in
the SDK: the services say which ones a request needs, with the reference's error codes.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cbr_tui.v3.base import V3Model


class AddAgentPathResponse(V3Model):
    """`AddAgentPathResponse` of the SDK."""

    added: list[str] | None = None
    existed: list[str] | None = None

class AddMemberResponse(V3Model):
    """`AddMemberResponse` of the SDK."""

    members: list[Member] | None = None

class AddMembersReq(V3Model):
    """`AddMembersReq` of the SDK."""

    members: list[str] | None = None
    domains: list[str] | None = None

class AddVaultResourceResponse(V3Model):
    """`AddVaultResourceResponse` of the SDK."""

    add_resource_ids: list[str] | None = None

class Agent(V3Model):
    """`Agent` of the SDK."""

    created_at: str | None = None
    updated_at: str | None = None
    agent_id: str | None = None
    agent_version: str | None = None
    agent_type: str | None = None
    host_name: str | None = None
    host_nickname: str | None = None
    host_ip: str | None = None
    host_os: str | None = None
    status: str | None = None
    last_active_time: str | None = None
    paths: list[Path] | None = None

class AgentAddPathReq(V3Model):
    """`AgentAddPathReq` of the SDK."""

    add_path: list[str] | None = None
    exclude_path: list[ExcludePath] | None = None

class AgentRegister(V3Model):
    """`AgentRegister` of the SDK."""

    agent_id: str | None = None
    host_name: str | None = None
    host_ip: str | None = None
    host_os: str | None = None
    host_nickname: str | None = None
    agent_version: str | None = None
    agent_type: str | None = None

class AgentRegisterReq(V3Model):
    """`AgentRegisterReq` of the SDK."""

    agent: AgentRegister | None = None

class AgentRemovePathReq(V3Model):
    """`AgentRemovePathReq` of the SDK."""

    remove_path: list[str] | None = None

class AgentUpdate(V3Model):
    """`AgentUpdate` of the SDK."""

    status: str | None = None

class AgentUpdateReq(V3Model):
    """`AgentUpdateReq` of the SDK."""

    agent: AgentUpdate | None = None

class AssociateVaultPolicyResponse(V3Model):
    """`AssociateVaultPolicyResponse` of the SDK."""

    associate_policy: VaultPolicyResp | None = None

class BackupExtendInfo(V3Model):
    """`BackupExtendInfo` of the SDK."""

    auto_trigger: bool | None = None
    bootable: bool | None = None
    snapshot_id: str | None = None
    support_lld: bool | None = None
    supported_restore_mode: str | None = None
    os_images_data: list[ImageData] | None = None
    contain_system_disk: bool | None = None
    encrypted: bool | None = None
    system_disk: bool | None = None
    is_multi_az: bool | None = None

class BackupReplicateReq(V3Model):
    """`BackupReplicateReq` of the SDK."""

    replicate: BackupReplicateReqBody | None = None

class BackupReplicateReqBody(V3Model):
    """`BackupReplicateReqBody` of the SDK."""

    description: str | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    destination_vault_id: str | None = None
    enable_acceleration: bool | None = None
    name: str | None = None
    cross_account_urn: str | None = None

class BackupReplicateRespBody(V3Model):
    """`BackupReplicateRespBody` of the SDK."""

    backup_id: str | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    destination_vault_id: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    replication_record_id: str | None = None
    source_region: str | None = None

class BackupResp(V3Model):
    """`BackupResp` of the SDK."""

    checkpoint_id: str | None = None
    created_at: str | None = None
    description: str | None = None
    expired_at: str | None = None
    extend_info: BackupExtendInfo | None = None
    id: str | None = None
    image_type: str | None = None
    name: str | None = None
    parent_id: str | None = None
    project_id: str | None = None
    protected_at: str | None = None
    resource_az: str | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    resource_size: int | None = None
    resource_type: str | None = None
    scheduled_operation_id: str | None = None
    status: str | None = None
    updated_at: str | None = None
    vault_id: str | None = None
    replication_records: list[ReplicationRecordGet] | None = None
    enterprise_project_id: str | None = None
    provider_id: str | None = None
    children: list[BackupResp] | None = None
    incremental: bool | None = None
    version: int | None = None

class BackupRestore(V3Model):
    """`BackupRestore` of the SDK."""

    mappings: list[BackupRestoreServerMapping] | None = None
    power_on: bool | None = None
    server_id: str | None = None
    volume_id: str | None = None
    resource_id: str | None = None
    details: RestoreDetails | None = None

class BackupRestoreReq(V3Model):
    """`BackupRestoreReq` of the SDK."""

    restore: BackupRestore | None = None

class BackupRestoreServerMapping(V3Model):
    """`BackupRestoreServerMapping` of the SDK."""

    backup_id: str | None = None
    volume_id: str | None = None

class BackupSync(V3Model):
    """`BackupSync` of the SDK."""

    backup_id: str | None = None
    backup_name: str | None = None
    bucket_name: str | None = None
    image_path: str | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    resource_type: str | None = None
    created_at: int | None = None

class BackupSyncReq(V3Model):
    """`BackupSyncReq` of the SDK."""

    sync: list[BackupSync] | None = None

class BackupSyncRespBody(V3Model):
    """`BackupSyncRespBody` of the SDK."""

    backup_id: str | None = None
    operation_log_id: str | None = None

class BackupUpdate(V3Model):
    """`BackupUpdate` of the SDK."""

    name: str | None = None

class BackupUpdateReq(V3Model):
    """`BackupUpdateReq` of the SDK."""

    backup: BackupUpdate | None = None

class BatchCreateAndDeleteVaultTagsResponse(V3Model):
    """`BatchCreateAndDeleteVaultTagsResponse` of the SDK."""

    pass

class BatchUpdateVaultRequestBody(V3Model):
    """`BatchUpdateVaultRequestBody` of the SDK."""

    vault: VaultBatchUpdate | None = None

class BatchUpdateVaultResponse(V3Model):
    """`BatchUpdateVaultResponse` of the SDK."""

    updated_vaults_id: list[str] | None = None

class Billing(V3Model):
    """`Billing` of the SDK."""

    allocated: int | None = None
    charging_mode: str | None = None
    cloud_type: str | None = None
    consistent_level: str | None = None
    object_type: str | None = None
    order_id: str | None = None
    product_id: str | None = None
    protect_type: str | None = None
    size: int | None = None
    spec_code: str | None = None
    status: str | None = None
    storage_unit: str | None = None
    used: int | None = None
    frozen_scene: str | None = None
    is_multi_az: bool | None = None

class BillingCreate(V3Model):
    """`BillingCreate` of the SDK."""

    cloud_type: str | None = None
    consistent_level: str | None = None
    object_type: str | None = None
    protect_type: str | None = None
    size: int | None = None
    charging_mode: str | None = None
    period_type: str | None = None
    period_num: int | None = None
    is_auto_renew: bool | None = None
    is_auto_pay: bool | None = None
    console_url: str | None = None
    is_multi_az: bool | None = None

class BillingUpdate(V3Model):
    """`BillingUpdate` of the SDK."""

    consistent_level: str | None = None
    size: int | None = None

class BindRulesTags(V3Model):
    """`BindRulesTags` of the SDK."""

    key: str | None = None
    value: str | None = None

class BulkCreateAndDeleteTags(V3Model):
    """`BulkCreateAndDeleteTags` of the SDK."""

    key: str | None = None
    value: str | None = None

class BulkCreateAndDeleteVaultTagsReq(V3Model):
    """`BulkCreateAndDeleteVaultTagsReq` of the SDK."""

    tags: list[BulkCreateAndDeleteTags] | None = None
    sys_tags: list[SysTag] | None = None
    action: str | None = None

class CbcOrderChange(V3Model):
    """`CbcOrderChange` of the SDK."""

    cloud_service_console_url: str | None = None
    product_info: CbcProductInfoOrderChange | None = None
    resource_id: str | None = None
    is_auto_pay: bool | None = None
    promotion_info: str | None = None

class CbcOrderResult(V3Model):
    """`CbcOrderResult` of the SDK."""

    cloud_service_id: str | None = Field(default=None, alias='cloudServiceId')
    order_id: str | None = Field(default=None, alias='orderId')
    subscribe_result: int | None = Field(default=None, alias='subscribeResult')
    resource_id: str | None = Field(default=None, alias='resourceId')

class CbcProductInfoOrderChange(V3Model):
    """`CbcProductInfoOrderChange` of the SDK."""

    product_id: str | None = None
    resource_size: int | None = None
    resource_size_measure_id: int | None = None
    resource_spec_code: str | None = None

class CbcProductInfoUpdate(V3Model):
    """`CbcProductInfoUpdate` of the SDK."""

    product_id: str | None = Field(default=None, alias='productId')
    resource_size: int | None = Field(default=None, alias='resourceSize')
    resource_size_measure_id: int | None = Field(default=None, alias='resourceSizeMeasureId')
    resource_spec_code: str | None = Field(default=None, alias='resourceSpecCode')

class CbcUpdate(V3Model):
    """`CbcUpdate` of the SDK."""

    cloud_service_console_url: str | None = Field(default=None, alias='cloudServiceConsoleURL')
    product_info: CbcProductInfoUpdate | None = Field(default=None, alias='productInfo')
    resource_id: str | None = Field(default=None, alias='resourceId')
    promotion_info: str | None = None

class ChangeOrderResponse(V3Model):
    """`ChangeOrderResponse` of the SDK."""

    order_id: str | None = Field(default=None, alias='orderId')
    ret_code: float | None = Field(default=None, alias='retCode')
    ret_msg: str | None = Field(default=None, alias='retMsg')

class ChangeToPeriod(V3Model):
    """`ChangeToPeriod` of the SDK."""

    charging_mode: str | None = None
    period_type: str | None = None
    period_num: int | None = None
    is_auto_renew: bool | None = None
    is_auto_pay: bool | None = None
    console_url: str | None = None
    vault_ids: list[str] | None = None

class ChangeVaultChargeModeResponse(V3Model):
    """`ChangeVaultChargeModeResponse` of the SDK."""

    order_id: str | None = Field(default=None, alias='orderId')
    ret_code: float | None = Field(default=None, alias='retCode')
    ret_msg: str | None = Field(default=None, alias='retMsg')

class CheckAgentResponse(V3Model):
    """`CheckAgentResponse` of the SDK."""

    agent_status: list[ProtectableAgentStatus] | None = None

class CheckpointCreate(V3Model):
    """`CheckpointCreate` of the SDK."""

    created_at: str | None = None
    id: str | None = None
    project_id: str | None = None
    status: str | None = None
    vault: CheckpointPlanCreate | None = None
    extra_info: CheckpointExtraInfoResp | None = None

class CheckpointCreateSkippedResource(V3Model):
    """`CheckpointCreateSkippedResource` of the SDK."""

    id: str | None = None
    type: str | None = None
    name: str | None = None
    code: str | None = None
    reason: str | None = None

class CheckpointExtraInfoResp(V3Model):
    """`CheckpointExtraInfoResp` of the SDK."""

    name: str | None = None
    description: str | None = None
    retention_duration: int | None = None

class CheckpointParam(V3Model):
    """`CheckpointParam` of the SDK."""

    auto_trigger: bool | None = None
    description: str | None = None
    incremental: bool | None = None
    name: str | None = None
    resources: list[str] | None = None
    resource_details: list[Resource] | None = None
    policy_id: str | None = None
    retention_duration_days: int | None = None

class CheckpointPlanCreate(V3Model):
    """`CheckpointPlanCreate` of the SDK."""

    id: str | None = None
    name: str | None = None
    resources: list[CheckpointResourceResp] | None = None
    skipped_resources: list[CheckpointCreateSkippedResource] | None = None

class CheckpointReplicateParam(V3Model):
    """`CheckpointReplicateParam` of the SDK."""

    auto_trigger: bool | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    destination_vault_id: str | None = None
    enable_acceleration: bool | None = None
    vault_id: str | None = None
    cross_account_urn: str | None = None

class CheckpointReplicateReq(V3Model):
    """`CheckpointReplicateReq` of the SDK."""

    replicate: CheckpointReplicateParam | None = None

class CheckpointReplicateRespBody(V3Model):
    """`CheckpointReplicateRespBody` of the SDK."""

    backups: list[CheckpointReplicateRespbackups] | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    destination_vault_id: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    source_region: str | None = None
    vault_id: str | None = None

class CheckpointReplicateRespbackups(V3Model):
    """`CheckpointReplicateRespbackups` of the SDK."""

    backup_id: str | None = None
    replication_record_id: str | None = None

class CheckpointResourceResp(V3Model):
    """`CheckpointResourceResp` of the SDK."""

    extra_info: str | None = None
    id: str | None = None
    name: str | None = None
    protect_status: str | None = None
    resource_size: str | None = None
    type: str | None = None
    backup_size: str | None = None
    backup_count: str | None = None

class CombinedOrder(V3Model):
    """`CombinedOrder` of the SDK."""

    combined_order_id: str | None = None
    combined_order_ecs_num: int | None = None
    combined_order_num: int | None = None

class CopyBackupResponse(V3Model):
    """`CopyBackupResponse` of the SDK."""

    replication: BackupReplicateRespBody | None = None

class CopyCheckpointResponse(V3Model):
    """`CopyCheckpointResponse` of the SDK."""

    replication: CheckpointReplicateRespBody | None = None

class CreateCheckpointResponse(V3Model):
    """`CreateCheckpointResponse` of the SDK."""

    checkpoint: CheckpointCreate | None = None

class CreateOrganizationPolicyResponse(V3Model):
    """`CreateOrganizationPolicyResponse` of the SDK."""

    policy: OrganizationPolicy | None = None

class CreatePolicyResponse(V3Model):
    """`CreatePolicyResponse` of the SDK."""

    policy: Policy | None = None

class CreatePostPaidVaultResponse(V3Model):
    """`CreatePostPaidVaultResponse` of the SDK."""

    orders: list[CbcOrderResult] | None = None
    ret_code: int | None = Field(default=None, alias='retCode')
    err_text: str | None = Field(default=None, alias='errText')
    error_code: str | None = None

class CreateVaultResponse(V3Model):
    """`CreateVaultResponse` of the SDK."""

    vault: VaultCreateResource | None = None
    orders: list[CbcOrderResult] | None = None
    ret_code: int | None = Field(default=None, alias='retCode')
    err_text: str | None = Field(default=None, alias='errText')
    error_code: str | None = None

class CreateVaultTagsResponse(V3Model):
    """`CreateVaultTagsResponse` of the SDK."""

    pass

class DataEncryption(V3Model):
    """`DataEncryption` of the SDK."""

    cmkid: str | None = None
    encrypted_algorithm: str | None = None

class DeleteBackupResponse(V3Model):
    """`DeleteBackupResponse` of the SDK."""

    pass

class DeleteMemberResponse(V3Model):
    """`DeleteMemberResponse` of the SDK."""

    pass

class DeleteOrganizationPolicyResponse(V3Model):
    """`DeleteOrganizationPolicyResponse` of the SDK."""

    pass

class DeletePolicyResponse(V3Model):
    """`DeletePolicyResponse` of the SDK."""

    pass

class DeleteVaultResponse(V3Model):
    """`DeleteVaultResponse` of the SDK."""

    pass

class DeleteVaultTagResponse(V3Model):
    """`DeleteVaultTagResponse` of the SDK."""

    pass

class DisassociateVaultPolicyResponse(V3Model):
    """`DisassociateVaultPolicyResponse` of the SDK."""

    dissociate_policy: VaultPolicyResp | None = None

class DomainMigrate(V3Model):
    """`DomainMigrate` of the SDK."""

    all_regions: bool | None = None
    reservation: float | None = None

class DomainMigrateProjectStatus(V3Model):
    """`DomainMigrateProjectStatus` of the SDK."""

    status: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    region_id: str | None = None
    progress: int | None = None
    fail_code: int | None = None
    fail_reason: str | None = None

class DomainProjectsInfo(V3Model):
    """`DomainProjectsInfo` of the SDK."""

    project_id: str | None = None
    project_name: str | None = None

class ExcludePath(V3Model):
    """`ExcludePath` of the SDK."""

    path_name: str | None = None
    exclude_path_name: list[str] | None = None

class ImageData(V3Model):
    """`ImageData` of the SDK."""

    image_id: str | None = None

class ImportBackupResponse(V3Model):
    """`ImportBackupResponse` of the SDK."""

    sync: list[BackupSyncRespBody] | None = None

class ImportCheckpointResponse(V3Model):
    """`ImportCheckpointResponse` of the SDK."""

    sync: SyncRespBody | None = None

class InstancesResourceDetail(V3Model):
    """`InstancesResourceDetail` of the SDK."""

    vault: Vault | None = None

class ListAgentResponse(V3Model):
    """`ListAgentResponse` of the SDK."""

    agents: list[Agent] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class ListBackupsResponse(V3Model):
    """`ListBackupsResponse` of the SDK."""

    backups: list[BackupResp] | None = None
    count: int | None = None
    offset: int | None = None
    limit: int | None = None

class ListDomainProjectsResponse(V3Model):
    """`ListDomainProjectsResponse` of the SDK."""

    projects: list[DomainProjectsInfo] | None = None

class ListExternalVaultResponse(V3Model):
    """`ListExternalVaultResponse` of the SDK."""

    vaults: list[Vault] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class ListFeaturesResponse(V3Model):
    """`ListFeaturesResponse` of the SDK."""

    pass

class ListOpLogsResponse(V3Model):
    """`ListOpLogsResponse` of the SDK."""

    operation_logs: list[OperationLog] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class ListOrganizationPoliciesResponse(V3Model):
    """`ListOrganizationPoliciesResponse` of the SDK."""

    policies: list[OrganizationPolicy] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class ListOrganizationPolicyDetailResponse(V3Model):
    """`ListOrganizationPolicyDetailResponse` of the SDK."""

    policies: list[OrganizationPolicyStatus] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class ListPoliciesResponse(V3Model):
    """`ListPoliciesResponse` of the SDK."""

    policies: list[Policy] | None = None
    count: int | None = None

class ListProjectsResponse(V3Model):
    """`ListProjectsResponse` of the SDK."""

    projects: list[ProjectsListInfo] | None = None
    links: SelfLinksInfo | None = None

class ListProtectableResponse(V3Model):
    """`ListProtectableResponse` of the SDK."""

    instances: list[ProtectablesResp] | None = None

class ListVaultResponse(V3Model):
    """`ListVaultResponse` of the SDK."""

    vaults: list[Vault] | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None

class Match(V3Model):
    """`Match` of the SDK."""

    key: str | None = None
    value: str | None = None

class Member(V3Model):
    """`Member` of the SDK."""

    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    backup_id: str | None = None
    image_id: str | None = None
    dest_project_id: str | None = None
    vault_id: str | None = None
    id: str | None = None

class MigrateDomainResponse(V3Model):
    """`MigrateDomainResponse` of the SDK."""

    pass

class MigrateVaultResourceResponse(V3Model):
    """`MigrateVaultResourceResponse` of the SDK."""

    migrated_resources: list[str] | None = None

class OpErrorInfo(V3Model):
    """`OpErrorInfo` of the SDK."""

    code: str | None = None
    message: str | None = None

class OpExtendInfoBckup(V3Model):
    """`OpExtendInfoBckup` of the SDK."""

    app_consistency_error_code: str | None = None
    app_consistency_error_message: str | None = None
    app_consistency_status: str | None = None
    backup_id: str | None = None
    backup_name: str | None = None
    incremental: str | None = None

class OpExtendInfoCommon(V3Model):
    """`OpExtendInfoCommon` of the SDK."""

    progress: int | None = None
    request_id: str | None = None
    task_id: str | None = None

class OpExtendInfoDelete(V3Model):
    """`OpExtendInfoDelete` of the SDK."""

    backup_id: str | None = None
    backup_name: str | None = None

class OpExtendInfoRemoveResources(V3Model):
    """`OpExtendInfoRemoveResources` of the SDK."""

    fail_count: int | None = None
    total_count: int | None = None
    resources: list[Resource] | None = None

class OpExtendInfoReplication(V3Model):
    """`OpExtendInfoReplication` of the SDK."""

    destination_backup_id: str | None = None
    destination_checkpoint_id: str | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    source_backup_id: str | None = None
    source_checkpoint_id: str | None = None
    source_project_id: str | None = None
    source_region: str | None = None
    source_backup_name: str | None = None
    destination_backup_name: str | None = None

class OpExtendInfoRestore(V3Model):
    """`OpExtendInfoRestore` of the SDK."""

    backup_id: str | None = None
    backup_name: str | None = None
    target_resource_id: str | None = None
    target_resource_name: str | None = None

class OpExtendInfoSync(V3Model):
    """`OpExtendInfoSync` of the SDK."""

    sync_backup_num: int | None = None
    delete_backup_num: int | None = None
    err_sync_backup_num: int | None = None

class OpExtendInfoUpdateExpirationTime(V3Model):
    """`OpExtendInfoUpdateExpirationTime` of the SDK."""

    affected_backups_count: int | None = None
    expiration_day: str | None = None

class OpExtendInfoVaultDelete(V3Model):
    """`OpExtendInfoVaultDelete` of the SDK."""

    fail_count: int | None = None
    total_count: int | None = None

class OpExtraInfo(V3Model):
    """`OpExtraInfo` of the SDK."""

    backup: OpExtendInfoBckup | None = None
    common: OpExtendInfoCommon | None = None
    delete: OpExtendInfoDelete | None = None
    sync: OpExtendInfoSync | None = None
    remove_resources: OpExtendInfoRemoveResources | None = None
    replication: OpExtendInfoReplication | None = None
    resource: Resource | None = None
    restore: OpExtendInfoRestore | None = None
    vault_delete: OpExtendInfoVaultDelete | None = None
    update_expiration_time: OpExtendInfoUpdateExpirationTime | None = None

class OperationLog(V3Model):
    """`OperationLog` of the SDK."""

    checkpoint_id: str | None = None
    created_at: str | None = None
    ended_at: str | None = None
    error_info: OpErrorInfo | None = None
    extra_info: OpExtraInfo | None = None
    id: str | None = None
    operation_type: str | None = None
    policy_id: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    started_at: str | None = None
    status: str | None = None
    updated_at: str | None = None
    vault_id: str | None = None
    vault_name: str | None = None

class OrganizationPolicy(V3Model):
    """`OrganizationPolicy` of the SDK."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    operation_type: str | None = None
    domain_id: str | None = None
    policy_name: str | None = None
    policy_enabled: bool | None = None
    policy_operation_definition: PolicyoODCreate | None = None
    policy_trigger: PolicyTriggerReq | None = None
    status: str | None = None
    domain_name: str | None = None
    effective_scope: str | None = None

class OrganizationPolicyCreate(V3Model):
    """`OrganizationPolicyCreate` of the SDK."""

    name: str | None = None
    description: str | None = None
    operation_type: str | None = None
    policy_name: str | None = None
    policy_enabled: bool | None = None
    policy_operation_definition: PolicyoODCreate | None = None
    policy_trigger: PolicyTriggerReq | None = None
    effective_scope: str | None = None

class OrganizationPolicyCreateReq(V3Model):
    """`OrganizationPolicyCreateReq` of the SDK."""

    policy: OrganizationPolicyCreate | None = None

class OrganizationPolicyStatus(V3Model):
    """`OrganizationPolicyStatus` of the SDK."""

    policy_id: str | None = None
    domain_id: str | None = None
    project_id: str | None = None
    status: str | None = None

class OrganizationPolicyUpdate(V3Model):
    """`OrganizationPolicyUpdate` of the SDK."""

    name: str | None = None
    description: str | None = None
    policy_name: str | None = None
    policy_enabled: bool | None = None
    policy_operation_definition: PolicyoODCreate | None = None
    policy_trigger: PolicyTriggerUpdateReq | None = None
    effective_scope: str | None = None

class OrganizationPolicyUpdateReq(V3Model):
    """`OrganizationPolicyUpdateReq` of the SDK."""

    policy: OrganizationPolicyUpdate | None = None

class Path(V3Model):
    """`Path` of the SDK."""

    id: str | None = None
    status: str | None = None
    agent_id: str | None = None
    dir_path: str | None = None
    exclude_paths: str | None = None

class Policy(V3Model):
    """`Policy` of the SDK."""

    enabled: bool | None = None
    id: str | None = None
    name: str | None = None
    operation_definition: PolicyoODCreate | None = None
    operation_type: str | None = None
    trigger: PolicyTriggerResp | None = None
    associated_vaults: list[PolicyAssociateVault] | None = None
    policy_type: str | None = None

class PolicyAdvancedRetentionRules(V3Model):
    """`PolicyAdvancedRetentionRules` of the SDK."""

    weekly_retention_rules: PolicyWeeklyRetentionRules | None = None
    monthly_retention_rules: PolicyMonthlyRetentionRules | None = None
    yearly_retention_rules: PolicyYearlyRetentionRules | None = None

class PolicyAssociateVault(V3Model):
    """`PolicyAssociateVault` of the SDK."""

    destination_vault_id: str | None = None
    vault_id: str | None = None

class PolicyCreate(V3Model):
    """`PolicyCreate` of the SDK."""

    enabled: bool | None = None
    name: str | None = None
    operation_definition: PolicyoODCreate | None = None
    operation_type: str | None = None
    trigger: PolicyTriggerReq | None = None

class PolicyCreateReq(V3Model):
    """`PolicyCreateReq` of the SDK."""

    policy: PolicyCreate | None = None

class PolicyMonthlyRetentionRules(V3Model):
    """`PolicyMonthlyRetentionRules` of the SDK."""

    retention_type: str | None = None
    retention_weeks: list[str] | None = None
    days_of_week: list[str] | None = None
    days_of_month: list[int] | None = None
    retention_duration_periods: int | None = None

class PolicyTriggerPropertiesReq(V3Model):
    """`PolicyTriggerPropertiesReq` of the SDK."""

    pattern: list[str] | None = None
    start_window_minutes: int | None = None

class PolicyTriggerPropertiesResp(V3Model):
    """`PolicyTriggerPropertiesResp` of the SDK."""

    pattern: list[str] | None = None
    start_time: str | None = None
    start_window_minutes: int | None = None

class PolicyTriggerPropertiesUpdateReq(V3Model):
    """`PolicyTriggerPropertiesUpdateReq` of the SDK."""

    pattern: list[str] | None = None
    start_window_minutes: int | None = None

class PolicyTriggerReq(V3Model):
    """`PolicyTriggerReq` of the SDK."""

    properties: PolicyTriggerPropertiesReq | None = None

class PolicyTriggerResp(V3Model):
    """`PolicyTriggerResp` of the SDK."""

    id: str | None = None
    name: str | None = None
    properties: PolicyTriggerPropertiesResp | None = None
    type: str | None = None

class PolicyTriggerUpdateReq(V3Model):
    """`PolicyTriggerUpdateReq` of the SDK."""

    properties: PolicyTriggerPropertiesUpdateReq | None = None

class PolicyUpdate(V3Model):
    """`PolicyUpdate` of the SDK."""

    enabled: bool | None = None
    name: str | None = None
    operation_definition: PolicyoODCreate | None = None
    trigger: PolicyTriggerUpdateReq | None = None

class PolicyUpdateReq(V3Model):
    """`PolicyUpdateReq` of the SDK."""

    policy: PolicyUpdate | None = None

class PolicyWeeklyRetentionRules(V3Model):
    """`PolicyWeeklyRetentionRules` of the SDK."""

    days_of_week: list[str] | None = None
    retention_duration_periods: int | None = None

class PolicyYearlyRetentionRules(V3Model):
    """`PolicyYearlyRetentionRules` of the SDK."""

    retention_type: str | None = None
    retention_months: list[str] | None = None
    retention_weeks: list[str] | None = None
    days_of_month: list[int] | None = None
    days_of_week: list[str] | None = None
    retention_duration_periods: int | None = None

class PolicyoODCreate(V3Model):
    """`PolicyoODCreate` of the SDK."""

    day_backups: int | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    enable_acceleration: bool | None = None
    max_backups: int | None = None
    month_backups: int | None = None
    retention_duration_days: int | None = None
    timezone: str | None = None
    week_backups: int | None = None
    year_backups: int | None = None
    full_backup_interval: int | None = None
    cross_account_urn: str | None = None
    advanced_retention_rules: PolicyAdvancedRetentionRules | None = None

class PrePaidBillingCreate(V3Model):
    """`PrePaidBillingCreate` of the SDK."""

    cloud_type: str | None = None
    consistent_level: str | None = None
    object_type: str | None = None
    protect_type: str | None = None
    size: int | None = None
    charging_mode: str | None = None
    period_type: str | None = None
    period_num: int | None = None
    is_auto_renew: bool | None = None
    is_auto_pay: bool | None = None
    console_url: str | None = None
    is_multi_az: bool | None = None
    is_double_az: bool | None = None
    promotion_info: str | None = None
    purchase_mode: str | None = None
    order_id: str | None = None

class PrePaidVaultOrder(V3Model):
    """`PrePaidVaultOrder` of the SDK."""

    name: str | None = None
    billing: PrePaidBillingCreate | None = None
    resources: list[ResourceCreate] | None = None
    description: str | None = None
    backup_policy_id: str | None = None
    tags: list[Tag] | None = None
    enterprise_project_id: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    threshold: int | None = None
    smn_notify: bool | None = None
    parameters: VaultCreateParameters | None = None
    auto_expand: bool | None = None
    locked: bool | None = None
    cross_account: bool | None = None
    data_encryption: DataEncryption | None = None

class ProjectsListInfo(V3Model):
    """`ProjectsListInfo` of the SDK."""

    domain_id: str | None = None
    is_domain: bool | None = None
    parent_id: str | None = None
    name: str | None = None
    description: str | None = None
    id: str | None = None
    enabled: bool | None = None
    links: SelfLinksInfo | None = None

class ProtectableAgentReq(V3Model):
    """`ProtectableAgentReq` of the SDK."""

    agent_status: list[ProtectableAgentStatusResource] | None = None

class ProtectableAgentStatus(V3Model):
    """`ProtectableAgentStatus` of the SDK."""

    code: int | None = None
    installed: bool | None = None
    is_old: bool | None = None
    message: str | None = None
    resource_id: str | None = None
    version: str | None = None

class ProtectableAgentStatusResource(V3Model):
    """`ProtectableAgentStatusResource` of the SDK."""

    resource_id: str | None = None
    resource_name: str | None = None
    resource_type: str | None = None

class ProtectableReplicationCapabilitiesRespRegion(V3Model):
    """`ProtectableReplicationCapabilitiesRespRegion` of the SDK."""

    name: str | None = None
    replication_destinations: list[str] | None = None

class ProtectableResult(V3Model):
    """`ProtectableResult` of the SDK."""

    code: str | None = None
    reason: str | None = None
    result: bool | None = None
    vault: VaultGet | None = None
    message: str | None = None

class ProtectablesResp(V3Model):
    """`ProtectablesResp` of the SDK."""

    children: list[Any] | None = None
    detail: Any | None = None
    id: str | None = None
    name: str | None = None
    protectable: ProtectableResult | None = None
    size: int | None = None
    status: str | None = None
    type: str | None = None

class RegisterAgentResponse(V3Model):
    """`RegisterAgentResponse` of the SDK."""

    agent: Agent | None = None

class RemoveAgentPathResponse(V3Model):
    """`RemoveAgentPathResponse` of the SDK."""

    removed: list[str] | None = None
    not_existed: list[str] | None = None

class RemoveVaultResourceResponse(V3Model):
    """`RemoveVaultResourceResponse` of the SDK."""

    remove_resource_ids: list[str] | None = None

class ReplicationRecordGet(V3Model):
    """`ReplicationRecordGet` of the SDK."""

    created_at: str | None = None
    destination_backup_id: str | None = None
    destination_checkpoint_id: str | None = None
    destination_project_id: str | None = None
    destination_region: str | None = None
    destination_vault_id: str | None = None
    extra_info: ReplicationRecordsExtraInfo | None = None
    id: str | None = None
    source_backup_id: str | None = None
    source_checkpoint_id: str | None = None
    source_project_id: str | None = None
    source_region: str | None = None
    status: str | None = None
    vault_id: str | None = None

class ReplicationRecordsExtraInfo(V3Model):
    """`ReplicationRecordsExtraInfo` of the SDK."""

    progress: int | None = None
    fail_code: str | None = None
    fail_reason: str | None = None
    auto_trigger: bool | None = None
    destination_vault_id: str | None = None

class Resource(V3Model):
    """`Resource` of the SDK."""

    extra_info: ResourceExtraInfo | None = None
    id: str | None = None
    name: str | None = None
    type: str | None = None

class ResourceCreate(V3Model):
    """`ResourceCreate` of the SDK."""

    extra_info: ResourceExtraInfo | None = None
    id: str | None = None
    type: str | None = None
    name: str | None = None

class ResourceExtraInfo(V3Model):
    """`ResourceExtraInfo` of the SDK."""

    exclude_volumes: list[str] | None = None
    include_volumes: list[ResourceExtraInfoIncludeVolumes] | None = None

class ResourceExtraInfoIncludeVolumes(V3Model):
    """`ResourceExtraInfoIncludeVolumes` of the SDK."""

    id: str | None = None
    os_version: str | None = None

class ResourceResp(V3Model):
    """`ResourceResp` of the SDK."""

    extra_info: ResourceExtraInfo | None = None
    id: str | None = None
    name: str | None = None
    protect_status: str | None = None
    size: int | None = None
    type: str | None = None
    backup_size: int | None = None
    backup_count: int | None = None
    auto_protect: bool | None = None

class RestoreBackupResponse(V3Model):
    """`RestoreBackupResponse` of the SDK."""

    pass

class RestoreDetails(V3Model):
    """`RestoreDetails` of the SDK."""

    destination_path: str | None = None

class SelfLinksInfo(V3Model):
    """`SelfLinksInfo` of the SDK."""

    self: str | None = None

class SetVaultResourceResponse(V3Model):
    """`SetVaultResourceResponse` of the SDK."""

    set_resource_ids: list[str] | None = None

class ShowAgentResponse(V3Model):
    """`ShowAgentResponse` of the SDK."""

    agent: Agent | None = None

class ShowBackupResponse(V3Model):
    """`ShowBackupResponse` of the SDK."""

    backup: BackupResp | None = None

class ShowCheckpointResponse(V3Model):
    """`ShowCheckpointResponse` of the SDK."""

    checkpoint: CheckpointCreate | None = None

class ShowDomainResponse(V3Model):
    """`ShowDomainResponse` of the SDK."""

    project_name: str | None = None
    project_id: str | None = None
    domain_id: str | None = None
    domain_name: str | None = None

class ShowFeatureResponse(V3Model):
    """`ShowFeatureResponse` of the SDK."""

    pass

class ShowMemberDetailResponse(V3Model):
    """`ShowMemberDetailResponse` of the SDK."""

    member: Member | None = None

class ShowMembersDetailResponse(V3Model):
    """`ShowMembersDetailResponse` of the SDK."""

    members: list[Member] | None = None
    count: int | None = None

class ShowMetadataResponse(V3Model):
    """`ShowMetadataResponse` of the SDK."""

    backup_id: str | None = None
    backups: str | None = None
    flavor: str | None = None
    floatingips: list[str] | None = None
    interface: str | None = None
    ports: list[str] | None = None
    server: str | None = None
    volumes: list[str] | None = None
    workspace: str | None = None

class ShowMigrateStatusResponse(V3Model):
    """`ShowMigrateStatusResponse` of the SDK."""

    status: str | None = None
    project_status: list[DomainMigrateProjectStatus] | None = None

class ShowOpLogResponse(V3Model):
    """`ShowOpLogResponse` of the SDK."""

    operation_log: OperationLog | None = None

class ShowOrganizationPolicyResponse(V3Model):
    """`ShowOrganizationPolicyResponse` of the SDK."""

    policy: OrganizationPolicy | None = None

class ShowPolicyResponse(V3Model):
    """`ShowPolicyResponse` of the SDK."""

    policy: Policy | None = None

class ShowProtectableResponse(V3Model):
    """`ShowProtectableResponse` of the SDK."""

    instance: ProtectablesResp | None = None

class ShowReplicationCapabilitiesResponse(V3Model):
    """`ShowReplicationCapabilitiesResponse` of the SDK."""

    regions: list[ProtectableReplicationCapabilitiesRespRegion] | None = None

class ShowStorageUsageResponse(V3Model):
    """`ShowStorageUsageResponse` of the SDK."""

    resource_count: int | None = None
    storage_usage: list[StorageUsage] | None = None

class ShowSummaryResponse(V3Model):
    """`ShowSummaryResponse` of the SDK."""

    size: int | None = None
    used_size: int | None = None

class ShowVaultProjectTagResponse(V3Model):
    """`ShowVaultProjectTagResponse` of the SDK."""

    tags: list[TagsResp] | None = None

class ShowVaultResourceInstancesResponse(V3Model):
    """`ShowVaultResourceInstancesResponse` of the SDK."""

    resources: list[TagResource] | None = None
    total_count: int | None = None

class ShowVaultResponse(V3Model):
    """`ShowVaultResponse` of the SDK."""

    vault: Vault | None = None

class ShowVaultTagResponse(V3Model):
    """`ShowVaultTagResponse` of the SDK."""

    tags: list[Tag] | None = None
    sys_tags: list[SysTag] | None = None

class StorageUsage(V3Model):
    """`StorageUsage` of the SDK."""

    backup_count: int | None = None
    backup_size: int | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    resource_type: str | None = None
    backup_size_multiaz: int | None = None

class SyncParam(V3Model):
    """`SyncParam` of the SDK."""

    auto_trigger: bool | None = None
    vault_id: str | None = None

class SyncReq(V3Model):
    """`SyncReq` of the SDK."""

    sync: SyncParam | None = None

class SyncRespBody(V3Model):
    """`SyncRespBody` of the SDK."""

    operation_log_id: str | None = None
    vault_id: str | None = None

class SysTag(V3Model):
    """`SysTag` of the SDK."""

    key: str | None = None
    value: str | None = None

class SysTags(V3Model):
    """`SysTags` of the SDK."""

    key: str | None = None
    values: list[str] | None = None

class Tag(V3Model):
    """`Tag` of the SDK."""

    key: str | None = None
    value: str | None = None

class TagCreate(V3Model):
    """`TagCreate` of the SDK."""

    key: str | None = None
    value: str | None = None

class TagResource(V3Model):
    """`TagResource` of the SDK."""

    resource_id: str | None = None
    resource_detail: InstancesResourceDetail | None = None
    tags: list[Tag] | None = None
    resource_name: str | None = None
    sys_tags: list[SysTag] | None = None

class TagsReq(V3Model):
    """`TagsReq` of the SDK."""

    key: str | None = None
    values: list[str] | None = None

class TagsResp(V3Model):
    """`TagsResp` of the SDK."""

    key: str | None = None
    values: list[str] | None = None

class UnregisterAgentResponse(V3Model):
    """`UnregisterAgentResponse` of the SDK."""

    pass

class UpdateAgentResponse(V3Model):
    """`UpdateAgentResponse` of the SDK."""

    agent: Agent | None = None

class UpdateBackupResponse(V3Model):
    """`UpdateBackupResponse` of the SDK."""

    backup: BackupResp | None = None

class UpdateExpirationTimeReq(V3Model):
    """`UpdateExpirationTimeReq` of the SDK."""

    expect_expiration_date: str | None = None
    time_zone: str | None = None

class UpdateExpirationTimeResponse(V3Model):
    """`UpdateExpirationTimeResponse` of the SDK."""

    affected_backups_count: int | None = None
    new_expiration_day: str | None = None
    operation_log_id: str | None = None

class UpdateMember(V3Model):
    """`UpdateMember` of the SDK."""

    status: str | None = None
    vault_id: str | None = None

class UpdateMemberStatusResponse(V3Model):
    """`UpdateMemberStatusResponse` of the SDK."""

    member: Member | None = None

class UpdateOrderResponse(V3Model):
    """`UpdateOrderResponse` of the SDK."""

    order_id: str | None = Field(default=None, alias='orderId')
    ret_code: str | None = Field(default=None, alias='retCode')
    ret_msg: str | None = Field(default=None, alias='retMsg')

class UpdateOrganizationPolicyResponse(V3Model):
    """`UpdateOrganizationPolicyResponse` of the SDK."""

    policy: OrganizationPolicy | None = None

class UpdatePolicyResponse(V3Model):
    """`UpdatePolicyResponse` of the SDK."""

    policy: Policy | None = None

class UpdateVaultResponse(V3Model):
    """`UpdateVaultResponse` of the SDK."""

    vault: Vault | None = None

class Vault(V3Model):
    """`Vault` of the SDK."""

    billing: Billing | None = None
    description: str | None = None
    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    resources: list[ResourceResp] | None = None
    tags: list[Tag] | None = None
    enterprise_project_id: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    user_id: str | None = None
    created_at: str | None = None
    auto_expand: bool | None = None
    smn_notify: bool | None = None
    threshold: int | None = None
    sys_lock_source_service: str | None = None
    locked: bool | None = None
    availability_zone: str | None = None

class VaultAddResourceReq(V3Model):
    """`VaultAddResourceReq` of the SDK."""

    resources: list[ResourceCreate] | None = None

class VaultAssociate(V3Model):
    """`VaultAssociate` of the SDK."""

    destination_vault_id: str | None = None
    policy_id: str | None = None
    add_policy_ids: list[str] | None = None

class VaultBackup(V3Model):
    """`VaultBackup` of the SDK."""

    parameters: CheckpointParam | None = None
    vault_id: str | None = None

class VaultBackupReq(V3Model):
    """`VaultBackupReq` of the SDK."""

    checkpoint: VaultBackup | None = None

class VaultBatchUpdate(V3Model):
    """`VaultBatchUpdate` of the SDK."""

    smn_notify: bool | None = None
    threshold: int | None = None

class VaultBindRules(V3Model):
    """`VaultBindRules` of the SDK."""

    tags: list[BindRulesTags] | None = None

class VaultCreate(V3Model):
    """`VaultCreate` of the SDK."""

    backup_policy_id: str | None = None
    billing: BillingCreate | None = None
    description: str | None = None
    name: str | None = None
    resources: list[ResourceCreate] | None = None
    tags: list[Tag] | None = None
    enterprise_project_id: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    auto_expand: bool | None = None
    threshold: int | None = None
    smn_notify: bool | None = None
    backup_name_prefix: str | None = None
    demand_billing: bool | None = None
    sys_lock_source_service: str | None = None
    locked: bool | None = None
    availability_zone: str | None = None

class VaultCreateParameters(V3Model):
    """`VaultCreateParameters` of the SDK."""

    combined_order: CombinedOrder | None = None

class VaultCreateReq(V3Model):
    """`VaultCreateReq` of the SDK."""

    vault: VaultCreate | None = None

class VaultCreateResource(V3Model):
    """`VaultCreateResource` of the SDK."""

    billing: Billing | None = None
    description: str | None = None
    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    resources: list[ResourceResp] | None = None
    tags: list[Tag] | None = None
    enterprise_project_id: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    user_id: str | None = None
    created_at: str | None = None
    auto_expand: bool | None = None
    smn_notify: bool | None = None
    threshold: int | None = None
    backup_name_prefix: str | None = None
    demand_billing: bool | None = None
    cbc_delete_count: int | None = None
    frozen: bool | None = None
    sys_lock_source_service: str | None = None
    locked: bool | None = None
    availability_zone: str | None = None

class VaultDissociate(V3Model):
    """`VaultDissociate` of the SDK."""

    policy_id: str | None = None

class VaultGet(V3Model):
    """`VaultGet` of the SDK."""

    billing: Billing | None = None
    description: str | None = None
    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    provider_id: str | None = None
    resources: list[ResourceResp] | None = None
    tags: list[Tag] | None = None
    enterprise_project_id: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    user_id: str | None = None
    created_at: str | None = None
    auto_expand: bool | None = None
    smn_notify: bool | None = None
    threshold: int | None = None
    sys_lock_source_service: str | None = None
    locked: bool | None = None
    availability_zone: str | None = None
    updated_at: str | None = None
    version: str | None = None

class VaultMigrateResourceReq(V3Model):
    """`VaultMigrateResourceReq` of the SDK."""

    destination_vault_id: str | None = None
    resource_ids: list[str] | None = None

class VaultOrderCreateReqs(V3Model):
    """`VaultOrderCreateReqs` of the SDK."""

    vault: PrePaidVaultOrder | None = None

class VaultPolicyResp(V3Model):
    """`VaultPolicyResp` of the SDK."""

    destination_vault_id: str | None = None
    policy_id: str | None = None
    vault_id: str | None = None

class VaultRemoveResourceReq(V3Model):
    """`VaultRemoveResourceReq` of the SDK."""

    resource_ids: list[str] | None = None

class VaultResourceInstancesReq(V3Model):
    """`VaultResourceInstancesReq` of the SDK."""

    without_any_tag: bool | None = None
    tags: list[TagsReq] | None = None
    tags_any: list[TagsReq] | None = None
    not_tags: list[TagsReq] | None = None
    not_tags_any: list[TagsReq] | None = None
    sys_tags: list[SysTags] | None = None
    limit: str | None = None
    offset: str | None = None
    action: str | None = None
    matches: list[Match] | None = None
    cloud_type: str | None = None
    object_type: str | None = None

class VaultSetResourceReq(V3Model):
    """`VaultSetResourceReq` of the SDK."""

    resource_ids: list[str] | None = None
    action: str | None = None

class VaultTagsCreateReq(V3Model):
    """`VaultTagsCreateReq` of the SDK."""

    tag: TagCreate | None = None

class VaultUpdate(V3Model):
    """`VaultUpdate` of the SDK."""

    billing: BillingUpdate | None = None
    name: str | None = None
    auto_bind: bool | None = None
    bind_rules: VaultBindRules | None = None
    auto_expand: bool | None = None
    smn_notify: bool | None = None
    threshold: int | None = None
    locked: bool | None = None

class VaultUpdateReq(V3Model):
    """`VaultUpdateReq` of the SDK."""

    vault: VaultUpdate | None = None

# The model of each operation's JSON body (by the SDK's method name).
REQUEST_BODY: dict[str, type[V3Model]] = {
    'add_agent_path': AgentAddPathReq,
    'add_member': AddMembersReq,
    'add_vault_resource': VaultAddResourceReq,
    'associate_vault_policy': VaultAssociate,
    'batch_create_and_delete_vault_tags': BulkCreateAndDeleteVaultTagsReq,
    'batch_update_vault': BatchUpdateVaultRequestBody,
    'change_order': CbcOrderChange,
    'change_vault_charge_mode': ChangeToPeriod,
    'check_agent': ProtectableAgentReq,
    'copy_backup': BackupReplicateReq,
    'copy_checkpoint': CheckpointReplicateReq,
    'create_checkpoint': VaultBackupReq,
    'create_organization_policy': OrganizationPolicyCreateReq,
    'create_policy': PolicyCreateReq,
    'create_post_paid_vault': VaultOrderCreateReqs,
    'create_vault': VaultCreateReq,
    'create_vault_tags': VaultTagsCreateReq,
    'disassociate_vault_policy': VaultDissociate,
    'import_backup': BackupSyncReq,
    'import_checkpoint': SyncReq,
    'migrate_domain': DomainMigrate,
    'migrate_vault_resource': VaultMigrateResourceReq,
    'register_agent': AgentRegisterReq,
    'remove_agent_path': AgentRemovePathReq,
    'remove_vault_resource': VaultRemoveResourceReq,
    'restore_backup': BackupRestoreReq,
    'set_vault_resource': VaultSetResourceReq,
    'show_vault_resource_instances': VaultResourceInstancesReq,
    'update_agent': AgentUpdateReq,
    'update_backup': BackupUpdateReq,
    'update_expiration_time': UpdateExpirationTimeReq,
    'update_member_status': UpdateMember,
    'update_order': CbcUpdate,
    'update_organization_policy': OrganizationPolicyUpdateReq,
    'update_policy': PolicyUpdateReq,
    'update_vault': VaultUpdateReq,
}

"""Vaults, tags, policies, replication and the read models, each through the official SDK, with the
reference's status codes and errors."""

import pytest
from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import (
    AddVaultResourceRequest,
    AssociateVaultPolicyRequest,
    BatchCreateAndDeleteVaultTagsRequest,
    BatchUpdateVaultRequest,
    BatchUpdateVaultRequestBody,
    BillingCreate,
    BillingUpdate,
    BulkCreateAndDeleteTags,
    BulkCreateAndDeleteVaultTagsReq,
    CheckAgentRequest,
    CreatePolicyRequest,
    CreateVaultRequest,
    CreateVaultTagsRequest,
    DeletePolicyRequest,
    DeleteVaultRequest,
    DeleteVaultTagRequest,
    DisassociateVaultPolicyRequest,
    ListFeaturesRequest,
    ListPoliciesRequest,
    ListProjectsRequest,
    ListProtectableRequest,
    ListVaultRequest,
    MigrateVaultResourceRequest,
    PolicyCreate,
    PolicyCreateReq,
    PolicyoODCreate,
    PolicyTriggerPropertiesReq,
    PolicyTriggerPropertiesUpdateReq,
    PolicyTriggerReq,
    PolicyTriggerUpdateReq,
    PolicyUpdate,
    PolicyUpdateReq,
    ProtectableAgentReq,
    ProtectableAgentStatusResource,
    RemoveVaultResourceRequest,
    ResourceCreate,
    ShowFeatureRequest,
    ShowPolicyRequest,
    ShowProtectableRequest,
    ShowReplicationCapabilitiesRequest,
    ShowSummaryRequest,
    ShowVaultProjectTagRequest,
    ShowVaultRequest,
    ShowVaultTagRequest,
    TagCreate,
    UpdatePolicyRequest,
    UpdateVaultRequest,
    VaultAddResourceReq,
    VaultAssociate,
    VaultBatchUpdate,
    VaultCreate,
    VaultCreateReq,
    VaultDissociate,
    VaultMigrateResourceReq,
    VaultRemoveResourceReq,
    VaultTagsCreateReq,
    VaultUpdate,
    VaultUpdateReq,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from tests.api.conftest import ServedApi


def new_vault(cbr: CbrClient, name: str, size: int = 100, object_type: str = "disk",
              resources: list[ResourceCreate] | None = None) -> str:
    body = VaultCreateReq(vault=VaultCreate(
        name=name, resources=resources or [],
        billing=BillingCreate(cloud_type="public", consistent_level="crash_consistent", object_type=object_type,
                              protect_type="backup", size=size)))
    return str(cbr.create_vault(CreateVaultRequest(body=body)).vault.id)


def refusal(call: object) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as refused:
        call()  # type: ignore[operator]
    return refused.value


def test_a_vault_is_changed_filled_and_emptied_then_deleted(cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-disks")
    disks = cbr.list_protectable(ListProtectableRequest(protectable_type="disk", name="evs-data-01")).instances
    [disk] = disks
    assert (disk.size, disk.protectable.result) == (50, True)
    added = cbr.add_vault_resource(AddVaultResourceRequest(
        vault_id=vault_id, body=VaultAddResourceReq(resources=[ResourceCreate(id=disk.id, type="OS::Cinder::Volume")])))
    assert added.add_resource_ids == [disk.id]
    shown = cbr.show_protectable(ShowProtectableRequest(protectable_type="disk", instance_id=disk.id)).instance
    assert shown.protectable.result is False and shown.protectable.vault.id == vault_id

    updated = cbr.update_vault(UpdateVaultRequest(vault_id=vault_id, body=VaultUpdateReq(
        vault=VaultUpdate(name="sdk-disks-renamed", billing=BillingUpdate(size=150)))))
    assert (updated.vault.name, updated.vault.billing.size) == ("sdk-disks-renamed", 150)
    shrink = refusal(lambda: cbr.update_vault(UpdateVaultRequest(vault_id=vault_id, body=VaultUpdateReq(
        vault=VaultUpdate(billing=BillingUpdate(size=120))))))
    assert (shrink.status_code, shrink.error_code) == (400, "BackupService.6107")

    summary = cbr.show_summary(ShowSummaryRequest())
    assert summary.size >= 150
    listed = cbr.list_vault(ListVaultRequest(name="sdk-disks-renamed"))
    assert [v.id for v in listed.vaults] == [vault_id] and listed.count == 1

    other_id = new_vault(cbr, "sdk-disks-other")
    migrated = cbr.migrate_vault_resource(MigrateVaultResourceRequest(vault_id=vault_id, body=VaultMigrateResourceReq(
        destination_vault_id=other_id, resource_ids=[disk.id])))
    assert migrated.migrated_resources == [disk.id]
    assert [r.id for r in cbr.show_vault(ShowVaultRequest(vault_id=other_id)).vault.resources] == [disk.id]
    gone = refusal(lambda: cbr.migrate_vault_resource(MigrateVaultResourceRequest(
        vault_id=vault_id, body=VaultMigrateResourceReq(destination_vault_id=other_id, resource_ids=[disk.id]))))
    assert (gone.status_code, gone.error_code) == (400, "BackupService.6135")
    removed = cbr.remove_vault_resource(RemoveVaultResourceRequest(
        vault_id=other_id, body=VaultRemoveResourceReq(resource_ids=[disk.id])))
    assert removed.remove_resource_ids == [disk.id]
    cbr.delete_vault(DeleteVaultRequest(vault_id=other_id))
    cbr.delete_vault(DeleteVaultRequest(vault_id=vault_id))
    missing = refusal(lambda: cbr.show_vault(ShowVaultRequest(vault_id=vault_id)))
    assert (missing.status_code, missing.error_code) == (404, "BackupService.6105")


def test_vault_tags_are_added_listed_and_removed(cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-tags")
    cbr.create_vault_tags(CreateVaultTagsRequest(vault_id=vault_id, body=VaultTagsCreateReq(
        tag=TagCreate(key="team", value="finance"))))
    cbr.batch_create_and_delete_vault_tags(BatchCreateAndDeleteVaultTagsRequest(
        vault_id=vault_id, body=BulkCreateAndDeleteVaultTagsReq(action="create", tags=[
            BulkCreateAndDeleteTags(key="env", value="prod"), BulkCreateAndDeleteTags(key="team", value="ops")])))
    tags = cbr.show_vault_tag(ShowVaultTagRequest(vault_id=vault_id)).tags
    assert {(t.key, t.value) for t in tags} == {("env", "prod"), ("team", "ops")}
    project = cbr.show_vault_project_tag(ShowVaultProjectTagRequest()).tags
    assert ("env", ["prod"]) in [(t.key, t.values) for t in project]
    cbr.delete_vault_tag(DeleteVaultTagRequest(vault_id=vault_id, key="env"))
    missing = refusal(lambda: cbr.delete_vault_tag(DeleteVaultTagRequest(vault_id=vault_id, key="env")))
    assert (missing.status_code, missing.error_code) == (404, "BackupService.6601")
    bad = refusal(lambda: cbr.create_vault_tags(CreateVaultTagsRequest(vault_id=vault_id, body=VaultTagsCreateReq(
        tag=TagCreate(key="no spaces allowed", value="x")))))
    assert (bad.status_code, bad.error_code) == (400, "BackupService.9900")


def test_a_policy_is_created_applied_changed_removed_and_deleted(cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-policy")
    created = cbr.create_policy(CreatePolicyRequest(body=PolicyCreateReq(policy=PolicyCreate(
        name="sdk-daily", operation_type="backup", enabled=True,
        operation_definition=PolicyoODCreate(max_backups=7, timezone="UTC+08:00"),
        trigger=PolicyTriggerReq(properties=PolicyTriggerPropertiesReq(
            pattern=["FREQ=DAILY;INTERVAL=1;BYHOUR=22;BYMINUTE=00"]))))))
    policy = created.policy
    assert (policy.name, policy.operation_definition.max_backups) == ("sdk-daily", 7)
    assert policy.trigger.properties.pattern == ["FREQ=DAILY;INTERVAL=1;BYHOUR=22;BYMINUTE=00"]

    applied = cbr.associate_vault_policy(AssociateVaultPolicyRequest(
        vault_id=vault_id, body=VaultAssociate(policy_id=policy.id)))
    assert (applied.associate_policy.vault_id, applied.associate_policy.policy_id) == (vault_id, policy.id)
    shown = cbr.show_policy(ShowPolicyRequest(policy_id=policy.id)).policy
    assert [v.vault_id for v in shown.associated_vaults] == [vault_id]
    listed = cbr.list_policies(ListPoliciesRequest(vault_id=vault_id)).policies
    assert [p.id for p in listed] == [policy.id]

    changed = cbr.update_policy(UpdatePolicyRequest(policy_id=policy.id, body=PolicyUpdateReq(policy=PolicyUpdate(
        enabled=False, trigger=PolicyTriggerUpdateReq(properties=PolicyTriggerPropertiesUpdateReq(
            pattern=["FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=03;BYMINUTE=00"])))))).policy
    assert changed.enabled is False
    assert changed.trigger.properties.pattern == ["FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=03;BYMINUTE=00"]
    too_many = refusal(lambda: cbr.update_policy(UpdatePolicyRequest(policy_id=policy.id, body=PolicyUpdateReq(
        policy=PolicyUpdate(operation_definition=PolicyoODCreate(max_backups=100000))))))
    assert (too_many.status_code, too_many.error_code) == (400, "BackupService.9900")
    assert "max_backups must be -1 or between 1 and 99,999; 100,000 was given." in too_many.error_msg

    cbr.disassociate_vault_policy(DisassociateVaultPolicyRequest(
        vault_id=vault_id, body=VaultDissociate(policy_id=policy.id)))
    cbr.delete_policy(DeletePolicyRequest(policy_id=policy.id))
    gone = refusal(lambda: cbr.show_policy(ShowPolicyRequest(policy_id=policy.id)))
    assert (gone.status_code, gone.error_code) == (404, "BackupService.6000")


def test_a_request_the_services_refuse_comes_back_whole(cbr: CbrClient) -> None:
    too_small = refusal(lambda: new_vault(cbr, "sdk-too-small", size=0))
    assert (too_small.status_code, too_small.error_code) == (400, "BackupService.6101")
    assert "capacity" in too_small.error_msg
    wrong_type = refusal(lambda: new_vault(cbr, "sdk-wrong-type", object_type="tape"))
    assert (wrong_type.status_code, wrong_type.error_code) == (400, "BackupService.9900")
    assert "tape" in wrong_type.error_msg


def test_projects_and_replication_capabilities_name_the_account_s_regions(served_api: ServedApi,
                                                                         cbr: CbrClient) -> None:
    regions = [r.id for r in served_api.console.accounts.regions().regions]
    projects = cbr.list_projects(ListProjectsRequest()).projects
    assert sorted(p.name for p in projects) == sorted(regions)
    assert served_api.credential.project_id in {p.id for p in projects}
    capabilities = cbr.show_replication_capabilities(ShowReplicationCapabilitiesRequest()).regions
    first = next(c for c in capabilities if c.name == regions[0])
    assert sorted(first.replication_destinations) == sorted(regions[1:])


def test_an_update_the_services_refuse_changes_nothing_and_charges_nothing(served_api: ServedApi,
                                                                           cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-all-or-nothing")
    balance = served_api.console.accounts.show().account.balance
    bad = refusal(lambda: cbr.update_vault(UpdateVaultRequest(vault_id=vault_id, body=VaultUpdateReq(
        vault=VaultUpdate(name="no spaces? no!", billing=BillingUpdate(size=400))))))
    assert (bad.status_code, bad.error_code) == (400, "BackupService.9900")
    shown = cbr.show_vault(ShowVaultRequest(vault_id=vault_id)).vault
    assert (shown.name, shown.billing.size) == ("sdk-all-or-nothing", 100)
    assert served_api.console.accounts.show().account.balance == balance
    unoffered = refusal(lambda: cbr.update_vault(UpdateVaultRequest(vault_id=vault_id, body=VaultUpdateReq(
        vault=VaultUpdate(auto_expand=True)))))
    assert "does not implement `auto_expand`" in unoffered.error_msg
    summary = cbr.show_summary(ShowSummaryRequest())
    vaults = served_api.console.vaults.list(limit=1000).vaults
    assert summary.size == sum(v.billing.size for v in vaults)


def test_check_agent_tells_which_servers_have_the_cbr_agent(served_api: ServedApi, cbr: CbrClient) -> None:
    console = served_api.console
    with_agent = console.resources.create_server("ecs-sdk-agent").resource
    console.resources.install_agent(with_agent.id, "2.4.1")
    plain = console.resources.create_server("ecs-sdk-plain").resource
    answer = cbr.check_agent(CheckAgentRequest(body=ProtectableAgentReq(agent_status=[
        ProtectableAgentStatusResource(resource_id=with_agent.id, resource_type="OS::Nova::Server",
                                       resource_name="ecs-sdk-agent"),
        ProtectableAgentStatusResource(resource_id=plain.id, resource_type="OS::Nova::Server"),
        ProtectableAgentStatusResource(resource_id="no-such-server", resource_type="OS::Nova::Server")])))
    assert [(s.resource_id, s.installed, s.is_old, s.version, s.code) for s in answer.agent_status] == [
        (with_agent.id, True, True, "2.4.1", 0), (plain.id, False, False, None, 0),
        ("no-such-server", False, False, None, 7100)]
    empty = refusal(lambda: cbr.check_agent(CheckAgentRequest(body=ProtectableAgentReq(agent_status=[]))))
    assert (empty.status_code, empty.error_code) == (400, "BackupService.9900")


def test_the_capacity_alarm_is_set_per_vault_and_in_a_batch(cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-alarm")
    updated = cbr.update_vault(UpdateVaultRequest(vault_id=vault_id, body=VaultUpdateReq(
        vault=VaultUpdate(threshold=60, smn_notify=False)))).vault
    assert (updated.threshold, updated.smn_notify) == (60, False)
    batch = cbr.batch_update_vault(BatchUpdateVaultRequest(body=BatchUpdateVaultRequestBody(
        vault=VaultBatchUpdate(threshold=70, smn_notify=True))))
    assert vault_id in batch.updated_vaults_id
    shown = cbr.show_vault(ShowVaultRequest(vault_id=vault_id)).vault
    assert (shown.threshold, shown.smn_notify) == (70, True)
    wrong = refusal(lambda: cbr.batch_update_vault(BatchUpdateVaultRequest(body=BatchUpdateVaultRequestBody(
        vault=VaultBatchUpdate(threshold=0)))))
    assert (wrong.status_code, wrong.error_code) == (400, "BackupService.9900")
    cbr.delete_vault(DeleteVaultRequest(vault_id=vault_id))


def test_the_features_of_the_region_are_listed_and_shown_by_key(served_api: ServedApi, cbr: CbrClient) -> None:
    console = served_api.console
    regions = console.accounts.regions().regions
    here = next(r for r in regions if r.id == console.region_id)
    features = cbr.list_features(ListFeaturesRequest(limit=10)).body
    assert features == {
        "replication.enable": True, "replication.source_region": here.id,
        "replication.destination_regions": [r.id for r in regions if r.id != here.id],
        "replication.destination_dgw_regions": [],
        "features.backup_double_az": len(here.availability_zones) > 1}
    one = cbr.show_feature(ShowFeatureRequest(feature_key="replication.source_region")).body
    assert one == {"replication.source_region": here.id}
    unknown = refusal(lambda: cbr.show_feature(ShowFeatureRequest(feature_key="replication.speed")))
    assert (unknown.status_code, unknown.error_code) == (400, "BackupService.9900")
    assert "replication.enable" in unknown.error_msg
    wrong_page = refusal(lambda: cbr.list_features(ListFeaturesRequest(limit=0)))
    assert (wrong_page.status_code, wrong_page.error_code) == (400, "BackupService.9900")

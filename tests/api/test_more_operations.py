"""The rest of what the API serves: the tag filter, billing changes, suspension, storage usage, metadata,
hybrid synchronisation, file-backup clients and the vaults of other regions."""

import json

from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import (
    AddAgentPathRequest,
    AgentAddPathReq,
    AgentRegister,
    AgentRegisterReq,
    AgentRemovePathReq,
    AgentUpdate,
    AgentUpdateReq,
    ChangeToPeriod,
    ChangeVaultChargeModeRequest,
    CreatePostPaidVaultRequest,
    ImportCheckpointRequest,
    ListAgentRequest,
    ListBackupsRequest,
    ListExternalVaultRequest,
    ListOpLogsRequest,
    Match,
    PrePaidBillingCreate,
    PrePaidVaultOrder,
    RegisterAgentRequest,
    RemoveAgentPathRequest,
    SetVaultResourceRequest,
    ShowAgentRequest,
    ShowMetadataRequest,
    ShowStorageUsageRequest,
    ShowVaultRequest,
    ShowVaultResourceInstancesRequest,
    SyncParam,
    SyncReq,
    TagsReq,
    UnregisterAgentRequest,
    UpdateAgentRequest,
    VaultOrderCreateReqs,
    VaultResourceInstancesReq,
    VaultSetResourceReq,
)

from cbr_tui.domain.enums import ObjectType, ProtectType
from tests.api.conftest import ServedApi
from tests.api.test_getting_started import wait_for_task
from tests.api.test_operations import new_vault, refusal
from tests.services.helpers import buy


def test_the_tag_filter_finds_and_counts_vaults(served_api: ServedApi, cbr: CbrClient) -> None:
    console = served_api.console
    gold = buy(console, ObjectType.DISK, size_gb=10, name="sdk-filter-gold")
    console.vaults.add_tags(gold.id, {"tier": "gold-1", "owner": "finance"})
    silver = buy(console, ObjectType.DISK, size_gb=10, name="sdk-filter-silver")
    console.vaults.add_tags(silver.id, {"tier": "silver"})

    def found(**request: object) -> list[str]:
        answer = cbr.show_vault_resource_instances(ShowVaultResourceInstancesRequest(
            body=VaultResourceInstancesReq(action="filter", **request)))
        return sorted(r.resource_name for r in answer.resources)

    assert found(tags=[TagsReq(key="tier", values=["*gold"])]) == ["sdk-filter-gold"]
    assert found(tags=[TagsReq(key="tier", values=[])], not_tags_any=[TagsReq(key="owner", values=[])]) == \
        ["sdk-filter-silver"]
    assert found(tags_any=[TagsReq(key="tier", values=["silver"]), TagsReq(key="owner", values=["finance"])],
                 matches=[Match(key="resource_name", value="sdk-filter")]) == ["sdk-filter-gold", "sdk-filter-silver"]
    counted = cbr.show_vault_resource_instances(ShowVaultResourceInstancesRequest(body=VaultResourceInstancesReq(
        action="count", tags=[TagsReq(key="tier", values=["gold-1", "silver"])])))
    assert counted.total_count == 2 and counted.resources is None
    too_many = refusal(lambda: cbr.show_vault_resource_instances(ShowVaultResourceInstancesRequest(
        body=VaultResourceInstancesReq(action="filter", tags=[TagsReq(key=f"k{i}", values=[]) for i in range(11)]))))
    assert (too_many.status_code, too_many.error_code) == (400, "BackupService.9900")


def test_a_pay_per_use_vault_becomes_yearly_monthly_and_pays_for_its_term(served_api: ServedApi,
                                                                          cbr: CbrClient) -> None:
    vault_id = new_vault(cbr, "sdk-to-monthly")
    balance = served_api.console.accounts.show().account.balance
    changed = cbr.change_vault_charge_mode(ChangeVaultChargeModeRequest(body=ChangeToPeriod(
        charging_mode="pre_paid", period_type="month", period_num=3, is_auto_renew=True, is_auto_pay=True,
        vault_ids=[vault_id])))
    assert changed.order_id and changed.ret_code == 0
    billing = served_api.console.vaults.show(vault_id).billing
    assert (billing.charging_mode, billing.period_type, billing.period_num, billing.is_auto_renew) == \
        ("pre_paid", "month", 3, True)
    assert float(served_api.console.accounts.show().account.balance) < float(balance)
    again = refusal(lambda: cbr.change_vault_charge_mode(ChangeVaultChargeModeRequest(body=ChangeToPeriod(
        charging_mode="pre_paid", period_type="month", period_num=1, is_auto_renew=False, is_auto_pay=True,
        vault_ids=[vault_id]))))
    assert (again.status_code, again.error_code) == (400, "BackupService.6110")


def test_policy_backups_are_suspended_and_usage_and_metadata_are_read(served_api: ServedApi,
                                                                      cbr: CbrClient) -> None:
    console = served_api.console
    vault = buy(console, size_gb=500, name="sdk-usage", resources=("ecs-db-01",))
    server_id = vault.resources[0].id
    done = cbr.set_vault_resource(SetVaultResourceRequest(vault_id=vault.id, body=VaultSetResourceReq(
        action="suspend", resource_ids=[server_id])))
    assert done.set_resource_ids == [server_id]
    assert cbr.show_vault(ShowVaultRequest(vault_id=vault.id)).vault.resources[0].auto_protect is False

    console.backups.perform(vault.id, name="usage")
    served_api.settle()
    usage = cbr.show_storage_usage(ShowStorageUsageRequest(resource_id=server_id))
    assert usage.resource_count == 1
    assert (usage.storage_usage[0].resource_name, usage.storage_usage[0].backup_count) == ("ecs-db-01", 1)
    backup = console.backups.list(vault=vault.id).backups[0]
    metadata = cbr.show_metadata(ShowMetadataRequest(backup_id=backup.id))
    assert json.loads(metadata.server)["name"] == "ecs-db-01"
    assert len(metadata.volumes) == 3 and all(json.loads(v)["size"] > 0 for v in metadata.volumes)


def test_the_data_center_s_backups_are_synchronised_into_a_hybrid_vault(served_api: ServedApi,
                                                                       cbr: CbrClient) -> None:
    console = served_api.console
    console.hybrid.back_up("lun-finance-01")
    served_api.settle()
    vault = buy(console, ObjectType.VMWARE, size_gb=1024, name="sdk-hybrid")
    started = cbr.import_checkpoint(ImportCheckpointRequest(body=SyncReq(sync=SyncParam(vault_id=vault.id))))
    assert started.sync.vault_id == vault.id
    assert wait_for_task(cbr, started.sync.operation_log_id).status == "success"
    again = refusal(lambda: cbr.import_checkpoint(ImportCheckpointRequest(body=SyncReq(sync=SyncParam(
        vault_id=vault.id)))))
    assert (again.status_code, again.error_code) == (400, "BackupService.0001")


def test_a_file_backup_client_s_paths_are_added_and_removed(served_api: ServedApi, cbr: CbrClient) -> None:
    agents = cbr.list_agent(ListAgentRequest()).agents
    agent = agents[0]
    assert cbr.show_agent(ShowAgentRequest(agent_id=agent.agent_id)).agent.host_name == agent.host_name
    home = served_api.console.ctx.layout.home / "cloud" / "sdk-agent-path"
    home.mkdir(parents=True, exist_ok=True)
    existing = agent.paths[0].dir_path
    added = cbr.add_agent_path(AddAgentPathRequest(agent_id=agent.agent_id, body=AgentAddPathReq(
        add_path=[str(home), existing + "/"])))
    assert (added.added, added.existed) == ([str(home)], [existing + "/"])
    other = home.parent / "sdk-agent-other"
    other.mkdir(exist_ok=True)
    refused_whole = refusal(lambda: cbr.add_agent_path(AddAgentPathRequest(
        agent_id=agent.agent_id, body=AgentAddPathReq(add_path=[str(other), "relative/path"]))))
    assert (refused_whole.status_code, refused_whole.error_code) == (400, "BackupService.9900")
    assert len(cbr.show_agent(ShowAgentRequest(agent_id=agent.agent_id)).agent.paths) == len(agent.paths) + 1
    removed = cbr.remove_agent_path(RemoveAgentPathRequest(agent_id=agent.agent_id, body=AgentRemovePathReq(
        remove_path=[str(home), "/no/such/path"])))
    assert (removed.removed, removed.not_existed) == ([str(home)], ["/no/such/path"])


def test_vaults_of_another_region_are_listed_for_replication(served_api: ServedApi, cbr: CbrClient) -> None:
    console = served_api.console
    region = next(r for r in console.accounts.regions().regions if r.id != console.region_id)
    buy(console.in_region(region.id), size_gb=100, name="sdk-external", protect_type=ProtectType.REPLICATION)
    listed = cbr.list_external_vault(ListExternalVaultRequest(external_project_id=region.project_id,
                                                              region_id=region.id, protect_type="replication"))
    assert "sdk-external" in [v.name for v in listed.vaults]
    wrong = refusal(lambda: cbr.list_external_vault(ListExternalVaultRequest(
        external_project_id="0" * 32, region_id=region.id)))
    assert (wrong.status_code, wrong.error_code) == (400, "BackupService.9900")


def test_backups_are_listed_by_restore_point_time_status_and_what_the_engine_did(served_api: ServedApi,
                                                                                 cbr: CbrClient) -> None:
    console = served_api.console
    vault = buy(console, ObjectType.DISK, size_gb=100, name="sdk-list-filters", resources=("evs-data-02",))
    first = console.backups.perform(vault.id, name="filter-first").checkpoint
    served_api.settle()
    console.backups.perform(vault.id, name="filter-second")
    served_api.settle()

    def names(**query: object) -> list[str]:
        return sorted(b.name for b in cbr.list_backups(ListBackupsRequest(vault_id=vault.id, **query)).backups)

    assert names(checkpoint_id=first.id) == ["filter-first"]
    assert names(incremental=True) == ["filter-second"] and names(incremental=False) == ["filter-first"]
    assert names(status=["available", "error"], image_type="backup") == ["filter-first", "filter-second"]
    assert names(start_time="2099-01-01T00:00:00Z") == []
    assert names(end_time="2099-01-01T00:00:00Z", resource_name="evs-data") == ["filter-first", "filter-second"]
    bad_time = refusal(lambda: cbr.list_backups(ListBackupsRequest(start_time="last tuesday")))
    assert (bad_time.status_code, bad_time.error_code) == (400, "BackupService.9900")
    assert "start_time is a time like" in bad_time.error_msg
    bad_status = refusal(lambda: cbr.list_backups(ListBackupsRequest(status=["lost"])))
    assert (bad_status.status_code, bad_status.error_code) == (400, "BackupService.9900")


def test_a_yearly_monthly_vault_is_bought_through_an_order(served_api: ServedApi, cbr: CbrClient) -> None:
    balance = float(served_api.console.accounts.show().account.balance)
    ordered = cbr.create_post_paid_vault(CreatePostPaidVaultRequest(body=VaultOrderCreateReqs(vault=PrePaidVaultOrder(
        name="sdk-ordered", resources=[], billing=PrePaidBillingCreate(
            cloud_type="public", consistent_level="crash_consistent", object_type="disk", protect_type="backup",
            size=50, charging_mode="pre_paid", period_type="month", period_num=2, is_auto_renew=False,
            is_auto_pay=True)))))
    [order] = ordered.orders
    vault = served_api.console.vaults.show(order.resource_id)
    assert (vault.name, vault.billing.charging_mode, vault.billing.period_num) == \
        ("sdk-ordered", "pre_paid", 2)
    assert float(served_api.console.accounts.show().account.balance) < balance
    post_paid = refusal(lambda: cbr.create_post_paid_vault(CreatePostPaidVaultRequest(body=VaultOrderCreateReqs(
        vault=PrePaidVaultOrder(name="sdk-not-an-order", billing=PrePaidBillingCreate(
            cloud_type="public", consistent_level="crash_consistent", object_type="disk", protect_type="backup",
            size=50, charging_mode="post_paid"))))))
    assert (post_paid.status_code, post_paid.error_code) == (400, "BackupService.9900")


def test_operation_logs_are_listed_by_time_and_names(served_api: ServedApi, cbr: CbrClient) -> None:
    vault = buy(served_api.console, ObjectType.DISK, size_gb=100, name="sdk-logs-by-name",
                resources=("ecs-spare-01-volume-0000",))
    served_api.console.backups.perform(vault.id)
    served_api.settle()

    def vaults(**query: object) -> set[str]:
        return {log.vault_name for log in cbr.list_op_logs(ListOpLogsRequest(**query)).operation_logs}

    assert vaults(vault_name="sdk-logs-by") == {"sdk-logs-by-name"}
    assert vaults(resource_name="ecs-spare-01-volume", operation_type="backup") == {"sdk-logs-by-name"}
    assert vaults(vault_name="sdk-logs-by", start_time="2099-01-01T00:00:00Z") == set()
    bad = refusal(lambda: cbr.list_op_logs(ListOpLogsRequest(end_time="soon")))
    assert (bad.status_code, bad.error_code) == (400, "BackupService.9900")


def test_a_client_s_installer_registers_it_and_it_is_marked_uninstalled(served_api: ServedApi,
                                                                          cbr: CbrClient) -> None:
    registered = cbr.register_agent(RegisterAgentRequest(body=AgentRegisterReq(agent=AgentRegister(
        agent_id="0b1c2d3e-0000-4000-8000-00000000a9e1", host_name="sdk-laptop", host_ip="10.0.0.7",
        host_os="Ubuntu 22.04 64bit", agent_version="2.5.1", agent_type="file")))).agent
    assert (registered.host_name, registered.status, len(registered.paths)) == ("sdk-laptop", "normal", 1)
    again = refusal(lambda: cbr.register_agent(RegisterAgentRequest(body=AgentRegisterReq(agent=AgentRegister(
        agent_id=registered.agent_id, host_name="sdk-laptop-2")))))
    assert (again.status_code, again.error_code) == (400, "BackupService.9900")
    uninstalled = cbr.update_agent(UpdateAgentRequest(agent_id=registered.agent_id, body=AgentUpdateReq(
        agent=AgentUpdate(status="uninstall")))).agent
    assert uninstalled.status == "uninstall"
    back = refusal(lambda: cbr.update_agent(UpdateAgentRequest(agent_id=registered.agent_id, body=AgentUpdateReq(
        agent=AgentUpdate(status="normal")))))
    assert (back.status_code, back.error_code) == (400, "BackupService.9900")
    server = served_api.console.resources.show("ecs-web-01").id
    not_a_client = refusal(lambda: cbr.update_agent(UpdateAgentRequest(agent_id=server, body=AgentUpdateReq(
        agent=AgentUpdate(status="uninstall")))))
    assert (not_a_client.status_code, not_a_client.error_code) == (404, "BackupService.7410")
    cbr.unregister_agent(UnregisterAgentRequest(agent_id=registered.agent_id))
    gone = refusal(lambda: cbr.show_agent(ShowAgentRequest(agent_id=registered.agent_id)))
    assert gone.status_code == 404
    twice = refusal(lambda: cbr.unregister_agent(UnregisterAgentRequest(agent_id=registered.agent_id)))
    assert (twice.status_code, twice.error_code) == (404, "BackupService.7410")

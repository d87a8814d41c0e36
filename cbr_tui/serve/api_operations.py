"""The CBR v3 operations the API serves: each reads its request as the SDK's model, asks the services
(which enforce every rule, with the reference's codes), and answers with the SDK's response model.

A handler never decides a rule itself. Fields of a request that cbr-tui does not implement are refused by
name when they ask for something other than the default, rather than accepted and ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from cbr_tui.domain.clock import parse_api_time
from cbr_tui.domain.enums import (
    AgentStatus,
    ChargingMode,
    ConsistentLevel,
    ObjectType,
    PeriodType,
    PolicyOperationType,
    ProtectType,
    ResourceKind,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.numbers import parse_whole_number
from cbr_tui.domain.policy_rules import Retention
from cbr_tui.domain.rules import ALARM_THRESHOLD_DEFAULT, check_choice, check_paging
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.serve.api_calls import Answer, Call
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.backups import BackupFilter
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.tag_search import TagCondition, TagFilter
from cbr_tui.services.tasks import TaskFilter
from cbr_tui.services.vaults import VaultChange, VaultSpec
from cbr_tui.services.views import OrderView, ProtectableView, ResourceView, TaskView
from cbr_tui.v3 import models as v3
from cbr_tui.v3.base import V3Model

Handler = Callable[[Call], Answer]
# Options of the real service that cbr-tui does not offer (yet): refused when asked for, never ignored.
UNOFFERED_VAULT_OPTIONS = {"auto_expand": False, "locked": False}
NO_ACCELERATION = {"enable_acceleration": False, "cross_account_urn": None}
TagLike = v3.Tag | v3.BindRulesTags | v3.TagCreate | v3.BulkCreateAndDeleteTags
HANDLERS: dict[str, Handler] = {}

# The path's protectable types (`/protectables/{protectable_type}/instances`) and the vault types they list.
PROTECTABLE_TYPES = {"server": ObjectType.SERVER, "disk": ObjectType.DISK, "turbo": ObjectType.TURBO,
                     "workspace": ObjectType.WORKSPACE, "workspace_v2": ObjectType.WORKSPACE}


def serves(handler: Handler) -> Handler:
    """Register `handler` for the SDK operation it is named after."""
    HANDLERS[handler.__name__] = handler
    return handler


def _not_implemented(model: V3Model, defaults: dict[str, Any]) -> None:
    for field, default in defaults.items():
        value = getattr(model, field)
        if value is not None and value != default:
            raise invalid(f"cbr-tui does not implement `{field}` yet; leave it out (or {default!r}).")


def _tags(tags: Sequence[TagLike] | None) -> list[tuple[str, str | None]]:
    return [(tag.key or "", tag.value) for tag in tags or ()]


def _selections(resources: Sequence[v3.ResourceCreate] | None) -> list[ResourceSelection]:
    selections = []
    for resource in resources or ():
        extra = resource.extra_info
        include = tuple(v.id or "" for v in extra.include_volumes or ()) if extra and extra.include_volumes else None
        exclude = tuple(extra.exclude_volumes or ()) if extra else ()
        selections.append(ResourceSelection(resource.id or "", include_volumes=include, exclude_volumes=exclude))
    return selections


# --- vaults ---------------------------------------------------------------------------------------------


def _vault_spec(vault: v3.VaultCreate | v3.PrePaidVaultOrder) -> VaultSpec:
    """A purchase as the services take it, from CreateVault's body or CreatePostPaidVault's (an order)."""
    _not_implemented(vault, UNOFFERED_VAULT_OPTIONS)
    if isinstance(vault, v3.VaultCreate):
        _not_implemented(vault, {"backup_name_prefix": "", "demand_billing": True, "sys_lock_source_service": ""})
    else:
        _not_implemented(vault, {"parameters": None, "cross_account": False, "data_encryption": None})
    billing = vault.billing
    if billing is None or billing.object_type is None or billing.size is None:
        raise invalid("A vault needs billing with at least object_type and size.")
    object_type = check_choice(ObjectType, billing.object_type, "vault type")
    vtype = vault_type(object_type)
    if billing.cloud_type is not None and billing.cloud_type != vtype.cloud_type.value:
        raise invalid(f"A {vtype.vault_label} is a {vtype.cloud_type.value} vault, not {billing.cloud_type}.")
    _not_implemented(billing, {"console_url": None})
    level = check_choice(ConsistentLevel, billing.consistent_level or ConsistentLevel.CRASH.value,
                         "consistency level")
    charging = check_choice(ChargingMode, billing.charging_mode or ChargingMode.POST_PAID.value, "billing mode")
    period_type = check_choice(PeriodType, billing.period_type, "period type") if billing.period_type else None
    if charging is ChargingMode.PRE_PAID:
        _not_implemented(billing, {"is_auto_pay": True})  # the order is paid from the balance at once
    return VaultSpec(
        object_type=object_type, size_gb=billing.size, name=vault.name, description=vault.description,
        charging_mode=charging, period_type=period_type, period_num=billing.period_num,
        auto_renew=bool(billing.is_auto_renew),
        protect_type=check_choice(ProtectType, billing.protect_type or ProtectType.BACKUP.value, "protection type"),
        app_consistent=level is ConsistentLevel.APP, multi_az=bool(billing.is_multi_az),
        resources=_selections(vault.resources), policy=vault.backup_policy_id,
        enterprise_project=vault.enterprise_project_id or "0", auto_bind=bool(vault.auto_bind),
        bind_tags=_tags(vault.bind_rules.tags if vault.bind_rules else None), tags=_tags(vault.tags),
        availability_zone=vault.availability_zone if isinstance(vault, v3.VaultCreate) else None,
        smn_notify=True if vault.smn_notify is None else vault.smn_notify,
        threshold=ALARM_THRESHOLD_DEFAULT if vault.threshold is None else vault.threshold,
    )


@serves
def create_vault(call: Call) -> Answer:
    request = call.body(v3.VaultCreateReq)
    created = call.console.vaults.create(_vault_spec(call.required(request.vault, "vault")))
    return call.answer(v3.CreateVaultResponse(vault=v3.VaultCreateResource.model_validate(created.vault.wire()),
                                              orders=_order_results(created.orders) or None))


def _order_results(orders: list[OrderView]) -> list[v3.CbcOrderResult]:
    """The billing centre's answer to an order: each paid at once (subscribeResult 1)."""
    return [v3.CbcOrderResult(orderId=o.order_id, subscribeResult=1, resourceId=o.vault_id) for o in orders]


@serves
def create_post_paid_vault(call: Call) -> Answer:
    """A yearly/monthly vault bought through an order (the SDK's name says post-paid; the API's path is
    `/vaults/order` and it takes pre_paid billing only)."""
    vault = call.required(call.body(v3.VaultOrderCreateReqs).vault, "vault")
    billing = call.required(vault.billing, "vault.billing")
    _not_implemented(billing, {"is_double_az": False, "promotion_info": None, "purchase_mode": None,
                               "order_id": None})
    if billing.charging_mode != ChargingMode.PRE_PAID.value:
        raise invalid("An order buys a yearly/monthly vault: billing.charging_mode is pre_paid "
                      "(CreateVault buys a pay-per-use one).")
    created = call.console.vaults.create(_vault_spec(vault))
    return call.answer(v3.CreatePostPaidVaultResponse(orders=_order_results(created.orders), retCode=0))


@serves
def list_vault(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"cloud_type", "enterprise_project_id", "id", "limit", "name", "object_type",
                                   "offset", "policy_id", "protect_type", "resource_ids", "status"})
    ids = call.texts("id")
    resource_ids = [r for r in (call.text("resource_ids") or "").split(",") if r]
    if len(ids) > 1 or len(resource_ids) > 1 or (ids and call.text("name")):
        raise invalid("cbr-tui filters the vault list by one id (or a name) and one resource ID at a time.")
    listed = call.console.vaults.list(cloud_type=call.text("cloud_type"),
        object_type=call.text("object_type"), protect_type=call.text("protect_type"), status=call.text("status"),
        search=call.text("name") or (ids[0] if ids else None), enterprise_project=call.text("enterprise_project_id"),
        resource_id=resource_ids[0] if resource_ids else None, policy_id=call.text("policy_id"),
        limit=call.number("limit", 1000), offset=call.number("offset", 0))
    return call.answer(v3.ListVaultResponse(vaults=list(listed.vaults), count=listed.count, limit=listed.limit,
                                            offset=listed.offset))


def _refuse_unknown_filters(call: Call, known: set[str]) -> None:
    unknown = sorted({key for key, _value in call.query} - known)
    if unknown:
        raise invalid(f"Unknown query parameter {', '.join(unknown)}; this operation takes {', '.join(sorted(known))}.")


@serves
def show_vault(call: Call) -> Answer:
    return call.answer(v3.ShowVaultResponse(vault=call.console.vaults.show(call.path["vault_id"])))


@serves
def update_vault(call: Call) -> Answer:
    update = call.required(call.body(v3.VaultUpdateReq).vault, "vault")
    _not_implemented(update, UNOFFERED_VAULT_OPTIONS)
    if update.billing is not None:
        _not_implemented(update.billing, {"consistent_level": None})  # chosen at purchase, for good
    changed = call.console.vaults.modify(call.path["vault_id"], VaultChange(
        name=update.name, size_gb=update.billing.size if update.billing else None, auto_bind=update.auto_bind,
        bind_tags=_tags(update.bind_rules.tags) if update.bind_rules else None, smn_notify=update.smn_notify,
        threshold=update.threshold))
    return call.answer(v3.UpdateVaultResponse(vault=changed.vault))


@serves
def delete_vault(call: Call) -> Answer:
    call.console.vaults.delete(call.path["vault_id"])
    return call.answer()


@serves
def add_vault_resource(call: Call) -> Answer:
    request = call.body(v3.VaultAddResourceReq)
    added = call.console.associations.associate(call.path["vault_id"], _selections(request.resources))
    return call.answer(v3.AddVaultResourceResponse(add_resource_ids=added.add_resource_ids))


@serves
def remove_vault_resource(call: Call) -> Answer:
    request = call.body(v3.VaultRemoveResourceReq)
    if not request.resource_ids:
        raise invalid("Name the resources to remove in resource_ids.")
    removed = call.console.associations.dissociate(call.path["vault_id"], request.resource_ids)
    return call.answer(v3.RemoveVaultResourceResponse(remove_resource_ids=removed.remove_resource_ids))


@serves
def batch_update_vault(call: Call) -> Answer:
    update = call.required(call.body(v3.BatchUpdateVaultRequestBody).vault, "vault")
    updated = call.console.vaults.batch_update(smn_notify=update.smn_notify, threshold=update.threshold)
    return call.answer(v3.BatchUpdateVaultResponse(updated_vaults_id=updated.updated_vaults_id))


@serves
def check_agent(call: Call) -> Answer:
    request = call.required(call.body(v3.ProtectableAgentReq).agent_status, "agent_status")
    checked = call.console.protectables.check_agents([call.required(r.resource_id, "resource_id") for r in request])
    return call.answer(v3.CheckAgentResponse(agent_status=list(checked.agent_status)))


@serves
def migrate_vault_resource(call: Call) -> Answer:
    request = call.body(v3.VaultMigrateResourceReq)
    migrated = call.console.migration.migrate(
        call.path["vault_id"], call.required(request.destination_vault_id, "destination_vault_id"),
        call.required(request.resource_ids, "resource_ids"))
    return call.answer(v3.MigrateVaultResourceResponse(migrated_resources=migrated.migrated_resources))


@serves
def associate_vault_policy(call: Call) -> Answer:
    request = call.body(v3.VaultAssociate)
    _not_implemented(request, {"add_policy_ids": None})
    policy_id = call.required(request.policy_id, "policy_id")
    applied = call.console.policies.apply(call.path["vault_id"], policy_id, request.destination_vault_id)
    return call.answer(v3.AssociateVaultPolicyResponse(associate_policy=applied.associate_policy))


@serves
def disassociate_vault_policy(call: Call) -> Answer:
    request = call.body(v3.VaultDissociate)
    removed = call.console.policies.remove(call.path["vault_id"], call.required(request.policy_id, "policy_id"))
    return call.answer(v3.DisassociateVaultPolicyResponse(dissociate_policy=removed.dissociate_policy))


@serves
def show_summary(call: Call) -> Answer:
    summary = call.console.vaults.summary()
    return call.answer(v3.ShowSummaryResponse(size=summary.size, used_size=summary.used_size))


# --- vault tags -----------------------------------------------------------------------------------------


@serves
def create_vault_tags(call: Call) -> Answer:
    tag = call.required(call.body(v3.VaultTagsCreateReq).tag, "tag")
    call.console.vaults.add_tags(call.path["vault_id"], [(tag.key or "", tag.value)])
    return call.answer()


@serves
def delete_vault_tag(call: Call) -> Answer:
    call.console.vaults.remove_tags(call.path["vault_id"], [call.path["key"]])
    return call.answer()


@serves
def show_vault_tag(call: Call) -> Answer:
    vault = call.console.vaults.show(call.path["vault_id"])
    return call.answer(v3.ShowVaultTagResponse(tags=list(vault.tags), sys_tags=[]))


@serves
def show_vault_project_tag(call: Call) -> Answer:
    tags = call.console.vaults.project_tags().tags
    return call.answer(v3.ShowVaultProjectTagResponse(tags=[v3.TagsResp(key=t.key, values=t.values) for t in tags]))


@serves
def batch_create_and_delete_vault_tags(call: Call) -> Answer:
    request = call.body(v3.BulkCreateAndDeleteVaultTagsReq)
    if request.sys_tags:
        raise invalid("cbr-tui has no system tags (sys_tags): leave them out.")
    tags = call.required(request.tags, "tags")
    ref = call.path["vault_id"]
    if request.action == "create":
        call.console.vaults.add_tags(ref, _tags(tags))
    elif request.action == "delete":
        call.console.vaults.remove_tags(ref, [tag.key or "" for tag in tags])
    else:
        raise invalid(f"action is create or delete, not {request.action!r}.")
    return call.answer()


def _conditions(tags: Sequence[v3.TagsReq] | None) -> list[TagCondition]:
    return [TagCondition(tag.key or "", tuple(tag.values or ())) for tag in tags or ()]


@serves
def show_vault_resource_instances(call: Call) -> Answer:
    request = call.body(v3.VaultResourceInstancesReq)
    if request.action not in ("filter", "count"):
        raise invalid(f"action is filter or count, not {request.action!r}.")
    if request.sys_tags:
        raise invalid("cbr-tui does not filter by sys_tags yet; filter by enterprise project in ListVaults.")
    matches = request.matches or []
    if len(matches) > 1 or any(m.key != "resource_name" for m in matches):
        raise invalid("matches takes at most one condition, on resource_name.")
    spec = TagFilter(tags=_conditions(request.tags), tags_any=_conditions(request.tags_any),
                     not_tags=_conditions(request.not_tags), not_tags_any=_conditions(request.not_tags_any),
                     without_any_tag=bool(request.without_any_tag),
                     name=(matches[0].value or "") if matches else None,
                     object_type=request.object_type, cloud_type=request.cloud_type,
                     limit=parse_whole_number(request.limit, "limit") if request.limit is not None else 1000,
                     offset=parse_whole_number(request.offset, "offset") if request.offset is not None else 0)
    found = call.console.vaults.filter_by_tags(spec, count_only=request.action == "count")
    if request.action == "count":
        return call.answer(v3.ShowVaultResourceInstancesResponse(total_count=found.total_count))
    return call.answer(v3.ShowVaultResourceInstancesResponse(
        resources=[v3.TagResource.model_validate(r.model_dump()) for r in found.resources],
        total_count=found.total_count))


# --- checkpoints (restore points) ----------------------------------------------------------------------


@serves
def create_checkpoint(call: Call) -> Answer:
    checkpoint = call.required(call.body(v3.VaultBackupReq).checkpoint, "checkpoint")
    vault_id = call.required(checkpoint.vault_id, "checkpoint.vault_id")
    parameters = checkpoint.parameters or v3.CheckpointParam()
    _not_implemented(parameters, {"auto_trigger": False, "policy_id": None})
    resources = list(parameters.resources or []) + [r.id or "" for r in parameters.resource_details or ()]
    made = call.console.backups.perform(vault_id, resources=resources or None, name=parameters.name,
                                        description=parameters.description,
                                        full=parameters.incremental is False,
                                        retention_days=parameters.retention_duration_days)
    return call.answer(v3.CreateCheckpointResponse(checkpoint=made.checkpoint))


@serves
def show_checkpoint(call: Call) -> Answer:
    shown = call.console.backups.show_checkpoint(call.path["checkpoint_id"])
    return call.answer(v3.ShowCheckpointResponse(checkpoint=shown.checkpoint))


@serves
def copy_checkpoint(call: Call) -> Answer:
    replicate = call.required(call.body(v3.CheckpointReplicateReq).replicate, "replicate")
    _not_implemented(replicate, {"auto_trigger": False} | NO_ACCELERATION)
    vault_id = call.required(replicate.vault_id, "replicate.vault_id")
    region = call.required(replicate.destination_region, "replicate.destination_region")
    destination = call.required(replicate.destination_vault_id, "replicate.destination_vault_id")
    replicated = call.console.replication.replicate_vault(vault_id, destination_region=region,
                                                          destination_vault=destination,
                                                          destination_project=replicate.destination_project_id)
    return call.answer(v3.CopyCheckpointResponse(
        replication=replicated.replication))


# --- backups ---------------------------------------------------------------------------------------------


@serves
def list_backups(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"checkpoint_id", "dec", "end_time", "enterprise_project_id", "image_type",
                                   "limit", "marker", "member_status", "name", "offset", "own_type",
                                   "parent_id", "resource_az", "resource_id", "resource_name", "resource_type",
                                   "sort", "start_time", "status", "vault_id", "show_replication",
                                   "incremental", "used_percent"})
    for unsupported in ("dec", "marker", "member_status", "parent_id", "used_percent"):
        if call.text(unsupported) is not None:
            raise invalid(f"cbr-tui does not filter backups by {unsupported} yet.")
    if call.text("own_type") not in (None, "private"):
        raise invalid("cbr-tui shares no backups between accounts: own_type is private.")
    if call.text("show_replication") not in (None, "false"):
        raise invalid("cbr-tui does not list replication records with backups yet; leave show_replication out.")
    narrower = BackupFilter(
        checkpoint_id=call.text("checkpoint_id"), image_type=call.text("image_type"),
        resource_az=call.text("resource_az"), statuses=tuple(call.texts("status")),
        created_from=_time(call, "start_time"), created_to=_time(call, "end_time"),
        incremental=_flag(call, "incremental"), resource_name=call.text("resource_name"),
        enterprise_project_id=call.text("enterprise_project_id"))
    listed = call.console.backups.list(
        vault=call.text("vault_id"), resource_id=call.text("resource_id"), search=call.text("name"),
        resource_type=call.text("resource_type"), limit=call.number("limit", 1000), offset=call.number("offset", 0),
        sort=_sort(call.text("sort")), narrower=narrower)
    return call.answer(v3.ListBackupsResponse(backups=list(listed.backups), count=listed.count,
                                              offset=listed.offset, limit=listed.limit))


def _time(call: Call, name: str) -> datetime | None:
    text = call.text(name)
    return parse_api_time(text, name) if text is not None else None


def _flag(call: Call, name: str) -> bool | None:
    text = call.text(name)
    if text is None:
        return None
    if text not in ("true", "false"):
        raise invalid(f"{name} is true or false, not {text[:20]!r}.")
    return text == "true"


def _sort(sort: str | None) -> str:
    """CBR's `sort=created_at:desc` (the only key the reference lists), also given as `created_at`."""
    return sort or "created_at:desc"


@serves
def show_backup(call: Call) -> Answer:
    return call.answer(v3.ShowBackupResponse(backup=call.console.backups.show(call.path["backup_id"])))


@serves
def update_backup(call: Call) -> Answer:
    update = call.required(call.body(v3.BackupUpdateReq).backup, "backup")
    name = call.required(update.name, "backup.name")
    updated = call.console.backups.rename(call.path["backup_id"], name)
    return call.answer(v3.UpdateBackupResponse(backup=updated.backup))


@serves
def delete_backup(call: Call) -> Answer:
    call.console.backups.delete(call.path["backup_id"])
    return call.answer()


@serves
def restore_backup(call: Call) -> Answer:
    restore = call.required(call.body(v3.BackupRestoreReq).restore, "restore")
    backup_ref = call.path["backup_id"]
    backup = call.console.backups.show(backup_ref)
    restores = call.console.restores
    kind = backup.resource_type
    if restore.resource_id is not None and restore.resource_id != backup.resource_id:
        raise invalid("A backup is restored to the resource it was made from (resource_id); for another, "
                      "create a disk, an image or a file system from it.")
    if restore.details is not None and kind not in ("OS::Sfs::Turbo", "OS::Native::Server"):
        raise invalid("details (destination_path) apply to file backups only.")
    if kind == "OS::Nova::Server":
        if restore.server_id is not None and restore.server_id != backup.resource_id:
            raise CbrError(Codes.RESTORE_OTHER_SERVER, "A server backup is restored to the server it was made "
                                                       "from; create an image from it for another server.")
        mappings = {m.backup_id or "": m.volume_id or "" for m in restore.mappings or ()}
        restores.restore_server(backup_ref, mappings=mappings,
                                power_on=restore.power_on if restore.power_on is not None else True)
    elif kind == "OS::Cinder::Volume":
        restores.restore_disk(backup_ref, restore.volume_id)
    elif kind == "OS::Workspace::DesktopV2":
        restores.restore_desktop(backup_ref)
    elif restore.details is not None or kind in ("OS::Sfs::Turbo", "OS::Native::Server"):
        destination = restore.details.destination_path if restore.details else None
        restores.restore_files(backup_ref, destination)
    else:
        raise invalid(f"cbr-tui does not restore {kind} backups through the API yet.")
    return call.answer()


@serves
def copy_backup(call: Call) -> Answer:
    replicate = call.required(call.body(v3.BackupReplicateReq).replicate, "replicate")
    _not_implemented(replicate, NO_ACCELERATION)
    replicated = call.console.replication.replicate(
        call.path["backup_id"], destination_region=call.required(replicate.destination_region,
                                                                 "replicate.destination_region"),
        destination_vault=call.required(replicate.destination_vault_id, "replicate.destination_vault_id"),
        name=replicate.name, description=replicate.description, destination_project=replicate.destination_project_id)
    return call.answer(v3.CopyBackupResponse(
        replication=replicated.replication))


# --- operation logs (tasks) ------------------------------------------------------------------------------


@serves
def list_op_logs(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"end_time", "enterprise_project_id", "limit", "offset", "operation_type",
                                   "provider_id", "resource_id", "resource_name", "start_time", "status",
                                   "vault_id", "vault_name"})
    narrower = TaskFilter(created_from=_time(call, "start_time"), created_to=_time(call, "end_time"),
                          vault_name=call.text("vault_name"), resource_name=call.text("resource_name"),
                          provider_id=call.text("provider_id"),
                          enterprise_project_id=call.text("enterprise_project_id"))
    listed = call.console.tasks.list(operation_type=call.text("operation_type"), status=call.text("status"),
                                     vault_id=call.text("vault_id"), resource_id=call.text("resource_id"),
                                     limit=call.number("limit", 1000), offset=call.number("offset", 0),
                                     narrower=narrower)
    return call.answer(v3.ListOpLogsResponse(
        operation_logs=[_operation_log(t) for t in listed.operation_logs],
        count=listed.count, limit=listed.limit, offset=listed.offset))


@serves
def show_op_log(call: Call) -> Answer:
    shown = call.console.tasks.show(call.path["operation_log_id"])
    return call.answer(v3.ShowOpLogResponse(operation_log=_operation_log(shown)))


def _operation_log(task: TaskView) -> v3.OperationLog:
    """A task as the SDK's model has it: whether a backup was incremental is text there ("true")."""
    shape = task.model_dump()
    backup = task.extra_info.backup
    if backup is not None and backup.incremental is not None:
        shape["extra_info"]["backup"]["incremental"] = str(backup.incremental).lower()
    return v3.OperationLog.model_validate(shape)


# --- policies --------------------------------------------------------------------------------------------


def _retention(definition: v3.PolicyoODCreate | None) -> Retention | None:
    if definition is None:
        return None
    _not_implemented(definition, NO_ACCELERATION | {"advanced_retention_rules": None})
    return Retention(max_backups=definition.max_backups, retention_duration_days=definition.retention_duration_days,
                     day_backups=definition.day_backups or 0, week_backups=definition.week_backups or 0,
                     month_backups=definition.month_backups or 0, year_backups=definition.year_backups or 0,
                     timezone=definition.timezone,
                     full_backup_interval=definition.full_backup_interval
                     if definition.full_backup_interval is not None else -1)


@serves
def create_policy(call: Call) -> Answer:
    policy = call.required(call.body(v3.PolicyCreateReq).policy, "policy")
    trigger = call.required(policy.trigger, "policy.trigger")
    properties = call.required(trigger.properties, "policy.trigger.properties")
    definition = call.required(policy.operation_definition, "policy.operation_definition")
    _not_implemented(properties, {"start_window_minutes": None})
    retention = _retention(definition)
    assert retention is not None
    spec = PolicySpec(pattern=call.required(properties.pattern, "policy.trigger.properties.pattern"),
                      name=policy.name, enabled=policy.enabled if policy.enabled is not None else True,
                      operation_type=check_choice(PolicyOperationType, policy.operation_type or "", "policy type"),
                      retention=retention, destination_region=definition.destination_region,
                      destination_project=definition.destination_project_id)
    created = call.console.policies.create(spec)
    return call.answer(v3.CreatePolicyResponse(policy=created.policy))


@serves
def list_policies(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"operation_type", "vault_id"})
    listed = call.console.policies.list(operation_type=call.text("operation_type"), vault_id=call.text("vault_id"))
    return call.answer(v3.ListPoliciesResponse(policies=list(listed.policies), count=listed.count))


@serves
def show_policy(call: Call) -> Answer:
    return call.answer(v3.ShowPolicyResponse(policy=call.console.policies.show(call.path["policy_id"])))


@serves
def update_policy(call: Call) -> Answer:
    update = call.required(call.body(v3.PolicyUpdateReq).policy, "policy")
    definition = update.operation_definition
    if definition is not None and (definition.destination_region or definition.destination_project_id):
        raise invalid("A replication policy's destination region is chosen when it is created and stays.")
    properties = update.trigger.properties if update.trigger else None
    if properties is not None:
        _not_implemented(properties, {"start_window_minutes": None})
    updated = call.console.policies.update(call.path["policy_id"], name=update.name, enabled=update.enabled,
                                           pattern=properties.pattern if properties else None,
                                           retention=_retention(update.operation_definition))
    return call.answer(v3.UpdatePolicyResponse(policy=updated.policy))


@serves
def delete_policy(call: Call) -> Answer:
    call.console.policies.delete(call.path["policy_id"])
    return call.answer()


# --- protectables, replication, projects -------------------------------------------------------------------


def _protectable_type(call: Call) -> ObjectType:
    kind = call.path["protectable_type"]
    if kind not in PROTECTABLE_TYPES:
        raise invalid(f"The protectable type is one of {', '.join(PROTECTABLE_TYPES)}, not {kind!r}.")
    return PROTECTABLE_TYPES[kind]


@serves
def list_protectable(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"limit", "marker", "name", "offset", "status", "id", "server_id"})
    for unsupported in ("marker", "server_id"):
        if call.text(unsupported) is not None:
            raise invalid(f"cbr-tui does not filter protectable instances by {unsupported} yet; use offset.")
    instances = call.console.protectables.list(_protectable_type(call), name=call.text("name")).instances
    wanted_id, wanted_status = call.text("id"), call.text("status")
    instances = [i for i in instances if (wanted_id is None or i.id == wanted_id)
                 and (wanted_status is None or i.status == wanted_status)]
    offset, limit = call.number("offset", 0), call.number("limit", 50)
    check_paging(limit, offset)
    return call.answer(v3.ListProtectableResponse(
        instances=[_protectable(i) for i in instances[offset:offset + limit]]))


def _protectable(instance: ProtectableView) -> v3.ProtectablesResp:
    shape = instance.model_dump()
    return v3.ProtectablesResp.model_validate(shape | {
        "children": shape["volumes"] or [], "detail": None,
        "protectable": shape["protectable"] | {"message": instance.protectable.reason}})


@serves
def show_protectable(call: Call) -> Answer:
    instances = call.console.protectables.list(_protectable_type(call)).instances
    found = [i for i in instances if i.id == call.path["instance_id"]]
    if not found:
        raise CbrError(Codes.RESOURCE_NOT_FOUND, f"There is no {call.path['protectable_type']} "
                                                 f"{call.path['instance_id']} in this project.")
    return call.answer(v3.ShowProtectableResponse(instance=_protectable(found[0])))


@serves
def show_replication_capabilities(call: Call) -> Answer:
    regions = [r.id for r in call.console.accounts.regions().regions]
    return call.answer(v3.ShowReplicationCapabilitiesResponse(regions=[
        v3.ProtectableReplicationCapabilitiesRespRegion(name=region,
                                                        replication_destinations=[r for r in regions if r != region])
        for region in regions]))


@serves
def list_features(call: Call) -> Answer:
    """The SDK's response is the bare object of features by key (`ListFeaturesResponse.body`)."""
    _paging_only(call)
    return Answer(call.ok_status, call.console.accounts.features().wire())


@serves
def show_feature(call: Call) -> Answer:
    _paging_only(call)
    feature = call.console.accounts.feature(call.path["feature_key"])
    return Answer(call.ok_status, {feature.key: feature.value})


def _paging_only(call: Call) -> None:
    """`limit` and `offset` are all these operations take: a handful of features fits in any page, so they
    are checked and change nothing."""
    _refuse_unknown_filters(call, {"limit", "offset"})
    check_paging(call.number("limit", 1), call.number("offset", 0))


@serves
def list_projects(call: Call) -> Answer:
    regions = call.console.accounts.regions().regions
    account = call.console.accounts.show().account
    return call.answer(v3.ListProjectsResponse(projects=[
        v3.ProjectsListInfo(id=r.project_id, name=r.id, domain_id=account.id, is_domain=False,
                            parent_id=account.id, description="", enabled=True)
        for r in regions if r.project_id]))


# --- billing, suspension, usage, metadata ----------------------------------------------------------------


@serves
def change_vault_charge_mode(call: Call) -> Answer:
    change = call.body(v3.ChangeToPeriod)
    _not_implemented(change, {"console_url": None, "is_auto_pay": True})
    if change.charging_mode != ChargingMode.PRE_PAID.value:
        raise invalid("A vault changes only from pay-per-use to yearly/monthly: charging_mode is pre_paid.")
    changed = call.console.billing.change_to_yearly_monthly(
        call.required(change.vault_ids, "vault_ids"), call.required(change.period_type, "period_type"),
        call.required(change.period_num, "period_num"), auto_renew=bool(change.is_auto_renew))
    paid = [order.order_id for order in changed.orders]
    return call.answer(v3.ChangeVaultChargeModeResponse(
        orderId=paid[0], retCode=0.0, retMsg=f"{len(paid)} order(s) paid: {', '.join(paid)}"))


@serves
def set_vault_resource(call: Call) -> Answer:
    request = call.body(v3.VaultSetResourceReq)
    if request.action not in ("suspend", "unsuspend"):
        raise invalid(f"action is suspend or unsuspend, not {request.action!r}.")
    done = call.console.associations.set_policy_backups(call.path["vault_id"],
                                                        call.required(request.resource_ids, "resource_ids"),
                                                        suspended=request.action == "suspend")
    return call.answer(v3.SetVaultResourceResponse(set_resource_ids=done.set_resource_ids))


@serves
def show_storage_usage(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"limit", "offset", "resource_id", "resource_type"})
    usage = call.console.backups.storage_usage(resource_id=call.text("resource_id"),
                                               resource_type=call.text("resource_type"),
                                               limit=call.number("limit", 1000), offset=call.number("offset", 0))
    return call.answer(v3.ShowStorageUsageResponse(resource_count=usage.resource_count,
                                                   storage_usage=list(usage.storage_usage)))


@serves
def show_metadata(call: Call) -> Answer:
    metadata = call.console.backups.metadata(call.path["backup_id"])
    return call.answer(v3.ShowMetadataResponse(
        backup_id=metadata.backup_id, server=metadata.server.model_dump_json(),
        volumes=[volume.model_dump_json() for volume in metadata.volumes]))


# --- hybrid cloud: synchronising the data center's backups ------------------------------------------------


@serves
def import_checkpoint(call: Call) -> Answer:
    sync = call.required(call.body(v3.SyncReq).sync, "sync")
    _not_implemented(sync, {"auto_trigger": False})
    started = call.console.hybrid.sync(call.required(sync.vault_id, "sync.vault_id")).sync
    return call.answer(v3.ImportCheckpointResponse(sync=v3.SyncRespBody(
        operation_log_id=started.operation_log_ids[0], vault_id=started.vault_id)))


# --- file-backup clients (agents) -----------------------------------------------------------------------


def _agent(agent: ResourceView) -> v3.Agent:
    return v3.Agent(agent_id=agent.id, agent_version=agent.agent_version, agent_type="file",
                    host_name=agent.host_name, host_nickname=agent.name, host_ip=agent.host_ip,
                    host_os=agent.host_os, status=agent.status, created_at=agent.created_at,
                    paths=[v3.Path(agent_id=agent.id, id=path.id, status=path.status, dir_path=path.dir_path,
                                   exclude_paths=path.exclude_paths) for path in agent.paths or ()])


@serves
def list_agent(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"limit", "offset", "status", "agent_id"})
    wanted = set(call.texts("agent_id"))
    agents = [a for a in call.console.resources.list(ResourceKind.AGENT, status=call.text("status")).resources
              if not wanted or a.id in wanted]
    offset, limit = call.number("offset", 0), call.number("limit", 1000)
    check_paging(limit, offset)
    return call.answer(v3.ListAgentResponse(agents=[_agent(a) for a in agents[offset:offset + limit]],
                                            count=len(agents), limit=limit, offset=offset))


@serves
def show_agent(call: Call) -> Answer:
    return call.answer(v3.ShowAgentResponse(agent=_agent(call.console.resources.show(call.path["agent_id"]))))


@serves
def add_agent_path(call: Call) -> Answer:
    request = call.body(v3.AgentAddPathReq)
    if request.exclude_path:
        raise invalid("cbr-tui does not exclude paths from a client's backups yet; leave exclude_path out.")
    done = call.console.resources.add_agent_paths(call.path["agent_id"], call.required(request.add_path, "add_path"))
    return call.answer(v3.AddAgentPathResponse(added=done.added, existed=done.existed))


@serves
def remove_agent_path(call: Call) -> Answer:
    request = call.body(v3.AgentRemovePathReq)
    done = call.console.resources.remove_agent_paths(call.path["agent_id"],
                                                     call.required(request.remove_path, "remove_path"))
    return call.answer(v3.RemoveAgentPathResponse(removed=done.removed, not_existed=done.not_existed))


@serves
def unregister_agent(call: Call) -> Answer:
    call.console.associations.unregister_client(call.path["agent_id"])
    return call.answer(v3.UnregisterAgentResponse())


@serves
def register_agent(call: Call) -> Answer:
    """What a client's installer calls: the host gets a home directory of its own to back up."""
    agent = call.required(call.body(v3.AgentRegisterReq).agent, "agent")
    _not_implemented(agent, {"agent_type": "file"})
    registered = call.console.resources.register_agent(
        call.required(agent.host_name, "agent.host_name"), host_os=agent.host_os or "CentOS 7.9 64bit",
        host_ip=agent.host_ip or "192.168.0.10", agent_version=agent.agent_version or "2.5.1",
        resource_id=agent.agent_id)
    return call.answer(v3.RegisterAgentResponse(agent=_agent(registered.resource)))


@serves
def update_agent(call: Call) -> Answer:
    """Only `uninstall`, as the reference says: the client stays listed, marked uninstalled."""
    update = call.required(call.body(v3.AgentUpdateReq).agent, "agent")
    if update.status != AgentStatus.UNINSTALL.value:
        raise invalid(f"A client's status changes only to uninstall through the API, not {update.status!r}.")
    if call.console.resources.show(call.path["agent_id"]).kind != ResourceKind.AGENT:
        raise CbrError(Codes.AGENT_NOT_FOUND, f"There is no client {call.path['agent_id']} in this project.")
    changed = call.console.resources.set_status(call.path["agent_id"], AgentStatus.UNINSTALL.value)
    return call.answer(v3.UpdateAgentResponse(agent=_agent(changed.resource)))


@serves
def list_external_vault(call: Call) -> Answer:
    _refuse_unknown_filters(call, {"external_project_id", "region_id", "limit", "offset", "protect_type",
                                   "objcet_type", "cloud_type", "vault_id"})
    if call.text("cloud_type") not in (None, "public"):
        raise invalid("Vaults of another region that take replicas are public-cloud vaults (cloud_type=public).")
    region = call.text("region_id")
    project = call.text("external_project_id")
    if not region or not project:
        raise invalid("Name the region (region_id) and its project (external_project_id).")
    there = call.console.in_region(region)
    if there.ctx.project_id != project:
        raise invalid(f"{project} is not this account's project in {region}.")
    listed = there.vaults.list(protect_type=call.text("protect_type"), object_type=call.text("objcet_type"),
                               search=call.text("vault_id"), limit=call.number("limit", 1000),
                               offset=call.number("offset", 0))
    return call.answer(v3.ListExternalVaultResponse(vaults=list(listed.vaults), count=listed.count, limit=listed.limit,
                                                    offset=listed.offset))

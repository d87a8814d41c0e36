"""Views shared by every subject: the base of the answers without a v3 model, tags, transfer figures."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from cbr_tui.v3 import models as v3

# The v3 models build on first use; those a view extends are built here, so that the view inherits fields
# whose annotations are resolved (the names they use live in the v3 module, not in the views' modules).
for _viewed in (v3.StorageUsage, v3.BackupReplicateRespBody, v3.CheckpointReplicateRespBody,
                v3.CheckpointReplicateRespbackups, v3.Tag, v3.Billing, v3.ResourceExtraInfo, v3.ResourceResp,
                v3.VaultPolicyResp, v3.Vault, v3.BackupExtendInfo, v3.BackupResp, v3.CheckpointResourceResp,
                v3.CheckpointCreateSkippedResource, v3.CheckpointPlanCreate, v3.CheckpointCreate, v3.OperationLog,
                v3.PolicyTriggerResp, v3.Policy, v3.ProtectableAgentStatus):
    _viewed.model_rebuild()


class View(BaseModel):
    """A typed answer of the services that has no v3 model (lists with paging, removals, orders)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class TagView(v3.Tag):
    key: str
    value: str


class Transfer(View):
    """The bytes a running task has done and has to do, with the rate and time left they imply."""

    bytes_done: int
    bytes_total: int
    rate: int | None
    eta_seconds: float | None
    task_id: str | None = None


class NamedRef(View):
    id: str
    name: str


class Refusal(View):
    """A refusal as the API words it."""

    error_code: str
    error_msg: str

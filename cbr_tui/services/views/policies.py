"""Backup and replication policies."""

from __future__ import annotations

from cbr_tui.services.views.base import View
from cbr_tui.v3 import models as v3


class PolicyTriggerView(v3.PolicyTriggerResp):
    id: str
    name: str
    type: str
    properties: v3.PolicyTriggerPropertiesResp


class PolicyView(v3.Policy):
    id: str
    name: str
    enabled: bool
    operation_type: str
    policy_type: str
    trigger: PolicyTriggerView
    operation_definition: v3.PolicyoODCreate  # the retention rule (and a replication policy's destination)
    associated_vaults: list[v3.PolicyAssociateVault]
    # beyond the SDK's Policy
    next_run: str | None

    @property
    def pattern(self) -> list[str]:
        """The schedule's rules (RFC 5545 RRULE text), as the trigger holds them."""
        return self.trigger.properties.pattern or []


class PolicyAnswer(View):
    policy: PolicyView


class PolicyList(View):
    policies: list[PolicyView]
    count: int


class PolicyRemoval(View):
    policy_id: str


class PolicyApplied(View):
    associate_policy: v3.VaultPolicyResp


class PolicyDissociated(View):
    dissociate_policy: v3.VaultPolicyResp

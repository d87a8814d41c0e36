"""Backup and replication policies: create, modify, delete, apply to a vault and remove from it.

The scheduler (`services.scheduler`) fires them; here every rule about what a policy may contain and where
it may be applied is enforced.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, func, select

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.enums import ObjectType, PolicyOperationType, ProtectType
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.names import default_policy_name
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.policy_rules import Retention, check_trigger, checked_retention, next_run
from cbr_tui.domain.rules import check_choice, check_name
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views import (
    PolicyAnswer,
    PolicyApplied,
    PolicyDissociated,
    PolicyList,
    PolicyRemoval,
    PolicyTriggerView,
    PolicyView,
)
from cbr_tui.store.models import Policy, Project, Region, Vault, VaultPolicy
from cbr_tui.v3 import models as v3

POLICIES_PER_TYPE = 32


@dataclass(frozen=True)
class PolicySpec:
    """A policy as the Create Policy form gives it."""

    pattern: Sequence[str]
    name: str | None = None
    operation_type: PolicyOperationType = PolicyOperationType.BACKUP
    enabled: bool = True
    retention: Retention = field(default_factory=Retention)
    destination_region: str | None = None
    destination_project: str | None = None  # the API may name it: it must be the region's


def insert_policy(session: Session, ctx: ServiceContext, spec: PolicySpec) -> Policy:
    """Validate a new policy and add it (inside the caller's transaction)."""
    name = check_name(spec.name or default_policy_name(ctx.ids), "policy")
    operation = check_choice(PolicyOperationType, spec.operation_type, "policy type")
    patterns = check_trigger(list(spec.pattern))
    definition = checked_retention(spec.retention).to_api()
    if operation is PolicyOperationType.REPLICATION:
        region = _destination_region(session, ctx, spec.destination_region)
        definition["destination_region"] = region
        definition["destination_project_id"] = _project_in(session, ctx, region)
        if spec.destination_project not in (None, definition["destination_project_id"]):
            raise invalid(f"The destination project {spec.destination_project} is not this account's project in "
                          f"{region} ({definition['destination_project_id']}).")
    elif spec.destination_region:
        raise invalid("Only a replication policy has a destination region.")
    projects = select(Project.id).where(Project.account_id == ctx.account_id)
    existing = session.exec(select(func.count()).where(
        col(Policy.project_id).in_(projects), Policy.operation_type == operation.value)).one()
    if existing >= POLICIES_PER_TYPE:
        raise CbrError(Codes.POLICY_QUOTA,
                       f"An account can have at most {POLICIES_PER_TYPE} {operation.value} policies; delete one first.")
    now = ctx.clock.now()
    policy = Policy(id=ctx.ids.uuid(), project_id=ctx.project_id, name=name, operation_type=operation.value,
                    enabled=spec.enabled, pattern=patterns, operation_definition=definition, created_at=now,
                    updated_at=now)
    session.add(policy)
    return policy


def ensure_policy_applicable(vault: Vault, policy: Policy) -> None:
    """Backup policies go to backup vaults of resources; replication policies to server backup vaults."""
    vtype = vault_type(vault.object_type)
    if policy.operation_type == PolicyOperationType.BACKUP:
        if not vtype.offers_policy:
            raise CbrError(Codes.HYBRID_VAULT_NO_POLICY,
                           f"{vault.name} is a hybrid cloud backup vault; backup policies cannot be applied to it.")
        if vault.protect_type == ProtectType.REPLICATION:
            raise CbrError(Codes.POLICY_NOT_APPLICABLE,
                           f"{vault.name} is a replication vault; it takes replication targets, not backup policies.")
        return
    if vault.object_type != ObjectType.SERVER or vault.protect_type != ProtectType.BACKUP:
        raise CbrError(Codes.POLICY_NOT_APPLICABLE,
                       f"Replication policies apply only to server backup vaults; {vault.name} is a "
                       f"{vtype.vault_label}{' (replication)' if vault.protect_type == 'replication' else ''}.")


def link_policy(session: Session, ctx: ServiceContext, vault: Vault, policy: Policy,
                destination_vault_id: str | None = None) -> None:
    """Apply a policy to a vault, replacing the vault's policy of the same type if it had one. Its runs
    count from now: applying a policy does not fire the runs it would have had before."""
    ensure_policy_applicable(vault, policy)
    current = session.get(VaultPolicy, (vault.id, policy.operation_type))
    if current is None:
        current = VaultPolicy(vault_id=vault.id, operation_type=policy.operation_type, policy_id=policy.id)
    if current.policy_id != policy.id or current.scheduled_through is None:
        current.scheduled_through = ctx.clock.now()
    current.policy_id = policy.id
    current.destination_vault_id = destination_vault_id
    current.destination_region = policy.operation_definition.get("destination_region")
    session.add(current)


def policy_view(policy: Policy, links: Sequence[VaultPolicy], ctx: ServiceContext) -> PolicyView:
    upcoming = next_run(policy.pattern, ctx.clock.now(), anchor=policy.created_at) if policy.enabled else None
    trigger = PolicyTriggerView(id=policy.id, name="default", type="time", properties=v3.PolicyTriggerPropertiesResp(
        pattern=list(policy.pattern), start_time=api_time(policy.created_at)))
    return PolicyView(
        id=policy.id, name=policy.name, enabled=policy.enabled, operation_type=policy.operation_type,
        policy_type="custom_policy", trigger=trigger,
        operation_definition=v3.PolicyoODCreate.model_validate(policy.operation_definition),
        associated_vaults=[v3.PolicyAssociateVault(vault_id=link.vault_id,
                                                   destination_vault_id=link.destination_vault_id) for link in links],
        next_run=api_time(upcoming))


def _destination_region(session: Session, ctx: ServiceContext, region_id: str | None) -> str:
    if not region_id:
        raise invalid("A replication policy needs a destination region.")
    if region_id == ctx.region_id:
        raise invalid("The destination region of a replication policy must differ from the current region.")
    if session.get(Region, region_id) is None or region_id == ON_PREMISES.id:
        raise invalid(f"There is no region {region_id!r}.")
    return region_id


def _project_in(session: Session, ctx: ServiceContext, region_id: str) -> str:
    project = session.exec(select(Project).where(Project.account_id == ctx.account_id,
                                                 Project.region_id == region_id)).one()
    return project.id


class PolicyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def default_name(self) -> str:
        """The name the Create Policy form proposes (`policy_xxxx`)."""
        return default_policy_name(self.ctx.ids)

    def create(self, spec: PolicySpec) -> PolicyAnswer:
        with self.ctx.store.write() as session:
            lookups.permit(session, self.ctx, Action.POLICY_CREATE)
            policy = insert_policy(session, self.ctx, spec)
            return PolicyAnswer(policy=policy_view(policy, [], self.ctx))

    def list(self, *, operation_type: str | None = None, vault_id: str | None = None) -> PolicyList:
        query = select(Policy).where(Policy.project_id == self.ctx.project_id)
        if operation_type:
            operation = check_choice(PolicyOperationType, operation_type, "policy type")
            query = query.where(Policy.operation_type == operation.value)
        if vault_id:
            query = query.where(col(Policy.id).in_(select(VaultPolicy.policy_id)
                                                   .where(VaultPolicy.vault_id == vault_id)))
        with self.ctx.store.read() as session:
            policies = session.exec(query.order_by(col(Policy.created_at), col(Policy.name))).all()
            links = self._links(session, [p.id for p in policies])
            viewed = [policy_view(p, links.get(p.id, []), self.ctx) for p in policies]
            return PolicyList(policies=viewed, count=len(viewed))

    def show(self, ref: str) -> PolicyView:
        with self.ctx.store.read() as session:
            policy = lookups.policy(session, self.ctx, ref)
            return policy_view(policy, self._links(session, [policy.id]).get(policy.id, []), self.ctx)

    def update(self, ref: str, *, name: str | None = None, enabled: bool | None = None,
               pattern: Sequence[str] | None = None, retention: Retention | None = None) -> PolicyAnswer:
        """Modify a policy; its type and destination region stay as created."""
        with self.ctx.store.write() as session:
            policy = lookups.policy(session, self.ctx, ref)
            self._permit_where_applied(session, policy, Action.POLICY_UPDATE)
            if name is not None:
                policy.name = check_name(name, "policy")
            new_pattern = check_trigger(list(pattern)) if pattern is not None else policy.pattern
            restart = bool(enabled and not policy.enabled) or new_pattern != policy.pattern
            if enabled is not None:
                policy.enabled = enabled
            policy.pattern = new_pattern
            if restart:  # a policy switched back on, or given new times, fires from now on, not for the past
                for link in session.exec(select(VaultPolicy).where(VaultPolicy.policy_id == policy.id)):
                    link.scheduled_through = self.ctx.clock.now()
                    session.add(link)
            if retention is not None:
                kept = {k: v for k, v in policy.operation_definition.items() if k.startswith("destination_")}
                policy.operation_definition = checked_retention(retention).to_api() | kept
            policy.updated_at = self.ctx.clock.now()
            session.add(policy)
            policy_id = policy.id
        return PolicyAnswer(policy=self.show(policy_id))

    def delete(self, ref: str) -> PolicyRemoval:
        """Delete a policy; it is removed from its vaults and the backups it made are kept."""
        with self.ctx.store.write() as session:
            policy = lookups.policy(session, self.ctx, ref)
            self._permit_where_applied(session, policy, Action.POLICY_DELETE)
            session.exec(delete(VaultPolicy).where(col(VaultPolicy.policy_id) == policy.id))
            session.delete(policy)
            return PolicyRemoval(policy_id=policy.id)

    def apply(self, vault_ref: str, policy_ref: str, destination_vault: str | None = None) -> PolicyApplied:
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_ASSOCIATE_POLICY)
            policy = lookups.policy(session, self.ctx, policy_ref)
            ensure_policy_applicable(vault, policy)
            destination_id = None
            if policy.operation_type == PolicyOperationType.REPLICATION:
                destination_id = self._destination_vault(session, policy, destination_vault)
            elif destination_vault:
                raise invalid("A destination vault is given only with a replication policy.")
            link_policy(session, self.ctx, vault, policy, destination_id)
            return PolicyApplied(associate_policy=v3.VaultPolicyResp(
                vault_id=vault.id, policy_id=policy.id, destination_vault_id=destination_id))

    def remove(self, vault_ref: str, policy_ref: str) -> PolicyDissociated:
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_DISSOCIATE_POLICY)
            policy = lookups.policy(session, self.ctx, policy_ref)
            link = session.get(VaultPolicy, (vault.id, policy.operation_type))
            if link is None or link.policy_id != policy.id:
                raise CbrError(Codes.POLICY_NOT_APPLIED, f"The policy {policy.name} is not applied to {vault.name}.")
            session.delete(link)
            return PolicyDissociated(dissociate_policy=v3.VaultPolicyResp(vault_id=vault.id, policy_id=policy.id))

    def _permit_where_applied(self, session: Session, policy: Policy, action: Action) -> None:
        """Changing a policy changes every vault it is applied to (their runs, their retention): the
        caller needs the permission in each of those vaults' enterprise projects."""
        projects = session.exec(select(Vault.enterprise_project_id).join(
            VaultPolicy, col(VaultPolicy.vault_id) == Vault.id).where(VaultPolicy.policy_id == policy.id)
            .distinct()).all()
        scopes: list[str | None] = list(projects) or [None]
        for project in scopes:
            lookups.permit(session, self.ctx, action, project)

    def _destination_vault(self, session: Session, policy: Policy, ref: str | None) -> str:
        if not ref:
            raise invalid("Applying a replication policy needs a destination vault in the destination region.")
        project_id = policy.operation_definition.get("destination_project_id")
        destination = session.exec(select(Vault).where(Vault.project_id == project_id,
                                                       (Vault.id == ref) | (Vault.name == ref))).first()
        if destination is None or not self.ctx.principal.sees(destination.enterprise_project_id):
            raise CbrError(Codes.DESTINATION_VAULT_NOT_FOUND,
                           f"There is no vault {ref} in {policy.operation_definition.get('destination_region')}.")
        lookups.permit(session, self.ctx, Action.VAULT_ASSOCIATE_POLICY, destination.enterprise_project_id)
        if destination.protect_type != ProtectType.REPLICATION or destination.object_type != ObjectType.SERVER:
            raise CbrError(Codes.DESTINATION_NOT_REPLICATION,
                           f"The destination {destination.name} must be a server replication vault.")
        return destination.id

    def _links(self, session: Session, policy_ids: Sequence[str]) -> dict[str, builtins.list[VaultPolicy]]:
        """Each policy's vaults, as far as the caller sees them (a policy spans enterprise projects)."""
        links: dict[str, list[VaultPolicy]] = {}
        if policy_ids:
            query = select(VaultPolicy).join(Vault, col(Vault.id) == VaultPolicy.vault_id).where(
                col(VaultPolicy.policy_id).in_(policy_ids), *lookups.visible_clause(Vault, self.ctx))
            for link in session.exec(query).all():
                links.setdefault(link.policy_id, []).append(link)
        return links

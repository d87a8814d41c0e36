"""Resources a vault could protect, each with whether it can be associated now and, if not, why.

This is the resource list of the purchase wizard and the Associate dialog: ineligible resources are shown
disabled with the reason, and the reason is the error associating them would give.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select

from cbr_tui.domain.consistency import agent_is_old
from cbr_tui.domain.eligibility import resource_status_refusal
from cbr_tui.domain.enums import ObjectType, ProtectType, ResourceKind
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.vault_types import RESOURCE_TYPE_OF_KIND, vault_type
from cbr_tui.services import lookups
from cbr_tui.services.associations import refuse_resources_for
from cbr_tui.services.capacity import disks_by_parent
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.resources import not_desktop_disk
from cbr_tui.services.shapes import resource_views
from cbr_tui.services.views import (
    AgentCheck,
    AgentStatusView,
    OwnerRef,
    Protectability,
    ProtectableList,
    ProtectableView,
    Refusal,
)
from cbr_tui.store.models import AvailabilityZone, Resource, Vault, VaultResource


class ProtectableService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, object_type: ObjectType | str, *, vault: str | None = None,
             name: str | None = None) -> ProtectableList:
        vtype = vault_type(object_type)
        kind = vtype.resource_kind
        if kind is None:
            return ProtectableList(instances=[], count=0, vault_refusal=None)
        with self.ctx.store.read() as session:
            target = lookups.vault(session, self.ctx, vault) if vault else None
            closed_reason = self._closed_reason(session, target)
            query = select(Resource).where(Resource.project_id == self.ctx.project_id, Resource.kind == kind.value,
                                           not_desktop_disk())
            if name:
                query = query.where(col(Resource.name).contains(name))
            rows = session.exec(query.order_by(Resource.name, Resource.id)).all()
            ids = [r.id for r in rows]
            disks = disks_by_parent(session, ids)
            # A vault of an enterprise project the caller does not see is named as such, not by its name.
            owners = {
                rid: (vid, vname) if self.ctx.principal.sees(project) else ("", "of an enterprise project "
                                                                                "not granted to you")
                for rid, vid, vname, project in session.exec(
                    select(VaultResource.resource_id, Vault.id, Vault.name, Vault.enterprise_project_id)
                    .join(Vault, col(Vault.id) == VaultResource.vault_id)
                    .where(col(VaultResource.resource_id).in_(ids))
                ).all()
            }
            views = resource_views(session, rows)
            instances = []
            for res, view in zip(rows, views, strict=True):
                refusal = closed_reason or self._refusal(res, disks.get(res.id, []), owners.get(res.id), target)
                owner = owners.get(res.id)
                protectable = Protectability(result=refusal is None, code=refusal.code if refusal else None,
                                             reason=refusal.message if refusal else None,
                                             vault=OwnerRef(id=owner[0] or None, name=owner[1]) if owner else None)
                instances.append(ProtectableView(**dict(view), type=RESOURCE_TYPE_OF_KIND[kind].value,
                                                 protectable=protectable))
            return ProtectableList(instances=instances, count=len(instances),
                                   vault_refusal=Refusal(**closed_reason.to_api()) if closed_reason else None)

    def check_agents(self, resource_ids: Sequence[str]) -> AgentCheck:
        """CheckAgent: whether each server has the CBR Agent (and whether it is an old one)."""
        if not resource_ids:
            raise invalid("Name at least one server to check.")
        statuses = []
        with self.ctx.store.read() as session:
            for resource_id in resource_ids:
                try:
                    server = lookups.resource(session, self.ctx, resource_id, ResourceKind.SERVER)
                except CbrError as error:
                    statuses.append(AgentStatusView(resource_id=resource_id, installed=False, is_old=False,
                                                    version=None, code=int(error.code.rsplit(".", 1)[1]),
                                                    message=f"{error.code}: {error.message}"))
                    continue
                version = server.agent_version
                statuses.append(AgentStatusView(resource_id=server.id, installed=version is not None,
                                                is_old=version is not None and agent_is_old(version),
                                                version=version, code=0, message=""))
        return AgentCheck(agent_status=statuses)

    def _closed_reason(self, session: Any, target: Vault | None) -> CbrError | None:
        if target is None:
            return None
        refusal = refuse_resources_for(vault_type(target.object_type), ProtectType(target.protect_type))
        if refusal:
            return refusal
        zone = session.get(AvailabilityZone, target.availability_zone) if target.availability_zone else None
        if zone is not None and not zone.accepts_new_associations:
            return CbrError(Codes.VAULT_CANNOT_ADD_RESOURCES,
                            f"The vault {target.name} is in {zone.name} ({zone.id}), which takes no new resources.")
        return None

    def _refusal(self, res: Resource, disks: builtins.list[Resource], owner: tuple[str, str] | None,
                 target: Vault | None) -> CbrError | None:
        kind = ResourceKind(res.kind)
        if owner is not None:
            where = "this vault" if target is not None and owner[0] == target.id else f"the vault {owner[1]}"
            return CbrError(Codes.RESOURCE_IN_OTHER_VAULT, f"{res.name} is already associated with {where}.")
        refusal = resource_status_refusal(kind, res.name, res.status, "associated")
        if refusal:
            return refusal
        if kind in (ResourceKind.SERVER, ResourceKind.DESKTOP) and not disks:
            return CbrError(Codes.SERVER_WITHOUT_DISKS, f"{res.name} has no disks attached.")
        return None

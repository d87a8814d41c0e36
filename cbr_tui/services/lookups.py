"""Finding rows by ID (or unique name) inside the caller's project, with CBR's not-found errors."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.enums import ResourceKind
from cbr_tui.domain.errors import CbrError, Codes, ErrorSpec, invalid
from cbr_tui.domain.labels import RESOURCE_NOUN
from cbr_tui.domain.permissions import DEFAULT_ENTERPRISE_PROJECT, Action
from cbr_tui.services.context import ServiceContext
from cbr_tui.store.models import (
    Account,
    Backup,
    Checkpoint,
    EnterpriseProject,
    Policy,
    Project,
    Region,
    Resource,
    Task,
    Vault,
    VaultResource,
)

T = TypeVar("T")

_NOT_FOUND: dict[ResourceKind, ErrorSpec] = {
    ResourceKind.SERVER: Codes.SERVER_NOT_FOUND,
    ResourceKind.DISK: Codes.DISK_NOT_FOUND,
    ResourceKind.AGENT: Codes.AGENT_NOT_FOUND,
}


def _find(session: Session, model: type[T], ref: str, project_id: str, noun: str,
          accept: Callable[[T], bool] = lambda _row: True, *named_only: Any) -> T | None:
    """The row whose ID is `ref`, else the one row named `ref` (among those `named_only` allows), in the
    project; None when there is none."""
    row = session.get(model, ref)
    if row is not None and getattr(row, "project_id") == project_id and accept(row):
        return row
    named = select(model).where(getattr(model, "project_id") == project_id, getattr(model, "name") == ref,
                                *named_only)
    rows = [r for r in session.exec(named).all() if accept(r)]
    if len(rows) > 1:
        raise invalid(f"Several {noun}s are named {ref!r}; give the ID instead.")
    return rows[0] if rows else None


def _require(session: Session, model: type[T], ref: str, project_id: str, noun: str, spec: ErrorSpec,
             accept: Callable[[T], bool] = lambda _row: True, *named_only: Any) -> T:
    found = _find(session, model, ref, project_id, noun, accept, *named_only)
    if found is None:
        raise CbrError(spec, f"The {noun} {ref} does not exist in this region.")
    return found


def vault(session: Session, ctx: ServiceContext, ref: str, *, for_update: bool = False,
          action: Action | None = None) -> Vault:
    """A vault of this region that the caller can see, refused unless they may take `action` on it;
    `for_update` locks its row (PostgreSQL) and reloads it, so that concurrent changes to one vault happen
    one after the other. A vault of an enterprise project the caller cannot see does not exist for them."""
    found = _require(session, Vault, ref, ctx.project_id, "vault", Codes.VAULT_NOT_FOUND,
                     lambda row: ctx.principal.sees(row.enterprise_project_id))
    if action is not None:
        permit(session, ctx, action, found.enterprise_project_id)
    return _locked(session, found) if for_update else found


def permit(session: Session, ctx: ServiceContext, action: Action, enterprise_project_id: str | None = None) -> None:
    """Refuse (BackupService.8600) unless the caller may take `action` in that enterprise project."""
    if ctx.principal.may(action, enterprise_project_id):
        return
    where = None
    if enterprise_project_id is not None:
        project = session.get(EnterpriseProject, enterprise_project_id)
        where = "default" if enterprise_project_id == DEFAULT_ENTERPRISE_PROJECT else \
            project.name if project is not None else enterprise_project_id
    ctx.principal.require(action, enterprise_project_id, where=where)


def visible_clause(model: Any, ctx: ServiceContext) -> list[Any]:
    """The condition that keeps a list to the enterprise projects the caller sees (none for administrators)."""
    projects = ctx.principal.visible_enterprise_projects()
    return [] if projects is None else [col(model.enterprise_project_id).in_(sorted(projects))]


def _locked(session: Session, row: T) -> T:
    model = type(row)
    fresh = session.get(model, getattr(row, "id"), with_for_update=True, populate_existing=True)
    assert fresh is not None
    return fresh


def resource(session: Session, ctx: ServiceContext, ref: str, kind: ResourceKind | None = None, *,
             for_update: bool = False) -> Resource:
    """A simulated resource of this region (of one kind, if given), optionally locked like `vault`."""
    noun = RESOURCE_NOUN[kind] if kind else "resource"
    spec = _NOT_FOUND.get(kind, Codes.RESOURCE_NOT_FOUND) if kind else Codes.RESOURCE_NOT_FOUND
    found = _find(session, Resource, ref, ctx.project_id, noun, lambda r: kind is None or r.kind == kind)
    if found is not None:
        return _locked(session, found) if for_update else found
    elsewhere = session.get(Resource, ref)
    if elsewhere is not None and elsewhere.project_id != ctx.project_id:
        region = region_of_project(session, elsewhere.project_id)
        raise CbrError(
            spec,
            f"The {noun} {elsewhere.name} is in {region.name} ({region.id}); this region "
            f"({ctx.region_id}) can use only its own resources.",
        )
    raise CbrError(spec, f"The {noun} {ref} does not exist in this region.")


def backup(session: Session, ctx: ServiceContext, ref: str, *, action: Action | None = None) -> Backup:
    """A backup of this region the caller can see (as `vault`), refused unless they may take `action` on it."""
    found = _require(session, Backup, ref, ctx.project_id, "backup", Codes.BACKUP_NOT_FOUND,
                     lambda row: ctx.principal.sees(row.enterprise_project_id),
                     col(Backup.parent_id).is_(None))  # a disk's backup shares its server backup's name
    if action is not None:
        permit(session, ctx, action, found.enterprise_project_id)
    return found


def checkpoint(session: Session, ctx: ServiceContext, ref: str) -> tuple[Checkpoint, Vault]:
    """A restore point of this region, with its vault, provided the caller sees that vault."""
    found = session.get(Checkpoint, ref)
    vault = session.get(Vault, found.vault_id) if found is not None else None
    if found is None or vault is None or found.project_id != ctx.project_id \
            or not ctx.principal.sees(vault.enterprise_project_id):
        raise CbrError(Codes.CHECKPOINT_NOT_FOUND, f"The restore point {ref} does not exist in this region.")
    return found, vault


def policy(session: Session, ctx: ServiceContext, ref: str) -> Policy:
    return _require(session, Policy, ref, ctx.project_id, "policy", Codes.POLICY_NOT_FOUND)


def task(session: Session, ctx: ServiceContext, ref: str) -> Task:
    """A task of this region; to someone who sees only some enterprise projects, only the tasks of those
    projects' vaults (as the Tasks page lists them)."""
    row = session.get(Task, ref)
    vault = session.get(Vault, row.vault_id) if row is not None and row.vault_id else None
    hidden = ctx.principal.visible_enterprise_projects() is not None and (
        vault is None or not ctx.principal.sees(vault.enterprise_project_id))
    if row is None or row.project_id != ctx.project_id or hidden:
        raise CbrError(Codes.TASK_NOT_FOUND, f"The task {ref} does not exist in this region.")
    return row


def enterprise_project(session: Session, ctx: ServiceContext, ref: str) -> EnterpriseProject:
    """An enterprise project of the account, by ID or name; every account has `default` (ID 0), though only
    the first account's is a row (its ID is one key for the whole table)."""
    if ref in (DEFAULT_ENTERPRISE_PROJECT, "default"):
        found = session.get(EnterpriseProject, DEFAULT_ENTERPRISE_PROJECT)
        if found is not None and found.account_id == ctx.account_id:
            return found
        return EnterpriseProject(id=DEFAULT_ENTERPRISE_PROJECT, account_id=ctx.account_id, name="default",
                                 created_at=ctx.clock.now())
    query = select(EnterpriseProject).where(
        EnterpriseProject.account_id == ctx.account_id,
        (EnterpriseProject.id == ref) | (EnterpriseProject.name == ref),
    )
    found = session.exec(query).first()
    if found is None:
        raise invalid(f"The enterprise project {ref!r} does not exist; the default one is 'default'.")
    return found


def region_of_project(session: Session, project_id: str) -> Region:
    project = session.get(Project, project_id)
    assert project is not None
    region = session.get(Region, project.region_id)
    assert region is not None
    return region


def membership(session: Session, resource_id: str) -> VaultResource | None:
    return session.exec(select(VaultResource).where(VaultResource.resource_id == resource_id)).first()


def count(session: Session, query: Any) -> int:
    """How many rows a list query matches. Counted in place of its columns (not over a subquery of whole
    rows), so that an index holding the filtered columns answers it without reading the rows."""
    return int(session.exec(query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)).one())


def account_projects(account_id: str) -> Any:
    """The IDs of an account's projects in the cloud's regions (not its on-premises data center), as a
    subquery: what the account's bill covers."""
    return select(Project.id).where(Project.account_id == account_id, Project.region_id != ON_PREMISES.id)


def owner_context(session: Session, ctx: ServiceContext, project_id: str) -> ServiceContext:
    """`ctx` acting in the account and region of `project_id` (the scheduler and billing work across accounts)."""
    project = session.get(Project, project_id)
    assert project is not None
    account = session.get(Account, project.account_id)
    assert account is not None
    return replace(ctx, account_id=account.id, user_id=account.user_id, region_id=project.region_id,
                   project_id=project.id)

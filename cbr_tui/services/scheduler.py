"""The policy scheduler: backup policies fire at their run times, automatic association takes in new
resources, replication policies copy new backups to their destination region, and retention deletes what
a policy no longer keeps.

Every cbr-tui process may tick it. A run is claimed by moving the vault policy's `scheduled_through` from
the value the tick read to now in one conditional UPDATE, so when two processes see the same run due only
one fires it, on SQLite or PostgreSQL alike, and there is no lease to wait out when a process dies. Runs
missed while no process was running are owed once and fired at the next tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import case, update
from sqlmodel import Session, col, func, select

from cbr_tui.domain.clock import api_time, as_utc
from cbr_tui.domain.enums import (
    BackupStatus,
    ImageType,
    OperationType,
    PolicyOperationType,
    ProtectType,
    TaskStatus,
)
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.names import default_auto_backup_name
from cbr_tui.domain.policy_rules import Retention, latest_due, next_run
from cbr_tui.domain.retention import (
    Candidate,
    deletion_opens,
    in_deletion_window,
    next_deletion_window,
    to_delete,
)
from cbr_tui.domain.rules import AUTO_BIND_MIN_FREE_GB, Tag
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services import lookups
from cbr_tui.services.associations import (
    ResourceSelection,
    add_members,
    plan_association,
    refuse_resources_for,
    vault_slot,
)
from cbr_tui.services.backups import RUNNING, BackupRequest, BackupService
from cbr_tui.services.billing import BillingCycle
from cbr_tui.services.capacity import allocated_gb
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.removal import remove_backups, retry_store_removals
from cbr_tui.services.replication import replicated_to, start_replication
from cbr_tui.services.tag_search import TagCondition, carrying_any
from cbr_tui.services.tasks import record_task
from cbr_tui.services.views.clock import PolicyRun, ReplicaRefusal, SchedulerPass
from cbr_tui.store.models import (
    Backup,
    Image,
    Policy,
    Resource,
    ResourceTag,
    Vault,
    VaultPolicy,
    VaultResource,
)

_BACKUP = PolicyOperationType.BACKUP.value
_REPLICATION = PolicyOperationType.REPLICATION.value
_SETTLED = (BackupStatus.AVAILABLE.value, BackupStatus.ERROR.value)


@dataclass(frozen=True)
class _Due:
    vault_id: str
    operation: str  # backup or replication
    policy_id: str
    project_id: str
    seen: datetime  # scheduled_through as read, the claim's condition
    run_at: datetime
    destination_vault_id: str | None = None


class PolicyScheduler:
    """One pass (`tick`) over every account's backup policies; `Console.scheduler()` repeats it."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._pruned: dict[str, tuple[int, datetime | None, int]] = {}

    def tick(self) -> SchedulerPass:
        """Apply billing (expiry, renewal, charges, freezing), fire the runs that are due in the order of their
        scheduled times, apply retention, then empty the stores of deleted vaults that did not answer before;
        what was done, for the log and the CLI."""
        now = self.ctx.clock.now()
        billing = BillingCycle(self.ctx).tick(now)
        fired = [self._fire(due, now) for due in self._due(now) if self._claim(due, now)]
        return SchedulerPass(at=api_time(now), fired=fired, deleted=self._apply_retention(now),
                             billing=billing if billing.done() else None,
                             stores_emptied=retry_store_removals(self.ctx))

    def next_due(self, after: datetime) -> datetime | None:
        """The next moment after `after` when a policy runs, billing changes something, or a deletion window
        opens for an expired backup: where the demo clock stops when it jumps ahead."""
        moments = [BillingCycle(self.ctx).next_due(after)]
        with self.ctx.store.read() as session:
            rows = session.exec(
                select(VaultPolicy.scheduled_through, Policy.pattern, Policy.created_at)
                .join(Policy, col(Policy.id) == VaultPolicy.policy_id)
                .where(Policy.enabled == True)).all()  # noqa: E712
            for scheduled_through, pattern, created_at in rows:
                start = max(as_utc(scheduled_through), after) if scheduled_through else after
                moments.append(next_run(pattern, start, anchor=as_utc(created_at)))
            expiring = session.exec(select(func.min(Backup.expired_at)).where(
                col(Backup.parent_id).is_(None), col(Backup.status).in_(_SETTLED))).one()
        if expiring is not None:
            opens = max(deletion_opens(as_utc(expiring)), after)
            moments.append(opens if in_deletion_window(opens) and opens > after else next_deletion_window(opens))
        later = [m for m in moments if m is not None and m > after]
        return min(later) if later else None

    # --- firing ----------------------------------------------------------------------------------------

    def _due(self, now: datetime) -> list[_Due]:
        with self.ctx.store.read() as session:
            rows = session.exec(
                select(VaultPolicy, Policy, Vault.project_id)
                .join(Policy, col(Policy.id) == VaultPolicy.policy_id)
                .join(Vault, col(Vault.id) == VaultPolicy.vault_id)
                .where(Policy.enabled == True)  # noqa: E712
                .order_by(VaultPolicy.vault_id, VaultPolicy.operation_type)).all()
        due: list[_Due] = []
        unstamped = False
        for link, policy, project_id in rows:
            if link.scheduled_through is None:  # never looked at (a database from before the scheduler)
                unstamped = True
                continue
            run_at = latest_due(policy.pattern, as_utc(link.scheduled_through), now, anchor=as_utc(policy.created_at))
            if run_at is not None:
                due.append(_Due(link.vault_id, link.operation_type, policy.id, project_id, link.scheduled_through,
                                run_at, link.destination_vault_id))
        due.sort(key=lambda d: (d.run_at, d.vault_id, d.operation))  # the earliest scheduled backup goes first
        if unstamped:  # their runs start now, all in one statement
            with self.ctx.store.write() as session:
                session.exec(update(VaultPolicy).where(
                    col(VaultPolicy.scheduled_through).is_(None)).values(scheduled_through=now))
        return due

    def _claim(self, due: _Due, now: datetime) -> bool:
        """Move the link's `scheduled_through` to now if nobody did since it was read."""
        with self.ctx.store.write() as session:
            result = session.exec(
                update(VaultPolicy)
                .where(col(VaultPolicy.vault_id) == due.vault_id, col(VaultPolicy.operation_type) == due.operation,
                       col(VaultPolicy.policy_id) == due.policy_id, col(VaultPolicy.scheduled_through) == due.seen)
                .values(scheduled_through=now))
            return bool(result.rowcount == 1)

    def _fire(self, due: _Due, now: datetime) -> PolicyRun:
        """Associate what automatic association finds, then back the vault up (or replicate what it has not
        replicated yet); a run that cannot start is a failed task on the Tasks page, as on the console."""
        ctx = self._context_of(due.project_id)
        run = PolicyRun(vault_id=due.vault_id, policy_id=due.policy_id, operation=due.operation,
                        run_at=api_time(due.run_at))
        try:
            if due.operation == _REPLICATION:
                run.replicas, run.refused = self._replicate(ctx, due)
                return run
            with ctx.store.write() as session:
                vault = session.get(Vault, due.vault_id, with_for_update=True, populate_existing=True)
                policy = session.get(Policy, due.policy_id)
                if vault is None or policy is None:
                    run.gone = "the vault or its policy was deleted meanwhile"
                    return run
                associated = _auto_associate(session, ctx, vault)
                retention = Retention.from_api(policy.operation_definition)
                request = BackupRequest(
                    default_auto_backup_name(ctx.ids), policy_id=policy.id,
                    retention_days=retention.retention_duration_days, full_every=retention.full_backup_interval)
                checkpoint = BackupService(ctx).start(session, vault, request).checkpoint
                run.associated, run.checkpoint_id = associated, checkpoint.id
                run.backups = [b.id for b in checkpoint.backups]
                run.skipped_resources = list(checkpoint.vault.skipped_resources)
                return run
        except CbrError as error:
            run.associated = None  # rolled back with the backup that could not start
            operation = OperationType.REPLICATION if due.operation == _REPLICATION else OperationType.BACKUP
            with ctx.store.write() as session:
                vault = session.get(Vault, due.vault_id)
                task = record_task(session, ctx, operation, TaskStatus.FAILED, vault=vault,
                                   policy_id=due.policy_id, provider_id=vault_type(vault.object_type).provider_id
                                   if vault else None)
                task.error_code, task.error_message = error.code, error.message
                session.add(task)
            run.error_code, run.error_msg = error.code, error.message
            return run

    def _replicate(self, ctx: ServiceContext, due: _Due) -> tuple[list[str], list[ReplicaRefusal]]:
        """A replication policy's run: every Available server backup of the vault not yet replicated to the
        destination's region is replicated (an automatic replica, pruned by this policy's retention)."""
        started: list[str] = []
        refused: list[ReplicaRefusal] = []
        with ctx.store.write() as session:
            destination = session.get(Vault, due.destination_vault_id) if due.destination_vault_id else None
            if destination is None:
                raise CbrError(Codes.DESTINATION_VAULT_NOT_FOUND,
                               "The destination vault of the replication policy no longer exists; apply the policy "
                               "again with another one.")
            backups = session.exec(select(Backup).where(
                Backup.vault_id == due.vault_id, col(Backup.parent_id).is_(None),
                Backup.status == BackupStatus.AVAILABLE.value, Backup.image_type == ImageType.BACKUP.value,
                col(Backup.id).not_in(replicated_to(destination.project_id)))
                .order_by(col(Backup.created_at))).all()
            for backup in backups:
                try:  # the rules are checked before anything is written, so a refusal leaves nothing behind
                    replica, _task = start_replication(session, ctx, backup, destination, backup.name,
                                                       policy_id=due.policy_id)
                    started.append(replica.id)
                except CbrError as error:
                    refused.append(ReplicaRefusal(backup_id=backup.id, code=error.code, reason=error.message))
        return started, refused

    def _context_of(self, project_id: str) -> ServiceContext:
        with self.ctx.store.read() as session:
            return lookups.owner_context(session, self.ctx, project_id)

    # --- retention -------------------------------------------------------------------------------------

    def _apply_retention(self, now: datetime) -> list[str]:
        """Delete what expired, and what a vault's policy no longer keeps. A vault with a policy is looked
        at again only when its backups changed since the last look; one without, only when one of its
        backups has expired."""
        with self.ctx.store.read() as session:
            with_policy = select(VaultPolicy.vault_id).where(VaultPolicy.operation_type == _BACKUP)
            replica_vaults = select(VaultPolicy.destination_vault_id).where(
                VaultPolicy.operation_type == _REPLICATION)
            settled = func.sum(case((col(Backup.status).in_(_SETTLED), 1), else_=0))
            signatures = {vault_id: (count, updated, done) for vault_id, count, updated, done in session.exec(
                select(Backup.vault_id, func.count(), func.max(Backup.updated_at), settled)
                .where(col(Backup.parent_id).is_(None),
                       col(Backup.vault_id).in_(with_policy) | col(Backup.vault_id).in_(replica_vaults))
                .group_by(Backup.vault_id)).all()}
            # expired backups are deleted in the day's window, from the day after they expired
            today = datetime.combine(as_utc(now).date(), time(), UTC)
            expired = set(session.exec(select(Backup.vault_id).where(
                col(Backup.parent_id).is_(None), col(Backup.expired_at) < today,
                col(Backup.status).in_(_SETTLED))).all()) if in_deletion_window(now) else set()
        changed = {v for v, signature in signatures.items() if self._pruned.get(v) != signature} | expired
        deleted: list[str] = []
        for vault_id in sorted(changed):
            with self.ctx.store.read() as session:
                found = bool(self._doomed(session, vault_id, now))
            if found:  # decided again under the vault's lock, in case something changed meanwhile
                deleted += self._prune(vault_id, now)
            self._pruned[vault_id] = signatures.get(vault_id, (0, None, 0))
        return deleted

    def _doomed(self, session: Session, vault_id: str, now: datetime) -> list[Backup]:
        """The vault's top-level backups that retention deletes now."""
        backups = list(session.exec(select(Backup).where(Backup.vault_id == vault_id,
                                                         col(Backup.parent_id).is_(None))).all())
        with_image = set(session.exec(select(Image.backup_id).where(
            col(Image.backup_id).in_([b.id for b in backups]))).all())
        busy = frozenset(b.resource_id for b in backups if b.status in RUNNING)
        candidates = [Candidate(b.id, b.resource_id, as_utc(b.created_at), b.status == BackupStatus.AVAILABLE,
                                b.status == BackupStatus.ERROR, b.auto_trigger,
                                as_utc(b.expired_at) if b.expired_at else None, b.id in with_image)
                      for b in backups if b.status in _SETTLED]
        doomed = set(to_delete(candidates, self._retention(session, vault_id), now, busy_resources=busy))
        return [b for b in backups if b.id in doomed]

    def _prune(self, vault_id: str, now: datetime) -> list[str]:
        with self.ctx.store.write() as session:
            vault = session.get(Vault, vault_id, with_for_update=True, populate_existing=True)
            if vault is None:
                return []
            gone = self._doomed(session, vault_id, now)
            if not gone:
                return []
            ctx = self._context_of(vault.project_id)
            remove_backups(session, ctx, vault, gone)
            for backup in gone:
                record_task(session, ctx, OperationType.DELETE, TaskStatus.SUCCESS, vault=vault,
                            resource=(backup.resource_id, backup.resource_name, backup.resource_type),
                            backup=(backup.id, backup.name), provider_id=backup.provider_id,
                            policy_id=backup.policy_id, extra={"retention": True})
            return [b.id for b in gone]

    def _retention(self, session: Session, vault_id: str) -> Retention | None:
        """The vault's backup policy's rule; for a replication vault, that of the replication policy whose
        replicas it receives."""
        link = session.get(VaultPolicy, (vault_id, _BACKUP)) or session.exec(select(VaultPolicy).where(
            VaultPolicy.operation_type == _REPLICATION, VaultPolicy.destination_vault_id == vault_id)).first()
        policy = session.get(Policy, link.policy_id) if link else None
        return Retention.from_api(policy.operation_definition) if policy else None


def _auto_associate(session: Session, ctx: ServiceContext, vault: Vault) -> list[str]:
    """Resources of the vault's kind that no vault protects (and that carry one of the vault's filter
    tags, if it has any), while the vault keeps more than 40 GB and more than the resource free."""
    vtype = vault_type(vault.object_type)
    kind = vtype.resource_kind
    if not vault.auto_bind or kind is None or refuse_resources_for(vtype, ProtectType(vault.protect_type)):
        return []
    query = (select(Resource).where(Resource.project_id == vault.project_id,
                                    Resource.kind == kind.value,
                                    col(Resource.id).not_in(select(VaultResource.resource_id)))
             .order_by(col(Resource.created_at), col(Resource.name)))
    if vault.bind_rules:
        rules = [TagCondition.of(Tag(t["key"], t.get("value", ""))) for t in vault.bind_rules]
        query = query.where(col(Resource.id).in_(carrying_any(ResourceTag, rules)))
    added: list[str] = []
    for resource in session.exec(query).all():
        try:
            planned = plan_association(session, ctx, vault_slot(session, vault), [ResourceSelection(resource.id)])
        except CbrError:
            continue  # not eligible now (state, zone, size): the next run looks again
        remaining = vault.size_gb - allocated_gb(session, vault.id)
        if remaining <= max(AUTO_BIND_MIN_FREE_GB, planned[0].size_gb):
            continue
        add_members(session, ctx, vault.id, planned)
        session.flush()
        added.append(resource.id)
    return added

"""The demo clock: cloud time, how it stands to real time, and what the scheduler did at each of its stops."""

from __future__ import annotations

from cbr_tui.services.views.backups import SkippedResource
from cbr_tui.services.views.base import View
from cbr_tui.services.views.billing import BillingTick


class ClockView(View):
    """Cloud time and real time, the rate between them (0: standing still while a jump runs) and how far apart
    they are; `fixed`: a test's own clock, which the demo clock's commands do not move."""

    now: str
    real_now: str
    rate: int
    simulated: bool
    offset: str
    offset_seconds: int
    fixed: bool


class ClockAnswer(View):
    clock: ClockView


class ReplicaRefusal(View):
    backup_id: str
    code: str
    reason: str


class PolicyRun(View):
    """One policy run the scheduler fired: what it associated and started, or why it could not start."""

    vault_id: str
    policy_id: str
    operation: str  # backup | replication
    run_at: str | None  # the scheduled time it stands for (a late pass fires the latest one once)
    associated: list[str] | None = None  # resources automatic association added first
    checkpoint_id: str | None = None
    backups: list[str] | None = None
    skipped_resources: list[SkippedResource] | None = None
    replicas: list[str] | None = None
    refused: list[ReplicaRefusal] | None = None
    gone: str | None = None  # the vault or its policy was deleted meanwhile
    error_code: str | None = None
    error_msg: str | None = None


class SchedulerPass(View):
    """One pass of the scheduler: billing first, then the policy runs due, then retention's deletions."""

    at: str
    fired: list[PolicyRun]
    deleted: list[str]  # backup IDs
    billing: BillingTick | None = None  # only when billing did something
    # deleted vaults whose objects a store removed at this pass, having not answered at their deletion
    stores_emptied: list[str] = []

    @property
    def eventful(self) -> bool:
        return bool(self.fired or self.deleted or self.billing or self.stores_emptied)

    def merged(self, later: SchedulerPass) -> SchedulerPass:
        """This pass and a later one at the same cloud time, as one."""
        billing = [tick for tick in (self.billing, later.billing) if tick is not None]
        return SchedulerPass(at=self.at, fired=[*self.fired, *later.fired], deleted=[*self.deleted, *later.deleted],
                             billing=billing[0].merged(billing[1]) if len(billing) == 2 else
                             billing[0] if billing else None,
                             stores_emptied=[*self.stores_emptied, *later.stores_emptied])


class ClockJump(View):
    """Where a jump of the demo clock stopped and what happened there; `stopped_short` when it gave up
    before its end (too many stops)."""

    clock: ClockView
    stops: list[SchedulerPass]
    stopped_short: str | None = None

"""`Console`: every console operation for one account and region, the one door the CLI and the UI use."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from time import monotonic  # waiting for tasks is real time, whatever the demo clock says
from typing import TYPE_CHECKING

from sqlmodel import select

from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.ids import IdSource, RandomIds
from cbr_tui.domain.permissions import Principal
from cbr_tui.domain.rules import check_name
from cbr_tui.engine.locks import AdvisoryLocks, FileLocks, VaultLocks
from cbr_tui.engine.placement import Placement
from cbr_tui.services import bootstrap
from cbr_tui.services.access_keys import AccessKeyService
from cbr_tui.services.accounts import AccountService
from cbr_tui.services.associations import AssociationService
from cbr_tui.services.authentication import AuthenticationService
from cbr_tui.services.backups import BackupService
from cbr_tui.services.billing import BillingService
from cbr_tui.services.cloud_time import ClockService, SharedClock
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.errorlog import record_unexpected
from cbr_tui.services.hybrid import HybridService
from cbr_tui.services.iam import IamService
from cbr_tui.services.maintenance import MaintenanceService
from cbr_tui.services.migration import MigrationService
from cbr_tui.services.notices import NoticeService
from cbr_tui.services.policies import PolicyService
from cbr_tui.services.protectables import ProtectableService
from cbr_tui.services.recovery import RecoveryService
from cbr_tui.services.replication import ReplicationService
from cbr_tui.services.resources import ResourceService
from cbr_tui.services.restores import RestoreService
from cbr_tui.services.settings import Settings
from cbr_tui.services.tasks import TaskService, unsettled_tasks
from cbr_tui.services.vaults import VaultService
from cbr_tui.services.views.accounts import AccountRegistered
from cbr_tui.services.views.clock import ClockJump, SchedulerPass
from cbr_tui.store import Store, open_store
from cbr_tui.store.demo import DEMO_ACCOUNT
from cbr_tui.store.models import Account

if TYPE_CHECKING:
    from cbr_tui.jobs.periodic import Periodic
    from cbr_tui.jobs.runner import Runner

log = logging.getLogger(__name__)

SCHEDULER_INTERVAL = 5.0  # seconds between ticks: runs are minutes apart, retention is not urgent
FAST_SCHEDULER_INTERVAL = 0.5  # while the demo clock runs faster than real time
SETTLE_SECONDS = 600.0  # how long a jump of the demo clock waits for the backups it started


WORKERS_MAX = 64
LEASE_SECONDS = (0.5, 3600.0)


def check_runner_options(options: dict[str, object]) -> None:
    """A worker's settings as typed on its command line: 1 to 64 workers, a lease of 0.5 s to an hour."""
    workers = options.get("workers")
    if isinstance(workers, int) and not 1 <= workers <= WORKERS_MAX:
        raise invalid(f"A worker runs 1 to {WORKERS_MAX} tasks at once; {workers} is not.")
    lease = options.get("lease")
    least, most = LEASE_SECONDS
    if isinstance(lease, timedelta) and not least <= lease.total_seconds() <= most:
        raise invalid(f"A task's lease is {least} to {most:.0f} seconds; {lease.total_seconds():g} is not.")


class Console:
    def __init__(self, ctx: ServiceContext, settings: Settings) -> None:
        self.ctx = ctx
        self.settings = settings
        self.accounts = AccountService(ctx)
        self.resources = ResourceService(ctx)
        self.protectables = ProtectableService(ctx)
        self.vaults = VaultService(ctx)
        self.associations = AssociationService(ctx)
        self.migration = MigrationService(ctx)
        self.notices = NoticeService(ctx)
        self.policies = PolicyService(ctx)
        self.backups = BackupService(ctx)
        self.tasks = TaskService(ctx)
        self.restores = RestoreService(ctx)
        self.replication = ReplicationService(ctx)
        self.maintenance = MaintenanceService(ctx)
        self.recovery = RecoveryService(ctx)
        self.iam = IamService(ctx)
        self.authentication = AuthenticationService(ctx)
        self.billing = BillingService(ctx)
        self.clock = ClockService(ctx)
        self.hybrid = HybridService(ctx)
        self.access_keys = AccessKeyService(ctx)

    @property
    def region_id(self) -> str:
        return self.ctx.region_id

    @property
    def principal(self) -> Principal:
        return self.ctx.principal

    def as_principal(self, principal: Principal) -> Console:
        """The same console acting for someone else (after a login): every service refuses what they may not."""
        return Console(self.ctx.as_principal(principal), self.settings)

    def of_account(self, name: str) -> Console:
        """Another account of this installation, as its administrator (to check its users' logins); the same
        console when it names this one. Refused as a wrong login when there is no such account."""
        with self.ctx.store.read() as session:
            if session.get(Account, self.ctx.account_id).name == name:  # type: ignore[union-attr]
                return self
            known = bootstrap.account_exists(session, name)
        if not known:
            raise CbrError(Codes.AUTHENTICATION_FAILED, "The username or password is incorrect.")
        return open_console(replace(self.settings, account=name), clock=self.ctx.clock, store=self.ctx.store,
                            seed_demo=False)

    def in_region(self, region_id: str) -> Console:
        """The same account seen from another region (the region picker)."""
        with self.ctx.store.read() as session:
            project = bootstrap.project_of(session, self.ctx.account_id, region_id)
        if project is None or region_id == ON_PREMISES.id:
            raise invalid(f"There is no region {region_id!r}; `cbr-tui region list` shows them.")
        return Console(self.ctx.for_project(region_id, project.id), replace(self.settings, region=region_id))

    def runner(self, **options: object) -> Runner:
        """A task runner on this console's store (the console's own, or `cbr-tui worker`)."""
        from cbr_tui.jobs.runner import Runner  # the runner (and, once it claims a task, the engine) loads here

        check_runner_options(options)
        bandwidth = self.settings.bandwidth_mbps
        return Runner(self.ctx.store, self.ctx.clock, self.ctx.ids, self.ctx.layout.home,
                      bandwidth=bandwidth * 1_000_000 if bandwidth else None, placement=self.ctx.placement,
                      **options)  # type: ignore[arg-type]

    def scheduler(self, interval: float = SCHEDULER_INTERVAL) -> Periodic:
        """The policy scheduler, ticking every `interval` seconds once started (in the console's process,
        and in `cbr-tui worker`). Any number of processes may run one on the same store."""
        from cbr_tui.jobs.periodic import Periodic
        from cbr_tui.services.scheduler import PolicyScheduler

        clock = self.ctx.clock

        def pace() -> float:  # a fast demo clock is looked at more often, so runs fire near their time
            setting = clock.setting() if isinstance(clock, SharedClock) else None
            return FAST_SCHEDULER_INTERVAL if setting and setting.rate > 1 else interval

        return Periodic(PolicyScheduler(self.ctx.as_administrator()).tick, pace, "cbr-scheduler")

    def run_due_policies(self) -> SchedulerPass:
        """One pass of the scheduler here and now: fire what is due, apply retention."""
        from cbr_tui.services.scheduler import PolicyScheduler

        return PolicyScheduler(self.ctx.as_administrator()).tick()

    def advance_clock(self, delta: timedelta) -> ClockJump:
        """Jump the installation's cloud time ahead (`ClockService.advance`), running here the backups that
        fall due on the way (or waiting for another process's runner to finish them)."""
        from cbr_tui.services.scheduler import PolicyScheduler

        scheduler = PolicyScheduler(self.ctx.as_administrator())
        runner = self.runner()
        return self.clock.advance(delta, tick=scheduler.tick, next_due=scheduler.next_due,
                                  run_tasks=lambda: self._settle_tasks(runner))

    def _settle_tasks(self, runner: Runner) -> int:
        ran = 0
        deadline = monotonic() + SETTLE_SECONDS
        while True:
            ran += runner.run_until_idle()
            if not unsettled_tasks(self.ctx.store):
                return ran
            if monotonic() > deadline:
                raise CbrError(Codes.UNKNOWN, f"Tasks were still running after {SETTLE_SECONDS:.0f} s; the clock "
                                              "stopped here. Look at the Tasks page, then move it on again.")
            time.sleep(0.1)

    def run_tasks(self, task_ids: set[str] | None = None) -> int:
        """Run waiting tasks here and now (all of them, or these) until none is left; returns how many ran."""
        return self.runner().run_until_idle(task_ids)

    def seed_demo(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Build what is missing of the demo inventory (nothing once it is complete); `should_stop` is asked
        between resources, and what it leaves out is built at the next start."""
        bootstrap.seed_demo(self.ctx.as_administrator(), self.settings.demo_scale, should_stop)

    def background(self, *, run_tasks: bool = True) -> Background:
        """The work the console does beside its screens (see `Background`), not started yet."""
        return Background(self, run_tasks=run_tasks)

    def close(self) -> None:
        self.ctx.store.close()


class Background:
    """What the console runs beside its screens: the rest of the demo inventory on a first start, then the
    task runner and the policy scheduler. The console starts it once its first screen is drawn, so that none
    of it stands between starting cbr-tui and seeing the console; it all runs on one thread of its own until
    the runner and the scheduler take over with theirs."""

    def __init__(self, console: Console, *, run_tasks: bool = True) -> None:
        self.console = console
        self.run_tasks = run_tasks
        self.runner: Runner | None = None
        self.scheduler: Periodic | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and not self._stopping.is_set():
            self._thread = threading.Thread(target=self._run, name="cbr-background", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self.console.seed_demo(self._stopping.is_set)
        except Exception as error:  # the console keeps running; the next start builds what is missing
            log.exception("the demo inventory could not be completed")
            record_unexpected(error, self.console.settings.home)
        if self.run_tasks and not self._stopping.is_set():
            self.runner = self.console.runner()
            self.runner.start()
            self.scheduler = self.console.scheduler()
            self.scheduler.start()

    def wait_started(self, timeout: float | None = None) -> bool:
        """Wait until the demo inventory is complete and the runner and scheduler run (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is not None and not self._thread.is_alive()

    def stop(self) -> None:
        """Stop after the resource being built (the rest is built at the next start), then the scheduler,
        then the runner (whose running jobs hand their tasks back, see `Runner.stop`)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.runner is not None:
            self.runner.stop()


def private_home(home: Path) -> None:
    """The data directory holds every backed-up byte: only its owner may enter it (0700). A directory an
    earlier cbr-tui made with the default umask is tightened; any other existing directory is left as it is
    (CBR_TUI_HOME may name a place the user shares on purpose)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = home.stat()
    if info.st_mode & 0o077 and info.st_uid == os.getuid() and (home / "cbr.db").exists():
        home.chmod(0o700)


def register_account(settings: Settings, name: str, *, clock: Clock | None = None) -> AccountRegistered:
    """Register another account in this installation (seed: *Registering with Huawei Cloud*): its project in
    every region, enterprise projects, admin group and starting balance, then a simulated cloud of its own."""
    name = check_name(name, "account")
    private_home(settings.home)
    store = open_store(settings.database_url)
    clock = clock or SharedClock(store)
    try:
        with store.write() as session:
            if session.exec(select(Account).where(Account.name == name)).first() is not None:
                raise invalid(f"The account name {name!r} is already registered here.")
            bootstrap.ensure_catalogue(session)
            bootstrap.ensure_account(session, clock.now(), name)
    finally:
        store.close()
    console = open_console(replace(settings, account=name), clock=clock)
    try:
        return AccountRegistered(registered=console.accounts.show().account)
    finally:
        console.close()


def vault_locks(store: Store, settings: Settings) -> VaultLocks:
    """The bucket vaults' locks: the database's when it is PostgreSQL (every process, on any machine, shares
    it), else files in the shared directory."""
    if settings.object_zones and not store.is_sqlite:
        return AdvisoryLocks(store.engine)
    return FileLocks(settings.cloud_home / "locks")


def open_console(settings: Settings | None = None, *, clock: Clock | None = None, ids: IdSource | None = None,
                 store: Store | None = None, seed_demo: bool = True) -> Console:
    """Open the store (migrating it), make sure the account and catalogue exist, and build the demo once
    (unless `seed_demo` is False: the console builds it in the background after its first screen)."""
    settings = settings or Settings.from_env()
    private_home(settings.home)
    store = store or open_store(settings.database_url)
    clock = clock or SharedClock(store)
    name = settings.account or DEMO_ACCOUNT
    with store.read() as session:
        ready = bootstrap.is_set_up(session, name)
        known = name == DEMO_ACCOUNT or bootstrap.account_exists(session, name)
    if not known:
        raise invalid(f"There is no account {name!r} here; register it with `cbr-tui account register {name}`.")
    if not ready:
        with store.write() as session:
            bootstrap.ensure_catalogue(session)
            bootstrap.ensure_account(session, clock.now(), name)
    with store.read() as session:
        account = bootstrap.account_named(session, name)
        account_id, user_id, user_name = account.id, account.user_id, account.user_name
        project = bootstrap.project_of(session, account_id, settings.region)
        if project is None or settings.region == ON_PREMISES.id:
            raise invalid(f"There is no region {settings.region!r}; `cbr-tui region list` shows them.")
        project_id = project.id
    ctx = ServiceContext(store=store, clock=clock, ids=ids or RandomIds(), layout=CloudLayout(settings.cloud_home),
                         account_id=account_id, user_id=user_id, region_id=settings.region, project_id=project_id,
                         principal=Principal.account_administrator(account_id, user_id, user_name),
                         confined=settings.confined,
                         stores=Placement(settings.home, settings.object_zones, locks=vault_locks(store, settings)))
    if seed_demo:
        bootstrap.seed_demo(ctx, settings.demo_scale)
    return Console(ctx, settings)

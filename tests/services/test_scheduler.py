"""The policy scheduler: runs fire once at their time, missed runs once, retention deletes what the policy
no longer keeps, automatic association takes in new resources, and a run that cannot start is a failed task."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import BackupStatus, PolicyOperationType, ProtectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.policy_rules import check_retention, day_based_patterns
from cbr_tui.services.console import Console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.scheduler import PolicyScheduler
from cbr_tui.services.views.clock import SchedulerPass
from cbr_tui.store.models import Backup, Task
from tests.services.helpers import buy, finish_backups, refused, set_vault

DAILY_2200 = day_based_patterns(1, ["22:00"])
TONIGHT = datetime(2026, 11, 25, 22, 0, tzinfo=UTC)  # the fixture clock starts at 10:00 that day


def vault_with_policy(console: Console, *, resources: tuple[str, ...] = ("ecs-web-01",), size_gb: int = 500,
                      **retention: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    vault = buy(console, size_gb=size_gb, resources=resources, name="vault-auto")
    policy = console.policies.create(PolicySpec(pattern=retention.pop("pattern", DAILY_2200), name="nightly",
                                                retention=check_retention(**retention))).policy
    console.policies.apply(vault.id, policy.id)
    return vault, policy


def backups_of(console: Console, vault_id: str) -> list[Backup]:
    with console.ctx.store.read() as session:
        return list(session.exec(select(Backup).where(Backup.vault_id == vault_id, col(Backup.parent_id).is_(None))
                                 .order_by(Backup.created_at)).all())


def tasks(console: Console, operation: str) -> list[Task]:
    with console.ctx.store.read() as session:
        return list(session.exec(select(Task).where(Task.operation_type == operation).order_by(Task.created_at)))


def test_a_run_fires_once_at_its_time_and_its_backups_are_automatic(console: Console, clock: FixedClock) -> None:
    vault, policy = vault_with_policy(console)
    assert console.run_due_policies().fired == []
    clock.set(TONIGHT - timedelta(seconds=1))
    assert console.run_due_policies().fired == []
    clock.set(TONIGHT + timedelta(seconds=3))
    fired = console.run_due_policies().fired
    assert [(f.vault_id, f.run_at) for f in fired] == [(vault.id, "2026-11-25T22:00:00.000000")]
    assert len(fired[0].backups) == 1 and fired[0].skipped_resources == []
    clock.advance(timedelta(seconds=5))
    assert console.run_due_policies().fired == []  # the same run is not fired twice
    console.run_tasks()
    [backup] = backups_of(console, vault.id)
    assert backup.status == BackupStatus.AVAILABLE
    assert backup.auto_trigger and backup.policy_id == policy.id and backup.name.startswith("autobk_")
    [task] = tasks(console, "backup")
    assert task.status == "success" and task.policy_id == policy.id
    assert console.policies.show("nightly").next_run == "2026-11-26T22:00:00.000000"


def test_runs_missed_while_nothing_ran_are_fired_once(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console)
    clock.set(TONIGHT + timedelta(days=3, hours=1))
    assert len(console.run_due_policies().fired) == 1
    assert len(backups_of(console, vault.id)) == 1


def test_a_run_claimed_by_another_process_meanwhile_is_not_fired_again(console: Console, clock: FixedClock) -> None:
    vault_with_policy(console)
    clock.set(TONIGHT + timedelta(seconds=1))
    here, there = PolicyScheduler(console.ctx), PolicyScheduler(console.ctx)
    claim = here._claim
    others: list[SchedulerPass] = []

    def claim_after_the_other_process(*args: Any) -> bool:
        others.append(there.tick())  # the other process fires between this one's look and its claim
        return claim(*args)

    here._claim = claim_after_the_other_process  # type: ignore[method-assign]
    assert here.tick().fired == []
    assert len(others[0].fired) == 1
    assert len(tasks(console, "backup")) == 1


def test_disabled_policies_do_not_fire_nor_owe_their_runs_once_enabled(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console)
    console.policies.update("nightly", enabled=False)
    clock.set(TONIGHT + timedelta(minutes=1))
    assert console.run_due_policies().fired == []
    console.policies.update("nightly", enabled=True)
    assert console.run_due_policies().fired == []  # tonight's run passed while it was off
    clock.set(TONIGHT + timedelta(days=1, minutes=1))
    assert len(console.run_due_policies().fired) == 1
    assert len(backups_of(console, vault.id)) == 1


def test_quantity_retention_deletes_the_oldest_automatic_backups_only(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, max_backups=2)
    manual = console.backups.perform(vault.id, name="keep-me").checkpoint
    finish_backups(console)
    for day in range(4):
        clock.set(TONIGHT + timedelta(days=day, seconds=1))
        console.run_due_policies()
        finish_backups(console)
    console.run_due_policies()  # each tick prunes what the backups finished since the last one allow
    left = backups_of(console, vault.id)
    assert [b.name.split("_")[0] for b in left] == ["keep-me", "autobk", "autobk"]
    assert left[0].checkpoint_id == manual.id
    assert [b.created_at.day for b in left[1:]] == [27, 28]  # of the runs on the 25th to the 28th
    deletions = tasks(console, "delete")
    assert len(deletions) == 2 and all(t.extra.get("retention") for t in deletions)


def test_expired_backups_go_even_after_the_policy_is_removed(console: Console, clock: FixedClock) -> None:
    vault, policy = vault_with_policy(console, retention_duration_days=1)
    clock.set(TONIGHT + timedelta(seconds=1))
    console.run_due_policies()
    finish_backups(console)
    console.policies.remove(vault.id, policy.id)
    console.backups.perform(vault.id, name="manual-day", retention_days=2)
    finish_backups(console)
    clock.advance(timedelta(days=1, seconds=1))  # 22:00 on the 26th: expired, but outside the batch window
    assert console.run_due_policies().deleted == []
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))  # the window of the next day
    assert len(console.run_due_policies().deleted) == 1
    assert [b.name for b in backups_of(console, vault.id)] == ["manual-day"]
    clock.set(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
    console.run_due_policies()
    assert backups_of(console, vault.id) == []


def test_a_policys_full_backup_interval_forces_a_full_backup(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, full_backup_interval=2)
    for day in range(5):
        clock.set(TONIGHT + timedelta(days=day, seconds=1))
        console.run_due_policies()
        console.run_tasks()  # the engine: the first backup is full, as there is nothing to build on
    assert [b.incremental for b in backups_of(console, vault.id)] == [False, True, True, False, True]
    assert [b.read_reason for b in backups_of(console, vault.id)][3].endswith("full backup requested")


def test_automatic_association_takes_in_tagged_unprotected_servers(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, size_gb=1000)
    console.vaults.enable_auto_bind(vault.id, [("app", "web")])
    console.resources.create_server("ecs-web-03", tags={"app": "web"})
    console.resources.create_server("ecs-other", tags={"app": "other"})
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    names = {b.resource_name for b in backups_of(console, vault.id)}
    # ecs-web-02 carries app=web too and was not yet protected; ecs-web-01 was associated at purchase
    assert names == {"ecs-web-01", "ecs-web-02", "ecs-web-03"}
    assert len(fired.associated) == 2


def test_a_bind_rule_with_no_value_takes_the_key_with_any_value(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, size_gb=1000)
    console.vaults.enable_auto_bind(vault.id, [("backup", "")])
    console.resources.create_server("ecs-gold", tags={"backup": "gold"})
    console.resources.create_server("ecs-untagged", tags={"team": "x"})
    clock.set(TONIGHT + timedelta(seconds=1))
    console.run_due_policies()
    assert {b.resource_name for b in backups_of(console, vault.id)} == {"ecs-web-01", "ecs-gold"}


def test_a_resource_whose_policy_backups_are_suspended_is_skipped_by_the_policy_only(
        console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, resources=("ecs-web-01", "ecs-web-02"), size_gb=1000)
    assert console.associations.set_policy_backups(vault.id, ["ecs-web-02"], suspended=True).set_resource_ids == \
        [console.resources.show("ecs-web-02").id]
    shown = {r.name: r.auto_protect for r in console.vaults.show(vault.id).resources}
    assert shown == {"ecs-web-01": True, "ecs-web-02": False}
    clock.set(TONIGHT + timedelta(seconds=1))
    console.run_due_policies()
    assert {b.resource_name for b in backups_of(console, vault.id)} == {"ecs-web-01"}
    by_hand = console.backups.perform(vault.id, resources=["ecs-web-02"]).checkpoint
    assert [b.resource_name for b in by_hand.backups] == ["ecs-web-02"]
    console.associations.set_policy_backups(vault.id, ["ecs-web-01", "ecs-web-02"], suspended=True)
    clock.set(TONIGHT + timedelta(days=1, seconds=1))
    fired = console.run_due_policies()
    failed = [t for t in tasks(console, "backup") if t.status == "failed"]
    assert failed and "are suspended" in (failed[-1].error_message or ""), fired
    console.associations.set_policy_backups(vault.id, ["ecs-web-02"], suspended=False)
    refused(Codes.RESOURCE_NOT_IN_VAULT, lambda: console.associations.set_policy_backups(
        vault.id, ["ecs-db-01"], suspended=True))


def test_runs_due_in_one_pass_go_in_the_order_of_their_times_so_the_earliest_vault_gets_the_resource(
        console: Console, clock: FixedClock) -> None:
    late = buy(console, size_gb=1000, resources=("ecs-web-01",), name="vault-late", auto_bind=True)
    early = buy(console, size_gb=1000, resources=("ecs-db-01",), name="vault-early", auto_bind=True)
    for vault, time in ((late, "23:00"), (early, "22:00")):  # the first vault bought runs later
        policy = console.policies.create(PolicySpec(pattern=day_based_patterns(1, [time]),
                                                    name=f"at-{time[:2]}")).policy
        console.policies.apply(vault.id, policy.id)
    server = console.resources.create_server("ecs-new").resource
    clock.set(TONIGHT + timedelta(hours=1, minutes=30))  # both runs fall due in this one pass
    fired = console.run_due_policies().fired
    assert [f.vault_id for f in fired] == [early.id, late.id]
    assert server.id in fired[0].associated and server.id not in fired[1].associated


def test_automatic_association_keeps_more_than_40_gb_free(console: Console, clock: FixedClock) -> None:
    vault, _policy = vault_with_policy(console, size_gb=400, resources=("ecs-web-01",))  # 140 GB associated
    console.vaults.enable_auto_bind(vault.id, [("app", "web")])
    console.resources.create_server("ecs-web-big", tags={"app": "web"}, system_disk_gb=230)
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    # 260 GB remain: ecs-web-02 (140 GB) fits; then 120 GB remain, not more than ecs-web-big's 230 GB
    assert [r for r in fired.associated] == [console.resources.show("ecs-web-02").id]


def test_a_run_that_cannot_start_is_a_failed_task(console: Console, clock: FixedClock) -> None:
    vault, policy = vault_with_policy(console)
    set_vault(console, vault.id, used_bytes=500 << 30)
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    assert fired.error_code == Codes.VAULT_FULL.code and fired.backups is None
    [task] = tasks(console, "backup")
    assert (task.status, task.error_code, task.policy_id) == ("failed", Codes.VAULT_FULL.code, policy.id)
    assert "expand it" in (task.error_message or "")


def test_a_replication_policy_copies_new_backups_and_prunes_their_replicas(console: Console,
                                                                          clock: FixedClock) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    there = console.in_region("cn-east-3")
    buy(there, size_gb=500, protect_type=ProtectType.REPLICATION, name="vault-dr")
    policy = console.policies.create(PolicySpec(
        pattern=DAILY_2200, name="to-shanghai", operation_type=PolicyOperationType.REPLICATION,
        destination_region="cn-east-3", retention=check_retention(max_backups=1))).policy
    console.policies.apply(vault.id, policy.id, destination_vault="vault-dr")
    console.backups.perform(vault.id, name="first")
    console.run_tasks()
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    assert fired.operation == "replication" and len(fired.replicas) == 1
    console.run_tasks()
    [replica] = there.backups.list().backups
    assert (replica.name, replica.status, replica.image_type) == ("first", "available", "replication")
    console.backups.perform(vault.id, name="second")
    console.run_tasks()
    clock.set(TONIGHT + timedelta(days=1, seconds=1))
    [fired] = console.run_due_policies().fired
    assert len(fired.replicas) == 1  # only the backup not replicated yet
    console.run_tasks()
    console.run_due_policies()  # retention of the replicas: the newest one is kept
    assert [b.name for b in there.backups.list().backups] == ["second"]


def test_a_replication_run_without_its_destination_is_a_failed_task(console: Console, clock: FixedClock) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    there = console.in_region("cn-east-3")
    buy(there, size_gb=500, protect_type=ProtectType.REPLICATION, name="vault-dr")
    policy = console.policies.create(PolicySpec(pattern=DAILY_2200, name="to-shanghai",
                                                operation_type=PolicyOperationType.REPLICATION,
                                                destination_region="cn-east-3")).policy
    console.policies.apply(vault.id, policy.id, destination_vault="vault-dr")
    there.vaults.delete("vault-dr")
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    assert fired.error_code == Codes.DESTINATION_VAULT_NOT_FOUND.code
    [task] = tasks(console, "replication")
    assert (task.status, task.error_code, task.policy_id) == ("failed", Codes.DESTINATION_VAULT_NOT_FOUND.code,
                                                              policy.id)


def test_a_replication_run_redoes_a_replica_that_failed(console: Console, clock: FixedClock) -> None:
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    buy(console.in_region("cn-east-3"), size_gb=500, protect_type=ProtectType.REPLICATION, name="vault-dr")
    policy = console.policies.create(PolicySpec(pattern=DAILY_2200, name="to-shanghai",
                                                operation_type=PolicyOperationType.REPLICATION,
                                                destination_region="cn-east-3")).policy
    console.policies.apply(vault.id, policy.id, destination_vault="vault-dr")
    backup = console.backups.perform(vault.id, name="first").checkpoint.backups[0]
    console.run_tasks()
    manual = console.replication.replicate(backup.id, destination_region="cn-east-3",
                                           destination_vault="vault-dr").replication
    console.tasks.cancel(manual.replication_record_id)  # that replica ends in Error
    clock.set(TONIGHT + timedelta(seconds=1))
    [fired] = console.run_due_policies().fired
    assert len(fired.replicas) == 1 and fired.refused == []

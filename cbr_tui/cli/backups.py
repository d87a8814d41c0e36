"""`cbr-tui backup` (Perform Backup and the Backups tab) and `task` (the Tasks page)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import Invocation, json_command
from cbr_tui.cli.output import emit
from cbr_tui.domain.enums import BackupStatus, OperationType, TaskStatus

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group()
def backup() -> None:
    """Perform backups and manage them."""


@backup.command("create")
@click.argument("vault_ref")
@click.option("--resource", "resources", multiple=True, help="Back up only these resources (default: all).")
@click.option("--name", help="Default: manualbk_xxxx; several resources get -0001, -0002 suffixes.")
@click.option("--description")
@click.option("--full", is_flag=True, help="Full backup instead of incremental.")
@click.option("--retention-days", type=params.WHOLE, help="Delete this manual backup after N days (default: keep).")
@click.option("--wait", is_flag=True, help="Copy the data now and print the backups when they are done.")
@json_command
def backup_create(console: Console, vault_ref: str, resources: tuple[str, ...], name: str | None,
                  description: str | None, full: bool, retention_days: int | None, wait: bool) -> object:
    """Perform Backup on a vault's resources."""
    result = console.backups.perform(vault_ref, resources=resources or None, name=name, description=description,
                                     full=full, retention_days=retention_days)
    if not wait:
        return result
    checkpoint = result.checkpoint
    tasks = {t.id for t in console.tasks.list(operation_type="backup", limit=1000).operation_logs
             if t.checkpoint_id == checkpoint.id}
    console.run_tasks(tasks)
    console.tasks.require_success(tasks)
    checkpoint.backups = [console.backups.show(b.id) for b in checkpoint.backups]
    return result


@backup.command("replicate")
@click.argument("backup_ref")
@click.option("--destination-region", required=True, help="The region to copy the backup to.")
@click.option("--destination-vault", required=True, help="A server replication vault in that region.")
@click.option("--name", help="The replica's name (default: manualbk_xxxx).")
@click.option("--description")
@click.option("--wait", is_flag=True, help="Copy the data now and print the replica when it is done.")
@json_command
def backup_replicate(console: Console, backup_ref: str, destination_region: str, destination_vault: str,
                     name: str | None, description: str | None, wait: bool) -> object:
    """Replicate a server backup to a replication vault in another region."""
    result = console.replication.replicate(backup_ref, destination_region=destination_region,
                                           destination_vault=destination_vault, name=name, description=description)
    if not wait:
        return result
    task = result.replication.replication_record_id
    console.run_tasks({task})
    console.tasks.require_success({task})
    return {"replication": result.replication, "replicas": console.replication.replicas(backup_ref).backups}


@backup.command("list")
@click.option("--vault", "vault_ref")
@click.option("--type", "vault_kind", type=params.VAULT_TYPE_CHOICE, help="Only backups of one backup type.")
@click.option("--resource", "resource_id", help="Only backups of this resource ID.")
@click.option("--status", type=click.Choice([s.value for s in BackupStatus]))
@click.option("--search", help="Backup name or ID, or resource name.")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@click.option("--sort", default="created_at:desc", show_default=True)
@json_command
def backup_list(console: Console, vault_ref: str | None, vault_kind: str | None, resource_id: str | None,
                status: str | None, search: str | None, limit: int, offset: int, sort: str) -> object:
    return console.backups.list(vault=vault_ref, object_type=params.object_type(vault_kind),
                                resource_id=resource_id, status=status, search=search, limit=limit, offset=offset,
                                sort=sort)


@backup.command("show")
@click.argument("backup_ref")
@json_command
def backup_show(console: Console, backup_ref: str) -> object:
    return {"backup": console.backups.show(backup_ref)}


@backup.command("delete")
@click.argument("backup_ref")
@json_command
def backup_delete(console: Console, backup_ref: str) -> object:
    return console.backups.delete(backup_ref)


@click.group()
def task() -> None:
    """The Tasks page: backups, restores and deletions of the last 30 days."""


@task.command("list")
@click.option("--type", "operation_type", type=click.Choice([t.value for t in OperationType]))
@click.option("--status", type=click.Choice([s.value for s in TaskStatus]))
@click.option("--vault-id")
@click.option("--resource-id")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@json_command
def task_list(console: Console, operation_type: str | None, status: str | None, vault_id: str | None,
              resource_id: str | None, limit: int, offset: int) -> object:
    return console.tasks.list(operation_type=operation_type, status=status, vault_id=vault_id,
                              resource_id=resource_id, limit=limit, offset=offset)


@task.command("cancel")
@click.argument("task_id")
@json_command
def task_cancel(console: Console, task_id: str) -> object:
    """Cancel a waiting or running backup or restore."""
    return console.tasks.cancel(task_id)


@click.command()
@click.option("--until-idle", is_flag=True, help="Stop when no task is left instead of waiting for more.")
@click.option("--workers", type=params.WHOLE, default=2, show_default=True)
@click.option("--lease-seconds", type=params.NUMBER, default=30, show_default=True,
              help="How long a task stays claimed without a sign of life before another runner takes it over.")
@click.option("--no-scheduler", is_flag=True, help="Run tasks only; do not fire backup policies.")
def worker(until_idle: bool, workers: int, lease_seconds: float, no_scheduler: bool) -> None:
    """Run backups and restores queued by any cbr-tui process sharing this database, and fire backup
    policies when their time comes (headless runner and scheduler)."""
    invocation = click.get_current_context().find_object(Invocation)
    assert invocation is not None
    console = invocation.console
    runner = console.runner(workers=workers, lease=timedelta(seconds=lease_seconds))
    if until_idle:
        fired = [] if no_scheduler else console.run_due_policies().fired
        emit({"policies_fired": len(fired), "tasks_run": runner.run_until_idle()})  # type: ignore[arg-type]
        return
    scheduler = None if no_scheduler else console.scheduler()
    click.echo(f"cbr-tui worker {runner.owner} running; Ctrl+C stops it.", err=True)
    runner.start()
    if scheduler is not None:
        scheduler.start()
    try:
        threading.Event().wait()
    finally:
        if scheduler is not None:
            scheduler.stop()
        runner.stop()


@task.command("show")
@click.argument("task_id")
@json_command
def task_show(console: Console, task_id: str) -> object:
    return {"operation_log": console.tasks.show(task_id)}

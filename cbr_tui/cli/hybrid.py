"""`cbr-tui hybrid`: the on-premises data center of hybrid cloud backups, and synchronising its backups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import json_command

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group()
def hybrid() -> None:
    """Hybrid cloud backups: the on-premises storage system and VMware host, their local backups, and
    synchronising them into a hybrid cloud backup vault."""


@hybrid.command("site")
@json_command
def hybrid_site(console: Console) -> object:
    """The data center's systems (storage LUNs, VMware VMs), made on first use."""
    return console.hybrid.site()


@hybrid.command("backups")
@click.option("--resource", help="Only this LUN's or VM's backups.")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@json_command
def hybrid_backups(console: Console, resource: str | None, limit: int, offset: int) -> object:
    """The backups the data center made of its LUNs and VMs (what can be synchronised)."""
    return console.hybrid.local_backups(resource, limit, offset)


@hybrid.command("back-up")
@click.argument("resource")
@click.option("--name", help="The local backup's name (default: manualbk_xxxx).")
@click.option("--wait", is_flag=True, help="Copy the data now and print the backup when it is done.")
@json_command
def hybrid_back_up(console: Console, resource: str, name: str | None, wait: bool) -> object:
    """Back a LUN or a VM up in the data center, into its system's backup storage."""
    result = console.hybrid.back_up(resource, name)
    if not wait:
        return result
    console.run_tasks(set(result.operation_log_ids))
    console.hybrid.require_backed_up(result.operation_log_ids)
    return {**result.model_dump(mode="json"), "backups": console.hybrid.local_backups(resource, limit=1).backups}


@hybrid.command("sync")
@click.argument("vault_ref")
@click.option("--backup", "backups", multiple=True, help="Only these local backups (1-50; default: all not there yet).")
@click.option("--wait", is_flag=True, help="Copy the data now and print the vault's backups when done.")
@json_command
def hybrid_sync(console: Console, vault_ref: str, backups: tuple[str, ...], wait: bool) -> object:
    """Synchronise the data center's backups into a hybrid cloud backup vault."""
    result = console.hybrid.sync(vault_ref, list(backups) if backups else None)
    if wait:
        tasks = set(result.sync.operation_log_ids)
        console.run_tasks(tasks)
        console.tasks.require_success(tasks)
        return {"sync": result.sync, "backups": [console.backups.show(b) for b in result.sync.backups]}
    return result


@hybrid.command("restore")
@click.argument("backup_ref")
@click.option("--no-power-on", is_flag=True, help="Leave a restored VM stopped.")
@json_command
def hybrid_restore(console: Console, backup_ref: str, no_power_on: bool) -> object:
    """Restore a hybrid cloud backup to its LUN or VM in the data center (restore create-disk and image create
    deploy one on the cloud instead)."""
    return console.restores.restore_on_premises(backup_ref, power_on=not no_power_on)


@hybrid.command("write-data")
@click.argument("resource")
@click.argument("megabytes", type=params.NUMBER)
@click.option("--seed", help="Make the written data reproducible.")
@json_command
def hybrid_write(console: Console, resource: str, megabytes: float, seed: str | None) -> object:
    """Write MEGABYTES of data into a LUN or a VM's disks."""
    return console.hybrid.write_data(resource, megabytes, seed=seed)


@hybrid.command("damage")
@click.argument("resource")
@click.option("--seed")
@json_command
def hybrid_damage(console: Console, resource: str, seed: str | None) -> object:
    """Lose the data center's copy: overwrite blocks of a LUN or of a VM's disks."""
    return console.hybrid.damage(resource, seed=seed)


@hybrid.command("show")
@click.argument("resource")
@json_command
def hybrid_show(console: Console, resource: str) -> object:
    """A LUN or a VM of the data center."""
    return {"resource": console.hybrid.show(resource)}

"""`cbr-tui restore ...` and `image ...`: everything the console does with a backup's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import json_command

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.services.views import TaskAnswer

WAIT = click.option("--wait", is_flag=True, help="Do the restore now and print the finished task.")


def _maybe_wait(console: Console, queued: TaskAnswer, wait: bool) -> TaskAnswer:
    if not wait:
        return queued
    task_id = queued.operation_log.id
    console.run_tasks({task_id})
    console.tasks.require_success({task_id})
    from cbr_tui.services.views import TaskAnswer

    return TaskAnswer(operation_log=console.tasks.show(task_id))


@click.group()
def restore() -> None:
    """Restore from backups: a server, a disk, files; or make a new disk or file system from one."""


@restore.command("server")
@click.argument("backup_ref")
@click.option("--map", "mappings", multiple=True,
              help="DISK_BACKUP=TARGET_DISK (repeatable); by default each disk goes back to its own disk.")
@click.option("--no-power-on", is_flag=True, help="Leave the server stopped afterwards.")
@WAIT
@json_command
def restore_server(console: Console, backup_ref: str, mappings: tuple[str, ...], no_power_on: bool,
                   wait: bool) -> object:
    """Restore a server from its backup (the server is stopped while it runs)."""
    pairs = {}
    for text in mappings:
        source, sep, target = text.partition("=")
        if not sep:
            raise click.BadParameter(f"{text!r}: write DISK_BACKUP=TARGET_DISK.")
        pairs[source] = target
    return _maybe_wait(console, console.restores.restore_server(backup_ref, mappings=pairs,
                                                                power_on=not no_power_on), wait)


@restore.command("desktop")
@click.argument("backup_ref")
@WAIT
@json_command
def restore_desktop(console: Console, backup_ref: str, wait: bool) -> object:
    """Restore a desktop from its backup (each disk back onto the desktop's own disk)."""
    return _maybe_wait(console, console.restores.restore_desktop(backup_ref), wait)


@restore.command("disk")
@click.argument("backup_ref")
@click.option("--target", help="Disk to overwrite (default: the backed-up disk); it must be detached.")
@WAIT
@json_command
def restore_disk(console: Console, backup_ref: str, target: str | None, wait: bool) -> object:
    return _maybe_wait(console, console.restores.restore_disk(backup_ref, target), wait)


@restore.command("new-disk")
@click.argument("backup_ref")
@click.argument("name")
@click.option("--size", type=params.WHOLE, help="GB, at least the backed-up disk's size.")
@click.option("--az")
@WAIT
@json_command
def restore_new_disk(console: Console, backup_ref: str, name: str, size: int | None, az: str | None,
                     wait: bool) -> object:
    """Create Disk: a new disk holding a disk backup's data."""
    return _maybe_wait(console, console.restores.create_disk(backup_ref, name, size_gb=size,
                                                             availability_zone=az), wait)


@restore.command("new-file-system")
@click.argument("backup_ref")
@click.argument("name")
@click.option("--size", type=params.WHOLE, help="GB (default: the original's).")
@WAIT
@json_command
def restore_new_file_system(console: Console, backup_ref: str, name: str, size: int | None, wait: bool) -> object:
    """Create File System: a new SFS Turbo file system from its backup."""
    return _maybe_wait(console, console.restores.create_file_system(backup_ref, name, size_gb=size), wait)


@restore.command("files")
@click.argument("backup_ref")
@click.option("--to", "destination", help="Restore under this directory instead of the original paths.")
@click.option("--keep-owners", is_flag=True,
              help="Give files back their owners and setuid/setgid bits (root only; else they are yours).")
@WAIT
@json_command
def restore_files(console: Console, backup_ref: str, destination: str | None, keep_owners: bool,
                  wait: bool) -> object:
    """Restore a file backup to its original paths, or under a new directory."""
    return _maybe_wait(console, console.restores.restore_files(backup_ref, destination, keep_owners=keep_owners),
                       wait)


@click.group()
def image() -> None:
    """Full-server images made from server backups."""


@image.command("create")
@click.argument("backup_ref")
@click.argument("name")
@json_command
def image_create(console: Console, backup_ref: str, name: str) -> object:
    return console.restores.create_image(backup_ref, name)


@image.command("list")
@json_command
def image_list(console: Console) -> object:
    return console.restores.list_images()


@image.command("delete")
@click.argument("image_ref")
@json_command
def image_delete(console: Console, image_ref: str) -> object:
    return console.restores.delete_image(image_ref)


@image.command("create-server")
@click.argument("image_ref")
@click.argument("name")
@click.option("--az")
@WAIT
@json_command
def image_create_server(console: Console, image_ref: str, name: str, az: str | None, wait: bool) -> object:
    """A new server from an image: its disks hold the backup's data; it starts when done."""
    return _maybe_wait(console, console.restores.create_server_from_image(image_ref, name, availability_zone=az),
                       wait)

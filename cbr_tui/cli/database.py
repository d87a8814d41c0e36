"""`cbr-tui database`: the database itself, when it is damaged (no console opens on a damaged file)."""

import click

from cbr_tui.cli.app import Invocation
from cbr_tui.cli.output import emit


@click.group()
def database() -> None:
    """The database itself: repair a damaged SQLite file from what is left and the vaults' object stores."""


@database.command("repair")
@click.option("--force", is_flag=True, help="Rebuild even if SQLite's integrity check finds nothing wrong.")
@click.pass_obj
def database_repair(invocation: Invocation, force: bool) -> None:
    """Set the damaged file aside, keep every readable row, and recover every vault from its object store."""
    from cbr_tui.services.repair import repair_database

    emit(repair_database(invocation.settings, force=force))

"""The `cbr-tui` command line: every console operation as a sub-command printing the API's JSON.

It reaches data only through `cbr_tui.services` (an import-linter contract checks this). Importing it is
cheap: the sub-commands' modules, the services and the console load when a command needs them (`app.py`).
"""

import os
from pathlib import Path

from cbr_tui.cli.app import cli
from cbr_tui.cli.output import run_guarded
from cbr_tui.domain.errors import CbrError
from cbr_tui.services.settings import Settings


def main(args: list[str] | None = None) -> None:
    """Entry point of the `cbr-tui` script. Everything it creates is its user's alone (umask 077): vault
    data, the database, logs, the simulated resources' bytes; restores set each file's own mode."""
    previous = os.umask(0o077)
    try:
        run_guarded(lambda: cli.main(args=args, prog_name="cbr-tui", standalone_mode=False), _data_home)
    finally:
        os.umask(previous)  # for callers that run it in their own process (tests, the SSH server)


def _data_home() -> Path | None:
    try:
        return Settings.from_env().home
    except CbrError:
        return None


__all__ = ["cli", "main"]

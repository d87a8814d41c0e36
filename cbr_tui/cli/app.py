"""The `cbr-tui` command group and the lazily opened `Console` its sub-commands share."""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cbr_tui import __version__
from cbr_tui.cli.output import emit
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.keymap import read_keymap
from cbr_tui.services.settings import Settings


class Invocation:
    """Opens the console on first use, so `--help` never touches the data directory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = open_console(self.settings)
        return self._console

    def close(self) -> None:
        if self._console is not None:
            self._console.close()


def json_command(function: Callable[..., Any]) -> Callable[..., None]:
    """Give the command the console as its first argument and print what it returns as JSON."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        invocation = click.get_current_context().find_object(Invocation)
        assert invocation is not None
        emit(function(invocation.console, *args, **kwargs))

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"],
                                                            "max_content_width": 110})
@click.option("--region", help="Region ID, e.g. cn-north-4 (default: $CBR_TUI_REGION or cn-north-4).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="Data directory (default: $CBR_TUI_HOME or the platform's user data directory).")
@click.option("--database-url", help="Any SQLAlchemy URL (default: SQLite in the data directory).")
@click.version_option(__version__, prog_name="cbr-tui")
@click.pass_context
def cli(ctx: click.Context, region: str | None, home: Path | None, database_url: str | None) -> None:
    """The Huawei Cloud CBR console, in the terminal. Every console operation is a sub-command printing JSON."""
    invocation = Invocation(Settings.from_env(home=home, database_url=database_url, region=region))
    ctx.obj = invocation
    ctx.call_on_close(invocation.close)
    if ctx.invoked_subcommand is None:
        from cbr_tui.ui.app import CbrApp  # the console is only imported when it is opened

        keymap = read_keymap(invocation.settings.home)
        CbrApp(invocation.console, keymap=keymap).run()

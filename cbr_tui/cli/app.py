"""The `cbr-tui` command group and the lazily opened `Console` its sub-commands share.

Sub-commands live in their own modules (`accounts`, `vaults`, ...), imported only when one of them is
invoked (click's lazy loading of sub-commands): `cbr-tui --help` lists them all from the one-line help
declared in `SUBCOMMANDS` without importing any, and `cbr-tui vault --help` imports the vault commands and
nothing of the data layer. The services are imported when a command first asks for the console.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cbr_tui import __version__
from cbr_tui.cli.output import emit
from cbr_tui.domain.errors import invalid
from cbr_tui.services.settings import Settings

if TYPE_CHECKING:
    from cbr_tui.services.console import Console

# name: ("module:attribute" of the sub-command, its one-line help: the first sentence of its docstring;
# a test checks that the two agree).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "account": ("cbr_tui.cli.accounts:account",
                "The account: balance, top-ups and orders (Step 1 of the Getting Started)."),
    "agent": ("cbr_tui.cli.resources:agent",
              "File-backup clients: hosts whose local directories are backed up to a file backup vault."),
    "api-key": ("cbr_tui.cli.api_keys:api_key",
                "Access keys (AK/SK) that sign requests to the CBR v3 API (`cbr-tui serve api`)."),
    "backup": ("cbr_tui.cli.backups:backup", "Perform backups and manage them."),
    "billing": ("cbr_tui.cli.billing:billing",
                "The bill: balance, spend per day, orders and the hourly charges of pay-per-use vaults."),
    "clock": ("cbr_tui.cli.billing:clock",
              "The installation's cloud time: run it fast, jump it ahead, or put it back on real time."),
    "database": ("cbr_tui.cli.database:database",
                 "The database itself: repair a damaged SQLite file from what is left and the vaults' object stores."),
    "desktop": ("cbr_tui.cli.resources:desktop", "Workspace desktops."),
    "disk": ("cbr_tui.cli.resources:disk", "Elastic Volume Service disks."),
    "enterprise-project": ("cbr_tui.cli.accounts:enterprise_project",
                           'Enterprise projects a vault can belong to ("default" always exists).'),
    "hybrid": ("cbr_tui.cli.hybrid:hybrid",
               "Hybrid cloud backups: the on-premises storage system and VMware host, their local backups, and "
               "synchronising them into a hybrid cloud backup vault."),
    "iam": ("cbr_tui.cli.iam:iam",
            "Identity and Access Management: users, user groups, CBR permissions and SSH keys."),
    "image": ("cbr_tui.cli.restores:image", "Full-server images made from server backups."),
    "login": ("cbr_tui.cli.iam:login",
              "Log in as an IAM user; later commands run as them with `cbr-tui --user NAME ...`."),
    "logout": ("cbr_tui.cli.iam:logout", "End NAME's session here (`cbr-tui login` started it)."),
    "policy": ("cbr_tui.cli.policies:policy", "Backup and replication policies (execution times are UTC)."),
    "protectable": ("cbr_tui.cli.vaults:protectable",
                    "Resources a vault type can protect, and whether each can be associated now."),
    "region": ("cbr_tui.cli.accounts:region", "Regions and their availability zones."),
    "resource": ("cbr_tui.cli.resources:resource",
                 "Any simulated resource: list, inspect, tag, write data into it, damage it, delete it."),
    "restore": ("cbr_tui.cli.restores:restore",
                "Restore from backups: a server, a disk, files; or make a new disk or file system from one."),
    "serve": ("cbr_tui.cli.serve:serve",
              "Serve the console to many people at once (SSH, the web), and the CBR v3 API to their programs."),
    "server": ("cbr_tui.cli.resources:server", "Elastic Cloud Servers with their system and data disks."),
    "sfs-turbo": ("cbr_tui.cli.resources:sfs_turbo", "SFS Turbo file systems (directory trees)."),
    "task": ("cbr_tui.cli.backups:task", "The Tasks page: backups, restores and deletions of the last 30 days."),
    "vault": ("cbr_tui.cli.vaults:vault", "Vaults of every backup type: buy, list, associate, expand, tag, delete."),
    "worker": ("cbr_tui.cli.backups:worker",
               "Run backups and restores queued by any cbr-tui process sharing this database, and fire backup "
               "policies when their time comes (headless runner and scheduler)."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported when they are looked up (invoked, or their own help shown),
    as in click's documentation on lazily loading sub-commands; its help lists them from their declared
    one-line help."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands and cmd_name not in self.commands:
            self.add_command(self._load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> click.Command:
        module_name, attribute = self.lazy_subcommands[name][0].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, but a sub-command not imported yet is shown with its declared one-line help."""
        commands = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=self.lazy_subcommands[name][1])
            if not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _command in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


class Invocation:
    """Opens the console on first use, so `--help` never touches the data directory; with `user`, the
    console acts as that IAM user, through the session `cbr-tui login` kept."""

    def __init__(self, settings: Settings, user: str | None = None, *, session_token: str | None = None) -> None:
        """`session_token`: a session opened for this process (the SSH server's login), used as `user`'s."""
        self.settings = settings
        self.user = user
        self.session_token = session_token
        self._console: Console | None = None

    @property
    def administrator_console(self) -> Console:
        """The console as the account's administrator (what `login` itself uses to check a password)."""
        if self._console is None:
            from cbr_tui.services.console import open_console  # the data layer loads with the first command

            self._console = open_console(self.settings)
        return self._console

    @property
    def console(self) -> Console:
        return self._as_user(self.administrator_console)

    def _as_user(self, console: Console) -> Console:
        if self.session_token is not None:
            return console.as_principal(console.authentication.resume(self.session_token))
        if self.user is None:
            return console
        from cbr_tui.cli.sessions import token_of

        return console.as_principal(console.authentication.resume(token_of(self.settings.home, self.user)))

    def open_for_the_console(self) -> Console:
        """The console's own opening: the store and the account now, the demo inventory (on a first start)
        after its first screen is drawn, in the background."""
        from cbr_tui.services.console import open_console

        self._console = open_console(self.settings, seed_demo=False)
        return self._as_user(self._console)

    def close(self) -> None:
        if self._console is not None:
            self._console.close()


def check_utf8(param: click.Parameter, value: object) -> None:
    """Text arguments are UTF-8: other bytes reach Python as lone surrogates, which no name, description or
    lookup can hold (paths are `Path`s and may be any bytes)."""
    for text in value if isinstance(value, tuple) else (value,):
        if isinstance(text, str) and any("\ud800" <= character <= "\udfff" for character in text):
            raw = os.fsencode(text)[:40]
            raise invalid(f"The value of {param.human_readable_name} ({raw!r}) is not UTF-8 text; the "
                          "terminal's bytes could not be read as characters.")


def json_command(function: Callable[..., Any]) -> Callable[..., None]:
    """Give the command the console as its first argument and print what it returns as JSON."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        invocation = click.get_current_context().find_object(Invocation)
        assert invocation is not None
        for param in click.get_current_context().command.params:
            if param.name in kwargs:
                check_utf8(param, kwargs[param.name])
        emit(function(invocation.console, *args, **kwargs))

    return wrapper


@click.group(cls=LazyGroup, lazy_subcommands=SUBCOMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--region", help="Region ID, e.g. cn-north-4 (default: $CBR_TUI_REGION or cn-north-4).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="Data directory (default: $CBR_TUI_HOME or the platform's user data directory).")
@click.option("--database-url", help="Any SQLAlchemy URL (default: SQLite in the data directory).")
@click.option("--account", help="Which account of this installation (default: $CBR_TUI_ACCOUNT or the first one; "
                               "`cbr-tui account register NAME` adds one).")
@click.option("--user", envvar="CBR_TUI_USER",
              help="Act as this IAM user, logged in earlier with `cbr-tui login` (default: the account itself).")
@click.version_option(__version__, prog_name="cbr-tui")
@click.pass_context
def cli(ctx: click.Context, region: str | None, home: Path | None, database_url: str | None,
        account: str | None, user: str | None) -> None:
    """The Huawei Cloud CBR console, in the terminal. Every console operation is a sub-command printing JSON."""
    # A console the SSH server started: it acts for the session the login opened, and runs no tasks (the
    # server does). Taken out of the environment, so that nothing this process starts inherits them.
    session_token = os.environ.pop("CBR_TUI_SESSION_TOKEN", None)
    # "1": a user's console (the server runs the tasks); "demo": a public demo's copy (it runs its own).
    served = os.environ.pop("CBR_TUI_SERVED", "")
    login = os.environ.pop("CBR_TUI_LOGIN", "") == "1"  # a browser's console: an IAM user logs in first
    invocation = Invocation(Settings.from_env(home=home, database_url=database_url, region=region, account=account),
                            user, session_token=session_token)
    ctx.obj = invocation
    ctx.call_on_close(invocation.close)
    if ctx.invoked_subcommand is None:
        from cbr_tui.services.keymap import read_keymap
        from cbr_tui.ui.app import CbrApp  # the console is only imported when it is opened

        keymap = read_keymap(invocation.settings.home)
        # The console draws its first screen while the store opens (the data layer takes longer to import).
        from cbr_tui.domain.iam_rules import DEFAULT_SECURITY

        CbrApp(invocation.open_for_the_console, settings=invocation.settings, keymap=keymap,
               run_tasks=served != "1", login=login,
               idle_limit=DEFAULT_SECURITY.session_timeout if served else None,  # the account's, once open
               session_token=invocation.session_token).run()

"""`cbr-tui iam`, `login` and `logout`: IAM users, groups and permissions (seed, Step 1), and acting as a user.

A password is never an argument (`ps` and shell histories would keep it): it is read from standard input
with `--password-stdin`, or asked for at the terminal without echo.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params, sessions
from cbr_tui.cli.app import Invocation, json_command
from cbr_tui.cli.output import emit
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.iam_rules import SECURITY_RANGES

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


def read_password(from_stdin: bool, prompt: str = "Password", *, confirm: bool = False) -> str:
    """One line of standard input, or a prompt without echo at a terminal; never an argument."""
    if from_stdin:
        try:
            return sys.stdin.readline().rstrip("\r\n")
        except (OSError, ValueError, UnicodeDecodeError) as error:  # closed, or not text
            raise invalid(f"The password could not be read from standard input ({error}).") from None
    if sys.stdin is None or not sys.stdin.isatty():
        raise invalid("Give the password on standard input with --password-stdin (it is never an argument).")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


@click.group()
def iam() -> None:
    """Identity and Access Management: users, user groups, CBR permissions and SSH keys."""


@iam.group("user")
def user() -> None:
    """IAM users of the account."""


@user.command("create")
@click.argument("name")
@click.option("--email", help="Mandatory with --set-by-user (IAM would email the user a link).")
@click.option("--phone", help="Mobile number, with its country code (e.g. +8613800000000).")
@click.option("--description")
@click.option("--group", "groups", multiple=True, help="A user group to add the user to (repeatable), e.g. admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password (type Set now) from standard input.")
@click.option("--set-by-user", is_flag=True, help="Password type Set by user: a one-time code lets them set it.")
@click.option("--programmatic", is_flag=True, help="Also programmatic access: issue an access key (shown once).")
@click.option("--no-console", is_flag=True, help="No management console access (programmatic access only).")
@json_command
def user_create(console: Console, name: str, email: str | None, phone: str | None, description: str | None,
                groups: tuple[str, ...], password_stdin: bool, set_by_user: bool, programmatic: bool,
                no_console: bool) -> object:
    """Create a user as the seed's Create User page does (e.g. cbr_admin in the admin group)."""
    from cbr_tui.services.iam import UserSpec

    password = None if set_by_user or no_console else read_password(password_stdin, confirm=True)
    return console.iam.create_user(UserSpec(
        name=name, email=email, phone=phone, description=description, console_access=not no_console,
        programmatic_access=programmatic or no_console, password=password, set_by_user=set_by_user, groups=groups))


@user.command("list")
@json_command
def user_list(console: Console) -> object:
    return console.iam.list_users()


@user.command("show")
@click.argument("name")
@json_command
def user_show(console: Console, name: str) -> object:
    """A user, their groups and what they may do where."""
    return console.iam.show_user(name)


@user.command("delete")
@click.argument("name")
@json_command
def user_delete(console: Console, name: str) -> object:
    return console.iam.delete_user(name)


@user.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the invitation's one-time code, then the new password, a line each from standard input.")
@click.pass_obj
def user_set_password(invocation: Invocation, name: str, password_stdin: bool) -> None:
    """A Set by user user's first login: set their own password, then they are logged in here. The one-time
    code is asked for (or read from standard input) like the password: never an argument."""
    code = read_password(password_stdin, "One-time code")
    password = read_password(password_stdin, "New password", confirm=True)
    logged_in = invocation.administrator_console.authentication.set_first_password(name, code, password, source="cli")
    sessions.keep(invocation.settings.home, name, logged_in.token)
    emit({"logged_in": {"user": name, "user_id": logged_in.principal.user_id}})


@iam.group("group")
def group() -> None:
    """User groups: the admin group has every permission; grant CBR policies to the others."""


@group.command("create")
@click.argument("name")
@click.option("--description")
@json_command
def group_create(console: Console, name: str, description: str | None) -> object:
    return console.iam.create_group(name, description)


@group.command("list")
@json_command
def group_list(console: Console) -> object:
    return console.iam.list_groups()


@group.command("delete")
@click.argument("name")
@json_command
def group_delete(console: Console, name: str) -> object:
    return console.iam.delete_group(name)


@group.command("add-user")
@click.argument("group_name")
@click.argument("user_name")
@json_command
def group_add_user(console: Console, group_name: str, user_name: str) -> object:
    return console.iam.add_to_group(user_name, group_name)


@group.command("remove-user")
@click.argument("group_name")
@click.argument("user_name")
@json_command
def group_remove_user(console: Console, group_name: str, user_name: str) -> object:
    return console.iam.remove_from_group(user_name, group_name)


@group.command("grant")
@click.argument("group_name")
@click.argument("policy")
@click.option("--enterprise-project", help="Grant it in this enterprise project only (default: all resources).")
@json_command
def group_grant(console: Console, group_name: str, policy: str, enterprise_project: str | None) -> object:
    """Grant POLICY ("CBR FullAccess", "CBR BackupsAndVaultsFullAccess" or "CBR ReadOnlyAccess")."""
    return console.iam.grant(group_name, policy, enterprise_project)


@group.command("revoke")
@click.argument("group_name")
@click.argument("policy")
@click.option("--enterprise-project")
@json_command
def group_revoke(console: Console, group_name: str, policy: str, enterprise_project: str | None) -> object:
    return console.iam.revoke(group_name, policy, enterprise_project)


@iam.command("policies")
@json_command
def iam_policies(console: Console) -> object:
    """The CBR system policies that can be granted, with their actions."""
    return console.iam.policies()


def _setting(name: str) -> str:
    """An option's help, from the domain's range (IAM's documented one)."""
    least, most, unit, what = SECURITY_RANGES[name]
    return f"{what.capitalize()}: {least} to {most} {unit}."


@iam.group("security")
def security() -> None:
    """Security Settings: the password policy and the login authentication policy."""


@security.command("show")
@json_command
def security_show(console: Console) -> object:
    return console.iam.security()


@security.command("set")
@click.option("--password-min-length", type=params.WHOLE, help=_setting("password_min_length"))
@click.option("--password-character-types", type=params.WHOLE, help=_setting("password_character_types"))
@click.option("--session-timeout", type=params.WHOLE, help=_setting("session_timeout_minutes"))
@click.option("--lockout-failures", type=params.WHOLE, help=_setting("failures_allowed"))
@click.option("--lockout-window", type=params.WHOLE, help=_setting("failure_window_minutes"))
@click.option("--lockout-duration", type=params.WHOLE, help=_setting("lockout_minutes"))
@json_command
def security_set(console: Console, password_min_length: int | None, password_character_types: int | None,
                 session_timeout: int | None, lockout_failures: int | None, lockout_window: int | None,
                 lockout_duration: int | None) -> object:
    """Change the settings (administrators); later passwords and logins follow them."""
    return console.iam.update_security(
        password_min_length=password_min_length, password_character_types=password_character_types,
        session_timeout_minutes=session_timeout, failures_allowed=lockout_failures,
        failure_window_minutes=lockout_window, lockout_minutes=lockout_duration)


@iam.command("add-ssh-key")
@click.argument("user_name")
@click.argument("key_file")
@json_command
def add_ssh_key(console: Console, user_name: str, key_file: str) -> object:
    """Register a public key (KEY_FILE, e.g. ~/.ssh/id_ed25519.pub, or - for standard input) for `serve ssh`."""
    return console.iam.add_ssh_key(user_name, _read_key(key_file))


def _read_key(name: str) -> str:
    """The public key file's text (its first 16 KiB), or a refusal that says why it could not be read."""
    if name == "-":
        return click.get_text_stream("stdin").read(16_384)
    try:
        with open(name, encoding="utf-8") as file:
            return file.read(16_384)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name, or bytes that are not UTF-8
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise invalid(f"The public key file {name!r} could not be read: {reason}.") from None


@iam.command("ssh-keys")
@click.argument("user_name")
@json_command
def ssh_keys(console: Console, user_name: str) -> object:
    return console.iam.ssh_keys(user_name)


@iam.command("remove-ssh-key")
@click.argument("user_name")
@click.argument("fingerprint")
@json_command
def remove_ssh_key(console: Console, user_name: str, fingerprint: str) -> object:
    return console.iam.remove_ssh_key(user_name, fingerprint)


@iam.command("whoami")
@json_command
def whoami(console: Console) -> object:
    """Who this command runs as (see --user) and what they may do."""
    return console.iam.whoami()


@click.command()
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def login(invocation: Invocation, name: str, password_stdin: bool) -> None:
    """Log in as an IAM user; later commands run as them with `cbr-tui --user NAME ...`."""
    password = read_password(password_stdin)
    logged_in = invocation.administrator_console.authentication.log_in(name, password, source="cli")
    sessions.keep(invocation.settings.home, name, logged_in.token)
    emit({"logged_in": {"user": name, "user_id": logged_in.principal.user_id,
                        "administrator": logged_in.principal.administrator}})


@click.command()
@click.argument("name")
@click.pass_obj
def logout(invocation: Invocation, name: str) -> None:
    """End NAME's session here (`cbr-tui login` started it)."""
    token = sessions.token_of(invocation.settings.home, name)
    invocation.administrator_console.authentication.log_out(token)
    sessions.forget(invocation.settings.home, name)
    emit({"logged_out": {"user": name}})

"""`cbr-tui api-key`: access keys (AK/SK) for the CBR v3 API, as IAM's My Credentials page issues them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cbr_tui.cli.app import json_command

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group("api-key")
def api_key() -> None:
    """Access keys (AK/SK) that sign requests to the CBR v3 API (`cbr-tui serve api`)."""


@api_key.command("create")
@click.option("--user", "user_ref", help="An IAM user of the account (administrators only); default: yourself.")
@json_command
def api_key_create(console: Console, user_ref: str | None) -> object:
    """Create an access key: the secret is printed now and never again (IAM allows two keys per user)."""
    return console.access_keys.create(user_ref)


@api_key.command("list")
@click.option("--user", "user_ref", help="An IAM user of the account (administrators only); default: yourself.")
@json_command
def api_key_list(console: Console, user_ref: str | None) -> object:
    """The access keys (never their secrets)."""
    return console.access_keys.list(user_ref)


@api_key.command("delete")
@click.argument("access")
@click.option("--user", "user_ref", help="An IAM user of the account (administrators only); default: yourself.")
@json_command
def api_key_delete(console: Console, access: str, user_ref: str | None) -> object:
    """Delete an access key: requests signed with it are refused from now on."""
    return console.access_keys.delete(access, user_ref)

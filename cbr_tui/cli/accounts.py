"""`cbr-tui account`, `region` and `enterprise-project`: the account, its balance and where things live."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import Invocation, json_command
from cbr_tui.cli.output import emit

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group()
def account() -> None:
    """The account: balance, top-ups and orders (Step 1 of the Getting Started)."""


@account.command("register")
@click.argument("name")
@click.pass_obj
def account_register(invocation: Invocation, name: str) -> None:
    """Register another account here, with a simulated cloud of its own; use it with `--account NAME`."""
    from cbr_tui.services.console import register_account

    emit(register_account(invocation.settings, name))


@account.command("show")
@json_command
def account_show(console: Console) -> object:
    """Show the account, its balance and its project in each region."""
    return console.accounts.show()


@account.command("top-up")
@click.argument("amount")
@json_command
def account_top_up(console: Console, amount: str) -> object:
    """Add AMOUNT (USD, e.g. 100 or 99.50) to the balance."""
    return console.accounts.top_up(amount)


@account.command("orders")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@json_command
def account_orders(console: Console, limit: int, offset: int) -> object:
    """Payments and refunds, newest first."""
    return console.accounts.orders(limit, offset)


@click.group()
def region() -> None:
    """Regions and their availability zones."""


@region.command("list")
@json_command
def region_list(console: Console) -> object:
    """List the regions, their AZs and the account's project in each."""
    return console.accounts.regions()


@region.command("features")
@click.argument("key", required=False)
@json_command
def region_features(console: Console, key: str | None) -> object:
    """What CBR offers in this region (replication's destinations, Multi-AZ vaults), or one feature by KEY
    (e.g. replication.enable); keyed as the API's `GET /cbr-features` keys them."""
    if key is not None:
        feature = console.accounts.feature(key)
        return {feature.key: feature.value}
    return console.accounts.features().wire()


@click.group("enterprise-project")
def enterprise_project() -> None:
    """Enterprise projects a vault can belong to ("default" always exists)."""


@enterprise_project.command("list")
@json_command
def ep_list(console: Console) -> object:
    return console.accounts.enterprise_projects()


@enterprise_project.command("create")
@click.argument("name")
@click.option("--description")
@json_command
def ep_create(console: Console, name: str, description: str | None) -> object:
    return console.accounts.create_enterprise_project(name, description)

"""`cbr-tui billing` and `cbr-tui clock`: what the account spends over time, and the cloud time it passes in."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import json_command

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group()
def billing() -> None:
    """The bill: balance, spend per day, orders and the hourly charges of pay-per-use vaults."""


@billing.command("show")
@click.option("--days", type=params.WHOLE, default=30, show_default=True, help="Spend per day over this many days.")
@json_command
def billing_show(console: Console, days: int) -> object:
    """Balance, arrears and the spend of each of the last DAYS days."""
    return console.billing.summary(days)


@billing.command("charges")
@click.option("--vault", "vault_ref", help="Only this vault's charges.")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@json_command
def billing_charges(console: Console, vault_ref: str | None, limit: int, offset: int) -> object:
    """Hourly charges of pay-per-use vaults, one line per vault and day, newest first."""
    return console.billing.charges(vault_ref, limit, offset)


@billing.command("orders")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@json_command
def billing_orders(console: Console, limit: int, offset: int) -> object:
    """Purchases, renewals, expansions, refunds and top-ups, newest first."""
    return console.accounts.orders(limit, offset)


@click.group()
def clock() -> None:
    """The installation's cloud time: run it fast, jump it ahead, or put it back on real time."""


@clock.command("show")
@json_command
def clock_show(console: Console) -> object:
    """Cloud time now, its rate and how far it is ahead of real time."""
    return console.clock.show()


@clock.command("rate")
@click.argument("rate", type=params.RATE)
@json_command
def clock_rate(console: Console, rate: int) -> object:
    """Run cloud time RATE times as fast as real time (3600: an hour a second; 1: real speed)."""
    return console.clock.set_rate(rate)


@clock.command("advance")
@click.argument("duration", type=params.DURATION)
@json_command
def clock_advance(console: Console, duration: timedelta) -> object:
    """Jump DURATION ahead (7d, 12h, 1w2d), applying every policy run, expiry and charge on the way."""
    return console.advance_clock(duration)


@clock.command("reset")
@json_command
def clock_reset(console: Console) -> object:
    """Back to real time."""
    return console.clock.reset()

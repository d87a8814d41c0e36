"""`cbr-tui policy`: backup and replication policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from cbr_tui.cli.app import json_command
from cbr_tui.cli.policy_options import (
    patterns_from,
    policy_form,
    pop_form,
    retention_from,
    retention_given,
    schedule_given,
)
from cbr_tui.domain.enums import PolicyOperationType

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


@click.group()
def policy() -> None:
    """Backup and replication policies (execution times are UTC)."""


@policy.command("create")
@click.option("--name", help="Default: policy_xxxx.")
@click.option("--type", "operation_type", type=click.Choice([t.value for t in PolicyOperationType]),
              default="backup", show_default=True)
@click.option("--disabled", is_flag=True, help="Create the policy disabled.")
@click.option("--destination-region", help="Replication policies: where replicas go.")
@policy_form
@json_command
def policy_create(console: Console, name: str | None, operation_type: str, disabled: bool,
                  destination_region: str | None, **form: Any) -> object:
    from cbr_tui.services.policies import PolicySpec  # the data layer loads only when a command runs

    values = pop_form(form)
    return console.policies.create(PolicySpec(
        pattern=patterns_from(values), name=name, operation_type=PolicyOperationType(operation_type),
        enabled=not disabled, retention=retention_from(values), destination_region=destination_region))


@policy.command("list")
@click.option("--type", "operation_type", type=click.Choice([t.value for t in PolicyOperationType]))
@click.option("--vault-id")
@json_command
def policy_list(console: Console, operation_type: str | None, vault_id: str | None) -> object:
    return console.policies.list(operation_type=operation_type, vault_id=vault_id)


@policy.command("show")
@click.argument("policy_ref")
@json_command
def policy_show(console: Console, policy_ref: str) -> object:
    return {"policy": console.policies.show(policy_ref)}


@policy.command("modify")
@click.argument("policy_ref")
@click.option("--name")
@click.option("--enable/--disable", "enabled", default=None)
@policy_form
@json_command
def policy_modify(console: Console, policy_ref: str, name: str | None, enabled: bool | None, **form: Any) -> object:
    values = pop_form(form)
    return console.policies.update(
        policy_ref, name=name, enabled=enabled,
        pattern=patterns_from(values) if schedule_given(values) else None,
        retention=retention_from(values) if retention_given(values) else None)


@policy.command("delete")
@click.argument("policy_ref")
@json_command
def policy_delete(console: Console, policy_ref: str) -> object:
    """Delete a policy; it leaves its vaults, and the backups it made are kept."""
    return console.policies.delete(policy_ref)


@policy.command("run-due")
@click.option("--wait", is_flag=True, help="Copy the data of the backups fired now before printing.")
@json_command
def policy_run_due(console: Console, wait: bool) -> object:
    """Fire the backup policies whose run time has come, apply retention, and empty the buckets of deleted
    vaults that did not answer at their deletion, once (what the scheduler in the console and in `cbr-tui
    worker` does every few seconds)."""
    result = console.run_due_policies()
    if wait:
        console.run_tasks()
    return result

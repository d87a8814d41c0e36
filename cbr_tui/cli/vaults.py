"""`cbr-tui vault` and `protectable`: buying vaults and everything the vault list's Operation column does."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import json_command
from cbr_tui.cli.output import emit
from cbr_tui.cli.policy_options import patterns_from, policy_form, pop_form, retention_from, schedule_given
from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType, PolicyOperationType, ProtectType

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.services.vaults import VaultSpec

BILLING = {
    "pay-per-use": (ChargingMode.POST_PAID, None),
    "monthly": (ChargingMode.PRE_PAID, PeriodType.MONTH),
    "yearly": (ChargingMode.PRE_PAID, PeriodType.YEAR),
}


@click.group()
def vault() -> None:
    """Vaults of every backup type: buy, list, associate, expand, tag, delete."""


def _purchase_options(function: Any) -> Any:
    options = (
        click.option("--type", "vault_kind", type=params.VAULT_TYPE_CHOICE, required=True,
                     help="server, disk, sfs-turbo, desktop, hybrid or file."),
        click.option("--size", required=True, help="Capacity: GB (TB for hybrid and file vaults), or 100GB / 2TB."),
        click.option("--billing", type=click.Choice(sorted(BILLING)), default="pay-per-use", show_default=True),
        click.option("--duration", type=params.WHOLE, help="Yearly/monthly: how many months (1-9) or years (1-5)."),
        click.option("--auto-renew", is_flag=True, help="Yearly/monthly: renew automatically."),
        click.option("--protection", type=click.Choice([p.value for p in ProtectType]), default="backup",
                     show_default=True),
        click.option("--app-consistent", is_flag=True, help="Server vaults: application-consistent backup."),
        click.option("--redundancy", type=click.Choice(["single-az", "multi-az"]), default="single-az",
                     show_default=True),
    )
    for option in reversed(options):
        function = option(function)
    return function


def _spec(kind: str, size: str, billing: str, duration: int | None, auto_renew: bool, protection: str,
          app_consistent: bool, redundancy: str, **more: Any) -> VaultSpec:
    from cbr_tui.services.vaults import VaultSpec  # the data layer loads only when a command runs

    object_type = params.object_type(kind)
    assert object_type is not None
    charging, period = BILLING[billing]
    return VaultSpec(object_type=object_type, size_gb=params.size_gb(size, object_type), charging_mode=charging,
                     period_type=period, period_num=duration if period else None, auto_renew=auto_renew,
                     protect_type=ProtectType(protection), app_consistent=app_consistent,
                     multi_az=redundancy == "multi-az", **more)


@vault.command("quote")
@_purchase_options
@json_command
def vault_quote(console: Console, vault_kind: str, size: str, billing: str, duration: int | None,
                auto_renew: bool, protection: str, app_consistent: bool, redundancy: str) -> object:
    """The price of a vault before buying it."""
    if duration is not None and billing == "pay-per-use":
        raise click.UsageError("--duration applies only to --billing monthly or yearly.")
    return console.vaults.quote(_spec(vault_kind, size, billing, duration, auto_renew, protection, app_consistent,
                                      redundancy))


@vault.command("create")
@_purchase_options
@click.option("--resource", "resources", multiple=True,
              help="A resource to associate (repeatable): NAME or ID; SERVER:disk1,disk2 backs up only those "
                   "disks, SERVER:!disk3 all but that one.")
@click.option("--policy", help="Apply this existing backup policy (auto backup: Configure).")
@click.option("--new-policy", help="Create a backup policy with this name from the policy options and apply it.")
@click.option("--enterprise-project", default="default", show_default=True)
@click.option("--auto-bind", is_flag=True, help="Configure automatic association.")
@click.option("--bind-tag", "bind_tags", multiple=True, help="Automatic association only for this tag (<= 5).")
@click.option("--tag", "tags", multiple=True, help="key=value (repeatable, <= 10).")
@click.option("--name", help="Default: vault_xxxx.")
@click.option("--description")
@click.option("--az", help="Availability zone of the vault (default: the region's first open AZ).")
@policy_form
@json_command
def vault_create(console: Console, vault_kind: str, size: str, billing: str, duration: int | None,
                 auto_renew: bool, protection: str, app_consistent: bool, redundancy: str,
                 resources: tuple[str, ...], policy: str | None, new_policy: str | None, enterprise_project: str,
                 auto_bind: bool, bind_tags: tuple[str, ...], tags: tuple[str, ...], name: str | None,
                 description: str | None, az: str | None, **form: Any) -> object:
    """Buy a vault, following the purchase wizard's steps; yearly/monthly vaults are paid from the balance."""
    form = pop_form(form)
    if schedule_given(form) and not new_policy:
        raise click.UsageError("Schedule and retention options describe a --new-policy; give its name too.")
    created_policy = None
    if new_policy:
        from cbr_tui.services.policies import PolicySpec

        created_policy = PolicySpec(pattern=patterns_from(form), name=new_policy,
                                    operation_type=PolicyOperationType.BACKUP, retention=retention_from(form))
    spec = _spec(vault_kind, size, billing, duration, auto_renew, protection, app_consistent, redundancy,
                 name=name, description=description,
                 resources=tuple(params.selection(r) for r in resources), policy=policy, new_policy=created_policy,
                 enterprise_project=enterprise_project, auto_bind=auto_bind, bind_tags=params.tags(bind_tags),
                 tags=params.tags(tags), availability_zone=az)
    return console.vaults.create(spec)


@vault.command("list")
@click.option("--type", "vault_kind", type=params.VAULT_TYPE_CHOICE, help="Only vaults of one backup type.")
@click.option("--protection", type=click.Choice([p.value for p in ProtectType]))
@click.option("--status")
@click.option("--search", help="Name (part of it) or ID.")
@click.option("--tag", "tags", multiple=True, help="key=value; up to 5, a vault with any of them matches.")
@click.option("--resource", "resource_id", help="Only the vault holding this resource ID.")
@click.option("--limit", type=params.WHOLE, default=50, show_default=True)
@click.option("--offset", type=params.WHOLE, default=0)
@click.option("--sort", default="created_at:desc", show_default=True)
@json_command
def vault_list(console: Console, vault_kind: str | None, protection: str | None, status: str | None,
               search: str | None, tags: tuple[str, ...], resource_id: str | None, limit: int, offset: int,
               sort: str) -> object:
    return console.vaults.list(object_type=params.object_type(vault_kind), protect_type=protection, status=status,
                               search=search, tags=params.tags(tags), resource_id=resource_id, limit=limit,
                               offset=offset, sort=sort)


@vault.command("show")
@click.argument("vault_ref")
@json_command
def vault_show(console: Console, vault_ref: str) -> object:
    return {"vault": console.vaults.show(vault_ref)}


@vault.command("update")
@click.argument("vault_ref")
@click.option("--name")
@click.option("--description")
@json_command
def vault_update(console: Console, vault_ref: str, name: str | None, description: str | None) -> object:
    """Rename a vault or change its description."""
    return console.vaults.update(vault_ref, name=name, description=description)


@vault.command("alarm")
@click.argument("vault_ref", required=False)
@click.option("--all", "every", is_flag=True, help="Every vault of the project (BatchUpdateVault).")
@click.option("--threshold", type=params.WHOLE, help="Notify when this % of the capacity is used (1-100).")
@click.option("--notify", type=click.Choice(["on", "off"]), help="Send the notification (SMN) or not.")
@json_command
def vault_alarm(console: Console, vault_ref: str | None, every: bool, threshold: int | None,
                notify: str | None) -> object:
    """The capacity alarm: CBR notifies (SMN) when a vault's used capacity reaches its threshold."""
    if (vault_ref is None) != every:
        raise click.UsageError("Name one vault, or give --all for every vault of the project.")
    smn_notify = None if notify is None else notify == "on"
    if every:
        return console.vaults.batch_update(smn_notify=smn_notify, threshold=threshold)
    assert vault_ref is not None
    return console.vaults.set_alarm(vault_ref, threshold=threshold, smn_notify=smn_notify)


@vault.command("notices")
@click.argument("vault_ref", required=False)
@json_command
def vault_notices(console: Console, vault_ref: str | None) -> object:
    """What CBR notified: vaults whose used capacity reached their alarm threshold, newest first."""
    return console.notices.list(vault_ref)


@vault.command("associate")
@click.argument("vault_ref")
@click.argument("resources", nargs=-1, required=True)
@json_command
def vault_associate(console: Console, vault_ref: str, resources: tuple[str, ...]) -> object:
    """Associate resources (NAME, ID, or SERVER:disk1,disk2 / SERVER:!disk3 for some disks only)."""
    return console.associations.associate(vault_ref, [params.selection(r) for r in resources])


@vault.command("dissociate")
@click.argument("vault_ref")
@click.argument("resources", nargs=-1, required=True)
@json_command
def vault_dissociate(console: Console, vault_ref: str, resources: tuple[str, ...]) -> object:
    """Dissociate resources; their backups in this vault are deleted."""
    return console.associations.dissociate(vault_ref, resources)


@vault.command("migrate")
@click.argument("vault_ref")
@click.argument("resources", nargs=-1, required=True)
@click.option("--to", "destination", required=True, help="The vault (name or ID) the resources move to.")
@json_command
def vault_migrate(console: Console, vault_ref: str, resources: tuple[str, ...], destination: str) -> object:
    """Move resources, with their backups, to another vault of the same type."""
    return console.migration.migrate(vault_ref, destination, resources)


@vault.command("expand")
@click.argument("vault_ref")
@click.option("--size", required=True, help="The new total capacity (GB, or TB for hybrid and file vaults).")
@json_command
def vault_expand(console: Console, vault_ref: str, size: str) -> object:
    current = console.vaults.show(vault_ref)
    return console.vaults.expand(vault_ref, params.size_gb(size, ObjectType(current.billing.object_type)))


@vault.command("enable-auto-bind")
@click.argument("vault_ref")
@click.option("--tag", "tags", multiple=True, help="Only resources with one of these tags (<= 5).")
@json_command
def vault_enable_auto_bind(console: Console, vault_ref: str, tags: tuple[str, ...]) -> object:
    """Enable Automatic Association (needs remaining capacity > 40 GB and > the associated capacity)."""
    return console.vaults.enable_auto_bind(vault_ref, params.tags(tags))


@vault.command("disable-auto-bind")
@click.argument("vault_ref")
@json_command
def vault_disable_auto_bind(console: Console, vault_ref: str) -> object:
    return console.vaults.disable_auto_bind(vault_ref)


@vault.command("tag")
@click.argument("vault_ref")
@click.argument("tags", nargs=-1, required=True)
@json_command
def vault_tag(console: Console, vault_ref: str, tags: tuple[str, ...]) -> object:
    """Add or change tags (key=value)."""
    return console.vaults.add_tags(vault_ref, params.tags(tags))


@vault.command("untag")
@click.argument("vault_ref")
@click.argument("keys", nargs=-1, required=True)
@json_command
def vault_untag(console: Console, vault_ref: str, keys: tuple[str, ...]) -> object:
    return console.vaults.remove_tags(vault_ref, keys)


@vault.command("tags")
@json_command
def vault_tags(console: Console) -> object:
    """Every tag key and value used by vaults in this region."""
    return console.vaults.project_tags()


@vault.command("apply-policy")
@click.argument("vault_ref")
@click.argument("policy_ref")
@click.option("--destination-vault", help="Replication policies: the replication vault in the destination region.")
@json_command
def vault_apply_policy(console: Console, vault_ref: str, policy_ref: str, destination_vault: str | None) -> object:
    return console.policies.apply(vault_ref, policy_ref, destination_vault)


@vault.command("remove-policy")
@click.argument("vault_ref")
@click.argument("policy_ref")
@json_command
def vault_remove_policy(console: Console, vault_ref: str, policy_ref: str) -> object:
    return console.policies.remove(vault_ref, policy_ref)


@vault.command("delete")
@click.argument("vault_ref")
@json_command
def vault_delete(console: Console, vault_ref: str) -> object:
    """Delete a pay-per-use vault and all its backups."""
    return console.vaults.delete(vault_ref)


@vault.command("unsubscribe")
@click.argument("vault_ref")
@json_command
def vault_unsubscribe(console: Console, vault_ref: str) -> object:
    """Unsubscribe a yearly/monthly vault: delete it with its backups, refund the unused share."""
    return console.vaults.unsubscribe(vault_ref)


@vault.command("renew")
@click.argument("vault_ref")
@click.option("--duration", type=params.WHOLE, required=True,
              help="How many of the vault's terms (months or years) to renew for, counted from its expiry.")
@click.option("--unit", type=click.Choice(["month", "year"]), help="Renew in months or years (default: the vault's).")
@json_command
def vault_renew(console: Console, vault_ref: str, duration: int, unit: str | None) -> object:
    """Renew a yearly/monthly vault from the balance; an expired (frozen) vault is available again."""
    return console.billing.renew(vault_ref, duration, unit)


@vault.command("auto-renew")
@click.argument("vault_ref")
@click.argument("state", type=click.Choice(["on", "off"]))
@json_command
def vault_auto_renew(console: Console, vault_ref: str, state: str) -> object:
    """Turn a yearly/monthly vault's auto-renewal on or off."""
    return console.billing.set_auto_renew(vault_ref, state == "on")


@vault.command("verify")
@click.argument("vault_ref")
@click.option("--read-data", "read_share", type=params.NUMBER, default=0.0, show_default=True,
              help="Also read and hash this share (0 to 1) of the vault's data.")
@json_command
def vault_verify(console: Console, vault_ref: str, read_share: float) -> object:
    """Check the vault's backups; damaged data is marked and the next backup stores good copies. Exits with
    status 1 when the vault is not clean, so that a script checking its vaults sees it."""
    answer = console.maintenance.verify(vault_ref, read_share=read_share)
    if not answer.verify.clean:
        emit(answer)
        sys.exit(1)
    return answer


@vault.command("repair-zones")
@click.argument("vault_ref")
@click.option("--read-data", is_flag=True,
              help="Read every blob in both zones first, and replace the copies damaged in one zone too.")
@json_command
def vault_repair_zones(console: Console, vault_ref: str, read_data: bool) -> object:
    """Copy into each zone of a Multi-AZ vault the objects it lacks, and with --read-data those damaged
    there (`vault verify` lists both), from the other zone."""
    return console.maintenance.repair_zones(vault_ref, read_data=read_data)


@vault.command("recover")
@click.argument("vault_ref", required=False)
@click.option("--all", "everything", is_flag=True, help="Recover every vault the data directory holds.")
@json_command
def vault_recover(console: Console, vault_ref: str | None, everything: bool) -> object:
    """Rebuild vaults and their backups in the database from the vaults' own object stores."""
    return console.recovery.recover(vault_ref, everything=everything)


@vault.command("audit")
@click.argument("vault_ref")
@click.option("--fix", is_flag=True, help="Correct reference counts and used capacity.")
@json_command
def vault_audit(console: Console, vault_ref: str, fix: bool) -> object:
    """Recompute reference counts and used capacity from the backups and compare."""
    return console.maintenance.audit(vault_ref, fix=fix)


@vault.command("gc")
@click.argument("vault_ref")
@click.option("--grace-minutes", type=params.NUMBER, default=10, show_default=True,
              help="Keep unreferenced data this long (a backup starting now may still want it).")
@json_command
def vault_gc(console: Console, vault_ref: str, grace_minutes: float) -> object:
    """Delete data no backup uses and leftovers of interrupted backups."""
    return console.maintenance.collect_garbage(vault_ref, grace_minutes=grace_minutes, wait=True)


@click.group()
def protectable() -> None:
    """Resources a vault type can protect, and whether each can be associated now."""


@protectable.command("list")
@click.option("--type", "vault_kind", type=params.VAULT_TYPE_CHOICE, required=True)
@click.option("--vault", "vault_ref", help="Judge eligibility for this vault.")
@click.option("--name")
@json_command
def protectable_list(console: Console, vault_kind: str, vault_ref: str | None, name: str | None) -> object:
    object_type = params.object_type(vault_kind)
    assert object_type is not None
    return console.protectables.list(object_type, vault=vault_ref, name=name)

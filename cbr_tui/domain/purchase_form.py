"""What the purchase wizard of each vault type asks and says, in the seed's order and words (sections 3.1-3.6).

The console builds its wizard from this and nothing else: which steps a type has (a replication vault selects
no resources and takes no backup policy or automatic association), the choices each step offers (durations
of 1 to 9 months or 1 to 5 years, as `rules.check_period` enforces), and the sentences that explain them."""

from dataclasses import dataclass

from cbr_tui.domain.enums import ObjectType, PeriodType, ProtectType
from cbr_tui.domain.rules import MONTHS_MAX, YEARS_MAX
from cbr_tui.domain.vault_types import GB_PER_TB, VaultType

STEP_TITLES = {
    "billing": "Billing Mode",
    "protection": "Protection Type",
    "app_consistent": "Application-Consistent Backup",
    "redundancy": "Backup Data Redundancy",
    "resources": "Select Resources",
    "capacity": "Vault Capacity",
    "auto_backup": "Auto Backup",
    "enterprise_project": "Enterprise Project",
    "auto_bind": "Automatic Association",
    "tags": "Tags",
    "name": "Name",
    "duration": "Required Duration",
    "confirm": "Confirm and Pay",
}

# Steps that only make sense for a vault that backs resources up: a replication vault stores replicas.
BACKUP_ONLY_STEPS = ("resources", "auto_backup", "auto_bind")

BILLING_TEXT = (
    "Yearly/Monthly is prepaid for the duration you choose: ideal when you know how long you need the vault, "
    "and a longer subscription often costs less. Pay-per-use is billed by the hour for what you use; you can "
    "expand or delete the vault at any time.")
REDUNDANCY_TEXT = (
    "Single-AZ stores backup data in one availability zone, at a lower cost. Multi-AZ stores it in several, for "
    "higher reliability. It cannot be changed after the vault is bought.")
APP_CONSISTENT_TEXT = (
    "On: the vault stores database server backups (MySQL, SAP HANA...), transactionally consistent; if an "
    "application-consistent backup fails, an ordinary server backup is made instead. Off: ordinary server "
    "backups, for servers not running databases.")
ENTERPRISE_PROJECT_TEXT = (
    "Enterprise projects group cloud resources, users and user groups for management; the default one is "
    "'default'.")
AUTO_BIND_TEXT = (
    "Configure: in each backup period the vault associates unprotected resources (those with one of the tags "
    "below, or all of them) and backs them up; it needs remaining capacity above 40 GB and above the "
    "associated capacity. Skip: it associates nothing by itself.")
TAGS_TEXT = (
    "Tags identify and classify vaults (at most 10). A key has 1 to 36 and a value 0 to 43 letters, digits, "
    "underscores (_) or hyphens (-).")
NAME_TEXT = "1 to 64 letters, digits, underscores (_) or hyphens (-); the proposed vault_xxxx can be kept."
DURATION_TEXT = (
    "From 1 month to 5 years. With auto-renewal, a monthly subscription renews each month and a yearly one each "
    "year.")
NO_DURATION_TEXT = "Pay-per-use vaults are billed by the hour and have no required duration."


@dataclass(frozen=True)
class Choice:
    label: str
    text: str


def purchase_steps(vtype: VaultType, protect_type: ProtectType) -> tuple[str, ...]:
    """The steps of this type's wizard for the chosen protection type, in the seed's order."""
    if protect_type is ProtectType.REPLICATION:
        return tuple(step for step in vtype.wizard_steps if step not in BACKUP_ONLY_STEPS)
    return vtype.wizard_steps


def with_article(noun: str) -> str:
    """`a server backup vault`, `an SFS Turbo backup vault`."""
    return f"{'an' if noun.startswith(('SFS', 'a', 'e', 'i', 'o', 'u')) else 'a'} {noun}"


def vault_kind(vtype: VaultType, protect_type: ProtectType) -> str:
    """What is bought, in words: `server backup vault`, `server replication vault`, `SFS Turbo backup vault`."""
    if protect_type is ProtectType.REPLICATION:
        return vtype.vault_label.replace(" backup vault", " replication vault")
    return vtype.vault_label


def sentence(text: str) -> str:
    """The first letter in capitals, the rest as written (`SFS Turbo` stays so)."""
    return text[:1].upper() + text[1:]


def protection_choices(vtype: VaultType) -> tuple[Choice, Choice]:
    """Backup and replication, as the type's seed section words them (3.1 servers, 3.3 SFS Turbo, 3.5 hybrid)."""
    if vtype.object_type is ObjectType.VMWARE:
        return (Choice("Backup", "A hybrid cloud backup vault stores backups."),
                Choice("Replication (cross-region)", "A hybrid replication vault stores replicas of backups."))
    noun, label = vtype.resource_noun, vtype.vault_label.removesuffix(" backup vault")
    return (Choice("Backup", sentence(f"{with_article(vtype.vault_label)} stores {label} backups.")),
            Choice("Replication", sentence(f"{with_article(label + ' replication vault')} stores replicas of "
                                           f"{label} backups from another region; you do not select any {noun}.")))


def duration_choices(period_type: PeriodType) -> tuple[int, ...]:
    """The required durations on offer: 1 to 9 months, or 1 to 5 years (the seed: 1 month to 5 years)."""
    return tuple(range(1, (YEARS_MAX if period_type is PeriodType.YEAR else MONTHS_MAX) + 1))


def capacity_label(vtype: VaultType) -> str:
    unit = vtype.capacity_unit
    low, high = vtype.min_size_gb, vtype.max_size_gb
    if unit == "TB":
        low, high = low // GB_PER_TB, high // GB_PER_TB
    return f"Capacity ({unit}), {low:,} to {high:,}"


def capacity_text(vtype: VaultType) -> str:
    """How to plan the capacity (the seed's sentence for the type)."""
    if vtype.object_type is ObjectType.VMWARE:
        return "The vault capacity cannot be less than the size of the backups you will synchronize to it."
    if vtype.object_type is ObjectType.FILE:
        return ("Plan it to be at least the size of the files you want to back up: check the file sizes on your "
                "hosts. You can expand it later as the used space grows.")
    text = f"Plan it to be at least the size of the {vtype.resource_noun}s you want to back up."
    if vtype.offers_auto_bind_step:
        text += " Automatic association with a backup policy needs more."
    return text + " You can expand it later as the used space grows."


def resources_text(vtype: VaultType) -> str:
    text = (f"Optional: the {vtype.resource_noun}s to back up. They must not be in another vault and must be in a "
            "state that allows backup. You can also associate them later.")
    if vtype.object_type is ObjectType.SERVER:
        text += (" A server's disks can be chosen one by one, but backing up the whole server avoids "
                 "inconsistent data after a restore.")
    return text


def auto_backup_text(vtype: VaultType) -> str:
    what = "files" if vtype.object_type is ObjectType.FILE else f"{vtype.resource_noun}s"
    return (f"Configure: the vault gets an existing backup policy or a new one, and all {what} associated with it "
            f"are backed up automatically. Skip: nothing is backed up automatically until a policy is applied.")


def specification(vtype: VaultType, protect_type: str, consistent_level: str) -> str:
    """The vault list's Specifications (what the vault stores): Server backup, Database server backup..."""
    if protect_type == ProtectType.REPLICATION.value:
        return f"{vtype.resource_noun.capitalize()} replicas" if vtype.takes_resources else "Replicas"
    if consistent_level == "app_consistent":
        return "Database server backup"
    return {ObjectType.VMWARE: "Hybrid cloud backup", ObjectType.FILE: "File backup"}.get(
        vtype.object_type, f"{vtype.resource_noun.capitalize()} backup")

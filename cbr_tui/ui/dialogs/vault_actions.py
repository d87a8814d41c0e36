"""The dialogs of the vault list's Operation column: Perform Backup, Associate, automatic association,
Expand Capacity, Edit Tags, Apply Policy, Check Data, Delete / Unsubscribe."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Label, Select, SelectionList, Switch
from textual.widgets.selection_list import Selection

from cbr_tui.domain.eligibility import (
    backup_kind_refusal,
    ensure_vault_allows_backup,
    ensure_vault_allows_expansion,
)
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.rules import (
    ALARM_THRESHOLD_RANGE,
    check_description,
    check_name,
    check_tag_filter,
    check_tags,
    check_threshold,
)
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui import reach
from cbr_tui.ui.dialogs.base import Dialog, MessageDialog
from cbr_tui.ui.dialogs.vault_check import CheckDataDialog
from cbr_tui.ui.widgets.checklist import CheckList
from cbr_tui.ui.widgets.fields import Field, capacity_check, parse_pairs, whole_number
from cbr_tui.ui.widgets.resource_picker import ResourcePicker
from cbr_tui.ui.widgets.switch import WordedSwitch

if TYPE_CHECKING:
    from cbr_tui.services.views import VaultPolicyLink, VaultView


class VaultDialog(Dialog[str | None]):
    """A dialog about one vault; dismisses with a short message for the caller to show."""

    def __init__(self, vault: VaultView) -> None:
        super().__init__()
        self.vault = vault
        self.vtype = vault_type(vault.billing.object_type)


class PerformBackupDialog(VaultDialog):
    ok_label = "OK"

    def __init__(self, vault: VaultView, only: str | None = None) -> None:
        super().__init__(vault)
        self.title_text = "Perform Backup"
        self.only = only

    def body(self) -> ComposeResult:
        yield Label("Backup will be performed for the selected resources immediately.", classes="dialog-text")
        options = []
        for resource in self.vault.resources:
            prompt = Text.assemble((resource.name, "bold"), f"  {resource.size:,} GB  ",
                                   f"{resource.backup_count} backups  ", resource.protect_status)
            chosen = self.only is None or resource.id == self.only
            options.append(Selection(prompt, resource.id, chosen))
        yield CheckList[str](*options, id="backup-resources")
        yield Field("Name (1-64 letters, digits, _ or -; several resources get -0001, -0002...)",
                    lambda text: check_name(text, "backup"), value=self.services.backups.default_name(),
                    id="backup-name")
        yield Field("Description (up to 255 characters)", check_description, id="backup-description")
        if self.vtype.offers_full_backup:
            yield WordedSwitch("Full Backup", False, id="backup-full", on_word="Enabled: every disk is read in full",
                               off_word="Disabled: incremental, only changed data is read")

    def submit(self) -> None:
        resources = list(self.query_one("#backup-resources", SelectionList).selected)
        name = self.query_one("#backup-name", Field).validate()
        description_field = self.query_one("#backup-description", Field)
        if name is None or (description_field.text and description_field.validate() is None):
            return
        if not resources:
            self.show_error("Select at least one resource to back up.")
            return
        full = any(switch.value for switch in self.query("#backup-full").results(Switch))
        self.run(lambda: self.services.backups.perform(
            self.vault.id, resources=resources, name=name, description=description_field.text or None,
            full=full), "Backup started: watch it on the Backups tab.")


class AssociateDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Associate {self.vtype.resource_noun.title()}s with {vault.name}"

    def body(self) -> ComposeResult:
        billing = self.vault.billing
        yield Label(f"Vault capacity {billing.size:,} GB, associated {billing.allocated:,} GB.",
                    classes="dialog-text")
        yield ResourcePicker(ObjectType(billing.object_type), vault=self.vault.id)

    def submit(self) -> None:
        chosen = self.query_one(ResourcePicker).selections()
        if not chosen:
            self.show_error("Select at least one resource to associate.")
            return
        self.run(lambda: self.services.associations.associate(self.vault.id, chosen),
                 f"{len(chosen)} associated with {self.vault.name}.")


class AutoBindDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.enable = not vault.auto_bind
        self.title_text = ("Enable" if self.enable else "Disable") + " Automatic Association"

    def body(self) -> ComposeResult:
        billing = self.vault.billing
        if self.enable:
            yield Label("The vault will associate unprotected resources in its next backup period and back "
                        "them up. It needs remaining capacity greater than both 40 GB and the associated "
                        f"capacity: {billing.size:,} GB total, {billing.allocated:,} GB associated.",
                        classes="dialog-text")
            yield Field("Only resources with one of these tags (key=value, up to 5; empty: all)",
                        lambda text: check_tag_filter(parse_pairs(text), "automatic association rule"),
                        id="bind-tags")
        else:
            yield Label("The vault stops associating resources automatically; associated ones stay.",
                        classes="dialog-text")

    def submit(self) -> None:
        if not self.enable:
            self.run(lambda: self.services.vaults.disable_auto_bind(self.vault.id),
                     "Automatic association disabled.")
            return
        tags = self.query_one("#bind-tags", Field).validate()
        if tags is None:
            return
        self.run(lambda: self.services.vaults.enable_auto_bind(self.vault.id, tags),
                 "Automatic association enabled.")


class ExpandDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Expand Capacity of {vault.name}"

    def body(self) -> ComposeResult:
        unit = self.vtype.capacity_unit
        current = self.vtype.size_in_console_unit(self.vault.billing.size)
        step = 1 if unit == "TB" else 10
        yield Label(f"Current capacity {current:,} {unit}. "
                    + ("Yearly/monthly vaults pay for the added capacity until they expire."
                       if self.vault.billing.charging_mode == "pre_paid" else "Billed by the hour."),
                    classes="dialog-text")
        yield Field(f"New total capacity ({unit})", capacity_check(self.vtype), value=str(current + step),
                    id="new-size")

    def submit(self) -> None:
        size = self.query_one("#new-size", Field).validate()
        if size is not None:
            self.run(lambda: self.services.vaults.expand(self.vault.id, size), "Capacity expanded.")


class CapacityAlarmDialog(VaultDialog):
    """When CBR notifies (SMN) that the vault is filling up: at a share of its capacity used."""

    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Capacity Alarm of {vault.name}"

    def body(self) -> ComposeResult:
        low, high = ALARM_THRESHOLD_RANGE
        yield Label("CBR sends a notification when the vault's used capacity reaches this share of its capacity, "
                    "once each time it crosses it (see `cbr-tui vault notices`).", classes="dialog-text")
        yield Field(f"Threshold (% used, {low}-{high})", lambda text: check_threshold(whole_number(text)),
                    value=str(self.vault.threshold), id="alarm-threshold")
        yield WordedSwitch("Notification", self.vault.smn_notify, id="alarm-notify", on_word="Send",
                           off_word="Do not send")

    def submit(self) -> None:
        threshold = self.query_one("#alarm-threshold", Field).validate()
        if threshold is not None:
            notify = self.query_one("#alarm-notify", Switch).value
            self.run(lambda: self.services.vaults.set_alarm(self.vault.id, threshold=threshold, smn_notify=notify),
                     f"Capacity alarm at {threshold}%{'' if notify else ', without notification'}.")


class TagsDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Tags of {vault.name}"

    def body(self) -> ComposeResult:
        current = ", ".join(f"{t.key}={t.value}" if t.value else t.key for t in self.vault.tags)
        yield Label("Key 1-36 and value 0-43 letters, digits, _ or -; at most 10 tags, keys unique.",
                    classes="dialog-text")
        yield Field("Tags (key=value, ...)", lambda text: check_tags(parse_pairs(text)), value=current,
                    id="tags")

    def submit(self) -> None:
        wanted = self.query_one("#tags", Field).validate()
        if wanted is None:
            return
        keys = {t.key for t in wanted}
        removed = [t.key for t in self.vault.tags if t.key not in keys]

        def apply() -> None:
            if removed:
                self.services.vaults.remove_tags(self.vault.id, removed)
            if wanted:
                self.services.vaults.add_tags(self.vault.id, wanted)

        self.run(apply, "Tags saved.")


class ApplyPolicyDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Apply Backup Policy to {vault.name}"

    def body(self) -> ComposeResult:
        policies = self.services.policies.list(operation_type="backup").policies
        current = self._current()
        options = [("No policy (remove the current one)", "")] + [
            (f"{p.name} ({'enabled' if p.enabled else 'disabled'})", p.id) for p in policies]
        yield Label("A vault has at most one backup policy; applying another replaces it.", classes="dialog-text")
        yield Select(options, value=current or "", allow_blank=False, id="policy")

    def _current(self) -> str | None:
        link = self.vault.policy_of("backup")
        return link.policy_id if link else None

    def submit(self) -> None:
        chosen = self.query_one("#policy", Select).value
        current = self._current()
        if chosen:
            self.run(lambda: self.services.policies.apply(self.vault.id, str(chosen)), "Policy applied.")
        elif current:
            self.run(lambda: self.services.policies.remove(self.vault.id, current), "Policy removed.")
        else:
            self.dismiss(None)


class ApplyReplicationPolicyDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Apply Replication Policy to {vault.name}"

    def body(self) -> ComposeResult:
        policies = self.services.policies.list(operation_type="replication").policies
        destinations = self.services.replication.destinations().destinations
        current = self._current()
        yield Label("At each run time of the policy, the vault's backups not yet replicated are copied to the "
                    "destination vault, a server replication vault in the policy's destination region.",
                    classes="dialog-text")
        yield Label("Replication policy", classes="field-label")
        options = [("No policy (remove the current one)", "")] + [
            (f"{p.name} (to {p.operation_definition.destination_region})", p.id) for p in policies]
        yield Select(options, value=current.policy_id if current else "", allow_blank=False, id="policy")
        yield Label("Destination vault", classes="field-label")
        vaults = [(f"{d.vault_name} ({d.region_name})", d.vault_id) for d in destinations]
        chosen = current.destination_vault_id if current else None
        yield Select(vaults, value=chosen if chosen in {v for _l, v in vaults} else Select.NULL,
                     prompt="Choose a replication vault", id="destination")

    def _current(self) -> VaultPolicyLink | None:
        return self.vault.policy_of("replication")

    def submit(self) -> None:
        chosen = self.query_one("#policy", Select).value
        destination = self.query_one("#destination", Select).value
        current = self._current()
        if chosen and not isinstance(destination, str):
            self.show_error("Choose the destination vault.")
        elif chosen:
            self.run(lambda: self.services.policies.apply(self.vault.id, str(chosen), str(destination)),
                     "Replication policy applied.")
        elif current:
            self.run(lambda: self.services.policies.remove(self.vault.id, current.policy_id),
                     "Replication policy removed.")
        else:
            self.dismiss(None)


class DeleteVaultDialog(VaultDialog):
    ok_variant = "error"

    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.pre_paid = vault.billing.charging_mode == "pre_paid"
        self.title_text = ("Unsubscribe " if self.pre_paid else "Delete ") + vault.name
        self.ok_label = "Unsubscribe" if self.pre_paid else "Delete"

    def body(self) -> ComposeResult:
        count = self.services.backups.list(vault=self.vault.id, limit=1).count
        consequences = [
            f"All {count} backups stored in the vault will be deleted; they cannot be used to restore data.",
            f"Its {len(self.vault.resources)} associated resources will no longer be backed up.",
        ]
        if self.pre_paid:
            terms = self.services.vaults.unsubscription(self.vault.id)
            consequences.append(
                f"{terms.refund} USD is refunded to the balance: all of the {terms.paid} paid, within five days "
                "of the purchase." if terms.five_day_unconditional else
                f"Nothing is refunded: the {terms.paid} paid covered the {terms.days_subscribed} days, all "
                "used." if terms.days_used >= terms.days_subscribed else
                f"{terms.refund} USD is refunded to the balance: the {terms.paid} paid, less {terms.consumed} "
                f"for the {terms.days_used} of {terms.days_subscribed} days used and a handling fee of "
                f"{terms.handling_fee}.")
        yield Label("\n".join(f"• {line}" for line in consequences), classes="dialog-text")

    def submit(self) -> None:
        action = self.services.vaults.unsubscribe if self.pre_paid else self.services.vaults.delete
        self.run(lambda: action(self.vault.id), lambda removal: f"{self.vault.name} deleted." + (
            f" Its data stays in its bucket until the bucket answers: {removal.objects_left}"
            if removal.objects_left else ""))


def backup_refusal(vault: VaultView) -> CbrError | None:
    """Why this vault takes no backups at all (a replication or hybrid vault), as the service would say."""
    return backup_kind_refusal(vault.name, vault.billing.object_type, vault.billing.protect_type)


def _refused(rule: Callable[[str, str], None], name: str, status: str) -> bool:
    """Whether the domain's rule refuses the operation in the vault's status (a frozen vault backs nothing
    up): the menu does not offer what can only be refused."""
    try:
        rule(name, status)
    except CbrError:
        return True
    return False


def more_actions(vault: VaultView) -> list[tuple[str, str]]:
    """The More menu of a vault row: (label, action name)."""
    status = vault.billing.status
    actions = [] if backup_refusal(vault) or _refused(ensure_vault_allows_backup, vault.name, status) else [
        ("Perform Backup", "backup")]
    if not _refused(ensure_vault_allows_expansion, vault.name, status):
        actions.append(("Expand Capacity", "expand"))
    vtype = vault_type(vault.billing.object_type)
    if vtype.takes_resources and vault.billing.protect_type == "backup":
        actions.append(("Disable Automatic Association" if vault.auto_bind else "Enable Automatic Association",
                        "auto_bind"))
    if vtype.offers_policy and vault.billing.protect_type == "backup":
        actions.append(("Apply Backup Policy", "policy"))
    if vtype.offers_replication and vault.billing.protect_type == "backup":
        actions.append(("Apply Replication Policy", "replication_policy"))
    actions += [("Edit Tags", "tags"), ("Capacity Alarm", "alarm"), ("Check Data", "check")]
    if vault.billing.charging_mode == "pre_paid":
        actions += [("Renew", "renew"),
                    ("Disable Auto-Renew" if vault.billing.is_auto_renew else "Enable Auto-Renew", "auto_renew"),
                    ("Unsubscribe", "delete")]
    else:
        actions.append(("Delete", "delete"))
    return actions


DIALOGS = {
    "backup": PerformBackupDialog,
    "associate": AssociateDialog,
    "auto_bind": AutoBindDialog,
    "expand": ExpandDialog,
    "tags": TagsDialog,
    "alarm": CapacityAlarmDialog,
    "policy": ApplyPolicyDialog,
    "replication_policy": ApplyReplicationPolicyDialog,
    "check": CheckDataDialog,
    "delete": DeleteVaultDialog,
}


def open_vault_dialog(app: App[Any], action: str, vault: VaultView, done: Callable[[str | None], None],
                      **options: Any) -> None:
    """Open the dialog of a vault operation; one the vault can never do (Perform Backup on a replication
    vault, Associate in a vault that takes no new resources) is refused at once, with the service's code
    and sentence."""
    refusal = backup_refusal(vault) if action == "backup" else None
    if refusal is not None:
        app.push_screen(MessageDialog.of(refusal))
        return
    if action == "associate":
        services = reach.services(app)
        closed = services.protectables.list(vault.billing.object_type, vault=vault.id).vault_refusal
        if closed:
            app.push_screen(MessageDialog(closed.error_code, closed.error_msg))
            return
    if action in ("renew", "auto_renew"):  # billing's dialogs build on this module's VaultDialog
        from cbr_tui.ui.dialogs.billing_actions import AutoRenewDialog, RenewDialog

        app.push_screen({"renew": RenewDialog, "auto_renew": AutoRenewDialog}[action](vault), callback=done)
        return
    app.push_screen(DIALOGS[action](vault, **options), callback=done)

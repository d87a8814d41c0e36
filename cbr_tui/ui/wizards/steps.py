"""The steps of the purchase wizard, in the seed's order, with its defaults and its words."""

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, RadioButton, RadioSet, Select, Switch

from cbr_tui.domain.rules import check_description, check_name, check_tag_filter, check_tags
from cbr_tui.domain.vault_types import GB_PER_TB, VaultType
from cbr_tui.ui.widgets.fields import Field, capacity_check, parse_pairs
from cbr_tui.ui.widgets.policy_form import PolicyForm
from cbr_tui.ui.widgets.resource_picker import ResourcePicker

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


def _text(text: str) -> Label:
    return Label(text, classes="step-text")


def radio(options: list[str], selected: int = 0, *, id: str) -> RadioSet:
    return RadioSet(*(RadioButton(label, value=index == selected) for index, label in enumerate(options)), id=id)


def compose_step(step: str, vtype: VaultType, services: Any) -> ComposeResult:
    """The widgets of one step."""
    noun = vtype.resource_noun
    if step == "billing":
        yield radio(["Yearly/Monthly", "Pay-per-use"], id="billing")
        yield _text("Yearly/monthly is prepaid for the duration you choose: a longer subscription costs less. "
                    "Pay-per-use is billed by the hour; you can change or delete the vault at any time.")
    elif step == "protection":
        yield radio(["Backup", "Replication"], id="protection")
        yield _text(f"Backup: the vault stores {noun} backups. Replication: it stores replicas of backups from "
                    f"another region, and you do not select any {noun}.")
    elif step == "app_consistent":
        yield Switch(value=False, id="app-consistent")
        yield _text("Enabled: the vault stores database server backups that are transactionally consistent "
                    "(MySQL, SAP HANA...). Disabled: ordinary server backups.")
    elif step == "redundancy":
        yield radio(["Single-AZ", "Multi-AZ"], id="redundancy")
        yield _text("Single-AZ stores backup data in one AZ, at lower cost; Multi-AZ in several, for higher "
                    "reliability. It cannot be changed after the vault is bought.")
    elif step == "resources":
        yield _text(f"Optional: {noun}s to back up. They must not be in another vault and must be in a state "
                    "that allows backup. You can also associate them later.")
        yield ResourcePicker(vtype.object_type, id="resources")
    elif step == "capacity":
        low, high = vtype.min_size_gb, vtype.max_size_gb
        unit = vtype.capacity_unit
        shown = (low // GB_PER_TB, high // GB_PER_TB) if unit == "TB" else (low, high)
        yield Field(f"Capacity ({unit}), {shown[0]:,} to {shown[1]:,}; at least the size of the selected "
                    f"{noun}s", capacity_check(vtype), value=str(100 if unit == "GB" else 1), id="capacity")
        yield Label("", id="capacity-hint", classes="step-text")
    elif step == "auto_backup":
        policies = services.policies.list(operation_type="backup")["policies"]
        options = [("Skip: no automatic backup until a policy is applied", "skip"),
                   ("Configure: create a new backup policy", "new")]
        options += [(f"Configure: use policy {p['name']}", p["id"]) for p in policies]
        yield Select(options, value="skip", allow_blank=False, id="auto-backup")
        yield PolicyForm(services.policies.default_name(), id="new-policy")
    elif step == "enterprise_project":
        projects = services.accounts.enterprise_projects()["enterprise_projects"]
        yield Select([(p["name"], p["id"]) for p in projects], value="0", allow_blank=False,
                     id="enterprise-project")
        yield _text("Enterprise projects group cloud resources for management; the default one is 'default'.")
    elif step == "auto_bind":
        yield radio(["Skip", "Configure"], id="auto-bind")
        yield _text("Configure: in each backup period the vault associates unprotected resources and backs "
                    "them up. It needs remaining capacity above 40 GB and above the associated capacity.")
        yield Field("Only resources with one of these tags (key=value, up to 5; empty: all)",
                    lambda text: check_tag_filter(parse_pairs(text), "automatic association rule"), id="bind-tags")
    elif step == "tags":
        yield Field("Tags (key=value, ...; at most 10; key 1-36 and value 0-43 letters, digits, _ or -)",
                    lambda text: check_tags(parse_pairs(text)), id="tags")
    elif step == "name":
        yield Field("Name (1-64 letters, digits, _ or -)", check_name, value=services.vaults.default_name(),
                    id="name")
        yield Field("Description (optional, up to 255 characters)", check_description, id="description")
    elif step == "duration":
        yield radio(["Monthly", "Yearly"], id="period-type")
        yield Select([(f"{n}", n) for n in range(1, 10)], value=1, allow_blank=False, id="period-num")
        yield Label("Auto renewal", classes="field-label")
        yield Switch(value=False, id="auto-renew")
        yield _text("1 to 9 months, or 1 to 5 years. Auto renewal renews monthly or yearly subscriptions.")
        yield Label("Pay-per-use vaults are billed by the hour and have no duration.", id="no-duration",
                    classes="step-text")
    elif step == "confirm":
        yield Label("", id="summary", classes="step-text")

"""The widgets of each purchase step; what they offer and say comes from `domain.purchase_form`."""

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label, Select

from cbr_tui.domain import purchase_form as form
from cbr_tui.domain.enums import PeriodType
from cbr_tui.domain.permissions import DEFAULT_ENTERPRISE_PROJECT
from cbr_tui.domain.rules import check_description, check_name, check_tag_filter, check_tags
from cbr_tui.domain.vault_types import VaultType
from cbr_tui.ui.widgets.fields import Field, capacity_check, parse_pairs
from cbr_tui.ui.widgets.policy_form import PolicyForm
from cbr_tui.ui.widgets.resource_picker import ResourcePicker
from cbr_tui.ui.widgets.switch import WordedSwitch, radio

if TYPE_CHECKING:
    from cbr_tui.services.console import Console


def _text(text: str, id: str | None = None) -> Label:
    return Label(text, classes="step-text", id=id)


def duration_options(period_type: PeriodType) -> list[tuple[str, int]]:
    unit = period_type.value
    return [(f"{n} {unit}{'s' if n > 1 else ''}", n) for n in form.duration_choices(period_type)]


def compose_step(step: str, vtype: VaultType, services: "Console") -> ComposeResult:
    """The widgets of one step."""
    if step == "billing":
        yield radio(["Yearly/Monthly", "Pay-per-use"], id="billing")
        yield _text(form.BILLING_TEXT)
    elif step == "protection":
        backup, replication = form.protection_choices(vtype)
        yield radio([backup.label, replication.label], id="protection")
        yield _text(f"{backup.label}: {backup.text}\n{replication.label}: {replication.text}")
    elif step == "app_consistent":
        yield WordedSwitch("Application-consistent backup", False, id="app-consistent")
        yield _text(form.APP_CONSISTENT_TEXT)
    elif step == "redundancy":
        yield radio(["Single-AZ", "Multi-AZ"], id="redundancy")
        yield _text(form.REDUNDANCY_TEXT)
    elif step == "resources":
        yield _text(form.resources_text(vtype))
        yield ResourcePicker(vtype.object_type, id="resources")
    elif step == "capacity":
        yield Field(form.capacity_label(vtype), capacity_check(vtype), value=str(100 if vtype.capacity_unit == "GB"
                                                                                 else 1), id="capacity")
        yield _text(form.capacity_text(vtype))
        yield Label("", id="capacity-hint", classes="step-text")
    elif step == "auto_backup":
        policies = services.policies.list(operation_type="backup").policies
        options = [("Skip: no automatic backup until a policy is applied", "skip"),
                   ("Configure: create a new backup policy", "new")]
        options += [(f"Configure: use policy {p.name}", p.id) for p in policies]
        yield Select(options, value="skip", allow_blank=False, id="auto-backup")
        yield _text(form.auto_backup_text(vtype))
        yield PolicyForm(services.policies.default_name(), id="new-policy")
    elif step == "enterprise_project":
        offered = services.accounts.offered_enterprise_projects()
        choices = [(p.name, p.id) for p in offered.enterprise_projects] or [
            ("default", DEFAULT_ENTERPRISE_PROJECT)]
        value = DEFAULT_ENTERPRISE_PROJECT if any(ident == DEFAULT_ENTERPRISE_PROJECT for _name, ident in choices) \
            else choices[0][1]
        yield Select(choices, value=value, allow_blank=False, id="enterprise-project",
                     disabled=not offered.enterprise_projects)
        yield _text(offered.note or form.ENTERPRISE_PROJECT_TEXT)
    elif step == "auto_bind":
        yield radio(["Skip", "Configure"], id="auto-bind")
        yield _text(form.AUTO_BIND_TEXT)
        yield Field("Only resources with one of these tags (key=value, up to 5; empty: all)",
                    lambda text: check_tag_filter(parse_pairs(text), "automatic association rule"), id="bind-tags")
    elif step == "tags":
        yield _text(form.TAGS_TEXT)
        yield Field("Tags (key=value, key=value, ...)", lambda text: check_tags(parse_pairs(text)), id="tags")
    elif step == "name":
        yield Field("Name", check_name, value=services.vaults.default_name(), id="name")
        yield _text(form.NAME_TEXT)
        yield Field("Description (optional, up to 255 characters)", check_description, id="description")
    elif step == "duration":
        yield radio(["Monthly", "Yearly"], id="period-type")
        for period in PeriodType:  # one list per unit, each offering exactly what can be bought
            yield Select(duration_options(period), value=1, allow_blank=False, id=f"period-num-{period.value}")
        yield WordedSwitch("Auto renewal", False, id="auto-renew")
        yield _text(form.DURATION_TEXT, id="duration-text")
        yield _text(form.NO_DURATION_TEXT, id="no-duration")
    elif step == "confirm":
        yield Label("", id="summary", classes="step-text")

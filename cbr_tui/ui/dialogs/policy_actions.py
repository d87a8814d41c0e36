"""Create, modify and delete backup policies (the Policies page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Label, Switch

from cbr_tui.domain.policy_rules import WEEKDAYS, schedule_of
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.policy_form import PolicyForm
from cbr_tui.ui.widgets.switch import WordedSwitch

if TYPE_CHECKING:
    from cbr_tui.services.views import PolicyView


class PolicyDialog(Dialog[str | None]):
    """Create Policy, or Modify a policy when one is given (the form starts from its settings)."""

    def __init__(self, policy: PolicyView | None = None) -> None:
        super().__init__()
        self.policy = policy
        self.title_text = f"Modify Policy {policy.name}" if policy else "Create Backup Policy"

    def body(self) -> ComposeResult:
        yield Label("Backups run on the chosen days at each execution time (UTC). Retention deletes the oldest "
                    "automatic backups beyond the count; manual backups are never deleted by a policy.",
                    classes="dialog-text")
        if self.policy is None:
            yield PolicyForm(self.services.policies.default_name())
        else:
            yield PolicyForm(self.policy.name, **_form_values(self.policy))
        yield WordedSwitch("Status", self.policy.enabled if self.policy else True, id="policy-enabled")

    def submit(self) -> None:
        enabled = self.query_one("#policy-enabled", Switch).value
        spec = self.query_one(PolicyForm).validate(enabled)
        if spec is None:
            return
        if self.policy is None:
            self.run(lambda: self.services.policies.create(spec), f"Policy {spec.name} created.")
            return
        policy_id = self.policy.id
        self.run(lambda: self.services.policies.update(policy_id, name=spec.name, enabled=enabled,
                                                       pattern=spec.pattern, retention=spec.retention),
                 f"Policy {spec.name} saved.")


class DeletePolicyDialog(Dialog[str | None]):
    ok_label = "Delete"
    ok_variant = "error"

    def __init__(self, policy: PolicyView) -> None:
        super().__init__()
        self.policy = policy
        self.title_text = f"Delete Policy {policy.name}"

    def body(self) -> ComposeResult:
        count = len(self.policy.associated_vaults)
        yield Label(f"• The policy is removed from its {count} vault{'s' if count != 1 else ''}; they stop backing "
                    "up automatically until another policy is applied.\n"
                    "• Backups it already made are kept.", classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.policies.delete(self.policy.id), f"Policy {self.policy.name} deleted.")


def _form_values(policy: PolicyView) -> dict[str, Any]:
    """A policy's days, times and retention count, as the form shows them."""
    schedule = schedule_of(policy.pattern)
    keep = policy.operation_definition.max_backups
    return {"days": schedule.days or WEEKDAYS, "times": ", ".join(schedule.times),
            "keep": str(keep) if keep and keep > 0 else ""}

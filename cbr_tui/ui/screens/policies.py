"""The Policies page: backup and replication policies, their schedules, retention and vaults."""



from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label

from cbr_tui.domain.policy_rules import describe_patterns
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.policy_actions import DeletePolicyDialog, PolicyDialog
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import PolicyView


class PoliciesPage(ListPage):
    BINDINGS = [
        Binding("c", "create", "Create Policy", id="policies.create"),
        Binding("e", "toggle_policy", "Enable/Disable", id="policies.toggle"),
        Binding("d", "delete", "Delete", id="policies.delete"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Policies", classes="title")
            yield Button("Create Policy (c)", id="create-policy", variant="primary", compact=True)
        with Horizontal(classes="operations"):
            yield Button("Modify (enter)", id="op-modify", compact=True)
            yield Button("Enable/Disable (e)", id="op-toggle", compact=True)
            yield Button("Delete (d)", id="op-delete", compact=True)
        yield ConsoleTable((("Name/ID", 22), ("Status", 11), ("Type", 11), ("Schedule (UTC)", 26),
                            ("Retention", 14), ("Vaults", 7), ("Next run", 17)), id="policy-table")
        yield Pager(id="policy-pager")

    def refresh_data(self) -> None:
        self.ask(self.console.policies.list,
                 lambda result: self.show_whole_list(result.policies, self._cells, key=lambda policy: policy.id))

    def _cells(self, policy: PolicyView) -> tuple[object, ...]:
        definition = policy.operation_definition
        keep, days = definition.max_backups, definition.retention_duration_days
        retention = f"{keep} backups" if keep and keep > 0 else f"{days} days" if days and days > 0 else "Permanent"
        return (
            fmt.name_and_id(policy.name, policy.id),
            fmt.status("enabled", "Enabled") if policy.enabled else fmt.status("disabled", "Disabled"),
            policy.operation_type.title(),
            describe_patterns(policy.pattern),
            retention,
            str(len(policy.associated_vaults)),
            fmt.when(policy.next_run) if policy.next_run else "--",
        )

    def _with_policy(self, then: Callable[[PolicyView], object]) -> None:
        self.with_selected(self.console.policies.show, "There is no policy yet: create one first.", then)

    @on(Button.Pressed, "#create-policy")
    def action_create(self) -> None:
        self.app.push_screen(PolicyDialog(), callback=self.finished)

    @on(Button.Pressed, "#op-modify")
    @on(ConsoleTable.RowSelected)
    def action_modify(self) -> None:
        self._with_policy(lambda policy: self.app.push_screen(PolicyDialog(policy), callback=self.finished))

    @on(Button.Pressed, "#op-toggle")
    def action_toggle_policy(self) -> None:
        policies = self.console.policies
        self._with_policy(lambda policy: self.operate(
            lambda: policies.update(policy.id, enabled=not policy.enabled),
            lambda _done: f"Policy {policy.name} {'disabled' if policy.enabled else 'enabled'}."))

    @on(Button.Pressed, "#op-delete")
    def action_delete(self) -> None:
        self._with_policy(lambda policy: self.app.push_screen(DeletePolicyDialog(policy), callback=self.finished))

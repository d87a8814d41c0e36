"""A vault's details page: basic information, associated resources, backups, tags, and running tasks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label, TabbedContent, TabPane

from cbr_tui.domain import purchase_form as form
from cbr_tui.domain.eligibility import past_alarm
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.ui import format as fmt
from cbr_tui.ui import reach
from cbr_tui.ui.calls import Asks
from cbr_tui.ui.dialogs.base import ConfirmDialog, MessageDialog
from cbr_tui.ui.dialogs.menu import MenuDialog
from cbr_tui.ui.dialogs.migrate import MigrateDialog
from cbr_tui.ui.dialogs.vault_actions import more_actions, open_vault_dialog
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.screens.backups import BackupList
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.services.views import PolicyView, TaskView, VaultView

REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class Shown:
    """Everything the page shows, asked for together in one worker."""

    vault: VaultView
    policy: PolicyView | None
    projects: dict[str, str]
    running: list[TaskView]


def ask_details(services: Console, vault_id: str) -> Shown:
    vault = services.vaults.show(vault_id)
    applied = vault.policy_of("backup")
    return Shown(vault=vault,
                 policy=services.policies.show(applied.policy_id) if applied is not None else None,
                 projects={p.id: p.name for p in services.accounts.enterprise_projects().enterprise_projects},
                 running=[t for t in services.tasks.list(vault_id=vault_id, limit=20).operation_logs if t.running])


class VaultDetails(Guarded, Asks, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="details.back"),
        Binding("b", "backup_resource", "Perform Backup", id="details.backup"),
        Binding("x", "dissociate", "Dissociate", id="details.dissociate"),
        Binding("g", "migrate", "Migrate", id="details.migrate"),
        Binding("a", "operate('associate')", "Associate", id="details.associate"),
        Binding("m", "more", "More", id="details.more"),
    ]

    def __init__(self, vault_id: str) -> None:
        super().__init__()
        self.vault_id = vault_id
        self.vault: VaultView

    @property
    def services(self) -> Console:
        return reach.services(self)

    def compose(self) -> ComposeResult:
        self.vault = self.services.vaults.show(self.vault_id)
        vtype = vault_type(self.vault.billing.object_type)
        with Horizontal(classes="page-title"):
            yield Label("", id="details-title", classes="title")
            yield Button("Back (esc)", id="details-back", compact=True)
        with Grid(id="basic-info"):
            for key in ("id", "status", "type", "billing", "redundancy", "zone", "project", "policy", "created"):
                yield Label("", id=f"info-{key}")
        with Vertical(id="capacity"):
            yield Label("", id="capacity-text")
            yield Label("", id="capacity-bar")
        yield Vertical(id="running")
        with TabbedContent(id="details-tabs"):
            if vtype.takes_resources:
                with TabPane(f"Associated {vtype.resource_noun.title()}s", id="tab-resources"):
                    yield ConsoleTable((("Name/ID", 24), ("Protection", 12), ("Size (GB)", 10), ("Backups", 8),
                                        ("Disks left out", 30)), id="resource-table")
            with TabPane("Backups", id="tab-vault-backups"):
                yield BackupList(ObjectType(self.vault.billing.object_type), vault_id=self.vault_id)
            with TabPane("Tags", id="tab-tags"):
                yield Label("", id="tags-text")
                yield Button("Edit Tags", id="edit-tags", compact=True)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(REFRESH_SECONDS, self._refresh_live)

    def _refresh_live(self) -> None:
        if not self.busy():
            self.refresh_data()

    def refresh_data(self) -> None:
        services, vault_id = self.services, self.vault_id
        self.ask(lambda: ask_details(services, vault_id), self._show, refused=self._gone)
        self.query_one(BackupList).refresh_data()

    def _gone(self, _error: CbrError) -> None:
        """The vault was deleted (here, by the command line, another console): back to the list, once this
        page is on top again."""
        if self.is_current:
            self.app.pop_screen()

    def _show(self, shown: Shown) -> None:
        self.vault = vault = shown.vault
        billing = vault.billing
        vtype = vault_type(billing.object_type)
        self.query_one("#details-title", Label).update(Text.assemble(
            (vault.name, "bold"), "  ", fmt.vault_status(billing.status)))
        policy = shown.policy
        policy_text = "No policy applied"
        if policy is not None:
            policy_text = f"{policy.name}, next run {fmt.when(policy.next_run)}" if policy.enabled \
                else f"{policy.name} (disabled)"
        projects = shown.projects
        expiry = f", expires {fmt.when(billing.expired_at)[:10]}" if billing.expired_at else ""
        renew = ", auto-renewal" if billing.is_auto_renew else ""
        values: dict[str, str | Text] = {
            "id": f"ID: {vault.id}",
            "status": Text.assemble("Status: ", fmt.vault_status(billing.status)),
            "type": f"Type: {'Replication' if billing.protect_type == 'replication' else 'Backup'} vault, "
                    + form.specification(vtype, billing.protect_type, billing.consistent_level).lower(),
            "billing": f"Billing: {fmt.billing(billing.charging_mode)}{expiry}{renew}",
            "redundancy": f"Backup data redundancy: {'Multi-AZ' if billing.is_multi_az else 'Single-AZ'}",
            "zone": f"Availability zone: {vault.availability_zone}",
            "project": f"Enterprise project: {projects.get(vault.enterprise_project_id, '--')}",
            "policy": f"Backup policy: {policy_text}",
            "created": f"Created: {fmt.when(vault.created_at)}",
        }
        for key, text in values.items():
            self.query_one(f"#info-{key}", Label).update(text)
        total = billing.size
        used = billing.used / 1024  # the API gives MB
        self.query_one("#capacity-text", Label).update(
            f"Capacity: total {vtype.size_in_console_unit(total):,} {vtype.capacity_unit}, "
            f"associated {billing.allocated:,} GB, used {fmt.size(billing.used << 20)}"
            + ("  ·  Automatic association" if vault.auto_bind else "") + f"  ·  {_alarm(vault)}")
        self.query_one("#capacity-bar", Label).update(fmt.progress_bar(used, total, width=40))
        for table in self.query("#resource-table").results(ConsoleTable):
            table.replace_rows([
                (r.id, (fmt.name_and_id(r.name, r.id), fmt.status(r.protect_status, r.protect_status.title()),
                        f"{r.size:,}", str(r.backup_count),
                        ", ".join(fmt.short_id(v) for v in r.extra_info.exclude_volumes) or "--"))
                for r in vault.resources], height=2)
        self.query_one("#tags-text", Label).update(fmt.tags(vault.tags, limit=10))
        self._show_running(shown.running)

    def _show_running(self, running: list[TaskView]) -> None:
        box = self.query_one("#running", Vertical)
        wanted = {f"run-{t.id}" for t in running}
        for child in list(box.children):
            if child.id not in wanted:
                child.remove()
        for task in running:
            moving = task.extra_info.common.transfer()
            what = f"{task.operation_type.title()} of {task.extra_info.resource.name}"
            row_id = f"run-{task.id}"
            shown = Text.assemble(fmt.progress_bar(moving.bytes_done, moving.bytes_total, width=30), "  ",
                                  fmt.transfer(moving) or "waiting to start")
            if box.query(f"#{row_id}"):
                box.query_one(f"#{row_id} .run-transfer", Label).update(shown)
            else:
                box.mount(Horizontal(Label(what, classes="run-label"), Label(shown, classes="run-transfer"),
                                     id=row_id, classes="run-row"))

    # --- actions -----------------------------------------------------------------------------------------

    @on(Button.Pressed, "#details-back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#edit-tags")
    def _edit_tags(self) -> None:
        self.action_operate("tags")

    def action_operate(self, action: str) -> None:
        open_vault_dialog(self.app, action, self.vault, self._after)

    def action_more(self) -> None:
        self.app.push_screen(MenuDialog(f"More: {self.vault.name}", more_actions(self.vault)),
                             callback=lambda action: self.action_operate(action) if action else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A vault that takes no resources (hybrid, file, replication) has no Associated tab and its keys."""
        if action in ("backup_resource", "dissociate", "migrate") or (action, parameters) == ("operate",
                                                                                              ("associate",)):
            return bool(self.query("#resource-table"))
        return True

    def _selected_resource(self) -> str | None:
        resource = self.query_one("#resource-table", ConsoleTable).selected_key
        if resource is None:
            self.app.notify(f"No {vault_type(self.vault.billing.object_type).resource_noun} is associated "
                            "with this vault yet: associate one first (a).", severity="warning")
        return resource

    def action_backup_resource(self) -> None:
        resource = self._selected_resource()
        if resource is not None:
            open_vault_dialog(self.app, "backup", self.vault, self._after, only=resource)

    def action_dissociate(self) -> None:
        resource = self._selected_resource()
        if resource is None:
            return
        name = next(r.name for r in self.vault.resources if r.id == resource)

        def confirmed(yes: bool | None) -> None:
            if yes:
                associations = self.services.associations
                self.ask(lambda: associations.dissociate(self.vault_id, [resource]),
                         lambda _done: self._after(f"{name} dissociated."),
                         refused=lambda error: self.app.push_screen(MessageDialog.of(error)), load=False)

        self.app.push_screen(ConfirmDialog(
            f"Dissociate {name}", f"{name} leaves {self.vault.name}: the vault's policy no longer applies to it "
            "and all its manual and automatic backups in this vault are deleted.", "Dissociate", danger=True),
            callback=confirmed)

    def action_migrate(self) -> None:
        resource = self._selected_resource()
        if resource is not None:
            self.app.push_screen(MigrateDialog(self.vault, resource), callback=self._after)

    def _after(self, message: str | None) -> None:
        if message:
            self.app.notify(message)
        self.refresh_data()


def _alarm(vault: VaultView) -> str:
    """The capacity alarm, and whether the vault is past it."""
    if past_alarm(vault.billing.used << 20, vault.billing.size, vault.threshold):  # the API gives MB
        return f"⚠ past its {vault.threshold}% alarm"
    return f"Alarm at {vault.threshold}%" + ("" if vault.smn_notify else " (not notified)")

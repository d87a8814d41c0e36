"""The purchase wizard of a vault type: the seed's steps in its order, a live price, then confirm and pay.

Which steps there are, what they offer and what they say come from `domain.purchase_form`; every rule is the
service's (`VaultService.check` before moving past the capacity, `create` when paying). Paying is never a
side effect of moving on: Buy Now asks, with the amount, before the balance is charged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    Label,
    OptionList,
    RadioSet,
    Select,
    SelectionList,
    Switch,
)
from textual.widgets.option_list import Option

from cbr_tui.domain import purchase_form as form
from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.labels import CHARGING_MODE
from cbr_tui.domain.rules import tag_pairs
from cbr_tui.domain.vault_types import VaultType, vault_type
from cbr_tui.ui import format as fmt
from cbr_tui.ui import reach
from cbr_tui.ui.calls import OPERATIONS, Asks
from cbr_tui.ui.dialogs.base import ConfirmDialog, MessageDialog
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.errors import show_error
from cbr_tui.ui.widgets.fields import Field, parse_pairs
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.widgets.form import FormScroll, focus_first_control
from cbr_tui.ui.widgets.resource_picker import ResourcePicker
from cbr_tui.ui.wizards.steps import compose_step

if TYPE_CHECKING:
    from cbr_tui.services.console import Console
    from cbr_tui.services.vaults import VaultSpec
    from cbr_tui.services.views import Price, VaultView

OPTIONAL_FIELDS = ("description", "bind-tags", "tags")


class PurchaseWizard(Guarded, Asks, Screen[str | None]):
    """Dismisses with the new vault's ID, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="wizard.cancel"),
        # Priority: lists and selects inside a step have PgUp/PgDn of their own, the wizard's come first.
        Binding("pagedown", "next", "Next", priority=True, id="wizard.next"),
        Binding("pageup", "back", "Back", priority=True, id="wizard.back"),
        Binding("ctrl+right", "next", "Next", show=False, id="wizard.next_alt"),
        Binding("ctrl+left", "back", "Back", show=False, id="wizard.back_alt"),
    ]

    def __init__(self, object_type: ObjectType) -> None:
        super().__init__()
        self.vtype = vault_type(object_type)
        self.steps = form.purchase_steps(self.vtype, ProtectType.BACKUP)
        self.index = 0
        self._by_id: dict[str, Any] | None = None
        self._projects: dict[str, str] = {}

    @property
    def services(self) -> Console:
        return reach.services(self)

    def compose(self) -> ComposeResult:
        with Horizontal(id="wizard-head"):
            yield Label(self.vtype.buy_label, classes="wizard-title")
            yield Label("", id="wizard-position")
        with Horizontal(id="wizard-body"):
            yield OptionList(id="wizard-steps", disabled=True)
            with ContentSwitcher(initial=f"step-{self.steps[0]}", id="wizard-panels"):
                for step in self.vtype.wizard_steps:
                    with FormScroll(id=f"step-{step}", classes="wizard-step"):
                        yield Label(form.STEP_TITLES[step], classes="step-title")
                        yield from compose_step(step, self.vtype, self.services)
                        yield Label("", classes="field-error step-error")
        with Horizontal(id="wizard-bar"):
            yield Label("", id="price")
            yield Button("Back", id="back", compact=True)
            yield Button("Next", id="next", variant="primary", compact=True)
            yield Button("Buy Now", id="buy", variant="success", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        projects = self.services.accounts.enterprise_projects().enterprise_projects
        self._projects = {p.id: p.name for p in projects}
        self._sync()

    # --- navigation ---------------------------------------------------------------------------------

    @property
    def step(self) -> str:
        return self.steps[self.index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next stops at the last step: only Buy Now pays, and it asks first."""
        if action == "next":
            return self.step != "confirm"
        if action == "back":
            return self.index > 0
        return True

    def action_next(self) -> None:
        if self.step == "confirm" or not self._step_valid(self.step):
            return
        if self.step == "resources":
            self._cover_selected_resources()
        self.index += 1
        self._sync()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self._sync()

    def action_cancel(self) -> None:
        """Leave the wizard; once past its first step, after asking (what was filled in is lost)."""
        if self.index == 0:
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmDialog("Cancel the purchase?", "What you chose in the wizard is not kept; "
                                           "nothing is bought and nothing is charged.", "Leave the wizard"),
                             callback=self._leave)

    def _leave(self, leave: bool | None) -> None:
        if leave:
            self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on, as Next does."""
        event.stop()
        self.action_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"next": self.action_next, "back": self.action_back, "cancel": self.action_cancel,
         "buy": self._ask_to_pay}[str(event.button.id)]()

    def _step_valid(self, step: str) -> bool:
        panel = self.query_one(f"#step-{step}")
        fields = [f for f in panel.query(Field) if f.display and self._field_counts(f)]
        if not all([f.validate() is not None or (f.id in OPTIONAL_FIELDS and not f.text) for f in fields]):
            return False
        if self.index < self.steps.index("capacity"):
            return True
        # From the capacity on, the service checks the purchase as filled in so far, so that a refusal (the
        # capacity below the servers', automatic association without room...) stops the step it concerns.
        refusal = self._purchase_refusal()
        if step == "capacity":
            self.query_one("#capacity", Field).show(refusal or "")
        else:
            show_error(panel.query_one(".step-error", Label), refusal or "")
        return refusal is None

    def _purchase_refusal(self) -> str | None:
        """What the service says about the purchase as filled in so far (capacity against resources...)."""
        try:
            self.services.vaults.check(self.spec())
        except CbrError as error:
            return f"{error.code}: {error.message}"
        return None

    def _cover_selected_resources(self) -> None:
        """The capacity proposed is at least what the selected resources need, as the console does; the hint
        under the field says so."""
        picked = self._picker_gb()
        field = self.query_one("#capacity", Field)
        if self.vtype.capacity_unit == "GB" and picked and (field.validate() or 0) < picked:
            field.text = str(picked)

    def _field_counts(self, field: Field) -> bool:
        if field.id in ("policy-name", "policy-times", "policy-keep"):
            return bool(self._select("auto-backup") == "new")
        if field.id == "bind-tags":
            return self._radio("auto-bind") == 1
        return True

    def _sync(self) -> None:
        """Show the current step and what it depends on, the stepper, the buttons and the price."""
        self.query_one(ContentSwitcher).current = f"step-{self.step}"
        steps = self.query_one("#wizard-steps", OptionList)
        steps.clear_options()
        steps.add_options([Option(self._step_label(i), id=f"nav-{s}") for i, s in enumerate(self.steps)])
        steps.highlighted = self.index
        self.query_one("#wizard-position", Label).update(
            f"Step {self.index + 1} of {len(self.steps)}: {form.STEP_TITLES[self.step]}")
        self.query_one("#back", Button).disabled = self.index == 0
        self.query_one("#next", Button).display = self.step != "confirm"
        self.query_one("#buy", Button).display = self.step == "confirm"
        self._show_dependents()
        if self.step == "confirm":
            self.query_one("#summary", Label).update(self._summary())
        self._price()
        self.refresh_bindings()
        self.call_after_refresh(self._focus_step)

    def _step_label(self, index: int) -> str:
        mark = "✓" if index < self.index else "▶" if index == self.index else " "
        return f"{mark} {index + 1}. {form.STEP_TITLES[self.steps[index]]}"

    def _focus_step(self) -> None:
        fallback = self.query_one("#buy" if self.step == "confirm" else "#next", Button)
        focus_first_control(self.query_one(f"#step-{self.step}"), fallback)

    def _show_dependents(self) -> None:
        pre_paid = self._pre_paid
        for widget_id, visible in (
            ("period-type", pre_paid), ("period-num-month", pre_paid and self._period_type is PeriodType.MONTH),
            ("period-num-year", pre_paid and self._period_type is PeriodType.YEAR), ("auto-renew-row", pre_paid),
            ("duration-text", pre_paid), ("no-duration", not pre_paid),
            ("new-policy", self._select("auto-backup") == "new"), ("bind-tags", self._radio("auto-bind") == 1),
        ):
            widget = self._widget(widget_id)
            if widget is not None:
                widget.display = visible
        hint = self._widget("capacity-hint")
        if hint is not None:
            picked = self._picker_gb() if "resources" in self.steps else 0
            hint.update(f"Selected {self.vtype.resource_noun}s: {picked:,} GB; the capacity must be at least that."
                        if picked else "")

    # --- reading the form ------------------------------------------------------------------------------

    def _widget(self, widget_id: str) -> Any:
        """A form widget by ID, or None when this vault type's wizard has no such step.

        Looked up once: the form is read on every keystroke, and walking the DOM each time is slow."""
        if self._by_id is None:
            self._by_id = {widget.id: widget for widget in self.query("*") if widget.id}
        return self._by_id.get(widget_id)

    def _radio(self, widget_id: str) -> int:
        found = self._widget(widget_id)
        return found.pressed_index if found else 0

    def _select(self, widget_id: str) -> Any:
        found = self._widget(widget_id)
        return found.value if found else None

    def _switch(self, widget_id: str) -> bool:
        found = self._widget(widget_id)
        return found.value if found else False

    def _text(self, widget_id: str) -> str:
        found = self._widget(widget_id)
        return found.text if found else ""

    @property
    def _pre_paid(self) -> bool:
        return self._radio("billing") == 0

    @property
    def _protect_type(self) -> ProtectType:
        return ProtectType.REPLICATION if self._radio("protection") == 1 else ProtectType.BACKUP

    @property
    def _period_type(self) -> PeriodType:
        return PeriodType.YEAR if self._radio("period-type") == 1 else PeriodType.MONTH

    def _picker_gb(self) -> int:
        found = self._widget("resources")
        return found.selected_gb() if found else 0

    def spec(self) -> VaultSpec:
        """What the form says, as the purchase request (fields that fail their rule raise CbrError). Steps
        this wizard does not show (a replication vault's resources...) contribute nothing."""
        pre_paid = self._pre_paid
        shown = set(self.steps)
        picker = self._widget("resources")
        policy_choice = self._select("auto-backup") if "auto_backup" in shown else "skip"
        auto_bind = "auto_bind" in shown and self._radio("auto-bind") == 1
        from cbr_tui.services.vaults import VaultSpec  # the data layer loads when a form is read

        return VaultSpec(
            object_type=self.vtype.object_type,
            size_gb=self._widget("capacity").check(self._text("capacity")),
            name=self._text("name") or None,
            description=self._text("description") or None,
            charging_mode=ChargingMode.PRE_PAID if pre_paid else ChargingMode.POST_PAID,
            period_type=self._period_type if pre_paid else None,
            period_num=int(self._select(f"period-num-{self._period_type.value}") or 1) if pre_paid else None,
            auto_renew=self._switch("auto-renew") if pre_paid else False,
            protect_type=self._protect_type,
            app_consistent=self._switch("app-consistent"),
            multi_az=self._radio("redundancy") == 1,
            resources=tuple(picker.selections()) if picker and "resources" in shown else (),
            policy=policy_choice if policy_choice not in (None, "skip", "new") else None,
            new_policy=self._widget("new-policy").spec() if policy_choice == "new" else None,
            enterprise_project=str(self._select("enterprise-project") or "0"),
            auto_bind=auto_bind,
            bind_tags=parse_pairs(self._text("bind-tags")) if auto_bind else (),
            tags=parse_pairs(self._text("tags")),
        )

    def _quote(self) -> Price:
        """The price of the purchase as filled in (raises the refusal when the form cannot be priced)."""
        return self.services.vaults.quote(self.spec()).price

    def _price(self) -> None:
        label = self.query_one("#price", Label)
        try:
            label.update(f"Price: {price_text(self._quote(), self.vtype)}")
        except CbrError:
            label.update("Price: -- (correct the step first)")

    def _summary(self) -> str:
        """Exactly what will be bought: one line per step of this wizard, and the price."""
        try:
            spec = self.spec()
            price = price_text(self._quote(), self.vtype, with_size=True)
        except CbrError as error:
            return f"Fix this first ({error.code}): {error.message}"
        lines = [("Vault type", form.sentence(form.vault_kind(self.vtype, spec.protect_type)))]
        lines += [line for step in self.steps for line in self._summary_of(step, spec)]
        lines.append(("Price", price))
        width = max(len(label) for label, _value in lines) + 2
        return "\n".join(f"{label + ':':<{width}}{value}" for label, value in lines)

    def _summary_of(self, step: str, spec: VaultSpec) -> list[tuple[str, str]]:
        unit = self.vtype.capacity_unit
        if step == "billing":
            return [("Billing mode", CHARGING_MODE[spec.charging_mode])]
        if step == "protection":
            chosen = form.protection_choices(self.vtype)[1 if spec.protect_type is ProtectType.REPLICATION else 0]
            return [("Protection type", chosen.label)]
        if step == "app_consistent":
            return [("Application-consistent backup", "Enabled" if spec.app_consistent else "Disabled")]
        if step == "redundancy":
            return [("Backup data redundancy", "Multi-AZ" if spec.multi_az else "Single-AZ")]
        if step == "resources":
            return [(f"{self.vtype.resource_noun.capitalize()}s", self._resources_summary())]
        if step == "capacity":
            return [("Capacity", f"{self.vtype.size_in_console_unit(spec.size_gb):,} {unit}")]
        if step == "auto_backup":
            return [("Auto backup", self._policy_summary(spec))]
        if step == "enterprise_project":
            return [("Enterprise project", self._projects.get(spec.enterprise_project, spec.enterprise_project))]
        if step == "auto_bind":
            rule = ", ".join(f"{k}={v}" if v else k for k, v in tag_pairs(spec.bind_tags))
            return [("Automatic association", ("Configure" + (f", tags {rule}" if rule else ", all resources"))
                     if spec.auto_bind else "Skip")]
        if step == "tags":
            return [("Tags", ", ".join(f"{k}={v}" if v else k for k, v in tag_pairs(spec.tags)) or "--")]
        if step == "name":
            return [("Name", spec.name or "--"), ("Description", spec.description or "--")]
        if step == "duration" and spec.period_type is not None:
            count = spec.period_num or 1
            return [("Required duration", f"{count} {spec.period_type.value}{'s' if count > 1 else ''}"),
                    ("Auto renewal", "Enabled" if spec.auto_renew else "Disabled")]
        return []

    def _resources_summary(self) -> str:
        picker = self._widget("resources")
        chosen = picker.selections() if picker else []
        if not chosen:
            return "None (associate them later)"
        names = []
        for selection in chosen:
            item = picker.instances[selection.resource]
            if selection.include_volumes is not None:
                names.append(f"{item.name} ({len(selection.include_volumes)} of {len(item.volumes or ())} disks)")
            else:
                names.append(item.name)
        return f"{', '.join(names)} ({self._picker_gb():,} GB)"

    def _policy_summary(self, spec: VaultSpec) -> str:
        if spec.new_policy is not None:
            return f"Configure: new policy {spec.new_policy.name}"
        if spec.policy:
            return f"Configure: policy {self.services.policies.show(spec.policy).name}"
        return "Skip"

    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Field.Edited)
    @on(ResourcePicker.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, event: Any) -> None:
        if isinstance(event, RadioSet.Changed) and event.radio_set.id == "protection":
            self._follow_protection()
        self._show_dependents()
        self._price()

    def _follow_protection(self) -> None:
        """A replication vault selects no resources and takes no policy or automatic association: those
        steps leave the list (and come back with Backup)."""
        steps = form.purchase_steps(self.vtype, self._protect_type)
        if steps != self.steps:
            self.steps = steps
            self._sync()

    # --- paying --------------------------------------------------------------------------------------

    def _ask_to_pay(self) -> None:
        try:
            spec = self.spec()
            price = self._quote()
        except CbrError as error:
            self.app.push_screen(MessageDialog.of(error))
            return
        kind = form.vault_kind(self.vtype, spec.protect_type)
        size = f"{self.vtype.size_in_console_unit(spec.size_gb):,} {self.vtype.capacity_unit}"
        name = spec.name or "the vault"
        if spec.charging_mode is ChargingMode.PRE_PAID:
            question = (f"Pay {fmt.money(price.amount)} {price.currency} from the account balance for {name}, "
                        f"{form.with_article(kind)} of {size}?")
            title, ok = "Confirm and Pay", "Pay"
        else:
            question = (f"Buy {name}, a pay-per-use {kind} of {size}? It is billed "
                        f"{fmt.money(price.hourly_price)} {price.currency} per hour from now on.")
            title, ok = "Buy Now", "Buy"
        self.app.push_screen(ConfirmDialog(title, question, ok, cancel_first=True),
                             callback=lambda yes: self._buy(spec) if yes else None)

    def _buy(self, spec: VaultSpec) -> None:
        """Buy in a worker (paying writes the order, the balance and the vault); a second Buy meanwhile is
        not taken."""
        if not self.busy(OPERATIONS):
            vaults = self.services.vaults
            self.ask(lambda: vaults.create(spec).vault, self._bought,
                     refused=lambda error: self.app.push_screen(MessageDialog.of(error)), load=False)

    def _bought(self, vault: VaultView) -> None:
        self.app.notify(f"{vault.name} was bought.", title="Vault created")
        self.dismiss(vault.id)


def price_text(price: Price, vtype: VaultType, *, with_size: bool = False) -> str:
    """`5.00 USD for 1 month`, or `0.0068 USD/hour, about 4.96 USD a month` (amounts with thousands
    separators); the bar under the wizard leaves the size out (the capacity step and the summary show it)."""
    currency = price.currency
    size = f" ({vtype.size_in_console_unit(price.size):,} {vtype.capacity_unit})" if with_size else ""
    if price.charging_mode == "pre_paid":
        unit = f"{price.period_type}" + ("s" if price.period_num != 1 else "")
        return f"{fmt.money(price.amount)} {currency} for {price.period_num} {unit}{size}"
    return (f"{fmt.money(price.hourly_price)} {currency}/hour, about {fmt.money(price.estimated_monthly)} "
            f"{currency} a month{size}")

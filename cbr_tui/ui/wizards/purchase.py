"""The purchase wizard of a vault type: the seed's steps in its order, a live price, then confirm and pay."""

from typing import Any

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

from cbr_tui.domain.enums import ChargingMode, ObjectType, PeriodType, ProtectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.labels import CHARGING_MODE
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services.vaults import VaultSpec
from cbr_tui.ui.dialogs.base import MessageDialog
from cbr_tui.ui.widgets.fields import Field, parse_pairs
from cbr_tui.ui.widgets.footer import ConsoleFooter
from cbr_tui.ui.widgets.form import FormScroll, focus_first_control
from cbr_tui.ui.widgets.resource_picker import ResourcePicker
from cbr_tui.ui.wizards.steps import STEP_TITLES, compose_step


class PurchaseWizard(Screen[str | None]):
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
        self.steps = list(self.vtype.wizard_steps)
        self.index = 0
        self._by_id: dict[str, Any] | None = None

    @property
    def services(self) -> Any:
        return self.app.services  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Label(self.vtype.buy_label, classes="wizard-title")
        with Horizontal(id="wizard-body"):
            yield OptionList(*(Option(self._step_label(i), id=f"nav-{s}") for i, s in enumerate(self.steps)),
                             id="wizard-steps", disabled=True)
            with ContentSwitcher(initial=f"step-{self.steps[0]}", id="wizard-panels"):
                for step in self.steps:
                    with FormScroll(id=f"step-{step}", classes="wizard-step"):
                        yield Label(STEP_TITLES[step], classes="step-title")
                        yield from compose_step(step, self.vtype, self.services)
        with Horizontal(id="wizard-bar"):
            yield Label("", id="price")
            yield Button("Back", id="back", compact=True)
            yield Button("Next", id="next", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self._sync()

    def _step_label(self, index: int) -> str:
        mark = "✓" if index < self.index else "▶" if index == self.index else " "
        return f"{mark} {index + 1}. {STEP_TITLES[self.steps[index]]}"

    # --- navigation ---------------------------------------------------------------------------------

    def action_next(self) -> None:
        step = self.steps[self.index]
        if step == "confirm":
            self._buy()
            return
        if not self._step_valid(step):
            return
        if step == "resources":
            self._cover_selected_resources()
        self.index += 1
        self._sync()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self._sync()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on, as Next does."""
        event.stop()
        self.action_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"next": self.action_next, "back": self.action_back, "cancel": self.action_cancel}[str(event.button.id)]()

    def _step_valid(self, step: str) -> bool:
        panel = self.query_one(f"#step-{step}")
        fields = [f for f in panel.query(Field) if f.display and self._field_counts(f)]
        optional = ("description", "bind-tags", "tags")
        if not all([f.validate() is not None or (f.id in optional and not f.text) for f in fields]):
            return False
        if step == "capacity":
            refusal = self._purchase_refusal()
            if refusal:
                self.query_one("#capacity", Field).show(refusal)
                return False
        return True

    def _purchase_refusal(self) -> str | None:
        """What the service says about the purchase as filled in so far (capacity against resources...)."""
        try:
            self.services.vaults.check(self.spec())
        except CbrError as error:
            return f"{error.code}: {error.message}"
        return None

    def _cover_selected_resources(self) -> None:
        """The capacity proposed is at least what the selected resources need, as the console does."""
        picked = self._picker_gb()
        field = self.query_one("#capacity", Field)
        if self.vtype.capacity_unit == "GB" and picked and (field.validate() or 0) < picked:
            field.text = str(picked)

    def _field_counts(self, field: Field) -> bool:
        if field.id in ("policy-name", "policy-times", "policy-keep"):
            return self._select("auto-backup") == "new"
        if field.id == "bind-tags":
            return self._radio("auto-bind") == 1
        return True

    def _sync(self) -> None:
        """Show the current step and what it depends on, the stepper, the buttons and the price."""
        step = self.steps[self.index]
        self.query_one(ContentSwitcher).current = f"step-{step}"
        steps = self.query_one("#wizard-steps", OptionList)
        for index in range(len(self.steps)):
            steps.replace_option_prompt_at_index(index, self._step_label(index))
        steps.highlighted = self.index
        self.query_one("#back", Button).disabled = self.index == 0
        self.query_one("#next", Button).label = "Buy Now" if step == "confirm" else "Next"
        self._show_dependents()
        if step == "confirm":
            self.query_one("#summary", Label).update(self._summary())
        self._price()
        self.call_after_refresh(self._focus_step)

    def _focus_step(self) -> None:
        focus_first_control(self.query_one(f"#step-{self.steps[self.index]}"), self.query_one("#next", Button))

    def _show_dependents(self) -> None:
        pre_paid = self._pre_paid
        for widget_id, visible in (
            ("period-type", pre_paid), ("period-num", pre_paid), ("auto-renew", pre_paid),
            ("no-duration", not pre_paid), ("new-policy", self._select("auto-backup") == "new"),
            ("bind-tags", self._radio("auto-bind") == 1),
        ):
            widget = self._widget(widget_id)
            if widget is not None:
                widget.display = visible
        hint = self._widget("capacity-hint")
        if hint is not None:
            picked = self._picker_gb()
            hint.update(
                f"Selected {self.vtype.resource_noun}s: {picked:,} GB." if picked else "")

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

    def _field(self, widget_id: str) -> Any:
        found = self._widget(widget_id)
        return found.validate() if found else None

    def _text(self, widget_id: str) -> str:
        found = self._widget(widget_id)
        return found.text if found else ""

    @property
    def _pre_paid(self) -> bool:
        return self._radio("billing") == 0

    def _picker_gb(self) -> int:
        found = self._widget("resources")
        return found.selected_gb() if found else 0

    def spec(self) -> VaultSpec:
        """What the form says, as the purchase request (fields that fail their rule raise CbrError)."""
        pre_paid = self._pre_paid
        protect = ProtectType.REPLICATION if self._radio("protection") == 1 else ProtectType.BACKUP
        picker = self._widget("resources")
        policy_choice = self._select("auto-backup")
        new_policy = None
        if policy_choice == "new":
            new_policy = self._widget("new-policy").spec()
        return VaultSpec(
            object_type=self.vtype.object_type,
            size_gb=self._widget("capacity").check(self._text("capacity")),
            name=self._text("name") or None,
            description=self._text("description") or None,
            charging_mode=ChargingMode.PRE_PAID if pre_paid else ChargingMode.POST_PAID,
            period_type=(PeriodType.YEAR if self._radio("period-type") == 1 else PeriodType.MONTH)
            if pre_paid else None,
            period_num=int(self._select("period-num") or 1) if pre_paid else None,
            auto_renew=self._switch("auto-renew") if pre_paid else False,
            protect_type=protect,
            app_consistent=self._switch("app-consistent"),
            multi_az=self._radio("redundancy") == 1,
            resources=tuple(picker.selections()) if picker and protect is ProtectType.BACKUP else (),
            policy=policy_choice if policy_choice not in (None, "skip", "new") else None,
            new_policy=new_policy,
            enterprise_project=str(self._select("enterprise-project") or "0"),
            auto_bind=self._radio("auto-bind") == 1,
            bind_tags=parse_pairs(self._text("bind-tags")) if self._radio("auto-bind") == 1 else (),
            tags=parse_pairs(self._text("tags")),
        )

    def _price(self) -> None:
        label = self.query_one("#price", Label)
        try:
            price = self.services.vaults.quote(self.spec())["price"]
        except CbrError:
            label.update("Price: --")
            return
        if price["charging_mode"] == "pre_paid":
            unit = price["period_type"] + ("s" if price["period_num"] != 1 else "")
            label.update(f"Price: {price['amount']} {price['currency']} for {price['period_num']} {unit} "
                         f"({price['size']:,} GB)")
        else:
            label.update(f"Price: {price['hourly_price']} {price['currency']}/hour "
                         f"(about {price['estimated_monthly']} per month, {price['size']:,} GB)")

    def _summary(self) -> str:
        try:
            spec = self.spec()
        except CbrError as error:
            return f"Fix this first: {error.message}"
        lines = [
            f"Vault type:      {self.vtype.vault_label}",
            f"Billing mode:    {CHARGING_MODE[spec.charging_mode]}"
            + (f", {spec.period_num} {spec.period_type.value}(s)" if spec.period_type else "")
            + (", auto renewal" if spec.auto_renew else ""),
            f"Protection type: {spec.protect_type.value.title()}"
            + (", application-consistent" if spec.app_consistent else ""),
            f"Redundancy:      {'Multi-AZ' if spec.multi_az else 'Single-AZ'}",
            f"Resources:       {len(spec.resources)} ({self._picker_gb():,} GB)",
            f"Capacity:        {self.vtype.size_in_console_unit(spec.size_gb):,} {self.vtype.capacity_unit}",
            f"Auto backup:     {self._policy_summary(spec)}",
            f"Auto association: {'Configure' if spec.auto_bind else 'Skip'}",
            f"Tags:            {', '.join(f'{k}={v}' for k, v in spec.tags) or '--'}",
            f"Name:            {spec.name}",
        ]
        return "\n".join(lines)

    def _policy_summary(self, spec: VaultSpec) -> str:
        if spec.new_policy is not None:
            return f"new policy {spec.new_policy.name}"
        if spec.policy:
            return f"policy {self.services.policies.show(spec.policy)['policy']['name']}"
        return "Skip"

    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Field.Edited)
    @on(ResourcePicker.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self._show_dependents()
        self._price()

    # --- paying --------------------------------------------------------------------------------------

    def _buy(self) -> None:
        try:
            created = self.services.vaults.create(self.spec())
        except CbrError as error:
            self.app.push_screen(MessageDialog.of(error))
            return
        self.app.notify(f"{created['vault']['name']} was bought.", title="Vault created")
        self.dismiss(created["vault"]["id"])


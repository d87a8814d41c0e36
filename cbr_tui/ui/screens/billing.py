"""Billing: the balance, arrears, what was spent each day (a small chart), orders and the hourly charges of
pay-per-use vaults. It stands for the account's Billing Center, as IAM's page stands for IAM."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label, Sparkline, TabbedContent, TabPane

from cbr_tui.domain.labels import ORDER_KIND
from cbr_tui.domain.permissions import Action
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.billing_actions import TopUpDialog
from cbr_tui.ui.screens.base import ListPage, Page
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import OrderPage, OrderView
    from cbr_tui.services.views.billing import Bill, UsageChargePage, UsageChargeView

CHART_DAYS = 30


class BillingPage(Page):
    BINDINGS = [
        Binding("t", "top_up", "Top Up", id="billing.top_up"),
        Binding("1", "tab('tab-orders')", "Orders tab", show=False, id="billing.tab_orders"),
        Binding("2", "tab('tab-charges')", "Hourly charges tab", show=False, id="billing.tab_charges"),
    ]
    live = True  # charges accrue as cloud time passes

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Billing", classes="title")
            yield Label("Orders and hourly charges of this account", classes="muted")
        with Horizontal(classes="operations"):
            yield Button("Top Up (t)", id="op-top-up", variant="primary", compact=True)
        yield Label("", id="billing-summary")
        yield Label("", id="billing-chart-title", classes="muted")
        yield Sparkline([], id="billing-chart")
        yield Label("", id="billing-balance-title", classes="muted")
        yield Sparkline([], id="billing-balance-chart")
        with TabbedContent(id="billing-tabs"):
            with TabPane("Orders", id="tab-orders"):
                yield OrderList()
            with TabPane("Hourly charges", id="tab-charges"):
                yield ChargeList()

    def refresh_data(self) -> None:
        if not self.cbr_app.ready:
            return
        self.offer(self.query_one("#op-top-up", Button), Action.MANAGE_ACCOUNT)
        refused = self.refusal(Action.MANAGE_ACCOUNT)
        if refused is not None:
            self.query_one("#billing-summary", Label).update(refused.message)
            return
        billing = self.console.billing
        self.ask(lambda: billing.summary(CHART_DAYS).billing, self._show)
        active = self.query_one(TabbedContent).active_pane
        for listing in active.query(ListPage) if active is not None else []:
            if listing.is_mounted:
                listing.refresh_data()

    def _show(self, bill: Bill) -> None:
        self.query_one("#billing-summary", Label).update(_summary(bill))
        spend = [float(Decimal(day.amount)) for day in bill.spend_per_day]
        self.query_one("#billing-chart-title", Label).update(
            f"Spend per day, {bill.spend_per_day[0].date} to {bill.spend_per_day[-1].date}: "
            f"highest {fmt.money(str(max(Decimal(d.amount) for d in bill.spend_per_day)))} {bill.currency}")
        self.query_one("#billing-chart", Sparkline).data = spend
        balances = [Decimal(day.balance) for day in bill.balance_per_day]
        self.query_one("#billing-balance-title", Label).update(
            f"Balance at the end of each day: from {fmt.money(str(balances[0]))} to {fmt.money(str(balances[-1]))} "
            f"{bill.currency} (lowest {fmt.money(str(min(balances)))})")
        self.query_one("#billing-balance-chart", Sparkline).data = [float(b) for b in balances]

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_data()
        self.call_after_refresh(self._focus_tab)

    def _focus_tab(self) -> None:
        """A tab chosen in the page (by key or mouse) gives its list the keys; the navigation keeps them while
        it is browsed (the page's first tab activates as the page is built)."""
        focused = self.screen.focused
        if focused is not None and self not in focused.ancestors:
            return
        control = self.main_control()
        if control is not None:
            control.focus()

    def action_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = tab_id

    @on(Button.Pressed, "#op-top-up")
    def action_top_up(self) -> None:
        if self.permitted(Action.MANAGE_ACCOUNT):
            self.app.push_screen(TopUpDialog(), callback=self.finished)


def _summary(bill: Bill) -> str:
    text = (f"Balance {fmt.money(bill.balance)} {bill.currency} at {fmt.when(bill.at)} UTC. "
            f"Pay-per-use vaults cost {bill.pay_per_use_hourly} {bill.currency} an hour now.")
    if bill.arrears_since:
        text += (f"\nIn arrears since {fmt.when(bill.arrears_since)}: top up before "
                 f"{fmt.when(bill.frozen_after)} or pay-per-use vaults are frozen.")
    return text


class OrderList(ListPage):
    def compose(self) -> ComposeResult:
        yield ConsoleTable((("Time (UTC)", 19), ("Type", 10), ("Vault", 24), ("Amount (USD)", 13)), id="order-table")
        yield Pager(id="order-pager")

    def refresh_data(self) -> None:
        pager = self.query_one(Pager)
        accounts = self.console.accounts
        self.ask(lambda: accounts.orders(pager.page_size, pager.first_row), self._show)

    def _show(self, result: OrderPage) -> None:
        self.query_one(ConsoleTable).replace_rows([(o.order_id, _order_cells(o)) for o in result.orders])
        self.query_one(Pager).show_total(result.count)


def _order_cells(order: OrderView) -> tuple[object, ...]:
    amount = Decimal(order.amount)
    vault = order.vault_name or (fmt.short_id(order.vault_id) + " (deleted)" if order.vault_id else "--")
    return (fmt.when(order.created_at), ORDER_KIND.get(order.kind, order.kind), vault,
            fmt.money(str(-amount)) if amount < 0 else fmt.money(order.amount))


class ChargeList(ListPage):
    def compose(self) -> ComposeResult:
        yield ConsoleTable((("From (UTC)", 19), ("Hours", 5), ("Vault", 24), ("Size GB", 9), ("Per hour", 9),
                            ("Amount", 9)), id="charge-table")
        yield Pager(id="charge-pager")

    def refresh_data(self) -> None:
        pager = self.query_one(Pager)
        billing = self.console.billing
        self.ask(lambda: billing.charges(None, pager.page_size, pager.first_row), self._show)

    def _show(self, result: UsageChargePage) -> None:
        self.query_one(ConsoleTable).replace_rows([(f"{c.vault_id}{c.start}", _charge_cells(c))
                                                   for c in result.charges])
        self.query_one(Pager).show_total(result.count)


def _charge_cells(charge: UsageChargeView) -> tuple[object, ...]:
    return (fmt.when(charge.start), str(charge.hours), charge.vault_name, f"{charge.size:,}", charge.hourly_price,
            charge.amount)

"""Orders, prices and refunds: what buying, renewing and unsubscribing a vault cost."""

from __future__ import annotations

from typing import Any

from cbr_tui.services.views.base import View


class OrderView(View):
    """An order of the simulated billing centre: a purchase, renewal, expansion or refund."""

    order_id: str
    kind: str
    vault_id: str | None
    amount: str
    currency: str
    created_at: str | None
    detail: dict[str, Any]  # the quote it paid, as recorded: a JSON document, shown whole
    vault_name: str | None = None  # filled in the account's list of orders


class OrderPage(View):
    orders: list[OrderView]
    count: int


class Price(View):
    """A purchase's price as the wizard's summary shows it: a yearly/monthly term's amount, or a
    pay-per-use vault's hourly price and about what a month of it costs."""

    currency: str
    charging_mode: str
    size: int
    unit_price_per_gb_month: str
    period_type: str | None = None
    period_num: int | None = None
    amount: str | None = None
    hourly_price: str | None = None
    estimated_monthly: str | None = None


class PriceAnswer(View):
    price: Price


class PurchaseCheck(PriceAnswer):
    resources_gb: int  # what the resources chosen for association take of the capacity


class Refund(View):
    """What unsubscribing a yearly/monthly vault refunds now, and why."""

    paid: str
    consumed: str
    handling_fee: str
    refund: str
    days_used: int
    days_subscribed: int
    five_day_unconditional: bool


class RenewalTerms(View):
    """What the Renew dialog states: the vault's expiry, its unit of renewal and the price of one term."""

    vault_id: str
    expired_at: str
    unit: str
    price_per_term: str
    currency: str
    is_auto_renew: bool


class DaySpend(View):
    date: str
    amount: str


class DayBalance(View):
    """The balance at the end of the day."""

    date: str
    balance: str


class Bill(View):
    """The Billing page: balance, arrears (and when pay-per-use vaults freeze for them), spend and balance
    per day."""

    balance: str
    currency: str
    at: str
    arrears_since: str | None
    frozen_after: str | None
    pay_per_use_hourly: str
    spend_per_day: list[DaySpend]
    balance_per_day: list[DayBalance]


class BillAnswer(View):
    billing: Bill


class UsageChargeView(View):
    """Whole hours of a pay-per-use vault's use within one UTC day."""

    vault_id: str
    vault_name: str
    start: str
    end: str
    hours: int
    size: int
    hourly_price: str
    amount: str
    deducted: str
    currency: str


class UsageChargePage(View):
    charges: list[UsageChargeView]
    count: int


class BillingTick(View):
    """What one pass of billing did: the vaults (IDs) renewed, frozen, released and charged."""

    renewed: list[str]
    frozen: list[str]
    released: list[str]
    charged: list[str]

    def done(self) -> dict[str, list[str]]:
        """The kinds with vaults, in this order."""
        kinds = {"renewed": self.renewed, "frozen": self.frozen, "released": self.released, "charged": self.charged}
        return {kind: ids for kind, ids in kinds.items() if ids}

    def merged(self, other: BillingTick) -> BillingTick:
        """Both passes' vaults, this one's first."""
        return BillingTick(renewed=[*self.renewed, *other.renewed], frozen=[*self.frozen, *other.frozen],
                           released=[*self.released, *other.released], charged=[*self.charged, *other.charged])

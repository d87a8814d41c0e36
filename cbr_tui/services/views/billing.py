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

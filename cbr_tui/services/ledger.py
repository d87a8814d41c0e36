"""The account's ledger: orders paid from (or refunded to) the balance, and how money is written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from cbr_tui.domain.clock import api_time
from cbr_tui.domain.errors import CbrError, ErrorSpec
from cbr_tui.domain.pricing import CURRENCY
from cbr_tui.services.context import ServiceContext
from cbr_tui.store.models import Account, Order


def money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def charge(session: Session, ctx: ServiceContext, amount_cents: int, *, kind: str, vault_id: str | None,
           refusal: ErrorSpec, detail: dict[str, Any], at: datetime | None = None) -> Order:
    """Pay an order from the balance (a negative amount refunds); refuses when the balance is short. `at`:
    when it was paid, if not now (an automatic renewal is paid at the moment the term ended)."""
    account = session.get(Account, ctx.account_id, with_for_update=not ctx.store.is_sqlite)
    assert account is not None
    if amount_cents > account.balance_cents:
        raise CbrError(
            refusal,
            f"The order costs {money(amount_cents)} {CURRENCY} but the balance is "
            f"{money(account.balance_cents)} {CURRENCY}; top up the account first.",
        )
    account.balance_cents -= amount_cents
    session.add(account)
    order = Order(id=ctx.ids.uuid(), account_id=ctx.account_id, project_id=ctx.project_id, vault_id=vault_id,
                  kind=kind, amount_cents=amount_cents, created_at=at or ctx.clock.now(), detail=detail)
    session.add(order)
    return order


def order_shape(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "kind": order.kind,
        "vault_id": order.vault_id,
        "amount": money(order.amount_cents),
        "currency": CURRENCY,
        "created_at": api_time(order.created_at),
        "detail": order.detail,
    }

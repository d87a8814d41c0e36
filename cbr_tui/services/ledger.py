"""The account's ledger: orders paid from (or refunded to) the balance, and how money is written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.domain.billing import FrozenScene
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.enums import ChargingMode, VaultStatus
from cbr_tui.domain.errors import CbrError, ErrorSpec
from cbr_tui.domain.pricing import CURRENCY
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views import OrderView
from cbr_tui.store.models import Account, Order, Vault


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
    if amount_cents < 0:  # money came in (a top-up, a refund): arrears it covers are paid
        pay_arrears(session, account, ctx.clock.now())
    return order


def thaw(vault: Vault, now: datetime) -> None:
    """Available again; a pay-per-use vault is charged from now on, not for the frozen time."""
    vault.status, vault.frozen_scene, vault.frozen_at, vault.updated_at = VaultStatus.AVAILABLE.value, None, None, now
    if vault.charging_mode == ChargingMode.POST_PAID:
        vault.billed_through = now


def pay_arrears(session: Session, account: Account, now: datetime) -> list[str]:
    """Once the balance is no longer negative, the arrears are settled and the vaults they froze are
    available again. Returns their IDs."""
    if account.balance_cents < 0 or account.arrears_since is None:
        return []
    account.arrears_since = None
    session.add(account)
    thawed = session.exec(select(Vault).where(
        col(Vault.project_id).in_(lookups.account_projects(account.id)),
        Vault.frozen_scene == FrozenScene.ARREARS.value)).all()
    for vault in thawed:
        thaw(vault, now)
        session.add(vault)
    return [v.id for v in thawed]


def order_shape(order: Order) -> OrderView:
    return OrderView(order_id=order.id, kind=order.kind, vault_id=order.vault_id, amount=money(order.amount_cents),
                     currency=CURRENCY, created_at=api_time(order.created_at), detail=order.detail)

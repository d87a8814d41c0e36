"""Billing over time: yearly/monthly vaults expire, renew or freeze; pay-per-use vaults are charged by the hour,
and freeze when arrears outlast the grace period; frozen vaults are released at the end of the retention
period. `BillingCycle.tick` applies what fell due (the scheduler runs it before the policies); `BillingService`
is what a person does: renew, read the bill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select

from cbr_tui.domain.billing import (
    GRACE_PERIOD,
    HOUR,
    RETENTION_PERIOD,
    FrozenScene,
    Hours,
    billable_hours,
    cents_due,
    e4,
    term,
)
from cbr_tui.domain.clock import api_time, as_utc
from cbr_tui.domain.enums import ChargingMode, ConsistentLevel, ObjectType, PeriodType, ProtectType, VaultStatus
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.pricing import CURRENCY, Quote, quote_vault
from cbr_tui.domain.rules import check_paging, check_period
from cbr_tui.domain.vault_types import vault_type
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.ledger import charge, money, order_shape, thaw
from cbr_tui.services.removal import remove_stored, remove_vault
from cbr_tui.services.shapes import vault_views
from cbr_tui.services.views import VaultAnswer, VaultPurchase, VaultsRebilled
from cbr_tui.services.views.billing import (
    Bill,
    BillAnswer,
    BillingTick,
    DayBalance,
    DaySpend,
    RenewalTerms,
    UsageChargePage,
    UsageChargeView,
)
from cbr_tui.store.models import Account, Order, UsageCharge, Vault

_PRE_PAID = ChargingMode.PRE_PAID.value
CHARGE_MODE_VAULTS_MAX = 60  # vaults changed to yearly/monthly in one request
_POST_PAID = ChargingMode.POST_PAID.value
_CHARGED = (VaultStatus.AVAILABLE.value, VaultStatus.LOCK.value)  # a frozen vault costs nothing


def vault_quote(vault: Vault, *, period: tuple[PeriodType, int] | None = None) -> Quote:
    """The price list's quote for this vault as it is: its hourly price, or `period` of subscription."""
    return quote_vault(object_type=ObjectType(vault.object_type), protect_type=ProtectType(vault.protect_type),
                       consistent_level=ConsistentLevel(vault.consistent_level), multi_az=vault.is_multi_az,
                       size_gb=vault.size_gb, charging_mode=ChargingMode(vault.charging_mode),
                       period_type=period[0] if period else None, period_num=period[1] if period else None)


def settle(session: Session, ctx: ServiceContext, vault: Vault, until: datetime) -> int:
    """Charge a pay-per-use vault its whole hours up to `until`, one line per UTC day; returns the cents
    taken. The balance may go below zero: the account is then in arrears from the hour it crossed."""
    if vault.charging_mode != _POST_PAID or vault.billed_through is None or vault.status not in _CHARGED:
        return 0
    account = session.get(Account, ctx.account_id, with_for_update=not ctx.store.is_sqlite)
    assert account is not None
    if account.arrears_since is not None:  # nothing is charged past the grace period: the vault freezes there
        until = min(as_utc(until), as_utc(account.arrears_since) + GRACE_PERIOD)
    hourly = e4(vault_quote(vault).hourly)
    taken = 0
    last = session.exec(select(UsageCharge).where(UsageCharge.vault_id == vault.id)
                        .order_by(col(UsageCharge.start).desc())).first()
    for line in billable_hours(as_utc(vault.billed_through), until):
        amount = hourly * line.hours
        cents = cents_due(vault.billed_e4, vault.billed_e4 + amount)
        vault.billed_e4 += amount
        was_positive = account.balance_cents >= 0
        account.balance_cents -= cents
        taken += cents
        if was_positive and account.balance_cents < 0 and account.arrears_since is None:
            account.arrears_since = _crossing(line.start, line.hours, hourly, account.balance_cents + cents)
        if last is not None and _continues(last, line, hourly, vault.size_gb):
            last.hours, last.amount_e4, last.deducted_cents = (last.hours + line.hours, last.amount_e4 + amount,
                                                               last.deducted_cents + cents)
        else:
            last = UsageCharge(id=ctx.ids.uuid(), account_id=account.id, project_id=vault.project_id,
                               vault_id=vault.id, vault_name=vault.name, start=line.start, hours=line.hours,
                               size_gb=vault.size_gb, hourly_e4=hourly, amount_e4=amount, deducted_cents=cents)
        session.add(last)
        vault.billed_through = line.end
    session.add(vault)
    session.add(account)
    return taken


def hourly_e4(session: Session, account_id: str) -> int:
    """What the account's pay-per-use vaults cost an hour now, in ten-thousandths of a dollar."""
    return sum(e4(vault_quote(v).hourly) for v in session.exec(select(Vault).where(
        col(Vault.project_id).in_(lookups.account_projects(account_id)), Vault.charging_mode == _POST_PAID,
        col(Vault.status).in_(_CHARGED), col(Vault.billed_through).is_not(None))))


def _subscribed(vault: Vault) -> datetime:
    """A yearly/monthly vault's expiry; a pay-per-use vault has none to renew (6110)."""
    if vault.charging_mode != _PRE_PAID or vault.expires_at is None:
        raise CbrError(Codes.VAULT_CANNOT_UPDATE,
                       f"{vault.name} is pay-per-use: it is charged by the hour and has nothing to renew.")
    return as_utc(vault.expires_at)


def _continues(last: UsageCharge, line: Hours, hourly_e4: int, size_gb: int) -> bool:
    """Whether `line` extends the vault's last charge line: the same UTC day, the same price, no gap."""
    end = as_utc(last.start) + last.hours * HOUR
    return (end == line.start and as_utc(last.start).date() == line.start.date()
            and last.hourly_e4 == hourly_e4 and last.size_gb == size_gb)


def _crossing(start: datetime, hours: int, hourly_e4: int, balance_before_cents: int) -> datetime:
    """The end of the hour in which charges took the balance below zero."""
    hours_paid = (balance_before_cents * 100) // hourly_e4 if hourly_e4 else hours
    return start + min(hours_paid + 1, hours) * HOUR


def freeze(vault: Vault, scene: FrozenScene, at: datetime) -> None:
    vault.status, vault.frozen_scene, vault.frozen_at, vault.updated_at = \
        VaultStatus.FROZEN.value, scene.value, at, at


@dataclass(frozen=True)
class _Release:
    vault_id: str
    project_id: str


class BillingCycle:
    """What billing does by itself as cloud time passes; every step is idempotent, so any number of processes
    may tick it."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def tick(self, now: datetime) -> BillingTick:
        report = BillingTick(renewed=[], frozen=[], released=[], charged=[])
        self._expire(now, report)
        self._charge(now, report)
        self._freeze_arrears(now, report)
        self._release(now, report)
        return report

    def next_due(self, after: datetime) -> datetime | None:
        """The next moment after `after` at which billing changes something (an expiry, the end of a grace or
        retention period, the hour a balance runs out): the demo clock stops there when it jumps ahead."""
        moments: list[datetime] = []
        with self.ctx.store.read() as session:
            expiry = session.exec(select(func.min(Vault.expires_at)).where(
                Vault.charging_mode == _PRE_PAID, col(Vault.status).in_(_CHARGED))).one()
            frozen = session.exec(select(func.min(Vault.frozen_at)).where(
                Vault.status == VaultStatus.FROZEN.value)).one()
            moments += [as_utc(expiry)] if expiry else []
            moments += [as_utc(frozen) + RETENTION_PERIOD] if frozen else []
            for account in session.exec(select(Account)).all():
                if account.arrears_since is not None:
                    moments.append(as_utc(account.arrears_since) + GRACE_PERIOD)
                else:
                    moments += self._runs_out(session, account, after)
        later = [m for m in moments if m > after]
        return min(later) if later else None

    def _runs_out(self, session: Session, account: Account, after: datetime) -> list[datetime]:
        per_hour = hourly_e4(session, account.id)
        if not per_hour:
            return []
        return [as_utc(after) + (account.balance_cents * 100 // per_hour + 2) * HOUR]

    # --- the steps ----------------------------------------------------------------------------------

    def _due_vaults(self, session: Session, *where: Any) -> list[Vault]:
        return list(session.exec(select(Vault).where(*where).order_by(col(Vault.created_at), col(Vault.id))).all())

    def _expire(self, now: datetime, report: BillingTick) -> None:
        """Yearly/monthly vaults at the end of their term: renewed from the balance with auto-renew (an order
        for each term), else frozen."""
        with self.ctx.store.read() as session:
            ids = [v.id for v in self._due_vaults(session, Vault.charging_mode == _PRE_PAID,
                                                  col(Vault.status).in_(_CHARGED), col(Vault.expires_at) <= now)]
        for vault_id in ids:
            with self.ctx.store.write() as session:
                vault = session.get(Vault, vault_id, with_for_update=True, populate_existing=True)
                if vault is None or vault.status not in _CHARGED or vault.expires_at is None:
                    continue
                ctx = lookups.owner_context(session, self.ctx, vault.project_id)
                while vault.status in _CHARGED and as_utc(vault.expires_at) <= now:
                    expiry = as_utc(vault.expires_at)
                    if vault.is_auto_renew and self._auto_renew(session, ctx, vault, expiry):
                        report.renewed.append(vault.id)
                    else:
                        freeze(vault, FrozenScene.EXPIRED, expiry)
                        report.frozen.append(vault.id)
                session.add(vault)

    def _auto_renew(self, session: Session, ctx: ServiceContext, vault: Vault, expiry: datetime) -> bool:
        period = PeriodType(vault.period_type or PeriodType.MONTH)
        quote = vault_quote(vault, period=(period, 1))
        try:
            charge(session, ctx, quote.amount_cents, kind="renew", vault_id=vault.id, at=expiry,
                   refusal=Codes.INVALID_VAULT_STATUS,
                   detail=quote.to_api() | {"auto_renew": True, "from": api_time(expiry),
                                            "until": api_time(expiry + term(period))})
        except CbrError:
            return False  # the balance is short: the vault freezes
        vault.expires_at = expiry + term(period)
        return True

    def _charge(self, now: datetime, report: BillingTick) -> None:
        with self.ctx.store.read() as session:
            ids = [v.id for v in self._due_vaults(session, Vault.charging_mode == _POST_PAID,
                                                  col(Vault.status).in_(_CHARGED),
                                                  col(Vault.billed_through) <= now - HOUR)]
        for vault_id in ids:
            with self.ctx.store.write() as session:
                found = session.get(Vault, vault_id)
                if found is None:
                    continue
                owner = lookups.owner_context(session, self.ctx, found.project_id)
                # the account first, then the vault: the order every writer of both takes them in
                session.get(Account, owner.account_id, with_for_update=not self.ctx.store.is_sqlite)
                vault = session.get(Vault, vault_id, with_for_update=True, populate_existing=True)
                if vault is not None and settle(session, owner, vault, now):
                    report.charged.append(vault.id)

    def _freeze_arrears(self, now: datetime, report: BillingTick) -> None:
        """Pay-per-use vaults of an account whose arrears outlasted the grace period are frozen, charged up
        to the moment they froze."""
        with self.ctx.store.read() as session:
            overdue = [a.id for a in session.exec(select(Account).where(
                col(Account.arrears_since).is_not(None), col(Account.arrears_since) <= now - GRACE_PERIOD,
                Account.balance_cents < 0))]
        for account_id in overdue:
            with self.ctx.store.write() as session:
                account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
                if account is None or account.arrears_since is None or account.balance_cents >= 0:
                    continue
                at = as_utc(account.arrears_since) + GRACE_PERIOD
                for vault in self._due_vaults(session, col(Vault.project_id).in_(lookups.account_projects(account_id)),
                                              Vault.charging_mode == _POST_PAID, col(Vault.status).in_(_CHARGED)):
                    settle(session, lookups.owner_context(session, self.ctx, vault.project_id), vault, at)
                    freeze(vault, FrozenScene.ARREARS, max(at, as_utc(vault.created_at)))
                    session.add(vault)
                    report.frozen.append(vault.id)

    def _release(self, now: datetime, report: BillingTick) -> None:
        """Vaults frozen for the whole retention period are released with their data."""
        with self.ctx.store.read() as session:
            due = [_Release(v.id, v.project_id) for v in self._due_vaults(
                session, Vault.status == VaultStatus.FROZEN.value, col(Vault.frozen_at) <= now - RETENTION_PERIOD)]
        for item in due:
            with self.ctx.store.write() as session:
                vault = session.get(Vault, item.vault_id, with_for_update=True, populate_existing=True)
                if vault is None or vault.status != VaultStatus.FROZEN.value:
                    continue
                ctx = lookups.owner_context(session, self.ctx, item.project_id)
                try:
                    remove_vault(session, ctx, vault, {"released": vault.frozen_scene})
                except CbrError:
                    continue  # a backup still being deleted: released at the next pass
            remove_stored(self.ctx, item.vault_id)  # a store that does not answer is emptied at a later pass
            report.released.append(item.vault_id)


class BillingService:
    """Renewals and the bill: orders, hourly charges, spend per day."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def renew(self, ref: str, period_num: int, period_type: str | PeriodType | None = None) -> VaultPurchase:
        """Renew a yearly/monthly vault for `period_num` months or years (its own unit by default), counted
        from its expiry: a frozen vault is available again once the new term reaches past now."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            expiry = _subscribed(vault)
            if vault.status == VaultStatus.FROZEN and vault.frozen_scene != FrozenScene.EXPIRED:
                raise CbrError(Codes.INVALID_VAULT_STATUS, f"{vault.name} is frozen for arrears; top up instead.")
            if vault.status not in (*_CHARGED, VaultStatus.FROZEN.value):
                raise CbrError(Codes.INVALID_VAULT_STATUS,
                               f"{vault.name} is {vault.status}; only an available or expired vault is renewed.")
            period = check_period(period_type or vault.period_type, period_num)
            now = self.ctx.clock.now()
            until = expiry + term(*period)
            if until <= now:
                raise invalid(f"{vault.name} expired on {api_time(vault.expires_at)}; renewing from then for "
                              f"{period[1]} {period[0].value}(s) still ends before now. Renew for longer.")
            quote = vault_quote(vault, period=period)
            order = charge(session, self.ctx, quote.amount_cents, kind="renew", vault_id=vault.id,
                           refusal=Codes.INVALID_VAULT_STATUS,
                           detail=quote.to_api() | {"from": api_time(vault.expires_at), "until": api_time(until)})
            vault.expires_at = until
            if vault.status == VaultStatus.FROZEN:
                thaw(vault, now)
            vault.updated_at = now
            session.add(vault)
            session.flush()
            return VaultPurchase(vault=vault_views(session, [vault])[0], orders=[order_shape(order)])

    def change_to_yearly_monthly(self, refs: Sequence[str], period_type: str | PeriodType, period_num: int, *,
                                 auto_renew: bool = False) -> VaultsRebilled:
        """Turn pay-per-use vaults into yearly/monthly ones (`POST /vaults/change-charge-mode`; the other way
        is not offered): their hours are charged up to now, then each term is paid from the balance, all or
        none. One order per vault."""
        if not 1 <= len(refs) <= CHARGE_MODE_VAULTS_MAX:
            raise invalid(f"Name 1 to {CHARGE_MODE_VAULTS_MAX} vaults to change; {len(refs)} were named.")
        period = check_period(period_type, period_num)
        now = self.ctx.clock.now()
        with self.ctx.store.write() as session:
            vaults = [lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
                      for ref in dict.fromkeys(refs)]
            orders = []
            for vault in vaults:
                if vault.charging_mode == _PRE_PAID:
                    raise CbrError(Codes.VAULT_CANNOT_UPDATE, f"{vault.name} is billed yearly/monthly already.")
                if vault.status not in _CHARGED:
                    raise CbrError(Codes.INVALID_VAULT_STATUS,
                                   f"{vault.name} is {vault.status}; only an available vault changes its billing.")
                settle(session, self.ctx, vault, now)
                vault.charging_mode, vault.period_type, vault.period_num = _PRE_PAID, period[0].value, period[1]
                quote = vault_quote(vault, period=period)
                order = charge(session, self.ctx, quote.amount_cents, kind="new", vault_id=vault.id,
                               refusal=Codes.VAULT_CANNOT_UPDATE, detail=quote.to_api() | {"changed_from": "post_paid"})
                vault.expires_at, vault.billed_through = now + term(*period), None
                vault.is_auto_renew, vault.is_auto_pay = auto_renew, True
                vault.order_id, vault.updated_at = order.id, now
                vault.product_id = vault_type(vault.object_type).spec_code(
                    ProtectType(vault.protect_type), ConsistentLevel(vault.consistent_level))
                session.add(vault)
                orders.append(order_shape(order))
            return VaultsRebilled(orders=orders, vaults=vault_views(session, vaults))

    def renewal(self, ref: str) -> RenewalTerms:
        """What the Renew dialog states: the vault's expiry, its unit of renewal and the price of one term."""
        with self.ctx.store.read() as session:
            vault = lookups.vault(session, self.ctx, ref)
            expiry = _subscribed(vault)
            unit = PeriodType(vault.period_type or PeriodType.MONTH)
            return RenewalTerms(vault_id=vault.id, expired_at=api_time(expiry), unit=unit.value,
                                price_per_term=str(vault_quote(vault, period=(unit, 1)).amount), currency=CURRENCY,
                                is_auto_renew=vault.is_auto_renew)

    def set_auto_renew(self, ref: str, enabled: bool) -> VaultAnswer:
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            if vault.charging_mode != _PRE_PAID:
                raise CbrError(Codes.VAULT_CANNOT_UPDATE, f"{vault.name} is pay-per-use; it is never renewed.")
            if enabled and vault.status == VaultStatus.FROZEN:
                raise CbrError(Codes.VAULT_CANNOT_UPDATE,
                               f"{vault.name} has expired and is frozen; auto-renewal applies at the next expiry. "
                               "Renew it first (More > Renew, or `cbr-tui vault renew`).")
            vault.is_auto_renew, vault.updated_at = enabled, self.ctx.clock.now()
            session.add(vault)
            session.flush()
            return VaultAnswer(vault=vault_views(session, [vault])[0])

    def summary(self, days: int = 30) -> BillAnswer:
        """The Billing page: balance, arrears, and what was spent each of the last `days` days."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        if not 1 <= days <= 366:
            raise invalid(f"The bill covers 1 to 366 days; {days} is not in that range.")
        now = self.ctx.clock.now()
        first = now.date() - timedelta(days=days - 1)
        since = datetime.combine(first, time(), UTC)
        with self.ctx.store.read() as session:
            account = session.get(Account, self.ctx.account_id)
            assert account is not None
            spend = dict.fromkeys((first + timedelta(days=n) for n in range(days)), 0)
            flow = dict(spend)  # what left the balance each day: spend, less top-ups
            for order in session.exec(select(Order).where(Order.account_id == account.id,
                                                          col(Order.created_at) >= since)):
                day = as_utc(order.created_at).date()
                _add(flow, day, order.amount_cents)
                if order.kind != "top_up":
                    _add(spend, day, order.amount_cents)
            for line in session.exec(select(UsageCharge).where(UsageCharge.account_id == account.id,
                                                               col(UsageCharge.start) >= since)):
                _add(spend, as_utc(line.start).date(), line.deducted_cents)
                _add(flow, as_utc(line.start).date(), line.deducted_cents)
            hourly = hourly_e4(session, account.id)
        return BillAnswer(billing=Bill(
            balance=money(account.balance_cents), currency=CURRENCY, at=api_time(now),
            arrears_since=api_time(account.arrears_since),
            frozen_after=api_time(as_utc(account.arrears_since) + GRACE_PERIOD) if account.arrears_since else None,
            pay_per_use_hourly=str(Decimal(hourly) / 10000),
            spend_per_day=[DaySpend(date=day.isoformat(), amount=money(cents)) for day, cents in spend.items()],
            balance_per_day=_balances(account.balance_cents, flow),
        ))

    def charges(self, vault: str | None = None, limit: int = 50, offset: int = 0) -> UsageChargePage:
        """Hourly charges of pay-per-use vaults, newest first (one line per vault and day)."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        check_paging(limit, offset)
        with self.ctx.store.read() as session:
            query = select(UsageCharge).where(UsageCharge.account_id == self.ctx.account_id)
            if vault is not None:
                query = query.where(UsageCharge.vault_id == lookups.vault(session, self.ctx, vault).id)
            rows = session.exec(query.order_by(col(UsageCharge.start).desc(), UsageCharge.vault_name)
                                .offset(offset).limit(limit)).all()
            total = session.exec(select(func.count()).select_from(query.subquery())).one()
            return UsageChargePage(charges=[_charge_shape(r) for r in rows], count=total)


def _balances(now_cents: int, flow: dict[date, int]) -> list[DayBalance]:
    """The balance at the end of each day, worked back from today's with what left it each later day."""
    balances: list[DayBalance] = []
    balance = now_cents
    for day in sorted(flow, reverse=True):
        balances.append(DayBalance(date=day.isoformat(), balance=money(balance)))
        balance += flow[day]
    return balances[::-1]


def _add(spend: dict[date, int], day: date, cents: int) -> None:
    if day in spend:
        spend[day] += cents


def _charge_shape(row: UsageCharge) -> UsageChargeView:
    return UsageChargeView(vault_id=row.vault_id, vault_name=row.vault_name, start=api_time(row.start),
                           end=api_time(as_utc(row.start) + row.hours * HOUR), hours=row.hours, size=row.size_gb,
                           hourly_price=str(Decimal(row.hourly_e4) / 10000),
                           amount=str(Decimal(row.amount_e4) / 10000), deducted=money(row.deducted_cents),
                           currency=CURRENCY)

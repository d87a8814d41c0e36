"""Cloud time on the installation's demo clock: a year of renewals, a vault that expires and is renewed, a
pay-per-use vault in arrears, and a week of a daily policy, each jumped through with `advance_clock`."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from sqlmodel import col, select

from cbr_tui.domain.billing import GRACE_PERIOD, RETENTION_PERIOD
from cbr_tui.domain.clock import FixedClock, as_utc
from cbr_tui.domain.enums import ChargingMode, PeriodType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.ids import SeededIds
from cbr_tui.domain.policy_rules import check_retention, day_based_patterns
from cbr_tui.services.cloud_time import SharedClock
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.settings import Settings
from cbr_tui.store import open_store
from cbr_tui.store.models import Account, Backup, DemoClock, Order, Task, UsageCharge, Vault
from tests.conftest import T0
from tests.services.helpers import buy, refused


@pytest.fixture
def cloud(settings: Settings) -> Iterator[Console]:
    """The demo inventory on the shared demo clock, whose real time stands still at T0: cloud time moves
    only when a test moves it."""
    store = open_store(settings.database_url)
    opened = open_console(settings, clock=SharedClock(store, real=FixedClock(T0)), store=store, ids=SeededIds(7))
    yield opened
    opened.close()


def balance_cents(console: Console) -> int:
    with console.ctx.store.read() as session:
        account = session.get(Account, console.ctx.account_id)
        assert account is not None
        return account.balance_cents


def set_balance(console: Console, cents: int) -> None:
    with console.ctx.store.write() as session:
        account = session.get(Account, console.ctx.account_id)
        assert account is not None
        account.balance_cents = cents
        session.add(account)


def orders_of(console: Console, vault_id: str, kind: str) -> list[Order]:
    with console.ctx.store.read() as session:
        return list(session.exec(select(Order).where(Order.vault_id == vault_id, Order.kind == kind)
                                 .order_by(Order.created_at)).all())


def usage_cents(console: Console) -> int:
    with console.ctx.store.read() as session:
        return sum(line.deducted_cents for line in session.exec(select(UsageCharge)))


def vault_row(console: Console, vault_id: str) -> Vault | None:
    with console.ctx.store.read() as session:
        return session.get(Vault, vault_id)


def prepaid(console: Console, unit: PeriodType, *, auto_renew: bool, size_gb: int = 100, **fields: object) -> dict:
    return buy(console, size_gb=size_gb, charging_mode=ChargingMode.PRE_PAID, period_type=unit, period_num=1,
               auto_renew=auto_renew, **fields)


@pytest.mark.parametrize(("unit", "renewals"), [(PeriodType.MONTH, 12), (PeriodType.YEAR, 1)])
def test_a_year_of_an_auto_renewing_vault_renews_each_term_from_the_balance(
        cloud: Console, unit: PeriodType, renewals: int) -> None:
    start = balance_cents(cloud)
    charged_before = usage_cents(cloud)
    vault = prepaid(cloud, unit, auto_renew=True)
    price = 500 if unit is PeriodType.MONTH else 5000  # 100 GB at 0.05 a month; a year bills ten months
    cloud.advance_clock(timedelta(days=365))
    renewed = orders_of(cloud, vault.id, "renew")
    assert len(renewed) == renewals
    assert [o.amount_cents for o in renewed] == [price] * renewals
    # each renewal is paid at the moment the term ended
    step = relativedelta(months=1) if unit is PeriodType.MONTH else relativedelta(years=1)
    assert [as_utc(o.created_at) for o in renewed] == [T0 + step * n for n in range(1, renewals + 1)]
    row = vault_row(cloud, vault.id)
    assert row is not None and row.status == "available"
    assert as_utc(row.expires_at) == T0 + step * (renewals + 1)
    # the balance is exact to the cent: the purchase, the renewals and the demo's pay-per-use hours
    charged = usage_cents(cloud) - charged_before
    assert balance_cents(cloud) == start - price * (renewals + 1) - charged


def test_an_expired_vault_is_frozen_refuses_backups_until_renewed_then_backs_up_again(cloud: Console) -> None:
    vault = prepaid(cloud, PeriodType.MONTH, auto_renew=False, size_gb=200, resources=("ecs-web-01",))
    expiry = T0 + relativedelta(months=1)
    cloud.advance_clock(timedelta(days=31))
    shown = cloud.vaults.show(vault.id).billing
    assert (shown.status, shown.frozen_scene) == ("frozen", "expired")
    assert as_utc(vault_row(cloud, vault.id).frozen_at) == expiry  # type: ignore[union-attr]
    refused(Codes.VAULT_STATUS_FORBIDS_BACKUP, lambda: cloud.backups.perform(vault.id), "Frozen")
    refused(Codes.INVALID_PARAMETER, lambda: cloud.billing.renew(vault.id, 0), "1 to 9 months")

    refused(Codes.VAULT_CANNOT_UPDATE, lambda: cloud.billing.set_auto_renew(vault.id, True), "Renew it first")
    renewed = cloud.billing.renew(vault.id, 2)
    assert renewed.vault.billing.status == "available"
    assert renewed.vault.billing.expired_at.startswith("2027-02-25T10:00")  # counted from the expiry
    assert renewed.orders[0].amount == "20.00"  # two months of 200 GB at 0.05
    task = cloud.backups.perform(vault.id, name="after-renewal")
    assert task.checkpoint.backups
    cloud.run_tasks()
    with cloud.ctx.store.read() as session:
        backup = session.exec(select(Backup).where(Backup.name == "after-renewal",
                                                   col(Backup.parent_id).is_(None))).one()
    assert backup.status == "available"
    assert cloud.backups.show("after-renewal").id == backup.id  # by name, though its disk's shares it


def test_a_frozen_vault_is_released_with_its_data_after_the_retention_period(cloud: Console) -> None:
    vault = prepaid(cloud, PeriodType.MONTH, auto_renew=True, size_gb=200, resources=("ecs-web-01",))
    cloud.backups.perform(vault.id, name="kept-a-while")
    cloud.run_tasks()
    objects = cloud.ctx.layout.home / "vaults" / vault.id
    assert objects.exists()
    set_balance(cloud, 0)  # auto-renew cannot pay: the vault freezes at expiry
    expiry = T0 + relativedelta(months=1)
    cloud.advance_clock(expiry - T0 + RETENTION_PERIOD - timedelta(hours=1))
    assert vault_row(cloud, vault.id).status == "frozen"  # type: ignore[union-attr]
    backup_id = cloud.backups.list(vault=vault.id).backups[0].id
    refused(Codes.RESTORE_VAULT_STATUS, lambda: cloud.restores.restore_server(backup_id), "Frozen")
    cloud.advance_clock(timedelta(hours=2))
    assert vault_row(cloud, vault.id) is None
    assert not objects.exists()
    with cloud.ctx.store.read() as session:
        task = session.exec(select(Task).where(Task.vault_id == vault.id,
                                               Task.operation_type == "vault_delete")).one()
        assert session.exec(select(Backup).where(Backup.vault_id == vault.id)).all() == []
    assert task.extra["released"] == "expired"


def test_an_expired_vault_can_be_unsubscribed_while_frozen_with_nothing_refunded(cloud: Console) -> None:
    vault = prepaid(cloud, PeriodType.MONTH, auto_renew=False)
    cloud.advance_clock(timedelta(days=31))
    before = balance_cents(cloud)
    result = cloud.vaults.unsubscribe(vault.id)
    assert result.orders[0].amount == "0.00" and balance_cents(cloud) == before
    assert vault_row(cloud, vault.id) is None


def test_a_pay_per_use_vault_in_arrears_freezes_after_the_grace_period_and_a_top_up_frees_it(
        cloud: Console) -> None:
    cloud.advance_clock(timedelta(hours=1))  # settle the demo's own pay-per-use vaults first
    vault = buy(cloud, size_gb=1000, resources=("ecs-web-01",))
    hourly = Decimal(vault_quote_hourly(cloud, vault.id))
    set_balance(cloud, 100)  # one dollar
    cloud.advance_clock(timedelta(days=2))
    with cloud.ctx.store.read() as session:
        account = session.get(Account, cloud.ctx.account_id)
        assert account is not None and account.balance_cents < 0 and account.arrears_since is not None
        crossed = as_utc(account.arrears_since)
    assert crossed <= T0 + timedelta(hours=1) + timedelta(hours=int(Decimal(1) / hourly) + 1)
    assert vault_row(cloud, vault.id).status == "available"  # type: ignore[union-attr]  # the grace period
    assert cloud.billing.summary(3).billing.arrears_since is not None

    cloud.advance_clock(crossed + GRACE_PERIOD - cloud.ctx.clock.now() + timedelta(minutes=1))
    row = vault_row(cloud, vault.id)
    assert row is not None and (row.status, row.frozen_scene) == ("frozen", "arrears")
    assert as_utc(row.frozen_at) == crossed + GRACE_PERIOD
    refused(Codes.VAULT_STATUS_FORBIDS_BACKUP, lambda: cloud.backups.perform(vault.id))
    owed = balance_cents(cloud)
    cloud.advance_clock(timedelta(days=3))
    assert balance_cents(cloud) == owed  # nothing is charged while frozen

    cloud.accounts.top_up(Decimal(-owed) / 100 + 50)
    row = vault_row(cloud, vault.id)
    assert row is not None and (row.status, row.frozen_scene) == ("available", None)
    assert cloud.billing.summary(3).billing.arrears_since is None
    cloud.backups.perform(vault.id, name="after-top-up")
    before = balance_cents(cloud)
    cloud.advance_clock(timedelta(hours=10))
    assert before - balance_cents(cloud) > 0  # charged again from the top-up on


def vault_quote_hourly(console: Console, vault_id: str) -> str:
    from cbr_tui.services.billing import vault_quote

    row = vault_row(console, vault_id)
    assert row is not None
    return str(vault_quote(row).hourly)


def test_a_week_of_a_daily_policy_with_retention_3_runs_each_day_and_keeps_three(cloud: Console) -> None:
    vault = buy(cloud, size_gb=500, resources=("ecs-web-01",), name="vault-week")
    policy = cloud.policies.create(PolicySpec(pattern=day_based_patterns(1, ["22:00"]), name="nightly",
                                              retention=check_retention(max_backups=3))).policy
    cloud.policies.apply(vault.id, policy.id)
    cloud.advance_clock(timedelta(days=7))
    with cloud.ctx.store.read() as session:
        runs = session.exec(select(Task).where(Task.operation_type == "backup", Task.vault_id == vault.id)
                            .order_by(Task.created_at)).all()
        deletions = session.exec(select(Task).where(Task.operation_type == "delete", Task.vault_id == vault.id)
                                 .order_by(Task.created_at)).all()
        left = session.exec(select(Backup).where(Backup.vault_id == vault.id, col(Backup.parent_id).is_(None))
                            .order_by(Backup.created_at)).all()
        charges = session.exec(select(UsageCharge).where(UsageCharge.vault_id == vault.id)).all()
    nights = [datetime(2026, 11, 25, 22, 0, tzinfo=UTC) + timedelta(days=n) for n in range(7)]
    assert [as_utc(t.created_at) for t in runs] == nights
    assert all(t.status == "success" for t in runs)
    assert [as_utc(b.created_at) for b in left] == nights[-3:]
    assert all(b.status == "available" and b.auto_trigger for b in left)
    assert len(deletions) == 4 and all(t.extra.get("retention") for t in deletions)
    assert [as_utc(t.created_at) for t in deletions] == nights[3:]  # each one as the fourth newest is made
    assert sum(line.hours for line in charges) == 7 * 24  # every hour of the week, once
    assert len(charges) <= 8  # one line a day (hours count from the purchase, 10:00), though the clock stopped
    # at every run and deletion


def overdue(cloud: Console) -> None:
    """An account whose pay-per-use charges ran the balance out more than the grace period ago."""
    buy(cloud, size_gb=1000, resources=("ecs-web-01",), name="vault-costly")
    set_balance(cloud, 100)
    cloud.advance_clock(timedelta(days=20))


def test_an_account_in_arrears_buys_no_pay_per_use_vault(cloud: Console) -> None:
    overdue(cloud)
    before = vault_count(cloud)
    refused(Codes.VAULT_CREATION_FAILED, lambda: buy(cloud, size_gb=100, name="vault-new"), "in arrears since")
    assert vault_count(cloud) == before


def vault_count(console: Console) -> int:
    with console.ctx.store.read() as session:
        return len(session.exec(select(Vault)).all())


def test_the_data_center_storage_is_on_no_bill_and_never_frozen(cloud: Console) -> None:
    cloud.hybrid.site()
    overdue(cloud)
    with cloud.ctx.store.read() as session:
        storage = session.exec(select(Vault).where(col(Vault.name).like("%-backup"))).all()
        charged = session.exec(select(UsageCharge).where(col(UsageCharge.vault_id).in_([v.id for v in storage]))).all()
    assert len(storage) == 2 and {v.status for v in storage} == {"available"} and charged == []
    assert vault_row(cloud, cloud.vaults.show("vault-costly").id).status == "frozen"  # type: ignore[union-attr]


def test_a_refund_that_covers_the_arrears_pays_them(cloud: Console) -> None:
    monthly = prepaid(cloud, PeriodType.YEAR, auto_renew=False, size_gb=100)  # 50.00 paid
    overdue(cloud)
    assert vault_row(cloud, cloud.vaults.show("vault-costly").id).status == "frozen"  # type: ignore[union-attr]
    cloud.vaults.unsubscribe(monthly.id)
    assert balance_cents(cloud) >= 0
    assert cloud.billing.summary(1).billing.arrears_since is None
    assert cloud.vaults.show("vault-costly").billing.status == "available"


def test_a_late_look_charges_nothing_past_the_freeze(cloud: Console) -> None:
    vault = buy(cloud, size_gb=1000, resources=("ecs-web-01",), name="vault-costly")
    set_balance(cloud, 100)
    cloud.run_due_policies()
    cloud.clock.set_rate(100_000)
    real = cloud.ctx.clock.real  # type: ignore[attr-defined]
    real.advance(timedelta(seconds=17))  # about 20 days of cloud time, seen by one late pass
    cloud.run_due_policies()
    row = vault_row(cloud, vault.id)
    assert row is not None and row.status == "frozen"
    assert as_utc(row.billed_through) <= as_utc(row.frozen_at)  # type: ignore[arg-type]


def test_a_jump_keeps_the_clock_running_at_its_speed_afterwards(cloud: Console) -> None:
    cloud.clock.set_rate(60)
    start = cloud.ctx.clock.now()
    result = cloud.advance_clock(timedelta(days=2))
    assert result.clock.rate == 60 and result.stopped_short is None
    assert cloud.ctx.clock.now() - start == timedelta(days=2)  # real time stands still in these tests


def test_one_jump_at_a_time_and_a_jump_cut_short_is_resumed_with_a_rate(cloud: Console) -> None:
    with cloud.ctx.store.write() as session:  # as a process killed half-way through a jump leaves it
        session.add(DemoClock(id=1, anchor_real=T0, anchor_cloud=T0 + timedelta(days=1), rate=0, updated_at=T0))
    cloud.ctx.clock.forget()  # type: ignore[attr-defined]
    refused(Codes.INVALID_PARAMETER, lambda: cloud.advance_clock(timedelta(days=1)), "already being moved ahead")
    assert cloud.clock.show().clock.rate == 0
    cloud.clock.set_rate(1)
    cloud.advance_clock(timedelta(days=1))
    assert cloud.ctx.clock.now() == T0 + timedelta(days=2)

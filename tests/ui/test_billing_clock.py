"""The demo clock, the Billing page and renewals, on screen: every dialog opened, every refusal it can meet
shown in it, and a policy's backups appearing while the clock runs an hour a second."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.ids import SeededIds
from cbr_tui.domain.policy_rules import check_retention
from cbr_tui.services.cloud_time import SharedClock
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.settings import Settings
from cbr_tui.store import open_store
from cbr_tui.store.models import Account
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.billing_actions import AutoRenewDialog, RenewDialog, TopUpDialog
from cbr_tui.ui.dialogs.clock import ClockDialog
from cbr_tui.ui.dialogs.vault_actions import more_actions
from tests.conftest import T0, database_for
from tests.services.helpers import buy
from tests.ui.conftest import SIZE, SIZES
from tests.ui.pilot import (
    cell_texts,
    choose_in_more_menu,
    field_error,
    open_nav,
    open_page,
    shows_whole,
    table,
    type_into,
    wait_for,
)


def shared_console(home: Path, template: dict[str, object], real: FixedClock | None = None) -> Console:
    settings = Settings(home=home, database_url=database_for("sqlite", template, home), demo_scale=0)
    store = open_store(settings.database_url)
    return open_console(settings, clock=SharedClock(store, real=real), store=store, ids=SeededIds(7))


@pytest.fixture
def on_demo_clock(home: Path, demo_template: dict[str, object]) -> Iterator[Console]:
    """The demo inventory on the installation's shared clock, its real time standing still at T0."""
    console = shared_console(home, demo_template, FixedClock(T0))
    yield console
    console.close()


def monthly(console: Console, name: str = "vault-monthly") -> dict:
    return buy(console, size_gb=200, resources=("ecs-web-01",), name=name, charging_mode="pre_paid",
               period_type="month", period_num=1)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
async def test_jumping_ahead_freezes_an_expired_vault_and_renewing_frees_it(on_demo_clock: Console,
                                                                            size: tuple[int, int]) -> None:
    monthly(on_demo_clock)
    app = CbrApp(on_demo_clock, run_tasks=False)
    async with app.run_test(size=size) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        assert not app.screen.query_one("#cloud-time").display  # real time: nothing to say
        await pilot.press("ctrl+k")
        assert isinstance(app.screen, ClockDialog)
        await type_into(pilot, "clock-advance", "40x")
        await pilot.press("ctrl+s")
        assert "not a duration" in field_error(pilot, "clock-advance")
        await type_into(pilot, "clock-rate", "0")
        await pilot.click("#clock-set-rate")
        assert "1 to 100,000" in field_error(pilot, "clock-rate")
        await type_into(pilot, "clock-rate", "1")
        await pilot.press("enter")  # Enter in the Speed field sets the speed: it does not jump
        await wait_for(pilot, lambda: not isinstance(app.screen, ClockDialog))
        assert on_demo_clock.clock.show().clock.offset_seconds == 0
        await pilot.press("ctrl+k")
        await type_into(pilot, "clock-advance", "40d")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, ClockDialog), rounds=400)
        said = ("Cloud time is now 2027-01-04 10:00:00 UTC: 0 policy runs, 0 backups deleted by retention, 1 vault "
                "frozen.")
        await wait_for(pilot, lambda: said in [n.message for n in app._notifications])
        vaults = table(pilot, "#page-server #vault-table")
        await wait_for(pilot, lambda: "Frozen" in cell_texts(vaults, 1)[0])
        assert "cloud 2027-01-04 10:00 ·" in str(app.screen.query_one("#cloud-time").render())

        frozen = on_demo_clock.vaults.show("vault-monthly")
        assert ("Perform Backup", "backup") not in more_actions(frozen)  # the domain refuses it (6113)
        assert ("Renew", "renew") in more_actions(frozen)
        await choose_in_more_menu(pilot, "Renew")
        assert isinstance(app.screen, RenewDialog)
        assert shows_whole(pilot, "Expired 2026-12-25 10:00:00 UTC. The renewal counts from then, at 10.00 USD a "
                                  "month, paid from the balance.")
        await type_into(pilot, "renew-duration", "10")
        await pilot.press("ctrl+s")
        assert "1 to 9 months" in field_error(pilot, "renew-duration")
        await type_into(pilot, "renew-duration", "1")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RenewDialog))
        await wait_for(pilot, lambda: "Available" in cell_texts(vaults, 1)[0])
        assert "to 2027-01-25" in cell_texts(vaults, 5)[0]
    assert app.unexpected_errors == []


async def test_a_renewal_the_balance_cannot_pay_is_refused_in_the_dialog(on_demo_clock: Console) -> None:
    monthly(on_demo_clock)
    with on_demo_clock.ctx.store.write() as session:
        account = session.get(Account, on_demo_clock.ctx.account_id)
        assert account is not None
        account.balance_cents = 500
        session.add(account)
    app = CbrApp(on_demo_clock, run_tasks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        await choose_in_more_menu(pilot, "Renew")
        await type_into(pilot, "renew-duration", "3")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RenewDialog)
        assert shows_whole(pilot, "The order costs 30.00 USD but the balance is 5.00 USD; top up the account first.")
        await pilot.press("escape")
        await choose_in_more_menu(pilot, "Enable Auto-Renew")
        assert isinstance(app.screen, AutoRenewDialog)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, AutoRenewDialog))
        await choose_in_more_menu(pilot, "Unsubscribe")
        assert shows_whole(pilot, "10.00 USD is refunded to the balance: all of the 10.00 paid, within five days "
                                  "of the purchase")
        await pilot.press("escape")
    assert on_demo_clock.vaults.show("vault-monthly").billing.is_auto_renew is True
    assert app.unexpected_errors == []


async def test_the_clock_of_a_console_on_a_fixed_clock_cannot_be_moved(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        await pilot.press("ctrl+k")
        assert shows_whole(pilot, "on this console's own fixed clock")
        await pilot.click("#clock-reset")
        assert isinstance(app.screen, ClockDialog)
        assert shows_whole(pilot, "runs on a fixed clock of its own")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: shows_whole(pilot, "runs on a fixed clock of its own")
                       and not app.screen.query_one("#ok").disabled)
        await pilot.press("escape")


async def test_billing_page_shows_orders_and_charges_and_tops_up(on_demo_clock: Console) -> None:
    monthly(on_demo_clock)
    buy(on_demo_clock, size_gb=300, resources=("ecs-web-02",), name="vault-hourly")
    on_demo_clock.advance_clock(timedelta(days=2))
    app = CbrApp(on_demo_clock, run_tasks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-billing")
        orders = table(pilot, "#order-table")
        await wait_for(pilot, lambda: orders.row_count > 0)
        assert cell_texts(orders, 1)[0] == "Purchase" and cell_texts(orders, 2)[0] == "vault-monthly"
        assert shows_whole(pilot, "Balance")
        orders.focus()
        await pilot.press("2")  # the Hourly charges tab, its list focused
        await wait_for(pilot, lambda: bool(app.screen.query("#charge-table")) and table(pilot, "#charge-table")
                       .row_count > 0 and app.focused is table(pilot, "#charge-table"))
        assert "vault-hourly" in cell_texts(table(pilot, "#charge-table"), 2)
        before = on_demo_clock.accounts.show().account.balance
        await pilot.press("t")
        assert isinstance(app.screen, TopUpDialog)
        for bad, reason in (("ten", "Enter the amount as a number"), ("0", "between 0.01 and 1,000,000"),
                            ("1.005", "in cents")):
            await type_into(pilot, "top-up-amount", bad)
            await pilot.press("ctrl+s")
            assert reason in field_error(pilot, "top-up-amount"), bad
        await type_into(pilot, "top-up-amount", "25")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, TopUpDialog))
    after = on_demo_clock.accounts.show().account.balance
    assert float(after) == pytest.approx(float(before) + 25)
    assert app.unexpected_errors == []


async def test_at_an_hour_a_second_a_policys_backups_appear_on_the_backups_tab(home: Path,
                                                                              demo_template: dict[str, object]) -> None:
    console = shared_console(home, demo_template)  # real time passes
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-fast")
    every_hour = [f"FREQ=DAILY;INTERVAL=1;BYHOUR={hour};BYMINUTE=00" for hour in range(24)]
    policy = console.policies.create(PolicySpec(pattern=every_hour, name="hourly",
                                                retention=check_retention(max_backups=5))).policy
    console.policies.apply(vault.id, policy.id)
    app = CbrApp(console)  # with its runner and scheduler, as cbr-tui runs
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_page(pilot, ObjectType.SERVER)
            await pilot.press("ctrl+k")
            await type_into(pilot, "clock-rate", "3600")
            await pilot.click("#clock-set-rate")
            await wait_for(pilot, lambda: not isinstance(app.screen, ClockDialog))
            app.screen.query_one("#page-server #tabs").active = "tab-backups"
            await wait_for(pilot, lambda: bool(app.screen.query("#page-server #backup-table")))
            backups = table(pilot, "#page-server #backup-table")
            # an hour of cloud time each real second: a run fires every second or so, and the runner backs it
            # up; the page shows them as they come, in real seconds (at most about 40 here)
            await wait_for(pilot, lambda: sum("autobk_" in name for name in cell_texts(backups, 0)) >= 3,
                           rounds=800)
            assert " x3,600 ·" in str(app.screen.query_one("#cloud-time").render())
    finally:
        console.close()
    assert app.unexpected_errors == []

"""Identity and Access Management on screen: an administrator creates the seed's user and grants a group
its permissions; a read-only user is shown what they may not do, and why."""

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console, open_console, register_account
from cbr_tui.services.iam import UserSpec
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import MessageDialog
from cbr_tui.ui.dialogs.iam_actions import CreateGroupDialog, CreateUserDialog, GrantDialog, SecurityDialog
from cbr_tui.ui.screens.login import LoginScreen
from tests.ui.conftest import SIZE, SIZES
from tests.ui.pilot import (
    cell_texts,
    choose_option,
    field_error,
    open_nav,
    open_page,
    shows_whole,
    table,
    type_into,
    wait_for,
)

PASSWORD = "Cbr-admin-2026"


async def test_an_administrator_creates_cbr_admin_and_grants_a_group(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-iam")
        await pilot.press("n")
        assert isinstance(app.screen, CreateUserDialog)
        await type_into(pilot, "user-name", "1cbr")
        assert "cannot start with a digit" in field_error(pilot, "user-name")
        await type_into(pilot, "user-name", "cbr_admin")
        await type_into(pilot, "user-email", "cbr_admin@example.com")
        await type_into(pilot, "user-password", "short")
        await type_into(pilot, "user-confirm", "short")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CreateUserDialog), "a password the policy refuses keeps the dialog open"
        assert shows_whole(pilot, "A password has 8 to 32 characters; this one has 5.")
        await type_into(pilot, "user-password", PASSWORD)
        await type_into(pilot, "user-confirm", PASSWORD)
        await choose_option(pilot, "user-group", "admin")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CreateUserDialog)
        assert [name.split("\n")[0] for name in cell_texts(table(pilot, "#user-table"), 0)] == ["cbr_admin"]
        assert console.authentication.log_in("cbr_admin", PASSWORD).principal.administrator

        await pilot.press("ctrl+n")
        await open_nav(pilot, "page-iam")
        app.screen.query_one("#iam-tabs").active = "tab-groups"
        await pilot.pause()
        table(pilot, "#group-table").focus()
        await pilot.press("g")
        assert isinstance(app.screen, CreateGroupDialog)
        await type_into(pilot, "group-name", "readers")
        await pilot.press("ctrl+s")
        await pilot.pause()
        groups = cell_texts(table(pilot, "#group-table"), 0)
        assert groups == ["admin", "readers"]
        table(pilot, "#group-table").move_cursor(row=1)
        await pilot.press("p")
        assert isinstance(app.screen, GrantDialog)
        await choose_option(pilot, "grant-policy", "CBR ReadOnlyAccess: Read-only permissions for CBR: view "
                                                   "everything, change nothing.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "CBR ReadOnlyAccess (all resources)" in cell_texts(table(pilot, "#group-table"), 2)[1]


async def test_a_read_only_user_sees_why_buying_is_refused(console: Console) -> None:
    console.iam.create_group("readers")
    console.iam.grant("readers", "CBR ReadOnlyAccess")
    console.iam.create_user(UserSpec(name="cbr_reader", email="r@example.com", password=PASSWORD, groups=("readers",)))
    reader = console.as_principal(console.authentication.log_in("cbr_reader", PASSWORD).principal)
    app = CbrApp(reader, run_tasks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        assert app.screen.query_one("#buy-vault").disabled
        assert "cbr_reader (read-only)" in str(app.screen.query_one("#account").render())
        await pilot.press("n")
        assert isinstance(app.screen, MessageDialog) and app.screen.title_text == "BackupService.8600"
        assert shows_whole(pilot, "cbr_reader may not buy vaults (cbr:vaults:create): the policies granted to them "
                                  "(CBR ReadOnlyAccess) do not allow it")
        await pilot.press("escape")
        await open_nav(pilot, "page-iam")
        assert shows_whole(pilot, "cbr_reader may not manage IAM users, groups and permissions")
        assert app.screen.query_one("#op-create-user").disabled
    assert app.unexpected_errors == []


async def test_a_served_console_asks_for_an_iam_login_first(console: Console) -> None:
    console.iam.create_user(UserSpec(name="cbr_admin", email="a@example.com", password=PASSWORD, groups=("admin",)))
    app = CbrApp(lambda: console, settings=console.settings, run_tasks=False, login=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.services is None, "nothing of the account before the login"
        await type_into(pilot, "login-name", "cbr_admin")
        await type_into(pilot, "login-password", "Wrong-pass-1")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shows_whole(pilot, "BackupService.9998: The username or password is incorrect."))
        assert isinstance(app.screen, LoginScreen)
        await type_into(pilot, "login-password", PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert app.services.principal.user_name == "cbr_admin" and app.session_token is not None
        await wait_for(pilot, lambda: "cbr_admin" in str(app.screen.query_one("#account").render()))
    assert app.unexpected_errors == []


async def test_a_served_console_ends_after_the_session_timeout_without_input(
        console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cbr_tui.ui.app.IDLE_CHECK_SECONDS", 0.05)
    now = [1000.0]  # the console's idle clock, moved by the test (a loaded machine cannot make it flaky)
    monkeypatch.setattr("cbr_tui.ui.app.monotonic", lambda: now[0])
    app = CbrApp(console, run_tasks=False, idle_limit=timedelta(minutes=60))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            now[0] += 40 * 60
            await pilot.press("j")  # activity: the hour starts again
            await asyncio.sleep(0.15)
            assert app.is_running
        now[0] += 60 * 60 + 1
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_a_served_console_follows_its_users_permissions_and_ends_with_the_user(
        console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cbr_tui.ui.app.IDLE_CHECK_SECONDS", 0.05)
    console.iam.create_group("readers")
    console.iam.grant("readers", "CBR ReadOnlyAccess")
    console.iam.create_user(UserSpec(name="cbr_reader", email="r@example.com", password=PASSWORD, groups=("readers",)))
    logged_in = console.authentication.log_in("cbr_reader", PASSWORD)
    app = CbrApp(console.as_principal(logged_in.principal), run_tasks=False, session_token=logged_in.token)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, ObjectType.SERVER)
        assert app.screen.query_one("#buy-vault").disabled
        console.iam.grant("readers", "CBR FullAccess")
        await wait_for(pilot, lambda: not app.screen.query_one("#buy-vault").disabled
                       and "(read-only)" not in str(app.screen.query_one("#account").render()))
        console.iam.delete_user("cbr_reader")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 1


async def test_security_settings_are_changed_on_screen_within_iams_ranges(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-iam")
        app.screen.query_one("#iam-tabs").active = "tab-security"
        await wait_for(pilot, lambda: "5 failed logins within 15 minutes" in str(
            app.screen.query_one("#security-text").render()))
        app.screen.query_one("#op-security").focus()
        await pilot.press("e")
        assert isinstance(app.screen, SecurityDialog)
        await type_into(pilot, "security-failures_allowed", "2")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SecurityDialog)
        assert shows_whole(pilot, "The failed logins that lock a user must be 3 to 10 failures; 2 is not.")
        await type_into(pilot, "security-failures_allowed", "3")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SecurityDialog))
        await wait_for(pilot, lambda: "3 failed logins within 15 minutes" in str(
            app.screen.query_one("#security-text").render()))
    assert console.iam.security().login_policy.login_failed_times == 3


async def test_the_web_login_names_the_account(sqlite_console: Console) -> None:
    register_account(sqlite_console.settings, "acme")
    acme = open_console(replace(sqlite_console.settings, account="acme"))
    acme.iam.create_user(UserSpec(name="acme_ops", email="o@example.com", password=PASSWORD, groups=("admin",)))
    acme.close()
    app = CbrApp(lambda: sqlite_console, settings=sqlite_console.settings, run_tasks=False, login=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen) and bool(app.screen.query("#login-name")))
        await type_into(pilot, "login-name", "acme_ops")
        await type_into(pilot, "login-password", PASSWORD)
        await pilot.press("enter")  # in the first account: no such user
        await wait_for(pilot, lambda: shows_whole(pilot, "The username or password is incorrect."))
        await type_into(pilot, "login-account", "acme")
        await type_into(pilot, "login-password", PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen))
        await wait_for(pilot, lambda: "acme · acme_ops" in str(app.screen.query_one("#account").render()))
    assert app.unexpected_errors == []


async def test_the_iam_dialogs_open_at_80x24_with_their_buttons_on_screen(console: Console) -> None:
    app = CbrApp(console, run_tasks=False)
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        await open_nav(pilot, "page-iam")
        for tab, control, key, dialog in (("tab-users", "#user-table", "n", CreateUserDialog),
                                          ("tab-groups", "#group-table", "g", CreateGroupDialog),
                                          ("tab-security", "#op-security", "e", SecurityDialog)):
            app.screen.query_one("#iam-tabs").active = tab
            await pilot.pause()
            app.screen.query_one(control).focus()
            await pilot.press(key)
            await wait_for(pilot, lambda dialog=dialog: isinstance(app.screen, dialog))
            assert app.screen.query_one("#ok").region.area, "OK is on screen"
            await pilot.press("ctrl+s")  # empty or unchanged: refused or saved, never a crash
            await pilot.pause()
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, (CreateUserDialog, CreateGroupDialog,
                                                                      SecurityDialog)))
    assert app.unexpected_errors == []

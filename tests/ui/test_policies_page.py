"""The Policies page: create a policy with its rules checked field by field, disable it, delete it."""

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.policy_actions import DeletePolicyDialog, PolicyDialog
from cbr_tui.ui.widgets.table import ConsoleTable
from tests.ui.conftest import SIZE
from tests.ui.pilot import cell_texts, field_error, open_nav, type_into, wait_for


async def test_a_policy_is_created_checked_disabled_and_deleted(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-policies")
        policies = app.screen.query_one("#policy-table", ConsoleTable)
        policies.focus()
        before = len(console.policies.list().policies)
        await wait_for(pilot, lambda: policies.row_count == before)  # the page loads its list in a worker
        await pilot.press("c")
        assert isinstance(app.screen, PolicyDialog)
        await type_into(pilot, "policy-name", "policy-nightly")
        await type_into(pilot, "policy-times", "25:00")
        assert "25:00" in field_error(pilot, "policy-times")
        await type_into(pilot, "policy-times", "01:30, 13:30")
        await type_into(pilot, "policy-keep", "1")
        assert "2 to 99,999" in field_error(pilot, "policy-keep")
        await pilot.click("#ok")
        assert isinstance(app.screen, PolicyDialog), "a refused field keeps the dialog open"
        await type_into(pilot, "policy-keep", "14")
        await pilot.click("#ok")
        await pilot.pause()
        assert not isinstance(app.screen, PolicyDialog)
        created = console.policies.show("policy-nightly")
        assert created.operation_definition.max_backups == 14 and created.enabled
        assert policies.row_count == before + 1
        row = [t.split("\n")[0] for t in cell_texts(policies, 0)].index("policy-nightly")
        assert cell_texts(policies, 3)[row] == "Every day at 01:30, 13:30"
        policies.move_cursor(row=row)
        await pilot.press("e")
        await pilot.pause()
        assert not console.policies.show("policy-nightly").enabled
        assert cell_texts(policies, 1)[row] == "○ Disabled"
        await pilot.press("d")
        assert isinstance(app.screen, DeletePolicyDialog)
        assert "Backups it already made are kept" in str(app.screen.query_one(".dialog-text").render())
        await pilot.click("#ok")
        await pilot.pause()
        assert policies.row_count == before


async def test_modify_starts_from_the_policys_settings(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-policies")
        app.screen.query_one("#policy-table", ConsoleTable).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, PolicyDialog)
        shown = console.policies.list().policies[0]
        assert app.screen.query_one("#policy-name").text == shown.name
        await type_into(pilot, "policy-keep", "30")
        await pilot.click("#ok")
        await pilot.pause()
    assert console.policies.show(shown.id).operation_definition.max_backups == 30


async def test_a_policy_deleted_elsewhere_is_reported_not_a_crash(console: Console, app: CbrApp) -> None:
    """The command line (or another console) deletes the highlighted policy; the key says so and the list
    catches up."""
    async with app.run_test(size=SIZE) as pilot:
        await open_nav(pilot, "page-policies")
        policies = app.screen.query_one("#policy-table", ConsoleTable)
        policies.focus()
        doomed = policies.selected_key
        assert doomed is not None
        console.policies.delete(doomed)
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running
        assert doomed not in [str(policies.coordinate_to_cell_key((r, 0)).row_key.value)
                              for r in range(policies.row_count)]

"""Driving the console as a person does: open a page, pick a row, press keys, read what the screen shows."""

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import OptionList

from cbr_tui.domain.enums import ObjectType
from cbr_tui.ui.screens.main import NAV_ORDER, MainScreen
from cbr_tui.ui.widgets.fields import Field
from cbr_tui.ui.widgets.table import ConsoleTable


async def open_page(pilot: Pilot, object_type: ObjectType) -> None:
    """Choose a backup type in the navigation, as a person does with the arrow keys and Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    screen.query_one("#nav", OptionList).highlighted = NAV_ORDER.index(object_type)
    await pilot.pause()
    screen.query_one(f"#page-{object_type.value} #vault-table", ConsoleTable).focus()
    await pilot.pause()


async def open_nav(pilot: Pilot, page_id: str) -> None:
    """Choose an entry of the navigation by its page ID (page-tasks, page-policies, page-resources)."""
    await pilot.pause()
    nav = pilot.app.screen.query_one("#nav", OptionList)
    nav.highlighted = nav.get_option_index(page_id)
    await pilot.pause()


def table(pilot: Pilot, selector: str) -> ConsoleTable:
    return pilot.app.screen.query_one(selector, ConsoleTable)


def cell_texts(table: ConsoleTable, column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


async def type_into(pilot: Pilot, field_id: str, text: str) -> Field:
    """Replace what a form field holds, key by key, and return it."""
    field = pilot.app.screen.query_one(f"#{field_id}", Field)
    field.text = ""
    field.query_one("Input").focus()
    await pilot.press(*text) if text else None
    await pilot.pause()
    return field


def field_error(pilot: Pilot, field_id: str) -> str:
    """The message shown beside a field ('' when it is valid)."""
    label = pilot.app.screen.query_one(f"#{field_id} .field-error")
    return str(label.render()) if label.has_class("-shown") else ""


async def wait_for(pilot: Pilot, condition: Callable[[], bool], rounds: int = 200) -> None:
    """Let the app run until the condition holds (bounded: a hang fails instead of blocking the suite)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never reached the expected state")


async def choose_in_more_menu(pilot: Pilot, label: str) -> None:
    """Open the highlighted vault's More menu and choose an entry by its label (the menu's order varies
    with the vault's type)."""
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    menu = pilot.app.screen.query_one("#menu")
    labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
    menu.highlighted = labels.index(label)
    await pilot.press("enter")
    await pilot.pause()

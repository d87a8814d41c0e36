"""Driving the console as a person does: open a page, pick a row, press keys, read what the screen shows."""

import asyncio
from collections.abc import Callable
from contextlib import suppress

from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, RadioButton, RadioSet, Select, SelectionList

from cbr_tui.domain.enums import ObjectType
from cbr_tui.ui.calls import GROUPS
from cbr_tui.ui.screens.main import NAV_ORDER, MainScreen
from cbr_tui.ui.widgets.fields import Field
from cbr_tui.ui.widgets.table import ConsoleTable


async def open_page(pilot: Pilot, object_type: ObjectType) -> None:
    """Choose a backup type in the navigation, as a person does with the arrow keys and Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    screen.query_one("#nav", OptionList).highlighted = NAV_ORDER.index(object_type)
    selector = f"#page-{object_type.value} #vault-table"
    await wait_for(pilot, lambda: bool(screen.query(selector)))  # a page is built the first time it is shown
    screen.query_one(selector, ConsoleTable).focus()
    await pilot.pause()


async def show_tab(pilot: Pilot, object_type: ObjectType, tab_id: str, table_id: str) -> ConsoleTable:
    """Show a tab of a backup page and return its list once built (a tab is built when first shown)."""
    page = f"#page-{object_type.value}"
    pilot.app.screen.query_one(f"{page} #tabs").active = tab_id
    selector = f"{page} #{table_id}"
    await wait_for(pilot, lambda: bool(pilot.app.screen.query(selector)))
    await pilot.pause()
    return table(pilot, selector)


async def open_nav(pilot: Pilot, page_id: str) -> None:
    """Choose an entry of the navigation by its page ID (page-tasks, page-policies, page-resources)."""
    await pilot.pause()
    screen = pilot.app.screen
    nav = screen.query_one("#nav", OptionList)
    nav.highlighted = nav.get_option_index(page_id)
    # a page is built the first time it is shown, and drawn after that; then its list is loaded
    await wait_for(pilot, lambda: any(page.region.area for page in screen.query(f"#{page_id}")))
    await pilot.pause()


def table(pilot: Pilot, selector: str) -> ConsoleTable:
    return pilot.app.screen.query_one(selector, ConsoleTable)


def cell_texts(table: ConsoleTable, column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


TYPED = 12  # longer text is put in at once, as a paste (each key re-checks the whole form: slow in a test)


async def type_into(pilot: Pilot, field_id: str, text: str) -> Field:
    """Replace what a form field holds, key by key (a long text at once, as pasted), and return it."""
    field = pilot.app.screen.query_one(f"#{field_id}", Field)
    field.query_one("Input").focus()
    if len(text) > TYPED:
        field.text = text
    else:
        field.text = ""
        await pilot.press(*text) if text else None
    await pilot.pause()
    return field


def field_error(pilot: Pilot, field_id: str) -> str:
    """The message shown beside a field ('' when it is valid)."""
    label = pilot.app.screen.query_one(f"#{field_id} .field-error")
    return str(label.render()) if label.has_class("-shown") else ""


ASKERS = "_test_askers"  # the app's nodes that asked since the last settle (see tests/ui/conftest.py)


async def settle(app: App[object]) -> bool:
    """Wait until what the console asked the services (loads, operations) is answered and shown, answers that
    ask again included; whether there was anything to wait for.

    A worker may have finished before this looks (a fast answer): its answer is then already queued on the
    node that asked, so every node that asked since the last look has its queue handled too."""
    waited = False
    for _ in range(100):
        asking = [w for w in app.workers if w.group in GROUPS and not w.is_finished]
        askers: set[object] = getattr(app, ASKERS, set())
        setattr(app, ASKERS, set())
        if not asking and not askers:
            return waited
        waited = True
        for worker in asking:
            with suppress(Exception):  # a load a newer one replaced, or a failure (reported on screen)
                await worker.wait()
        handled = []  # each answer is queued on the node that asked: wait until the node got to it
        for node in {worker.node for worker in asking} | askers:
            event = asyncio.Event()
            if node.call_later(event.set):
                handled.append(event.wait())
        await asyncio.wait_for(asyncio.gather(*handled), 30)
    raise AssertionError("the console kept asking the services")


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


_FRAME = "▊▎▔▁▌▐│┃╸╺━▏▕█▀▄ "


def _plain(text: str) -> str:
    return " ".join(text.split())


def widget_texts(pilot: Pilot) -> list[str]:
    """What each widget of the screen on top draws, its lines joined with spaces (frames and padding
    stripped), so that a message wrapped over several lines reads as one sentence. Only what is on screen
    counts: a line scrolled out of view or cut at the edge is not there."""
    screen = pilot.app.screen
    rows = [_cells(strip.text) for strip in screen._compositor.render_strips()]
    texts = []
    for widget in screen.query("*"):
        region = widget.region.intersection(screen.region)
        if not region.area:
            continue
        lines = ["".join(rows[y][region.x : region.right]).strip(_FRAME) for y in range(region.y, region.bottom)]
        texts.append(_plain(" ".join(lines)))
    return texts


def _cells(line: str) -> list[str]:
    """A screen line as one string per cell (a wide character fills two: itself, then an empty one), so
    that a widget's columns are a slice; cropping the strips themselves cost most of a Pilot test's time."""
    cells: list[str] = []
    for character in line:
        cells.append(character)
        if cell_len(character) == 2:
            cells.append("")
    return cells


def screen_text(pilot: Pilot) -> str:
    """Everything the screen on top draws, widget by widget (for failure messages)."""
    return " | ".join(text for text in widget_texts(pilot) if text)


def shows_whole(pilot: Pilot, message: str) -> bool:
    """Whether one widget on screen draws the whole message (wrapped, not cut). Spaces are not compared: a
    long word (a path) is folded over lines where there was no space."""
    wanted = "".join(message.split())
    return any(wanted in "".join(text.split()) for text in widget_texts(pilot))


async def pay(pilot: Pilot) -> None:
    """On the wizard's last step: Buy Now, then Pay (or Buy) in the dialog that asks first."""
    await pilot.pause()
    await pilot.click("#buy")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def choose_radio(pilot: Pilot, radio_id: str, label: str) -> None:
    """Press a radio button by its label with the keys: into the set, arrows to the button, Enter."""
    radio = pilot.app.screen.query_one(f"#{radio_id}", RadioSet)
    radio.focus()
    await pilot.pause()
    labels = [str(button.label) for button in radio.query(RadioButton)]
    steps = labels.index(label) - max(radio.pressed_index, 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()
    assert radio.pressed_index == labels.index(label)


async def choose_option(pilot: Pilot, select_id: str, label: str) -> None:
    """Choose an option of a drop-down by its label with the keys: Enter opens it, arrows, Enter."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.pause()
    labels = [str(prompt) for prompt, _value in select._options]
    values = [value for _prompt, value in select._options]
    steps = labels.index(label) - values.index(select.value)
    await pilot.press("enter", *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()
    assert select.value == values[labels.index(label)]


async def tick(pilot: Pilot, name: str) -> None:
    """Move the cursor of the focused picker to a resource (or a server's disk) by name and press space."""
    picker = pilot.app.focused
    assert isinstance(picker, SelectionList)
    await pilot.press("home")
    for _ in range(picker.option_count):
        highlighted = picker.get_option_at_index(picker.highlighted or 0)
        if str(highlighted.prompt).lstrip(" └").split(" ")[0] == name:
            await pilot.press("space")
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the list")

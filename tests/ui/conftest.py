"""UI fixtures: the console over the demo template, a fixed clock and size, no background runner.

Screens are checked at the two sizes the console is made for: 140x42 and a small 80x24 terminal. The store
most screen tests show ("seeded": vaults of every type, backups of every kind, one failed) is built once per
test process and copied for each test, since building it means running real backups."""

import pickle
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import PseudoApp, PseudoConsole, SVGImageExtension, node_to_report_path
from rich.console import Console as RichConsole
from syrupy import SnapshotAssertion
from textual import events
from textual._wait import wait_for_idle
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Button, Input

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.calls import Asks
from tests.conftest import T0, clone_home
from tests.data import disk_path, disks_of
from tests.services.helpers import buy
from tests.ui.pilot import ASKERS, settle

WIDE = (140, 42)
SMALL = (80, 24)
SIZE = WIDE
SIZES = {"140x42": WIDE, "80x24": SMALL}


@pytest.fixture(autouse=True)
def _one_idle_wait_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the process to go idle twice after every key, around waiting for animations; the
    console animates nothing a test presses keys through, so the second wait (20 ms at least, each key of
    thousands) only slept. One wait after the key, and the animations, remain."""

    async def press_keys(app: App, keys: Iterable[str]) -> None:
        for key in keys:
            if key.startswith("wait:"):
                await original(app, [key])
                continue
            await original_one(app, key)

    original = App._press_keys

    async def original_one(app: App, key: str) -> None:
        driver = app._driver
        assert driver is not None
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
        await wait_for_idle(0)
        await app._animator.wait_until_complete()

    monkeypatch.setattr(App, "_press_keys", press_keys)


@pytest.fixture(autouse=True)
def _answers_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the screen to handle its messages after each key and pause; the console asks the
    services in workers, so it waits for their answers to be shown too (tests read the screen after)."""
    original = Pilot._wait_for_screen
    ask = Asks.ask

    def recorded(node: Asks, *args: Any, **kwargs: Any) -> Any:
        askers = getattr(node.app, ASKERS, None)  # type: ignore[attr-defined]
        if askers is None:
            askers = set()
            setattr(node.app, ASKERS, askers)  # type: ignore[attr-defined]
        askers.add(node)
        return ask(node, *args, **kwargs)

    monkeypatch.setattr(Asks, "ask", recorded)

    async def wait_for_screen(pilot: Pilot, timeout: float = 30.0) -> bool:
        handled = await original(pilot, timeout)
        while await settle(pilot.app):
            await wait_for_idle(0)  # what an answer changed is laid out and drawn, as after a key
            handled = await original(pilot, timeout)
            pilot.app.screen._on_timer_update()  # drawn now, as Pilot.pause does: a loaded machine draws late
        return handled

    monkeypatch.setattr(Pilot, "_wait_for_screen", wait_for_screen)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing on screen may depend on when it is looked at: no blinking cursor, and no pressed-button
    flash (a button stays lit 0.2 s after a press, and a snapshot could catch it lit or not)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(Button, "_start_active_affect", lambda _self: None)


@pytest.fixture
def console(sqlite_console: Console) -> Console:
    """UI tests run on SQLite only: what they check is the screen, the services have their own suite."""
    return sqlite_console


@pytest.fixture
def app(console: Console) -> Iterator[CbrApp]:
    """The console; a test fails if anything reached the screen as an unexpected error."""
    shown = CbrApp(console, run_tasks=False)
    yield shown
    assert shown.unexpected_errors == [], shown.unexpected_errors


# --- the seeded store -------------------------------------------------------------------------------------

def seed(console: Console) -> None:
    """Vaults of several types and states, and backups, so every column has something to show."""
    buy(console, size_gb=800, resources=("ecs-web-01", "ecs-web-02"), name="vault-web",
        tags=[("env", "prod"), ("app", "web")], enterprise_project="production")
    buy(console, size_gb=500, resources=("ecs-db-01",), name="vault-db", charging_mode="pre_paid",
        period_type="month", period_num=3, multi_az=True, app_consistent=True)
    buy(console, ObjectType.DISK, size_gb=200, resources=("evs-data-01",), name="vault-disks")
    buy(console, ObjectType.TURBO, size_gb=1000, resources=("sfs-turbo-share",), name="vault-turbo")
    buy(console, ObjectType.FILE, size_gb=2048, name="vault-files")
    buy(console, ObjectType.WORKSPACE, size_gb=300, resources=("desktop-alice",), name="vault-desktops")
    buy(console, ObjectType.VMWARE, size_gb=1024, name="vault-hybrid", protect_type="replication")
    console.backups.perform("vault-web", name="nightly")
    console.run_tasks()
    fail_one_backup(console)
    console.backups.perform("vault-disks", name="disk-daily")
    console.backups.perform("vault-turbo", name="share-daily")
    console.associations.configure_client("host-files-01", "vault-files")
    console.backups.perform("vault-files", name="files-daily")
    console.run_tasks()


def fail_one_backup(console: Console) -> None:
    """A backup of ecs-web-01 that really fails: its data disk is away while the runner copies it."""
    console.backups.perform("vault-web", resources=["ecs-web-01"], name="broken")
    disk = disk_path(console, disks_of(console, "ecs-web-01")[1])
    away = disk.with_name(disk.name + ".away")
    disk.rename(away)
    try:
        console.run_tasks()
    finally:
        away.rename(disk)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, demo_template: dict[str, object]) -> Path:
    home = tmp_path_factory.mktemp("seeded-template")
    clone_home(Path(str(demo_template["home"])), home)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0)
    console = open_console(settings, clock=FixedClock(T0), ids=SeededIds(7))
    seed(console)
    console.close()
    return home


@pytest.fixture
def seeded(tmp_path: Path, seeded_template: Path) -> Iterator[Console]:
    """A copy of the seeded store (IDs made from now on come from another seed, so they never collide)."""
    home = tmp_path / "seeded"
    home.mkdir()
    clone_home(seeded_template, home)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0)
    opened = open_console(settings, clock=FixedClock(T0), ids=SeededIds("after-seed"))
    yield opened
    opened.close()


# --- several snapshots in one run of the console ----------------------------------------------------------

@pytest.fixture
def screens(snapshot: SnapshotAssertion, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """`await screens(pilot, "name")` compares the screen with the snapshot of that name, as snap_compare does
    for one (and feeds the same report), for tests that walk through many screens in one run (the wizards)."""
    svgs = snapshot.use_extension(SVGImageExtension)

    async def compare(pilot: Pilot, name: str, *, simplify: bool = False) -> bool:
        """`simplify` joins a line's runs of one style, as snap_compare's screenshots do."""
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        actual = pilot.app.export_screenshot(simplify=simplify)
        expected = svgs(name=name)
        result = expected == actual
        node = request.node
        full_path, line_number, test_name = node.reportinfo()
        report = node_to_report_path(node).with_name(f"{node_to_report_path(node).name}_{name}")
        terminal = RichConsole(legacy_windows=False, force_terminal=True)
        shown = PseudoApp(PseudoConsole(terminal.legacy_windows, terminal.size))
        report.write_bytes(pickle.dumps((result, str(expected), actual, shown, full_path, line_number,
                                         f"{test_name}[{name}]", "", "", True)))
        return result

    return compare

"""Quitting while the console runs a backup says what becomes of it, and the backup waits for the next start."""

import threading

from cbr_tui.services.console import Console
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.dialogs.base import QuitDialog
from tests.services.helpers import buy
from tests.ui.conftest import SMALL
from tests.ui.gate import Gate
from tests.ui.pilot import shows_whole, wait_for


async def test_quitting_during_a_backup_asks_and_the_backup_waits_for_the_next_start(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 24, seed="web")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    app = CbrApp(console)  # with its own runner, as `cbr-tui` starts it
    gate = Gate()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        background = app.background_work
        assert background is not None
        await wait_for(pilot, lambda: background.runner is not None)
        background.runner.throttle = gate  # type: ignore[union-attr, assignment]
        console.backups.perform("vault-web", name="held")
        await wait_for(pilot, gate.reached.is_set)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        assert shows_whole(pilot, "This console is running 1 task: backup of ecs-web-01. Quitting stops them "
                                  "within a block; they carry on at the next start of cbr-tui, or in `cbr-tui "
                                  "worker`, without copying again the data already in the vault.")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuitDialog) and app.is_running, "Cancel keeps the console"
        await pilot.press("ctrl+q")
        await pilot.pause()
        threading.Timer(0.5, gate.release.set).start()  # the held copy moves again, and sees the stop
        await pilot.press("ctrl+q")  # ctrl+q again confirms
    tasks = console.tasks.list(operation_type="backup").operation_logs
    assert [t.status for t in tasks] == ["waiting"], "handed back, for the next start or a worker"
    assert app.unexpected_errors == []


async def test_quitting_with_nothing_running_does_not_ask(console: Console, app: CbrApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running

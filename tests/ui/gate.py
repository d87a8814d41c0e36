"""Holding a copy mid-way without timing: a stand-in for the runner's bandwidth throttle (tests, screenshots)."""

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cbr_tui.jobs.runner import Runner
    from cbr_tui.services.console import Console


class Gate:
    """Lets `hold_after` bytes through, then holds the copy until `release` is set.

    The meter reports progress after each block it lets through, so while the copy is held the task shows
    real, partial progress."""

    def __init__(self, hold_after: int = 1) -> None:
        self.hold_after = hold_after
        self.passed = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    def consume(self, amount: int) -> None:
        if self.passed >= self.hold_after and not self.release.is_set():
            self.reached.set()
            if not self.release.wait(60):
                raise TimeoutError("the copy was held and never released")
        self.passed += amount


def gated_runner(console: "Console", *servers: str) -> tuple["Runner", Gate]:
    """A one-worker runner whose copies a Gate holds, after writing 24 MB to each server (the test
    inventory's disks are nearly empty, and a bar needs bytes to move through)."""
    for server in servers:
        console.resources.write_data(server, 24, seed=server)
    runner = console.runner(workers=1)
    gate = Gate()
    runner.throttle = gate  # type: ignore[assignment]
    return runner, gate

"""`Periodic`: a daemon thread that calls one action at a fixed interval until stopped (the policy
scheduler's heartbeat). An action that raises is logged and tried again at the next interval."""

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    """`interval`: seconds between calls, or a function asked before each wait (the scheduler ticks faster
    while the demo clock runs fast)."""

    def __init__(self, action: Callable[[], object], interval: float | Callable[[], float], name: str) -> None:
        self.action = action
        self.interval = interval
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.action()
            except Exception:
                log.exception("%s failed; trying again in %s s", self.name, self.interval)
            self._stop.wait(self.interval() if callable(self.interval) else self.interval)

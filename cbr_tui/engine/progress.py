"""Progress of a long operation in real bytes, cancellation, and an optional bandwidth limit for demos."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Cancelled(Exception):
    """The operation was asked to stop; nothing it did is committed."""


class Throttle:
    """At most `bytes_per_second` (a token bucket): makes progress bars visibly move in demos.

    The work between two blocks (reading, hashing) counts against the limit, but time spent idle is not
    saved up: after a pause the bucket starts empty, so no copy runs faster than the limit it shows (a
    second's burst saved from idle time made short backups read 5 MB/s under a 4 MB/s limit)."""

    BURST_SECONDS = 0.5  # the most work time between blocks that is credited
    IDLE_SECONDS = 0.5  # a longer gap is a pause: the next copy starts with an empty bucket

    def __init__(self, bytes_per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate = bytes_per_second
        self._clock, self._sleep = clock, sleep
        self._allowance = 0.0
        self._last = clock()
        self._lock = threading.Lock()

    def consume(self, amount: int) -> None:
        with self._lock:
            now = self._clock()
            elapsed = now - self._last
            if elapsed > self.IDLE_SECONDS:  # the time passed repays what is owed, but saves up nothing
                self._allowance = min(self._allowance + elapsed * self.rate, 0.0)
            else:
                self._allowance = min(self._allowance + elapsed * self.rate, self.rate * self.BURST_SECONDS)
            self._last = now
            self._allowance -= amount
            wait = -self._allowance / self.rate if self._allowance < 0 else 0.0
        if wait > 0:
            self._sleep(wait)


@dataclass
class Meter:
    """Counts bytes done out of `total`; reports, throttles, and raises `Cancelled` when asked to stop."""

    total: int = 0
    report: Callable[[int, int], None] | None = None
    should_stop: Callable[[], bool] | None = None
    throttle: Throttle | None = None
    done: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_total(self, amount: int) -> None:
        with self._lock:
            self.total += amount

    def advance(self, amount: int) -> None:
        if self.throttle is not None:
            self.throttle.consume(amount)
        with self._lock:
            self.done += amount
            done, total = self.done, self.total
        if self.report is not None:
            self.report(done, total)
        self.check()

    def check(self) -> None:
        if self.should_stop is not None and self.should_stop():
            raise Cancelled("the operation was cancelled")

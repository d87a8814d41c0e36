"""What a running job needs: the store, the clock, where bytes live, and a meter wired to its task row."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.ids import IdSource
from cbr_tui.engine import keys
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.placement import PlacedVault, Placement
from cbr_tui.engine.progress import Meter, Throttle
from cbr_tui.jobs.lease import Interrupted, renew
from cbr_tui.store import Store

if TYPE_CHECKING:
    from cbr_tui.engine.backup import Engine

REPORT_INTERVAL = 0.25


@dataclass
class JobContext:
    store: Store
    clock: Clock
    ids: IdSource
    home: Path
    owner: str
    lease: timedelta
    task_id: str
    throttle: Throttle | None = None
    stopping: threading.Event | None = None  # set when the runner stops: the job gives the task back
    workers: int = 2
    stores: Placement | None = None  # where vault objects live (None: every vault in a directory under `home`)
    _meter: Meter | None = None

    @property
    def placement(self) -> Placement:
        return self.stores or Placement(self.home)

    @property
    def layout(self) -> CloudLayout:
        return CloudLayout(self.home)

    def objects(self, vault: PlacedVault) -> ObjectStore:
        """The vault's objects: a directory here, or the bucket of the vault's availability zone."""
        return self.placement.store(vault)

    @property
    def kms(self) -> KeyManagement:
        return KeyManagement(self.home)

    def engine(self, vault: PlacedVault) -> Engine:
        """The engine at work on one vault, reporting through this job's meter (loaded with the first job)."""
        from cbr_tui.engine.backup import Engine

        return Engine(self.store, self.objects(vault), self.kms, self.clock, self.meter(), self.workers)

    def keys(self, vault: PlacedVault) -> keys.Keyring:
        """The vault's data keys, unwrapped, to open the sealed blobs of encrypted backups."""
        return keys.load(self.objects(vault), self.kms)

    def meter(self) -> Meter:
        """A meter that writes progress (and renews the lease) a few times a second, and stops on cancel."""
        state = {"last": 0.0, "cancel": False}

        def report(done: int, total: int) -> None:
            now = time.monotonic()
            if now - state["last"] >= REPORT_INTERVAL or done >= total:
                state["last"] = now
                state["cancel"] = renew(self.store, self.task_id, self.owner, self.clock, self.lease,
                                        done, total)

        def should_stop() -> bool:
            if self.stopping is not None and self.stopping.is_set():
                raise Interrupted(self.task_id)
            return bool(state["cancel"])

        self._meter = Meter(report=report, should_stop=should_stop, throttle=self.throttle)
        return self._meter

    def progress(self) -> tuple[int, int]:
        """Bytes done and to do so far (for the heartbeat)."""
        return (self._meter.done, self._meter.total) if self._meter else (0, 0)

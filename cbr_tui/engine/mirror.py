"""A Multi-AZ vault's objects: every object in the stores of two availability zones.

A write returns only when both stores have the object, so what a backup commits (objects, then the manifest,
then the database) is in both zones; a write that one zone refuses fails the backup. A read takes the first
zone that has the object and answers, so a restore survives the loss of either zone. Objects one zone lacks
(it was lost and came back empty, or was restored from an old copy) are found by `differences` and copied
back by `repair`.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.s3 import ObjectStoreUnavailable

LOST = (FileNotFoundError, ObjectStoreUnavailable)  # what sends a read to the other zone


@dataclass(frozen=True)
class Zone:
    """One of the two copies: the zone's ID and its store."""

    name: str
    objects: ObjectStore


@dataclass
class ZoneRepair:
    """What `repair` copied into each zone, and what it could not copy (no zone had it whole)."""

    copied: dict[str, int] = field(default_factory=dict)
    copied_bytes: int = 0
    unrecoverable: list[str] = field(default_factory=list)


class MirroredObjectStore:
    def __init__(self, first: Zone, second: Zone) -> None:
        self.zones = (first, second)
        self.in_flight = max(first.objects.in_flight, second.objects.in_flight)

    def __repr__(self) -> str:
        return f"MirroredObjectStore({self.zones[0].name}: {self.zones[0].objects!r}, " \
               f"{self.zones[1].name}: {self.zones[1].objects!r})"

    def _both(self, write: str, key: str, data: bytes | bytearray) -> None:
        """Write to the two zones at once (a PUT waits on the network, not the CPU): done only when both are."""
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(getattr(zone.objects, write), key, data) for zone in self.zones]
        for future in futures:
            future.result()

    def put(self, key: str, data: bytes | bytearray) -> None:
        self._both("put", key, data)

    def put_durably(self, key: str, data: bytes) -> None:
        self._both("put_durably", key, data)

    def get(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        first, second = self.zones
        try:
            return first.objects.get(key, offset, length)
        except LOST as lost:
            try:
                return second.objects.get(key, offset, length)
            except FileNotFoundError:
                raise lost from None

    def size(self, key: str) -> int | None:
        sizes = []
        for zone in self.zones:
            try:
                sizes.append(zone.objects.size(key))
            except ObjectStoreUnavailable:
                continue
        return next((size for size in sizes if size is not None), None)

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def delete(self, key: str) -> None:
        for zone in self.zones:
            zone.objects.delete(key)

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        """Every object either zone holds; its age is its youngest copy's (gc waits for both to be old)."""
        merged: dict[str, tuple[int, float]] = {}
        for zone in self.zones:
            for key, size, modified in zone.objects.list(prefix):
                known = merged.get(key)
                merged[key] = (max(size, known[0]), max(modified, known[1])) if known else (size, modified)
        for key in sorted(merged):
            yield key, *merged[key]

    def sync(self) -> None:
        for zone in self.zones:
            zone.objects.sync()

    def lock(self, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[bool]:
        return self.zones[0].objects.lock(exclusive=exclusive, wait=wait)

    def remove_all(self) -> None:
        for zone in self.zones:
            zone.objects.remove_all()

    def differences(self) -> dict[str, builtins.list[str]]:
        """For each zone, the keys the other zone holds and it lacks (or holds shorter)."""
        listed = [{key: size for key, size, _modified in zone.objects.list()} for zone in self.zones]
        return {zone.name: sorted(key for key, size in listed[1 - i].items() if listed[i].get(key, -1) < size)
                for i, zone in enumerate(self.zones)}

    def repair(self) -> ZoneRepair:
        """Copy into each zone what it lacks, from the other; only whole objects are copied."""
        report = ZoneRepair()
        for i, (zone, missing) in enumerate(zip(self.zones, self.differences().values(), strict=True)):
            source = self.zones[1 - i].objects
            report.copied[zone.name] = 0
            for key in missing:
                try:
                    data = source.get(key)
                except FileNotFoundError:
                    report.unrecoverable.append(key)
                    continue
                zone.objects.put_durably(key, data)
                report.copied[zone.name] += 1
                report.copied_bytes += len(data)
        return report

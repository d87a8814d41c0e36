"""A Multi-AZ vault's objects: every object in the stores of two availability zones.

A write returns only when both stores have the object, so what a backup commits (objects, then the manifest,
then the database) is in both zones; a write that one zone refuses fails the backup. A read takes the first
zone that has the object and answers, and a blob read with `read_checked` takes the first copy that
decodes, so a restore survives the loss of either zone and damage to either copy. Objects one zone lacks (it
was lost and came back empty, or was restored from an old copy) are found by `differences`; copies one zone
holds damaged are found by verify reading both (`copies`); `repair` copies both kinds back from the other.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TypeVar

from cbr_tui.engine.objects import DamagedObject, Held, ObjectStore
from cbr_tui.engine.s3 import ObjectStoreUnavailable

# The second zone's writes, for every Multi-AZ vault of the process: a pool made once (threads started per
# object cost more than the writes they wait on). Its tasks never wait on each other, so its size only paces.
_SECOND_ZONE_WRITES = ThreadPoolExecutor(32, thread_name_prefix="cbr-zone-write")
Checked = TypeVar("Checked")


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
        self._silent: Zone | None = None  # a zone that did not answer: read last from then on

    def _reading_order(self) -> tuple[Zone, Zone]:
        """The zones in the order reads try them: one that did not answer goes last, so that a restore with a
        zone down waits for it once, not at every object."""
        first, second = self.zones
        return (second, first) if self._silent is first else (first, second)

    def _did_not_answer(self, zone: Zone) -> None:
        self._silent = zone

    def __repr__(self) -> str:
        return f"MirroredObjectStore({self.zones[0].name}: {self.zones[0].objects!r}, " \
               f"{self.zones[1].name}: {self.zones[1].objects!r})"

    def _both(self, write: str, key: str, data: bytes | bytearray) -> None:
        """Write to the two zones at once (a PUT waits on the network, not the CPU): the second zone's on the
        shared pool, the first's on this thread; done only when both are."""
        first, second = self.zones
        other = _SECOND_ZONE_WRITES.submit(getattr(second.objects, write), key, data)
        try:
            getattr(first.objects, write)(key, data)
        except BaseException:
            wait([other])  # the first zone's failure is the one raised; nothing is left writing
            raise
        other.result()

    def put(self, key: str, data: bytes | bytearray) -> None:
        self._both("put", key, data)

    def put_durably(self, key: str, data: bytes) -> None:
        self._both("put_durably", key, data)

    def get(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        return self.get_checked(key, offset, length, bytes)

    def get_checked(self, key: str, offset: int, length: int | None,
                    check: Callable[[bytes], Checked]) -> Checked:
        """The first zone's copy that passes `check` (which raises `DamagedObject`): missing, unreachable and
        damaged copies each send the read to the other zone. When neither will do: a zone's silence if one
        did not answer (its copy may be whole: nothing is called missing or damaged for it), else the first
        zone's failure."""
        silence: ObjectStoreUnavailable | None = None
        failure: Exception | None = None
        for zone in self._reading_order():
            try:
                return check(zone.objects.get(key, offset, length))
            except ObjectStoreUnavailable as error:
                self._did_not_answer(zone)
                silence = silence or error
            except (FileNotFoundError, DamagedObject) as error:
                failure = failure or error
        raise silence or failure or AssertionError("a mirror has two zones")

    def size(self, key: str) -> int | None:
        silence: ObjectStoreUnavailable | None = None
        for zone in self._reading_order():
            try:
                size = zone.objects.size(key)
            except ObjectStoreUnavailable as error:
                self._did_not_answer(zone)
                silence = silence or error
                continue
            if size is not None:
                return size
        if silence is not None:  # not in the zone that answered: the silent one may have it
            raise silence
        return None

    def stored_size(self, key: str) -> int | None:
        """The object's size when both zones hold it whole, else None: a writer may skip only such an object
        (one a backup cut short left in one zone must still be written to the other)."""
        sizes = {zone.objects.size(key) for zone in self.zones}
        return sizes.pop() if len(sizes) == 1 else None

    def exists(self, key: str) -> bool:
        """In both zones (the writers' question; a reader asks `size`, which any zone answers)."""
        return self.stored_size(key) is not None

    def delete(self, key: str) -> None:
        for zone in self.zones:
            zone.objects.delete(key)

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        """Every object either zone holds; its age is its youngest copy's (gc waits for both to be old). Both
        zones must answer (gc, verify and recovery act on the listing); `listing` reads on with one."""
        yield from self._merged([builtins.list(zone.objects.list(prefix)) for zone in self.zones])

    def list_answering(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        """What the zones that answer hold: enough for a read (a restore's key records), never for deleting."""
        listings: builtins.list[builtins.list[tuple[str, int, float]]] = []
        silence: ObjectStoreUnavailable | None = None
        for zone in self._reading_order():
            try:
                listings.append(builtins.list(zone.objects.list(prefix)))
            except ObjectStoreUnavailable as error:
                self._did_not_answer(zone)
                silence = silence or error
        if not listings and silence is not None:
            raise silence
        yield from self._merged(listings)

    @staticmethod
    def _merged(listings: builtins.list[builtins.list[tuple[str, int, float]]]) -> Iterator[tuple[str, int, float]]:
        merged: dict[str, tuple[int, float]] = {}
        for listing in listings:
            for key, size, modified in listing:
                known = merged.get(key)
                merged[key] = (max(size, known[0]), max(modified, known[1])) if known else (size, modified)
        for key in sorted(merged):
            yield key, *merged[key]

    def sync(self) -> None:
        for zone in self.zones:
            zone.objects.sync()

    def lock(self, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[Held]:
        return self.zones[0].objects.lock(exclusive=exclusive, wait=wait)

    def remove_all(self) -> None:
        for zone in self.zones:
            zone.objects.remove_all()

    def differences(self, needed: Callable[[str], bool] | None = None) -> dict[str, builtins.list[str]]:
        """For each zone, the keys the other zone holds and it lacks (or holds shorter); with `needed`, only the
        keys the vault needs (not what a failed backup left in one zone, which gc frees)."""
        listed = [{key: size for key, size, _modified in zone.objects.list() if needed is None or needed(key)}
                  for zone in self.zones]
        return {zone.name: sorted(key for key, size in listed[1 - i].items() if listed[i].get(key, -1) < size)
                for i, zone in enumerate(self.zones)}

    def repair(self, damaged: Mapping[str, Iterable[str]] | None = None,
               needed: Callable[[str], bool] | None = None) -> ZoneRepair:
        """Copy into each zone what it lacks (of what is `needed`), and the objects `damaged` names for it
        (zone: keys, as verify found them), from the other zone; only whole objects are copied, and never one
        damaged in both."""
        damaged = damaged or {}
        report = ZoneRepair()
        for i, (zone, missing) in enumerate(zip(self.zones, self.differences(needed).values(), strict=True)):
            source = self.zones[1 - i]
            report.copied[zone.name] = 0
            bad_there = set(damaged.get(source.name, ()))
            for key in sorted(set(missing) | set(damaged.get(zone.name, ()))):
                try:
                    if key in bad_there:
                        raise FileNotFoundError(key)
                    data = source.objects.get(key)
                except FileNotFoundError:
                    report.unrecoverable.append(key)
                    continue
                zone.objects.put_durably(key, data)
                report.copied[zone.name] += 1
                report.copied_bytes += len(data)
        report.unrecoverable = sorted(set(report.unrecoverable))
        return report


def copies(objects: ObjectStore) -> list[tuple[str, ObjectStore]]:
    """Each place the vault's objects are kept, by zone ('' for a vault kept in one place)."""
    if isinstance(objects, MirroredObjectStore):
        return [(zone.name, zone.objects) for zone in objects.zones]
    return [("", objects)]


def stored_size(objects: ObjectStore, key: str) -> int | None:
    """The size of an object a writer need not write again (a Multi-AZ vault's: held whole in both zones)."""
    if isinstance(objects, MirroredObjectStore):
        return objects.stored_size(key)
    return objects.size(key)


def listing(objects: ObjectStore, prefix: str) -> Iterator[tuple[str, int, float]]:
    """List for reading only: a Multi-AZ vault with one zone down lists the other's."""
    if isinstance(objects, MirroredObjectStore):
        return objects.list_answering(prefix)
    return objects.list(prefix)


def read_checked(objects: ObjectStore, key: str, offset: int, length: int | None,
                 check: Callable[[bytes], Checked]) -> Checked:
    """Read (a range of) an object and `check` it (decode a blob); a Multi-AZ vault tries its other zone's
    copy when the first is missing, unreachable or damaged."""
    if isinstance(objects, MirroredObjectStore):
        return objects.get_checked(key, offset, length, check)
    return check(objects.get(key, offset, length))

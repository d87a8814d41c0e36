"""Writing small blobs into packs: a file tree of 100,000 small files becomes a few dozen objects."""

import uuid
from collections.abc import Callable, Sequence

from cbr_tui.engine.index import Location
from cbr_tui.engine.objects import ObjectStore

PACK_TARGET = 16 << 20
Classifier = Callable[[Sequence[bytes]], tuple[set[bytes], set[bytes]]]


class PackSink:
    """Adds encoded blobs the vault lacks to the current pack; a pack is written when it reaches 16 MiB.

    A blob's location is known (`written`) only once its pack is stored, so the job indexes nothing that
    is not on disk.
    """

    def __init__(self, objects: ObjectStore, classify: Classifier, target: int = PACK_TARGET) -> None:
        self.objects = objects
        self.classify = classify
        self.target = target
        self.written: dict[bytes, Location] = {}
        self._buffer = bytearray()
        self._pending: dict[bytes, tuple[int, int, int]] = {}

    def missing(self, hashes: Sequence[bytes]) -> set[bytes]:
        """Which of these blobs still have to be stored."""
        unseen = [h for h in dict.fromkeys(hashes) if h not in self.written and h not in self._pending]
        if not unseen:
            return set()
        intact, _damaged = self.classify(unseen)
        return {h for h in unseen if h not in intact}

    def add(self, hash_: bytes, raw_size: int, encoded: bytes) -> None:
        """Queue one encoded blob for the current pack (a blob already stored or queued is skipped)."""
        if hash_ in self.written or hash_ in self._pending:
            return
        self._pending[hash_] = (len(self._buffer), len(encoded), raw_size)
        self._buffer += encoded
        if len(self._buffer) >= self.target:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        key = f"packs/{uuid.uuid4().hex}"
        self.objects.put(key, self._buffer)  # written as it is: no 16 MiB copy
        for hash_, (offset, length, raw_size) in self._pending.items():
            self.written[hash_] = Location(key, offset, length, raw_size)
        self._buffer = bytearray()
        self._pending = {}

    @property
    def new_bytes(self) -> int:
        return sum(location.length for location in self.written.values())

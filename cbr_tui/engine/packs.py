"""Writing small blobs into packs: a file tree of 100,000 small files becomes a few dozen objects.

A pack ends with its own index (msgpack of `[hash, offset, length, raw size]` per blob, its length, and a
magic), so the vault's blob index can be rebuilt from its objects alone (see `catalog`)."""

import struct
import uuid
from collections.abc import Callable, Sequence

from cbr_tui.engine.index import Location
from cbr_tui.engine.objects import ObjectStore

PACK_TARGET = 16 << 20
MAGIC = b"CBRPACK1"
_TAIL = struct.Struct("<I")
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
        import msgpack

        key = f"packs/{uuid.uuid4().hex}"
        index = msgpack.packb([[h, *where] for h, where in self._pending.items()], use_bin_type=True)
        self._buffer += index + _TAIL.pack(len(index)) + MAGIC
        self.objects.put(key, self._buffer)  # written as it is: no 16 MiB copy
        for hash_, (offset, length, raw_size) in self._pending.items():
            self.written[hash_] = Location(key, offset, length, raw_size)
        self._buffer = bytearray()
        self._pending = {}

    @property
    def new_bytes(self) -> int:
        return sum(location.length for location in self.written.values())


def read_index(objects: ObjectStore, key: str) -> dict[bytes, Location]:
    """The blobs a pack holds, from its trailing index (ValueError when it has none or it is damaged)."""
    import msgpack

    size = objects.size(key) or 0
    tail_size = _TAIL.size + len(MAGIC)
    if size < tail_size:
        raise ValueError(f"{key} is too short to be a pack")
    tail = objects.get(key, size - tail_size, tail_size)
    if tail[_TAIL.size :] != MAGIC:
        raise ValueError(f"{key} has no pack index")
    (length,) = _TAIL.unpack(tail[: _TAIL.size])
    if length > size - tail_size:
        raise ValueError(f"{key} has a damaged pack index")
    try:
        entries = msgpack.unpackb(objects.get(key, size - tail_size - length, length), raw=False)
        return {bytes(h): Location(key, offset, length_, raw) for h, offset, length_, raw in entries}
    except (ValueError, TypeError, msgpack.ExtraData) as error:
        raise ValueError(f"{key} has a damaged pack index: {error}") from None

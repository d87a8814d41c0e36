"""Writing a job's new blobs into the vault, once each, on worker threads.

The caller hashes and hands blocks over; compression and writing run on worker threads (they release the
GIL) while the caller reads on, with a bounded number of blocks in flight. A blob is written only when the
vault has no intact copy of it and this job has not written it already; an object left by an earlier
attempt of the job (a crash before its commit) is adopted instead of written again.
"""

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from cbr_tui.engine.blobs import DataKey, ThreadCodecs, blob_hash, chunk_key
from cbr_tui.engine.index import Location
from cbr_tui.engine.mirror import stored_size
from cbr_tui.engine.objects import ObjectStore

# Given hashes, say which the vault stores intact and which it has but damaged.
Classifier = Callable[[Sequence[bytes]], tuple[set[bytes], set[bytes]]]
IN_FLIGHT = 32


class ChunkSink:
    def __init__(self, objects: ObjectStore, classify: Classifier, workers: int = 2) -> None:
        self.objects = objects
        self.classify = classify
        self.written: dict[bytes, Location] = {}
        self._inflight: dict[bytes, Future[Location]] = {}
        self._order: deque[bytes] = deque()
        self._codecs = ThreadCodecs()
        self._workers = max(workers, objects.in_flight)  # a remote store needs requests in flight
        self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="cbr-chunk")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> "ChunkSink":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def hashes(self, blocks: Sequence[bytes], key: DataKey | None = None) -> list[bytes]:
        return [blob_hash(block, key) for block in blocks]

    def store(self, hashes: Sequence[bytes], blocks: Sequence[bytes], key: DataKey | None = None) -> None:
        """Make sure each block reaches the vault (blocks and hashes in the same order, sealed with `key`
        if given); returns at once unless too many blocks are already being written."""
        pending: dict[bytes, bytes] = {}
        for hash_, block in zip(hashes, blocks, strict=True):
            if hash_ not in self.written and hash_ not in self._inflight and hash_ not in pending:
                pending[hash_] = block
        if not pending:
            return
        intact, damaged = self.classify(list(pending))
        for hash_, block in pending.items():
            if hash_ in intact:
                continue
            self._inflight[hash_] = self._pool.submit(self._put, hash_, block, hash_ in damaged, key)
            self._order.append(hash_)
        while len(self._order) > max(IN_FLIGHT, 2 * self._workers):
            self._settle(self._order.popleft())

    def drain(self) -> dict[bytes, Location]:
        """Wait for every write; returns what this job added to the vault."""
        while self._order:
            self._settle(self._order.popleft())
        return self.written

    def _settle(self, hash_: bytes) -> None:
        self.written[hash_] = self._inflight.pop(hash_).result()

    def _put(self, hash_: bytes, block: bytes, rewrite: bool, key: DataKey | None) -> Location:
        object_key = chunk_key(hash_)
        if not rewrite:
            size = stored_size(self.objects, object_key)
            if size:  # written by an earlier attempt of this job that never committed
                return Location(object_key, 0, size, len(block))
        stored = self._codecs.codec.encode(block, key, hash_)
        self.objects.put(object_key, stored)
        return Location(object_key, 0, len(stored), len(block))

    @property
    def new_bytes(self) -> int:
        """Stored bytes of the blobs this job adds to the vault (after `drain`)."""
        return sum(location.length for location in self.written.values())

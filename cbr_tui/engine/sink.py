"""Writing a job's new blobs into the vault, once each, on worker threads.

Hashing, compression and writing release the GIL, so two threads keep both cores busy. A blob is written
only when the vault has no intact copy of it and this job has not written it already; an object left by an
earlier attempt of the job (a crash before its commit) is adopted instead of written again.
"""

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from cbr_tui.engine.blobs import Codec, chunk_key, digest
from cbr_tui.engine.index import Location
from cbr_tui.engine.objects import ObjectStore

# Given hashes, say which the vault stores intact and which it has but damaged.
Classifier = Callable[[Sequence[bytes]], tuple[set[bytes], set[bytes]]]


class ChunkSink:
    def __init__(self, objects: ObjectStore, classify: Classifier, workers: int = 2) -> None:
        self.objects = objects
        self.classify = classify
        self.written: dict[bytes, Location] = {}
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cbr-chunk")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> "ChunkSink":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def hashes(self, blocks: Sequence[bytes]) -> list[bytes]:
        return list(self._pool.map(digest, blocks))

    def store(self, hashes: Sequence[bytes], blocks: Sequence[bytes]) -> None:
        """Make sure each block is in the vault (blocks and hashes in the same order)."""
        pending: dict[bytes, bytes] = {}
        for hash_, block in zip(hashes, blocks, strict=True):
            if hash_ not in self.written and hash_ not in pending:
                pending[hash_] = block
        if not pending:
            return
        intact, damaged = self.classify(list(pending))
        todo = [(h, b) for h, b in pending.items() if h not in intact]
        for hash_, location in self._pool.map(lambda item: self._put(*item, rewrite=item[0] in damaged), todo):
            self.written[hash_] = location

    def _put(self, hash_: bytes, block: bytes, *, rewrite: bool) -> tuple[bytes, Location]:
        key = chunk_key(hash_)
        if not rewrite:
            size = self.objects.size(key)
            if size:  # written by an earlier attempt of this job that never committed
                return hash_, Location(key, 0, size, len(block))
        codec = getattr(self._local, "codec", None)
        if codec is None:
            codec = self._local.codec = Codec()
        stored = codec.encode(block)
        self.objects.put(key, stored)
        return hash_, Location(key, 0, len(stored), len(block))

    @property
    def new_bytes(self) -> int:
        """Stored bytes of the blobs this job adds to the vault."""
        return sum(location.length for location in self.written.values())

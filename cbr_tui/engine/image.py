"""Disk images: fixed 1 MiB chunks aligned to disk offsets, holes and zero chunks never stored.

A full backup reads every allocated chunk (found with SEEK_DATA/SEEK_HOLE, never reading holes); an
incremental one reads only the chunks the disk's frozen change bitmap marks and takes the others from the
previous manifest, so each manifest still lists the whole disk. Restore writes a byte-identical sparse image,
checking every chunk's hash before a byte of it is written.
"""

import os
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from cbr_tui.cloud.disk_image import CHUNK_SIZE, DiskImage, DiskWriter, FrozenBitmap, chunk_count, chunk_indexes
from cbr_tui.engine import page_cache
from cbr_tui.engine.blobs import DamagedBlob, DataKey, ThreadCodecs, chunk_key
from cbr_tui.engine.manifest import ImageManifest
from cbr_tui.engine.mirror import read_checked
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.progress import Meter
from cbr_tui.engine.sink import ChunkSink

ZERO_CHUNK = bytes(CHUNK_SIZE)
BLOCK = 4096
ZERO_BLOCK = bytes(BLOCK)
BATCH = 16
AHEAD = 16
READ_AHEAD = 2


@dataclass
class ImagePlan:
    """What a backup of one disk reads: chunk indexes, and the chunks it inherits from its base."""

    indexes: list[int]
    chunks: list[bytes | None]
    incremental: bool
    reason: str

    def bytes_to_read(self, disk_size: int) -> int:
        return sum(min(CHUNK_SIZE, disk_size - i * CHUNK_SIZE) for i in self.indexes)


def plan(disk: DiskImage, frozen: FrozenBitmap, base: ImageManifest | None, *, full: bool) -> ImagePlan:
    size = disk.size
    count = chunk_count(size)
    usable_base = (
        base is not None and base.disk_size == size and base.chunk_size == CHUNK_SIZE
        and base.generation is not None and base.generation == frozen.base_generation
    )
    if not full and frozen.trusted and usable_base:
        assert base is not None
        return ImagePlan([i for i in chunk_indexes(frozen.bits) if i < count], list(base.chunks), True,
                         "changed chunks only")
    reason = ("full backup requested" if full else "no earlier backup to build on" if base is None
              else "change tracking cannot be trusted" if not frozen.trusted
              else "the earlier backup is not the base of the change tracking")
    return ImagePlan(list(allocated_chunks(disk)), [None] * count, False, reason)


def allocated_chunks(disk: DiskImage) -> Iterator[int]:
    """Indexes of chunks that hold any allocated byte; holes are never read."""
    last = -1
    for start, end in disk.data_extents():
        for index in range(start // CHUNK_SIZE, (end - 1) // CHUNK_SIZE + 1):
            if index > last:
                last = index
                yield index


def back_up(disk: DiskImage, frozen: FrozenBitmap, image_plan: ImagePlan, sink: ChunkSink,
            meter: Meter, key: DataKey | None = None) -> ImageManifest:
    """Read the planned chunks, store the new ones (sealed with `key`, for an encrypted disk), and return
    the manifest of the whole disk.

    A reader thread reads ahead (reads release the GIL), this thread hashes and hands new chunks to the
    sink's workers, which compress and write them.
    """
    size = disk.size
    chunks = image_plan.chunks
    batches = [image_plan.indexes[i : i + BATCH] for i in range(0, len(image_plan.indexes), BATCH)]
    with open(disk.path, "rb", buffering=0) as handle, ThreadPoolExecutor(1, "cbr-read") as reader:
        fd = handle.fileno()
        ahead: deque[Future[list[bytes]]] = deque()
        for batch in batches[:READ_AHEAD]:
            ahead.append(reader.submit(_read_batch, fd, batch, size))
        for number, batch in enumerate(batches):
            blocks = ahead.popleft().result()
            if number + READ_AHEAD < len(batches):
                ahead.append(reader.submit(_read_batch, fd, batches[number + READ_AHEAD], size))
            data_positions = [n for n, block in enumerate(blocks) if not _is_zero(block)]
            data_blocks = [blocks[n] for n in data_positions]
            hashes = sink.hashes(data_blocks, key)
            sink.store(hashes, data_blocks, key)
            for index in batch:
                chunks[index] = None
            for n, hash_ in zip(data_positions, hashes, strict=True):
                chunks[batch[n]] = hash_
            for block in blocks:  # chunk by chunk, so that a throttled demo's bar moves smoothly
                meter.advance(len(block))
    sink.drain()
    return ImageManifest(size, CHUNK_SIZE, chunks, frozen.generation)


def _read_batch(fd: int, batch: list[int], size: int) -> list[bytes]:
    """The batch's chunks; their pages are then dropped from the page cache (see `page_cache`)."""
    blocks = [_pread(fd, index, size) for index in batch]
    for start, count in _runs(batch):
        page_cache.drop(fd, start * CHUNK_SIZE, count * CHUNK_SIZE)
    return blocks


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Consecutive indexes grouped as (first, count)."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][0] + runs[-1][1] == index:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


def stored_span(manifest: ImageManifest) -> int:
    """Bytes of the disk the backup holds data for (its chunks that are not zero or holes)."""
    size, step = manifest.disk_size, manifest.chunk_size
    return sum(min(step, size - i * step) for i, h in enumerate(manifest.chunks) if h is not None)


def _pread(fd: int, index: int, size: int) -> bytes:
    return os.pread(fd, min(CHUNK_SIZE, size - index * CHUNK_SIZE), index * CHUNK_SIZE)


def _is_zero(block: bytes) -> bool:
    return block == ZERO_CHUNK[: len(block)]


# --- restore ------------------------------------------------------------------------------------------


class DamagedChunk(Exception):
    def __init__(self, index: int, hash_: bytes, reason: str) -> None:
        super().__init__(f"chunk {index} ({hash_.hex()[:16]}...) is damaged: {reason}")
        self.index = index
        self.hash = hash_


def restore(objects: ObjectStore, manifest: ImageManifest, writer: DiskWriter, meter: Meter, *,
            target_is_empty: bool, workers: int = 2, keys: Mapping[bytes, DataKey] | None = None) -> None:
    """Write the disk as the manifest describes it. Every chunk is verified before it is written; a damaged
    chunk (damaged in both zones, for a Multi-AZ vault) stops the restore before its bytes reach the disk."""
    if writer.size < manifest.disk_size:
        raise ValueError("the target disk is smaller than the backup")
    local = ThreadCodecs(keys)

    def load(item: tuple[int, bytes]) -> _Loaded:
        index, hash_ = item
        try:
            raw = read_checked(objects, chunk_key(hash_), 0, None,
                               lambda stored: local.codec.decode(stored, hash_, CHUNK_SIZE))
        except FileNotFoundError:
            raise DamagedChunk(index, hash_, "missing from the vault") from None
        except DamagedBlob as error:
            raise DamagedChunk(index, hash_, str(error)) from None
        return _Loaded(index * CHUNK_SIZE, raw, _data_runs(raw))

    workers = max(workers, objects.in_flight)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cbr-restore") as pool:
        present = [(i, h) for i, h in enumerate(manifest.chunks) if h is not None]
        if not target_is_empty:
            for index, hash_ in enumerate(manifest.chunks):
                if hash_ is None:
                    writer.discard(index * CHUNK_SIZE, min(CHUNK_SIZE, manifest.disk_size - index * CHUNK_SIZE))
        # Fetch and verify ahead on the workers while this thread writes what is ready, in order.
        ahead: deque[Future[_Loaded]] = deque()
        behind = page_cache.WriteBehind()
        for item in present:
            ahead.append(pool.submit(load, item))
            if len(ahead) >= max(AHEAD, 2 * workers):
                _write_loaded(writer, ahead.popleft().result(), meter, behind, punch_first=not target_is_empty)
        while ahead:
            _write_loaded(writer, ahead.popleft().result(), meter, behind, punch_first=not target_is_empty)
        behind.settle()


@dataclass
class _Loaded:
    """A verified chunk, where it goes, and the ranges of it that are not zero blocks."""

    offset: int
    raw: bytes
    runs: list[tuple[int, int]]


def _write_loaded(writer: DiskWriter, loaded: _Loaded, meter: Meter, behind: page_cache.WriteBehind, *,
                  punch_first: bool) -> None:
    """Write a chunk leaving its all-zero 4 KiB blocks as holes, so the restored image stays sparse."""
    offset, raw = loaded.offset, loaded.raw
    if loaded.runs != [(0, len(raw))]:
        if punch_first:
            writer.discard(offset, len(raw))
        for start, end in loaded.runs:
            writer.write(offset + start, memoryview(raw)[start:end])
    else:
        writer.write(offset, raw)
    behind.range_written(writer.fileno(), offset, len(raw))
    meter.advance(len(raw))


def _data_runs(raw: bytes) -> list[tuple[int, int]]:
    """The ranges of `raw` to write: everything but its 4 KiB-aligned all-zero blocks.

    Block by block, each compared at C speed: 0.14 ms a chunk, against 0.8 ms for the earlier search for
    zero runs with a regular expression (which holds the GIL, and ran on the thread that writes)."""
    size = len(raw)
    runs: list[tuple[int, int]] = []
    start = None
    for offset in range(0, size, BLOCK):
        block = raw[offset : offset + BLOCK]
        if block == ZERO_BLOCK[: len(block)]:
            if start is not None:
                runs.append((start, offset))
                start = None
        elif start is None:
            start = offset
    if start is not None:
        runs.append((start, size))
    return runs

"""A simulated block device: a sparse image file whose writes all go through one API that tracks changes.

The changed-block bitmap has one bit per 1 MiB chunk (the engine's chunk size: a finer bitmap could not
save reads, since a whole chunk is re-read to hash it). It lives in a sidecar file beside the image and
follows QEMU's dirty-bitmap generations: a backup *freezes* the active bitmap and starts a new empty one;
on success the frozen bitmap is dropped, on failure it is merged back, so no change is ever lost.

A write session marks the bitmap untrusted while it runs; a crash in the middle leaves it untrusted and the
next backup reads everything. All bitmap changes, and whole write sessions, hold an exclusive `flock`, so a
backup in another process never freezes a bitmap half-way through a session.
"""

import ctypes
import errno
import fcntl
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHUNK_SIZE = 1 << 20
_MAGIC = b"CBT2"
_HEADER = struct.Struct("<4sIQQQB")  # magic, chunk size, disk size, generation, completed generation, flags
_TRUSTED = 1
_WRITER_OPEN = 2
_HAS_FROZEN = 4
_FALLOC_FL_KEEP_SIZE = 0x01
_FALLOC_FL_PUNCH_HOLE = 0x02


def chunk_count(size: int) -> int:
    return (size + CHUNK_SIZE - 1) // CHUNK_SIZE


def chunk_span(offset: int, length: int) -> int:
    """The bitset of chunks touched by `length` bytes at `offset`."""
    if length <= 0:
        return 0
    first, last = offset // CHUNK_SIZE, (offset + length - 1) // CHUNK_SIZE
    return ((1 << (last - first + 1)) - 1) << first


def chunk_indexes(bits: int) -> Iterator[int]:
    """The indexes of the set bits, in order."""
    index = 0
    while bits:
        if bits & 0xFFFFFFFF == 0:
            bits >>= 32
            index += 32
            continue
        if bits & 1:
            yield index
        bits >>= 1
        index += 1


@dataclass
class BitmapState:
    size: int
    generation: int = 0
    completed: int = 0
    trusted: bool = True
    writer_open: bool = False
    active: int = 0
    frozen: int | None = None

    @property
    def nbytes(self) -> int:
        return (chunk_count(self.size) + 7) // 8

    def encode(self) -> bytes:
        flags = (
            (_TRUSTED if self.trusted else 0)
            | (_WRITER_OPEN if self.writer_open else 0)
            | (_HAS_FROZEN if self.frozen is not None else 0)
        )
        header = _HEADER.pack(_MAGIC, CHUNK_SIZE, self.size, self.generation, self.completed, flags)
        frozen = (self.frozen or 0).to_bytes(self.nbytes, "little")
        return header + self.active.to_bytes(self.nbytes, "little") + frozen

    @classmethod
    def decode(cls, raw: bytes) -> "BitmapState":
        magic, chunk, size, generation, completed, flags = _HEADER.unpack_from(raw)
        if magic != _MAGIC or chunk != CHUNK_SIZE:
            raise ValueError("not a changed-block bitmap of this format and chunk size")
        state = cls(size=size, generation=generation, completed=completed)
        body = raw[_HEADER.size :]
        if len(body) != 2 * state.nbytes:
            raise ValueError("changed-block bitmap is truncated")
        state.active = int.from_bytes(body[: state.nbytes], "little")
        state.frozen = int.from_bytes(body[state.nbytes :], "little") if flags & _HAS_FROZEN else None
        state.trusted = bool(flags & _TRUSTED)
        state.writer_open = bool(flags & _WRITER_OPEN)
        return state


@dataclass(frozen=True)
class FrozenBitmap:
    """The changes a backup must read: `bits` since the last completed backup (`base_generation`), which
    only count when `trusted` (otherwise everything allocated must be read)."""

    generation: int
    bits: int
    trusted: bool
    base_generation: int = 0


class DiskWriter:
    """Writes inside one session; every write marks the chunks it touches."""

    def __init__(self, fd: int, size: int) -> None:
        self._fd = fd
        self.size = size
        self.dirty = 0

    def fileno(self) -> int:
        return self._fd

    def write(self, offset: int, data: bytes | memoryview) -> None:
        if offset < 0 or offset + len(data) > self.size:
            raise ValueError(f"write of {len(data)} bytes at {offset} falls outside a {self.size}-byte disk")
        os.pwrite(self._fd, data, offset)
        self.dirty |= chunk_span(offset, len(data))

    def discard(self, offset: int, length: int) -> None:
        """Release a range (TRIM): it reads back as zeros and becomes a hole again."""
        if offset < 0 or offset + length > self.size:
            raise ValueError(f"discard of {length} bytes at {offset} falls outside a {self.size}-byte disk")
        _punch_hole(self._fd, offset, length)
        self.dirty |= chunk_span(offset, length)


class DiskImage:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.state_path = path.with_name(path.name + ".cbt")
        self.lock_path = path.with_name(path.name + ".lock")

    @classmethod
    def create(cls, path: Path, size: int) -> "DiskImage":
        """A new, empty (all-hole) disk of `size` bytes; its bitmap starts trusted and clean."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.truncate(size)
        image = cls(path)
        image._save(BitmapState(size=size))
        return image

    @classmethod
    def adopt(cls, path: Path, size: int) -> "DiskImage":
        """A disk whose image outlived its database row (the database was lost and its disks are made again
        under the same IDs): the bytes are kept, and change tracking starts untrusted so that the next backup
        reads the whole disk. An image of another size is set aside, never deleted."""
        if path.stat().st_size != size:
            path.rename(path.with_name(f"{path.name}.set-aside-{os.getpid()}"))
            return cls.create(path, size)
        image = cls(path)
        image._save(BitmapState(size=size, trusted=False))
        return image

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def allocated_bytes(self) -> int:
        return self.path.stat().st_blocks * 512

    def exists(self) -> bool:
        return self.path.exists()

    # --- data ---------------------------------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[DiskWriter]:
        """A write session: the bitmap is untrusted until it ends cleanly."""
        with self._locked():
            state = self._load()
            state.writer_open = True
            self._save(state)
            fd = os.open(self.path, os.O_RDWR)
            writer = DiskWriter(fd, state.size)
            try:
                yield writer
                os.fsync(fd)
            finally:
                os.close(fd)
                state.active |= writer.dirty
                # A session that raised still recorded what it wrote; only a crash leaves it open.
                state.writer_open = False
                self._save(state)

    def read(self, offset: int, length: int) -> bytes:
        with open(self.path, "rb") as handle:
            return os.pread(handle.fileno(), length, offset)

    def data_extents(self) -> list[tuple[int, int]]:
        """Allocated ranges `(start, end)` found with SEEK_DATA/SEEK_HOLE; holes are never read."""
        extents: list[tuple[int, int]] = []
        with open(self.path, "rb") as handle:
            fd, size, position = handle.fileno(), self.size, 0
            while position < size:
                try:
                    start = os.lseek(fd, position, os.SEEK_DATA)
                except OSError as error:
                    if error.errno == errno.ENXIO:
                        break
                    raise
                end = os.lseek(fd, start, os.SEEK_HOLE)
                extents.append((start, end))
                position = end
        return extents

    # --- changed-block tracking ---------------------------------------------------------------------

    def bitmap(self) -> BitmapState:
        with self._locked():
            return self._load()

    def freeze(self) -> FrozenBitmap:
        """Start a backup: hand over the changes so far and track new ones separately."""
        with self._locked():
            state = self._load()
            pending = state.active | (state.frozen or 0)
            # Sessions hold the lock while they run, so an open one found here died half-way.
            trusted = state.trusted and not state.writer_open
            state.generation += 1
            state.frozen, state.active = pending, 0
            state.trusted, state.writer_open = trusted, False
            self._save(state)
            return FrozenBitmap(state.generation, pending, trusted, state.completed)

    def complete(self, frozen: FrozenBitmap) -> None:
        """The backup that froze this bitmap committed: its changes are safely in the vault."""
        with self._locked():
            state = self._load()
            if state.generation == frozen.generation:
                # The backup read everything it was told to (all data when untrusted), so tracking is exact
                # again, unless a session died since the freeze (nobody else holds the lock now).
                state.frozen = None
                state.completed = frozen.generation
                state.trusted = not state.writer_open
                self._save(state)

    def abort(self, frozen: FrozenBitmap) -> None:
        """The backup failed: put its changes back so the next backup reads them."""
        with self._locked():
            state = self._load()
            state.active |= frozen.bits | (state.frozen or 0)
            state.frozen = None
            if not frozen.trusted:
                state.trusted = False
            self._save(state)

    @contextmanager
    def replacement(self) -> Iterator["DiskImage"]:
        """A new empty image beside this one; if the block ends cleanly it atomically becomes this disk.

        What a restore writes is only seen once all of it was written (and verified); a restore that fails
        leaves the disk exactly as it was. The disk's content then changed wholesale, so the next backup
        reads everything (it still stores only chunks the vault lacks).
        """
        staged = DiskImage(self.path.with_name(f".{self.path.name}.restoring"))
        staged.discard_files()  # what an interrupted restore may have left
        staged = DiskImage.create(staged.path, self.size)
        try:
            yield staged
        except BaseException:
            staged.discard_files()
            raise
        with self._locked():
            state = self._load()
            os.replace(staged.path, self.path)
            state.active |= (1 << chunk_count(state.size)) - 1
            state.trusted = False
            self._save(state)
        staged.discard_files()

    def discard_files(self) -> None:
        """Remove the image and its sidecars."""
        for path in (self.path, self.state_path, self.lock_path):
            path.unlink(missing_ok=True)

    def distrust(self) -> None:
        """Force the next backup to read every allocated chunk (its base is gone or damaged)."""
        with self._locked():
            state = self._load()
            state.trusted = False
            self._save(state)

    # --- plumbing -----------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _load(self) -> BitmapState:
        try:
            return BitmapState.decode(self.state_path.read_bytes())
        except (FileNotFoundError, ValueError, struct.error):
            # A lost or damaged bitmap cannot be trusted: the next backup reads everything.
            return BitmapState(size=self.size, trusted=False)

    def _save(self, state: BitmapState) -> None:
        temporary = self.state_path.with_name(self.state_path.name + ".tmp")
        with open(temporary, "wb") as handle:
            handle.write(state.encode())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.state_path)


def _punch_hole(fd: int, offset: int, length: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    mode = _FALLOC_FL_PUNCH_HOLE | _FALLOC_FL_KEEP_SIZE
    if libc.fallocate(fd, mode, ctypes.c_longlong(offset), ctypes.c_longlong(length)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))

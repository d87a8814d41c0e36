"""Keeping a job's one-time reads and writes out of the page cache.

A backup reads each chunk of a disk once and writes each new object once; neither is read again soon.
Left in the cache they evict everything else, and on this class of machine (a virtual machine whose
memory the host hands over on first touch) filling fresh cache pages is the dearest part of the I/O:
reading 2 GiB of a disk image cost 2.2-2.9 CPU seconds with its pages kept and 0.65 with them dropped
batch by batch, because the freed pages are reused at once. Writeback is started as soon as an object is
written, so that the job's one `syncfs` at the end finds little left to do; it remains the durability point.
"""

import ctypes
import os
import threading
from collections import deque
from pathlib import Path
from typing import Any

LAG = 64  # objects written after one before its pages are dropped: by then most are on disk


def drop(fd: int, offset: int = 0, length: int = 0) -> None:
    """Forget the cached pages of a range (0 = to the end); dirty pages are kept, so nothing is lost."""
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def start_writeback(fd: int, offset: int = 0, length: int = 0) -> None:
    """Ask the kernel to start writing a range's dirty pages now (0 = to the end), without waiting for it."""
    if _sync_file_range is not None:
        _sync_file_range(fd, offset, length, _SYNC_FILE_RANGE_WRITE)


# What was written: a file by its path (its descriptor is closed by then), or a range of an open file.
Written = Path | tuple[int, int, int]


class WriteBehind:
    """Writes of a job: writeback started at once, their pages dropped `LAG` writes later."""

    def __init__(self, lag: int = LAG) -> None:
        self.lag = lag
        self._recent: deque[Written] = deque()
        self._lock = threading.Lock()

    def file_written(self, fd: int, path: Path) -> None:
        """A whole file was written through `fd` and will be known by `path`."""
        start_writeback(fd)
        self._remember(path)

    def range_written(self, fd: int, offset: int, length: int) -> None:
        """A range of a file that stays open until `settle` was written."""
        start_writeback(fd, offset, length)
        self._remember((fd, offset, length))

    def settle(self) -> None:
        """Drop what is left (after a sync, when it is all clean)."""
        with self._lock:
            recent, self._recent = self._recent, deque()
        for written in recent:
            _drop_written(written)

    def _remember(self, written: Written) -> None:
        with self._lock:
            self._recent.append(written)
            old = self._recent.popleft() if len(self._recent) > self.lag else None
        if old is not None:
            _drop_written(old)


def _drop_written(written: Written) -> None:
    if not isinstance(written, Path):
        drop(*written)
        return
    try:
        fd = os.open(written, os.O_RDONLY)
    except OSError:  # deleted or replaced meanwhile: nothing to drop
        return
    try:
        drop(fd)
    finally:
        os.close(fd)


_SYNC_FILE_RANGE_WRITE = 2
_sync_file_range: Any
try:
    _sync_file_range = ctypes.CDLL(None, use_errno=True).sync_file_range
    _sync_file_range.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
except (OSError, AttributeError):
    _sync_file_range = None

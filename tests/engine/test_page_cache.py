"""Page-cache hints never change what is read or written, and never fail on files that went away."""

import os
from pathlib import Path

from cbr_tui.engine import page_cache
from cbr_tui.engine.objects import LocalObjectStore


def test_objects_written_behind_read_back_identical_after_sync(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "vault")
    blobs = {f"chunks/abc/{n:04d}": os.urandom(4096 * (n % 5) + n) for n in range(page_cache.LAG * 2 + 3)}
    for key, data in blobs.items():
        store.put(key, data)
    store.sync()
    for key, data in blobs.items():
        assert store.get(key) == data
        assert store.get(key, 7, 100) == data[7:107]


def test_a_file_deleted_before_its_pages_are_dropped_is_skipped(tmp_path: Path) -> None:
    behind = page_cache.WriteBehind(lag=1)
    paths = [tmp_path / f"{n}.bin" for n in range(3)]
    for path in paths:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        os.write(fd, b"x" * 10000)
        behind.file_written(fd, path)
        os.close(fd)
        path.unlink()  # gone before the next write drops its pages
    behind.settle()


def test_ranges_of_an_open_file_keep_their_bytes(tmp_path: Path) -> None:
    path = tmp_path / "disk.img"
    behind = page_cache.WriteBehind(lag=2)
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        for n in range(6):
            os.pwrite(fd, bytes([n + 1]) * 8192, n * 8192)
            behind.range_written(fd, n * 8192, 8192)
        behind.settle()  # dirty pages of ranges dropped before a sync are kept, not lost
        assert os.pread(fd, 6 * 8192, 0) == b"".join(bytes([n + 1]) * 8192 for n in range(6))
    finally:
        os.close(fd)

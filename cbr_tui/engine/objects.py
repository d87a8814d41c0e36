"""Where a vault's objects live, behind a small interface an object store could implement too.

Objects are written atomically (temporary file, then rename) and made durable in one batch with `sync()`
(`syncfs` on the vault's file system), following the commit order: objects, sync, manifest, database.
"""

import ctypes
import fcntl
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine import page_cache


class DamagedObject(Exception):
    """A stored object (a blob, a manifest, a key record) is not what it should be: its bytes fail their
    check. A Multi-AZ vault reads the other zone's copy instead."""


class LockLost(CbrError):
    """The vault's lock was lost while held (the database connection that held it dropped): what was done
    under it must not commit, since another process may have taken the vault alone meanwhile. A task fails
    with it (and commits nothing); a command is refused with it (BackupService.6112)."""

    def __init__(self, message: str) -> None:
        super().__init__(Codes.INVALID_VAULT_STATUS, message)


class Held:
    """A vault lock asked for: true when taken. `confirm` raises `LockLost` if it is no longer held, before a
    commit point (a file lock lasts as long as its process; a database lock as long as its connection)."""

    def __init__(self, taken: bool, still_held: Callable[[], bool] | None = None) -> None:
        self.taken = taken
        self._still_held = still_held

    def __bool__(self) -> bool:
        return self.taken

    def confirm(self) -> None:
        if self.taken and self._still_held is not None and not self._still_held():
            raise LockLost("The vault's lock was lost (the database connection holding it dropped); nothing "
                           "of this was committed: run it again.")


class ObjectStore(Protocol):
    # How many requests at once keep the store busy: a directory is as fast as the CPU that encodes for it;
    # a server across a network needs several in flight, or a backup waits on each request's latency.
    in_flight: int

    def put(self, key: str, data: bytes | bytearray) -> None:
        """Store `data` under `key` atomically (replacing a previous object of that key)."""
        ...

    def get(self, key: str, offset: int = 0, length: int | None = None) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int | None: ...

    def delete(self, key: str) -> None: ...

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        """`(key, size, modification time)` of every object under `prefix`."""
        ...

    def sync(self) -> None:
        """Make every object written so far durable."""
        ...

    def put_durably(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, durable when this returns (manifests: the commit point in the store)."""
        ...

    def lock(self, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[Held]:
        """Backups and restores hold the vault shared; garbage collection holds it alone, so it never frees a
        blob that a running backup decided to rely on. Yields a false `Held` when `wait` is off and it is
        taken."""
        ...

    def remove_all(self) -> None:
        """Delete the whole store (the vault is gone)."""
        ...


def check_key(key: str) -> None:
    """Keys are relative paths inside the vault (`chunks/1ab/1abf...`): none may lead out of it."""
    if key.startswith("/") or ".." in key.split("/"):
        raise ValueError(f"object key {key!r} leaves the store")


@contextmanager
def file_lock(path: Path, *, exclusive: bool, wait: bool = True) -> Iterator[Held]:
    """A lock among the processes of this machine (flock on `path`); yields a false `Held` when `wait` is off
    and it is taken."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "a+b") as handle:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle.fileno(), flags if wait else flags | fcntl.LOCK_NB)
        except BlockingIOError:
            yield Held(False)
            return
        try:
            yield Held(True)
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class LocalObjectStore:
    """A directory; keys are relative paths (`chunks/1ab/1abf...`, `packs/...`, `manifests/...`)."""

    in_flight = 1

    def __init__(self, root: Path) -> None:
        self.root = root
        self._write_behind = page_cache.WriteBehind()

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key

    def put(self, key: str, data: bytes | bytearray) -> None:
        path = self._path(key)
        # One temporary name per process and thread: two jobs of one process may write the same key at once.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except BaseException:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise
        try:
            self._write_behind.file_written(fd, path)
        finally:
            os.close(fd)
        os.replace(temporary, path)

    def put_durably(self, key: str, data: bytes) -> None:
        """Like `put`, then fsync the object and its directory (manifests: the commit point on disk)."""
        self.put(key, data)
        path = self._path(key)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_directory(path.parent)

    def get(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        """Jobs read an object once (restore, verify), so its pages are not kept (see `page_cache`)."""
        with open(self._path(key), "rb") as handle:
            if length is None:
                handle.seek(offset)
                data = handle.read()
            else:
                data = os.pread(handle.fileno(), length, offset)
            if data:
                page_cache.drop(handle.fileno(), offset, len(data))
            return data

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        base = self._path(prefix) if prefix else self.root
        if not base.exists():
            return
        for directory, _dirs, files in os.walk(base):
            for name in files:
                path = Path(directory, name)
                if name.startswith("."):
                    continue
                stat = path.stat()
                yield str(path.relative_to(self.root)), stat.st_size, stat.st_mtime

    def sync(self) -> None:
        if not self.root.exists():
            return
        fd = os.open(self.root, os.O_RDONLY)
        try:
            if _LIBC is None or _LIBC.syncfs(fd) != 0:
                os.sync()
        finally:
            os.close(fd)
        self._write_behind.settle()

    @contextmanager
    def lock(self, *, exclusive: bool, wait: bool = True) -> Iterator[Held]:
        with file_lock(self.root / ".lock", exclusive=exclusive, wait=wait) as taken:
            yield taken

    def remove_all(self) -> None:
        """Delete the whole store (the vault is gone)."""
        shutil.rmtree(self.root, ignore_errors=True)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_LIBC: ctypes.CDLL | None
try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.syncfs.argtypes = [ctypes.c_int]
except (OSError, AttributeError):
    _LIBC = None

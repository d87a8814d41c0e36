"""File trees (SFS Turbo file systems, the directories of file-backup clients).

A backup walks the tree, skips files whose size, mtime, ctime and inode match the previous backup (taking
their blobs from its manifest), reads the others (a small file is one blob, a large one is cut by FastCDC,
so an insertion moves few chunk boundaries), and packs new blobs. Restore writes each file to a temporary
name and renames it into place after its blobs were verified, and never writes outside the target: it walks
down from the target one name at a time and never follows a symbolic link on the way.
"""

import errno
import itertools
import os
import stat
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyfastcdc import FastCDC

from cbr_tui.engine.blobs import DamagedBlob, DataKey, ThreadCodecs, digest
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import TreeEntry, TreeManifest
from cbr_tui.engine.mirror import read_checked
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.packs import PackSink
from cbr_tui.engine.progress import Meter

SMALL_FILE = 1 << 20
BATCH_BYTES = 8 << 20
GROUP = 128
GROUPS_AHEAD = 8
IO_THREADS = 4
_CDC = FastCDC(avg_size=1 << 20)


class UnsafePath(Exception):
    """A manifest entry would be written outside the restore target."""


class DamagedFile(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path


@dataclass
class TreePlan:
    entries: list[TreeEntry]
    to_read: list[int]
    bytes_to_read: int
    incremental: bool = False
    reason: str = ""


def scan(root: Path, previous: TreeManifest | Callable[[], TreeManifest | None] | None, *,
         full: bool) -> TreePlan:
    """Walk the tree; a file unchanged since `previous` keeps its blobs, the others are to be read.

    `previous` may be a function that loads it: it then runs on a thread while the walk waits on the disk.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cbr-manifest") as loader:
        loading = loader.submit(previous) if callable(previous) else None
        walked = list(_walk(root))
        base = loading.result() if loading is not None else previous if not callable(previous) else None
    known = {e.path: e for e in base.entries} if base is not None and not full else {}
    entries: list[TreeEntry] = []
    to_read: list[int] = []
    total = 0
    for relative, info, link in walked:
        mode = info.st_mode
        if stat.S_ISREG(mode):
            entry = TreeEntry(relative, "file", stat.S_IMODE(mode), info.st_mtime_ns, info.st_size,
                              info.st_ctime_ns, info.st_ino, uid=info.st_uid, gid=info.st_gid)
            before = known.get(relative)
            if before is not None and before[:7] == entry[:7]:
                entries.append(before)  # unchanged: the same entry, with its blobs
                continue
            to_read.append(len(entries))
            total += info.st_size
            entries.append(entry)
        elif stat.S_ISDIR(mode):
            entries.append(TreeEntry(relative, "dir", stat.S_IMODE(mode), info.st_mtime_ns, uid=info.st_uid,
                                     gid=info.st_gid))
        elif stat.S_ISLNK(mode):
            entries.append(TreeEntry(relative, "symlink", 0, info.st_mtime_ns, target=link, uid=info.st_uid,
                                     gid=info.st_gid))
        else:  # a FIFO (restored as one), a socket or a device (named in the restore's report)
            entries.append(TreeEntry(relative, _special_kind(mode), stat.S_IMODE(mode), info.st_mtime_ns,
                                     uid=info.st_uid, gid=info.st_gid))
    if base is not None and not full:
        return TreePlan(entries, to_read, total, True, "changed files only")
    return TreePlan(entries, to_read, total, False,
                    "full backup requested" if full else "no earlier backup to build on")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "block-device" if stat.S_ISBLK(mode) else "char-device"


def _walk(root: Path) -> Iterator[tuple[str, os.stat_result, str | None]]:
    """Every entry under root with its lstat (and a link's target), in sorted pre-order. Each directory is
    opened from its parent's descriptor, so paths deeper than PATH_MAX are walked too."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield from _walk_at(fd, "")
    finally:
        os.close(fd)


def _walk_at(fd: int, prefix: str) -> Iterator[tuple[str, os.stat_result, str | None]]:
    with os.scandir(fd) as found:
        items = sorted(found, key=lambda e: e.name)
    for item in items:
        relative = f"{prefix}/{item.name}" if prefix else item.name
        info = item.stat(follow_symlinks=False)
        yield relative, info, os.readlink(item.name, dir_fd=fd) if stat.S_ISLNK(info.st_mode) else None
        if stat.S_ISDIR(info.st_mode):
            child = os.open(item.name, _DIRECTORY, dir_fd=fd)
            try:
                yield from _walk_at(child, relative)
            finally:
                os.close(child)


_WHOLE_PATH_MAX = 3800  # a path this long is opened as it is; a longer one name by name (PATH_MAX is 4096)


def _open_file(root: Path, relative: str) -> int:
    """A file of the tree for reading, never through a link in its last name, whatever its path's length."""
    whole = os.path.join(os.fsencode(root), os.fsencode(relative))
    if len(whole) < _WHOLE_PATH_MAX:
        return os.open(whole, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    *directories, name = relative.split("/")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for directory in directories:
            child = os.open(directory, _DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
    finally:
        os.close(fd)


def back_up(root: Path, tree_plan: TreePlan, sink: PackSink, meter: Meter, workers: int = 2) -> TreeManifest:
    """Read the files the plan marks and store their new blobs; returns the manifest of the whole tree.

    Small files go in groups to threads that read, hash and compress them (reading many small files is
    bound by latency, so there are more threads than cores); a large file is streamed through FastCDC a few
    chunks at a time, so memory stays bounded whatever its size.
    """
    codecs = ThreadCodecs()

    def prepare(group: list[int]) -> list[tuple[int, list[tuple[bytes, int, bytes]]]]:
        done = []
        for index in group:
            with os.fdopen(_open_file(root, tree_plan.entries[index].path), "rb") as handle:
                data = handle.read()
            done.append((index, [(digest(data), len(data), codecs.codec.encode(data))] if data else []))
        return done

    small = [i for i in tree_plan.to_read if tree_plan.entries[i].size < SMALL_FILE]
    large = [i for i in tree_plan.to_read if tree_plan.entries[i].size >= SMALL_FILE]
    groups = [small[i : i + GROUP] for i in range(0, len(small), GROUP)]
    with ThreadPoolExecutor(max_workers=max(workers, IO_THREADS), thread_name_prefix="cbr-tree") as pool:
        ahead: deque[Future[list[tuple[int, list[tuple[bytes, int, bytes]]]]]] = deque()
        for group in groups:
            ahead.append(pool.submit(prepare, group))
            if len(ahead) >= GROUPS_AHEAD:
                _take(ahead.popleft().result(), tree_plan, sink, meter)
        while ahead:
            _take(ahead.popleft().result(), tree_plan, sink, meter)

        def encode(item: tuple[bytes, bytes]) -> tuple[bytes, int, bytes]:
            return item[0], len(item[1]), codecs.codec.encode(item[1])

        def store(pieces: list[tuple[bytes, bytes]]) -> None:
            blobs = dict(pieces)
            missing = sink.missing(list(blobs))
            for hash_, raw_size, encoded in pool.map(encode, [(h, blobs[h]) for h in blobs if h in missing]):
                sink.add(hash_, raw_size, encoded)

        for index in large:
            chunks: list[bytes] = []
            size = 0
            pending: list[bytes] = []
            with os.fdopen(_open_file(root, tree_plan.entries[index].path), "rb", buffering=0) as handle:
                for piece in _CDC.cut_stream(handle):  # a piece's data is valid until the next is cut
                    pending.append(bytes(piece.data))
                    if sum(len(p) for p in pending) >= BATCH_BYTES:
                        size += _stream(pending, chunks, store, pool, meter)
                        pending = []
            size += _stream(pending, chunks, store, pool, meter)
            tree_plan.entries[index] = tree_plan.entries[index]._replace(chunks=tuple(chunks), size=size)
        sink.flush()
    return TreeManifest(str(root), tree_plan.entries)


def _take(prepared: list[tuple[int, list[tuple[bytes, int, bytes]]]], tree_plan: TreePlan, sink: PackSink,
          meter: Meter) -> None:
    """Add a group's new blobs to the pack and record each file's blobs."""
    missing = sink.missing([h for _i, pieces in prepared for h, _n, _e in pieces])
    size = 0
    for index, pieces in prepared:
        for hash_, raw_size, encoded in pieces:
            if hash_ in missing:
                sink.add(hash_, raw_size, encoded)
        entry = tree_plan.entries[index]._replace(chunks=tuple(h for h, _n, _e in pieces),
                                                  size=sum(n for _h, n, _e in pieces))
        tree_plan.entries[index] = entry
        size += entry.size
    meter.advance(size)


def _stream(pending: list[bytes], chunks: list[bytes], store: Callable[[list[tuple[bytes, bytes]]], None],
            pool: ThreadPoolExecutor, meter: Meter) -> int:
    """Store a run of a large file's chunks; returns their size."""
    if not pending:
        return 0
    hashes = list(pool.map(digest, pending))
    store(list(zip(hashes, pending, strict=True)))
    chunks.extend(hashes)
    size = sum(len(p) for p in pending)
    meter.advance(size)
    return size


# --- restore ------------------------------------------------------------------------------------------

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_PRIVILEGE_BITS = stat.S_ISUID | stat.S_ISGID  # kept only with the owner: else the restoring user would own them
_OPEN_DIRECTORIES_MAX = 256  # directories a restore holds open at once (well under the usual 1,024 files)


def safe_relative(path: str) -> tuple[str, ...]:
    parts = tuple(path.split("/"))
    if not path or path.startswith("/") or any(p in ("", ".", "..") or "\x00" in p for p in parts):
        raise UnsafePath(f"{path!r} is not a safe relative path")
    return parts


class _Directories:
    """The directories under a restore's target, each opened once by walking down from the target one name
    at a time without following symbolic links (`openat` with `O_NOFOLLOW`): a link planted in the target,
    or one the backup itself holds, can never lead a write elsewhere, and nothing is resolved twice."""

    def __init__(self, target: Path) -> None:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)  # the target itself is the caller's choice
        self._open: dict[tuple[str, ...], int] = {(): os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)}
        self.target = target

    def __call__(self, parts: tuple[str, ...]) -> int:
        """The directory at `parts` under the target, created (private, until its own mode is set) if missing."""
        found = self._open.get(parts)
        if found is not None:
            return found
        parent = self(parts[:-1])
        name = parts[-1]
        try:
            fd = os.open(name, _DIRECTORY, dir_fd=parent)
        except FileNotFoundError:
            os.mkdir(name, 0o700, dir_fd=parent)
            fd = os.open(name, _DIRECTORY, dir_fd=parent)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            link = stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
            what = "a symbolic link" if link else "not a directory"
            raise UnsafePath(f"{self.shown(parts)} is {what}; the restore does not write through it") from None
        self._open[parts] = fd
        if len(self._open) > _OPEN_DIRECTORIES_MAX:
            self._close_all_but(parts)
        return fd

    def _close_all_but(self, parts: tuple[str, ...]) -> None:
        """Keep open only the target and the directories on the way to `parts` (a tree may hold more
        directories than a process may open files); the others are walked to again when needed."""
        for held in [p for p in self._open if p and p != parts[: len(p)]]:
            os.close(self._open.pop(held))

    def shown(self, parts: tuple[str, ...]) -> str:
        return str(self.target.joinpath(*parts))

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()


NOT_RESTORED_KINDS = ("socket", "char-device", "block-device")


def restore(manifest: TreeManifest, target: Path, fetch: Callable[[bytes], bytes], meter: Meter, *,
            below: tuple[str, ...] = (), owners: bool = False) -> list[str]:
    """Write the tree at `below` under `target` (both created if needed). Files are replaced whole, after
    verification. The files belong to whoever restores them and lose setuid and setgid bits, unless
    `owners` (a restore run as root that was asked to): then each gets its owner back first, and keeps its
    bits. Returns what it could not restore (sockets, which only a running program makes, and device
    files), each with its kind, for the task to report."""
    owned = _Ownership(owners)
    not_restored: list[str] = []
    for part in below:
        safe_relative(part)
    entries = [(tuple(below) + safe_relative(entry.path), entry) for entry in manifest.entries]
    meter.add_total(sum(e.size for e in manifest.entries if e.kind == "file"))
    directories = _Directories(target)
    try:
        made: list[tuple[tuple[str, ...], TreeEntry]] = []
        directories(tuple(below))
        for parts, entry in entries:
            if entry.kind == "dir":
                directories(parts)
                made.append((parts, entry))
            elif entry.kind == "symlink":
                _restore_symlink(directories(parts[:-1]), parts[-1], entry, owned)
            elif entry.kind == "fifo":
                _restore_fifo(directories(parts[:-1]), parts[-1], entry, owned)
            elif entry.kind in NOT_RESTORED_KINDS:
                not_restored.append(f"{entry.path} ({entry.kind})")
            else:
                _restore_file(directories(parts[:-1]), parts[-1], entry, fetch, owned)
                meter.advance(entry.size)
        for parts, entry in reversed(made):
            fd = directories(parts)
            owned.give(entry, fd)
            os.fchmod(fd, owned.mode(entry))
            os.utime(fd, ns=(entry.mtime_ns, entry.mtime_ns))
    finally:
        directories.close()
    return not_restored


class _Ownership:
    """Whether a restore gives entries their owners back, and so which mode bits they may keep."""

    def __init__(self, owners: bool) -> None:
        self.owners = owners

    def mode(self, entry: TreeEntry) -> int:
        return stat.S_IMODE(entry.mode) if self.owners else stat.S_IMODE(entry.mode) & ~_PRIVILEGE_BITS

    def give(self, entry: TreeEntry, fd: int | None = None, *, name: str | None = None,
             parent: int | None = None) -> None:
        """Before the mode is set (changing the owner clears setuid and setgid bits)."""
        if not self.owners or (entry.uid < 0 and entry.gid < 0):
            return
        if fd is not None:
            os.fchown(fd, entry.uid, entry.gid)
        else:
            os.chown(name, entry.uid, entry.gid, dir_fd=parent, follow_symlinks=False)  # type: ignore[arg-type]


def _restore_symlink(parent: int, name: str, entry: TreeEntry, owned: _Ownership) -> None:
    """A link is made as it was (its target is text, never followed by the restore); a file or link in
    its place is replaced, a directory there is left alone."""
    if entry.target is not None and _clear_for(parent, name):
        os.symlink(entry.target, name, dir_fd=parent)
        owned.give(entry, name=name, parent=parent)


def _restore_fifo(parent: int, name: str, entry: TreeEntry, owned: _Ownership) -> None:
    """A named pipe is made anew (it holds no data); a file or link in its place is replaced."""
    _clear_for(parent, name)
    os.mkfifo(name, owned.mode(entry), dir_fd=parent)
    owned.give(entry, name=name, parent=parent)
    os.utime(name, ns=(entry.mtime_ns, entry.mtime_ns), dir_fd=parent, follow_symlinks=False)


def _clear_for(parent: int, name: str) -> bool:
    """Remove a file or link where an entry goes; False (nothing removed) when a directory is there."""
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return True
    if stat.S_ISDIR(info.st_mode):
        return False
    os.unlink(name, dir_fd=parent)
    return True


_temporaries = itertools.count()


def _restore_file(parent: int, name: str, entry: TreeEntry, fetch: Callable[[bytes], bytes],
                  owned: _Ownership) -> None:
    # A short temporary name: the file's own name may already be the longest the file system allows.
    temporary = f".cbr-restore-{os.getpid()}-{next(_temporaries)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                 dir_fd=parent)
    try:
        for hash_ in entry.chunks:
            try:
                data = fetch(hash_)
            except (DamagedBlob, FileNotFoundError) as error:
                raise DamagedFile(entry.path, str(error)) from None
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        owned.give(entry, fd)
        os.fchmod(fd, owned.mode(entry))
        os.utime(fd, ns=(entry.mtime_ns, entry.mtime_ns))
    except BaseException:
        os.close(fd)
        os.unlink(temporary, dir_fd=parent)
        raise
    os.close(fd)
    os.replace(temporary, name, src_dir_fd=parent, dst_dir_fd=parent)


def fetcher(objects: ObjectStore, locations: dict[bytes, Location],
            keys: Mapping[bytes, DataKey] | None = None) -> Callable[[bytes], bytes]:
    """Read a blob from its pack and verify it (each thread decodes with its own codec)."""
    codecs = ThreadCodecs(keys)

    def fetch(hash_: bytes) -> bytes:
        where = locations.get(hash_)
        if where is None:
            raise DamagedBlob("not in the vault's index")
        codec = codecs.codec
        return read_checked(objects, where.object_key, where.offset, where.length,
                            lambda stored: codec.decode(stored, hash_, where.raw_size))

    return fetch

"""A tree made to trick a restore: links that point out of it (relative and absolute), links planted in the
target before the restore, setuid files, names of 255 bytes. Restores to a new path and in place write
everything inside exactly and nothing outside (a digest of the rest of the disk around them is unchanged)."""

import contextlib
import os
import socket
import stat
from pathlib import Path

import pytest

from cbr_tui.engine import manifest, tree
from cbr_tui.engine.progress import Meter
from tests.data import tree_digest
from tests.engine.conftest import TreeVault

LONGEST_NAME = "n" * 251 + ".txt"  # 255 bytes: the longest name the file system takes


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """What a hostile tree aims at: a directory with a file in it, beside the source and the target."""
    place = tmp_path / "outside"
    place.mkdir()
    (place / "secret.txt").write_text("untouched")
    return place


@pytest.fixture
def hostile(tmp_path: Path, outside: Path) -> Path:
    root = tmp_path / "hostile"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("alpha")
    os.symlink(str(outside), root / "absolute-out")
    os.symlink("../../outside", root / "docs" / "relative-out")
    (root / "setuid-tool").write_bytes(b"#!/bin/sh\n")
    os.chmod(root / "setuid-tool", 0o4755)
    (root / "setgid-dir").mkdir()
    os.chmod(root / "setgid-dir", 0o2775)
    (root / LONGEST_NAME).write_text("long")
    return root


def without_privilege_bits(digest: dict[str, str]) -> dict[str, str]:
    """What the restore promises: the same tree, with setuid and setgid bits dropped."""
    return {path: f"{kind}:{int(mode, 8) & ~0o6000:o}" if kind == "dir" else
            (f"{int(kind, 8) & ~0o6000:o}:{mode}" if not kind.startswith("link") else f"{kind}:{mode}")
            for path, (kind, _, mode) in ((p, v.partition(":")) for p, v in digest.items())}


def test_a_hostile_tree_restores_inside_its_target_only(tree_vault: TreeVault, hostile: Path, outside: Path,
                                                         tmp_path: Path) -> None:
    backed_up, *_ = tree_vault.back_up(hostile)
    before_outside = tree_digest(outside)
    target = tmp_path / "restored"
    tree_vault.restore(backed_up, target)
    assert tree_digest(target) == without_privilege_bits(tree_digest(hostile))
    assert os.readlink(target / "absolute-out") == str(outside)  # links come back as links, never followed
    assert not stat.S_IMODE((target / "setuid-tool").stat().st_mode) & (stat.S_ISUID | stat.S_ISGID)
    assert (target / LONGEST_NAME).read_text() == "long"
    assert tree_digest(outside) == before_outside


def test_a_link_planted_in_the_target_is_refused_not_followed(tree_vault: TreeVault, hostile: Path, outside: Path,
                                                               tmp_path: Path) -> None:
    backed_up, *_ = tree_vault.back_up(hostile)
    target = tmp_path / "restored"
    target.mkdir()
    os.symlink(str(outside), target / "docs")  # where the backup has a directory
    before_outside = tree_digest(outside)
    with pytest.raises(tree.UnsafePath, match="docs is a symbolic link"):
        tree_vault.restore(backed_up, target)
    assert tree_digest(outside) == before_outside


def test_in_place_a_directory_swapped_for_a_link_is_refused(tree_vault: TreeVault, hostile: Path,
                                                            outside: Path) -> None:
    backed_up, *_ = tree_vault.back_up(hostile)
    docs = hostile / "docs"
    for child in docs.iterdir():
        child.unlink()
    docs.rmdir()
    os.symlink(str(outside), docs)
    before_outside = tree_digest(outside)
    with pytest.raises(tree.UnsafePath, match="symbolic link"):
        tree_vault.restore(backed_up, hostile)
    assert tree_digest(outside) == before_outside


def test_a_restore_below_a_planted_link_is_refused(tree_vault: TreeVault, hostile: Path, outside: Path,
                                                   tmp_path: Path) -> None:
    """The reported case: `restore files --to DIR` puts the tree at its original path under DIR, and
    DIR/tmp was a link to elsewhere: the restore stops instead of writing the whole tree there."""
    backed_up, *_ = tree_vault.back_up(hostile)
    target = tmp_path / "restored"
    target.mkdir()
    os.symlink(str(outside), target / "tmp")
    before_outside = tree_digest(outside)
    with pytest.raises(tree.UnsafePath, match="tmp is a symbolic link"):
        tree.restore(backed_up, target, tree.fetcher(tree_vault.objects, tree_vault.locations), Meter(),
                     below=("tmp", "documents"))
    assert tree_digest(outside) == before_outside


def test_names_that_are_not_utf8_round_trip_exactly(tree_vault: TreeVault, tmp_path: Path) -> None:
    """A file name is bytes: Latin-1 names from an old system back up and come back byte for byte (one
    such name used to fail the whole client backup)."""
    root = tmp_path / "legacy"
    root.mkdir()
    names = [b"caf\xe9.txt", b"\xff\xfe-dir", b"plain.txt"]
    os.mkdir(os.path.join(os.fsencode(root), names[1]))
    for name in (names[0], names[2], names[1] + b"/inner-\xe9"):
        with open(os.path.join(os.fsencode(root), name), "wb") as handle:
            handle.write(name)
    backed_up, *_ = tree_vault.back_up(root)
    stored = manifest.decode(manifest.encode(backed_up))  # as the vault keeps it
    target = tmp_path / "restored"
    tree_vault.restore(stored, target)
    assert sorted(os.listdir(os.fsencode(target))) == sorted(names)
    with open(os.path.join(os.fsencode(target), names[1] + b"/inner-\xe9"), "rb") as handle:
        assert handle.read() == names[1] + b"/inner-\xe9"
    assert tree_digest(target) == tree_digest(root)


def test_special_files_are_restored_or_reported(tree_vault: TreeVault, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "special"
    root.mkdir()
    os.mkfifo(root / "pipe", 0o640)
    monkeypatch.chdir(root)  # a socket's path must be short: bind it by its relative name
    listening = socket.socket(socket.AF_UNIX)
    listening.bind("sock")
    try:
        backed_up, *_ = tree_vault.back_up(root)
    finally:
        listening.close()
    kinds = {entry.path: entry.kind for entry in manifest.decode(manifest.encode(backed_up)).entries}
    assert kinds == {"pipe": "fifo", "sock": "socket"}
    target = tmp_path / "restored"
    not_restored = tree.restore(backed_up, target, tree.fetcher(tree_vault.objects, tree_vault.locations), Meter())
    assert stat.S_ISFIFO((target / "pipe").lstat().st_mode)
    assert stat.S_IMODE((target / "pipe").lstat().st_mode) == 0o640
    assert not_restored == ["sock (socket)"] and not (target / "sock").exists()


def test_a_tree_with_more_directories_than_are_kept_open_restores_exactly(tree_vault: TreeVault, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore keeps a bounded number of directories open (a tree may hold more than a process may open
    files): with the bound at 3, a nested and wide tree still restores with every mode and time."""
    root = tmp_path / "wide"
    for top in range(6):
        for inner in range(3):
            directory = root / f"d{top}" / f"e{inner}"
            directory.mkdir(parents=True)
            (directory / "f.txt").write_text(f"{top}-{inner}")
            os.chmod(directory, 0o750 if inner % 2 else 0o755)
    monkeypatch.setattr(tree, "_OPEN_DIRECTORIES_MAX", 3)
    backed_up, *_ = tree_vault.back_up(root)
    target = tmp_path / "restored"
    tree_vault.restore(backed_up, target)
    assert tree_digest(target) == tree_digest(root)
    assert (target / "d5" / "e2").stat().st_mtime_ns == (root / "d5" / "e2").stat().st_mtime_ns


DEEP = ["d" * 200 + f"{level:02d}" for level in range(21)]  # 4,263 bytes of directories: more than PATH_MAX


def _deep_directory(root: Path) -> int:
    """The innermost directory of DEEP under root, made one name at a time (its path is too long to name)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for name in DEEP:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
        os.close(fd)
        fd = child
    return fd


def test_paths_longer_than_path_max_back_up_and_restore(tree_vault: TreeVault, tmp_path: Path) -> None:
    root = tmp_path / "deep"
    root.mkdir()
    innermost = _deep_directory(root)
    for name, data in (("small.txt", b"deep down"), ("large.bin", os.urandom(3 << 20))):
        fd = os.open(name, os.O_WRONLY | os.O_CREAT, 0o640, dir_fd=innermost)
        os.write(fd, data)
        os.close(fd)
    os.symlink("small.txt", "link", dir_fd=innermost)
    os.close(innermost)
    backed_up, *_ = tree_vault.back_up(root)
    assert len(max((e.path for e in backed_up.entries), key=len)) > 4096
    target = tmp_path / "restored"
    tree_vault.restore(manifest.decode(manifest.encode(backed_up)), target)
    original, restored = _deep_directory(root), _deep_directory(target)
    try:
        for name in ("small.txt", "large.bin"):
            with open(name, "rb", opener=lambda n, f, d=original: os.open(n, f, dir_fd=d)) as mine, \
                    open(name, "rb", opener=lambda n, f, d=restored: os.open(n, f, dir_fd=d)) as theirs:
                assert mine.read() == theirs.read()
            assert stat.S_IMODE(os.stat(name, dir_fd=restored).st_mode) == 0o640
        assert os.readlink("link", dir_fd=restored) == "small.txt"
    finally:
        os.close(original)
        os.close(restored)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give files other owners")
def test_owners_and_setuid_bits_come_back_only_when_asked(tree_vault: TreeVault, tmp_path: Path) -> None:
    root = tmp_path / "owned"
    root.mkdir()
    tool = root / "tool"
    tool.write_bytes(b"#!/bin/sh\n")
    os.chown(tool, 65534, 65534)  # nobody
    os.chmod(tool, 0o4755)  # after the owner: changing the owner clears the bit
    os.symlink("tool", root / "link")
    os.lchown(root / "link", 65534, 65534)
    backed_up, *_ = tree_vault.back_up(root)
    fetch = tree.fetcher(tree_vault.objects, tree_vault.locations)
    plain, kept = tmp_path / "plain", tmp_path / "kept"
    tree.restore(backed_up, plain, fetch, Meter())
    info = (plain / "tool").stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o755)  # the restorer's, without its setuid bit
    tree.restore(backed_up, kept, fetch, Meter(), owners=True)
    info = (kept / "tool").stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o4755)
    assert (kept / "link").lstat().st_uid == 65534

"""Comparing what tests back up with what they restore: disks (sparse-aware) and directory trees."""

import hashlib
import os
import stat
from pathlib import Path

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.services.console import Console

BLOCK = 4096


def disk_path(console: Console, disk_id: str) -> Path:
    disk = console.resources.show(disk_id)
    return console.ctx.layout.home / "cloud" / console.region_id / "disks" / f"{disk.id}.img"


def disk_digest(path: Path, *, with_size: bool = True) -> str:
    """A digest of a disk's logical content: its size and every non-zero 4 KiB block with its offset.
    Zeros hash the same whether they are allocated or holes; only data extents are read."""
    image = DiskImage(path)
    digest = hashlib.sha256(str(image.size if with_size else "").encode())
    zero = bytes(BLOCK)
    for start, end in image.data_extents():
        data = image.read(start, end - start)
        view = memoryview(data)
        for offset in range(0, len(data), BLOCK):
            block = view[offset : offset + BLOCK]
            if block != zero[: len(block)]:
                digest.update((start + offset).to_bytes(8, "little"))
                digest.update(block)
    return digest.hexdigest()


def disks_of(console: Console, resource: str) -> list[str]:
    shown = console.resources.show(resource)
    return [v.id for v in shown.volumes] if shown.volumes is not None else [shown.id]


def resource_digest(console: Console, resource: str, *, with_size: bool = True) -> list[str]:
    return [disk_digest(disk_path(console, disk), with_size=with_size) for disk in disks_of(console, resource)]


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> content digest and permissions of every file, directory and symlink under root."""
    found: dict[str, str] = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            path = Path(directory, name)
            relative = str(path.relative_to(root))
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[relative] = f"link:{os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                found[relative] = f"dir:{stat.S_IMODE(info.st_mode):o}"
            else:
                found[relative] = f"{stat.S_IMODE(info.st_mode):o}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    return found

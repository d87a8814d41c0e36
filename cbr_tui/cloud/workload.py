"""Realistic bytes for simulated disks and file systems: text-like, random and zero data, reproducibly.

Text blocks are slices of a corpus of log lines and prose built once per generator, so they compress about
as well as real text (roughly 3x with zstd) and still differ from each other; random blocks do not compress;
zero blocks exercise the engine's zero-chunk handling. Everything comes from a seeded `random.Random`, so
the demo inventory holds the same bytes on every machine.
"""

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cbr_tui.cloud.disk_image import CHUNK_SIZE, DiskImage

MiB = 1 << 20
_CORPUS_SIZE = 4 * MiB
_WORDS = (
    "backup vault restore server disk volume snapshot policy region replica checkpoint chunk data block "
    "the of and to in is that for on with as by at from this be or an are it not have which was were "
    "request response latency error warning info debug user session order payment invoice customer "
    "kernel systemd nginx mysql postgres redis cache queue worker thread process memory cpu network "
).split()
_LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR")


@dataclass(frozen=True)
class Mix:
    """Shares of text-like, random and zero bytes in written data."""

    text: float = 0.55
    binary: float = 0.30
    zeros: float = 0.15

    def pick(self, rng: random.Random) -> str:
        roll = rng.random() * (self.text + self.binary + self.zeros)
        if roll < self.text:
            return "text"
        return "random" if roll < self.text + self.binary else "zeros"


TREE_MIX = Mix(text=0.8, binary=0.2, zeros=0.0)
PATTERNS = {"mixed": Mix(), "text": Mix(1, 0, 0), "random": Mix(0, 1, 0), "zeros": Mix(0, 0, 1)}


class Workload:
    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(str(seed))

    # --- blocks -------------------------------------------------------------------------------------

    @property
    def corpus(self) -> bytes:
        return _corpus()

    def block(self, kind: str, size: int) -> bytes:
        if kind == "zeros":
            return bytes(size)
        if kind == "random":
            return self.rng.randbytes(size)
        start = self.rng.randrange(0, len(self.corpus) - size) if size < len(self.corpus) else 0
        data = self.corpus[start : start + size]
        return data if len(data) == size else (data * (size // max(len(data), 1) + 1))[:size]

    # --- disks --------------------------------------------------------------------------------------

    def fill_disk(self, disk: DiskImage, total_bytes: int, *, mix: Mix = Mix(), dense_start: bool = False) -> int:
        """Write about `total_bytes` in filesystem-like extents of 1–16 MiB; returns the bytes written.

        With `dense_start` the first extents are packed at the start of the disk, as an OS image is.
        """
        size = disk.size
        written = 0
        cursor = 0
        with disk.writer() as writer:
            while written < total_bytes:
                length = min(self.rng.choice((1, 1, 2, 4, 8, 16)) * MiB, total_bytes - written)
                length = max(4096, length - length % 4096)
                if dense_start and cursor + length <= size // 4:
                    offset, cursor = cursor, cursor + length
                else:
                    offset = self.rng.randrange(0, max(1, (size - length) // CHUNK_SIZE)) * CHUNK_SIZE
                writer.write(offset, self._extent(length, mix))
                written += length
        return written

    def scatter_writes(self, disk: DiskImage, count: int, size: int = 4096, *, mix: Mix = Mix()) -> None:
        """Small writes at random 4 KiB-aligned places (the engine's worst case)."""
        with disk.writer() as writer:
            for _ in range(count):
                offset = self.rng.randrange(0, (disk.size - size) // 4096) * 4096
                writer.write(offset, self.block(mix.pick(self.rng), size))

    def damage_disk(self, disk: DiskImage, blocks: int = 8, block_size: int = 64 * 1024) -> list[int]:
        """Overwrite random places inside the written data with garbage; returns their offsets."""
        extents = disk.data_extents() or [(0, min(disk.size, CHUNK_SIZE))]
        offsets = []
        with disk.writer() as writer:
            for _ in range(blocks):
                start, end = self.rng.choice(extents)
                span = max(end - start - block_size, 0)
                offset = start + (self.rng.randrange(0, span // 4096 + 1) * 4096 if span else 0)
                length = min(block_size, disk.size - offset)
                writer.write(offset, self.rng.randbytes(length))
                offsets.append(offset)
        return offsets

    def _extent(self, length: int, mix: Mix) -> bytes:
        parts, remaining = [], length
        while remaining:
            piece = min(remaining, self.rng.choice((64, 256, 1024)) * 1024)
            parts.append(self.block(mix.pick(self.rng), piece))
            remaining -= piece
        return b"".join(parts)

    # --- file trees ---------------------------------------------------------------------------------

    def fill_tree(self, root: Path, files: int, total_bytes: int, *, mix: Mix = TREE_MIX) -> int:
        """Create `files` files in nested directories, sizes drawn lognormally to about `total_bytes`."""
        root.mkdir(parents=True, exist_ok=True)
        weights = [self.rng.lognormvariate(0, 1.2) for _ in range(files)]
        scale = total_bytes / max(sum(weights), 1e-9)
        sizes = [max(1, int(w * scale)) for w in weights]
        sizes[-1] = max(1, total_bytes - sum(sizes[:-1]))
        for index, size in enumerate(sizes):
            path = root / self._tree_path(index)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.block(mix.pick(self.rng), size))
        return sum(sizes)

    def damage_tree(self, root: Path, deletions: int = 3, corruptions: int = 3) -> list[str]:
        """Delete some files and overwrite the start of others; returns the paths touched."""
        candidates = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
        self.rng.shuffle(candidates)
        touched = []
        for path in candidates[:deletions]:
            path.unlink()
            touched.append(str(path.relative_to(root)))
        for path in candidates[deletions : deletions + corruptions]:
            with open(path, "r+b") as handle:
                handle.write(self.rng.randbytes(min(4096, max(path.stat().st_size, 1))))
            touched.append(str(path.relative_to(root)))
        return touched

    def _tree_path(self, index: int) -> Path:
        top = self.rng.choice(("docs", "logs", "src", "data", "home", "etc"))
        middle = f"d{self.rng.randrange(0, 24):02d}"
        ext = self.rng.choice((".txt", ".log", ".json", ".csv", ".bin", ".md"))
        return Path(top, middle, f"file-{index:05d}{ext}")


@cache
def _corpus() -> bytes:
    """One text corpus per process (built from a fixed seed): generators differ by where they slice it.

    A quarter of it is generated line by line; the rest are reshuffles of those lines, so that slices of
    the corpus are all different while building it stays cheap.
    """
    rng = random.Random("cbr-tui corpus")
    lines = _build_lines(rng, _CORPUS_SIZE // 4)
    parts = []
    for _ in range(4):
        rng.shuffle(lines)
        parts.append("\n".join(lines))
    return "\n".join(parts).encode()[:_CORPUS_SIZE]


def _build_lines(rng: random.Random, size: int) -> list[str]:
    """Lines like those of real files: logs from message templates, code, and prose whose words follow
    Zipf's law. Like real text they compress about 3-5x with zstd, at its usual speed."""
    lines: list[str] = []
    length = 0
    weights = [1 / (rank + 1) for rank in range(len(_WORDS))]
    clock = rng.randrange(10**9)
    while length < size:
        roll = rng.random()
        if roll < 0.45:
            clock += rng.randrange(1, 5000)
            template = rng.choice(_LOG_TEMPLATES)
            line = f"2026-11-{1 + clock // 86_400_000 % 28:02d}T{clock // 3_600_000 % 24:02d}:" \
                   f"{clock // 60_000 % 60:02d}:{clock // 1000 % 60:02d}.{clock % 1000:03d}Z " + template.format(
                       level=rng.choice(_LEVELS), pid=rng.randrange(1000, 1100), id=rng.getrandbits(32),
                       ip=f"10.0.{rng.randrange(4)}.{rng.randrange(256)}", ms=rng.randrange(1, 900),
                       n=rng.randrange(1, 10_000), word=rng.choices(_WORDS, weights)[0])
        elif roll < 0.75:
            line = rng.choice(_CODE).format(name=rng.choices(_WORDS, weights)[0], n=rng.randrange(100))
        else:
            line = " ".join(rng.choices(_WORDS, weights, k=rng.randrange(6, 18))).capitalize() + "."
        lines.append(line)
        length += len(line) + 1
    return lines


_LOG_TEMPLATES = (
    '{level} nginx[{pid}]: {ip} - - "GET /v3/projects/vaults/{id} HTTP/1.1" 200 {n} "-" "cbr-client/2.5"',
    '{level} nginx[{pid}]: {ip} - - "POST /v3/projects/checkpoints HTTP/1.1" 200 {n} "-" "cbr-client/2.5"',
    "{level} backup-agent[{pid}]: backup {id} progress {n} bytes, {ms} ms since last report",
    "{level} mysqld[{pid}]: Query OK, {n} rows affected ({ms} ms)",
    "{level} systemd[1]: Started session {id} of user {word}.",
    "{level} kernel: EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.",
    "{level} app[{pid}]: request_id={id} user={word} path=/api/orders/{n} status=200 duration_ms={ms}",
    "{level} app[{pid}]: cache miss for key {word}:{n}, loading from database took {ms} ms",
)
_CODE = (
    "    def {name}(self, value: int = {n}) -> None:",
    "        return self._{name}.get(key, default)",
    "    {name} = models.CharField(max_length={n}, blank=True)",
    "        if {name} is None:",
    "            raise ValueError(f\"invalid {name}: {{value!r}}\")",
    "import {name}",
    "for index in range({n}):",
    "    logger.info(\"processing %s\", {name})",
    "}}",
    "",
)


def iter_tree_files(root: Path) -> Iterator[Path]:
    """Regular files under `root`, in a stable order."""
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path

"""The workload generator: realistic, reproducible bytes."""

import zlib
from pathlib import Path

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.workload import MiB, Workload, iter_tree_files

GiB = 1 << 30


def test_text_compresses_like_text_random_does_not_and_blocks_differ() -> None:
    workload = Workload("w")
    text = workload.block("text", MiB)
    assert 2 < len(text) / len(zlib.compress(text, 1)) < 8
    noise = workload.block("random", MiB)
    assert len(zlib.compress(noise, 1)) > 0.99 * MiB
    assert workload.block("zeros", 10) == bytes(10)
    assert workload.block("text", MiB) != text


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        disk = DiskImage.create(tmp_path / f"{name}.img", GiB)
        Workload("same").fill_disk(disk, 8 * MiB)
        digests.append([disk.read(start, end - start) for start, end in disk.data_extents()])
    assert digests[0] == digests[1]


def test_fill_disk_writes_about_the_asked_amount_sparsely(tmp_path: Path) -> None:
    disk = DiskImage.create(tmp_path / "d.img", 40 * GiB)
    written = Workload(1).fill_disk(disk, 24 * MiB, dense_start=True)
    assert written == 24 * MiB
    assert 20 * MiB <= disk.allocated_bytes <= 26 * MiB


def test_damage_changes_written_data(tmp_path: Path) -> None:
    disk = DiskImage.create(tmp_path / "d.img", GiB)
    Workload(1).fill_disk(disk, 8 * MiB)
    before = {start: disk.read(start, end - start) for start, end in disk.data_extents()}
    offsets = Workload(2).damage_disk(disk, blocks=4)
    assert len(offsets) == 4
    after = {start: disk.read(start, end - start) for start, end in disk.data_extents()}
    assert after != before


def test_fill_and_damage_a_tree(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    written = Workload(3).fill_tree(root, 50, 2 * MiB)
    files = list(iter_tree_files(root))
    assert len(files) == 50
    assert sum(f.stat().st_size for f in files) == written
    touched = Workload(4).damage_tree(root, deletions=2, corruptions=3)
    assert len(touched) == 5
    assert len(list(iter_tree_files(root))) == 48

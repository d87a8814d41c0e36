"""The image engine on its own: what it reads, what it stores, and restores that are exact or refused."""

from pathlib import Path

import pytest

from cbr_tui.cloud.disk_image import CHUNK_SIZE, DiskImage
from cbr_tui.cloud.workload import Mix, Workload
from cbr_tui.engine import image, manifest
from cbr_tui.engine.blobs import chunk_key
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.progress import Cancelled, Meter
from cbr_tui.engine.sink import ChunkSink
from tests.data import disk_digest

MiB = 1 << 20
GiB = 1 << 30


class Vault:
    """An object store and an in-memory index standing in for the database side."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects
        self.stored: set[bytes] = set()
        self.damaged: set[bytes] = set()

    def classify(self, hashes):  # type: ignore[no-untyped-def]
        return {h for h in hashes if h in self.stored and h not in self.damaged}, set(hashes) & self.damaged

    def back_up(self, disk: DiskImage, base: manifest.ImageManifest | None = None, *, full: bool = False):  # type: ignore[no-untyped-def]
        frozen = disk.freeze()
        plan = image.plan(disk, frozen, base, full=full)
        meter = Meter(total=plan.bytes_to_read(disk.size))
        with ChunkSink(self.objects, self.classify) as sink:
            result = image.back_up(disk, frozen, plan, sink, meter)
        self.stored |= set(sink.written)
        self.damaged -= set(sink.written)
        disk.complete(frozen)
        return result, plan, meter.done, sink.new_bytes

    def restore(self, result: manifest.ImageManifest, path: Path) -> DiskImage:
        target = DiskImage.create(path, result.disk_size)
        with target.writer() as writer:
            image.restore(self.objects, result, writer, Meter(), target_is_empty=True)
        return target


@pytest.fixture
def vault(object_store: ObjectStore) -> Vault:
    """Each test runs on a directory and on an S3 bucket."""
    return Vault(object_store)


@pytest.fixture
def disk(tmp_path: Path) -> DiskImage:
    created = DiskImage.create(tmp_path / "disk.img", 8 * GiB)
    Workload("disk").fill_disk(created, 24 * MiB, dense_start=True)
    return created


def test_a_full_backup_reads_only_allocated_data_and_skips_zeros(vault: Vault, disk: DiskImage, tmp_path: Path) -> None:
    with disk.writer() as writer:
        writer.write(4 * GiB, bytes(2 * CHUNK_SIZE))  # allocated zeros: read, never stored
    result, plan, read, new = vault.back_up(disk)
    assert not plan.incremental
    assert read <= disk.allocated_bytes + 2 * CHUNK_SIZE
    assert result.chunks[4 * GiB // CHUNK_SIZE] is None
    assert len(result.chunks) == 8 * GiB // CHUNK_SIZE
    assert new < read  # text compresses
    restored = vault.restore(result, tmp_path / "restored.img")
    assert disk_digest(restored.path) == disk_digest(disk.path)
    assert restored.allocated_bytes <= disk.allocated_bytes


def test_an_incremental_backup_reads_only_changed_chunks(vault: Vault, disk: DiskImage, tmp_path: Path) -> None:
    first, *_ = vault.back_up(disk)
    with disk.writer() as writer:
        writer.write(100 * MiB, Workload(9).block("random", 3 * MiB))
    second, plan, read, new = vault.back_up(disk, first)
    assert plan.incremental and read == 3 * MiB
    assert 3 * MiB <= new <= 3 * MiB + 64
    assert vault.restore(second, tmp_path / "r2.img") and disk_digest(tmp_path / "r2.img") == disk_digest(disk.path)
    assert disk_digest(vault.restore(first, tmp_path / "r1.img").path) != disk_digest(disk.path)


def test_untrusted_tracking_reads_everything_but_stores_nothing_old(vault: Vault, disk: DiskImage) -> None:
    first, *_ = vault.back_up(disk)
    disk.distrust()
    _second, plan, read, new = vault.back_up(disk, first)
    assert not plan.incremental and plan.reason == "change tracking cannot be trusted"
    assert read >= 24 * MiB and new == 0


def test_a_base_from_another_generation_is_not_built_on(vault: Vault, disk: DiskImage) -> None:
    first, *_ = vault.back_up(disk)
    vault.back_up(disk, first)  # a later backup the next one does not know about
    _third, plan, *_ = vault.back_up(disk, first)
    assert not plan.incremental and "base" in plan.reason


def test_full_ignores_the_bitmap(vault: Vault, disk: DiskImage) -> None:
    first, *_ = vault.back_up(disk)
    _second, plan, read, new = vault.back_up(disk, first, full=True)
    assert not plan.incremental and read >= 24 * MiB and new == 0


def test_a_damaged_chunk_stops_the_restore_before_its_bytes_are_written(vault: Vault, disk: DiskImage,
                                                                        tmp_path: Path) -> None:
    result, *_ = vault.back_up(disk)
    victim = next(h for h in result.chunks if h is not None)
    key = chunk_key(victim)
    vault.objects.put(key, vault.objects.get(key)[:-10] + b"garbage!!!")
    target = DiskImage.create(tmp_path / "t.img", disk.size)
    with pytest.raises(image.DamagedChunk, match="damaged"), target.replacement() as staged, \
            staged.writer() as writer:
        image.restore(vault.objects, result, writer, Meter(), target_is_empty=True)
    assert target.allocated_bytes == 0  # the disk never saw a byte
    vault.objects.delete(key)
    with pytest.raises(image.DamagedChunk, match="missing"), target.writer() as writer:
        image.restore(vault.objects, result, writer, Meter(), target_is_empty=True)


def test_restoring_over_a_disk_puts_holes_back(vault: Vault, tmp_path: Path) -> None:
    disk = DiskImage.create(tmp_path / "d.img", GiB)
    with disk.writer() as writer:
        writer.write(0, Workload(1).block("random", 4 * MiB))
    result, *_ = vault.back_up(disk)
    with disk.writer() as writer:
        writer.write(512 * MiB, b"x" * MiB)
        writer.write(MiB, bytes(MiB))
    with disk.replacement() as staged, staged.writer() as writer:
        image.restore(vault.objects, result, writer, Meter(), target_is_empty=True)
    assert disk.read(512 * MiB, 4) == bytes(4)
    assert disk_digest(disk.path) == disk_digest(vault.restore(result, tmp_path / "again.img").path)
    assert not disk.bitmap().trusted  # the next backup reads everything


def test_manifests_round_trip_and_damage_is_found(vault: Vault, disk: DiskImage) -> None:
    result, *_ = vault.back_up(disk)
    stored = manifest.save(vault.objects, "b1", result)
    loaded = manifest.load(vault.objects, stored.key, stored.hash)
    assert loaded == result
    with pytest.raises(manifest.DamagedManifest, match="does not match"):
        manifest.load(vault.objects, stored.key, "0" * 64)
    with pytest.raises(manifest.DamagedManifest, match="missing"):
        manifest.load(vault.objects, "manifests/nope", stored.hash)


def test_a_cancelled_backup_stops(vault: Vault, disk: DiskImage) -> None:
    frozen = disk.freeze()
    plan = image.plan(disk, frozen, None, full=False)
    meter = Meter(total=plan.bytes_to_read(disk.size), should_stop=lambda: True)
    with pytest.raises(Cancelled), ChunkSink(vault.objects, vault.classify) as sink:
        image.back_up(disk, frozen, plan, sink, meter)
    disk.abort(frozen)
    assert disk.bitmap().active  # the changes wait for the next backup


def test_an_identical_second_disk_stores_nothing_new(vault: Vault, tmp_path: Path) -> None:
    one = DiskImage.create(tmp_path / "one.img", GiB)
    two = DiskImage.create(tmp_path / "two.img", GiB)
    for target in (one, two):
        Workload("same").fill_disk(target, 16 * MiB, mix=Mix(1, 0, 0))
    vault.back_up(one)
    _result, _plan, read, new = vault.back_up(two)
    assert read >= 16 * MiB and new == 0


@pytest.mark.parametrize("layout", [
    [("d", 0, 1 << 20)],
    [("z", 0, 1 << 20)],
    [("d", 0, 100), ("z", 100, 9000), ("d", 9000, 1 << 20)],
    [("z", 0, 4096), ("d", 4096, 8192), ("z", 8192, 1 << 20)],
    [("d", 0, 4095), ("z", 4095, 8193), ("d", 8193, 1 << 20)],
])
def test_only_aligned_zero_blocks_become_holes(layout: list[tuple[str, int, int]]) -> None:
    raw = bytearray(1 << 20)
    for kind, start, end in layout:
        if kind == "d":
            raw[start:end] = b"\x01" * (end - start)
    runs = image._data_runs(bytes(raw))
    written = bytearray(len(raw))
    for start, end in runs:
        written[start:end] = raw[start:end]
        assert start % 4096 == 0 or start == 0
    assert written == raw  # nothing that is not zero is skipped
    skipped = len(raw) - sum(end - start for start, end in runs)
    aligned_zero = sum(1 for n in range(0, len(raw), 4096) if raw[n : n + 4096] == bytes(4096)) * 4096
    assert skipped == aligned_zero

"""The simulated disk: sparse, every write tracked, bitmap generations that never lose a change."""

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbr_tui.cloud.disk_image import CHUNK_SIZE, DiskImage, chunk_indexes, chunk_span

GiB = 1 << 30


@pytest.fixture
def disk(tmp_path: Path) -> DiskImage:
    return DiskImage.create(tmp_path / "disk.img", 40 * GiB)


def test_a_new_disk_has_its_nominal_size_and_costs_no_space(disk: DiskImage) -> None:
    assert disk.size == 40 * GiB
    assert disk.allocated_bytes == 0
    assert disk.data_extents() == []
    assert disk.bitmap().trusted


def test_writes_are_readable_and_mark_the_chunks_they_touch(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(5 * CHUNK_SIZE + 10, b"x" * (CHUNK_SIZE + 100))
        writer.write(0, b"boot")
    assert disk.read(5 * CHUNK_SIZE + 10, 3) == b"xxx"
    assert disk.read(0, 4) == b"boot"
    assert list(chunk_indexes(disk.bitmap().active)) == [0, 5, 6]
    assert disk.allocated_bytes < 10 * CHUNK_SIZE


def test_data_extents_skip_holes(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"a" * 4096)
        writer.write(20 * GiB, b"b" * 4096)
    extents = disk.data_extents()
    assert len(extents) == 2
    assert extents[0][0] == 0 and extents[1][0] <= 20 * GiB < extents[1][1]


def test_writes_outside_the_disk_are_refused(disk: DiskImage) -> None:
    with pytest.raises(ValueError), disk.writer() as writer:
        writer.write(40 * GiB - 1, b"xy")


def test_freeze_hands_over_changes_and_starts_a_new_generation(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"a")
    frozen = disk.freeze()
    assert list(chunk_indexes(frozen.bits)) == [0] and frozen.trusted
    with disk.writer() as writer:
        writer.write(3 * CHUNK_SIZE, b"b")
    disk.complete(frozen)
    state = disk.bitmap()
    assert list(chunk_indexes(state.active)) == [3]
    assert state.frozen is None and state.generation == frozen.generation


def test_an_aborted_backup_puts_its_changes_back(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"a")
    frozen = disk.freeze()
    with disk.writer() as writer:
        writer.write(7 * CHUNK_SIZE, b"b")
    disk.abort(frozen)
    assert list(chunk_indexes(disk.bitmap().active)) == [0, 7]


def test_a_freeze_after_a_crashed_backup_still_includes_its_changes(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"a")
    disk.freeze()  # the backup process dies without complete() or abort()
    with disk.writer() as writer:
        writer.write(2 * CHUNK_SIZE, b"b")
    assert list(chunk_indexes(disk.freeze().bits)) == [0, 2]


def test_a_write_session_cut_off_leaves_the_bitmap_untrusted(disk: DiskImage) -> None:
    state = disk.bitmap()
    state.writer_open = True  # what a crash in the middle of a session leaves on disk
    disk._save(state)
    frozen = disk.freeze()
    assert not frozen.trusted
    disk.complete(frozen)
    assert disk.bitmap().trusted


def test_a_lost_bitmap_is_untrusted(disk: DiskImage) -> None:
    os.unlink(disk.state_path)
    assert not disk.freeze().trusted


def test_an_image_left_by_a_lost_database_is_kept_and_read_whole_next_time(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"kept")
    adopted = DiskImage.adopt(disk.path, 40 * GiB)
    assert adopted.read(0, 4) == b"kept" and not adopted.freeze().trusted
    resized = DiskImage.adopt(disk.path, 20 * GiB)  # another size: set aside, never deleted
    assert resized.size == 20 * GiB and resized.data_extents() == []
    [aside] = disk.path.parent.glob("disk.img.set-aside-*")
    assert DiskImage(aside).read(0, 4) == b"kept"


def test_discard_punches_a_hole_and_marks_the_chunk(disk: DiskImage) -> None:
    with disk.writer() as writer:
        writer.write(0, b"z" * (2 * CHUNK_SIZE))
    disk.complete(disk.freeze())
    with disk.writer() as writer:
        writer.discard(0, CHUNK_SIZE)
    assert disk.read(0, 16) == bytes(16)
    assert list(chunk_indexes(disk.bitmap().active)) == [0]
    assert disk.allocated_bytes <= CHUNK_SIZE + 4096


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1 << 40), st.integers(0, 8 * CHUNK_SIZE))
def test_chunk_span_covers_exactly_the_touched_chunks(offset: int, length: int) -> None:
    indexes = list(chunk_indexes(chunk_span(offset, length)))
    if length == 0:
        assert indexes == []
    else:
        assert indexes == list(range(offset // CHUNK_SIZE, (offset + length - 1) // CHUNK_SIZE + 1))

"""The file-tree engine on its own."""

import os
from pathlib import Path

import pytest

from cbr_tui.cloud.workload import Workload
from cbr_tui.engine import tree
from cbr_tui.engine.manifest import TreeEntry, TreeManifest
from tests.data import tree_digest
from tests.engine.conftest import MiB, TreeVault


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    Workload("tree").fill_tree(root, 120, 3 * MiB)
    big = root / "big.bin"
    big.write_bytes(Workload("big").block("random", 5 * MiB))
    os.chmod(root / "docs", 0o750)
    os.symlink("big.bin", root / "link-to-big")
    (root / "empty-dir").mkdir()
    return root


def test_a_tree_restores_exactly(tree_vault: TreeVault, source: Path, tmp_path: Path) -> None:
    result, _plan, _sink = tree_vault.back_up(source)
    big = next(e for e in result.entries if e.path == "big.bin")
    assert len(big.chunks) > 1  # cut by FastCDC
    assert len(list(tree_vault.objects.list("packs"))) < 20  # small files share packs
    tree_vault.restore(result, tmp_path / "copy")
    assert tree_digest(tmp_path / "copy") == tree_digest(source)


def test_unchanged_files_are_not_read_again(tree_vault: TreeVault, source: Path) -> None:
    first, *_ = tree_vault.back_up(source)
    (source / "new.txt").write_text("hello")
    second, plan, sink = tree_vault.back_up(source, first)
    assert plan.bytes_to_read == 5 and len(plan.to_read) == 1
    assert sink.new_bytes < 100
    assert second.referenced() >= first.referenced()
    _third, full_plan, full_sink = tree_vault.back_up(source, second, full=True)
    assert full_plan.bytes_to_read > 8 * MiB and full_sink.new_bytes == 0


def test_an_insertion_in_a_large_file_stores_little(tree_vault: TreeVault, source: Path) -> None:
    first, *_ = tree_vault.back_up(source)
    data = (source / "big.bin").read_bytes()
    (source / "big.bin").write_bytes(data[:1000] + b"inserted" + data[1000:])
    _second, _plan, sink = tree_vault.back_up(source, first)
    assert sink.new_bytes < 4 * MiB  # only the chunks around the insertion, not the whole 5 MiB


def test_restore_onto_the_original_repairs_damage(tree_vault: TreeVault, source: Path) -> None:
    result, *_ = tree_vault.back_up(source)
    before = tree_digest(source)
    Workload("damage").damage_tree(source, deletions=3, corruptions=3)
    assert tree_digest(source) != before
    tree_vault.restore(result, source)
    assert tree_digest(source) == before


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../b", "", "a//b"])
def test_entries_outside_the_target_are_refused(tree_vault: TreeVault, tmp_path: Path, path: str) -> None:
    bad = TreeManifest("/src", [TreeEntry(path, "file", 0o644, 0, 0)])
    with pytest.raises(tree.UnsafePath):
        tree_vault.restore(bad, tmp_path / "target")
    assert not (tmp_path / "escape.txt").exists()


def test_a_symlink_cannot_lead_a_restore_outside(tree_vault: TreeVault, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    evil = TreeManifest("/src", [TreeEntry("link", "symlink", 0, 0, target=str(outside)),
                                 TreeEntry("link/owned.txt", "file", 0o644, 0, 0)])
    with pytest.raises(tree.UnsafePath):
        tree_vault.restore(evil, tmp_path / "target")
    assert list(outside.iterdir()) == []


def test_a_damaged_blob_leaves_the_file_as_it_was(tree_vault: TreeVault, source: Path, tmp_path: Path) -> None:
    result, *_ = tree_vault.back_up(source)
    entry = next(e for e in result.entries if e.kind == "file" and e.size > 100)
    where = tree_vault.locations[entry.chunks[0]]
    data = bytearray(tree_vault.objects.get(where.object_key))
    data[where.offset + where.length - 1] ^= 0xFF
    tree_vault.objects.put(where.object_key, bytes(data))
    target = source / entry.path
    before = target.read_bytes()
    target.write_bytes(b"current content")
    with pytest.raises(tree.DamagedFile, match=entry.path):
        tree_vault.restore(result, source)
    assert target.read_bytes() == b"current content"
    assert before != b"current content"


def test_a_large_file_is_streamed_with_bounded_memory(tree_vault: TreeVault, tmp_path: Path) -> None:
    import tracemalloc

    root = tmp_path / "big-tree"
    root.mkdir()
    with open(root / "sparse.img", "wb") as handle:
        handle.truncate(512 * MiB)
        handle.seek(100 * MiB)
        handle.write(Workload("x").block("random", 2 * MiB))
    tracemalloc.start()
    result, _plan, _sink = tree_vault.back_up(root)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 96 * MiB
    tree_vault.restore(result, tmp_path / "copy")
    assert tree_digest(tmp_path / "copy") == tree_digest(root)

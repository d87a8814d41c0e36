"""A Multi-AZ vault's two copies: a blob is read from whichever zone holds it whole, and a repair replaces a
damaged copy from the other zone, never from a copy damaged too (on S3 buckets: tests/jobs/test_multi_az.py)."""

from pathlib import Path

import pytest

from cbr_tui.engine.mirror import MirroredObjectStore, Zone, listing
from cbr_tui.engine.objects import LocalObjectStore
from cbr_tui.engine.s3 import ObjectStoreUnavailable
from cbr_tui.engine.tree import DamagedFile
from tests.engine.conftest import TreeVault


@pytest.fixture
def mirror(tmp_path: Path) -> MirroredObjectStore:
    return MirroredObjectStore(Zone("az-a", LocalObjectStore(tmp_path / "a")),
                               Zone("az-b", LocalObjectStore(tmp_path / "b")))


def damage(store: LocalObjectStore, key: str, flip: int = 0xFF) -> None:
    """Flip bits of 64 bytes in the middle of an object, keeping its size (a listing cannot tell)."""
    path = store.root / key
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ flip for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def test_a_tree_restores_from_the_other_zone_when_one_copy_is_damaged(tmp_path: Path,
                                                                     mirror: MirroredObjectStore) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for i in range(3):
        (source / f"file-{i}.bin").write_bytes(bytes([i]) * 3 + b"".join(
            (n * 7919 + i).to_bytes(4, "little") for n in range(200_000)))
    vault = TreeVault(mirror)
    backed_up, _plan, _sink = vault.back_up(source)
    packs = sorted({where.object_key for where in vault.locations.values()})
    first, second = (zone.objects for zone in mirror.zones)
    assert isinstance(first, LocalObjectStore) and isinstance(second, LocalObjectStore)
    for key in packs:
        damage(first, key)
    assert mirror.differences() == {"az-a": [], "az-b": []}  # same sizes: only reading the data tells

    vault.restore(backed_up, tmp_path / "restored")
    for path in source.iterdir():
        assert (tmp_path / "restored" / path.name).read_bytes() == path.read_bytes()

    damage(second, packs[0], flip=0x0F)  # the same blob damaged in both zones: nothing to read it from
    with pytest.raises(DamagedFile, match=r"file-\d\.bin: "):
        vault.restore(backed_up, tmp_path / "again")
    repaired = mirror.repair({"az-a": packs, "az-b": [packs[0]]})
    assert repaired.unrecoverable == [packs[0]]  # damaged in both zones: nothing whole to copy from
    assert repaired.copied == {"az-a": len(packs) - 1, "az-b": 0}
    assert [first.get(key) == second.get(key) for key in packs] == [False] + [True] * (len(packs) - 1)


class Silent(LocalObjectStore):
    """A zone whose store does not answer (its server is down)."""

    def _path(self, key: str) -> Path:
        raise ObjectStoreUnavailable(f"the store of {self.root.name} did not answer")


def test_with_a_zone_silent_what_the_other_lacks_is_unreachable_not_missing(tmp_path: Path) -> None:
    """The silent zone may hold it whole: a restore must not call it missing (nor mark a backup damaged)."""
    up = LocalObjectStore(tmp_path / "up")
    up.put("chunks/ab/here", b"here")
    mirror = MirroredObjectStore(Zone("az-a", Silent(tmp_path / "down")), Zone("az-b", up))
    assert mirror.get("chunks/ab/here") == b"here" and mirror.size("chunks/ab/here") == 4
    for read in (lambda: mirror.get("chunks/ab/elsewhere"), lambda: mirror.size("chunks/ab/elsewhere")):
        with pytest.raises(ObjectStoreUnavailable, match="down did not answer"):
            read()
    assert [key for key, _size, _modified in listing(mirror, "chunks/")] == ["chunks/ab/here"]  # reads go on
    with pytest.raises(ObjectStoreUnavailable):
        list(mirror.list("chunks/"))  # what deletes from a listing needs both zones


def test_gc_deletes_nothing_while_a_zone_is_silent(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from cbr_tui.engine import gc

    up = LocalObjectStore(tmp_path / "up")
    up.put("chunks/ab/orphan", b"left by a crashed backup")
    mirror = MirroredObjectStore(Zone("az-a", Silent(tmp_path / "down")), Zone("az-b", up))
    with pytest.raises(ObjectStoreUnavailable):
        gc.collect(None, mirror, "vault-1", datetime.now(UTC))  # type: ignore[arg-type]  # no row is touched
    assert up.exists("chunks/ab/orphan")

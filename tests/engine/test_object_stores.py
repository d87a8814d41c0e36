"""The object store contract, on a directory and on a real S3 server: what the engine relies on."""

from pathlib import Path

import pytest

from cbr_tui.engine.locks import FileLocks
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.s3 import ObjectStoreUnavailable, S3ObjectStore


def test_objects_are_written_read_by_range_listed_and_deleted(object_store: ObjectStore) -> None:
    data = bytes(range(256)) * 64
    object_store.put("chunks/ab/abcd", data)
    object_store.put_durably("manifests/m1", b"manifest")
    object_store.sync()
    assert object_store.get("chunks/ab/abcd") == data
    assert object_store.get("chunks/ab/abcd", 100, 50) == data[100:150]
    assert object_store.get("chunks/ab/abcd", 16000) == data[16000:]
    assert object_store.get("chunks/ab/abcd", 10, 0) == b""
    assert (object_store.size("chunks/ab/abcd"), object_store.exists("chunks/ab/abcd")) == (len(data), True)
    assert (object_store.size("chunks/ab/none"), object_store.exists("chunks/ab/none")) == (None, False)
    listed = {key: size for key, size, _modified in object_store.list()}
    assert listed == {"chunks/ab/abcd": len(data), "manifests/m1": 8}
    assert [key for key, _size, _modified in object_store.list("manifests/")] == ["manifests/m1"]
    object_store.put("chunks/ab/abcd", b"replaced")
    assert object_store.get("chunks/ab/abcd") == b"replaced"
    object_store.delete("chunks/ab/abcd")
    object_store.delete("chunks/ab/abcd")  # deleting what is gone is not an error
    with pytest.raises(FileNotFoundError):
        object_store.get("chunks/ab/abcd")
    object_store.remove_all()
    assert list(object_store.list()) == []


def test_a_key_cannot_leave_the_vault(object_store: ObjectStore) -> None:
    for key in ("/etc/passwd", "chunks/../../other-vault/manifests/m1"):
        with pytest.raises(ValueError, match="leaves the store"):
            object_store.put(key, b"x")


def test_the_vault_lock_is_shared_or_exclusive(object_store: ObjectStore) -> None:
    with object_store.lock(exclusive=False) as shared:
        assert shared
        with object_store.lock(exclusive=True, wait=False) as alone:
            assert not alone, "garbage collection cannot run beside a backup"
    with object_store.lock(exclusive=True, wait=False) as alone:
        assert alone


def test_a_store_that_does_not_answer_is_named_in_the_error(tmp_path: Path) -> None:
    from cbr_tui.engine.s3 import S3Location
    from tests.s3server import free_ports

    [port] = free_ports(1)
    silent = S3ObjectStore(S3Location(endpoint=f"http://127.0.0.1:{port}", bucket="cbr-az1", access_key="k",
                                      secret_key="s"), "vaults/v1", FileLocks(tmp_path))
    with pytest.raises(ObjectStoreUnavailable, match=f"cbr-az1 at http://127.0.0.1:{port} did not answer"):
        silent.put("chunks/ab/abcd", b"x")

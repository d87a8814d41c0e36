"""Encrypted disks give encrypted backups: sealed with a vault data key that the KMS wraps, deduplicated only
under the same key, restored byte for byte, and refused clearly when the key is gone."""

from pathlib import Path

import pytest
from sqlmodel import select

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.engine.blobs import SEALED, Codec, DamagedBlob, DataKey, MissingKey, blob_hash
from cbr_tui.services.console import Console
from cbr_tui.store.models import Chunk
from tests.data import disk_digest, disk_path, resource_digest
from tests.jobs.helpers import back_up, run
from tests.services.helpers import buy


@pytest.fixture
def console(sqlite_console: Console) -> Console:
    return sqlite_console


def stored_objects(console: Console, vault_id: str, prefix: str = "chunks/") -> list[Path]:
    root = console.ctx.placement.local_store(vault_id).root
    return [path for path in (root / prefix).rglob("*") if path.is_file()]


def chunk_hashes(console: Console, vault_id: str) -> set[bytes]:
    with console.ctx.store.read() as session:
        return {c.hash for c in session.exec(select(Chunk).where(Chunk.vault_id == vault_id))}


def test_a_sealed_blob_opens_only_with_its_key_and_ids_depend_on_the_key() -> None:
    key, other = DataKey(b"k" * 16, b"s" * 32), DataKey(b"o" * 16, b"t" * 32)
    raw = b"payroll 2026 " * 1000
    assert len({blob_hash(raw), blob_hash(raw, key), blob_hash(raw, other)}) == 3
    sealed = Codec().encode(raw, key)
    assert sealed[0] == SEALED and b"payroll" not in sealed
    assert Codec({key.id: key}).decode(sealed, blob_hash(raw, key), len(raw)) == raw
    with pytest.raises(MissingKey, match="cannot be opened"):
        Codec().decode(sealed, blob_hash(raw, key), len(raw))
    tampered = bytearray(sealed)
    tampered[-5] ^= 1
    with pytest.raises(DamagedBlob, match="authentication"):
        Codec({key.id: key}).decode(bytes(tampered), blob_hash(raw, key), len(raw))
    with pytest.raises(DamagedBlob):  # a sealed blob moved under another blob's ID fails too
        Codec({key.id: key}).decode(sealed, blob_hash(b"other", key), len(raw))


def test_the_backup_of_an_encrypted_disk_is_sealed_and_restores_exactly(console: Console) -> None:
    secure = console.resources.show("evs-secure-01")
    assert secure.encrypted and secure.metadata["__system__cmkid"]
    console.resources.write_data("evs-secure-01", 4, seed="secret", pattern="random")
    buy(console, ObjectType.DISK, resources=("evs-secure-01",), name="vault-secure")
    backup = back_up(console, "vault-secure")[0]
    assert backup.status == "available", backup.extend_info.fail_reason
    assert backup.extend_info.encrypted
    assert backup.extend_info.kms_key_id == secure.metadata["__system__cmkid"]
    vault_id = backup.vault_id
    # Every chunk is sealed, no clear 64-byte run of the disk is in the vault, and the data key is wrapped.
    image = DiskImage(disk_path(console, secure.id))
    start, _end = next(iter(image.data_extents()))
    sample = image.read(start, 1 << 16).lstrip(b"\0")[:64]
    assert len(sample) == 64
    chunks = stored_objects(console, vault_id)
    assert chunks and all(path.read_bytes()[0] == SEALED for path in chunks)
    assert not any(sample in path.read_bytes() for path in chunks)
    assert len(stored_objects(console, vault_id, "keys/")) == 1
    for path in stored_objects(console, vault_id) + stored_objects(console, vault_id, "keys/"):
        assert path.stat().st_mode & 0o077 == 0
    good = resource_digest(console, "evs-secure-01")
    console.resources.damage_data("evs-secure-01", seed="oops")
    assert run(console, console.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(console, "evs-secure-01") == good
    verified = console.maintenance.verify("vault-secure", read_share=1.0).verify
    assert verified.clean and verified.blobs_checked == len(chunks)


def test_equal_data_deduplicates_under_the_same_key_only(console: Console) -> None:
    console.resources.create_disk("evs-secure-02", 20, encrypted=True)
    for disk in ("evs-data-01", "evs-secure-01", "evs-secure-02"):
        console.resources.write_data(disk, 3, seed="same", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01", "evs-secure-01", "evs-secure-02"),
                name="vault-mixed")
    backups = {b.resource_name: b for b in back_up(console, "vault-mixed")}
    assert not backups["evs-data-01"].extend_info.encrypted
    assert backups["evs-secure-01"].extend_info.encrypted and backups["evs-secure-02"].extend_info.encrypted
    # the same bytes: stored once in clear and once sealed, never shared between the two
    stored = {name: b.stats.new_bytes for name, b in backups.items()}
    assert stored["evs-data-01"] > 3 << 20 and stored["evs-secure-01"] + stored["evs-secure-02"] > 3 << 20
    assert min(stored["evs-secure-01"], stored["evs-secure-02"]) == 0
    assert len(chunk_hashes(console, vault.id)) == 2 * 3
    # an incremental backup of the encrypted disk stays sealed and reads only what changed
    console.resources.write_data("evs-secure-01", 1, seed="more", pattern="random")
    again = {b.resource_name: b for b in back_up(console, "vault-mixed")}["evs-secure-01"]
    assert again.incremental and again.stats.read_bytes <= 2 << 20


def test_a_backup_whose_kms_key_is_gone_fails_to_restore_with_a_clear_error(console: Console) -> None:
    console.resources.write_data("evs-secure-01", 2, seed="secret")
    buy(console, ObjectType.DISK, resources=("evs-secure-01",), name="vault-secure")
    backup = back_up(console, "vault-secure")[0]
    before = resource_digest(console, "evs-secure-01")
    kms_file = KeyManagement(console.ctx.layout.home).root / f"{backup.extend_info.kms_key_id}.json"
    saved = kms_file.read_bytes()
    kms_file.unlink()
    task = run(console, console.restores.restore_disk(backup.id))
    assert task.status == "failed"
    assert task.error_info.code == Codes.ENCRYPTION_KEY_NOT_FOUND.code
    assert "KMS key" in task.error_info.message and "does not exist" in task.error_info.message
    assert resource_digest(console, "evs-secure-01") == before  # nothing written
    report = console.maintenance.verify("vault-secure", read_share=1.0).verify
    assert not report.clean and report.blobs_with_unavailable_keys and report.damaged_blobs == []
    assert not console.backups.show(backup.id).extend_info.damaged
    kms_file.write_bytes(saved)
    assert run(console, console.restores.restore_disk(backup.id)).status == "success"


def test_an_encrypted_server_backup_replicates_with_its_keys_and_restores_there(console: Console) -> None:
    from tests.jobs.test_replication import DESTINATION, replicate, replication_vault

    console.resources.write_data("ecs-db-01", 3, seed="db", pattern="random")
    buy(console, size_gb=1000, resources=("ecs-db-01",), name="vault-db")
    backup = back_up(console, "vault-db")[0]
    assert backup.extend_info.encrypted
    replication_vault(console, size_gb=1000)
    queued = replicate(console, backup.id, name="db-copy")
    assert run(console, queued.replication_record_id).status == "success"
    there = console.in_region(DESTINATION)
    replica = there.backups.show(queued.destination_backup_id)
    sealed = next(c for c in replica.children if c.extend_info.encrypted)
    assert sealed.extend_info.kms_key_id
    assert run(there, there.restores.create_disk(sealed.id, "evs-db-copy")).status == "success"
    source = disk_path(console, sealed.resource_id)
    assert disk_digest(disk_path(there, "evs-db-copy"), with_size=False) == disk_digest(source, with_size=False)
    assert there.maintenance.verify("vault-dr", read_share=1.0).verify.clean

"""The vault describes itself: with the database deleted, `vault recover --all` gets every vault and backup
back from the object stores, with the same names and IDs, and every backup restores byte for byte."""

from pathlib import Path

import pytest

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services.console import Console, open_console
from tests.data import disk_digest, disk_path, tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents, run
from tests.services.helpers import buy, refused


def listing(console: Console) -> dict[str, object]:
    vaults = {v.id: v.name for region in ("cn-north-4",) for v in console.in_region(region).vaults.list(
        limit=1000).vaults}
    backups = {b.id: (b.name, b.vault_id) for b in console.backups.list(limit=1000).backups}
    return {"vaults": vaults, "backups": backups}


def test_every_vault_and_backup_comes_back_from_the_object_stores(sqlite_console: Console, tmp_path: Path,
                                                                    clock: FixedClock) -> None:
    console = sqlite_console
    console.resources.write_data("ecs-web-01", 3, seed="web", pattern="random")
    console.resources.write_data("evs-secure-01", 2, seed="secret", pattern="random")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    buy(console, ObjectType.DISK, resources=("evs-secure-01",), name="vault-secure")
    documents = laptop_with_documents(console, tmp_path)
    server = back_up(console, "vault-web")[0]
    secure = back_up(console, "vault-secure")[0]
    files = console.backups.perform_for_client("laptop-01").checkpoint.backups[0]
    console.run_tasks()
    deleted = back_up(console, "vault-web")[0]
    console.backups.delete(deleted.id)  # a deleted backup must stay deleted
    expected = {"web": [disk_digest(disk_path(console, c.resource_id), with_size=False)
                        for c in server.children],
                "secure": disk_digest(disk_path(console, "evs-secure-01"), with_size=False),
                "files": tree_digest(documents)}
    before = listing(console)
    settings = console.settings
    console.close()
    for path in Path(settings.home).glob("cbr.db*"):
        path.unlink()

    reopened = open_console(settings, clock=clock, ids=SeededIds(8))
    try:
        assert not set(before["vaults"]) & set(listing(reopened)["vaults"])
        refused(Codes.VAULT_NOT_FOUND, lambda: reopened.recovery.recover("vault-none"))
        refused(Codes.INVALID_PARAMETER, lambda: reopened.recovery.recover())
        result = reopened.recovery.recover(everything=True).recovered
        assert all(r.recovered for r in result), result
        assert listing(reopened) == before
        assert deleted.id not in listing(reopened)["backups"]
        for name in ("vault-web", "vault-secure", "vault-files"):
            assert reopened.maintenance.audit(name).audit.clean
            assert reopened.maintenance.verify(name, read_share=1.0).verify.clean
        # every backup restores exactly
        for child, digest in zip(server.children, expected["web"], strict=True):
            made = run(reopened, reopened.restores.create_disk(child.id, f"web-{child.resource_name}"))
            assert made.status == "success", made
            assert disk_digest(disk_path(reopened, f"web-{child.resource_name}"), with_size=False) == digest
        assert run(reopened, reopened.restores.create_disk(secure.id, "secure-copy")).status == "success"
        assert disk_digest(disk_path(reopened, "secure-copy"), with_size=False) == expected["secure"]
        target = tmp_path / "restored"
        assert run(reopened, reopened.restores.restore_files(files.id, str(target))).status == "success"
        assert tree_digest(target / documents.relative_to("/")) == expected["files"]
        # recovering again finds nothing more to bring back
        again = reopened.recovery.recover(everything=True).recovered
        assert all(not r.vault_recovered and not r.backups_recovered and not r.blobs_indexed
                   for r in again)
    finally:
        reopened.close()


@pytest.mark.parametrize("damage", ["vault record", "manifest"])
def test_a_damaged_record_or_manifest_is_reported_not_recovered(sqlite_console: Console, clock: FixedClock,
                                                                damage: str) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 1, seed="d")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disk")
    backup = back_up(console, "vault-disk")[0]
    root = Path(console.settings.home) / "vaults" / vault.id
    settings = console.settings
    console.close()
    for path in Path(settings.home).glob("cbr.db*"):
        path.unlink()
    damaged = root / ("catalog/vault" if damage == "vault record" else f"manifests/{backup.id}")
    damaged.write_bytes(b"\x00" * 64)
    reopened = open_console(settings, clock=clock, ids=SeededIds(8))
    try:
        [result] = [r for r in reopened.recovery.recover(everything=True).recovered
                    if vault.id in (r.vault_id, r.store)]
        assert not result.recovered if damage == "vault record" else result.backups_skipped
        if damage == "manifest":
            assert backup.id in result.backups_skipped
        assert damaged.read_bytes() == b"\x00" * 64  # recovery changes nothing in the store
    finally:
        reopened.close()

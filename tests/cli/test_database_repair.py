"""One zeroed page in the SQLite file: every command says so and names the way back, and `database repair`
brings the vaults and backups back (from the readable rows and the vaults' object stores), restorable."""

import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import ok, run
from tests.data import disk_digest


def zero_root_page(database: Path, table: str) -> None:
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages are in the file, not the WAL
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    [root] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    connection.close()
    with open(database, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes(page_size))


@pytest.mark.parametrize("table", ["backup", "account"])
def test_a_zeroed_page_is_reported_and_repaired(cli_home: Path, capsys: pytest.CaptureFixture[str],
                                                table: str) -> None:
    ok(capsys, "resource", "write", "evs-data-01", "--mb", "2", "--seed", "a", "--pattern", "random")
    vault = ok(capsys, "vault", "create", "--type", "disk", "--size", "50", "--name", "vault-disk",
               "--resource", "evs-data-01")["vault"]
    [backup] = ok(capsys, "backup", "create", "vault-disk", "--wait")["checkpoint"]["backups"]
    written = ok(capsys, "resource", "show", "evs-data-01")["resource"]
    disks = cli_home / "cloud" / "cn-north-4" / "disks"
    expected = disk_digest(disks / f"{written['id']}.img", with_size=False)
    zero_root_page(cli_home / "cbr.db", table)

    code, refused = run(capsys, "backup", "list")
    assert code == 1 and refused["error_code"] == "BackupService.9910"
    assert "is damaged" in refused["error_msg"] and "cbr-tui database repair" in refused["error_msg"]

    repaired = ok(capsys, "database", "repair")
    assert Path(repaired["database"]["damaged_copy"]).exists()  # set aside, never deleted
    assert not repaired["database"]["tables"][table]["read_whole"]
    assert [v["name"] for v in ok(capsys, "vault", "list")["vaults"]] == ["vault-disk"]
    shown = ok(capsys, "backup", "show", backup["id"])["backup"]
    assert shown["vault_id"] == vault["id"] and shown["status"] == "available"
    assert ok(capsys, "vault", "audit", "vault-disk")["audit"]["clean"]
    task = ok(capsys, "restore", "new-disk", backup["id"], "evs-restored", "--wait")
    assert task["operation_log"]["status"] == "success"
    restored = ok(capsys, "resource", "show", "evs-restored")["resource"]
    assert disk_digest(disks / f"{restored['id']}.img", with_size=False) == expected
    code, again = run(capsys, "database", "repair")
    assert code == 1 and "passes SQLite's integrity check" in again["error_msg"]

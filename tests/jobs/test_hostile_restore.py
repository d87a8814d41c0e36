"""The reported escape: `restore files --to DIR` where DIR already held a link (DIR/tmp -> elsewhere) wrote
the whole tree elsewhere and reported success. Now the task fails, says why, and nothing outside changes."""

import os
import socket
import stat
from pathlib import Path

import pytest

from cbr_tui.domain.errors import Codes
from cbr_tui.services import restores
from cbr_tui.services.console import Console
from tests.data import tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents, run
from tests.services.helpers import refused


def test_a_link_in_the_destination_stops_the_restore(sqlite_console: Console, tmp_path: Path) -> None:
    console = sqlite_console  # the restore path is the engine's: one store is enough
    documents = laptop_with_documents(console, tmp_path)
    backup = back_up(console, "vault-files")[0]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.txt").write_text("kept")
    destination = tmp_path / "restored"
    destination.mkdir()
    first = documents.parts[1]  # the tree goes to DIR/<its original path>
    os.symlink(str(elsewhere), destination / first)
    before = tree_digest(elsewhere)
    task = run(console, console.restores.restore_files(backup.id, str(destination)))
    assert task.status == "failed"
    assert f"{destination / first} is a symbolic link" in task.error_info.message
    assert tree_digest(elsewhere) == before


def test_a_client_backup_with_names_that_are_not_utf8_restores_them(sqlite_console: Console,
                                                                   tmp_path: Path) -> None:
    console = sqlite_console  # the restore path is the engine's: one store is enough
    documents = laptop_with_documents(console, tmp_path)
    legacy = os.path.join(os.fsencode(documents), b"r\xe9sum\xe9.doc")
    with open(legacy, "wb") as handle:
        handle.write(b"from an old system")
    good = tree_digest(documents)
    backup = back_up(console, "vault-files")[0]
    assert backup.status == "available"
    elsewhere = tmp_path / "restored"
    assert run(console, console.restores.restore_files(backup.id, str(elsewhere))).status == "success"
    restored = elsewhere.joinpath(*documents.parts[1:])
    assert tree_digest(restored) == good
    with open(os.path.join(os.fsencode(restored), b"r\xe9sum\xe9.doc"), "rb") as handle:
        assert handle.read() == b"from an old system"


def test_a_restore_names_what_it_could_not_make(sqlite_console: Console, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    console = sqlite_console  # the restore path is the engine's: one store is enough
    documents = laptop_with_documents(console, tmp_path)
    os.mkfifo(documents / "pipe")
    monkeypatch.chdir(documents)
    listening = socket.socket(socket.AF_UNIX)
    listening.bind("agent.sock")
    try:
        backup = back_up(console, "vault-files")[0]
    finally:
        listening.close()
    elsewhere = tmp_path / "restored"
    task = run(console, console.restores.restore_files(backup.id, str(elsewhere)))
    assert task.status == "success"
    assert task.extra_info.restore.not_restored == ["agent.sock (socket)"]
    assert stat.S_ISFIFO(elsewhere.joinpath(*documents.parts[1:], "pipe").lstat().st_mode)


def test_giving_owners_back_is_refused_to_a_restore_not_run_as_root(sqlite_console: Console,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(restores.os, "geteuid", lambda: 1000)
    error = refused(Codes.INVALID_PARAMETER,
                    lambda: sqlite_console.restores.restore_files("any-backup", "/tmp/x", keep_owners=True))
    assert "Only a restore run as root" in error.message and "uid 1000" in error.message

"""The reported escape: `restore files --to DIR` where DIR already held a link (DIR/tmp -> elsewhere) wrote
the whole tree elsewhere and reported success. Now the task fails, says why, and nothing outside changes."""

import os
from pathlib import Path

from cbr_tui.services.console import Console
from tests.data import tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents, run


def test_a_link_in_the_destination_stops_the_restore(console: Console, tmp_path: Path) -> None:
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
    task = run(console, console.restores.restore_files(backup["id"], str(destination)))
    assert task["status"] == "failed"
    assert f"{destination / first} is a symbolic link" in task["error_info"]["message"]
    assert tree_digest(elsewhere) == before

"""Unregistering a backup client (UnregisterAgent): the client and every backup it made go, in one
transaction, and the vault's capacity with them; the host's own files stay."""

from datetime import timedelta
from pathlib import Path

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from tests.data import tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents
from tests.services.helpers import refused


def test_the_client_and_its_backups_go_and_its_files_stay(console: Console, tmp_path: Path,
                                                           clock: FixedClock) -> None:
    documents = laptop_with_documents(console, tmp_path)
    before = tree_digest(documents)
    back_up(console, "vault-files", resources=["laptop-01"])
    back_up(console, "vault-files", resources=["laptop-01"])
    console.backups.perform("vault-files", resources=["laptop-01"])  # waiting to run
    refused(Codes.BACKUP_IN_PROGRESS, lambda: console.associations.unregister_client("laptop-01"))
    console.run_tasks()

    gone = console.associations.unregister_client("laptop-01")
    assert gone.deleted_backups == 3
    refused(Codes.RESOURCE_NOT_FOUND, lambda: console.resources.show("laptop-01"))
    assert console.backups.list(vault="vault-files").count == 0
    assert console.maintenance.audit("vault-files").audit.clean
    clock.advance(timedelta(minutes=1))
    assert console.maintenance.collect_garbage("vault-files", grace_minutes=0, wait=True).gc.deleted_bytes > 0
    assert tree_digest(documents) == before

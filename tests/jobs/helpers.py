"""Performing backups and restores through the services and the runner, as the console does."""

from pathlib import Path
from typing import Any

from sqlmodel import select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.services.console import Console
from cbr_tui.services.vaults import VaultSpec
from cbr_tui.services.views import BackupView, TaskAnswer, TaskView
from cbr_tui.store.models import Chunk, Vault


def back_up(console: Console, vault: str, **options: Any) -> list[BackupView]:
    """Perform Backup, let the runner copy the data, return the backups as they ended."""
    checkpoint = console.backups.perform(vault, **options).checkpoint
    console.run_tasks()
    return [console.backups.show(b.id) for b in checkpoint.backups]


def run(console: Console, queued: TaskAnswer | str) -> TaskView:
    """Run a queued restore (or the task of this ID) and return its task as it ended."""
    task_id = queued if isinstance(queued, str) else queued.operation_log.id
    console.run_tasks({task_id})
    return console.tasks.show(task_id)


def vault_objects(console: Console, vault_id: str) -> ObjectStore:
    """The vault's store, as the services and the runner reach it."""
    with console.ctx.store.read() as session:
        vault = session.get(Vault, vault_id)
        assert vault is not None
        return console.ctx.objects(vault)


def damage_one_chunk(console: Console, vault_id: str) -> None:
    """Flip a byte in the middle of one stored object of the vault (what a failing disk does)."""
    with console.ctx.store.read() as session:
        row = session.exec(select(Chunk).where(Chunk.vault_id == vault_id)).first()
    assert row is not None
    path = console.ctx.placement.local_store(vault_id).root / row.object_key
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def laptop_with_documents(console: Console, tmp_path: Path) -> Path:
    """A backup client laptop-01 backing up a documents directory holding 2 MB, configured with a new file
    backup vault vault-files; returns the directory."""
    documents = tmp_path / "documents"
    documents.mkdir()
    console.resources.register_agent("laptop-01", [str(documents)])
    console.resources.write_data("laptop-01", 2, seed="docs")
    vault = console.vaults.create(VaultSpec(object_type=ObjectType.FILE, size_gb=1024, name="vault-files")).vault
    console.associations.configure_client("laptop-01", vault.id)
    return documents

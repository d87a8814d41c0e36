"""Small helpers for service tests."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from cbr_tui.domain.enums import BackupStatus, ObjectType
from cbr_tui.domain.errors import CbrError, ErrorSpec
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.services.vaults import VaultSpec
from cbr_tui.services.views import VaultView
from cbr_tui.store.models import Backup, Task, Vault, VaultResource


def refused(spec: ErrorSpec, call: Callable[[], Any], match: str | None = None) -> CbrError:
    """Assert the call is refused with this error code (and message text)."""
    with pytest.raises(CbrError) as caught:
        call()
    assert caught.value.code == spec.code, caught.value.message
    if match:
        assert match in caught.value.message
    return caught.value


def buy(console: Console, object_type: ObjectType = ObjectType.SERVER, size_gb: int = 500,
        resources: tuple[str, ...] = (), **fields: Any) -> VaultView:
    selections = tuple(r if isinstance(r, ResourceSelection) else ResourceSelection(r) for r in resources)
    return console.vaults.create(VaultSpec(object_type=object_type, size_gb=size_gb, resources=selections,
                                           **fields)).vault


def set_vault(console: Console, vault_id: str, **fields: Any) -> None:
    """Put a vault into a state no console operation reaches yet (frozen, full...), to test the guards."""
    with console.ctx.store.write() as session:
        vault = session.get(Vault, vault_id)
        assert vault is not None
        for key, value in fields.items():
            setattr(vault, key, value)
        session.add(vault)


def finish_backups(console: Console, status: BackupStatus = BackupStatus.AVAILABLE) -> None:
    """Mark running backups finished without copying anything: for service rules that depend only on the
    statuses (tests/jobs runs the real runner and checks the bytes)."""
    with console.ctx.store.write() as session:
        for backup in session.exec(select(Backup).where(Backup.status == BackupStatus.PROTECTING.value)):
            backup.status = status.value
            session.add(backup)
        for member in session.exec(select(VaultResource).where(VaultResource.protect_status == "protecting")):
            member.protect_status = "available"
            session.add(member)
        for task in session.exec(select(Task).where(Task.status == "waiting")):
            task.status, task.progress = "success", 100
            session.add(task)

"""What CBR notifies through SMN: a vault whose used capacity reaches its alarm threshold. Written in the
transaction that grows the vault's used capacity, so a notice is never sent for data that did not commit."""

from datetime import datetime

from sqlmodel import Session

from cbr_tui.domain.eligibility import crosses_alarm
from cbr_tui.store.models import Notice, Vault

CAPACITY = "vault_capacity"


def used_grew(session: Session, vault: Vault, used_before: int, now: datetime) -> None:
    """Notify when the vault (with notifications on) has just reached its threshold."""
    if not vault.smn_notify or not crosses_alarm(used_before, vault.used_bytes, vault.size_gb, vault.threshold):
        return
    share = vault.used_bytes * 100 // (vault.size_gb << 30)
    session.add(Notice(project_id=vault.project_id, vault_id=vault.id, vault_name=vault.name, topic=CAPACITY,
                       created_at=now,
                       message=f"The vault {vault.name} has used {share}% of its {vault.size_gb:,} GB, reaching its "
                               f"alarm threshold of {vault.threshold}%: expand it, or delete backups it no longer "
                               "needs, before it is full and backups fail."))

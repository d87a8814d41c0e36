"""What CBR notifies through SMN: a vault whose used capacity reaches its alarm threshold. Written in the
transaction that grows the vault's used capacity, so a notice is never sent for data that did not commit."""

from datetime import datetime

from sqlmodel import Session

from cbr_tui.domain.eligibility import crosses_alarm, past_alarm
from cbr_tui.store.models import Notice, Vault

CAPACITY = "vault_capacity"


def used_grew(session: Session, vault: Vault, used_before: int, now: datetime) -> None:
    """Notify when the vault (with notifications on) has just reached its threshold."""
    if vault.smn_notify and crosses_alarm(used_before, vault.used_bytes, vault.size_gb, vault.threshold):
        _notify(session, vault, now)


def alarm_changed(session: Session, vault: Vault, was_notifying_past: bool, now: datetime) -> None:
    """Notify when a new threshold (or notification turned on) finds the vault past it already, unless it
    was past and notifying before (it was told then)."""
    if vault.smn_notify and past_alarm(vault.used_bytes, vault.size_gb, vault.threshold) and not was_notifying_past:
        _notify(session, vault, now)


def notifying_past(vault: Vault) -> bool:
    """Whether the vault is past its alarm threshold with notification on (what a change is compared with)."""
    return vault.smn_notify and past_alarm(vault.used_bytes, vault.size_gb, vault.threshold)


def _notify(session: Session, vault: Vault, now: datetime) -> None:
    share = vault.used_bytes * 100 // (vault.size_gb << 30)
    session.add(Notice(project_id=vault.project_id, vault_id=vault.id, vault_name=vault.name, topic=CAPACITY,
                       created_at=now,
                       message=f"The vault {vault.name} has used {share}% of its {vault.size_gb:,} GB, reaching its "
                               f"alarm threshold of {vault.threshold}%: expand it, or delete backups it no longer "
                               "needs, before it is full and backups fail."))

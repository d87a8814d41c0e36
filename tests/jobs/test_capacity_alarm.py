"""The capacity alarm: when a vault's used capacity reaches its threshold, CBR notifies (SMN) once, in the
transaction of the backup that crossed it; a vault with notification off stays silent; the threshold is
1-100 for one vault or, in a batch, for all."""

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from tests.jobs.helpers import back_up
from tests.services.helpers import buy, refused, set_vault

GiB = 1 << 30


def test_crossing_the_threshold_notifies_once(console: Console) -> None:
    vault = buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disks")
    assert (vault.threshold, vault.smn_notify) == (80, True)
    back_up(console, "vault-disks", name="empty")  # nothing near the threshold yet
    assert console.notices.list().count == 0
    set_vault(console, vault.id, used_bytes=80 * GiB - (1 << 20))  # just below 80% of 100 GB
    console.resources.write_data("evs-data-01", 4, pattern="random", seed="fill")
    back_up(console, "vault-disks", name="crossing")
    [notice] = console.notices.list().notices
    assert notice.vault_id == vault.id and notice.topic == "vault_capacity"
    assert "reaching its alarm threshold of 80%" in notice.message
    console.resources.write_data("evs-data-01", 4, pattern="random", seed="more")
    back_up(console, "vault-disks", name="above")  # still above: no second notice
    assert console.notices.list(vault.id).count == 1


def test_no_notice_without_notification_and_the_alarm_s_rules(console: Console) -> None:
    vault = buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disks")
    other = buy(console, ObjectType.DISK, size_gb=100, name="vault-other")
    shown = console.vaults.set_alarm("vault-disks", threshold=50, smn_notify=False).vault
    assert (shown.threshold, shown.smn_notify) == (50, False)
    set_vault(console, vault.id, used_bytes=50 * GiB - (1 << 20))
    console.resources.write_data("evs-data-01", 4, pattern="random", seed="fill")
    back_up(console, "vault-disks")
    assert console.notices.list().count == 0
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.set_alarm("vault-disks", threshold=0), "1 to 100")
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.set_alarm("vault-disks", threshold=101), "1 to 100")
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.set_alarm("vault-disks"))
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.batch_update())
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.batch_update(threshold=0))
    updated = console.vaults.batch_update(threshold=90, smn_notify=True).updated_vaults_id
    assert {vault.id, other.id} <= set(updated)
    assert all((v.threshold, v.smn_notify) == (90, True) for v in console.vaults.list().vaults)


def test_a_threshold_set_below_what_is_used_notifies_at_once(console: Console) -> None:
    vault = buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-disks")
    set_vault(console, vault.id, used_bytes=30 * GiB)
    console.vaults.set_alarm("vault-disks", threshold=50)  # not past it: nothing to say
    assert console.notices.list().count == 0
    console.vaults.set_alarm("vault-disks", threshold=20)
    [notice] = console.notices.list().notices
    assert "alarm threshold of 20%" in notice.message
    console.vaults.set_alarm("vault-disks", threshold=10)  # past it and notifying already: told once
    assert console.notices.list().count == 1
    console.vaults.set_alarm("vault-disks", smn_notify=False)
    console.vaults.batch_update(smn_notify=True)  # notification turned back on, past the threshold
    assert console.notices.list().count == 2

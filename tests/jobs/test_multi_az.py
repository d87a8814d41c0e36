"""Multi-AZ vaults keep every object in the buckets of two availability zones: a backup commits only when
both have its data, a restore survives the loss of either, and `vault verify` finds what one zone lacks,
which `vault repair-zones` copies back. Single-AZ vaults write one bucket."""

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.ids import SeededIds
from cbr_tui.engine.mirror import MirroredObjectStore
from cbr_tui.engine.s3 import S3ObjectStore, client_for
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store.models import Vault
from tests.conftest import S3_BUCKETS, database_for
from tests.data import resource_digest
from tests.jobs.helpers import back_up, run, vault_objects
from tests.s3server import SeaweedServer, unique_prefix
from tests.services.helpers import buy

FIRST, SECOND = "cn-north-4a", "cn-north-4b"


@pytest.fixture
def console(home: Path, demo_template: dict[str, object], clock: FixedClock,
            s3_server: SeaweedServer) -> Iterator[Console]:
    """Zone a keeps its vault data in one bucket, every other zone in another."""
    configuration = s3_server.configuration({FIRST: S3_BUCKETS[0], "*": S3_BUCKETS[1]}, unique_prefix())
    settings = Settings.from_env({"CBR_TUI_OBJECT_STORE": configuration}, home=home,
                                 database_url=database_for("sqlite", demo_template, home))
    opened = open_console(replace(settings, demo_scale=0), clock=clock, ids=SeededIds(7))
    yield opened
    opened.close()


def keys_in(store: S3ObjectStore) -> dict[str, int]:
    return {key: size for key, size, _modified in store.list()}


def lose(store: S3ObjectStore) -> None:
    """A zone loses the vault's data: every object of it is gone from that zone's bucket."""
    store.remove_all()
    assert keys_in(store) == {}


def test_a_multi_az_vault_keeps_every_object_in_both_zones_and_survives_losing_either(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="os")
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-maz", multi_az=True,
                availability_zone=FIRST)
    with console.ctx.store.read() as session:
        row = session.get(Vault, vault.id)
        assert row is not None and (row.availability_zone, row.secondary_zone) == (FIRST, SECOND)
    backup = back_up(console, "vault-maz")[0]
    assert backup.status == "available"
    objects = vault_objects(console, vault.id)
    assert isinstance(objects, MirroredObjectStore)
    first, second = (zone.objects for zone in objects.zones)
    assert isinstance(first, S3ObjectStore) and isinstance(second, S3ObjectStore)
    assert (first.location.bucket, second.location.bucket) == S3_BUCKETS
    assert keys_in(first) == keys_in(second) != {}
    good = resource_digest(console, "ecs-web-01")

    for lost, kept in ((first, second), (second, first)):
        lose(lost)
        console.resources.damage_data("ecs-web-01", seed="oops")
        assert run(console, console.restores.restore_server(backup.id)).status == "success"
        assert resource_digest(console, "ecs-web-01") == good
        found = console.maintenance.verify("vault-maz").verify
        zone = FIRST if lost is first else SECOND
        # every chunk and manifest (verify itself writes the vault's record to both zones again)
        assert not found.clean and list(found.objects_missing_in_zone) == [zone]
        assert {k for k in keys_in(kept) if k.startswith(("chunks/", "manifests/"))} <= \
            set(found.objects_missing_in_zone[zone]) <= set(keys_in(kept))
        repaired = console.maintenance.repair_zones("vault-maz").repair
        assert repaired.copied_objects == {FIRST: 0, SECOND: 0} | {zone: len(found.objects_missing_in_zone[zone])}
        assert repaired.unrecoverable_objects == [] and keys_in(lost) == keys_in(kept)
        assert console.maintenance.verify("vault-maz", read_share=1).verify.clean


def test_a_single_az_vault_writes_one_bucket_and_has_nothing_to_repair(console: Console) -> None:
    console.resources.write_data("evs-data-01", 4, seed="data")
    vault = buy(console, ObjectType.DISK, size_gb=300, resources=("evs-data-01",), name="vault-one")
    back_up(console, "vault-one")
    objects = vault_objects(console, vault.id)
    assert isinstance(objects, S3ObjectStore) and objects.location.bucket == S3_BUCKETS[0]
    assert keys_in(objects) != {}
    assert not any(key.startswith(objects.prefix) for key in _bucket_keys(objects, S3_BUCKETS[1]))
    with pytest.raises(CbrError, match="a Single-AZ vault") as refused:
        console.maintenance.repair_zones("vault-one")
    assert refused.value.code == "BackupService.6110"


def _bucket_keys(store: S3ObjectStore, bucket: str) -> list[str]:
    client = client_for(replace(store.location, bucket=bucket))
    return [item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", ())]


def damaged(store: S3ObjectStore, key: str) -> None:
    """A zone's copy of an object goes bad in place: same size, bytes flipped in its middle."""
    data = bytearray(store.get(key))
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    store.put(key, bytes(data))


def test_a_copy_damaged_in_one_zone_is_read_from_the_other_found_by_verify_and_replaced(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 4, seed="os")
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-maz", multi_az=True,
                availability_zone=FIRST)
    backup = back_up(console, "vault-maz")[0]
    objects = vault_objects(console, vault.id)
    assert isinstance(objects, MirroredObjectStore)
    first, second = (zone.objects for zone in objects.zones)
    assert isinstance(first, S3ObjectStore) and isinstance(second, S3ObjectStore)
    chunk = next(key for key in sorted(keys_in(first)) if key.startswith("chunks/"))
    manifest = next(key for key in sorted(keys_in(first)) if key.startswith("manifests/"))
    damaged(first, chunk)
    damaged(first, manifest)
    good = resource_digest(console, "ecs-web-01")

    console.resources.damage_data("ecs-web-01", seed="oops")
    assert run(console, console.restores.restore_server(backup.id)).status == "success"
    assert resource_digest(console, "ecs-web-01") == good
    assert console.maintenance.verify("vault-maz").verify.clean  # sizes alike: only reading the data tells
    found = console.maintenance.verify("vault-maz", read_share=1).verify
    assert not found.clean and found.objects_damaged_in_zone == {FIRST: [chunk, manifest]}
    assert (found.damaged_blobs, found.damaged_backups, found.objects_missing_in_zone) == ([], [], {})
    assert found.unreadable_manifests == {}
    assert console.maintenance.repair_zones("vault-maz").repair.copied_objects == {FIRST: 0, SECOND: 0}
    repaired = console.maintenance.repair_zones("vault-maz", read_data=True).repair
    assert repaired.copied_objects == {FIRST: 2, SECOND: 0} and repaired.blobs_checked > 0
    assert (first.get(chunk), first.get(manifest)) == (second.get(chunk), second.get(manifest))
    assert console.maintenance.verify("vault-maz", read_share=1).verify.clean

    damaged(first, chunk)
    damaged(second, chunk)  # now bad in both zones: the restore stops, verify marks the backup
    console.resources.damage_data("ecs-web-01", seed="oops")
    assert run(console, console.restores.restore_server(backup.id)).status == "failed"
    found = console.maintenance.verify("vault-maz", read_share=1).verify
    assert found.damaged_backups == [backup.id] and found.objects_damaged_in_zone == {}
    # no zone has it whole: nothing to copy (the backup stays marked; the next backup stores the data again)
    assert console.maintenance.repair_zones("vault-maz", read_data=True).repair.copied_objects == {FIRST: 0, SECOND: 0}


def test_with_one_zones_server_stopped_a_restore_reads_the_other_and_a_backup_waits_for_both(
        home: Path, demo_template: dict[str, object], clock: FixedClock, s3_server: SeaweedServer,
        tmp_path: Path) -> None:
    """Zone a on a server of its own, SIGKILLed after a backup; every other zone on the session's server."""
    own = SeaweedServer(tmp_path / "zone-a-server", buckets=S3_BUCKETS)
    own.start()
    try:
        prefix = unique_prefix()
        configuration = json.dumps(json.loads(own.configuration({FIRST: S3_BUCKETS[0]}, prefix))
                                   | json.loads(s3_server.configuration({"*": S3_BUCKETS[1]}, prefix)))
        settings = Settings.from_env({"CBR_TUI_OBJECT_STORE": configuration}, home=home,
                                     database_url=database_for("sqlite", demo_template, home))
        console = open_console(replace(settings, demo_scale=0), clock=clock, ids=SeededIds(7))
        console.resources.write_data("ecs-web-01", 6, seed="os")
        buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-maz", multi_az=True,
            availability_zone=FIRST)
        backup = back_up(console, "vault-maz")[0]
        good = resource_digest(console, "ecs-web-01")
        objects = vault_objects(console, backup.vault_id)
        assert isinstance(objects, MirroredObjectStore)
        orphan = "chunks/0ff/0ff" + "0" * 61  # what a backup cut short by zone a's loss left in zone b alone
        objects.zones[1].objects.put(orphan, b"never committed")

        own.stop()  # zone a's whole server, as a crash
        console.resources.damage_data("ecs-web-01", seed="oops")
        assert run(console, console.restores.restore_server(backup.id)).status == "success"
        assert resource_digest(console, "ecs-web-01") == good  # every byte from zone b
        console.resources.write_data("ecs-web-01", 2, seed="more")
        refused = back_up(console, "vault-maz")[0]  # a write needs both zones: this backup cannot commit
        assert refused.status == "error"
        [task] = [t for t in console.tasks.list(operation_type="backup").operation_logs if t.status == "failed"]
        assert task.error_info.code == "BackupService.6112"
        assert f"{S3_BUCKETS[0]} at {own.endpoint}" in (task.error_info.message or "")
        with pytest.raises(CbrError, match="did not answer") as verify_refused:
            console.maintenance.verify("vault-maz")
        assert verify_refused.value.code == "BackupService.6112"

        own.start()
        assert back_up(console, "vault-maz")[0].status == "available"
        # a blob the refused backup wrote in zone b alone is written to zone a by this backup (a writer skips
        # only what both zones hold)
        # ... and what nothing committed is not missing from zone a (verify is clean); gc frees it
        assert console.maintenance.verify("vault-maz", read_share=1).verify.clean
        assert objects.zones[1].objects.exists(orphan)
        assert console.maintenance.collect_garbage("vault-maz", grace_minutes=0).gc.deleted_objects == 1
        assert not objects.zones[1].objects.exists(orphan)
        console.close()
    finally:
        own.stop()

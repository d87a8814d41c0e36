"""Multi-AZ vaults keep every object in the buckets of two availability zones: a backup commits only when
both have its data, a restore survives the loss of either, and `vault verify` finds what one zone lacks,
which `vault repair-zones` copies back. Single-AZ vaults write one bucket."""

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

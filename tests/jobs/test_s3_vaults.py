"""Vault data in S3 buckets (`CBR_TUI_OBJECT_STORE`), through the services and the runner as the console
uses them: backups land in the zone's bucket and restore byte for byte; verify, audit and gc work there; a
deleted vault leaves nothing behind; a configuration that cannot work is refused with what is wrong."""

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.ids import SeededIds
from cbr_tui.engine.s3 import S3ObjectStore
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from tests.conftest import S3_BUCKETS, database_for
from tests.data import resource_digest, tree_digest
from tests.jobs.helpers import back_up, laptop_with_documents, run, vault_objects
from tests.s3server import SeaweedServer, unique_prefix
from tests.services.helpers import buy
from tests.ui.gate import Gate


@pytest.fixture
def console(home: Path, demo_template: dict[str, object], clock: FixedClock,
            s3_server: SeaweedServer) -> Iterator[Console]:
    """The demo inventory, every zone's vault data in the first bucket of a real S3 server."""
    configuration = s3_server.configuration({"*": S3_BUCKETS[0]}, unique_prefix())
    settings = Settings.from_env({"CBR_TUI_OBJECT_STORE": configuration}, home=home,
                                 database_url=database_for("sqlite", demo_template, home))
    opened = open_console(replace(settings, demo_scale=0), clock=clock, ids=SeededIds(7))
    yield opened
    opened.close()


def test_a_server_backup_goes_to_the_bucket_and_restores_byte_for_byte(console: Console) -> None:
    console.resources.write_data("ecs-web-01", 8, seed="os")
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    backup = back_up(console, "vault-web")[0]
    assert backup.status == "available"
    objects = vault_objects(console, vault.id)
    assert isinstance(objects, S3ObjectStore) and objects.location.bucket == S3_BUCKETS[0]
    stored = {key for key, _size, _modified in objects.list()}
    assert any(key.startswith("chunks/") for key in stored) and any(key.startswith("manifests/") for key in stored)
    assert not (console.ctx.layout.home / "vaults" / vault.id).exists()

    good = resource_digest(console, "ecs-web-01")
    console.resources.damage_data("ecs-web-01", seed="oops")
    assert run(console, console.restores.restore_server(backup.id)).status == "success"
    assert resource_digest(console, "ecs-web-01") == good
    assert console.maintenance.verify("vault-web", read_share=1).verify.clean
    assert console.maintenance.audit("vault-web").audit.clean


def test_files_back_up_into_packs_and_a_deleted_vault_leaves_nothing(console: Console, clock: FixedClock,
                                                                     tmp_path: Path) -> None:
    documents = laptop_with_documents(console, tmp_path)
    vault = console.vaults.show("vault-files")
    backup = back_up(console, "vault-files")[0]
    assert backup.status == "available"
    objects = vault_objects(console, vault.id)
    assert any(key.startswith("packs/") for key, _size, _modified in objects.list())
    good = tree_digest(documents)
    elsewhere = tmp_path / "restored"
    assert run(console, console.restores.restore_files(backup.id, str(elsewhere))).status == "success"
    assert tree_digest(elsewhere.joinpath(*documents.parts[1:])) == good

    console.backups.delete(backup.id)
    console.run_tasks()
    clock.advance(timedelta(minutes=1))  # the freed blobs' grace (0) is over
    console.maintenance.collect_garbage("vault-files", grace_minutes=0, wait=True)
    assert not any(key.startswith("packs/") for key, _size, _modified in objects.list())
    console.vaults.delete("vault-files")
    assert list(objects.list()) == []


@pytest.mark.parametrize(("configuration", "problem"), [
    ("{not json", "is not JSON"),
    ('{"*": {"endpoint": "http://127.0.0.1:1", "bucket": "b"}}', "zone '*', access_key: Field required"),
    ('{"*": {"endpoint": "127.0.0.1:8333", "bucket": "b", "access_key": "k", "secret_key": "s"}}',
     "the endpoint must be an http:// or https:// URL"),
    ("[]", "must map availability zones"),
    ("/nowhere/cbr-object-store.json", "names /nowhere/cbr-object-store.json, which cannot be read"),
])
def test_a_configuration_that_cannot_work_is_refused_with_what_is_wrong(configuration: str, problem: str) -> None:
    with pytest.raises(CbrError, match="9900") as refused:
        Settings.from_env({"CBR_TUI_OBJECT_STORE": configuration}, home=Path("/tmp/unused"))
    assert problem in refused.value.message


def test_a_bucket_killed_mid_backup_fails_the_task_and_the_next_backup_succeeds(
        home: Path, demo_template: dict[str, object], clock: FixedClock, tmp_path: Path) -> None:
    """Its own server (the session's is shared): SIGKILLed while a backup copies, started again after."""
    server = SeaweedServer(tmp_path / "seaweedfs", buckets=S3_BUCKETS)
    server.start()
    try:
        configuration = server.configuration({"*": S3_BUCKETS[0]}, unique_prefix())
        settings = Settings.from_env({"CBR_TUI_OBJECT_STORE": configuration}, home=home,
                                     database_url=database_for("sqlite", demo_template, home))
        console = open_console(replace(settings, demo_scale=0), clock=clock, ids=SeededIds(7))
        console.resources.write_data("evs-data-01", 8, seed="first")
        buy(console, ObjectType.DISK, size_gb=300, resources=("evs-data-01",), name="vault-disks")
        earlier = back_up(console, "vault-disks")[0]
        assert earlier.status == "available"
        first_data = resource_digest(console, "evs-data-01")

        console.resources.write_data("evs-data-01", 24, seed="second", pattern="random")
        runner, gate = console.runner(workers=1), Gate(hold_after=4 << 20)
        runner.throttle = gate  # type: ignore[assignment]
        checkpoint = console.backups.perform("vault-disks").checkpoint
        doomed = checkpoint.backups[0]
        copying = threading.Thread(target=runner.run_until_idle)
        copying.start()
        assert gate.reached.wait(60), "the backup never started copying"
        server.stop()  # SIGKILL, mid-copy
        gate.release.set()
        copying.join(120)
        [task] = [t for t in console.tasks.list(operation_type="backup").operation_logs
                  if t.checkpoint_id == checkpoint.id]
        assert task.status == "failed", task
        assert f"s3 bucket {S3_BUCKETS[0]} at {server.endpoint}" in (task.error_info.message or "")
        assert task.error_info.code == "BackupService.6112", task.error_info  # what `--wait` exits with
        assert console.backups.show(doomed.id).status == "error"
        with pytest.raises(CbrError, match="did not answer") as refused:  # a command is refused, not broken
            console.maintenance.verify("vault-disks")
        assert refused.value.code == "BackupService.6112"

        server.start()  # the same data directory and ports
        again = back_up(console, "vault-disks")[0]
        assert again.status == "available", [t.error_info for t in console.tasks.list(
            operation_type="backup").operation_logs if t.status == "failed"]
        latest = resource_digest(console, "evs-data-01")
        console.resources.damage_data("evs-data-01", seed="lost")
        assert run(console, console.restores.restore_disk(earlier.id)).status == "success"
        assert resource_digest(console, "evs-data-01") == first_data  # the earlier backup lost nothing
        assert run(console, console.restores.restore_disk(again.id)).status == "success"
        assert resource_digest(console, "evs-data-01") == latest
        assert console.maintenance.verify("vault-disks", read_share=1).verify.clean

        # Deleted while its bucket does not answer: the vault goes at once, its objects when the bucket is back
        objects = vault_objects(console, again.vault_id)
        assert isinstance(objects, S3ObjectStore)
        kept = sorted(key for key, _size, _modified in objects.list())
        server.stop()
        removal = console.vaults.delete("vault-disks")
        gone = removal.vault_id
        assert f"{S3_BUCKETS[0]} at {server.endpoint} did not answer" in (removal.objects_left or "")
        with pytest.raises(CbrError, match="vault-disks does not exist"):
            console.vaults.show("vault-disks")
        assert console.run_due_policies().stores_emptied == []  # a minute of cloud time after a failure
        clock.advance(timedelta(minutes=1))
        assert console.run_due_policies().stores_emptied == []  # tried again, and failed again
        server.start()
        assert sorted(key for key, _size, _modified in objects.list()) == kept  # nothing removed meanwhile
        recovered = console.recovery.recover(everything=True).recovered
        assert gone not in {vault.vault_id for vault in recovered}  # deleted: never brought back
        clock.advance(timedelta(minutes=1))
        assert console.run_due_policies().stores_emptied == []  # after a second failure, two minutes
        clock.advance(timedelta(minutes=1))
        assert console.run_due_policies().stores_emptied == [gone]
        assert list(objects.list()) == [] and console.run_due_policies().stores_emptied == []
        console.close()
    finally:
        server.stop()


def test_vaults_in_buckets_come_back_when_the_database_is_lost(console: Console, clock: FixedClock) -> None:
    console.resources.write_data("ecs-web-01", 4, seed="web", pattern="random")
    vault = buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web", multi_az=True)
    backup = back_up(console, "vault-web")[0]
    good = resource_digest(console, "ecs-web-01")
    assert not (console.ctx.layout.home / "vaults" / vault.id).exists()
    settings = console.settings
    console.close()
    for path in Path(settings.home).glob("cbr.db*"):  # the database is lost; the buckets are not
        path.unlink()
    reopened = open_console(settings, clock=clock, ids=SeededIds(8))
    try:
        [recovered] = reopened.recovery.recover("vault-web").recovered  # its record is in the buckets
        assert (recovered.recovered, recovered.vault_id) == (True, vault.id)
        assert reopened.backups.show(backup.id).status == "available"
        reopened.resources.damage_data("ecs-web-01", seed="lost")
        assert run(reopened, reopened.restores.restore_server(backup.id)).status == "success"
        assert resource_digest(reopened, "ecs-web-01") == good
        assert reopened.maintenance.verify("vault-web", read_share=1).verify.clean
    finally:
        reopened.close()

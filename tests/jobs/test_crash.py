"""A backup process killed with SIGKILL half-way: nothing committed lies, and the task is finished by the
next runner without writing again what the dead one had already stored."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.engine.s3 import S3ObjectStore
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store.models import Task
from tests.conftest import OBJECT_STORES, S3_BUCKETS, clone_home
from tests.data import resource_digest
from tests.jobs.helpers import run, vault_objects
from tests.s3server import SeaweedServer, unique_prefix
from tests.services.helpers import buy

MiB = 1 << 20


@pytest.fixture(params=OBJECT_STORES)
def live(request: pytest.FixtureRequest, tmp_path: Path, demo_template: dict,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    """A console on the real clock, as a separate worker process would see it; its vault data in the data
    directory, or in a bucket of a real S3 server (`CBR_TUI_OBJECT_STORE`, which the workers inherit)."""
    home = tmp_path / "home"
    home.mkdir()
    clone_home(Path(str(demo_template["home"])), home)
    if request.param == "s3":
        server: SeaweedServer = request.getfixturevalue("s3_server")
        monkeypatch.setenv("CBR_TUI_OBJECT_STORE", server.configuration({"*": S3_BUCKETS[0]}, unique_prefix()))
    console = open_console(Settings.from_env(home=home, database_url=f"sqlite:///{home / 'cbr.db'}"))
    yield console
    console.close()


def worker(console: Console, *, bandwidth: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CBR_TUI_HOME": str(console.ctx.layout.home), "CBR_TUI_DEMO_SCALE": "0"}
    env.pop("CBR_TUI_BANDWIDTH_MBPS", None)
    if bandwidth:
        env["CBR_TUI_BANDWIDTH_MBPS"] = bandwidth
    return subprocess.Popen([sys.executable, "-m", "cbr_tui", "worker", "--until-idle", "--lease-seconds", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def task_row(console: Console, task_id: str) -> Task:
    with console.ctx.store.read() as session:
        row = session.get(Task, task_id)
        assert row is not None
        return row


def test_a_killed_backup_is_resumed_and_nothing_committed_lies(live: Console) -> None:
    live.resources.write_data("evs-data-01", 48, seed="crash", pattern="random")
    vault = buy(live, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = live.backups.perform("vault-disks").checkpoint.backups[0]
    task_id = live.tasks.list(operation_type="backup").operation_logs[0].id
    expected = resource_digest(live, "evs-data-01")

    doomed = worker(live, bandwidth="16")
    try:
        deadline = time.monotonic() + 60
        while task_row(live, task_id).bytes_done < 8 * MiB:
            assert doomed.poll() is None, doomed.stderr.read().decode() if doomed.stderr else ""
            assert time.monotonic() < deadline, "the worker never made progress"
            time.sleep(0.05)
        os.kill(doomed.pid, signal.SIGKILL)
    finally:
        doomed.wait(30)
    assert doomed.returncode == -signal.SIGKILL

    # Killed mid-copy: the backup is not visible, and what the vault says it holds is intact.
    assert live.backups.show(backup.id).status == "protecting"
    assert live.maintenance.verify("vault-disks", read_share=1).verify.clean
    assert live.maintenance.audit("vault-disks").audit.clean
    objects = vault_objects(live, vault.id)
    written_before = {key: modified for key, _size, modified in objects.list("chunks")}
    assert written_before  # the dead worker had stored some chunks
    if isinstance(objects, S3ObjectStore):  # ...in the bucket, nothing in the data directory
        assert not (live.ctx.layout.home / "vaults" / vault.id).exists()

    lease_end = task_row(live, task_id).lease_expires_at
    assert lease_end is not None
    while datetime.now(UTC) <= lease_end:
        time.sleep(0.1)
    resumed = worker(live, bandwidth=None)
    _out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()

    row = task_row(live, task_id)
    assert (row.status, row.attempts) == ("success", 2)
    done = live.backups.show(backup.id)
    assert done.status == "available"
    # Adopted, not written again (the resumed worker started seconds later, so a chunk written again would
    # show a later modification time even in S3's one-second resolution).
    written_after = {key: modified for key, _size, modified in objects.list("chunks")}
    assert {key: written_after[key] for key in written_before} == written_before

    live.resources.damage_data("evs-data-01")
    assert run(live, live.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(live, "evs-data-01") == expected
    live.maintenance.collect_garbage("vault-disks", grace_minutes=0, wait=True)
    assert live.maintenance.audit("vault-disks").audit.clean
    assert live.maintenance.verify("vault-disks", read_share=1).verify.clean

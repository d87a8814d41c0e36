"""A backup process killed with SIGKILL half-way: nothing committed lies, and the task is finished by the
next runner without writing again what the dead one had already stored."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.engine.objects import vault_objects
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store.models import Task
from tests.conftest import clone_home
from tests.data import resource_digest
from tests.jobs.helpers import run
from tests.services.helpers import buy

MiB = 1 << 20


@pytest.fixture
def live(tmp_path: Path, demo_template: dict) -> Console:
    """A console on the real clock, as a separate worker process would see it."""
    home = tmp_path / "home"
    home.mkdir()
    clone_home(Path(str(demo_template["home"])), home)
    console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0))
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
    objects = vault_objects(live.ctx.layout.home, vault.id)
    written_before = {key: os.stat(objects.root / key).st_mtime_ns for key, _s, _m in objects.list("chunks")}
    assert written_before  # the dead worker had stored some chunks

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
    for key, mtime in written_before.items():  # adopted, not written again
        assert os.stat(objects.root / key).st_mtime_ns == mtime

    live.resources.damage_data("evs-data-01")
    assert run(live, live.restores.restore_disk(backup.id)).status == "success"
    assert resource_digest(live, "evs-data-01") == expected
    live.maintenance.collect_garbage("vault-disks", grace_minutes=0, wait=True)
    assert live.maintenance.audit("vault-disks").audit.clean
    assert live.maintenance.verify("vault-disks", read_share=1).verify.clean

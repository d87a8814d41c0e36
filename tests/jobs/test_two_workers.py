"""Two `cbr-tui worker` processes, each with a data directory of its own, share one PostgreSQL database, one
S3 server and the simulated cloud's directory (`CBR_TUI_CLOUD_HOME`): 20 backups and 20 restores, each task
run exactly once, by one worker or the other, and every restore byte-identical."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store.models import Task
from tests import postgres
from tests.conftest import S3_BUCKETS, database_for, drop_database
from tests.data import resource_digest
from tests.s3server import SeaweedServer, unique_prefix
from tests.services.helpers import buy

DISKS = 20

pytestmark = pytest.mark.skipif(postgres.binaries() is None, reason="needs PostgreSQL's server binaries")


def run_workers(environment: dict[str, str], homes: list[Path]) -> list[int]:
    """Start one worker per data directory at once; each runs tasks until none is left. Their task counts."""
    workers = [subprocess.Popen([sys.executable, "-m", "cbr_tui", "worker", "--until-idle", "--no-scheduler"],
                                env={**environment, "CBR_TUI_HOME": str(home)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for home in homes]
    counts = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
        counts.append(json.loads(out)["tasks_run"])
    return counts


def tasks_of(console: Console, ids: set[str]) -> list[Task]:
    with console.ctx.store.read() as session:
        return [session.get(Task, task_id) for task_id in ids]  # type: ignore[misc]


def test_two_workers_on_one_database_and_one_bucket_run_each_task_once(
        home: Path, demo_template: dict[str, object], s3_server: SeaweedServer, tmp_path: Path) -> None:
    url = database_for("postgresql", demo_template, home)
    environment = {**os.environ, "CBR_TUI_DATABASE_URL": url, "CBR_TUI_CLOUD_HOME": str(home),
                   "CBR_TUI_OBJECT_STORE": s3_server.configuration({"*": S3_BUCKETS[0]}, unique_prefix()),
                   "CBR_TUI_DEMO_SCALE": "0", "CBR_TUI_BANDWIDTH_MBPS": "200"}
    environment.pop("CBR_TUI_ACCOUNT", None)
    homes = [tmp_path / "worker-1", tmp_path / "worker-2"]
    console = open_console(Settings.from_env(environment, home=tmp_path / "console"))
    try:
        names = [f"evs-shared-{n:02}" for n in range(DISKS)]
        for name in names:
            console.resources.create_disk(name, 10)
            console.resources.write_data(name, 2, seed=name, pattern="random")
        buy(console, ObjectType.DISK, size_gb=DISKS * 10, resources=tuple(names), name="vault-shared")
        backups = console.backups.perform("vault-shared").checkpoint.backups
        assert len(backups) == DISKS
        backup_tasks = {t.id for t in console.tasks.list(operation_type="backup", limit=100).operation_logs}
        assert len(backup_tasks) == DISKS
        expected = {name: resource_digest(console, name) for name in names}

        ran = run_workers(environment, homes)
        assert sum(ran) == DISKS and all(ran), ran  # both workers took tasks
        assert {(t.status, t.attempts) for t in tasks_of(console, backup_tasks)} == {("success", 1)}
        assert all(console.backups.show(b.id).status == "available" for b in backups)
        assert not any(h.joinpath("vaults").exists() for h in homes)  # the data is in the bucket only
        assert not any(h.joinpath("locks").exists() for h in (home, *homes))  # the vault locks: PostgreSQL's

        for name in names:
            console.resources.damage_data(name, seed="lost")
        by_resource = {b.resource_name: b.id for b in backups}
        restore_tasks = {console.restores.restore_disk(by_resource[name]).operation_log.id for name in names}
        ran = run_workers(environment, homes)
        assert sum(ran) == DISKS and all(ran), ran
        assert {(t.status, t.attempts) for t in tasks_of(console, restore_tasks)} == {("success", 1)}
        assert {name: resource_digest(console, name) for name in names} == expected
    finally:
        console.close()
        drop_database(url)

"""Damaged data in a vault: verify finds it, restore refuses it, the next backup stores good copies."""

import json
import subprocess
import sys

from sqlmodel import select

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.store.models import Task
from tests.data import resource_digest
from tests.jobs.helpers import back_up, damage_one_chunk, run
from tests.services.helpers import buy, refused


def test_verify_finds_damage_restore_refuses_and_the_next_backup_repairs(sqlite_console: Console) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 6, seed="precious", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    good = resource_digest(console, "evs-data-01")
    damage_one_chunk(console, vault["id"])

    structure = console.maintenance.verify("vault-disks")["verify"]
    assert structure["clean"]  # the object is there; only reading it shows the damage
    found = console.maintenance.verify("vault-disks", read_share=1)["verify"]
    assert not found["clean"] and len(found["damaged_blobs"]) == 1
    assert found["damaged_backups"] == [backup["id"]]
    assert console.backups.show(backup["id"])["backup"]["extend_info"]["damaged"] is True

    console.resources.damage_data("evs-data-01", seed="new damage")
    current = resource_digest(console, "evs-data-01")
    refused(Codes.RESTORE_BACKUP_STATUS, lambda: console.restores.restore_disk(backup["id"]), "damaged")
    assert resource_digest(console, "evs-data-01") == current  # nothing was written

    console.resources.write_data("evs-data-01", 1, seed="fix")  # back to a state to protect
    repaired = back_up(console, "vault-disks")[0]
    assert not repaired["incremental"] or repaired["stats"]["read_bytes"] >= 6 << 20  # read everything again
    assert console.maintenance.verify("vault-disks", read_share=1)["verify"]["clean"]
    assert good != current


def test_a_restore_that_meets_damage_fails_without_writing(sqlite_console: Console) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 4, seed="x", pattern="random")
    vault = buy(console, ObjectType.DISK, resources=("evs-data-01",), name="vault-disks")
    backup = back_up(console, "vault-disks")[0]
    damage_one_chunk(console, vault["id"])  # not verified yet: the restore itself finds it
    console.resources.damage_data("evs-data-01", seed="y")
    before = resource_digest(console, "evs-data-01")
    task = run(console, console.restores.restore_disk(backup["id"]))
    assert task["status"] == "failed" and "damaged" in task["error_info"]["message"]
    assert resource_digest(console, "evs-data-01") == before
    assert console.backups.show(backup["id"])["backup"]["extend_info"]["damaged"] is True


def test_two_worker_processes_share_the_tasks_without_running_one_twice(sqlite_console: Console) -> None:
    console = sqlite_console
    disks = ("evs-data-01", "evs-data-02", "evs-secure-01", "ecs-spare-01-volume-0000")
    for disk in disks:
        console.resources.write_data(disk, 3, seed=disk)
    buy(console, ObjectType.DISK, size_gb=1000, resources=disks, name="vault-disks")
    console.backups.perform("vault-disks")
    env = {"CBR_TUI_HOME": str(console.ctx.layout.home), "CBR_TUI_DEMO_SCALE": "0",
           "CBR_TUI_BANDWIDTH_MBPS": "6", "PATH": "/usr/bin:/bin"}
    workers = [subprocess.Popen([sys.executable, "-m", "cbr_tui", "worker", "--until-idle", "--workers", "1"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    ran = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
        ran.append(json.loads(out)["tasks_run"])
    assert sum(ran) == 4 and min(ran) >= 1  # both took part
    with console.ctx.store.read() as session:
        tasks = session.exec(select(Task).where(Task.operation_type == "backup")).all()
    assert len(tasks) == 4
    assert all(t.status == "success" and t.attempts == 1 for t in tasks)
    assert {t.lease_owner for t in tasks} == {None}


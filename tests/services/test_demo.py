"""The demo inventory: the same IDs, names and bytes on every machine, created once."""

import hashlib
import time
from pathlib import Path

import pytest

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.workload import iter_tree_files
from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services import bootstrap
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import open_console
from cbr_tui.services.errorlog import log_path
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import VaultSpec
from tests.conftest import T0


def snapshot(home: Path, scale: float) -> tuple[list, str]:
    console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=scale),
                           clock=FixedClock(T0), ids=SeededIds(1))
    rows = []
    for region in ("cn-north-4", "cn-north-1", "cn-east-3", "ap-southeast-3"):
        regional = console.in_region(region)
        rows += [(region, r.id, r.name, r.status, r.size) for r in regional.resources.list().resources]
        rows += [(region, v.id, v.name) for v in regional.vaults.list().vaults]
    console.close()
    digest = hashlib.sha256()
    for path in sorted(p for p in (home / "cloud").rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(home)).encode())
        if path.suffix == ".img":
            image = DiskImage(path)
            for start, end in image.data_extents():
                digest.update(f"{start}:".encode() + image.read(start, end - start))
        elif path.suffix not in (".cbt", ".lock"):
            digest.update(path.read_bytes())
    return rows, digest.hexdigest()


def test_two_machines_get_the_same_demo(tmp_path: Path) -> None:
    first = snapshot(tmp_path / "a", 0.05)
    second = snapshot(tmp_path / "b", 0.05)
    assert first == second
    names = {row[2] for row in first[0]}
    assert {"ecs-web-01", "evs-secure-01", "sfs-turbo-share", "desktop-alice", "host-files-01",
            "vault-legacy-az2", "ecs-sh-01"} <= names


def test_the_demo_is_created_once(tmp_path: Path) -> None:
    assert snapshot(tmp_path, 0)[0] == snapshot(tmp_path, 0)[0]


def test_demo_disks_hold_tens_of_megabytes_at_full_scale(tmp_path: Path) -> None:
    console = open_console(Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'cbr.db'}", demo_scale=1),
                           clock=FixedClock(T0))
    server = console.resources.show("ecs-db-01")
    total = sum((tmp_path / "cloud" / "cn-north-4" / "disks" / f"{v.id}.img").stat().st_blocks * 512
                for v in server.volumes)
    assert 20 << 20 <= total <= 30 << 20
    share = console.resources.show("sfs-turbo-share")
    assert len(list(iter_tree_files(tmp_path / share.path))) == 240
    console.close()


def test_a_demo_stopped_between_resources_is_finished_alike_at_the_next_start(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "a", database_url=f"sqlite:///{tmp_path / 'a' / 'cbr.db'}", demo_scale=0.05)
    console = open_console(settings, clock=FixedClock(T0), ids=SeededIds(1), seed_demo=False)
    assert console.resources.list().resources == []
    asked = iter(range(1000))
    console.seed_demo(should_stop=lambda: next(asked) >= 3)  # quit while the third resource is being built
    built = {r.name for r in console.resources.list().resources}
    assert "ecs-web-01" in built and "desktop-alice" not in built
    console.close()
    assert snapshot(tmp_path / "a", 0.05) == snapshot(tmp_path / "b", 0.05)


def test_the_console_builds_the_demo_after_opening_then_runs_tasks_and_policies(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'cbr.db'}", demo_scale=0)
    console = open_console(settings, clock=FixedClock(T0), seed_demo=False)
    background = console.background()
    assert background.runner is None and console.resources.list().resources == []
    background.start()
    try:
        assert background.wait_started(timeout=120)
        assert "ecs-web-01" in {r.name for r in console.resources.list().resources}
        assert background.runner is not None and background.scheduler is not None
        vault = console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=300, name="vault-bg",
                                                resources=(ResourceSelection("ecs-web-01"),))).vault
        console.backups.perform(vault.id)
        deadline = time.monotonic() + 120
        while console.backups.list(vault=vault.id).backups[0].status != "available":
            assert time.monotonic() < deadline, "the background runner never ran the backup"
            time.sleep(0.1)
    finally:
        background.stop()
    console.close()


def test_a_console_stopped_before_its_background_started_runs_nothing(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'cbr.db'}", demo_scale=0)
    console = open_console(settings, clock=FixedClock(T0), seed_demo=False)
    background = console.background()
    background.stop()
    background.start()
    assert background.runner is None and background.scheduler is None
    assert console.resources.list().resources == []
    console.close()


def test_a_demo_that_fails_in_the_background_is_logged_and_tasks_still_run(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'cbr.db'}", demo_scale=0)
    console = open_console(settings, clock=FixedClock(T0), seed_demo=False)

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bootstrap, "seed_demo", full_disk)
    background = console.background()
    background.start()
    try:
        assert background.wait_started(timeout=60)
        assert background.runner is not None and background.scheduler is not None
    finally:
        background.stop()
    assert "No space left on device" in log_path(tmp_path).read_text()
    console.close()

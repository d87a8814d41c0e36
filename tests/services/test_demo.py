"""The demo inventory: the same IDs, names and bytes on every machine, created once."""

import hashlib
from pathlib import Path

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.cloud.workload import iter_tree_files
from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services.console import open_console
from cbr_tui.services.settings import Settings
from tests.conftest import T0


def snapshot(home: Path, scale: float) -> tuple[list, str]:
    console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=scale),
                           clock=FixedClock(T0), ids=SeededIds(1))
    rows = []
    for region in ("cn-north-4", "cn-north-1", "cn-east-3", "ap-southeast-3"):
        regional = console.in_region(region)
        rows += [(region, r["id"], r["name"], r["status"], r["size"]) for r in regional.resources.list()["resources"]]
        rows += [(region, v["id"], v["name"]) for v in regional.vaults.list()["vaults"]]
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
    server = console.resources.show("ecs-db-01")["resource"]
    total = sum((tmp_path / "cloud" / "cn-north-4" / "disks" / f"{v['id']}.img").stat().st_blocks * 512
                for v in server["volumes"])
    assert 20 << 20 <= total <= 30 << 20
    share = console.resources.show("sfs-turbo-share")["resource"]
    assert len(list(iter_tree_files(tmp_path / share["path"]))) == 240
    console.close()

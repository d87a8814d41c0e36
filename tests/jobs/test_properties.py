"""Property: whatever is written between backups, every backup restores the disk as it was when taken,
also after other backups were deleted; and the vault's used capacity always equals the audit's."""

import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbr_tui.cloud.disk_image import DiskImage
from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services.console import open_console
from cbr_tui.services.settings import Settings
from tests.conftest import T0, clone_home
from tests.data import disk_path, resource_digest
from tests.jobs.helpers import back_up, run
from tests.services.helpers import buy

MiB = 1 << 20
DISK = "evs-data-01"

write = st.tuples(st.just("write"), st.integers(0, 63), st.integers(1, 1536), st.sampled_from("tzr"))
step = st.one_of(write, st.just(("backup",)), st.tuples(st.just("delete"), st.integers(0, 20)),
                 st.just(("full",)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=3, max_size=12))
def test_every_backup_restores_what_it_saw(demo_template: dict, steps: list[tuple]) -> None:
    home = Path(tempfile.mkdtemp(prefix="cbr-prop-"))
    try:
        clone_home(Path(str(demo_template["home"])), home)
        console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0),
                               clock=FixedClock(T0), ids=SeededIds(3))
        buy(console, ObjectType.DISK, resources=(DISK,), name="vault-disks")
        path = disk_path(console, DISK)
        taken: list[tuple[str, list[str]]] = []
        for number, item in enumerate([*steps, ("backup",)]):
            if item[0] == "write":
                _kind, chunk, kib, pattern = item
                data = _data(pattern, kib * 1024, number)
                with DiskImage(path).writer() as writer:
                    writer.write(chunk * MiB + number * 4096, data)
            elif item[0] in ("backup", "full"):
                made = back_up(console, "vault-disks", full=item[0] == "full")[0]
                assert made.status == "available"
                taken.append((made.id, resource_digest(console, DISK)))
            elif taken and len(taken) > 1:
                backup_id, _digest = taken.pop(item[1] % (len(taken) - 1))  # never the latest
                console.backups.delete(backup_id)
        assert console.maintenance.audit("vault-disks").audit.clean
        for backup_id, expected in taken:
            assert run(console, console.restores.restore_disk(backup_id)).status == "success"
            assert resource_digest(console, DISK) == expected
        console.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _data(pattern: str, size: int, seed: int) -> bytes:
    if pattern == "z":
        return bytes(size)
    if pattern == "t":
        return (f"line {seed} ".encode() * (size // 8 + 1))[:size]
    return random.Random(seed).randbytes(size)

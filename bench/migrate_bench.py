"""Migrate: a server's backups moving to another vault, against copying the source vault's files with `cp`.

    python bench/migrate_bench.py            # a server with 512 MB of data on its disks
    python bench/migrate_bench.py --mb 128   # smaller

A fresh data directory (the demo's inventory): ecs-web-01 gets `--mb` of mixed data, is backed up into one
vault, and migrates to another (timed through the services, as the console and the API call it: plan,
verified copy, sync, manifests, commit). The baseline, in the same process, is `cp -r` of the source vault's
directory (every object, unverified, not synced). The ratio is migrate / cp; the note says what migrate did
that cp does not. Each is the median of `--runs` runs, the server moving back and forth between two vaults
(the destination holds none of its data before each run).
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cbr_tui.domain.enums import ObjectType
from cbr_tui.engine.objects import vault_objects
from cbr_tui.services.console import open_console
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import ResourceSelection, VaultSpec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=512, help="data written into the server's disks (MB)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cbr-migrate-bench-") as work:
        home = Path(work) / "home"
        console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}"))
        try:
            console.resources.write_data("ecs-web-01", options.mb, seed="bench")
            vaults = [console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=2000, name=name,
                                                      resources=resources)).vault
                      for name, resources in (("bench-a", (ResourceSelection("ecs-web-01"),)), ("bench-b", ()))]
            console.backups.perform("bench-a")
            console.run_tasks()
            stored = console.vaults.show("bench-a").billing.used << 20
            migrate_times, cp_times = [], []
            for run in range(options.runs):
                source, target = (vaults[0], vaults[1]) if run % 2 == 0 else (vaults[1], vaults[0])
                copy_to = Path(work) / f"cp-{run}"
                started = time.perf_counter()
                subprocess.run(["cp", "-r", str(vault_objects(home, source.id).root), str(copy_to)], check=True)
                cp_times.append(time.perf_counter() - started)
                shutil.rmtree(copy_to)
                started = time.perf_counter()
                console.migration.migrate(source.id, target.id, ["ecs-web-01"])
                migrate_times.append(time.perf_counter() - started)
                console.maintenance.collect_garbage(source.id, grace_minutes=0, wait=True)  # the next run copies all
        finally:
            console.close()
    migrate, cp = statistics.median(migrate_times), statistics.median(cp_times)
    print(f"{'scenario':<44} {'migrate':>9} {'cp -r':>9} {'ratio':>7}  note")
    print(f"{'migrate a server (' + str(options.mb) + ' MB written)':<44} {migrate:>8.2f}s {cp:>8.2f}s "
          f"{migrate / cp:>6.2f}x  {stored / 2**20:,.0f} MB stored; migrate verifies every blob, syncs, commits")


if __name__ == "__main__":
    main()

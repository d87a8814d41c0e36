"""Engine benchmarks S1-S5 of the engine notes, each against a baseline measured in the same run.

    python bench/engine_bench.py            # the full sizes of the engine notes, median of 3 (about 12 minutes)
    python bench/engine_bench.py --quick    # an eighth of the sizes, for a quick look

Caches are dropped before every timed step when the machine allows it (as root). Each engine step runs in
a fresh process, so its peak memory (max RSS) is its own. Prints one row per scenario: engine time,
baseline time, ratio, target, peak memory.
"""

import argparse
import multiprocessing
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cbr_tui.cloud.disk_image import CHUNK_SIZE, DiskImage
from cbr_tui.cloud.workload import Mix, Workload
from cbr_tui.engine import image, manifest, tree
from cbr_tui.engine.blobs import DataKey, chunk_key
from cbr_tui.engine.objects import LocalObjectStore, ObjectStore
from cbr_tui.engine.packs import PackSink
from cbr_tui.engine.progress import Meter
from cbr_tui.engine.sink import ChunkSink

MiB, GiB = 1 << 20, 1 << 30


@dataclass
class Row:
    name: str
    engine: float
    baseline: float
    target: str
    peak_mb: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.engine / self.baseline if self.baseline else float("nan")


def drop_caches() -> bool:
    subprocess.run(["sync"], check=True)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def timed_command(command: list[str]) -> float:
    drop_caches()
    start = time.perf_counter()
    subprocess.run(command, check=True)
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - start


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run an engine step in a fresh process after dropping caches; its result plus its peak RSS."""
    drop_caches()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, function, args))
    process.start()
    result = queue.get()
    process.join()
    return result


def _child(queue: Any, function: Callable[..., dict[str, Any]], args: tuple[Any, ...]) -> None:
    start = time.perf_counter()
    result = function(*args)
    result["seconds"] = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["user_seconds"], result["system_seconds"] = usage.ru_utime, usage.ru_stime
    result["page_faults"] = usage.ru_minflt
    queue.put(result)


# --- engine steps (run in children) --------------------------------------------------------------------


def _exists_classifier(objects: ObjectStore):  # type: ignore[no-untyped-def]
    return lambda hashes: ({h for h in hashes if objects.exists(chunk_key(h))}, set())


def image_backup(disk_path: str, vault: str, base_key: str | None, base_hash: str | None, name: str,
                 sealed: bool = False) -> dict[str, Any]:
    return back_up_image(LocalObjectStore(Path(vault)), disk_path, base_key, base_hash, name, sealed)


def back_up_image(objects: ObjectStore, disk_path: str, base_key: str | None, base_hash: str | None, name: str,
                  sealed: bool = False) -> dict[str, Any]:
    """Back the image up into `objects`; `sealed`: the disk is encrypted, so every chunk is sealed with a data
    key (AES-256-GCM)."""
    key = DataKey(os.urandom(16), os.urandom(32)) if sealed else None
    disk = DiskImage(Path(disk_path))
    base = manifest.load(objects, base_key, base_hash) if base_key and base_hash else None
    frozen = disk.freeze()
    plan = image.plan(disk, frozen, base, full=False)  # type: ignore[arg-type]
    meter = Meter(total=plan.bytes_to_read(disk.size))
    with ChunkSink(objects, _exists_classifier(objects)) as sink:
        result = image.back_up(disk, frozen, plan, sink, meter, key)
    objects.sync()
    stored = manifest.save(objects, name, result)
    disk.complete(frozen)
    return {"read": meter.done, "new": sink.new_bytes, "key": stored.key, "hash": stored.hash,
            "incremental": plan.incremental}


def image_restore(vault: str, key: str, hash_: str, target: str) -> dict[str, Any]:
    return restore_image(LocalObjectStore(Path(vault)), key, hash_, target)


def restore_image(objects: ObjectStore, key: str, hash_: str, target: str) -> dict[str, Any]:
    """Restore the manifest's image from `objects` into a new sparse file, every chunk verified."""
    loaded = manifest.load(objects, key, hash_)
    assert isinstance(loaded, manifest.ImageManifest)
    disk = DiskImage.create(Path(target), loaded.disk_size)
    with disk.writer() as writer:
        image.restore(objects, loaded, writer, Meter(), target_is_empty=True)
    return {}


def tree_backup(root: str, vault: str, base_key: str | None, base_hash: str | None, name: str) -> dict[str, Any]:
    objects = LocalObjectStore(Path(vault))
    loaded: list[Any] = []

    def load_base() -> Any:
        loaded.append(manifest.load(objects, base_key, base_hash) if base_key and base_hash else None)
        return loaded[0]

    plan = tree.scan(Path(root), load_base, full=False)
    known: set[bytes] = set(loaded[0].referenced()) if loaded and loaded[0] else set()
    sink = PackSink(objects, lambda hashes: ({h for h in hashes if h in known}, set()))
    result = tree.back_up(Path(root), plan, sink, Meter(total=plan.bytes_to_read))
    objects.sync()
    stored = manifest.save(objects, name, result)
    packs = len(list(objects.list("packs")))
    with open(Path(vault) / f"locations-{name}.pickle", "wb") as handle:  # what the index would hold
        pickle.dump(sink.written, handle)
    return {"read": plan.bytes_to_read, "new": sink.new_bytes, "key": stored.key, "hash": stored.hash,
            "packs": packs}


def tree_restore(vault: str, key: str, hash_: str, name: str, target: str) -> dict[str, Any]:
    """Restore a tree backup to a new directory (walking it with O_NOFOLLOW), then sync, as cp + sync."""
    objects = LocalObjectStore(Path(vault))
    loaded = manifest.load(objects, key, hash_)
    assert isinstance(loaded, manifest.TreeManifest)
    with open(Path(vault) / f"locations-{name}.pickle", "rb") as handle:
        locations = pickle.load(handle)
    not_restored = tree.restore(loaded, Path(target), tree.fetcher(objects, locations), Meter())
    os.sync()
    return {"not_restored": len(not_restored)}


def stat_floor(root: str) -> dict[str, Any]:
    count = 0
    for directory, _dirs, files in os.walk(root):
        for name in files:
            os.lstat(os.path.join(directory, name))
            count += 1
    return {"files": count}


# --- scenarios -----------------------------------------------------------------------------------------


def make_image(path: Path, size: int, data: int) -> DiskImage:
    disk = DiskImage.create(path, size)
    Workload("bench-image").fill_disk(disk, data, mix=Mix(text=0.5, binary=0.3, zeros=0.2), dense_start=True)
    return disk


def same_content(a: Path, b: Path) -> bool:
    return subprocess.run(["cmp", "-s", str(a), str(b)], check=False).returncode == 0


def median_of(runs: int, engine: Callable[[int], dict[str, Any]],
              baseline: Callable[[int], float]) -> tuple[dict[str, Any], float]:
    """Alternate engine and baseline `runs` times; the engine run with the median time, and the median
    baseline (the machine's disk is virtual: single timings vary by a third)."""
    engines, baselines = [], []
    for attempt in range(runs):
        baselines.append(baseline(attempt))
        engines.append(engine(attempt))
    engines.sort(key=lambda r: r["seconds"])
    return engines[len(engines) // 2], sorted(baselines)[len(baselines) // 2]


def run(work: Path, scale: float, runs: int) -> list[Row]:
    rows: list[Row] = []
    size, data = int(8 * GiB * scale), int(2 * GiB * scale)
    source = work / "disk.img"
    vault = work / "vault"
    disk = make_image(source, size, data)
    bitmap = disk.state_path.read_bytes()

    def cp_image(_attempt: int) -> float:
        seconds = timed_command(["cp", "--sparse=always", str(source), str(work / "copy.img")])
        (work / "copy.img").unlink()
        return seconds

    # S1: full backup against cp --sparse=always + sync (each attempt into an empty vault).
    def s1_attempt(attempt: int) -> dict[str, Any]:
        disk.state_path.write_bytes(bitmap)
        try:
            return in_child(image_backup, str(source), str(work / f"vault-s1-{attempt}"), None, None, "s1")
        finally:
            shutil.rmtree(work / f"vault-s1-{attempt}", ignore_errors=True)

    s1, cp_full = median_of(runs, s1_attempt, cp_image)
    rows.append(Row("S1 full backup, 8 GiB image / 2 GiB data", s1["seconds"], cp_full, "<= 1.5x cp", s1["peak_mb"],
                    f"read {s1['read'] / GiB:.2f} GiB, stored {s1['new'] / GiB:.2f} GiB"))

    # S1e: the same disk encrypted: every chunk sealed (keyed BLAKE3 IDs, AES-256-GCM).
    def s1e_attempt(attempt: int) -> dict[str, Any]:
        disk.state_path.write_bytes(bitmap)
        try:
            return in_child(image_backup, str(source), str(work / f"vault-s1e-{attempt}"), None, None, "s1e", True)
        finally:
            shutil.rmtree(work / f"vault-s1e-{attempt}", ignore_errors=True)

    s1e, cp_again = median_of(runs, s1e_attempt, cp_image)
    rows.append(Row("S1e the same, the disk encrypted (chunks sealed)", s1e["seconds"], cp_again, "<= 1.5x cp",
                    s1e["peak_mb"], f"plain S1 took {s1['seconds']:.2f} s ({s1e['seconds'] / s1['seconds']:.2f}x)"))
    disk.state_path.write_bytes(bitmap)
    s1 = image_backup(str(source), str(vault), None, None, "s1")  # the base of the scenarios that follow

    # S2a: incremental after 1% of the disk rewritten in 1 MiB extents.
    writes = Workload("bench-s2a")
    with disk.writer() as writer:
        for _ in range(size // 100 // CHUNK_SIZE):
            offset = writes.rng.randrange(0, size // CHUNK_SIZE) * CHUNK_SIZE
            writer.write(offset, writes.block("random", CHUNK_SIZE))
    s2a = in_child(image_backup, str(source), str(vault), s1["key"], s1["hash"], "s2a")
    rows.append(Row("S2a incremental, 1% in 1 MiB extents", s2a["seconds"], cp_full, "<= 0.25x full cp",
                    s2a["peak_mb"], f"read {s2a['read'] / MiB:.0f} MiB, stored {s2a['new'] / MiB:.0f} MiB"))

    # S3: verified restore of the latest incremental against cp.
    def s3_attempt(_attempt: int) -> dict[str, Any]:
        (work / "restored.img").unlink(missing_ok=True)
        return in_child(image_restore, str(vault), s2a["key"], s2a["hash"], str(work / "restored.img"))

    s3, cp_restore = median_of(runs, s3_attempt, cp_image)
    identical = same_content(source, work / "restored.img")
    sparse = (work / "restored.img").stat().st_blocks <= source.stat().st_blocks
    rows.append(Row("S3 verified restore of the S2a backup", s3["seconds"], cp_restore, "<= 1.5x cp", s3["peak_mb"],
                    f"identical={identical}, holes kept={sparse}"))
    (work / "restored.img").unlink()

    # S2b: the same amount in scattered 4 KiB writes (the worst case, no target).
    Workload("bench-s2b").scatter_writes(disk, size // 100 // 4096)
    s2b = in_child(image_backup, str(source), str(vault), s2a["key"], s2a["hash"], "s2b")
    rows.append(Row("S2b incremental, 1% in scattered 4 KiB", s2b["seconds"], cp_full, "(reported)",
                    s2b["peak_mb"], f"read {s2b['read'] / MiB:.0f} MiB"))

    # S4: a clone with 5% of its data changed, in the same vault.
    clone = work / "clone.img"
    subprocess.run(["cp", "--sparse=always", str(source), str(clone)], check=True)
    clone_disk = DiskImage(clone)
    clone_disk.distrust()
    changes = Workload("bench-s4")
    changed_compressed = 0
    with clone_disk.writer() as writer:
        extents = disk.data_extents()
        for _ in range(int(data * 0.05) // CHUNK_SIZE):
            start, end = changes.rng.choice(extents)
            offset = (start + changes.rng.randrange(0, max(end - start - CHUNK_SIZE, 1))) // CHUNK_SIZE * CHUNK_SIZE
            block = changes.block("random", CHUNK_SIZE)
            writer.write(offset, block)
            changed_compressed += len(block)
    s4 = in_child(image_backup, str(clone), str(vault), None, None, "s4")
    rows.append(Row("S4 similar image, 5% changed (stored / changed)", s4["new"], changed_compressed,
                    "<= 1.2x changed", s4["peak_mb"],
                    f"stored {s4['new'] / MiB:.0f} MiB of {s4['read'] / MiB:.0f} read"))

    # S5: 100k small files against cp -a + sync, then the unchanged tree against a stat walk.
    files = int(100_000 * scale)
    root = work / "tree"
    Workload("bench-tree").fill_tree(root, files, int(585 * MiB * scale))
    def cp_tree_attempt(_attempt: int) -> float:
        seconds = timed_command(["cp", "-a", str(root), str(work / "tree-copy")])
        shutil.rmtree(work / "tree-copy")
        return seconds

    def s5_attempt(attempt: int) -> dict[str, Any]:
        return in_child(tree_backup, str(root), str(work / f"tree-vault-{attempt}"), None, None, "s5")

    s5, cp_tree = median_of(runs, s5_attempt, cp_tree_attempt)
    rows.append(Row(f"S5 tree of {files:,} small files", s5["seconds"], cp_tree, "<= 1.0x cp -a", s5["peak_mb"],
                    f"{s5['packs']} packs, stored {s5['new'] / MiB:.0f} MiB"))
    s5b, floor_seconds = median_of(
        runs,
        lambda attempt: in_child(tree_backup, str(root), str(work / "tree-vault-0"), s5["key"], s5["hash"],
                                 f"s5b-{attempt}"),
        lambda _attempt: in_child(stat_floor, str(root))["seconds"])
    rows.append(Row("S5b unchanged tree again (vs scandir+stat)", s5b["seconds"], floor_seconds,
                    "<= 2x stat walk", s5b["peak_mb"], f"read {s5b['read']} bytes"))

    # S5r: that tree restored to a new directory, against the same cp -a + sync.
    def s5r_attempt(attempt: int) -> dict[str, Any]:
        target = work / f"tree-restored-{attempt}"
        result = in_child(tree_restore, str(work / "tree-vault-0"), s5["key"], s5["hash"], "s5", str(target))
        result["identical"] = subprocess.run(["diff", "-r", "--no-dereference", "-q", str(root), str(target)],
                                             capture_output=True, check=False).returncode == 0
        shutil.rmtree(target)
        return result

    s5r, cp_again = median_of(runs, s5r_attempt, cp_tree_attempt)
    rows.append(Row("S5r restore of that tree to a new directory", s5r["seconds"], cp_again, "<= 1.5x cp -a",
                    s5r["peak_mb"], "identical" if s5r["identical"] else "DIFFERENT"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="an eighth of the sizes, one run each")
    parser.add_argument("--runs", type=int, default=3, help="runs per timed scenario (the median is shown)")
    parser.add_argument("--work", type=Path, help="where to put the test data (default: a temporary directory)")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="cbr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cold = drop_caches()
    try:
        rows = run(work, 0.125 if options.quick else 1.0, 1 if options.quick else options.runs)
    finally:
        if not options.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"cbr-tui engine benchmarks ({'quick' if options.quick else 'full'} sizes, "
          f"median of {1 if options.quick else options.runs} runs, "
          f"{'cold caches' if cold else 'warm caches: could not drop them'}, {os.cpu_count()} CPUs)")
    print(f"{'scenario':<50} {'engine':>10} {'baseline':>10} {'ratio':>7}  {'target':<18} {'peak MB':>8}  note")
    for row in rows:
        unit = "B" if row.name.startswith("S4") else "s"
        engine = f"{row.engine / MiB:.0f} MiB" if unit == "B" else f"{row.engine:.2f} s"
        baseline = f"{row.baseline / MiB:.0f} MiB" if unit == "B" else f"{row.baseline:.2f} s"
        print(f"{row.name:<50} {engine:>10} {baseline:>10} {row.ratio:>6.2f}x  {row.target:<18} "
              f"{row.peak_mb:>8.0f}  {row.note}")


if __name__ == "__main__":
    main()

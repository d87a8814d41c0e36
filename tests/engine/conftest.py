"""The engine's tests share a tree vault: an object store with the index a database would hold."""

from pathlib import Path

import pytest

from cbr_tui.engine import tree
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import TreeManifest
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.packs import PackSink
from cbr_tui.engine.progress import Meter

MiB = 1 << 20


class TreeVault:
    """Back trees up into a local object store and restore them, keeping blob locations in memory."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects
        self.locations: dict[bytes, Location] = {}

    def classify(self, hashes):  # type: ignore[no-untyped-def]
        return {h for h in hashes if h in self.locations}, set()

    def back_up(self, root: Path, base: TreeManifest | None = None, *, full: bool = False):  # type: ignore[no-untyped-def]
        plan = tree.scan(root, base, full=full)
        sink = PackSink(self.objects, self.classify, target=MiB)
        meter = Meter(total=plan.bytes_to_read)
        result = tree.back_up(root, plan, sink, meter)
        self.locations |= sink.written
        return result, plan, sink

    def restore(self, result: TreeManifest, target: Path) -> None:
        tree.restore(result, target, tree.fetcher(self.objects, self.locations), Meter())


@pytest.fixture
def tree_vault(object_store: ObjectStore) -> TreeVault:
    """Each test runs on a directory and on an S3 bucket."""
    return TreeVault(object_store)

"""Restoring file trees: a new SFS Turbo file system, or a backup client's files to where they came from
(or under a new directory). Each tree's blobs are located in the index and verified as they are read."""

from pathlib import Path

from sqlmodel import select

from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.plans import FilesRestore, NewTurboRestore, TreeRestorePlan
from cbr_tui.engine import index, manifest, tree
from cbr_tui.engine.manifest import TreeManifest
from cbr_tui.jobs.context import JobContext
from cbr_tui.store.models import Backup, Vault


def restore_tree(job: JobContext, vault: Vault, backup: Backup, params: TreeRestorePlan) -> list[str]:
    """Restore the backup's trees; returns the entries that could not be restored (sockets, devices)."""
    objects = job.objects(vault)
    with job.store.read() as session:
        rows = [backup] if backup.manifest_key else list(session.exec(
            select(Backup).where(Backup.parent_id == backup.id).order_by(Backup.resource_name)).all())
        trees: list[tuple[Backup, TreeManifest]] = []
        for row in rows:
            if not row.manifest_key or not row.manifest_hash:
                raise manifest.DamagedManifest(f"{row.name} has no manifest")
            loaded = manifest.load(objects, row.manifest_key, row.manifest_hash)
            assert isinstance(loaded, TreeManifest)
            trees.append((row, loaded))
        wanted = {h for _row, m in trees for h in m.referenced()}
        locations = index.locate(session, vault.id, wanted)
    meter = job.meter()
    fetch = tree.fetcher(objects, locations, job.keys(vault))
    not_restored: list[str] = []
    for _row, loaded in trees:
        target, below = _target(job, params, loaded)
        try:
            not_restored += tree.restore(loaded, target, fetch, meter, below=below,
                                         owners=isinstance(params, FilesRestore) and params.keep_owners)
        except tree.DamagedFile as error:
            raise manifest.DamagedManifest(f"file {error}") from None
        except tree.UnsafePath as error:
            raise CbrError(Codes.INVALID_PARAMETER, f"The restore was stopped: {error}.") from None
    return not_restored


def _target(job: JobContext, params: TreeRestorePlan, loaded: TreeManifest) -> tuple[Path, tuple[str, ...]]:
    """Where the tree goes: a directory the user (or the layout) names, and the names below it that the
    restore walks without following links (under a new directory, the tree keeps its original path)."""
    if isinstance(params, NewTurboRestore):
        return job.layout.resolve(params.path), ()
    destination = params.destination
    original = Path(loaded.root)
    if destination is None:
        return original, ()
    return Path(destination), original.parts[1:]

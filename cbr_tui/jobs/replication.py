"""The replication job: copy a server backup's disks into a replication vault of another region (and, the
same way, a backup synchronised from on-premises into a hybrid cloud backup vault: a VM's disks, or a LUN).

Each disk's manifest is read from the source vault (its hash checked against the database) and every
chunk it lists that the destination does not hold intact is read, verified against its ID, and written
to the destination as stored (already compressed). Then the destination follows the usual commit order:
one sync, the manifests, one transaction that references the chunks, counts the used capacity (a full
vault fails the replica with 6114) and makes the replica Available. The source is only read.
"""

from dataclasses import dataclass
from functools import partial

from sqlmodel import select

from cbr_tui.cloud.disk_image import CHUNK_SIZE
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine import index, keys, manifest
from cbr_tui.engine.backup import commit_backups, describe
from cbr_tui.engine.blobs import Codec, DamagedBlob, chunk_key
from cbr_tui.engine.commit import Made
from cbr_tui.engine.image import stored_span
from cbr_tui.engine.index import Location
from cbr_tui.engine.manifest import ImageManifest
from cbr_tui.engine.mirror import listing, read_checked
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.progress import Meter
from cbr_tui.jobs import outcome
from cbr_tui.jobs.backup import abandon_backup, succeed
from cbr_tui.jobs.context import JobContext
from cbr_tui.jobs.lease import LeaseLost
from cbr_tui.store.models import Backup, Task, Vault


@dataclass
class _DiskCopy:
    replica_id: str
    source: Backup
    manifest: ImageManifest


def run_replication(job: JobContext, task: Task) -> None:
    with job.store.read() as session:
        replica = session.get(Backup, task.backup_id)
        source = session.get(Backup, replica.source_backup_id) if replica and replica.source_backup_id else None
        destination = session.get(Vault, replica.vault_id) if replica else None
        source_vault = session.get(Vault, source.vault_id) if source else None
        children = list(session.exec(select(Backup).where(Backup.parent_id == task.backup_id)).all())
    if replica is None or destination is None:
        abandon_backup(job, task, CbrError(Codes.BACKUP_NOT_FOUND, "The replica of this task no longer exists."))
        return
    if source is None or source_vault is None:
        abandon_backup(job, task, CbrError(Codes.BACKUP_NOT_FOUND,
                                           f"The backup {replica.name} was copied from no longer exists."))
        return
    try:
        origin, target = job.objects(source_vault), job.objects(destination)
        with origin.lock(exclusive=False), target.lock(exclusive=False) as held:
            work = _plan(job, origin, children or [replica])  # a disk's backup is its own only disk
            made, written = _copy(job, origin, target, job.keys(source_vault), destination, work)
            held.confirm()
            commit_backups(job.store, job.clock, destination.id, replica.id, made, written, succeed(job, task))
            describe(job.store, target, destination.id, replica.id)
    except LeaseLost:
        raise
    except BaseException as error:
        abandon_backup(job, task, outcome.describe(error, destination.name))
        if not isinstance(error, Exception):
            raise


def _plan(job: JobContext, origin: ObjectStore, children: list[Backup]) -> list[_DiskCopy]:
    work: list[_DiskCopy] = []
    with job.store.read() as session:
        for child in children:
            source = session.get(Backup, child.source_backup_id) if child.source_backup_id else None
            if source is None or not source.manifest_key or not source.manifest_hash:
                raise manifest.DamagedManifest(f"the disk backup {child.resource_name} has no data to copy")
            loaded = manifest.load(origin, source.manifest_key, source.manifest_hash)
            assert isinstance(loaded, ImageManifest)
            work.append(_DiskCopy(child.id, source, loaded))
    return work


def _decoded_length(codec: Codec, hash_: bytes, stored: bytes) -> tuple[bytes, int]:
    """A source chunk as stored, and its size once decoded (which proves it whole)."""
    return stored, len(codec.decode(stored, hash_, CHUNK_SIZE))


def _copy(job: JobContext, origin: ObjectStore, target: ObjectStore, origin_keys: keys.Keyring,
          destination: Vault, work: list[_DiskCopy]) -> tuple[list[Made], dict[bytes, Location]]:
    wanted = list(dict.fromkeys(h for item in work for h in item.manifest.referenced()))
    with job.store.read() as session:
        intact, _damaged = index.classify(session, destination.id, wanted)
    missing = [h for h in wanted if h not in intact]
    meter: Meter = job.meter()
    meter.add_total(len(missing) * CHUNK_SIZE)
    meter.check()
    for key_object, _size, _mtime in listing(origin, keys.PREFIX):  # sealed chunks travel with their wrapped keys
        if not target.exists(key_object):
            target.put_durably(key_object, origin.get(key_object))
    codec = Codec(origin_keys)
    written: dict[bytes, Location] = {}
    for hash_ in missing:
        key = chunk_key(hash_)
        try:  # a Multi-AZ source gives its other zone's copy when one is damaged
            stored, raw_length = read_checked(origin, key, 0, None, partial(_decoded_length, codec, hash_))
        except DamagedBlob as error:
            raise manifest.DamagedManifest(f"chunk {hash_.hex()[:16]}... of the source is damaged: {error}") from None
        target.put(key, stored)
        written[hash_] = Location(key, 0, len(stored), raw_length)
        meter.advance(CHUNK_SIZE)
    target.sync()
    made = [Made(item.replica_id, item.manifest, manifest.save(target, item.replica_id, item.manifest),
                 logical_bytes=stored_span(item.manifest), read_bytes=sum(
                     written[h].raw_size for h in set(item.manifest.referenced()) if h in written))
            for item in work]
    return made, written

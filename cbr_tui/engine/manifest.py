"""Manifests: the immutable list of what a backup holds. Every backup is a virtual full, so its manifest
names every chunk (images) or every file with its blobs (trees); any backup restores on its own.

Stored as zstd-compressed msgpack in the vault's object store; the database keeps the manifest's BLAKE3
hash, and loading checks it, so a damaged manifest is found before anything is restored from it.
msgpack and zstandard are imported on first use (see `blobs`).
"""

from dataclasses import dataclass
from typing import Any, NamedTuple

from cbr_tui.engine.blobs import digest
from cbr_tui.engine.mirror import read_checked
from cbr_tui.engine.objects import DamagedObject, ObjectStore

FORMAT = 1


class DamagedManifest(DamagedObject):
    """A manifest is missing, unreadable, or not the one the database recorded."""


@dataclass
class ImageManifest:
    disk_size: int
    chunk_size: int
    chunks: list[bytes | None]
    generation: int | None = None

    def referenced(self) -> set[bytes]:
        return {h for h in self.chunks if h is not None}

    def to_wire(self) -> dict[str, Any]:
        return {"v": FORMAT, "kind": "image", "disk_size": self.disk_size, "chunk_size": self.chunk_size,
                "generation": self.generation, "chunks": self.chunks}


class TreeEntry(NamedTuple):
    """One file, directory or symlink of a tree backup. A tuple, so a manifest of 100,000 entries packs
    and unpacks without a conversion per entry, and an unchanged file's entry is reused as it is."""

    path: str
    kind: str  # "file", "dir" or "symlink"
    mode: int
    mtime_ns: int
    size: int = 0
    ctime_ns: int = 0
    inode: int = 0
    chunks: tuple[bytes, ...] = ()
    target: str | None = None
    uid: int = -1  # the owner, given back only by a restore that is asked to and runs as root (-1: unknown)
    gid: int = -1


@dataclass
class TreeManifest:
    root: str
    entries: list[TreeEntry]

    def referenced(self) -> set[bytes]:
        return {h for entry in self.entries for h in entry.chunks}

    def to_wire(self) -> dict[str, Any]:
        return {"v": FORMAT, "kind": "tree", "root": self.root, "entries": self.entries}


Manifest = ImageManifest | TreeManifest


NAMES_AS_BYTES = "surrogateescape"


def encode(manifest: Manifest) -> bytes:
    import msgpack
    import zstandard

    # File names are bytes: one that is not UTF-8 is held as Python holds it (lone surrogates) and stored
    # as its own bytes, so it restores exactly.
    wire = msgpack.packb(manifest.to_wire(), use_bin_type=True, unicode_errors=NAMES_AS_BYTES)
    return zstandard.ZstdCompressor(level=1).compress(wire)


def decode(data: bytes) -> Manifest:
    import msgpack
    import zstandard

    wire = msgpack.unpackb(zstandard.ZstdDecompressor().decompress(data), raw=False, use_list=False,
                           unicode_errors=NAMES_AS_BYTES)
    if wire.get("v") != FORMAT:
        raise DamagedManifest(f"unknown manifest format {wire.get('v')!r}")
    if wire["kind"] == "image":
        return ImageManifest(wire["disk_size"], wire["chunk_size"], list(wire["chunks"]), wire.get("generation"))
    try:
        return TreeManifest(wire["root"], list(map(TreeEntry._make, wire["entries"])))
    except TypeError:  # written before entries named their owners: the missing fields take their defaults
        return TreeManifest(wire["root"], [TreeEntry(*entry) for entry in wire["entries"]])


@dataclass(frozen=True)
class StoredManifest:
    key: str
    hash: str
    size: int


def save(objects: ObjectStore, backup_id: str, manifest: Manifest) -> StoredManifest:
    """Write a manifest durably: after the chunks are synced, before the database commit."""
    data = encode(manifest)
    key = f"manifests/{backup_id}"
    put_durably = getattr(objects, "put_durably", None)
    (put_durably or objects.put)(key, data)
    return StoredManifest(key, digest(data).hex(), len(data))


def load(objects: ObjectStore, key: str, expected_hash: str) -> Manifest:
    """The manifest, checked against the hash the database recorded (a Multi-AZ vault's other copy when the
    first is missing or damaged)."""
    try:
        return read_checked(objects, key, 0, None, lambda data: checked(key, expected_hash, data))
    except FileNotFoundError:
        raise DamagedManifest(f"manifest {key} is missing") from None


def checked(key: str, expected_hash: str, data: bytes) -> Manifest:
    """A stored manifest's bytes decoded, once they match the hash the database recorded."""
    if digest(data).hex() != expected_hash:
        raise DamagedManifest(f"manifest {key} does not match the hash the database recorded")
    import msgpack
    import zstandard

    try:
        return decode(data)
    except (zstandard.ZstdError, ValueError, KeyError, TypeError, msgpack.ExtraData) as error:
        raise DamagedManifest(f"manifest {key} cannot be read: {error}") from None

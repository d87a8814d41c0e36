"""Where each vault's objects live: a directory under the data directory (the embedded default), or the
S3-compatible bucket of the vault's availability zone.

`CBR_TUI_OBJECT_STORE` holds the configuration, as JSON or as the path of a JSON file (keep a file with
secret keys private to its owner). Each key is an availability zone's ID, or `*` for every zone not named:

    {"cn-north-4a": {"endpoint": "http://10.0.0.5:8333", "bucket": "cbr-az1",
                     "access_key": "...", "secret_key": "...", "region": "us-east-1"},
     "*":           {"endpoint": "http://10.0.0.6:8333", "bucket": "cbr-az2", ...}}

A vault's objects are the keys under `vaults/{vault_id}/` of its zone's bucket, after the location's
optional `prefix` (several installations can then share one bucket).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from cbr_tui.engine.locks import FileLocks, VaultLocks
from cbr_tui.engine.mirror import MirroredObjectStore, Zone
from cbr_tui.engine.objects import LocalObjectStore, ObjectStore
from cbr_tui.engine.s3 import S3Location, S3ObjectStore, vault_ids

EVERY_OTHER_ZONE = "*"


class PlacedVault(Protocol):
    """What placement needs of a vault: its ID and its zones (a Multi-AZ vault has two)."""

    @property
    def id(self) -> str: ...

    @property
    def availability_zone(self) -> str | None: ...

    @property
    def secondary_zone(self) -> str | None: ...


@dataclass(frozen=True)
class VaultZones:
    """A vault's ID and zones alone: enough to find its store once its row is gone (a deleted vault)."""

    id: str
    availability_zone: str | None
    secondary_zone: str | None


class _LocationSpec(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    prefix: str = ""


class PlacementError(ValueError):
    """The object store configuration cannot be read; the message says what is wrong with it."""


def parse_zones(text: str) -> dict[str, S3Location]:
    """The zones of `CBR_TUI_OBJECT_STORE` (JSON, or the path of a JSON file)."""
    source = "CBR_TUI_OBJECT_STORE"
    if not text.lstrip().startswith(("{", "[")):
        path = Path(text).expanduser()
        try:
            text = path.read_text()
        except OSError as error:
            raise PlacementError(f"{source} names {path}, which cannot be read: {error.strerror}.") from None
        source = str(path)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise PlacementError(f"{source} is not JSON: {error}.") from None
    if not isinstance(document, dict) or not document:
        raise PlacementError(f"{source} must map availability zones (or \"*\") to S3 locations.")
    zones: dict[str, S3Location] = {}
    for zone, spec in document.items():
        try:
            checked = _LocationSpec.model_validate(spec)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "the location"
            raise PlacementError(f"{source}: zone {zone!r}, {where}: {problem['msg']}.") from None
        if not checked.endpoint.startswith(("http://", "https://")):
            raise PlacementError(f"{source}: zone {zone!r}: the endpoint must be an http:// or https:// URL.")
        prefix = checked.prefix.strip("/")
        if prefix and ".." in prefix.split("/"):
            raise PlacementError(f"{source}: zone {zone!r}: the prefix may not contain `..`.")
        zones[zone] = S3Location(**{**checked.model_dump(), "prefix": f"{prefix}/" if prefix else ""})
    return zones


@dataclass(frozen=True)
class Placement:
    """Which store holds a vault's objects."""

    home: Path
    zones: Mapping[str, S3Location] = field(default_factory=dict)
    # The bucket vaults' locks, which every process reaching the buckets must share: the database's (on
    # PostgreSQL), or files (by default in the data directory's `locks/`).
    locks: VaultLocks | None = None

    @property
    def vault_locks(self) -> VaultLocks:
        return self.locks or FileLocks(self.home / "locks")

    def location(self, zone: str | None) -> S3Location | None:
        """The S3 location of a zone; None: the local directory."""
        found = self.zones.get(zone) if zone is not None else None
        return found or self.zones.get(EVERY_OTHER_ZONE)

    def store(self, vault: PlacedVault) -> ObjectStore:
        """The vault's store; a Multi-AZ vault whose two zones are kept in different places has both, mirrored
        (two zones in one place keep one copy there: a second copy in the same place protects nothing)."""
        first = self.zone_store(vault.id, vault.availability_zone)
        second_zone = vault.secondary_zone
        if second_zone is None or self.location(second_zone) == self.location(vault.availability_zone):
            return first
        return MirroredObjectStore(Zone(vault.availability_zone or "", first),
                                   Zone(second_zone, self.zone_store(vault.id, second_zone)))

    def zone_store(self, vault_id: str, zone: str | None) -> ObjectStore:
        """A vault's copy in one zone: that zone's bucket, or the data directory."""
        location = self.location(zone)
        if location is None:
            return self.local_store(vault_id)
        return self._bucket_store(location, vault_id)

    def every_store(self) -> list[tuple[str, ObjectStore]]:
        """(vault ID, store) of every vault store the installation reaches, for recovery: the data directory's,
        then each bucket's (a Multi-AZ vault's two copies both)."""
        root = self.home / "vaults"
        found: list[tuple[str, ObjectStore]] = [(path.name, LocalObjectStore(path)) for path in sorted(root.iterdir())
                                                if path.is_dir()] if root.is_dir() else []
        for location in dict.fromkeys(self.zones.values()):
            found += [(vault_id, self._bucket_store(location, vault_id)) for vault_id in vault_ids(location)]
        return found

    def _bucket_store(self, location: S3Location, vault_id: str) -> S3ObjectStore:
        return S3ObjectStore(location, f"{location.prefix}vaults/{vault_id}", self.vault_locks)

    def local_store(self, vault_id: str) -> LocalObjectStore:
        """The directory a vault's objects are kept in when no bucket is configured for its zone."""
        return LocalObjectStore(self.home / "vaults" / vault_id)

"""The simulated Key Management Service (KMS): customer master keys that never leave it.

Encrypted EVS disks name a master key (by default the region's `evs/default`, as on Huawei Cloud). CBR never
sees a master key: it asks the KMS to wrap and unwrap the data keys it keeps in each vault (envelope
encryption). The keys live apart from the database, under `kms/` in the data directory, one private file each,
as a separate service would: a vault recovered after the database is lost still decrypts.
"""

import base64
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ALIAS = "evs/default"
ALGORITHM = "AES_256"


class KeyUnavailable(Exception):
    """The master key does not exist (or was deleted), or a wrapped data key is not its own."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    alias: str
    region_id: str


class KeyManagement:
    def __init__(self, home: Path) -> None:
        self.root = home / "kms"

    def default_key(self, region_id: str) -> MasterKey:
        """The region's `evs/default` key, created on first use (as the console does on the first encrypted disk)."""
        return self.service_key(region_id, DEFAULT_ALIAS)

    def service_key(self, region_id: str, alias: str) -> MasterKey:
        """A cloud service's own key by its alias (`evs/default`, `iam/access-keys`), created on first use."""
        found = self._find(region_id, alias)
        if found is not None:
            return found
        with self._locked():
            return self._find(region_id, alias) or self.create_key(region_id, alias)

    def create_key(self, region_id: str, alias: str) -> MasterKey:
        # The same ID for a region's alias in every installation (fixed IDs for tests and demos); the
        # material is random, so two installations' keys still differ.
        key = MasterKey(str(uuid.uuid5(uuid.NAMESPACE_URL, f"kms:{region_id}:{alias}")), alias, region_id)
        record = {"key_id": key.key_id, "alias": alias, "region_id": region_id, "algorithm": ALGORITHM,
                  "material": base64.b64encode(os.urandom(32)).decode()}
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.root / f"{key.key_id}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(record, handle)
            handle.flush()
            os.fsync(handle.fileno())
        return key

    def keys(self) -> list[MasterKey]:
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.glob("*.json")):
            record = json.loads(path.read_text())
            found.append(MasterKey(record["key_id"], record["alias"], record["region_id"]))
        return found

    def encrypt(self, key_id: str, plaintext: bytes, context: bytes) -> bytes:
        """Wrap a data key: AES-256-GCM under the master key, bound to `context` (the data key's ID)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        return nonce + AESGCM(self._material(key_id)).encrypt(nonce, plaintext, context)

    def decrypt(self, key_id: str, wrapped: bytes, context: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(self._material(key_id)).decrypt(wrapped[:12], wrapped[12:], context)
        except (InvalidTag, ValueError):
            raise KeyUnavailable(f"the data key was not wrapped by KMS key {key_id}") from None

    def _material(self, key_id: str) -> bytes:
        try:
            uuid.UUID(key_id)
            record = json.loads((self.root / f"{key_id}.json").read_text())
        except (ValueError, FileNotFoundError):
            raise KeyUnavailable(f"KMS key {key_id} does not exist") from None
        return base64.b64decode(record["material"])

    def _find(self, region_id: str, alias: str) -> MasterKey | None:
        return next((k for k in self.keys() if k.region_id == region_id and k.alias == alias), None)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Two processes creating the default key at once make one key."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600), "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

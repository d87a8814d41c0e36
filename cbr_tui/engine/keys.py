"""A vault's data keys, kept in the vault itself and wrapped by the key management service (envelope encryption).

Each data key is one object, `keys/<id>`, holding the KMS key that wrapped it and the wrapped key; the clear
key exists only in memory. A vault has one data key per KMS key it was given (blobs sealed with different
keys never deduplicate, as the issue asks), and since the keys live with the data, a vault rebuilt from its
object store after the database is lost still opens, as long as the KMS still holds its master keys.
"""

import base64
import json
import os
from typing import Protocol

from cbr_tui.engine.blobs import KEY_ID_BYTES, DataKey
from cbr_tui.engine.mirror import listing, read_checked
from cbr_tui.engine.objects import DamagedObject, ObjectStore

PREFIX = "keys/"
FORMAT = 1


class KeyService(Protocol):
    """What the engine needs of the KMS: wrap and unwrap a data key under a master key."""

    def encrypt(self, key_id: str, plaintext: bytes, context: bytes) -> bytes: ...

    def decrypt(self, key_id: str, wrapped: bytes, context: bytes) -> bytes: ...


class Keyring(dict[bytes, DataKey]):
    """The data keys of a vault that could be opened, by ID; `unavailable` says why the others could not."""

    def __init__(self) -> None:
        super().__init__()
        self.unavailable: dict[bytes, str] = {}
        self.master_keys: dict[bytes, str] = {}


def load(objects: ObjectStore, kms: KeyService) -> Keyring:
    """Unwrap every data key of the vault (a key the KMS cannot open is listed in `unavailable`)."""
    ring = Keyring()
    for key, _size, _mtime in listing(objects, PREFIX):  # a restore reads on with one zone down
        key_id = bytes.fromhex(key.removeprefix(PREFIX))
        try:
            record = read_checked(objects, key, 0, None, record_of)
            ring.master_keys[key_id] = record["kms_key_id"]
            ring[key_id] = DataKey(key_id, kms.decrypt(record["kms_key_id"], base64.b64decode(record["wrapped"]),
                                                       key_id))
        except Exception as error:  # a damaged record or a key the KMS refuses: the blobs say which
            ring.unavailable[key_id] = str(error) or type(error).__name__
    return ring


def record_of(data: bytes) -> dict[str, str]:
    """A stored key record, whole (a damaged one sends a Multi-AZ vault's read to its other zone)."""
    try:
        record = json.loads(data)
        return {"kms_key_id": str(record["kms_key_id"]), "wrapped": str(record["wrapped"])}
    except (ValueError, KeyError, TypeError) as error:
        raise DamagedObject(f"the data key's record cannot be read ({error})") from None


def data_key(objects: ObjectStore, kms: KeyService, kms_key_id: str) -> DataKey:
    """The vault's data key under `kms_key_id`: the one it has, or a new one, stored durably before any blob
    sealed with it (so no sealed blob is ever written without its key being in the vault)."""
    ring = load(objects, kms)
    mine = sorted(key_id for key_id, master in ring.master_keys.items() if master == kms_key_id and key_id in ring)
    if mine:
        return ring[mine[0]]
    key = DataKey(os.urandom(KEY_ID_BYTES), os.urandom(32))
    record = {"v": FORMAT, "kms_key_id": kms_key_id, "algorithm": "AES-256-GCM",
              "wrapped": base64.b64encode(kms.encrypt(kms_key_id, key.secret, key.id)).decode()}
    put_durably = getattr(objects, "put_durably", None)
    (put_durably or objects.put)(f"{PREFIX}{key.id.hex()}", json.dumps(record).encode())
    return key

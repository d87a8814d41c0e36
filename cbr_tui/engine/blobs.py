"""Blobs: the unit of deduplication. A blob's ID is the BLAKE3 hash of its raw bytes; what is stored is one
codec byte and the payload (zstd level 1, or raw when compression does not shrink it), so every stored blob
describes itself and can be verified on its own.

A blob of an encrypted disk is sealed with one of the vault's data keys (see `keys`): its ID is BLAKE3 keyed
with that key (so equal data deduplicates under the same key only, and an ID reveals nothing of the data), and
what is stored is `SEALED`, the data key's ID, a nonce, and the encoded blob encrypted with AES-256-GCM, its ID
as associated data.

The hashing and compression libraries are imported on first use: the services import this module for its
names, and a process that never copies data (the console before its first backup) need not load them."""

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cbr_tui.engine.objects import DamagedObject

RAW = 0
ZSTD = 1
SEALED = 2
HASH_BYTES = 32
KEY_ID_BYTES = 16
NONCE_BYTES = 12
_LEVEL = 1


class DamagedBlob(DamagedObject):
    """A stored blob does not decode to the bytes its ID promises."""


@dataclass(frozen=True)
class DataKey:
    """One of a vault's data keys: `id` is 16 bytes, `secret` 32 bytes (held only in memory, unwrapped)."""

    id: bytes
    secret: bytes = field(repr=False)

    @cached_property
    def id_key(self) -> bytes:
        import blake3

        return blake3.blake3(self.secret, derive_key_context="cbr-tui 2026-12 blob ids").digest()

    @cached_property
    def cipher(self) -> Any:
        import blake3
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(blake3.blake3(self.secret, derive_key_context="cbr-tui 2026-12 blob sealing").digest())


class Codec:
    """Compression contexts are not thread-safe; each worker thread keeps its own Codec. `keys` are the
    vault's data keys by ID, to open sealed blobs."""

    def __init__(self, keys: Mapping[bytes, DataKey] | None = None) -> None:
        import zstandard

        self._compressor = zstandard.ZstdCompressor(level=_LEVEL)
        self._decompressor = zstandard.ZstdDecompressor()
        self._keys = keys if keys is not None else {}

    def encode(self, raw: bytes, key: DataKey | None = None, blob_id: bytes | None = None) -> bytes:
        """The stored form of `raw`; with `key`, sealed (`blob_id` is its ID under that key)."""
        packed = self._compressor.compress(raw)
        encoded = bytes((ZSTD,)) + packed if len(packed) < len(raw) else bytes((RAW,)) + raw
        if key is None:
            return encoded
        nonce = os.urandom(NONCE_BYTES)
        sealed: bytes = key.cipher.encrypt(nonce, encoded, blob_id or blob_hash(raw, key))
        return bytes((SEALED,)) + key.id + nonce + sealed

    def decode(self, stored: bytes, expected: bytes, raw_size: int | None = None) -> bytes:
        """The raw bytes of a stored blob, verified against its ID (and opened, when sealed)."""
        import zstandard

        if not stored:
            raise DamagedBlob("empty blob")
        key = None
        if stored[0] == SEALED:
            key, stored = self._open(stored, expected)
        codec, payload = stored[0], memoryview(stored)[1:]
        try:
            if codec == ZSTD:
                raw = self._decompressor.decompress(payload, max_output_size=raw_size or 0)
            elif codec == RAW:
                raw = bytes(payload)
            else:
                raise DamagedBlob(f"unknown codec {codec}")
        except zstandard.ZstdError as error:
            raise DamagedBlob(f"cannot decompress: {error}") from None
        if blob_hash(raw, key) != expected:
            raise DamagedBlob("content does not match its hash")
        return raw

    def _key(self, key_id: bytes) -> DataKey:
        key = self._keys.get(key_id)
        if key is None:
            why = getattr(self._keys, "unavailable", {}).get(key_id, "the vault does not hold it")
            raise MissingKey(f"the data key {key_id.hex()} that sealed this backup cannot be opened: {why}")
        return key

    def _open(self, stored: bytes, expected: bytes) -> tuple[DataKey, bytes]:
        """The data key that sealed the blob, and the blob opened with it."""
        from cryptography.exceptions import InvalidTag

        key = self._key(stored[1 : 1 + KEY_ID_BYTES])
        start = 1 + KEY_ID_BYTES
        nonce, sealed = stored[start : start + NONCE_BYTES], stored[start + NONCE_BYTES :]
        try:
            return key, key.cipher.decrypt(nonce, sealed, expected)
        except (InvalidTag, ValueError):
            raise DamagedBlob("sealed content fails its authentication") from None


class ThreadCodecs:
    """A Codec for each thread that asks (worker threads decode at once)."""

    def __init__(self, keys: Mapping[bytes, DataKey] | None = None) -> None:
        self._local = threading.local()
        self._keys = keys

    @property
    def codec(self) -> Codec:
        codec = getattr(self._local, "codec", None)
        if codec is None:
            codec = self._local.codec = Codec(self._keys)
        return codec


class MissingKey(Exception):
    """A sealed blob names a data key the vault does not hold (or the KMS no longer opens)."""


def digest(data: bytes | memoryview) -> bytes:
    import blake3

    return blake3.blake3(data, max_threads=1).digest()


def blob_hash(data: bytes | memoryview, key: DataKey | None = None) -> bytes:
    """A blob's ID: BLAKE3 of its bytes, keyed with the data key's ID key when the blob is sealed."""
    if key is None:
        return digest(data)
    import blake3

    return blake3.blake3(data, key=key.id_key, max_threads=1).digest()


def chunk_key(hash_: bytes) -> str:
    name = hash_.hex()
    return f"chunks/{name[:3]}/{name}"

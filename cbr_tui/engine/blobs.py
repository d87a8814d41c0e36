"""Blobs: the unit of deduplication. A blob's ID is the BLAKE3 hash of its raw bytes; what is stored is one
codec byte and the payload (zstd level 1, or raw when compression does not shrink it), so every stored blob
describes itself and can be verified on its own.

The hashing and compression libraries are imported on first use: the services import this module for its
names, and a process that never copies data (the console before its first backup) need not load them."""

RAW = 0
ZSTD = 1
HASH_BYTES = 32
_LEVEL = 1


class DamagedBlob(Exception):
    """A stored blob does not decode to the bytes its ID promises."""


class Codec:
    """Compression contexts are not thread-safe; each worker thread keeps its own Codec."""

    def __init__(self) -> None:
        import zstandard

        self._compressor = zstandard.ZstdCompressor(level=_LEVEL)
        self._decompressor = zstandard.ZstdDecompressor()

    def encode(self, raw: bytes) -> bytes:
        packed = self._compressor.compress(raw)
        if len(packed) < len(raw):
            return bytes((ZSTD,)) + packed
        return bytes((RAW,)) + raw

    def decode(self, stored: bytes, expected: bytes, raw_size: int | None = None) -> bytes:
        """The raw bytes of a stored blob, verified against its ID."""
        import zstandard

        if not stored:
            raise DamagedBlob("empty blob")
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
        if digest(raw) != expected:
            raise DamagedBlob("content does not match its hash")
        return raw


def digest(data: bytes | memoryview) -> bytes:
    import blake3

    return blake3.blake3(data, max_threads=1).digest()


def chunk_key(hash_: bytes) -> str:
    name = hash_.hex()
    return f"chunks/{name[:3]}/{name}"

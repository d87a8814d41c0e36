"""A vault's objects in an S3-compatible bucket (SeaweedFS, MinIO, Ceph, OBS, S3), behind `ObjectStore`.

boto3 is the client: the reference implementation of the S3 protocol, thread-safe clients with a connection
pool (a backup's blocks are uploaded from several threads at once), ranged GETs, conditional PUTs, and the
same library the benchmark's raw copy uses, so the comparison measures cbr-tui, not two clients.

A PUT is atomic and durable when it returns, so `sync` has nothing left to do: the commit order (objects,
then the manifest, then the database) holds by doing the three in that order. A missing object reads as
`FileNotFoundError`, as in a directory; a store that does not answer raises `ObjectStoreUnavailable`, whose
message says which store and why.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.engine.locks import VaultLocks
from cbr_tui.engine.objects import Held, check_key

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef

MISSING = {"404", "NoSuchKey", "NotFound"}
POOL_CONNECTIONS = 32  # the engine's readers and writers, and a restore's prefetch, share one pool
IN_FLIGHT = 8  # requests a backup or restore keeps in flight (measured: bench/s3_bench.py)


class ObjectStoreUnavailable(CbrError, OSError):
    """The object store did not answer, or refused: a task fails with this message and commits nothing; a
    command (verify, gc...) is refused with it (BackupService.6112: the vault's data cannot be reached now).
    An OSError too, as the directory's failures are, for the engine's code that handles storage errors."""

    def __init__(self, message: str) -> None:
        super().__init__(Codes.INVALID_VAULT_STATUS, message)


@dataclass(frozen=True)
class S3Location:
    """Where one availability zone keeps vault data: an endpoint, a bucket and the keys to reach it."""

    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    prefix: str = ""  # keys start with it: one bucket can serve several installations

    def describe(self) -> str:
        return f"s3 bucket {self.bucket} at {self.endpoint}"


_clients: dict[S3Location, Any] = {}
_clients_lock = threading.Lock()


def client_for(location: S3Location) -> S3Client:
    """One client per location in the process (clients are thread-safe, and each holds a connection pool)."""
    with _clients_lock:
        found = _clients.get(location)
        if found is None:
            import boto3
            from botocore.config import Config

            found = boto3.client(
                "s3", endpoint_url=location.endpoint, aws_access_key_id=location.access_key,
                aws_secret_access_key=location.secret_key, region_name=location.region,
                config=Config(s3={"addressing_style": "path"}, max_pool_connections=POOL_CONNECTIONS,
                              retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60))
            _clients[location] = found
        return found


def vault_ids(location: S3Location) -> list[str]:
    """The vaults that keep objects in the location (the names under its `vaults/`), for recovery."""
    client, base = client_for(location), f"{location.prefix}vaults/"
    found: list[str] = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=location.bucket, Prefix=base,
                                                                      Delimiter="/"):
            found += [entry["Prefix"][len(base):].rstrip("/") for entry in page.get("CommonPrefixes", ())]
    except Exception as error:
        raise ObjectStoreUnavailable(f"The {location.describe()} could not be listed: {error}.") from None
    return sorted(found)


class S3ObjectStore:
    """The objects of one vault: keys under `vaults/{vault_id}/` of the location's bucket.

    `lock` is the vault's lock among every process that reaches the bucket (`locks`: the database's advisory
    locks on PostgreSQL, files on one machine)."""

    in_flight = IN_FLIGHT

    def __init__(self, location: S3Location, prefix: str, locks: VaultLocks) -> None:
        self.location = location
        self.prefix = prefix.rstrip("/") + "/"
        self.locks = locks
        self.client = client_for(location)

    def __repr__(self) -> str:
        return f"S3ObjectStore({self.location.describe()}, {self.prefix!r})"

    def _key(self, key: str) -> str:
        check_key(key)
        return self.prefix + key

    @contextmanager
    def _answering(self, what: str, key: str = "") -> Iterator[None]:
        """Turn the client's errors into the engine's: missing objects, and a store that did not answer."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in MISSING:
                raise FileNotFoundError(f"{key} is not in {self.location.describe()}") from None
            raise ObjectStoreUnavailable(
                f"The {self.location.describe()} refused to {what} {key or self.prefix}: {code or error}.") from None
        except BotoCoreError as error:
            raise ObjectStoreUnavailable(
                f"The {self.location.describe()} did not answer ({what} {key or self.prefix}): {error}.") from None

    def put(self, key: str, data: bytes | bytearray) -> None:
        with self._answering("store", key):
            self.client.put_object(Bucket=self.location.bucket, Key=self._key(key), Body=bytes(data))

    def put_durably(self, key: str, data: bytes) -> None:
        """A PUT is durable when it returns."""
        self.put(key, data)

    def get(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        wanted = f"bytes={offset}-{offset + length - 1}" if length is not None else f"bytes={offset}-"
        with self._answering("read", key):
            if length is None and not offset:
                answer = self.client.get_object(Bucket=self.location.bucket, Key=self._key(key))
            else:
                answer = self.client.get_object(Bucket=self.location.bucket, Key=self._key(key), Range=wanted)
            return bytes(answer["Body"].read())

    def size(self, key: str) -> int | None:
        try:
            with self._answering("look up", key):
                head = self.client.head_object(Bucket=self.location.bucket, Key=self._key(key))
        except FileNotFoundError:
            return None
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def delete(self, key: str) -> None:
        with self._answering("delete", key):
            self.client.delete_object(Bucket=self.location.bucket, Key=self._key(key))

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, float]]:
        if prefix:
            check_key(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.location.bucket,
                                                                      Prefix=self.prefix + prefix)
        with self._answering("list", prefix):
            for page in pages:
                for item in page.get("Contents", ()):
                    yield item["Key"][len(self.prefix):], int(item["Size"]), item["LastModified"].timestamp()

    def sync(self) -> None:
        """Every PUT was durable when it returned."""

    def lock(self, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[Held]:
        return self.locks.hold(self.prefix.strip("/").replace("/", "-"), exclusive=exclusive, wait=wait)

    def remove_all(self) -> None:
        """Delete every object of the vault (the vault is gone), a thousand keys a request."""
        batch: builtins.list[ObjectIdentifierTypeDef] = []
        for key, _size, _modified in builtins.list(self.list()):
            batch.append({"Key": self.prefix + key})
            if len(batch) == 1000:
                self._delete_batch(batch)
                batch = []
        if batch:
            self._delete_batch(batch)

    def _delete_batch(self, batch: builtins.list[ObjectIdentifierTypeDef]) -> None:
        """Quiet: the answer lists only the keys the store could not delete, and any makes this fail."""
        with self._answering("delete objects of"):
            answer = self.client.delete_objects(Bucket=self.location.bucket, Delete={"Objects": batch, "Quiet": True})
        refused = answer.get("Errors", [])
        if refused:
            first = refused[0]
            raise ObjectStoreUnavailable(
                f"The {self.location.describe()} refused to delete {len(refused)} objects of {self.prefix}, "
                f"{first.get('Key', '')} among them: {first.get('Code', '')} {first.get('Message', '')}.")

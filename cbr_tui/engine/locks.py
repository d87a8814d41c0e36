"""Vault locks: backups, restores and verify hold a vault shared, garbage collection holds it alone, so gc
never frees a blob a running backup decided to rely on.

Where a vault's objects live in a bucket, the processes that hold its lock may run on several machines: on
PostgreSQL the lock is an advisory lock of the database every process already shares, released by the server
when the connection holding it ends (a worker killed mid-backup frees it at once); on SQLite (one machine)
it is a file lock."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from cbr_tui.engine.objects import Held, file_lock

log = logging.getLogger(__name__)


class VaultLocks(Protocol):
    def hold(self, name: str, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[Held]:
        """Hold the lock called `name`, shared or alone; yields a false `Held` when `wait` is off and it is
        taken."""
        ...


@dataclass(frozen=True)
class FileLocks:
    """Locks among the processes of one machine (or of machines mounting `directory` over NFSv4)."""

    directory: Path

    def hold(self, name: str, *, exclusive: bool, wait: bool = True) -> AbstractContextManager[Held]:
        return file_lock(self.directory / f"{name}.lock", exclusive=exclusive, wait=wait)


class AdvisoryLocks:
    """PostgreSQL advisory locks, each held on a connection of its own (not the pool's: a lock lives as long
    as its connection, and a pooled connection outlives the lock)."""

    def __init__(self, engine: Engine) -> None:
        # TCP keepalives: a connection whose peer is gone is noticed (and its locks freed) within a minute
        self.engine = create_engine(engine.url, poolclass=NullPool, connect_args={
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3})

    @contextmanager
    def hold(self, name: str, *, exclusive: bool, wait: bool = True) -> Iterator[Held]:
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        mode = "" if exclusive else "_shared"
        with self.engine.connect() as connection:
            take = f"pg_advisory_lock{mode}" if wait else f"pg_try_advisory_lock{mode}"
            taken = connection.execute(text(f"SELECT {take}(:key)"), {"key": key}).scalar() is not False
            connection.commit()  # the lock is the session's, not the transaction's: nothing is left open
            if not taken:
                yield Held(False)
                return

            def still_held() -> bool:
                """This connection still answers, and holds the lock (pg_locks keeps a bigint key's halves)."""
                try:
                    found = connection.execute(text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                        " AND granted AND classid::bigint = (:key >> 32) & 4294967295"
                        " AND objid::bigint = :key & 4294967295 AND objsubid = 1"), {"key": key}).scalar()
                    connection.commit()
                except SQLAlchemyError:
                    return False
                return bool(found)

            try:
                yield Held(True, still_held)
            finally:
                try:
                    connection.execute(text(f"SELECT pg_advisory_unlock{mode}(:key)"), {"key": key})
                    connection.commit()
                except SQLAlchemyError as error:  # the connection is gone, and the lock with it: the block's own
                    log.warning("could not release the lock %s: %s", name, error)  # error is the one to raise

    def close(self) -> None:
        self.engine.dispose()

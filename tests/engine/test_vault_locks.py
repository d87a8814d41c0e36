"""The vault lock of bucket vaults on PostgreSQL: shared or alone among every connection (every process, on
any machine), and freed by the server when the process holding it dies."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cbr_tui.engine.locks import AdvisoryLocks
from cbr_tui.engine.objects import LockLost
from tests.conftest import database_for


@pytest.fixture
def database_url(home: Path, demo_template: dict[str, object]) -> str:
    return database_for("postgresql", demo_template, home)


@pytest.fixture
def locks(database_url: str) -> Iterator[AdvisoryLocks]:
    engine = create_engine(database_url)
    made = AdvisoryLocks(engine)
    yield made
    made.close()
    engine.dispose()


def test_a_vault_is_held_shared_by_many_or_by_one_alone(locks: AdvisoryLocks) -> None:
    with locks.hold("vaults-a", exclusive=False) as shared:
        assert shared
        with locks.hold("vaults-a", exclusive=False, wait=False) as also_shared:
            assert also_shared, "backups of one vault run side by side"
        with locks.hold("vaults-a", exclusive=True, wait=False) as alone:
            assert not alone, "garbage collection cannot run beside a backup"
        with locks.hold("vaults-b", exclusive=True, wait=False) as other_vault:
            assert other_vault
    with locks.hold("vaults-a", exclusive=True, wait=False) as alone:
        assert alone
        with locks.hold("vaults-a", exclusive=False, wait=False) as shared:
            assert not shared, "no backup starts while garbage collection runs"


HOLDER = """
import sys, time
from sqlalchemy import create_engine, text
from cbr_tui.engine.locks import AdvisoryLocks
from cbr_tui.engine.objects import LockLost
with AdvisoryLocks(create_engine(sys.argv[1])).hold("vaults-a", exclusive=True):
    print("held", flush=True)
    time.sleep(120)
"""


def test_the_lock_of_a_killed_process_is_free_at_once(locks: AdvisoryLocks, database_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, database_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with locks.hold("vaults-a", exclusive=False, wait=False) as shared:
            assert not shared
    finally:
        holder.kill()  # SIGKILL: no unlock is ever sent
        holder.wait(30)
    for _ in range(100):  # the server ends the session when it sees the connection closed
        with locks.hold("vaults-a", exclusive=True, wait=False) as alone:
            if alone:
                return
        time.sleep(0.05)
    raise AssertionError("the dead process's lock was never released")


def test_a_lock_whose_connection_dropped_is_known_lost_before_anything_commits(
        locks: AdvisoryLocks, database_url: str) -> None:
    """The server ends the holding connection (as a network cut or a restart would): the backup's commit point
    finds the lock gone and refuses, and leaving the block raises nothing else."""
    other = create_engine(database_url)
    try:
        with locks.hold("vaults-a", exclusive=False) as held:
            held.confirm()  # still held: nothing to say
            with other.connect() as connection:
                ended = connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " AND pid <> pg_backend_pid()")).scalars().all()
            assert ended == [True]
            with pytest.raises(LockLost, match="lock was lost") as lost:
                held.confirm()
            assert lost.value.code == "BackupService.6112"
        with locks.hold("vaults-a", exclusive=True, wait=False) as alone:
            assert alone, "the lock went with its connection"
    finally:
        other.dispose()

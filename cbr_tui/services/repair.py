"""The way back from a damaged SQLite database (`cbr-tui database repair`).

The damaged file is set aside, never deleted; a new database receives every row that can still be read;
the account and catalogue are made again where they were lost; then every vault is recovered from its own
object store, which puts back the vaults, backups and blob index that the damage took.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from cbr_tui.domain.errors import invalid
from cbr_tui.services.settings import Settings
from cbr_tui.services.views.maintenance import RepairAnswer, RepairedDatabase, TableSalvage


def repair_database(settings: Settings, *, force: bool = False) -> RepairAnswer:
    from cbr_tui.services.console import open_console
    from cbr_tui.store import open_store
    from cbr_tui.store.salvage import salvage

    database = _sqlite_file(settings.database_url)
    if not database.exists():
        raise invalid(f"There is no database at {database} to repair.")
    problem = integrity_problem(database)
    if problem is None and not force:
        raise invalid(f"The database {database} passes SQLite's integrity check; nothing "
                      "was changed. (`--force` rebuilds it anyway, setting the current file aside.)")
    aside = database.with_name(f"{database.name}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):  # SQLite finds the set-aside file's WAL by its name
        part = database.with_name(database.name + suffix)
        if part.exists():
            part.rename(aside.with_name(aside.name + suffix))
    store = open_store(settings.database_url)
    try:
        kept = salvage(aside, store.engine)
        # The account and its projects are made again if the damage took them (their IDs are stable), so
        # that a second pass puts in the rows the first refused for want of them.
        open_console(settings, store=store, seed_demo=False)
        kept = salvage(aside, store.engine, kept)
    finally:
        store.close()
    console = open_console(settings)
    try:
        recovered = console.recovery.recover(everything=True).recovered
    finally:
        console.close()
    tables = {name: TableSalvage.model_validate(table) for name, table in kept.to_api().items()}
    return RepairAnswer(database=RepairedDatabase(path=str(database), problem=problem or "none (forced)",
                                                  damaged_copy=str(aside), tables=tables),
                        recovered=recovered)


def integrity_problem(database: Path) -> str | None:
    """SQLite's quick check of the file: None when it is sound, else what it found first."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _sqlite_file(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise invalid("Only an SQLite database file can be repaired here; for PostgreSQL use its own tools "
                      "(pg_dump, a replica), then `cbr-tui vault recover --all`.")
    return Path(parsed.database)

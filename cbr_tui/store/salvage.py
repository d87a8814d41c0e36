"""Reading what is left of a damaged SQLite file into a new one.

A table that reads whole is copied whole; one that does not is read by ranges of row IDs, halving a range
that fails until the rows around a damaged page are read and only the page's own rows are lost (with a
budget of failed reads per table, so a table whose root is gone costs seconds, not hours). Rows are put into
the new database parents first; a row whose parent was lost is counted, not forced in.
"""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

FAILED_READS_MAX = 2_000
BATCH = 500


@dataclass
class TableSalvage:
    kept: int = 0
    unreadable_ranges: int = 0
    refused: int = 0  # read, but refused by the new database (a parent row was lost)
    whole: bool = True

    def to_api(self) -> dict[str, Any]:
        return {"kept": self.kept, "unreadable_ranges": self.unreadable_ranges, "refused": self.refused,
                "read_whole": self.whole}


@dataclass
class Salvage:
    tables: dict[str, TableSalvage] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {name: table.to_api() for name, table in self.tables.items()}


def salvage(damaged: Path, engine: Engine, report: Salvage | None = None) -> Salvage:
    """Copy every readable row of `damaged` (opened read-only) into the database of `engine` (migrated).
    Rows already there are left as they are, so a second pass (after lost parents were made again) adds
    only what the first could not; pass the first pass's report to add up the two."""
    import cbr_tui.store.models  # noqa: F401  (the tables, so that the metadata knows them)

    report = report or Salvage()
    source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    try:
        for table in SQLModel.metadata.sorted_tables:
            columns = _common_columns(source, table.name, [c.name for c in table.columns])
            if not columns:
                continue
            outcome = TableSalvage(kept=report.tables[table.name].kept if table.name in report.tables else 0)
            rows = _readable_rows(source, table.name, columns, outcome)
            _insert(engine, table.name, columns, rows, outcome)
            report.tables[table.name] = outcome
    finally:
        source.close()
    return report


def _common_columns(source: sqlite3.Connection, table: str, wanted: list[str]) -> list[str]:
    try:
        present = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.DatabaseError:
        return []
    return [c for c in wanted if c in present]


def _readable_rows(source: sqlite3.Connection, table: str, columns: list[str],
                   outcome: TableSalvage) -> list[tuple[Any, ...]]:
    listed = ", ".join(f'"{c}"' for c in columns)
    query = f'SELECT {listed} FROM "{table}"'
    try:
        return source.execute(query).fetchall()
    except sqlite3.DatabaseError:
        outcome.whole = False
    try:
        highest = source.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0
    except sqlite3.DatabaseError:
        highest = 1 << 31
    rows: list[tuple[Any, ...]] = []
    failures = 0
    pending = [(0, highest + 1)]
    while pending:
        low, high = pending.pop()
        try:
            rows += source.execute(f"{query} WHERE rowid >= ? AND rowid < ?", (low, high)).fetchall()
        except sqlite3.DatabaseError:
            failures += 1
            if high - low <= 1 or failures >= FAILED_READS_MAX:
                outcome.unreadable_ranges += 1
                continue
            middle = (low + high) // 2
            pending += [(middle, high), (low, middle)]
    return rows


def _insert(engine: Engine, table: str, columns: list[str], rows: list[tuple[Any, ...]],
            outcome: TableSalvage) -> None:
    listed = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":c{i}" for i in range(len(columns)))
    statement = text(f'INSERT OR IGNORE INTO "{table}" ({listed}) VALUES ({values})')
    for start in range(0, len(rows), BATCH):
        batch = [{f"c{i}": value for i, value in enumerate(row)} for row in rows[start : start + BATCH]]
        try:
            with engine.begin() as connection:
                outcome.kept += connection.execute(statement, batch).rowcount
        except SQLAlchemyError:  # a row of the batch lost its parent: put them in one by one
            for row in batch:
                try:
                    with engine.begin() as connection:
                        outcome.kept += connection.execute(statement, row).rowcount
                except SQLAlchemyError:
                    outcome.refused += 1

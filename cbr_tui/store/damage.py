"""A damaged SQLite file said in words, with the way back, instead of "Unknown error" on every command.

The engine's `handle_error` hook turns SQLite's "database disk image is malformed" (and "file is not a
database") into `DatabaseDamaged`, which every front end shows like any refusal.
"""

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, event

from cbr_tui.domain.errors import CbrError, Codes

_SIGNS = ("malformed", "file is not a database", "database corrupt")


class DatabaseDamaged(CbrError):
    def __init__(self, database: Path, detail: str) -> None:
        super().__init__(Codes.DATABASE_DAMAGED,
                         f"The database {database} is damaged ({detail}). Run `cbr-tui database repair`: it sets "
                         "the damaged file aside, keeps every row that can still be read, and rebuilds vaults and "
                         "backups from the vaults' own object stores.")
        self.database = database


def is_damage(error: BaseException) -> bool:
    return (isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError)
            and any(sign in str(error).lower() for sign in _SIGNS))


def report_damage(engine: Engine, database: Path) -> None:
    @event.listens_for(engine, "handle_error")
    def _damaged(context) -> None:  # type: ignore[no-untyped-def]
        if is_damage(context.original_exception):
            raise DatabaseDamaged(database, str(context.original_exception)) from context.original_exception

"""Schema versions with Alembic: a newer cbr-tui upgrades an older database in place, keeping its rows.

The migration scripts ship inside the package (`store/migrations/versions`), and the upgrade runs on the
caller's engine under a lock, so two processes opening the same new database do not both build it. On
SQLite, foreign keys are switched off while migrating (batch mode rebuilds tables, which would trip them)
and checked before the upgrade commits.

Opening a database whose schema is already current (every start but the first after an upgrade) reads its
revision with one query and does not load Alembic at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in MIGRATIONS/versions: a database at it needs nothing. A test checks that it is
# Alembic's head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0015"
_PG_LOCK_KEY = 0x0CB2_7001


class SchemaTooNew(RuntimeError):
    """The database was written by a newer cbr-tui than this one."""


class MigrationBrokeIntegrity(RuntimeError):
    """A migration left rows pointing at rows that do not exist; it was rolled back."""


def alembic_config(connection: Connection | None = None, scripts: Path = MIGRATIONS) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(scripts))
    config.attributes["connection"] = connection
    return config


def head_revision(scripts: Path = MIGRATIONS) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(scripts=scripts)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    """Whether the database's schema is this cbr-tui's newest, found with one query (Alembic not loaded)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [HEAD_REVISION]


def upgrade(engine: Engine, revision: str = "head", scripts: Path = MIGRATIONS) -> None:
    if revision == "head" and scripts == MIGRATIONS and is_current(engine):
        return
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.execution_options(sqlite_begin="IMMEDIATE").connect() as connection:
        if sqlite:
            _foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                _refuse_unknown(connection, scripts)
                command.upgrade(alembic_config(connection, scripts), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise MigrationBrokeIntegrity("the schema upgrade left dangling references; nothing was changed")
        finally:
            if sqlite:
                _foreign_keys(connection, on=True)


def downgrade(engine: Engine, revision: str, scripts: Path = MIGRATIONS) -> None:
    from alembic import command

    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
        command.downgrade(alembic_config(connection, scripts), revision)


def _refuse_unknown(connection: Connection, scripts: Path) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    found = current_revision(connection)
    if found is None:
        return
    try:
        known = ScriptDirectory.from_config(alembic_config(scripts=scripts)).get_revision(found) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaTooNew(
            f"The database is at schema revision {found}, which this cbr-tui does not know; "
            "it was written by a newer version. Upgrade cbr-tui to open it."
        )


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    """PRAGMA foreign_keys only works outside a transaction: set it on the raw DBAPI connection."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")

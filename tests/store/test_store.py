"""The store: SQLite set up for sharing, migrations that keep rows, and the schema matching the models."""

import multiprocessing
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel, select

from cbr_tui.store import open_store
from cbr_tui.store.engine import build_engine, normalise_url
from cbr_tui.store.migrate import (
    HEAD_REVISION,
    MIGRATIONS,
    SchemaTooNew,
    downgrade,
    head_revision,
    is_current,
    upgrade,
)
from cbr_tui.store.models import Account, Region
from tests.conftest import database_for, drop_database

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_sqlite_is_opened_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_nothing_is_created_before_open_store_is_called(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lazy.db'}"
    build_engine(url)
    assert not (tmp_path / "lazy.db").exists()


def test_postgresql_urls_get_the_installed_driver() -> None:
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_build_exactly_the_models(backend: str, demo_template: dict, tmp_path: Path) -> None:
    url = database_for(backend, demo_template, tmp_path)
    store = open_store(url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    store.close()
    if backend == "postgresql":
        drop_database(url)


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(Region(id="r1", name="R1"))
        session.flush()
        raise RuntimeError("half-way")
    with store.read() as session:
        assert session.get(Region, "r1") is None
    store.close()


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    downgrade(store.engine, "base")
    assert inspect(store.engine).get_table_names() == ["alembic_version"]
    upgrade(store.engine)
    assert "vault" in inspect(store.engine).get_table_names()
    store.close()


def test_a_database_from_a_newer_cbr_tui_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_store(url)


_FUTURE_REVISION = '''
"""A later schema change, as a future release would ship it (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("nickname", sa.String(), nullable=True))
        batch.alter_column("user_name", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("nickname")
'''


def test_an_older_database_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    """Rows written under the current schema survive a later migration that rebuilds their table."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = open_store(url)
    with store.write() as session:
        session.add(Account(id="acc", name="old", user_id="u", user_name="old-user", balance_cents=123,
                            created_at=NOW))
        session.add(Region(id="r1", name="Region One"))
    store.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_future.py").write_text(_FUTURE_REVISION.format(head=head_revision()))
    engine = build_engine(url)
    upgrade(engine, scripts=scripts)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "9001"
        row = connection.exec_driver_sql("SELECT name, user_name, balance_cents, nickname FROM account").one()
        assert tuple(row) == ("old", "old-user", 123, None)
        assert connection.exec_driver_sql("SELECT name FROM region").scalar() == "Region One"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _open(url: str) -> None:
    open_store(url).close()


def test_two_processes_opening_a_new_database_at_once_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_open, args=(url,)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = open_store(url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    store.close()


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    first_holds_lock = threading.Event()
    release = threading.Event()

    def first() -> None:
        with store.write() as session:
            session.add(Region(id="first", name="First"))
            session.flush()
            first_holds_lock.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_holds_lock.wait(10)
    threading.Timer(0.3, release.set).start()
    with store.write() as session:  # blocks on the write lock until the first commits
        session.add(Region(id="second", name="Second"))
    thread.join()
    with store.read() as session:
        assert sorted(r.id for r in session.exec(select(Region))) == ["first", "second"]
    store.close()


def test_a_0001_database_with_backups_and_tasks_upgrades_to_the_engine_schema(tmp_path: Path) -> None:
    """The real 0002: rows of tables that gained NOT NULL columns survive, with the columns' defaults."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = build_engine(url)
    upgrade(engine, "0001")
    now = "2026-11-25 10:00:00.000000"
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO account VALUES ('a', 'acc', 'u', 'user', 100, 0, ?)", (now,))
        connection.exec_driver_sql("INSERT INTO region (id, name, position) VALUES ('r', 'Region', 0)")
        connection.exec_driver_sql("INSERT INTO project VALUES ('p', 'a', 'r', 'r')")
        connection.exec_driver_sql(
            "INSERT INTO backup (id, checkpoint_id, project_id, vault_id, resource_id, resource_name, resource_type,"
            " resource_size, name, status, image_type, incremental, auto_trigger, bootable, encrypted,"
            " contain_system_disk, provider_id, enterprise_project_id, created_at, updated_at)"
            " VALUES ('b', 'c', 'p', 'v', 'r1', 'ecs', 'OS::Nova::Server', 40, 'manualbk_1', 'protecting', 'backup',"
            " 1, 0, 0, 0, 1, 'x', '0', ?, ?)", (now, now))
        connection.exec_driver_sql(
            "INSERT INTO task (id, project_id, operation_type, status, progress, extra, created_at, updated_at)"
            " VALUES ('t', 'p', 'backup', 'waiting', 0, '{}', ?, ?)", (now, now))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        backup = connection.exec_driver_sql("SELECT name, status, new_bytes, damaged FROM backup").one()
        assert tuple(backup) == ("manualbk_1", "protecting", 0, 0)
        task = connection.exec_driver_sql("SELECT status, attempts, bytes_done, cancel_requested FROM task").one()
        assert tuple(task) == ("waiting", 0, 0, 0)
    engine.dispose()


def test_the_cheap_revision_check_knows_the_newest_migration(tmp_path: Path) -> None:
    """Opening a current database skips Alembic on the strength of HEAD_REVISION: it must be the head."""
    assert head_revision() == HEAD_REVISION
    engine = build_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert not is_current(engine)
    upgrade(engine, "0004")
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine)
    engine.dispose()

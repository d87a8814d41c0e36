"""Shared fixtures. Tests are hermetic (own data directory, fixed clock, seeded IDs) and run the service
tests on SQLite and, when its binaries are installed, on a throwaway PostgreSQL cluster too."""

import os

os.environ.pop("TEXTUAL_THEME", None)  # read when textual is imported; must go before that

import itertools
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.ids import SeededIds
from cbr_tui.engine.locks import FileLocks
from cbr_tui.engine.objects import LocalObjectStore, ObjectStore
from cbr_tui.engine.s3 import S3ObjectStore
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.store import open_store
from tests import postgres
from tests.s3server import SeaweedServer

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
BACKENDS = ["sqlite", "postgresql"]
OBJECT_STORES = ["local", "s3"]
S3_BUCKETS = ("cbr-az1", "cbr-az2")
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in ("CBR_TUI_DATABASE_URL", "CBR_TUI_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CBR_TUI_HOME", str(tmp_path / "home-from-env"))
    monkeypatch.setenv("CBR_TUI_DEMO_SCALE", "0")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture(scope="session")
def pg_prefix() -> Iterator[str | None]:
    if postgres.binaries() is None:
        yield None
        return
    with postgres.running_cluster() as prefix:
        yield prefix


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """A real S3-compatible server (SeaweedFS) with a bucket for each of two availability zones, started once
    per test session by the first test that needs it."""
    server = SeaweedServer(tmp_path_factory.mktemp("seaweedfs"), buckets=S3_BUCKETS)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=OBJECT_STORES)
def object_store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """An empty vault store, in a directory and in an S3 bucket: the engine's tests run on both."""
    if request.param == "local":
        return LocalObjectStore(tmp_path / "vault")
    server: SeaweedServer = request.getfixturevalue("s3_server")
    return S3ObjectStore(server.location(S3_BUCKETS[0]), f"vaults/{next(_counter)}-{tmp_path.name}",
                         FileLocks(tmp_path / "locks"))


def clone_home(source: Path, target: Path) -> None:
    """Copy a data directory keeping disk images sparse (a naive copy would write their holes out)."""
    subprocess.run(["cp", "-a", "--sparse=always", f"{source}/.", str(target)], check=True)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, pg_prefix: str | None) -> Iterator[dict[str, object]]:
    """The demo inventory (no data written) built once: a data directory, a SQLite file, a PostgreSQL db."""
    home = tmp_path_factory.mktemp("demo-template")
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0)
    open_console(settings, clock=FixedClock(T0), ids=SeededIds("template")).close()
    template: dict[str, object] = {"home": home}
    if pg_prefix:
        admin = create_engine(pg_prefix + "postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE cbr_template"))
        admin.dispose()
        # The demo is deterministic, so the PostgreSQL copy points at the same files as the SQLite one.
        pg_home = tmp_path_factory.mktemp("demo-template-pg")
        pg_settings = Settings(home=pg_home, database_url=pg_prefix + "cbr_template", demo_scale=0)
        open_console(pg_settings, clock=FixedClock(T0), ids=SeededIds("template")).close()
        template["pg"] = pg_prefix
        template["pg-copies"] = TemplateCopies(pg_prefix)
    yield template
    if "pg-copies" in template:
        template["pg-copies"].close()  # type: ignore[attr-defined]


class TemplateCopies:
    """Copies of the PostgreSQL template made ahead, on a thread, while tests run: a copy takes about half a
    second (the server writes the whole database), which each PostgreSQL test used to wait for."""

    AHEAD = 3

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._ready: queue.Queue[str] = queue.Queue(maxsize=self.AHEAD)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def take(self) -> str:
        if self._thread is None:  # started by the first test that needs one: a worker of UI tests makes none
            self._thread = threading.Thread(target=self._make, name="pg-template-copies", daemon=True)
            self._thread.start()
        return self._ready.get(timeout=120)

    def _make(self) -> None:
        admin = create_engine(f"{self.prefix}postgres", isolation_level="AUTOCOMMIT")
        try:
            while not self._stop.is_set():
                name = f"cbr_test_{os.getpid()}_{next(_counter)}"
                with admin.connect() as connection:
                    connection.execute(text(f"CREATE DATABASE {name} TEMPLATE cbr_template"))
                while not self._stop.is_set():
                    try:
                        self._ready.put(f"{self.prefix}{name}", timeout=0.2)
                        break
                    except queue.Full:
                        continue
        finally:
            admin.dispose()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def database_for(backend: str, template: dict[str, object], home: Path) -> str:
    if backend == "sqlite":
        shutil.copy(Path(str(template["home"])) / "cbr.db", home / "cbr.db")
        return f"sqlite:///{home / 'cbr.db'}"
    copies = template.get("pg-copies")
    if not isinstance(copies, TemplateCopies):
        pytest.skip("PostgreSQL server binaries are not installed")
    return copies.take()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def home(tmp_path: Path, demo_template: dict[str, object]) -> Path:
    target = tmp_path / "home"
    target.mkdir()
    clone_home(Path(str(demo_template["home"])), target)
    (target / "cbr.db").unlink()
    for extra in target.glob("cbr.db-*"):
        extra.unlink()
    return target


@pytest.fixture
def settings(home: Path, backend: str, demo_template: dict[str, object]) -> Iterator[Settings]:
    url = database_for(backend, demo_template, home)
    yield Settings(home=home, database_url=url, demo_scale=0)
    if backend == "postgresql":
        drop_database(url)


def drop_database(url: str) -> None:
    """A test's PostgreSQL database goes when the test ends: hundreds of copies of the template left to the
    end of the session took 15 s to delete there, while the other worker waited."""
    prefix, _, name = url.rpartition("/")
    admin = create_engine(f"{prefix}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def console(settings: Settings, clock: FixedClock) -> Iterator[Console]:
    """The demo inventory in cn-north-4, on each backend."""
    opened = open_console(settings, clock=clock, ids=SeededIds(7))
    yield opened
    opened.close()


@pytest.fixture
def sqlite_console(home: Path, demo_template: dict[str, object], clock: FixedClock) -> Iterator[Console]:
    """The same, on SQLite only (for tests about bytes rather than rows)."""
    settings = Settings(home=home, database_url=database_for("sqlite", demo_template, home), demo_scale=0)
    opened = open_console(settings, clock=clock, ids=SeededIds(7))
    yield opened
    opened.close()


def fresh_store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


__all__ = ["T0", "clone_home", "fresh_store_url", "open_store"]

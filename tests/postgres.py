"""A throwaway PostgreSQL cluster for the tests, on 127.0.0.1, stopped when the session ends.

Uses the server binaries of the machine (Debian's postgresql-15 here). As root, the cluster runs as the
`postgres` user, since PostgreSQL refuses to run as root. Without the binaries, PostgreSQL tests skip.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CANDIDATES = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


def binaries() -> Path | None:
    for candidate in _CANDIDATES:
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def running_cluster() -> Iterator[str]:
    """Start a cluster and yield a SQLAlchemy URL prefix (`postgresql+psycopg://cbr@127.0.0.1:PORT/`)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="cbr-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, port = root / "data", _free_port()
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "cbr", "-E", "UTF8"]),
                   check=True, capture_output=True)
    options = f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                              str(root / "log"), "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://cbr@127.0.0.1:{port}/"
    finally:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

"""`cbr-tui serve ssh` driven by a real SSH client (asyncssh) on a free loopback port, the console's output read
through a terminal emulator (pyte), as a person at the other end sees it."""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import asyncssh
import pyte
import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.serve.demo import DemoSessions, sqlite_url
from cbr_tui.serve.launcher import Launcher
from cbr_tui.serve.ssh import ConsoleServer
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import open_console, register_account
from cbr_tui.services.iam import UserSpec
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import VaultSpec
from tests.conftest import clone_home, database_for

PASSWORD = "Cbr-view-2026"


class Terminal:
    """What the client's terminal shows, fed by the session's output."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes], columns: int, rows: int) -> None:
        self.process = process
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, wanted: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while "".join(wanted.split()) not in "".join(self.text.split()):
            left = deadline - time.monotonic()
            assert left > 0, f"{wanted!r} never showed:\n{self.text}"
            try:
                chunk = await asyncio.wait_for(self.process.stdout.read(65536), left)
            except TimeoutError:
                continue
            assert chunk, f"the session ended before {wanted!r} showed:\n{self.text}"
            self.stream.feed(chunk)
        return self.text

    def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)
        self.process.change_terminal_size(columns, rows)


@pytest.fixture(params=["launcher", "process"])
async def server(home: Path, demo_template: dict[str, object],
                 request: pytest.FixtureRequest) -> AsyncIterator[tuple[ConsoleServer, int]]:
    """The server forking consoles from its pre-imported launcher (as `serve ssh` does), or starting each."""
    settings = Settings(home=home, database_url=database_for("sqlite", demo_template, home), demo_scale=0)
    console = open_console(settings)
    console.iam.create_group("readers")
    console.iam.grant("readers", "CBR ReadOnlyAccess")
    console.iam.create_user(UserSpec(name="viewer", email="v@example.com", password=PASSWORD, groups=("readers",)))
    launcher = Launcher() if request.param == "launcher" else None
    served = ConsoleServer(console, settings, max_sessions=1, launcher=launcher)
    port = await served.start("127.0.0.1", 0)
    yield served, port
    await served.stop()
    if launcher is not None:
        launcher.close()
    console.close()


def connect(port: int, **options: object):  # type: ignore[no-untyped-def]
    return asyncssh.connect("127.0.0.1", port, known_hosts=None, agent_path=None,
                            **({"client_keys": None} | options))


async def test_a_read_only_user_logs_in_resizes_is_refused_and_leaves_nothing_behind(server) -> None:  # type: ignore[no-untyped-def]
    served, port = server
    async with connect(port, username="viewer", password=PASSWORD) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(140, 42), encoding=None)
        terminal = Terminal(process, 140, 42)
        await terminal.wait_for("cbr-demo · viewer (read-only)")
        [pid] = served.consoles
        terminal.resize(80, 24)
        await terminal.wait_for("☁ CBR")  # the short brand: the console reflowed to 80 columns
        process.stdin.write(b"n")
        await terminal.wait_for("viewer may not buy vaults (cbr:vaults:create)")
        assert "BackupService.8600" in terminal.text

        async with connect(port, username="viewer", password=PASSWORD) as second:
            refused = await second.run(term_type="xterm", encoding=None)
            assert b"already holds 1 sessions, its limit" in refused.stderr
    deadline = time.monotonic() + 10
    while served.consoles and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not served.consoles
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    log = (served.settings.home / "logs" / "sessions.log").read_text()
    assert '"event": "start", "transport": "ssh", "user": "viewer"' in log and '"event": "end"' in log



async def test_wrong_passwords_are_refused_and_five_lock_the_user_out(server) -> None:  # type: ignore[no-untyped-def]
    _served, port = server
    for _ in range(5):
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(port, username="viewer", password="Wrong-pass-1")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(port, username="viewer", password=PASSWORD)
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(port, username="nobody", password=PASSWORD)


async def test_a_registered_key_logs_in(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    served, port = server
    key = asyncssh.generate_private_key("ssh-ed25519", comment="viewer@laptop")
    other = asyncssh.generate_private_key("ssh-ed25519")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(port, username="viewer", client_keys=[key])
    served.console.iam.add_ssh_key("viewer", key.export_public_key().decode())
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(port, username="viewer", client_keys=[other])
    async with connect(port, username="viewer", client_keys=[key]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(140, 42), encoding=None)
        await Terminal(process, 140, 42).wait_for("cbr-demo · viewer (read-only)")
        process.stdin.write(b"\x11")  # ctrl+q: the console quits by itself
        ended = await asyncio.wait_for(process.wait(), 30)
    assert ended.exit_status == 0, "the console's own exit status reaches the client"
    assert '"exit_code": 0' in (served.settings.home / "logs" / "sessions.log").read_text()
    assert (served.settings.home / "ssh" / "host_ed25519").stat().st_mode & 0o777 == 0o600


async def test_a_backup_started_over_ssh_goes_on_after_its_owner_leaves(server) -> None:  # type: ignore[no-untyped-def]
    """The tasks belong to the store and the server runs them: the console that asked for the backup is gone
    before it ends, and the backup is there, Available, for the next session."""
    served, port = server
    console = served.console
    console.iam.create_user(UserSpec(name="operator", email="o@example.com", password=PASSWORD, groups=("admin",)))
    console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=200, name="vault-ssh",
                                    resources=(ResourceSelection("ecs-web-01"),)))
    async with connect(port, username="operator", password=PASSWORD) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(140, 42), encoding=None)
        terminal = Terminal(process, 140, 42)
        await terminal.wait_for("vault-ssh")
        process.stdin.write(b"b")
        await terminal.wait_for("Backup will be performed for the selected resources immediately.")
        process.stdin.write(b"\x13")  # ctrl+s: OK
        await terminal.wait_for("Backup started")
    [task] = console.tasks.list(operation_type="backup").operation_logs
    assert task.status in ("waiting", "running")
    assert console.run_tasks() == 1  # the server's runner (here: by hand, in the server's process)
    [backup] = console.backups.list(vault="vault-ssh").backups
    assert backup.status == "available"


async def test_two_demo_sessions_cannot_see_each_others_vaults(tmp_path: Path,
                                                               demo_template: dict[str, object]) -> None:
    """`serve ssh --demo`: no login, and each connection its own copy of the demo, deleted when it leaves."""
    home = tmp_path / "demo-server"
    home.mkdir()
    settings = Settings(home=home, database_url=database_for("sqlite", demo_template, home), demo_scale=0)
    console = open_console(settings)
    demos = DemoSessions(home, scale=0, region=settings.region)
    (home / "demo" / "template").mkdir(parents=True)
    clone_home(Path(str(demo_template["home"])), home / "demo" / "template")
    demos.prepare()
    served = ConsoleServer(console, settings, max_sessions=2, demo=demos)
    port = await served.start("127.0.0.1", 0)
    try:
        async with connect(port, username="guest") as first, connect(port, username="guest") as second:
            terminals = []
            for connection in (first, second):
                process = await connection.create_process(term_type="xterm-256color", term_size=(140, 42),
                                                          encoding=None)
                terminals.append(Terminal(process, 140, 42))
                await terminals[-1].wait_for("0-0 of 0")
            copies = sorted(demos.sessions.iterdir())
            assert len(copies) == 2
            for copy in copies:  # a vault in each copy, named after it
                other = open_console(Settings(home=copy, database_url=sqlite_url(copy), demo_scale=0))
                other.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=100, name=f"vault-{copy.name}"))
                other.close()
            names = [f"vault-{copy.name}" for copy in copies]
            shown = [await _one_of(terminal, names) for terminal in terminals]
            assert sorted(shown) == sorted(names), "each session sees its own vault only"
            for terminal, name in zip(terminals, shown, strict=True):
                assert next(n for n in names if n != name) not in terminal.text
        deadline = time.monotonic() + 10
        while demos.count() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert demos.count() == 0, "a session's copy goes with it"
    finally:
        await served.stop()
        console.close()


async def _one_of(terminal: Terminal, names: list[str]) -> str:
    deadline = time.monotonic() + 30
    while not any(name in terminal.text for name in names):
        assert time.monotonic() < deadline, terminal.text
        try:
            terminal.stream.feed(await asyncio.wait_for(terminal.process.stdout.read(65536), 1))
        except TimeoutError:
            continue
    return next(name for name in names if name in terminal.text)


async def test_an_account_users_login_names_the_account(server) -> None:  # type: ignore[no-untyped-def]
    """`ACCOUNT/USER`, as IAM's user login asks for the account name: that account's console, nobody else's."""
    served, port = server
    register_account(served.settings, "acme")
    acme = open_console(replace(served.settings, account="acme"))
    acme.iam.create_user(UserSpec(name="acme_ops", email="o@example.com", password=PASSWORD, groups=("admin",)))
    acme.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=100, name="vault-acme"))
    acme.close()
    for username in ("nobody/viewer", "acme/viewer", "acme_ops"):
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(port, username=username, password=PASSWORD)
    async with connect(port, username="acme/acme_ops", password=PASSWORD) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(140, 42), encoding=None)
        terminal = Terminal(process, 140, 42)
        await terminal.wait_for("vault-acme")
        await terminal.wait_for("acme · acme_ops")  # the header is asked for beside the list

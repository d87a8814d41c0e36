"""`cbr-tui serve ssh`: the console over SSH for many people at once, each as the IAM user they log in as.

A person authenticates with their IAM username and password (under the login authentication policy: a
lockout says so in the SSH banner) or with a public key registered with `cbr-tui iam add-ssh-key`. Each
connection then gets its own console process (`python -m cbr_tui`) on its own pseudo-terminal, acting for
that user through the session the login opened: a process per session keeps one person's crash or slow
page away from everyone else's, and ends with the connection (its process group is hung up, then killed).
Window resizes reach the console as the kernel's SIGWINCH. The server process itself runs the task runner
and the policy scheduler, so the consoles run none, and a backup someone started goes on when they leave.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import pty
import signal
import struct
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import asyncssh

from cbr_tui.domain.errors import CbrError
from cbr_tui.serve.demo import DemoSessions, sqlite_url
from cbr_tui.serve.launcher import Launcher
from cbr_tui.serve.session_log import log_session
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings

log = logging.getLogger(__name__)
DEFAULT_PORT = 2222
MAX_SESSIONS = 50
HANG_UP_SECONDS = 3.0  # a console asked to stop this long ago is killed
CONSOLE_COMMAND = (sys.executable, "-m", "cbr_tui")


def host_key(home: Path) -> asyncssh.SSHKey:
    """The server's Ed25519 host key, made on the first start and kept (0600) in the data directory."""
    path = home / "ssh" / "host_ed25519"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        descriptor = os.open(path.with_name("host_ed25519.new"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.export_private_key())
        os.replace(path.with_name("host_ed25519.new"), path)
    return asyncssh.read_private_key(str(path))


def _set_size(descriptor: int, columns: int, rows: int) -> None:
    fcntl.ioctl(descriptor, termios.TIOCSWINSZ, struct.pack("HHHH", max(rows, 1), max(columns, 1), 0, 0))


def _take_terminal() -> None:
    """In the console's process before it runs: a session of its own, with the PTY as its terminal (so
    that resizes reach it as SIGWINCH and a hang-up reaches all of it)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class _Login:
    """What one connection's authentication found: the user and, once authenticated, their session."""

    user: str = ""
    peer: str = ""
    token: str | None = None
    key_fingerprint: str | None = None
    account: str | None = None  # "ACCOUNT/USER" logs in to another account of the installation
    console: Console | None = None  # that account's, for its users' logins

class ConsoleServer:
    """The SSH server: authenticates against IAM and runs one console process per connection."""

    def __init__(self, console: Console, settings: Settings, *, max_sessions: int = MAX_SESSIONS,
                 command: Sequence[str] = CONSOLE_COMMAND, launcher: Launcher | None = None,
                 demo: DemoSessions | None = None) -> None:
        """`launcher`: fork each console from a pre-imported parent (see `launcher.py`) instead of starting
        `command` (the console; a benchmark's baseline runs a minimal app). `demo`: a public demo, where
        nobody logs in and every connection gets a simulated cloud of its own."""
        self.launcher = launcher
        self.demo = demo
        self.console = console
        self._accounts: dict[str, Console] = {}
        self.settings = settings
        self.max_sessions = max_sessions
        self.command = list(command)
        self.sessions: set[asyncio.Task[None]] = set()
        self.consoles: dict[int, _Child] = {}
        self._acceptor: asyncssh.SSHAcceptor | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen (port 0: any free one); returns the port."""
        self._acceptor = await asyncssh.create_server(
            lambda: _Authenticator(self), host, port, server_host_keys=[host_key(self.settings.home)],
            process_factory=self._serve, encoding=None, line_editor=False, allow_scp=False,
            agent_forwarding=False, x11_forwarding=False)
        return int(self._acceptor.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
        for task in list(self.sessions):
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)
        for console in self._accounts.values():
            console.close()

    async def console_of(self, account: str | None) -> Console | None:
        """The console of the account a login names (this server's own when it names none); None when
        there is no such account."""
        if account is None or account == self.settings.account:
            return self.console
        if account not in self._accounts:
            try:
                self._accounts[account] = await self._call(open_console, replace(self.settings, account=account),
                                                            seed_demo=False)
            except CbrError:
                return None
        return self._accounts[account]

    async def _call(self, function, *args, **kwargs):  # type: ignore[no-untyped-def]
        """A service call (the database, a slow password hash) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, lambda: function(*args, **kwargs))

    async def _serve(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        try:
            await self._session(process)
        finally:
            self.sessions.discard(task)

    async def _session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        login: _Login = process.get_extra_info("cbr_login")
        refusal = None
        if len(self.sessions) > self.max_sessions:
            refusal = (f"This cbr-tui server already holds {self.max_sessions} sessions, its limit; try again in "
                       "a few minutes.")
        elif process.get_terminal_type() is None:
            refusal = "The console needs a terminal: connect with ssh -t."
        if refusal is not None:
            if login.token is not None:  # the login opened a session; it ends here
                with contextlib.suppress(Exception):
                    await self._call(login.console.authentication.log_out, login.token)  # type: ignore[union-attr]
                login.token = None
            process.stderr.write(f"{refusal}\r\n".encode())
            process.exit(1)
            return
        if login.token is None and login.key_fingerprint is not None:
            try:
                assert login.console is not None
                login.token = (await self._call(login.console.authentication.log_in_with_key, login.user,
                                                login.key_fingerprint, source=login.peer)).token
            except CbrError as error:
                process.stderr.write(f"{error.code}: {error.message}\r\n".encode())
                process.exit(1)
                return
            except Exception as error:
                log.exception("a key login could not be completed")
                process.stderr.write(f"The login could not be completed ({type(error).__name__}); try again.\r\n"
                                     .encode())
                process.exit(1)
                return
        if self.demo is not None:
            await self._demo_session(process, login)
            return
        assert login.token is not None
        started = time.monotonic()
        log_session(self.settings.home, "start", transport="ssh", user=login.user, peer=login.peer)
        code = 1
        try:
            code = await self._run_console(process, {
                "CBR_TUI_HOME": str(self.settings.home), "CBR_TUI_DATABASE_URL": self.settings.database_url,
                "CBR_TUI_ACCOUNT": login.account or self.settings.account or "", "CBR_TUI_SESSION_TOKEN": login.token,
                "CBR_TUI_SERVED": "1"})
        finally:
            with contextlib.suppress(CbrError):
                await self._call(login.console.authentication.log_out, login.token)  # type: ignore[union-attr]
            log_session(self.settings.home, "end", transport="ssh", user=login.user, peer=login.peer,
                        seconds=round(time.monotonic() - started, 1), exit_code=code)
            with contextlib.suppress(Exception):
                process.exit(code)

    async def _demo_session(self, process: asyncssh.SSHServerProcess[bytes], login: _Login) -> None:
        """A public demo's session: a copy of the demo of its own, as the account's administrator, deleted
        when the session ends. Its console runs its own tasks (the server's runner works on the main store)."""
        assert self.demo is not None
        started = time.monotonic()
        home = await self._call(self.demo.new_session)
        log_session(self.settings.home, "start", transport="ssh", user=login.user, peer=login.peer, demo=home.name)
        code = 1
        try:
            environment = {"CBR_TUI_HOME": str(home), "CBR_TUI_DATABASE_URL": sqlite_url(home),
                           "CBR_TUI_SERVED": "demo"}
            code = await self._run_console(process, environment)
        finally:
            await self._call(self.demo.remove, home)
            log_session(self.settings.home, "end", transport="ssh", user=login.user, peer=login.peer, demo=home.name,
                        seconds=round(time.monotonic() - started, 1), exit_code=code)
            with contextlib.suppress(Exception):
                process.exit(code)

    async def _run_console(self, process: asyncssh.SSHServerProcess[bytes], session_env: dict[str, str]) -> int:
        columns, rows, _, _ = process.get_terminal_size()
        master, slave = pty.openpty()
        os.set_blocking(master, False)  # a paste into a busy console must not stop the server
        _set_size(slave, columns, rows)
        # COLUMNS and LINES would override the PTY's size (shutil.get_terminal_size reads them first).
        inherited = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
        env = {**inherited, "CBR_TUI_REGION": self.settings.region, "CBR_TUI_CONFINED": "1", **session_env,
               "TERM": process.get_terminal_type() or "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        try:
            if self.launcher is not None:
                child = _Child(await self.launcher.spawn(env, slave), launcher=self.launcher)
            else:
                child = _Child.of(await asyncio.create_subprocess_exec(
                    *self.command, stdin=slave, stdout=slave, stderr=slave, env=env,
                    preexec_fn=_take_terminal, close_fds=True))
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.consoles[child.pid] = child
        loop = asyncio.get_running_loop()
        output_done = asyncio.Event()

        def forward() -> None:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if data:
                try:
                    process.stdout.write(data)
                    return
                except (BrokenPipeError, asyncssh.Error):  # the client went
                    pass
            loop.remove_reader(master)
            output_done.set()

        loop.add_reader(master, forward)
        reading = asyncio.ensure_future(self._pump_input(process, master))
        exited = asyncio.ensure_future(child.wait())
        try:
            await asyncio.wait({reading, exited}, return_when=asyncio.FIRST_COMPLETED)
            if exited.done():
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(output_done.wait(), 1.0)  # the console's last frame
        finally:
            reading.cancel()
            if not exited.done():  # an ended console's PID may already belong to another process
                await self._end(child)
            exited.cancel()
            loop.remove_reader(master)
            os.close(master)
            self.consoles.pop(child.pid, None)
        return child.returncode if child.returncode is not None else -1

    @staticmethod
    async def _pump_input(process: asyncssh.SSHServerProcess[bytes], master: int) -> None:
        while True:
            try:
                data = await process.stdin.read(65536)
            except asyncssh.TerminalSizeChanged as change:
                _set_size(master, change.width, change.height)
                continue
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except (asyncssh.Error, OSError):
                return
            if not data:
                return
            while data:
                try:
                    data = data[os.write(master, data):]
                except BlockingIOError:  # the console is not reading: wait for it, not the server
                    await asyncio.sleep(0.01)

    @staticmethod
    async def _end(child: _Child) -> None:
        """Hang the console up (its whole process group), and kill what is left after a moment."""
        if child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGHUP)
        try:
            await asyncio.wait_for(child.wait(), HANG_UP_SECONDS)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            await child.wait()


class _Child:
    """A session's console: a process this server started, or one the launcher forked (whose exit status
    stays with the launcher)."""

    def __init__(self, pid: int, process: asyncio.subprocess.Process | None = None, *,
                 launcher: Launcher | None = None) -> None:
        self.pid = pid
        self._process = process
        self._launcher = launcher
        self._code: int | None = None
        self._waiting: asyncio.Future[int] | None = None  # one wait on the launcher, however many ask

    @classmethod
    def of(cls, process: asyncio.subprocess.Process) -> _Child:
        return cls(process.pid, process)

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process is not None else self._code

    async def wait(self) -> None:
        if self._process is not None:
            await self._process.wait()
        elif self._launcher is not None:
            if self._waiting is None:
                self._waiting = asyncio.ensure_future(self._launcher.wait(self.pid))
            self._code = await asyncio.shield(self._waiting)


class _Authenticator(asyncssh.SSHServer):
    """One connection's authentication: IAM passwords and registered public keys."""

    def __init__(self, server: ConsoleServer) -> None:
        self.server = server
        self.login = _Login()
        self.connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.connection = conn
        peer = conn.get_extra_info("peername") or ("", 0)
        self.login.peer = f"{peer[0]}:{peer[1]}"
        conn.set_extra_info(cbr_login=self.login)

    def begin_auth(self, username: str) -> bool:
        """Authentication is asked for, except in a public demo (everyone gets a demo of their own). An
        `ACCOUNT/USER` username is that account's IAM user, as IAM's login asks for the account name."""
        account, _, user = username.rpartition("/")
        self.login.account, self.login.user = account or None, user
        return self.server.demo is None

    async def _account_console(self) -> Console | None:
        if self.login.console is None:
            self.login.console = await self.server.console_of(self.login.account)
        return self.login.console

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        console = await self._account_console()
        if console is None:  # no such account: the same answer as a wrong password
            self._banner("The username or password is incorrect.")
            return False
        try:
            logged_in = await self.server._call(console.authentication.log_in, self.login.user, password,
                                                source=self.login.peer)
        except CbrError as error:
            self._banner(error.message)
            return False
        except Exception as error:  # the database, say: this login fails, the server goes on
            log.exception("a login could not be checked")
            self._banner(f"The login could not be checked ({type(error).__name__}); try again in a moment.")
            return False
        self.login.token = logged_in.token
        return True

    def _banner(self, message: str) -> None:
        if self.connection is not None:
            self.connection.send_auth_banner(f"{message}\r\n")

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        fingerprint = key.get_fingerprint("sha256")
        console = await self._account_console()
        if console is None:
            return False
        try:
            known = await self.server._call(console.authentication.has_key, self.login.user, fingerprint)
        except Exception as error:
            log.exception("a key could not be checked")
            self._banner(f"The key could not be checked ({type(error).__name__}); try again in a moment.")
            return False
        if known:
            self.login.key_fingerprint = fingerprint
        return bool(known)


def serve_ssh(console: Console, settings: Settings, host: str, port: int, *, max_sessions: int = MAX_SESSIONS,
              demo: bool = False, announce: bool = True) -> None:
    """Serve until interrupted, running the task runner and the scheduler beside the consoles (or, for a
    public demo, preparing the demo every connection gets a copy of)."""
    demos = DemoSessions(settings.home, scale=settings.demo_scale, region=settings.region) if demo else None
    if demos is not None:
        demos.prepare()
    background = console.background()
    if demos is None:
        background.start()
    launcher = Launcher()

    async def main() -> None:
        server = ConsoleServer(console, settings, max_sessions=max_sessions, launcher=launcher, demo=demos)
        bound = await server.start(host, port)
        if announce:
            print(f"cbr-tui serving SSH on {host}:{bound}; Ctrl+C stops it.", file=sys.stderr, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        await server.stop()

    try:
        asyncio.run(main())
    finally:
        launcher.close()
        background.stop()

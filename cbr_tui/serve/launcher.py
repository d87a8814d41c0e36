"""A pre-imported parent that forks one console per served session.

Importing Textual, SQLAlchemy and the console's screens costs every new console process about a second of
CPU and tens of MB of memory of its own. The launcher is a process of its own, started by a server, that
imports them once, freezes them out of the garbage collector's reach (so that children do not copy the
pages merely by collecting), and then only waits: for each session the server sends the environment and the
session's PTY (passed as a file descriptor), and the launcher forks a child that makes the PTY its
controlling terminal and runs the console. The children share the imported modules' memory copy-on-write
and draw their first screen without importing anything. The launcher holds no thread, no event loop and no
database connection, so forking it is safe; it reaps its children as they end.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import termios

# What a console imports before drawing its first screen and opening the store.
PRELOAD = ("cbr_tui.cli", "cbr_tui.cli.app", "cbr_tui.services.console", "cbr_tui.ui.app",
           "cbr_tui.ui.screens.main", "cbr_tui.ui.screens.backup_page", "cbr_tui.ui.screens.vaults",
           "cbr_tui.store.engine", "cbr_tui.store.models", "sqlalchemy.dialects.sqlite")
MESSAGE_MAX = 1 << 20
SPAWN_SECONDS = 30.0


class Launcher:
    """The server's side: starts the launcher process and asks it for consoles, one request at a time."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._socket = ours
        # The launcher reaps the consoles, so it tells their exit statuses: "PID CODE" lines on a pipe.
        self._exits, exits_writer = os.pipe()
        os.set_blocking(self._exits, False)
        self._codes: dict[int, int] = {}
        self._partial = b""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "cbr_tui.serve.launcher", str(theirs.fileno()), str(exits_writer)],
            pass_fds=[theirs.fileno(), exits_writer], stdin=subprocess.DEVNULL)
        theirs.close()
        os.close(exits_writer)
        self._socket.settimeout(SPAWN_SECONDS)  # a launcher that stopped answering fails the session, not the server
        self._lock = asyncio.Lock()

    async def spawn(self, environment: dict[str, str], terminal: int) -> int:
        """A console on the PTY `terminal` (its slave side) with this environment; returns its PID."""
        async with self._lock:
            return await asyncio.get_running_loop().run_in_executor(None, self._request, environment, terminal)

    def _request(self, environment: dict[str, str], terminal: int) -> int:
        socket.send_fds(self._socket, [json.dumps(environment).encode()], [terminal])
        answer = self._socket.recv(4096)
        if not answer:
            raise RuntimeError("the console launcher has ended")
        return int(json.loads(answer)["pid"])

    def _read_exits(self) -> None:
        try:
            while chunk := os.read(self._exits, 4096):
                self._partial += chunk
        except BlockingIOError:
            pass
        *lines, self._partial = self._partial.split(b"\n")
        for line in lines:
            pid, code = line.split()
            self._codes[int(pid)] = int(code)

    async def wait(self, pid: int, poll: float = 0.05) -> int:
        """The exit code of a console this launcher forked, once it has ended (negative: the signal)."""
        while True:
            self._read_exits()
            if pid in self._codes:
                return self._codes.pop(pid)
            await asyncio.sleep(poll)

    def close(self) -> None:
        self._socket.close()  # the launcher sees the end of its socket and exits
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


_exits_descriptor = -1


def _reap(_signum: int, _frame: object) -> None:
    """Collect every ended console and tell the server its exit code."""
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                return
            with contextlib.suppress(OSError):
                os.write(_exits_descriptor, f"{pid} {os.waitstatus_to_exitcode(status)}\n".encode())


def _run_console(environment: dict[str, str], terminal: int) -> int:
    """In the forked child: the PTY becomes this session's terminal, then the console runs."""
    os.setsid()
    for descriptor in (0, 1, 2):
        os.dup2(terminal, descriptor)
    if terminal > 2:
        os.close(terminal)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(environment)
    import random

    random.seed()  # each child its own sequence (IDs come from the OS, but anything seeded must differ too)
    from cbr_tui.cli import main

    try:
        main([])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def serve(descriptor: int, exits: int) -> None:
    """The launcher's loop: import, then fork a console for each request until the server goes."""
    import importlib

    global _exits_descriptor
    _exits_descriptor = exits
    for module in PRELOAD:
        importlib.import_module(module)
    gc.collect()
    gc.freeze()
    channel = socket.socket(fileno=descriptor)
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the server's terminal is the server's to handle
    while True:
        try:
            message, descriptors, _flags, _address = socket.recv_fds(channel, MESSAGE_MAX, 1)
        except InterruptedError:
            continue
        if not message:
            return
        environment = json.loads(message)
        terminal = descriptors[0]
        pid = os.fork()
        if pid == 0:
            channel.close()
            os.close(exits)
            code = 1
            try:
                code = _run_console(environment, terminal)
            except BaseException:  # shown on the session's terminal, which is all it has
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.close(terminal)
        channel.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))

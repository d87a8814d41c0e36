"""Many people on one machine: N concurrent SSH sessions of the console, with one backup running.

    python bench/ssh_sessions_bench.py                      # N = 10, 20, 50
    python bench/ssh_sessions_bench.py --sessions 5 --keys 5 # a quick look

The server is `cbr_tui.serve.ssh.ConsoleServer` on a free loopback port, in this process, with the task runner
running one throttled backup for the whole measurement. The clients are asyncssh connections from this process,
each logging in with an IAM password (scrypt) and asking for a 140x42 terminal, all at once. For each N it reports:

- memory per session: RSS, PSS and private (unshared) memory of each session's console process, from
  /proc/PID/smaps_rollup, a few seconds after every session has drawn its first screen;
- connect to first screen: from opening the connection until the session's output holds the header with the
  user's name (median and worst);
- key to screen: every session at once presses keys that move the navigation's highlight, each time waiting
  for the first byte the console writes back (p50 and p95 over all presses of all sessions).

The baseline, measured in the same run and the same way: the same server running a minimal Textual app (a
header and a list whose highlight the keys move) per session in place of the console. Ratios are console /
baseline. Targets (issue 11): 50 sessions held; under 80 MB per session; first screen under 2 s at 20 sessions;
key to screen p95 under 150 ms at 20 sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from cbr_tui.domain.enums import ObjectType
from cbr_tui.serve.launcher import Launcher
from cbr_tui.serve.ssh import CONSOLE_COMMAND, ConsoleServer
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.iam import UserSpec
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import VaultSpec

PASSWORD = "Bench-pass-2026"
COLUMNS, ROWS = 140, 42
MINIMAL_MARKER = "minimal console of bench"
MINIMAL_APP = f"""
from textual.app import App
from textual.widgets import Header, Label, OptionList


class Minimal(App):
    def compose(self):
        yield Label({MINIMAL_MARKER!r})
        yield OptionList(*[f"page {{n}}" for n in range(12)])


Minimal().run()
"""
CONSOLE_MARKER = "cbr-demo · bench"


@dataclass
class Round:
    memory_mb: dict[str, list[float]]
    first_screen: list[float]
    keys: list[float]
    join: float


def memory_of(pid: int) -> dict[str, float]:
    """RSS, PSS and private memory (MB) of one process, from the kernel's summary of its mappings."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return {"rss": values["Rss"], "pss": values["Pss"],
            "private": values["Private_Clean"] + values["Private_Dirty"]}


class Session:
    def __init__(self, port: int, marker: str) -> None:
        self.port, self.marker = port, marker
        self.connection: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess[bytes] | None = None
        self.seen = b""

    async def open(self) -> float:
        started = time.monotonic()
        self.connection = await asyncssh.connect("127.0.0.1", self.port, username="bench", password=PASSWORD,
                                                 known_hosts=None, client_keys=None, agent_path=None)
        self.process = await self.connection.create_process(term_type="xterm-256color",
                                                            term_size=(COLUMNS, ROWS), encoding=None)
        wanted = self.marker.encode()
        while wanted not in self.seen:
            chunk = await self.process.stdout.read(65536)
            if not chunk:
                raise RuntimeError(f"the session ended before its first screen: {self.seen[-400:]!r}")
            self.seen = (self.seen + chunk)[-200_000:]
        return time.monotonic() - started

    async def drain(self, seconds: float = 0.3) -> None:
        assert self.process is not None
        while True:
            try:
                await asyncio.wait_for(self.process.stdout.read(65536), seconds)
            except TimeoutError:
                return

    async def press(self, key: bytes) -> float:
        """Send a key; the time until the console writes anything back."""
        assert self.process is not None
        started = time.monotonic()
        self.process.stdin.write(key)
        await self.process.stdout.read(65536)
        elapsed = time.monotonic() - started
        await self.drain(0.05)
        return elapsed

    async def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            await self.connection.wait_closed()


async def one_round(console: Console, settings: Settings, count: int, keys: int, command: list[str],
                    marker: str, launcher: Launcher | None) -> Round:
    server = ConsoleServer(console, settings, max_sessions=count + 1, command=command, launcher=launcher)
    port = await server.start("127.0.0.1", 0)
    sessions = [Session(port, marker) for _ in range(count)]
    joining = Session(port, marker)
    try:
        opened = await asyncio.gather(*(s.open() for s in sessions), return_exceptions=True)
        first = [t for t in opened if isinstance(t, float)]
        failed = [e for e in opened if not isinstance(e, float)]
        if failed:
            print(f"    {len(failed)} of {count} sessions failed to open: {failed[0]!r}", flush=True)
        sessions = [s for s, t in zip(sessions, opened, strict=True) if isinstance(t, float)]
        await asyncio.gather(*(s.drain(1.0) for s in sessions))
        join = await joining.open()
        await asyncio.sleep(3)
        memory: dict[str, list[float]] = {"rss": [], "pss": [], "private": []}
        for pid in list(server.consoles):
            for name, value in memory_of(pid).items():
                memory[name].append(value)
        await asyncio.gather(*(s.drain(0.5) for s in [*sessions, joining]))

        async def typing(session: Session) -> list[float]:  # down and up in the focused list
            return [await session.press(b"\x1b[B" if n % 2 == 0 else b"\x1b[A") for n in range(keys)]

        pressed = [t for times in await asyncio.gather(*(typing(s) for s in sessions)) for t in times]
        return Round(memory, list(first), pressed, join)
    finally:
        await asyncio.gather(*(s.close() for s in [*sessions, joining]), return_exceptions=True)
        await server.stop()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare_store(home: Path) -> tuple[Console, Settings]:
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0.3, bandwidth_mbps=1)
    console = open_console(settings)
    console.iam.create_user(UserSpec(name="bench", email="bench@example.com", password=PASSWORD, groups=("admin",)))
    console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=500, name="vault-bench",
                                    resources=(ResourceSelection("ecs-db-01"),)))
    for n in range(7):  # a list the keys move through
        console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=100, name=f"vault-{n}"))
    return console, settings


async def main(counts: list[int], keys: int, modes: set[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="cbr-ssh-bench-") as directory:
        console, settings = prepare_store(Path(directory))
        background = console.background()
        background.start()
        background.wait_started(120)
        console.backups.perform("vault-bench", name="running-during-the-bench")  # 1 MB/s: it runs throughout
        print(f"{'N':>3} {'app':<24} {'RSS MB':>7} {'PSS MB':>7} {'priv MB':>7} {'first p50':>9} "
              f"{'first max':>9} {'join':>6} {'key p50':>8} {'key p95':>8}")
        launcher = Launcher()
        try:
            for count in counts:
                rows = {}
                for name, command, marker, forked in (
                        ("minimal app", [sys.executable, "-c", MINIMAL_APP], MINIMAL_MARKER, None),
                        ("console", list(CONSOLE_COMMAND), CONSOLE_MARKER, None),
                        ("console forked", list(CONSOLE_COMMAND), CONSOLE_MARKER, launcher)):
                    if name.split()[-1] not in modes:
                        continue
                    rows[name] = result = await one_round(console, settings, count, keys, command, marker, forked)
                    print(line(count, name, figures(result)), flush=True)
                if "minimal app" not in rows:
                    continue
                base = figures(rows["minimal app"])
                for name in [n for n in ("console", "console forked") if n in rows]:
                    ratio = [a / b for a, b in zip(figures(rows[name]), base, strict=True)]
                    print(line(count, f"{name} / minimal", ratio, ratio=True), flush=True)
        finally:
            launcher.close()
            background.stop()
            console.close()


def figures(result: Round) -> list[float]:
    return [statistics.mean(result.memory_mb["rss"]), statistics.mean(result.memory_mb["pss"]),
            statistics.mean(result.memory_mb["private"]), statistics.median(result.first_screen),
            max(result.first_screen), result.join, percentile(result.keys, 0.5) * 1000,
            percentile(result.keys, 0.95) * 1000]


def line(count: int, name: str, values: list[float], *, ratio: bool = False) -> str:
    rss, pss, private, first, worst, join, p50, p95 = values
    if ratio:
        return (f"{count:>3} {name:<24} {rss:>7.2f} {pss:>7.2f} {private:>7.2f} {first:>9.2f} {worst:>9.2f} "
                f"{join:>6.2f} {p50:>8.2f} {p95:>8.2f}")
    return (f"{count:>3} {name:<24} {rss:>7.1f} {pss:>7.1f} {private:>7.1f} {first:>8.2f}s {worst:>8.2f}s "
            f"{join:>5.2f}s {p50:>6.0f}ms {p95:>6.0f}ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,20,50", help="comma-separated session counts")
    parser.add_argument("--keys", type=int, default=20, help="keys each session presses")
    parser.add_argument("--modes", default="app,console,forked",
                        help="which to run: app (the minimal app), console (a process each), forked (the launcher)")
    arguments = parser.parse_args()
    asyncio.run(main([int(n) for n in arguments.sessions.split(",")], arguments.keys,
                     set(arguments.modes.split(","))))

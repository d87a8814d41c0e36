"""How fast `cbr-tui` starts: the console's first drawn screen against a minimal Textual app, and `--help`.

    python bench/startup_bench.py             # median of 5 of each (about a minute)
    python bench/startup_bench.py --runs 9    # more runs, steadier medians on a busy machine

Every program runs as a real process under a pseudo-terminal of 140x42 (TERM=xterm-256color; COLUMNS and
LINES are never set), timed from its spawn until its screen's marker text has been written to the terminal:

- the baseline, measured in the same run (interleaved with the others): a minimal Textual app with one label;
- `cbr-tui` (the console) with a fresh data directory each time (CBR_TUI_HOME, a temporary directory): its
  first drawn screen (the Cloud Server Backups page with its Buy button and the footer), then that page
  with its data (the vault list's pager count, "0-0 of 0"): the console draws first and opens the store
  beside it, since importing the data layer takes longer than drawing;
- `cbr-tui` with an existing data directory (made once beforehand by `cbr-tui account show`), the same two.

Target: the console's first screen within 1.5x the minimal app, fresh and existing. Then it times
`cbr-tui --help` and a few sub-commands (target for `--help`: under 0.3 s), and reads the resident memory
(VmRSS from /proc) of an idle console, a few seconds after its first screen (target: under 80 MB), beside
that of the minimal app. Last, where the console's time and memory go before it draws anything: the
imports of Textual, of the data layer (SQLModel, SQLAlchemy, the models and services) and of the screens,
each timed as `python -c "import ..."` against `python -c pass`. Every process it starts is killed
before it ends.

On this repository's machine (2 vCPUs) the minimal Textual app draws its label in 0.2-0.3 s, so the target
is about 0.35-0.45 s; importing SQLModel (SQLAlchemy's ORM and pydantic) alone takes about 0.45 s there.
"""

import argparse
import codecs
import contextlib
import fcntl
import importlib.util
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

COLUMNS, ROWS = 140, 42
TIMEOUT = 60.0
IDLE_SECONDS = 5.0

MINIMAL_LABEL = "minimal textual app: ready"
MINIMAL_APP = f"""
from textual.app import App
from textual.widgets import Label


class Minimal(App):
    def compose(self):
        yield Label({MINIMAL_LABEL!r})


Minimal().run()
"""
# The console's first screen: its page title, the vault list's pager (drawn once the list has loaded) and
# the footer's help key.
CONSOLE_SCREEN = (re.compile(r"Cloud Server Backups"), re.compile(r"Buy Server Backup Vault"), re.compile(r"Help"))
CONSOLE_DATA = (re.compile(r"\d+-\d+ of \d+"),)
CONSOLE_STAGES = (CONSOLE_SCREEN, CONSOLE_DATA)
MINIMAL_STAGES = ((re.compile(re.escape(MINIMAL_LABEL)),),)
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-_]")


def console_command() -> list[str]:
    script = Path(sys.executable).with_name("cbr-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cbr_tui"]


def environment(home: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") and not k.startswith("CBR_TUI_")}
    env["TERM"] = "xterm-256color"
    if home is not None:
        env["CBR_TUI_HOME"] = str(home)
    return env


@dataclass
class Spawned:
    process: subprocess.Popen[bytes]
    master: int
    seconds: list[float]  # from spawn until every marker of each stage was on the terminal

    def drain(self, seconds: float) -> None:
        """Keep reading what it writes (so that it never blocks on a full terminal) for a while."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    os.read(self.master, 65536)
                except OSError:
                    return

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def kill(self) -> None:
        """Ask it to quit (ctrl+q), then end it by its process ID if it has not."""
        process = self.process
        with contextlib.suppress(OSError):
            os.write(self.master, b"\x11")
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=3)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        os.close(self.master)


Stages = Sequence[Sequence[re.Pattern[str]]]
ROWS_SHOWN = (("minimal", "minimal Textual app (baseline)"), ("fresh", "cbr-tui, fresh data directory"),
              ("fresh-data", "  ... its vault list with data"), ("existing", "cbr-tui, existing data directory"),
              ("existing-data", "  ... its vault list with data"))


def spawn(command: Sequence[str], env: dict[str, str], stages: Stages) -> Spawned:
    """Start `command` under a new 140x42 pseudo-terminal; wait until the markers of every stage have been
    drawn, noting when each stage's were all there."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    began = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                               close_fds=True)
    os.close(slave)
    spawned = Spawned(process, master, [])
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    raw = ""
    try:
        while True:
            left = TIMEOUT - (time.perf_counter() - began)
            if left <= 0:
                raise TimeoutError(f"{command[0]} drew no first screen in {TIMEOUT:.0f} s; it wrote:\n"
                                   f"{ESCAPES.sub('', raw)[-2000:]}")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal: it ended
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[0]} ended (status {process.wait()}) before its first screen:\n"
                                   f"{ESCAPES.sub('', raw)[-2000:]}")
            raw += decoder.decode(chunk)
            text = ESCAPES.sub("", raw)
            while len(spawned.seconds) < len(stages) and all(m.search(text) for m in stages[len(spawned.seconds)]):
                spawned.seconds.append(time.perf_counter() - began)
            if len(spawned.seconds) == len(stages):
                return spawned
    except BaseException:
        spawned.kill()
        raise


def first_screen(command: Sequence[str], env: dict[str, str], stages: Stages) -> list[float]:
    spawned = spawn(command, env, stages)
    spawned.kill()
    return spawned.seconds


def timed_run(command: Sequence[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, stdin=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stdout[-500:]!r}")
    return seconds


def import_cost(modules: str, runs: int) -> tuple[float, float]:
    """Median seconds of `python -c "import MODULES"`, and the VmRSS (MB) it ends with."""
    code = f"import {modules}\n" if modules else ""
    code += "import re; print(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
    seconds, rss = [], []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], env=environment(None), capture_output=True, text=True,
                              check=True)
        seconds.append(time.perf_counter() - began)
        rss.append(int(done.stdout) / 1024)
    return statistics.median(seconds), statistics.median(rss)


IMPORTS = (("python -c pass (baseline)", ""), ("textual.app (the minimal app's)", "textual.app"),
           ("sqlalchemy", "sqlalchemy"), ("sqlalchemy.orm", "sqlalchemy.orm"),
           ("sqlmodel (with pydantic)", "sqlmodel"), ("cbr_tui.store.models (the tables)", "cbr_tui.store.models"),
           ("cbr_tui.services.console (data layer)", "cbr_tui.services.console"),
           ("textual.app + cbr_tui.services.console", "textual.app, cbr_tui.services.console"),
           ("cbr_tui.ui.app (everything the console imports)", "cbr_tui.ui.app"))


def idle_rss(command: Sequence[str], env: dict[str, str], stages: Stages) -> float:
    spawned = spawn(command, env, stages)
    try:
        spawned.drain(IDLE_SECONDS)
        return spawned.rss_mb()
    finally:
        spawned.kill()


def compile_package() -> None:
    """Byte-compile cbr_tui first, as an installed package is: an editable install under
    PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise compile the console's modules at every
    start, which is not the console's own time."""
    spec = importlib.util.find_spec("cbr_tui")
    assert spec is not None and spec.origin is not None
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(spec.origin).parent)], check=True,
                   env=environment(None) | {"PYTHONDONTWRITEBYTECODE": ""})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (the median is shown)")
    options = parser.parse_args()
    console = console_command()
    minimal = [sys.executable, "-c", MINIMAL_APP]
    work = Path(tempfile.mkdtemp(prefix="cbr-startup-bench-"))
    compile_package()
    try:
        existing = work / "existing"
        subprocess.run([*console, "account", "show"], env=environment(existing), check=True,
                       capture_output=True, stdin=subprocess.DEVNULL)
        samples: dict[str, list[float]] = {key: [] for key, _name in ROWS_SHOWN}
        for run in range(options.runs):  # interleaved, so that a busier moment weighs on all of them alike
            samples["minimal"] += first_screen(minimal, environment(None), MINIMAL_STAGES)
            fresh = first_screen(console, environment(work / f"fresh-{run}"), CONSOLE_STAGES)
            existing_run = first_screen(console, environment(existing), CONSOLE_STAGES)
            for key, values in (("fresh", fresh), ("existing", existing_run)):
                samples[key].append(values[0])
                samples[f"{key}-data"].append(values[1])
        baseline = statistics.median(samples["minimal"])

        def cli(*args: str) -> float:
            return statistics.median(timed_run([*console, *args], environment(existing))
                                     for _ in range(options.runs))

        interpreter = statistics.median(timed_run([sys.executable, "-c", "pass"], environment(None))
                                        for _ in range(options.runs))
        commands = [("cbr-tui --help", cli("--help"), "< 0.3 s"), ("cbr-tui vault --help", cli("vault", "--help"), ""),
                    ("cbr-tui account show", cli("account", "show"), ""),
                    ("cbr-tui vault list", cli("vault", "list"), "")]
        rss_console = idle_rss(console, environment(existing), CONSOLE_STAGES)
        rss_minimal = idle_rss(minimal, environment(None), MINIMAL_STAGES)
        imports = [(name, *import_cost(modules, options.runs)) for name, modules in IMPORTS]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"cbr-tui startup ({COLUMNS}x{ROWS} pseudo-terminal, median of {options.runs}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f})")
    print(f"{'first drawn screen':<40} {'median':>8} {'min':>8} {'max':>8} {'ratio':>7}  target")
    for key, name in ROWS_SHOWN:
        values = samples[key]
        ratio = statistics.median(values) / baseline
        target = "" if key == "minimal" or key.endswith("-data") else (
            "<= 1.5x  ok" if ratio <= 1.5 else "<= 1.5x  OVER")
        print(f"{name:<40} {statistics.median(values):7.2f}s {min(values):7.2f}s {max(values):7.2f}s "
              f"{ratio:6.2f}x  {target}")
    print(f"\n{'command':<40} {'median':>8} {'vs python -c pass':>18}  target")
    print(f"{'python -c pass (baseline)':<40} {interpreter:7.3f}s {1.0:17.1f}x")
    for name, seconds, target in commands:
        verdict = "" if not target else ("ok" if seconds < 0.3 else "OVER")
        print(f"{name:<40} {seconds:7.3f}s {seconds / interpreter:17.1f}x  {target} {verdict}")
    print(f"\nidle console, {IDLE_SECONDS:.0f} s after its first screen: VmRSS {rss_console:.0f} MB "
          f"(minimal Textual app {rss_minimal:.0f} MB; target < 80 MB: {'ok' if rss_console < 80 else 'OVER'})")
    print(f"\n{'python -c ' + repr('import ...'):<50} {'median':>8} {'minus baseline':>15} {'VmRSS':>8}")
    base_seconds = imports[0][1]
    for name, seconds, rss in imports:
        print(f"{name:<50} {seconds:7.3f}s {seconds - base_seconds:14.3f}s {rss:6.0f}MB")


if __name__ == "__main__":
    main()

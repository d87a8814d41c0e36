"""Starting is cheap: `cbr-tui --help` and a sub-command's help load neither the data layer nor Textual and
touch no data; a command on a current store loads neither Alembic, the task runner nor the engine.

These are behaviour tests (what is imported, what is touched), never timings: bench/startup_bench.py
measures the time."""

import json
import subprocess
import sys
from pathlib import Path

import click
import click.testing

from cbr_tui.cli import cli
from cbr_tui.cli.app import SUBCOMMANDS

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "textual", "pydantic", "cbr_tui.services.console", "cbr_tui.store",
         "cbr_tui.engine", "cbr_tui.jobs")


def in_fresh_interpreter(code: str, home: Path) -> str:
    """Run `code` in a new interpreter with CBR_TUI_HOME=home; what it printed on stderr."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False,
                          env={"CBR_TUI_HOME": str(home), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stderr


def imported_after(code: str, home: Path, *modules: str) -> list[str]:
    """Which of `modules` running `code` in a new interpreter imported."""
    report = f"print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]), file=sys.stderr)"
    output = in_fresh_interpreter(f"import json, sys\n{code}\n{report}", home)
    return json.loads(output.strip().splitlines()[-1])


def command(*args: str) -> str:
    """Code running `cbr-tui ARGS` as the script does."""
    return f"from cbr_tui.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit as done:\n" \
           f"    assert not done.code, done.code"


def test_help_lists_every_sub_command_with_its_one_line_help() -> None:
    result = click.testing.CliRunner().invoke(cli, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    listed = dict(line.split(None, 1) for line in result.output.split("Commands:\n")[1].splitlines())
    assert sorted(listed) == sorted(SUBCOMMANDS)
    context = click.Context(cli)
    for name, (_where, declared) in SUBCOMMANDS.items():
        loaded = cli.get_command(context, name)
        assert loaded is not None and loaded.name == name
        # what `--help` shows before importing the command is the first sentence of its own docstring
        assert loaded.get_short_help_str(limit=10_000) == declared, name
        assert declared.startswith(listed[name].strip().removesuffix("...")), name


def test_the_help_is_the_same_before_and_after_the_sub_commands_are_imported(tmp_path: Path) -> None:
    code = """
import sys
import click, click.testing
from cbr_tui.cli import cli
before = click.testing.CliRunner().invoke(cli, ["--help"]).output
context = click.Context(cli)
for name in cli.list_commands(context):
    cli.get_command(context, name)
assert "cbr_tui.cli.vaults" in sys.modules
after = click.testing.CliRunner().invoke(cli, ["--help"]).output
assert "Commands:" in before and before == after, (before, after)
"""
    in_fresh_interpreter(code, tmp_path / "home")


def test_help_imports_neither_the_data_layer_nor_textual_and_touches_no_data(tmp_path: Path) -> None:
    home = tmp_path / "never-created"
    assert imported_after("import cbr_tui.cli", home, *HEAVY) == []
    assert imported_after(command("--help"), home, *HEAVY) == []
    for group in ("vault", "backup", "policy", "resource", "restore", "account", "serve", "task"):
        assert imported_after(command(group, "--help"), home, *HEAVY) == [], group
    assert imported_after(command("vault", "create", "--help"), home, *HEAVY) == []
    assert not home.exists()


def test_a_command_loads_the_data_layer_but_not_the_engine_jobs_or_textual(tmp_path: Path) -> None:
    home = tmp_path / "home"
    subprocess.run([sys.executable, "-m", "cbr_tui", "account", "show"], capture_output=True, timeout=300,
                   check=True, env={"CBR_TUI_HOME": str(home), "CBR_TUI_DEMO_SCALE": "0", "PATH": "/usr/bin:/bin"})
    # an existing, current store: no migration, so Alembic is not even imported
    loaded = imported_after(command("vault", "list"), home, "sqlmodel", "alembic", "textual", "cbr_tui.jobs.runner",
                            "cbr_tui.jobs.backup", "cbr_tui.engine.image", "cbr_tui.engine.tree")
    assert loaded == ["sqlmodel"]


def test_the_console_starts_its_background_work_after_its_first_screen_and_the_engine_on_demand(
        tmp_path: Path) -> None:
    """`cbr-tui` with no arguments on an existing data directory: Alembic is not loaded (the schema is
    current); the demo check, the runner and the scheduler start once the main screen is up; the jobs and
    the engine load only when a task is claimed (here: none)."""
    home = tmp_path / "home"
    subprocess.run([sys.executable, "-m", "cbr_tui", "account", "show"], capture_output=True, timeout=300,
                   check=True, env={"CBR_TUI_HOME": str(home), "CBR_TUI_DEMO_SCALE": "0", "PATH": "/usr/bin:/bin"})
    code = """
import asyncio, json, sys
from cbr_tui.cli.app import Invocation
from cbr_tui.services.console import Background
from cbr_tui.services.settings import Settings
from cbr_tui.ui.app import CbrApp

seen = {}
start = Background.start

def noting_start(self):
    seen["screen when started"] = type(app.screen).__name__
    seen["loaded when started"] = [m for m in ("alembic", "cbr_tui.jobs.runner") if m in sys.modules]
    start(self)

Background.start = noting_start
app = CbrApp(Invocation(Settings.from_env()).open_for_the_console())

async def main():
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.background_work.wait_started(60)
        seen["running"] = [app.background_work.runner is not None, app.background_work.scheduler is not None]
        seen["loaded when running"] = [m for m in ("alembic", "cbr_tui.jobs.runner", "cbr_tui.jobs.backup",
                                                   "cbr_tui.engine.image", "cbr_tui.engine.tree", "blake3",
                                                   "zstandard") if m in sys.modules]

asyncio.run(main())
print(json.dumps(seen), file=sys.stderr)
"""
    seen = json.loads(in_fresh_interpreter(code, home).strip().splitlines()[-1])
    assert seen == {"screen when started": "MainScreen", "loaded when started": [], "running": [True, True],
                    "loaded when running": ["cbr_tui.jobs.runner"]}


def test_importing_any_module_writes_nothing_and_opens_no_connection(tmp_path: Path) -> None:
    code = """
import importlib, pkgutil, socket, sys

def refuse(*args, **kwargs):
    raise AssertionError("a network connection at import time")

socket.socket.connect = refuse
socket.getaddrinfo = refuse
import cbr_tui

names = [m.name for m in pkgutil.walk_packages(cbr_tui.__path__, "cbr_tui.")
         if ".migrations" not in m.name and not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
assert len(names) > 80 and "cbr_tui.ui.app" in sys.modules and "cbr_tui.serve.web" in sys.modules
"""
    home = tmp_path / "user"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False,
                          env={"HOME": str(home), "CBR_TUI_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
                               "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
                               "XDG_CONFIG_HOME": str(home / "config"), "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []

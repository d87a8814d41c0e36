"""Every sub-command of the command line driven with hostile values (hypothesis, 6,000 examples in all):
never `BackupService.9910`, never a hang, and a refused call changes nothing in the database.

One console is opened for a worker's whole run and shared by every call (opening the store for each of
6,000 calls would not fit CI's budget); each call still goes through `main`, click's parsing and the
services exactly as a script's would. Left out: `serve` and `worker` (they run until stopped, and have
their own tests) and `database repair` (it works on the database file itself, under the open console).
"""

import contextlib
import io
import json
import math
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cbr_tui.cli import main
from cbr_tui.cli.app import Invocation, cli
from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.ids import SeededIds
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.settings import Settings
from tests.conftest import T0, clone_home
from tests.jobs.helpers import back_up
from tests.services.helpers import buy

EXAMPLES_TOTAL = 6_000
HANG_SECONDS = 10  # a call this long is a hang (the slowest real call here takes well under a second)
LEFT_OUT = {("serve",), ("worker",), ("database",)}
NAMES = ["ecs-web-01", "ecs-db-01", "evs-data-01", "evs-secure-01", "sfs-turbo-01", "laptop-01", "vault-a",
         "vault-d", "vault-f", "policy-a", "cn-north-4", "cn-east-3", "AZ1", "default", "backup", "server", "disk",
         "monthly", "1", "100", "mon", "02:00", "env=prod", "env"]


def leaf_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    context = click.Context(cli)

    def walk(group: click.Group, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], click.Command]]:
        for name in group.list_commands(context):
            path = (*prefix, name)
            if any(path[: len(out)] == out for out in LEFT_OUT):
                continue
            command = group.get_command(context, name)
            assert command is not None
            if isinstance(command, click.Group):
                yield from walk(command, path)
            else:
                yield path, command

    return list(walk(cli, ()))


DESTRUCTIVE = ("delete", "unsubscribe", "damage", "dissociate", "migrate", "unregister", "remove-path", "set-status",
               "detach", "stop")
COMMANDS = sorted(leaf_commands(), key=lambda item: item[0][-1] in DESTRUCTIVE)
# A command of flags alone has few distinct calls (hypothesis stops when it has made them all): the 6,000
# examples are shared among the commands that take values.
TAKING_VALUES = [c for _p, c in COMMANDS if any(not getattr(p, "is_flag", False) for p in c.params)]
EXAMPLES = math.ceil(EXAMPLES_TOTAL / len(TAKING_VALUES))


def hostile_text(safe_root: Path, refs: list[str]) -> st.SearchStrategy[str]:
    """What a careless user or a hostile script types where a name, a number or a path goes."""
    fixed = st.sampled_from([
        "", " ", "0", "-0", "-1", "+3", "1_0", "1e309", "1E+999999999", "inf", "-inf", "nan", "sNaN", "0x10",
        "١٠٠", "९९", "3.5", "0.5TB", "1,024", "9" * 45, "\x00", "a\x00b", "\x1b[31mred\x1b[0m", "a\u202eb",
        "\u200b", "..", "../../etc/passwd", "/", "/etc", "x" * 300, "名前", "--", "-", "a=b", "k=", "=v",
        "mon,tue", "MO,TU", "25:00", "23:59", "FREQ=DAILY;INTERVAL=1;BYHOUR=1;BYMINUTE=0", "available",
        "all", "*", "%", "'; DROP TABLE vault; --", os.fsdecode(b"bad-\xff\xfe"),
    ])
    names = st.sampled_from(NAMES)
    own = st.sampled_from(refs)  # real vaults, backups and tasks, so that calls reach the rules behind the lookups
    numbers = st.one_of(st.integers(-5, 64), st.integers(10**6, 10**40), st.integers(-(10**20), -6)).map(str)
    # Paths a restore or a backup client may use stay inside the test's own directory.
    paths = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12).map(
        lambda name: str(safe_root / name))
    return st.one_of(fixed, names, own, own, numbers, paths, st.text(max_size=16),
                     st.binary(min_size=1, max_size=10).map(os.fsdecode))


def argv_for(path: tuple[str, ...], command: click.Command, safe_root: Path,
             refs: list[str]) -> st.SearchStrategy[list[str]]:
    """The command with its arguments and required options, and up to three of its other options: a few
    values at a time, so that a hostile one is met by the rule behind it, not refused beside another."""
    text = hostile_text(safe_root, refs)

    def words(param: click.Parameter) -> st.SearchStrategy[list[str]]:
        if isinstance(param, click.Argument):
            count = st.integers(1, 3) if param.nargs == -1 else st.just(param.nargs)
            return count.flatmap(lambda n: st.lists(text, min_size=n, max_size=n))
        assert isinstance(param, click.Option)
        flag = param.opts[0]
        if param.is_flag:
            return st.just([flag])
        values = text
        if isinstance(param.type, click.Choice):  # mostly a valid choice, so that the other values are reached
            choices = st.sampled_from(list(param.type.choices))
            values = st.one_of(choices, choices, choices, text)
        return values.map(lambda value: [flag, value])

    def together(params: list[click.Parameter]) -> st.SearchStrategy[list[str]]:
        if not params:
            return st.just([])
        return st.tuples(*map(words, params)).map(lambda parts: [w for part in parts for w in part])

    required = [p for p in command.params if isinstance(p, click.Argument) or p.required]
    optional = [p for p in command.params if p not in required]
    some = st.lists(st.sampled_from(optional), max_size=3, unique_by=lambda p: p.name) if optional else st.just([])
    return st.tuples(together(required), some.flatmap(together)).map(lambda both: [*path, *both[0], *both[1]])


class Hung(Exception):
    pass


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory,
           demo_template: dict[str, object]) -> Iterator[tuple[Console, list[str]]]:
    """One console for the module, with vaults, backups, a policy and a backup client to aim at; and the
    names and IDs of what it holds."""
    home = tmp_path_factory.mktemp("fuzz-home")
    clone_home(Path(str(demo_template["home"])), home)
    console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0),
                           clock=FixedClock(T0), ids=SeededIds("fuzz"))
    documents = home.parent / "documents"
    documents.mkdir()
    console.resources.register_agent("laptop-01", [str(documents)])
    for resource in ("evs-data-01", "laptop-01"):
        console.resources.write_data(resource, 1, seed="fuzz")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-a")
    buy(console, ObjectType.DISK, size_gb=100, resources=("evs-data-01",), name="vault-d")
    files = buy(console, ObjectType.FILE, size_gb=1024, name="vault-f")
    console.associations.configure_client("laptop-01", files.id)
    backups = [*back_up(console, "vault-a"), *back_up(console, "vault-d")]
    console.backups.perform_for_client("laptop-01")
    console.run_tasks()
    console.policies.create(PolicySpec(pattern=["FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0"], name="policy-a"))
    refs = [getattr(b, key) for b in backups for key in ("id", "name")]
    refs += [c.id for b in backups for c in b.children]
    refs += [v.id for v in console.vaults.list(limit=1000).vaults]
    refs += [t.id for t in console.tasks.list(limit=20).operation_logs]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Invocation, "console", property(lambda _self: console))
        yield console, refs
    console.close()


def database_state(home: Path) -> list[tuple[int, int] | None]:
    """The database file and its write-ahead log: any commit changes one of them."""
    state: list[tuple[int, int] | None] = []
    for name in ("cbr.db", "cbr.db-wal"):
        try:
            info = os.stat(home / name)
            state.append((info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            state.append(None)
    return state


def call(argv: list[str]) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()

    def hung(_signal: int, _frame: object) -> None:
        raise Hung(f"{argv!r} ran for over {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(argv)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    text = out.getvalue()
    try:
        return code, json.loads(text) if text.lstrip().startswith("{") else {"text": text}
    except json.JSONDecodeError:
        return code, {"text": text}


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _c in COMMANDS])
def test_hostile_values_are_refused_cleanly(shared: tuple[Console, list[str]],
                                            tmp_path_factory: pytest.TempPathFactory, path: tuple[str, ...],
                                            command: click.Command) -> None:
    console, refs = shared
    home = console.ctx.layout.home
    safe_root = tmp_path_factory.mktemp("fuzz-paths")

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(argv_for(path, command, safe_root, refs))
    def check(argv: list[str]) -> None:
        before = database_state(home)
        code, payload = call(argv)
        assert code in (0, 1, 2), (argv, code, payload)
        assert "text" not in payload, ("not the API's JSON", argv, payload)
        if code:
            assert payload.get("error_code") != "BackupService.9910", (argv, payload)
            assert payload.get("error_msg"), (argv, payload)
            assert database_state(home) == before, ("a refused call wrote to the database", argv, payload)

    check()

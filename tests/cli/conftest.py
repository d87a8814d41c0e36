"""The command line as a script runs it: a cloned demo data directory, JSON out, the exit status."""

import json
from pathlib import Path

import pytest

from cbr_tui.cli import main
from tests.conftest import clone_home


@pytest.fixture
def cli_home(tmp_path: Path, demo_template: dict, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cli-home"
    home.mkdir()
    clone_home(Path(str(demo_template["home"])), home)
    monkeypatch.setenv("CBR_TUI_HOME", str(home))
    return home


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {"text": out}


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, payload = run(capsys, *args)
    assert code == 0, payload
    return payload

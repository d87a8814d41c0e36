"""The typed layers stay typed: mypy in strict mode passes on the domain and the engine (issue 13 brings the
services under it too)."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["cbr_tui/domain", "cbr_tui/engine"]


def test_the_domain_and_the_engine_pass_mypy_strict() -> None:
    out, err, status = api.run(["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
                                *(str(ROOT / package) for package in STRICT)])
    assert status == 0, out + err
    assert "Success: no issues found" in out

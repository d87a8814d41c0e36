"""The typed layers stay typed: mypy in strict mode passes on the domain, the engine, the runner's jobs, the
services, the v3 models and the HTTP API (what they import from the store is checked with them)."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["cbr_tui/cloud", "cbr_tui/domain", "cbr_tui/engine", "cbr_tui/jobs", "cbr_tui/services", "cbr_tui/v3",
          "cbr_tui/serve/api.py", "cbr_tui/serve/api_calls.py", "cbr_tui/serve/api_operations.py",
          "cbr_tui/serve/openapi.py"]


def test_the_layers_below_the_front_ends_and_the_api_pass_mypy_strict() -> None:
    out, err, status = api.run(["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
                                *(str(ROOT / package) for package in STRICT)])
    assert status == 0, out + err
    assert "Success: no issues found" in out

"""The typed layers stay typed: mypy in strict mode passes on the domain, the simulated cloud, the engine, the
runner's jobs, the services, the v3 models, the HTTP API and the console (what they import from the store is
checked with them). The console reaches the services through one typed interface (`cbr_tui.ui.reach`), so mypy
follows every screen's call to the service that answers it, and what the screen reads of the answer."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["cbr_tui/cloud", "cbr_tui/domain", "cbr_tui/engine", "cbr_tui/jobs", "cbr_tui/services", "cbr_tui/v3",
          "cbr_tui/ui",
          "cbr_tui/serve/api.py", "cbr_tui/serve/api_calls.py", "cbr_tui/serve/api_operations.py",
          "cbr_tui/serve/openapi.py"]


def test_the_typed_layers_and_the_console_pass_mypy_strict() -> None:
    out, err, status = api.run(["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
                                *(str(ROOT / package) for package in STRICT)])
    assert status == 0, out + err
    assert "Success: no issues found" in out


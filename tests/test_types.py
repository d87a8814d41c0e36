"""The typed layers stay typed: mypy in strict mode passes on the domain, the engine and the v3 models (issue 13
brings the services under it too)."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["cbr_tui/domain", "cbr_tui/engine", "cbr_tui/v3"]


def test_the_domain_the_engine_and_the_v3_models_pass_mypy_strict() -> None:
    out, err, status = api.run(["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
                                *(str(ROOT / package) for package in STRICT)])
    assert status == 0, out + err
    assert "Success: no issues found" in out

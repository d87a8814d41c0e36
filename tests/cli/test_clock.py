"""`cbr-tui clock`, `billing` and `vault renew` as a script uses them; two processes on one store agree on the
cloud time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ok, run


def other_process(home: Path, *args: str) -> dict:
    """The same installation, from another process (as a second terminal would)."""
    done = subprocess.run([sys.executable, "-m", "cbr_tui", *args], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"CBR_TUI_HOME": str(home)}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def test_two_processes_agree_on_the_cloud_time(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ok(capsys, "clock", "show")["clock"]["simulated"] is False
    moved = other_process(cli_home, "clock", "advance", "3d")["clock"]
    assert moved["offset_seconds"] == pytest.approx(3 * 86400, abs=30)
    here = ok(capsys, "clock", "show")["clock"]
    assert here["simulated"] and here["offset_seconds"] == pytest.approx(3 * 86400, abs=30)
    ok(capsys, "clock", "rate", "3600")
    there = other_process(cli_home, "clock", "show")["clock"]
    assert there["rate"] == 3600 and there["offset_seconds"] >= 3 * 86400
    back = other_process(cli_home, "clock", "reset")["clock"]
    assert (back["simulated"], back["rate"]) == (False, 1)
    assert ok(capsys, "clock", "show")["clock"]["offset_seconds"] == 0


def test_bad_clock_input_is_refused_with_the_reason(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args, reason in ((("clock", "advance", "soon"), "not a duration"),
                         (("clock", "advance", "9999d"), "1 second to 1830 days"),
                         (("clock", "rate", "0"), "1 to 100,000"), (("clock", "rate", "1e3"), "digits 0-9")):
        code, payload = run(capsys, *args)
        assert code == 2 and reason in payload["error_msg"], (args, payload)
    ok(capsys, "account", "register", "acme")
    code, payload = run(capsys, "--account", "acme", "clock", "rate", "10")
    assert code == 1 and payload["error_code"] == "BackupService.8600"
    assert "only the administrator of its first account" in payload["error_msg"]


def test_billing_and_renewal_commands(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "vault", "create", "--type", "server", "--size", "200", "--billing", "monthly", "--duration", "1",
       "--name", "vault-m", "--resource", "ecs-web-01")
    ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-h")
    ok(capsys, "clock", "advance", "2d")
    charges = ok(capsys, "billing", "charges", "--vault", "vault-h")
    assert charges["count"] >= 2 and sum(c["hours"] for c in charges["charges"]) == 48
    shown = ok(capsys, "billing", "show", "--days", "3")["billing"]
    assert len(shown["spend_per_day"]) == len(shown["balance_per_day"]) == 3
    assert shown["balance_per_day"][-1]["balance"] == shown["balance"]
    first, last = (float(day["balance"]) for day in (shown["balance_per_day"][0], shown["balance_per_day"][-1]))
    spent_since = sum(float(day["amount"]) for day in shown["spend_per_day"][1:])
    assert first - spent_since == pytest.approx(last)  # no top-up in between
    renewed = ok(capsys, "vault", "renew", "vault-m", "--duration", "2")
    assert renewed["orders"][0]["amount"] == "20.00"
    assert ok(capsys, "vault", "auto-renew", "vault-m", "on")["vault"]["billing"]["is_auto_renew"] is True
    code, payload = run(capsys, "vault", "renew", "vault-h", "--duration", "1")
    assert code == 1 and payload["error_code"] == "BackupService.6110"
    code, payload = run(capsys, "vault", "renew", "vault-m", "--duration", "12")
    assert code == 1 and "1 to 9 months" in payload["error_msg"]
    for amount in ("1e3", "１00", "nan", "0.001"):  # the console's one reading of a number
        code, payload = run(capsys, "account", "top-up", amount)
        assert code == 1 and payload["error_code"] == "BackupService.9900", (amount, payload)
    assert ok(capsys, "account", "top-up", "1,000")["account"]
    kinds = [o["kind"] for o in ok(capsys, "billing", "orders")["orders"]]
    assert kinds[:3] == ["top_up", "renew", "new"]

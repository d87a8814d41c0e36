"""`cbr-tui iam`, `login`, `--user` and `logout` as a script uses them."""

import io
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import ok, run


def typed(monkeypatch: pytest.MonkeyPatch, line: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))


def test_a_read_only_user_logs_in_and_scripts_run_as_them(cli_home: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    typed(monkeypatch, "Cbr-admin-2026")
    created = ok(capsys, "iam", "user", "create", "cbr_admin", "--email", "cbr_admin@example.com", "--group", "admin",
                 "--password-stdin")
    assert created["user"]["groups"] == ["admin"]
    ok(capsys, "iam", "group", "create", "readers")
    ok(capsys, "iam", "group", "grant", "readers", "cbr readonlyaccess")
    typed(monkeypatch, "Cbr-read-2026")
    ok(capsys, "iam", "user", "create", "cbr_reader", "--group", "readers", "--password-stdin")

    typed(monkeypatch, "Cbr-read-2026")
    assert ok(capsys, "login", "cbr_reader", "--password-stdin")["logged_in"]["administrator"] is False
    session_file = cli_home / "sessions" / "cbr_reader"
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert "Cbr-read-2026" not in session_file.read_text()

    code, refusal = run(capsys, "--user", "cbr_reader", "vault", "create", "--type", "server", "--size", "100")
    assert code == 1 and refusal["error_code"] == "BackupService.8600"
    assert refusal["error_msg"].startswith("cbr_reader may not buy vaults")
    assert ok(capsys, "--user", "cbr_reader", "vault", "list")["count"] == ok(capsys, "vault", "list")["count"]
    code, refusal = run(capsys, "--user", "cbr_reader", "iam", "user", "list")
    assert code == 1 and "may not manage IAM users" in refusal["error_msg"]

    ok(capsys, "logout", "cbr_reader")
    assert not session_file.exists()
    code, refusal = run(capsys, "--user", "cbr_reader", "vault", "list")
    assert code == 1 and "cbr-tui login cbr_reader" in refusal["error_msg"]


def test_a_password_is_never_an_argument_and_a_wrong_one_exits_non_zero(
        cli_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = run(capsys, "iam", "user", "create", "x", "--password", "Cbr-admin-2026")
    assert code == 2  # click: no such option
    typed(monkeypatch, "")
    code, refusal = run(capsys, "iam", "user", "create", "cbr_x")
    assert code == 1 and "--password-stdin" in refusal["error_msg"]
    typed(monkeypatch, "Wrong-pass-1")
    code, refusal = run(capsys, "login", "nobody", "--password-stdin")
    assert code == 1 and refusal == {"error_code": "BackupService.9998",
                                     "error_msg": "The username or password is incorrect."}


def test_set_by_user_sets_a_password_with_the_invitations_code(cli_home: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    created = ok(capsys, "iam", "user", "create", "trainee", "--email", "t@example.com", "--set-by-user")
    code = created["password_setup"]["code"]
    typed(monkeypatch, f"{code}\nTrainee-2026")
    ok(capsys, "iam", "user", "set-password", "trainee", "--password-stdin")
    assert ok(capsys, "--user", "trainee", "iam", "whoami")["principal"]["user_name"] == "trainee"

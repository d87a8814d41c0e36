"""`cbr-tui api-key` and `cbr-tui serve api` as a person runs them: a key printed once, a server process
the official SDK talks to, Ctrl+C to stop it."""

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcbr.v1.model import ListVaultRequest
from huaweicloudsdkcore.auth.credentials import BasicCredentials

from tests.cli.conftest import ok, run
from tests.cli.test_iam import typed
from tests.cli.test_serve_web import free_port


def test_keys_are_made_listed_and_deleted_and_a_secret_is_shown_once(cli_home: Path,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    made = ok(capsys, "api-key", "create")["credential"]
    assert len(made["access"]) == 20 and len(made["secret"]) == 40 and made["status"] == "active"
    assert made["project_id"] in {r["project_id"] for r in ok(capsys, "region", "list")["regions"]}
    listed = ok(capsys, "api-key", "list")["credentials"]
    assert [k["access"] for k in listed] == [made["access"]]
    assert made["secret"] not in json.dumps(listed)
    assert made["secret"].encode() not in (cli_home / "cbr.db").read_bytes()
    keys = cli_home / "kms"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in keys.glob("*.json"))

    ok(capsys, "api-key", "create")
    code, refusal = run(capsys, "api-key", "create")
    assert code == 1 and refusal["error_code"] == "BackupService.9900"
    assert "at most 2 access keys" in refusal["error_msg"]
    ok(capsys, "api-key", "delete", made["access"])
    code, refusal = run(capsys, "api-key", "delete", made["access"])
    assert code == 1 and "no access key" in refusal["error_msg"]

    typed(monkeypatch, "Cbr-read-2026")
    ok(capsys, "iam", "user", "create", "cbr_reader", "--password-stdin")
    ok(capsys, "iam", "user", "create", "cbr_other", "--programmatic", "--no-console")
    theirs = ok(capsys, "api-key", "create", "--user", "cbr_reader")["credential"]
    assert theirs["user_id"] != made["user_id"]
    typed(monkeypatch, "Cbr-read-2026")
    ok(capsys, "login", "cbr_reader", "--password-stdin")
    assert [k["access"] for k in ok(capsys, "--user", "cbr_reader", "api-key", "list")["credentials"]] == \
        [theirs["access"]]
    code, refusal = run(capsys, "--user", "cbr_reader", "api-key", "create", "--user", "cbr_other")
    assert code == 1 and refusal["error_code"] == "BackupService.8600"


def test_serve_api_answers_the_sdk_until_interrupted(cli_home: Path, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    key = ok(capsys, "api-key", "create")["credential"]
    port = free_port()
    log = tmp_path / "serve-api.log"  # a file, not a pipe: a server that logs much never blocks on it
    # Started with SIGINT ignored, as a parent that ignores it (a shell's background job, or this test
    # process after the SSH launcher's tests) passes that on: Ctrl+C must stop it all the same.
    start = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
             f"sys.argv = ['cbr-tui', 'serve', 'api', '--port', '{port}']; "
             "runpy.run_module('cbr_tui', run_name='__main__')")
    with log.open("w") as stderr:
        server = subprocess.Popen([sys.executable, "-X", "faulthandler", "-c", start], stderr=stderr,
                                  env=os.environ | {"CBR_TUI_HOME": str(cli_home)})
    try:
        deadline = time.monotonic() + 60
        while "serving the CBR v3 API" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
        assert f"serving the CBR v3 API on http://127.0.0.1:{port}" in log.read_text()
        client = (CbrClient.new_builder().with_endpoints([f"http://127.0.0.1:{port}"])
                  .with_credentials(BasicCredentials(key["access"], key["secret"], key["project_id"])).build())
        assert client.list_vault(ListVaultRequest()).count == len(ok(capsys, "vault", "list")["vaults"])
        # the SDK keeps its connection open: the server stops all the same
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.send_signal(signal.SIGABRT)  # faulthandler writes every thread's stack to the log
            server.wait(10)
            pytest.fail("serve api did not stop on Ctrl+C:\n" + log.read_text()[-6000:])
    assert server.returncode == 0, log.read_text()

"""What a careless user or a hostile script types: every bad value gets a specific refusal (never `9910`,
never a hang), nothing is written by a refused call, and `--wait` fails when the task fails."""

import os
from pathlib import Path

import pytest

from cbr_tui.services.console import open_console
from cbr_tui.services.settings import Settings
from tests.cli.conftest import ok, run
from tests.jobs.helpers import damage_one_chunk

NOT_UTF8 = os.fsdecode(b"vault-\xff\xfe")  # what Python makes of bytes that are not UTF-8 in argv
ESCAPE = "\x1b[31mred\x1b[0m"

REFUSED = [
    # (arguments, exit status, words of the refusal)
    (("vault", "create", "--type", "server", "--size", "inf"), 2, "'inf' is not one"),
    (("vault", "create", "--type", "server", "--size", "sNaN"), 2, "'sNaN' is not one"),
    (("vault", "create", "--type", "server", "--size", "1E+999999999"), 2, "'1E+999999999' is not one"),
    (("vault", "create", "--type", "server", "--size", "١٠٠"), 2, "digits 0-9"),
    (("vault", "create", "--type", "server", "--size", "9" * 41), 2, "at most 40 digits"),
    (("vault", "create", "--type", "server", "--size", "0.5"), 2, "whole number of GB"),
    (("vault", "create", "--type", "server", "--size", "100", "--billing", "monthly", "--duration", "1_0"), 2,
     "'1_0' is not one"),
    (("vault", "create", "--type", "server", "--size", "100", "--billing", "monthly", "--duration",
      "99999999999999999999"), 1, "1 to 9"),
    (("vault", "create", "--type", "server", "--size", "100", "--description", ESCAPE), 1, "control character"),
    (("vault", "create", "--type", "server", "--size", "100", "--description", "a\u202eb"), 1,
     "text direction override"),
    (("vault", "create", "--type", "server", "--size", "100", "--description", NOT_UTF8), 1, "not UTF-8"),
    (("vault", "create", "--type", "server", "--size", "100", "--name", NOT_UTF8), 1, "not UTF-8"),
    (("vault", "show", NOT_UTF8), 1, "VAULT_REF"),
    (("vault", "list", "--status", "bogus"), 1, "available, lock, frozen"),
    (("vault", "list", "--limit", "١٠"), 2, "digits 0-9"),
    (("vault", "list", "--limit", "0"), 1, "1 to 1,000 items"),
    (("vault", "list", "--offset", "-5"), 2, "'-5' is not one"),
    (("backup", "list", "--offset", "99999999999999999999999"), 1, "0 to 1,000,000,000"),
    (("account", "orders", "--limit", "5000"), 1, "1 to 1,000 items"),
    (("vault", "verify", "vault-x", "--read-data", "nan"), 2, "'nan' is not one"),
    (("vault", "gc", "vault-x", "--grace-minutes", "1e9"), 2, "'1e9' is not one"),
    (("worker", "--until-idle", "--lease-seconds", "0.1"), 1, "0.5 to 3600 seconds"),
    (("worker", "--until-idle", "--workers", "0"), 1, "1 to 64 tasks"),
    (("policy", "create", "--name", "p1", "--type", "backup", "--every-days", "+3"), 2, "'+3' is not one"),
]


@pytest.mark.parametrize(("args", "status", "words"), REFUSED, ids=[" ".join(a[:3]) + f"-{i}"
                                                                    for i, (a, _s, _w) in enumerate(REFUSED)])
def test_a_bad_value_is_refused_with_its_reason_and_changes_nothing(cli_home: Path,
                                                                    capsys: pytest.CaptureFixture[str],
                                                                    args: tuple[str, ...], status: int,
                                                                    words: str) -> None:
    before = ok(capsys, "vault", "list", "--limit", "1000")  # a purchase would also change the balance
    code, payload = run(capsys, *args)
    assert (code, payload.get("error_code")) == (status, "BackupService.9900"), payload
    assert words in payload["error_msg"]
    assert ok(capsys, "vault", "list", "--limit", "1000") == before


def test_numbers_in_their_plain_forms_are_taken(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = ok(capsys, "vault", "create", "--type", "server", "--size", "0.5TB", "--name", "vault-half")["vault"]
    assert vault["billing"]["size"] == 512
    vault = ok(capsys, "vault", "create", "--type", "server", "--size", "1,024", "--name", "vault-k")["vault"]
    assert vault["billing"]["size"] == 1024
    assert len(ok(capsys, "vault", "list", "--limit", " 1 ")["vaults"]) == 1


def test_wait_fails_when_the_task_fails(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "resource", "write", "evs-data-01", "--mb", "2", "--seed", "kept")
    vault = ok(capsys, "vault", "create", "--type", "disk", "--size", "100", "--name", "vault-d",
               "--resource", "evs-data-01")["vault"]
    backup = ok(capsys, "backup", "create", "vault-d", "--wait")["checkpoint"]["backups"][0]
    assert backup["status"] == "available"
    console = open_console(Settings.from_env())
    try:
        damage_one_chunk(console, vault["id"])
    finally:
        console.close()
    code, payload = run(capsys, "restore", "disk", backup["id"], "--wait")
    assert code == 1 and "ended failed" in payload["error_msg"] and "damaged" in payload["error_msg"], payload
